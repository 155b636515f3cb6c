"""Property: the history, incoming, statistics, prices and operator decoders, fed records
built around the fields they read, and the received-message callback parser, are total on
hostile input: a result or an SDK error."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smsc import SMSCError
from smsc._wire.reports import (
    HISTORY,
    INCOMING,
    OPERATOR,
    PRICES,
    REPORT_COMMANDS,
    STATISTICS,
    HistoryQuery,
    IncomingQuery,
    OperatorQuery,
    StatisticsQuery,
)
from smsc.callbacks import compute_signature, parse_incoming_callback

from .test_decoders_hostile import SETTINGS, check_total, dump, json_values, objects

DAY = date(2024, 1, 1)
ARGS: dict[str, Any] = {
    HISTORY.name: HistoryQuery(DAY, DAY),
    INCOMING.name: IncomingQuery(),
    STATISTICS.name: StatisticsQuery(DAY, DAY),
    PRICES.name: None,
    OPERATOR.name: OperatorQuery(("79991234567", "79997654321")),
}
KEYS = {
    HISTORY.name: [
        *("status", "last_date", "last_timestamp", "err", "send_date", "send_timestamp"),
        *("phone", "cost", "sender_id", "status_name", "message", "id", "int_id", "sms_cnt"),
        *("format", "crc", "mccmnc", "country", "operator", "region", "error", "error_code"),
    ],
    INCOMING.name: ["id", "phone", "to_phone", "message", "sent", "received", "error_code"],
    STATISTICS.name: ["login", "cnt", "credit", "debit", "currency", "balance", "error_code"],
    PRICES.name: ["zone", "name", "api", "mass", "mms", "call", "hlr", "ping", "zones"],
    OPERATOR.name: ["phone", "country", "operator", "region", "mcc", "mnc", "tz", "error_code"],
}
NAMES = [spec.name for spec in REPORT_COMMANDS]
SPECS = {spec.name: spec for spec in REPORT_COMMANDS}


def decode(name: str, body: bytes) -> object:
    return SPECS[name].read(body, ARGS[name])


def test_every_report_command_has_sample_arguments_and_keys() -> None:
    # Any bytes and any nesting are fed to every spec by test_decoders_hostile; here the
    # records are built around the fields each decoder reads.
    assert set(ARGS) == set(NAMES) == set(KEYS)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_records_with_hostile_fields(name: str, data: st.DataObject) -> None:
    record = objects(KEYS[name])
    value = data.draw(st.one_of(json_values, record, st.lists(record, max_size=4)))
    if name == PRICES.name and data.draw(st.booleans()):
        value = {"zones": value}
    check_total(lambda raw: decode(name, raw), dump(value).encode())


INCOMING_KEYS = ["id", "phone", "message", "to_phone", "sent", "received", "md5", "sha1"]
callback_fields = st.dictionaries(
    st.one_of(st.sampled_from(INCOMING_KEYS), st.text(max_size=8)),
    st.one_of(st.text(alphabet="0123456789eE+-.", max_size=25), st.text(max_size=30)),
    max_size=10,
)


@SETTINGS
@given(fields=callback_fields, signed=st.booleans())
def test_any_incoming_callback_parses_or_raises_an_sdk_error(
    fields: dict[str, str], signed: bool
) -> None:
    if signed:
        fields = {"id": "1", "phone": "79990000001", "message": "hi", **fields}
        fields["md5"] = compute_signature(
            fields, "secret", signature_format="{id}:{phone}:{message}:{secret}"
        )
    try:
        callback = parse_incoming_callback(
            fields, secrets="secret" if signed else None, require_signature=signed
        )
    except SMSCError:
        return
    assert repr(callback)
    assert str(callback)
