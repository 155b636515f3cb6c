"""What a callback's signature vouches for, replay defences, and hostile callback fields."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from smsc import CallbackSignatureError, ConfigurationError, MalformedCallbackError
from smsc.callbacks import (
    CallbackDeduplicator,
    DuplicateCallbackError,
    HLRCallback,
    MemoryDeduplicator,
    StaleCallbackError,
    accept_callback,
    parse_callback,
)

SECRET = "s3cr3t-callback-key"
PHONE = "79991234567"
SENT_AT = datetime(2021, 8, 15, 17, 27, 22, tzinfo=timezone.utc)
TS = str(int(SENT_AT.timestamp()))


def genuine(status: str = "1", **changes: str) -> dict[str, str]:
    """A callback signed with SECRET; ``changes`` are applied AFTER signing (a tampering)."""
    fields = {"id": "182", "phone": PHONE, "status": status, "err": "0", "ts": TS, "cost": "1.5"}
    text = f"{fields['id']}:{fields['phone']}:{fields['status']}:{SECRET}"
    fields["md5"] = hashlib.md5(text.encode()).hexdigest()
    fields.update(changes)
    return fields


def clock_at(moment: datetime):  # type: ignore[no-untyped-def]
    return lambda: moment


# ------------------------------------------------------------------ what is signed


def test_verified_holds_only_the_signed_fields_of_a_rewritten_replay() -> None:
    # A replayed genuine callback whose unsigned fields were rewritten, even into an HLR one.
    callback = parse_callback(
        genuine(err="20", ts="1", cost="999", type="4", imsi="250990000000001"), secrets=SECRET
    )
    assert isinstance(callback, HLRCallback)
    assert callback.verified is not None
    assert callback.verified.model_dump() == {"id": 182, "phone": PHONE, "status": 1}
    assert callback.signed_fields == {"id", "phone", "status"}
    assert callback.unsigned_fields == {"err", "ts", "cost", "type", "imsi"}
    assert "md5" not in callback.signed_fields | callback.unsigned_fields


def test_unchecked_callback_has_nothing_verified() -> None:
    fields = genuine()
    del fields["md5"]
    callback = parse_callback(fields, secrets=None, require_signature=False)
    assert callback.verified is None
    assert callback.signed_fields == frozenset()
    assert callback.unsigned_fields == {"id", "phone", "status", "err", "ts", "cost"}


def test_a_wider_signature_format_moves_its_fields_to_the_signed_side() -> None:
    fields = genuine()
    fields["md5"] = hashlib.md5(f"182:{PHONE}:1:0:{SECRET}".encode()).hexdigest()
    callback = parse_callback(
        fields, secrets=SECRET, signature_format="{id}:{phone}:{status}:{err}:{secret}"
    )
    assert callback.signed_fields == {"id", "phone", "status", "err"}
    assert callback.unsigned_fields == {"ts", "cost"}


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda d: d[:-1] + ("0" if d[-1] != "0" else "1"), id="last-digit-changed"),
        pytest.param(lambda d: d[:-1], id="last-digit-dropped"),
        pytest.param(lambda d: d[:8], id="first-8-digits"),
        pytest.param(lambda d: d + "0", id="one-digit-added"),
    ],
)
def test_signature_must_match_in_every_digit(tamper) -> None:  # type: ignore[no-untyped-def]
    fields = genuine()
    fields["md5"] = tamper(fields["md5"])
    with pytest.raises(CallbackSignatureError):
        parse_callback(fields, secrets=SECRET)


# ------------------------------------------------------------------ freshness window


def test_callback_within_max_age_is_accepted() -> None:
    now = SENT_AT + timedelta(minutes=4)
    callback = parse_callback(
        genuine(), secrets=SECRET, max_age=timedelta(minutes=5), clock=clock_at(now)
    )
    assert callback.time == SENT_AT


@pytest.mark.parametrize("offset", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_callback_older_or_newer_than_max_age_is_stale(offset: timedelta) -> None:
    with pytest.raises(StaleCallbackError):
        parse_callback(
            genuine(),
            secrets=SECRET,
            max_age=timedelta(minutes=5),
            clock=clock_at(SENT_AT + offset),
        )


def test_callback_without_time_is_stale_when_max_age_is_set() -> None:
    fields = genuine()
    del fields["ts"]
    with pytest.raises(StaleCallbackError):
        parse_callback(fields, secrets=SECRET, max_age=timedelta(minutes=5))
    assert parse_callback(fields, secrets=SECRET).time is None  # no window: no check


@pytest.mark.parametrize("max_age", [timedelta(0), timedelta(seconds=-1), 300])
def test_unusable_max_age_is_a_configuration_error(max_age: object) -> None:
    with pytest.raises(ConfigurationError):
        parse_callback(genuine(), secrets=SECRET, max_age=max_age)  # type: ignore[arg-type]


def test_naive_clock_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        parse_callback(
            genuine(),
            secrets=SECRET,
            max_age=timedelta(minutes=5),
            clock=clock_at(datetime(2021, 8, 15)),
        )


# ------------------------------------------------------------------ duplicate check


async def test_accept_callback_refuses_the_same_signed_key_twice() -> None:
    seen = MemoryDeduplicator()
    assert isinstance(seen, CallbackDeduplicator)
    first = await accept_callback(genuine(), seen=seen, secrets=SECRET)
    assert first.dedup_key == (182, PHONE, 1)
    with pytest.raises(DuplicateCallbackError):
        await accept_callback(genuine(err="5", ts="2"), seen=seen, secrets=SECRET)
    later = await accept_callback(genuine(status="3"), seen=seen, secrets=SECRET)
    assert later.dedup_key == (182, PHONE, 3)  # a later status of the same message is new


async def test_forged_callback_is_not_recorded() -> None:
    seen = MemoryDeduplicator()
    with pytest.raises(CallbackSignatureError):
        await accept_callback(genuine(md5="0" * 32), seen=seen, secrets=SECRET)
    assert len(seen) == 0
    await accept_callback(genuine(), seen=seen, secrets=SECRET)
    assert len(seen) == 1


async def test_accept_callback_passes_parse_options_through() -> None:
    with pytest.raises(StaleCallbackError):
        await accept_callback(
            genuine(),
            seen=MemoryDeduplicator(),
            secrets=SECRET,
            max_age=timedelta(minutes=5),
            clock=clock_at(SENT_AT + timedelta(hours=1)),
        )


async def test_memory_deduplicator_forgets_the_oldest_key_beyond_its_size() -> None:
    seen = MemoryDeduplicator(max_entries=2)
    assert [await seen.first_seen(key) for key in ("a", "b", "a", "c")] == [
        True,
        True,
        False,
        True,
    ]
    assert len(seen) == 2
    assert await seen.first_seen("a") is True  # forgotten: "a" was the oldest
    assert await seen.first_seen("c") is False


@pytest.mark.parametrize("size", [0, -1, True, 1.5])
def test_memory_deduplicator_needs_a_positive_size(size: object) -> None:
    with pytest.raises(ConfigurationError):
        MemoryDeduplicator(max_entries=size)  # type: ignore[arg-type]


# ------------------------------------------------------------------ hostile fields


@pytest.mark.parametrize("name", ["ts", "cnt", "err", "status", "type"])
@pytest.mark.parametrize("value", ["9" * 5000, "-" + "9" * 5000, "9" * 19])
def test_integer_field_too_long_is_malformed(name: str, value: str) -> None:
    with pytest.raises(MalformedCallbackError) as caught:
        parse_callback(genuine() | {name: value}, secrets=None, require_signature=False)
    assert caught.value.field == name


@pytest.mark.parametrize("value", ["1e999999999", "9" * 5000, "NaN", "-Infinity", "1e-99"])
def test_cost_beyond_any_amount_is_malformed(value: str) -> None:
    with pytest.raises(MalformedCallbackError):
        parse_callback(genuine(cost=value), secrets=None, require_signature=False)


def test_id_too_long_for_a_number_stays_text_and_prints() -> None:
    callback = parse_callback(genuine(id="1" * 5000), secrets=None, require_signature=False)
    assert callback.id == "1" * 5000
    assert repr(callback)
    assert str(callback)
