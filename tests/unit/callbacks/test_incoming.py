"""Received-message callbacks: signature checked like a delivery callback's, fields typed."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from smsc import CallbackSignatureError, ConfigurationError, MalformedCallbackError
from smsc.callbacks import (
    DEFAULT_INCOMING_SIGNATURE_FORMAT,
    DuplicateCallbackError,
    MemoryDeduplicator,
    StaleCallbackError,
    accept_incoming_callback,
    compute_signature,
    is_incoming_callback,
    parse_incoming_callback,
)

SECRET = "callback-secret"
FIELDS = {
    "id": "41",
    "received": "01.01.2024 13:00:00",
    "phone": "79990000001",
    "to_phone": "79000000000",
    "sent": "1704103200",
    "message": "Yes, please",
}


def signed(fields: dict[str, str], algorithm: str = "md5", **options: str) -> dict[str, str]:
    signature_format = options.get("signature_format", DEFAULT_INCOMING_SIGNATURE_FORMAT)
    digest = compute_signature(
        fields, SECRET, algorithm=algorithm, signature_format=signature_format
    )
    return {**fields, algorithm: digest}


@pytest.mark.parametrize("algorithm", ["md5", "sha1"])
def test_a_signed_received_message_is_parsed(algorithm: str) -> None:
    callback = parse_incoming_callback(signed(FIELDS, algorithm), secrets=SECRET)
    assert callback.id == 41
    assert (callback.phone, callback.to_phone, callback.message) == (
        "79990000001",
        "79000000000",
        "Yes, please",
    )
    assert callback.time == datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)
    assert callback.verified
    assert callback.signed_fields == {"id", "phone", "message"}
    assert callback.unsigned_fields == {"received", "to_phone", "sent"}
    assert callback.dedup_key == ("incoming", 41, "79990000001")


def test_the_signed_text_is_id_phone_message_and_secret() -> None:
    text = f"41:79990000001:Yes, please:{SECRET}"
    fields = {**FIELDS, "md5": hashlib.md5(text.encode()).hexdigest()}
    assert parse_incoming_callback(fields, secrets=SECRET).verified


def test_a_changed_text_breaks_the_signature() -> None:
    fields = {**signed(FIELDS), "message": "No"}
    with pytest.raises(CallbackSignatureError):
        parse_incoming_callback(fields, secrets=SECRET)


def test_an_unsigned_callback_is_refused_unless_allowed() -> None:
    with pytest.raises(CallbackSignatureError):
        parse_incoming_callback(FIELDS, secrets=SECRET)
    callback = parse_incoming_callback(FIELDS, secrets=None, require_signature=False)
    assert not callback.verified
    assert callback.signed_fields == frozenset()


def test_no_secret_with_a_required_signature_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        parse_incoming_callback(FIELDS, secrets=None)


def test_the_signed_text_is_configurable() -> None:
    recipe = "{id}:{phone}:{secret}"
    fields = signed(FIELDS, signature_format=recipe)
    callback = parse_incoming_callback(fields, secrets=SECRET, signature_format=recipe)
    assert "message" in callback.unsigned_fields


def test_the_time_comes_from_received_text_without_sent() -> None:
    fields = {key: value for key, value in FIELDS.items() if key != "sent"}
    callback = parse_incoming_callback(fields, secrets=None, require_signature=False)
    assert callback.time == datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"phone": ""}, "phone"), ({"id": ""}, "id"), ({"sent": "soon"}, "sent")],
)
def test_missing_or_bad_fields_are_malformed(change: dict[str, str], field: str) -> None:
    with pytest.raises(MalformedCallbackError) as caught:
        parse_incoming_callback({**FIELDS, **change}, secrets=None, require_signature=False)
    assert caught.value.field == field


def test_unknown_fields_are_kept_and_private_ones_hidden() -> None:
    callback = parse_incoming_callback(
        {**FIELDS, "operator": "МТС"}, secrets=None, require_signature=False
    )
    assert callback.extra == {"operator": "МТС"}
    shown = repr(callback)
    assert "79990000001" not in shown
    assert "Yes, please" not in shown


def test_a_stale_callback_is_refused() -> None:
    def now() -> datetime:
        return datetime(2024, 1, 2, tzinfo=timezone.utc)

    with pytest.raises(StaleCallbackError):
        parse_incoming_callback(
            signed(FIELDS), secrets=SECRET, max_age=timedelta(hours=1), clock=now
        )


def test_received_messages_and_statuses_are_told_apart() -> None:
    assert is_incoming_callback(FIELDS)
    assert not is_incoming_callback({"id": "1", "phone": "79990000001", "status": "1"})


async def test_the_same_received_message_is_accepted_once() -> None:
    seen = MemoryDeduplicator()
    fields = signed(FIELDS)
    await accept_incoming_callback(fields, seen=seen, secrets=SECRET)
    with pytest.raises(DuplicateCallbackError):
        await accept_incoming_callback(fields, seen=seen, secrets=SECRET)
