"""The ``send`` argument rules: phones, sender, id, message, time, tz, valid, period, freq."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone

import pytest

from smsc import MessageFormat, RequestValidationError
from smsc._text import (
    MAX_MESSAGE_LENGTH,
    format_time,
    format_valid,
    parse_phones,
    resolve_time,
    validate_freq,
    validate_message,
    validate_message_id,
    validate_period,
    validate_sender,
    validate_tz,
)


def field_refused(call: Callable[[], object]) -> str | None:
    """The ``field`` of the RequestValidationError that ``call`` raises (fails if none)."""
    with pytest.raises(RequestValidationError) as caught:
        call()
    return caught.value.field


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        pytest.param("79991234567", ("79991234567",), id="plain"),
        pytest.param("+79991234567", ("+79991234567",), id="plus-kept"),
        pytest.param("89991234567", ("89991234567",), id="leading-8-not-rewritten"),
        pytest.param("+7 (999) 123-45-67", ("+79991234567",), id="layout-removed"),
        pytest.param(
            "79991234567, +79991234568; 89991234569",
            ("79991234567", "+79991234568", "89991234569"),
            id="comma-and-semicolon",
        ),
        pytest.param("79991234567,,79991234568,", ("79991234567", "79991234568"), id="empties"),
        pytest.param("G123", ("G123",), id="group"),
        pytest.param("G5, 79991234567", ("G5", "79991234567"), id="group-and-number"),
        pytest.param(
            ["79991234567", "+1 (202) 555-0100"], ("79991234567", "+12025550100"), id="list"
        ),
        pytest.param(
            ("79991234567;79991234568",), ("79991234567", "79991234568"), id="tuple-split"
        ),
        pytest.param("79991234567,79991234567", ("79991234567", "79991234567"), id="repeats-kept"),
        pytest.param("1234567", ("1234567",), id="seven-digits"),
        pytest.param("123456789012345", ("123456789012345",), id="fifteen-digits"),
        pytest.param("7\u00a0999\t123 45 67", ("79991234567",), id="other-spaces"),
    ],
)
def test_parse_phones_accepts_number_forms(
    phones: str | Sequence[str], expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones) == expected


@pytest.mark.parametrize(
    "phones",
    [
        pytest.param("", id="empty"),
        pytest.param(" , ; ", id="only-separators"),
        pytest.param([], id="empty-list"),
        pytest.param("123456", id="too-short"),
        pytest.param("1234567890123456", id="too-long"),
        pytest.param("7999abc4567", id="letters"),
        pytest.param("++79991234567", id="double-plus"),
        pytest.param("7999+1234567", id="inner-plus"),
        pytest.param("7.999.123.45.67", id="dots"),
        pytest.param("G", id="group-without-id"),
        pytest.param("g123", id="lowercase-group"),
        pytest.param("Gabc", id="group-with-letters"),
        pytest.param("someone@example.com", id="email-for-sms"),
        pytest.param("@nickname", id="nickname-for-sms"),
    ],
)
def test_parse_phones_refuses_what_cannot_be_a_number(phones: str | Sequence[str]) -> None:
    assert field_refused(lambda: parse_phones(phones)) == "phones"


def test_parse_phones_error_masks_the_offending_number() -> None:
    with pytest.raises(RequestValidationError) as caught:
        parse_phones("79991234567, 79991234xyz")
    assert "79991234xyz" not in str(caught.value)
    assert "item 2" in str(caught.value)


@pytest.mark.parametrize("phones", [12345678901, [79991234567], None])
def test_parse_phones_refuses_non_strings(phones: object) -> None:
    assert field_refused(lambda: parse_phones(phones)) == "phones"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        ("a@example.com", ("a@example.com",)),
        ("a@example.com, b.c+d@mail.example.org", ("a@example.com", "b.c+d@mail.example.org")),
    ],
)
def test_parse_phones_accepts_email_addresses_for_mail(
    phones: str, expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones, format=MessageFormat.MAIL) == expected


@pytest.mark.parametrize(
    "phones", ["79991234567", "a@localhost", "a b@example.com", "@example.com"]
)
def test_parse_phones_refuses_non_addresses_for_mail(phones: str) -> None:
    assert field_refused(lambda: parse_phones(phones, format=MessageFormat.MAIL)) == "phones"


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        ("durov", ("durov",)),
        ("@some_user", ("@some_user",)),
        ("#123456789", ("#123456789",)),
        ("+7 999 123 45 67, #42", ("+79991234567", "#42")),
    ],
)
def test_parse_phones_accepts_nicknames_and_ids_for_telegram(
    phones: str, expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones, format=MessageFormat.TELEGRAM) == expected


@pytest.mark.parametrize("phones", ["#", "#12a", "1nick", "bad nick", "x" * 33])
def test_parse_phones_refuses_bad_telegram_recipients(phones: str) -> None:
    assert field_refused(lambda: parse_phones(phones, format=MessageFormat.TELEGRAM)) == "phones"


# --------------------------------------------------------------------------- sender


@pytest.mark.parametrize(
    "sender",
    [
        "",
        ".",
        "SMSC.RU",
        "My Shop",
        "ABCDEFGHIJK",
        "Shop-24!",
        "79991234567",
        "123456789012345",
        "+79991234567",
    ],
)
def test_validate_sender_accepts_valid_names_and_numbers(sender: str) -> None:
    assert validate_sender(sender) == sender


@pytest.mark.parametrize(
    "sender",
    [
        pytest.param("ABCDEFGHIJKL", id="12-chars"),
        pytest.param("1234567890123456", id="16-digits"),
        pytest.param("Магазин", id="cyrillic"),
        pytest.param("   ", id="only-spaces"),
        pytest.param("--", id="only-punctuation"),
        pytest.param("Shop\n", id="newline"),
    ],
)
def test_validate_sender_refuses_invalid_names(sender: str) -> None:
    assert field_refused(lambda: validate_sender(sender)) == "sender"


def test_validate_sender_accepts_an_email_for_mail() -> None:
    assert validate_sender("news@example.com", format=MessageFormat.MAIL) == "news@example.com"


def test_validate_sender_refuses_a_name_for_mail() -> None:
    assert field_refused(lambda: validate_sender("MyShop", format=MessageFormat.MAIL)) == "sender"


def test_validate_sender_refuses_non_string() -> None:
    assert field_refused(lambda: validate_sender(123)) == "sender"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- id


@pytest.mark.parametrize(
    "value", [1, 2_147_483_647, "order-42", "a.b_c-D9", "x" * 40, "007", "2147483648"]
)
def test_validate_message_id_accepts_and_keeps_valid_ids(value: int | str) -> None:
    result = validate_message_id(value)
    assert (result, type(result)) == (value, type(value))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(0, id="zero"),
        pytest.param(-5, id="negative"),
        pytest.param(2_147_483_648, id="above-int32"),
        pytest.param(True, id="bool"),
        pytest.param("", id="empty-string"),
        pytest.param("x" * 41, id="41-chars"),
        pytest.param("order 42", id="space"),
        pytest.param("заказ", id="cyrillic"),
        pytest.param(1.5, id="float"),
    ],
)
def test_validate_message_id_refuses_invalid_ids(value: int | str) -> None:
    assert field_refused(lambda: validate_message_id(value)) == "id"


# --------------------------------------------------------------------------- message


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("Hello", MessageFormat.SMS),
        ("x" * MAX_MESSAGE_LENGTH, MessageFormat.SMS),
        ("", MessageFormat.HLR),
        ("", MessageFormat.PING),
        ("x" * 5000, MessageFormat.MAIL),
    ],
)
def test_validate_message_accepts_valid_texts(text: str, format: MessageFormat) -> None:
    assert validate_message(text, format=format) == text


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("", MessageFormat.SMS),
        ("", MessageFormat.VIBER),
        ("x" * (MAX_MESSAGE_LENGTH + 1), MessageFormat.SMS),
        ("x" * (MAX_MESSAGE_LENGTH + 1), MessageFormat.FLASH),
    ],
)
def test_validate_message_refuses_empty_or_too_long_texts(text: str, format: MessageFormat) -> None:
    assert field_refused(lambda: validate_message(text, format=format)) == "message"


def test_validate_message_error_does_not_echo_the_text() -> None:
    text = "secret " * 200
    with pytest.raises(RequestValidationError) as caught:
        validate_message(text)
    assert "secret" not in str(caught.value)


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("3112251830", id="DDMMYYhhmm"),
        pytest.param("29.02.24 00:00", id="dotted-leap-day"),
        pytest.param("9-21", id="hour-window"),
        pytest.param("0-24", id="whole-day-window"),
        pytest.param("01735689600", id="unix-timestamp"),
        pytest.param("+30", id="relative-minutes"),
        pytest.param("0", id="now"),
    ],
)
def test_format_time_accepts_and_keeps_documented_strings(value: str) -> None:
    assert format_time(value) == value


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("3202251830", id="day-32"),
        pytest.param("29.02.25 10:00", id="not-a-leap-year"),
        pytest.param("31.12.25 24:00", id="hour-24"),
        pytest.param("31.12.2025 10:00", id="four-digit-year"),
        pytest.param("21-9", id="window-reversed"),
        pytest.param("9-25", id="window-past-24"),
        pytest.param("+", id="plus-only"),
        pytest.param("+-5", id="negative-relative"),
        pytest.param("tomorrow", id="word"),
        pytest.param("", id="empty"),
        pytest.param(" +30", id="leading-space"),
    ],
)
def test_format_time_refuses_other_strings(value: str) -> None:
    assert field_refused(lambda: format_time(value)) == "time"


def test_format_time_aware_datetime_becomes_zero_prefixed_unix_seconds() -> None:
    moment = datetime(2025, 1, 1, 3, 0, 30, tzinfo=timezone(timedelta(hours=3)))
    assert format_time(moment) == "01735689630"


def test_format_time_naive_datetime_becomes_dotted_local_form() -> None:
    assert format_time(datetime(2025, 3, 7, 9, 5, 59)) == "07.03.25 09:05"


def test_format_time_naive_datetime_outside_two_digit_years_is_refused() -> None:
    assert field_refused(lambda: format_time(datetime(1999, 12, 31, 23, 59))) == "time"


def test_format_time_aware_datetime_before_1970_is_refused() -> None:
    assert field_refused(lambda: format_time(datetime(1969, 12, 31, tzinfo=timezone.utc))) == "time"


@pytest.mark.parametrize(
    ("delay", "expected"),
    [
        (timedelta(0), "+0"),
        (timedelta(minutes=90), "+90"),
        (timedelta(minutes=5, seconds=1), "+6"),
        (timedelta(microseconds=1), "+1"),
        (timedelta(days=1), "+1440"),
    ],
)
def test_format_time_timedelta_becomes_whole_minutes_rounded_up(
    delay: timedelta, expected: str
) -> None:
    assert format_time(delay) == expected


def test_format_time_negative_timedelta_is_refused() -> None:
    assert field_refused(lambda: format_time(timedelta(minutes=-1))) == "time"


def test_format_time_refuses_other_types() -> None:
    assert field_refused(lambda: format_time(1735689600)) == "time"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tz


@pytest.mark.parametrize("tz", [-12, -1, 0, 3, 12])
def test_validate_tz_accepts_hours_from_minus_12_to_12(tz: int) -> None:
    assert validate_tz(tz) == tz


@pytest.mark.parametrize("tz", [-13, 13, True, 1.5, "3"])
def test_validate_tz_refuses_out_of_range_or_non_integer(tz: int) -> None:
    assert field_refused(lambda: validate_tz(tz)) == "tz"


# --------------------------------------------------------------------------- valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1"),
        (24, "24"),
        ("12", "12"),
        ("00:01", "00:01"),
        ("24:00", "24:00"),
        ("01:30", "01:30"),
        (timedelta(hours=2, minutes=30), "02:30"),
        (timedelta(seconds=1), "00:01"),
        (timedelta(hours=24), "24:00"),
    ],
)
def test_format_valid_accepts_hours_and_clock_forms(
    value: int | str | timedelta, expected: str
) -> None:
    assert format_valid(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        0,
        25,
        True,
        "0",
        "25",
        "00:00",
        "24:01",
        "12:60",
        "1:30",
        "",
        timedelta(0),
        timedelta(hours=25),
        1.5,
    ],
)
def test_format_valid_refuses_out_of_range_values(value: int | str | timedelta) -> None:
    assert field_refused(lambda: format_valid(value)) == "valid"


# --------------------------------------------------------------------------- period, freq


@pytest.mark.parametrize(
    ("hours", "expected"), [(0.1, "0.1"), (1, "1"), (24.0, "24"), (2.5, "2.5"), (720, "720")]
)
def test_validate_period_accepts_hours_from_0_1_to_720(hours: float, expected: str) -> None:
    assert validate_period(hours) == expected


@pytest.mark.parametrize("hours", [0, 0.09, 720.5, -1, float("nan"), float("inf"), True, "24"])
def test_validate_period_refuses_out_of_range_values(hours: float) -> None:
    assert field_refused(lambda: validate_period(hours)) == "period"


@pytest.mark.parametrize(("minutes", "expected"), [(1, "1"), (60, "60"), (1440, "1440")])
def test_validate_freq_accepts_minutes_from_1_to_1440(minutes: int, expected: str) -> None:
    assert validate_freq(minutes) == expected


@pytest.mark.parametrize("minutes", [0, 1441, -5, 1.5, True, "60"])
def test_validate_freq_refuses_out_of_range_values(minutes: int) -> None:
    assert field_refused(lambda: validate_freq(minutes)) == "freq"


# --------------------------------------------------------------------------- resolve_time

MSK = timezone(timedelta(hours=3))
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    ("value", "tz", "expected"),
    [
        pytest.param("0", None, NOW, id="zero-is-now"),
        pytest.param("+30", None, NOW + timedelta(minutes=30), id="relative"),
        pytest.param("0201251830", None, datetime(2025, 1, 2, 18, 30, tzinfo=MSK), id="compact"),
        pytest.param(
            "02.01.25 18:30",
            2,
            datetime(2025, 1, 2, 18, 30, tzinfo=timezone(timedelta(hours=5))),
            id="dotted-with-tz",
        ),
        pytest.param(
            "01735776000", None, datetime(2025, 1, 2, tzinfo=timezone.utc), id="unix-seconds"
        ),
        pytest.param("31.12.24 10:00", None, NOW, id="past-time-is-now"),
        pytest.param("14-18", None, datetime(2025, 1, 1, 14, 0, tzinfo=MSK), id="before-window"),
        pytest.param("9-21", None, NOW, id="inside-window"),
        pytest.param("8-11", None, datetime(2025, 1, 2, 8, 0, tzinfo=MSK), id="after-window"),
        pytest.param(
            "14-18",
            -1,
            datetime(2025, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
            id="window-in-tz",
        ),
    ],
)
def test_resolve_time_reads_each_form_as_documented(
    value: str, tz: int | None, expected: datetime
) -> None:
    assert resolve_time(value, now=NOW, tz=tz) == expected


def test_resolve_time_refuses_a_malformed_value() -> None:
    assert field_refused(lambda: resolve_time("tomorrow", now=NOW)) == "time"


def test_resolve_time_refuses_an_out_of_range_unix_time() -> None:
    assert field_refused(lambda: resolve_time("0" + "9" * 20, now=NOW)) == "time"


def test_resolve_time_refuses_a_bad_tz() -> None:
    assert field_refused(lambda: resolve_time("+5", now=NOW, tz=20)) == "tz"


def test_resolve_time_refuses_a_naive_now() -> None:
    assert field_refused(lambda: resolve_time("+5", now=datetime(2025, 1, 1, 12, 0))) == "now"
