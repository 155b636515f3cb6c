"""Property: every decoder is total on hostile input. Result or SDK error, and a printable result.

Arbitrary bytes, and arbitrary JSON built around the fields each decoder reads (huge and
non-finite numbers written as raw literals, deep nesting, wrong types), are fed to the send,
cost, status (single, multi, ``all=1``, ``all=2``, HLR) and balance decoders and to the
delivery and HLR callback parsers. Only ``SMSCError`` subclasses may come out; any result must
survive ``repr`` and ``str``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smsc import SMSCError
from smsc._models.messages import SendRequest
from smsc._wire import COMMANDS, StatusQuery
from smsc._wire.bulk import ListSend
from smsc._wire.commands import decode_balance, decode_cost, decode_send
from smsc._wire.jobs import JobCreate
from smsc._wire.notify import Notification
from smsc._wire.phones import CONTACT_COMMANDS, ContactArgs
from smsc._wire.receive_phones import RECEIVE_PHONES_COMMANDS, ReceivePhoneArgs
from smsc._wire.reports import HistoryQuery, IncomingQuery, OperatorQuery, StatisticsQuery
from smsc._wire.senders import SENDER_COMMANDS, SenderArgs
from smsc._wire.templates import (
    OPERATOR_TEMPLATES,
    TEMPLATES,
    OperatorTemplateArgs,
    TemplateArgs,
)
from smsc._wire.users import USER_COMMANDS, SubClientArgs
from smsc.callbacks import compute_signature, parse_callback

from ...properties import examples

SETTINGS = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
REQUESTED: list[tuple[int | str, str]] = [(1, "79990000001"), ("abc", "79990000002")]


@dataclass(frozen=True)
class Raw:
    """A JSON number literal written as is (json.dumps cannot write 5,000 digits or NaN)."""

    text: str


def dump(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value)


HOSTILE_NUMBERS = [
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "9" * 5000,
    "-" + "9" * 5000,
    "0." + "0" * 5000 + "1",
    "1E+5000",
    "NaN",
    "Infinity",
    "-Infinity",
    "12345678901234567.89",
    "2147483648",
    "-1",
    "0",
    "1.0",
]
numbers = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS).map(Raw),
    st.integers().map(lambda n: Raw(str(n))),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: Raw(str(d))),
)
numeric_strings = st.one_of(
    st.sampled_from([*HOSTILE_NUMBERS, "sNaN", "-sNaN", "inf", " 1 ", "1_000", "١٢", ""]),
    st.decimals().map(str),
    st.text(alphabet="0123456789eE+-.", max_size=30),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, numeric_strings, st.text(max_size=20))
json_values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

SEND_KEYS = ["id", "cnt", "cost", "balance", "code", "phones", "error", "error_code"]
PHONE_KEYS = ["phone", "mccmnc", "cost", "status", "error"]
STATUS_KEYS = [
    *("id", "phone", "status", "last_date", "last_timestamp", "flag", "err", "send_date"),
    *("send_timestamp", "cost", "sender_id", "status_name", "message", "comment", "type"),
    *("sms_cnt", "country", "operator", "region", "imsi", "msc", "mcc", "mnc", "cn", "net"),
    *("rcn", "rnet", "error", "error_code"),
]
BALANCE_KEYS = ["balance", "currency", "credit", "error", "error_code"]


def objects(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys))


phone_lists = st.lists(objects(PHONE_KEYS), max_size=3)
send_answers = objects(SEND_KEYS).flatmap(
    lambda d: phone_lists.map(lambda phones: {**d, "phones": phones} if phones else d)
)
status_answers = st.one_of(objects(STATUS_KEYS), st.lists(objects(STATUS_KEYS), max_size=4))
nesting = st.integers(min_value=1, max_value=5000).flatmap(
    lambda depth: st.sampled_from(
        [
            b"[" * depth + b"]" * depth,
            b'{"a":' * depth + b"1" + b"}" * depth,
            b'{"status":' + b"[" * depth + b"]" * depth + b"}",
            b"[" * depth,
            b'["\\\\"' + b"[" * depth + b'"]',
        ]
    )
)

# The arguments each command's answer is decoded against: every spec of the registry is here,
# so a new command joins the hostile suite (test_every_command_is_in_the_hostile_suite).
SAMPLE_ARGUMENTS: dict[str, object] = {
    "send": SendRequest(phones=("79991234567",), message="x", id=1),
    "cost": SendRequest(phones=("79991234567",), message="x"),
    "status": StatusQuery(tuple(REQUESTED)),
    "balance": None,
    "delete": REQUESTED[0],
    "send_list": ListSend("b-1", (("79991234567", "x"), ("79997654321", "y"))),
    "job_create": JobCreate("sale", SendRequest(phones=("79991234567",), message="x")),
    "job_create_with_cost": JobCreate(
        "sale", SendRequest(phones=("79991234567",), message="x"), with_cost=True
    ),
    "job_info": 7,
    "job_list": None,
    "job_cancel": 7,
    "job_delete": 7,
    **{spec.name: SenderArgs(name="Shop") for spec in SENDER_COMMANDS},
    **{spec.name: ContactArgs(phone="79991234567", group=1) for spec in CONTACT_COMMANDS},
    **{spec.name: TemplateArgs(id=1) for spec in TEMPLATES.all()},
    **{spec.name: OperatorTemplateArgs("Shop", "x") for spec in OPERATOR_TEMPLATES},
    **{spec.name: SubClientArgs(login="sub") for spec in USER_COMMANDS},
    **{spec.name: ReceivePhoneArgs(phone="79000000701") for spec in RECEIVE_PHONES_COMMANDS},
    "notify": Notification(12, name="db"),
    "history": HistoryQuery(date(2024, 1, 1), date(2024, 1, 1)),
    "incoming": IncomingQuery(),
    "statistics": StatisticsQuery(date(2024, 1, 1), date(2024, 1, 1)),
    "prices": None,
    "operator": OperatorQuery(("79991234567", "79997654321")),
}

DECODERS: dict[str, Callable[[bytes], object]] = {
    name: functools.partial(spec.read, args=SAMPLE_ARGUMENTS[name])
    for name, spec in COMMANDS.items()
}


def test_every_command_is_in_the_hostile_suite() -> None:
    assert set(SAMPLE_ARGUMENTS) == set(COMMANDS)


def check_total(decode: Callable[[bytes], object], body: bytes) -> None:
    try:
        result = decode(body)
    except SMSCError:
        return
    for item in result if isinstance(result, list) else [result]:
        assert repr(item)
        assert str(item)


@pytest.mark.parametrize("command", DECODERS)
@SETTINGS
@given(body=st.binary(max_size=300))
def test_any_bytes_decode_to_a_result_or_an_sdk_error(command: str, body: bytes) -> None:
    check_total(DECODERS[command], body)


@pytest.mark.parametrize("command", DECODERS)
@SETTINGS
@given(body=nesting)
def test_any_nesting_decodes_to_a_result_or_an_sdk_error(command: str, body: bytes) -> None:
    check_total(DECODERS[command], body)


@pytest.mark.parametrize("command", DECODERS)
@SETTINGS
@given(value=json_values)
def test_any_json_decodes_to_a_result_or_an_sdk_error(command: str, value: Any) -> None:
    check_total(DECODERS[command], dump(value).encode())


@SETTINGS
@given(value=send_answers)
def test_send_and_cost_answers_with_hostile_fields(value: dict[str, Any]) -> None:
    body = dump(value).encode()
    check_total(decode_send, body)
    check_total(decode_cost, body)


@SETTINGS
@given(value=status_answers)
def test_status_answers_with_hostile_fields(value: Any) -> None:
    # Single and multi answers, basic and all=1/all=2 fields, HLR fields: one decoder reads all.
    check_total(DECODERS["status"], dump(value).encode())


@SETTINGS
@given(value=objects(BALANCE_KEYS))
def test_balance_answers_with_hostile_fields(value: dict[str, Any]) -> None:
    check_total(decode_balance, dump(value).encode())


CALLBACK_KEYS = [
    *("id", "phone", "status", "err", "ts", "time", "cnt", "type", "cost", "sender"),
    *("message", "country", "operator", "region", "md5", "sha1"),
    *("imsi", "msc", "mcc", "mnc", "cn", "net", "rcn", "rnet"),
]
callback_values = st.one_of(numeric_strings, st.text(max_size=30))
callbacks = st.dictionaries(
    st.one_of(st.sampled_from(CALLBACK_KEYS), st.text(max_size=8)), callback_values, max_size=12
)


def check_callback(fields: dict[str, str], **options: Any) -> None:
    try:
        callback = parse_callback(fields, **options)
    except SMSCError:
        return
    assert repr(callback)
    assert str(callback)
    assert callback.verified is None or callback.verified.id == callback.id


@SETTINGS
@given(fields=callbacks)
def test_any_unchecked_callback_parses_or_raises_an_sdk_error(fields: dict[str, str]) -> None:
    check_callback(fields, secrets=None, require_signature=False)


@SETTINGS
@given(fields=callbacks, hlr=st.booleans())
def test_any_signed_callback_parses_or_raises_an_sdk_error(
    fields: dict[str, str], hlr: bool
) -> None:
    # Signed with the right secret, so parsing goes past the signature into every field.
    fields = {"id": "1", "phone": "79990000001", "status": "1", **fields}
    if hlr:
        fields["type"] = "4"
    fields["md5"] = compute_signature(fields, "secret")
    check_callback(fields, secrets="secret")
