"""Parsing delivery-status and HLR callbacks into typed models (signature checks skipped)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import smsc
from smsc import (
    CallbackError,
    CallbackSignatureError,
    ConfigurationError,
    DeliveryError,
    MalformedCallbackError,
    MessageType,
    SMSCError,
    StatusCode,
    callbacks,
)
from smsc._wire import MOSCOW as MOSCOW_ZONE
from smsc.callbacks import DeliveryStatusCallback, HLRCallback, parse_callback

PHONE = "79991234567"
MOSCOW = timezone(timedelta(hours=3))


def parse(**fields: str) -> DeliveryStatusCallback:
    """Parse a callback with id 182, the test phone and status 1, plus ``fields``."""
    return parse_callback(
        {"id": "182", "phone": PHONE, "status": "1", **fields},
        secrets=None,
        require_signature=False,
    )


def without(name: str) -> dict[str, str]:
    fields = {"id": "182", "phone": PHONE, "status": "1"}
    del fields[name]
    return fields


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("fields", "attribute", "expected"),
    [
        ({"id": "182"}, "id", 182),
        ({"id": "order-17"}, "id", "order-17"),
        ({"id": "0123"}, "id", "0123"),
        ({"status": "1"}, "status", StatusCode.DELIVERED),
        ({"status": "-3"}, "status", StatusCode.NOT_FOUND),
        ({"status": "77"}, "status", 77),
        ({"err": "6"}, "error", DeliveryError.SUBSCRIBER_OFFLINE),
        ({"err": "900"}, "error", 900),
        ({"cnt": "3"}, "sms_count", 3),
        ({"type": "1"}, "type", MessageType.FLASH),
        ({"type": "42"}, "type", 42),
        ({"cost": "1.20"}, "cost", Decimal("1.20")),
        ({"sender": "avto-disp"}, "sender", "avto-disp"),
        ({"message": "Код: 1234, спасибо"}, "message", "Код: 1234, спасибо"),
        ({"country": "Россия"}, "country", "Россия"),
        ({"operator": "МегаФон"}, "operator", "МегаФон"),
        ({"region": "г.Москва и Московская область"}, "region", "г.Москва и Московская область"),
    ],
)
def test_field_is_parsed_into_its_type(
    fields: dict[str, str], attribute: str, expected: object
) -> None:
    value = getattr(parse(**fields), attribute)

    assert value == expected
    assert type(value) is type(expected)


def test_phone_is_kept_exactly_as_sent() -> None:
    assert parse(phone="+7 (999) 123-45-67").phone == "+7 (999) 123-45-67"


def test_ts_becomes_an_aware_datetime() -> None:
    assert parse(ts="1577550022").time == datetime(2019, 12, 28, 19, 20, 22, tzinfo=MOSCOW)


def test_time_text_is_read_as_moscow_time_by_default() -> None:
    moment = parse(time="28.12.2019 19:20:22").time

    assert moment == datetime(2019, 12, 28, 16, 20, 22, tzinfo=timezone.utc)


def test_time_text_is_read_in_the_configured_zone() -> None:
    callback = parse_callback(
        {"id": "1", "phone": PHONE, "status": "1", "time": "28.12.2019 19:20:22"},
        secrets=None,
        require_signature=False,
        tz="Asia/Almaty",
    )

    assert callback.time == datetime(2019, 12, 28, 13, 20, 22, tzinfo=timezone.utc)


def test_the_default_zone_is_the_one_moscow_constant_and_needs_no_time_zone_database() -> None:
    # Moscow has kept UTC+3 without daylight saving time since 2014: a fixed offset, the same
    # one the status answers' dates are read in.
    assert callbacks.DEFAULT_TIMEZONE is MOSCOW_ZONE
    assert callbacks.DEFAULT_TIMEZONE.utcoffset(None) == timedelta(hours=3)


def test_ts_wins_over_time_text() -> None:
    callback = parse(ts="1577550022", time="01.01.2000 00:00:00")

    assert callback.time == datetime(2019, 12, 28, 16, 20, 22, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "attribute", ["error", "time", "sms_count", "type", "cost", "sender", "message", "region"]
)
def test_absent_optional_field_is_none(attribute: str) -> None:
    assert getattr(parse(), attribute) is None


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("err", "error"),
        ("ts", "time"),
        ("time", "time"),
        ("cnt", "sms_count"),
        ("cost", "cost"),
        ("type", "type"),
        ("sender", "sender"),
        ("operator", "operator"),
    ],
)
def test_empty_optional_field_is_none(name: str, attribute: str) -> None:
    assert getattr(parse(**{name: ""}), attribute) is None


def test_unknown_fields_are_kept_in_extra() -> None:
    callback = parse(syserr="0", crc32="abc", new_field="значение")

    assert callback.extra == {"syserr": "0", "crc32": "abc", "new_field": "значение"}


def test_signature_fields_are_not_kept_in_extra() -> None:
    assert parse(md5="a" * 32, sha1="b" * 40).extra == {}


def test_known_fields_are_not_repeated_in_extra() -> None:
    assert parse(err="0", ts="1577550022", cnt="1", cost="1.5", sender="x").extra == {}


# --------------------------------------------------------------------------- HLR


def test_plain_status_callback_is_not_hlr() -> None:
    callback = parse(type="0")

    assert type(callback) is DeliveryStatusCallback


def test_type_4_makes_an_hlr_callback() -> None:
    assert isinstance(parse(type="4"), HLRCallback)


@pytest.mark.parametrize("name", ["imsi", "msc", "mcc", "mnc", "cn", "net", "rcn", "rnet"])
def test_any_hlr_field_makes_an_hlr_callback(name: str) -> None:
    assert isinstance(parse(**{name: ""}), HLRCallback)


@pytest.mark.parametrize(
    ("name", "attribute", "value"),
    [
        ("imsi", "imsi", "250023012345678"),
        ("msc", "msc", "79232510066"),
        ("mcc", "mcc", "250"),
        ("mnc", "mnc", "02"),
        ("cn", "home_country", "Russian Federation"),
        ("net", "home_network", "MegaFON open Joint Stock Company"),
        ("rcn", "roaming_country", "Kazakhstan"),
        ("rnet", "roaming_network", "Beeline KZ"),
    ],
)
def test_hlr_field_is_parsed(name: str, attribute: str, value: str) -> None:
    callback = parse(type="4", **{name: value})

    assert getattr(callback, attribute) == value


def test_an_hlr_callback_carries_the_hlr_model_of_status_answers() -> None:
    callback = parse(type="4", imsi="250023012345678", cn="Russia", net="MegaFon", rcn="")

    assert isinstance(callback, HLRCallback)
    assert callback.hlr == smsc.HLRInfo(imsi="250023012345678", country="Russia", network="MegaFon")
    assert (callback.home_country, callback.home_network) == ("Russia", "MegaFon")


def test_hlr_callback_keeps_status_fields_and_no_hlr_field_in_extra() -> None:
    callback = parse(err="0", ts="1577550022", imsi="250023012345678", rcn="", rnet="", x="1")

    assert isinstance(callback, HLRCallback)
    assert callback.status is StatusCode.DELIVERED
    assert callback.roaming_country is None
    assert callback.extra == {"x": "1"}


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize("name", ["id", "phone", "status"])
def test_missing_required_field_is_malformed(name: str) -> None:
    with pytest.raises(MalformedCallbackError) as caught:
        parse_callback(without(name), secrets=None, require_signature=False)

    assert caught.value.field == name


@pytest.mark.parametrize("name", ["id", "phone", "status", "md5", "sender", "extra"])
@pytest.mark.parametrize("surrogate", ["\ud800", "x\udfffy"])
def test_a_lone_surrogate_in_a_field_is_a_malformed_callback(name: str, surrogate: str) -> None:
    fields = {"id": "182", "phone": PHONE, "status": "1", "md5": "0" * 32, name: surrogate}
    for require in (True, False):
        with pytest.raises(MalformedCallbackError, match="valid Unicode") as caught:
            parse_callback(fields, secrets="secret", require_signature=require)
        assert caught.value.field == name


def test_a_lone_surrogate_in_a_field_name_is_a_malformed_callback() -> None:
    fields = {"id": "182", "phone": PHONE, "status": "1", "x\ud800": "1"}
    with pytest.raises(MalformedCallbackError, match="names must be valid Unicode"):
        parse_callback(fields, secrets="secret")


@pytest.mark.parametrize("name", ["id", "phone", "status"])
def test_blank_required_field_is_malformed(name: str) -> None:
    with pytest.raises(MalformedCallbackError) as caught:
        parse(**{name: "  "})

    assert caught.value.field == name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "delivered"),
        ("status", "1.0"),
        ("status", "1_0"),
        ("err", "none"),
        ("ts", "yesterday"),
        ("ts", "99999999999999999999"),
        ("cnt", "two"),
        ("type", "sms"),
        ("cost", "free"),
        ("cost", "NaN"),
        ("time", "2019-12-28 19:20:22"),
        ("time", "31.02.2019 10:00:00"),
    ],
)
def test_unparsable_field_is_malformed(name: str, value: str) -> None:
    with pytest.raises(MalformedCallbackError) as caught:
        parse(**{name: value})

    assert caught.value.field == name


def test_non_text_field_value_is_malformed() -> None:
    fields: dict[str, Any] = {"id": "1", "phone": PHONE, "status": "1", "upload": object()}

    with pytest.raises(MalformedCallbackError) as caught:
        parse_callback(fields, secrets=None, require_signature=False)

    assert caught.value.field == "upload"


def test_unknown_time_zone_name_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        parse_callback(
            {"id": "1", "phone": PHONE, "status": "1"},
            secrets=None,
            require_signature=False,
            tz="Mars/Olympus_Mons",
        )


@pytest.mark.parametrize("error", [CallbackSignatureError, MalformedCallbackError])
def test_callback_errors_belong_to_the_sdk_hierarchy_and_are_not_retryable(
    error: type[CallbackError],
) -> None:
    assert issubclass(error, CallbackError)
    assert issubclass(error, SMSCError)
    assert error.retryable is False


def test_callback_errors_are_exported_from_the_package() -> None:
    assert {"CallbackError", "CallbackSignatureError", "MalformedCallbackError"} <= set(
        smsc.__all__
    )


# --------------------------------------------------------------------------- model behaviour


def test_dedup_key_is_the_same_for_a_redelivered_callback() -> None:
    assert parse(ts="1577550022").dedup_key == parse(ts="1577550099").dedup_key == (182, PHONE, 1)


def test_dedup_key_differs_for_a_new_status() -> None:
    assert parse(status="0").dedup_key != parse(status="1").dedup_key


@pytest.mark.parametrize(
    ("status", "final", "delivered"),
    [("0", False, False), ("1", True, True), ("20", True, False), ("77", False, False)],
)
def test_final_and_delivered_follow_the_status(status: str, final: bool, delivered: bool) -> None:
    callback = parse(status=status)

    assert (callback.is_final, callback.is_delivered) == (final, delivered)


def test_repr_hides_phone_message_and_imsi() -> None:
    text = repr(parse(message="secret code 4321", imsi="250023012345678"))

    for private in (PHONE, "secret code 4321", "250023012345678"):
        assert private not in text


def test_model_is_frozen() -> None:
    callback = parse()

    with pytest.raises(ValidationError):
        callback.status = StatusCode.EXPIRED  # type: ignore[misc]


def test_direct_construction_turns_known_codes_into_enums() -> None:
    callback = DeliveryStatusCallback(id=1, phone=PHONE, status=3, error=1, type=4)

    assert callback.status is StatusCode.EXPIRED
    assert callback.error is DeliveryError.SUBSCRIBER_NOT_FOUND
    assert callback.type is MessageType.HLR


def test_direct_construction_refuses_a_naive_time() -> None:
    with pytest.raises(ValidationError):
        DeliveryStatusCallback(id=1, phone=PHONE, status=1, time=datetime(2020, 1, 1))


def test_debug_log_masks_the_phone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="smsc.callbacks"):
        parse()

    assert "callback accepted" in caplog.text
    assert PHONE not in caplog.text


def test_nothing_is_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="smsc.callbacks"):
        parse()
        with pytest.raises(MalformedCallbackError):
            parse(status="x")

    assert caplog.records == []
