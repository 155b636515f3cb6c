"""Schedule rules: time, tz, valid, period and freq, checked, then written by the wire layer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from smsc._rules.schedule import (
    resolve_time,
    validate_freq,
    validate_period,
    validate_time,
    validate_tz,
    validate_valid,
)
from smsc._wire.forms import encode_freq, encode_period, encode_time, encode_valid

from .validation import field_refused


def format_time(value: str | datetime | timedelta) -> str:
    """What the SDK sends for ``time``: the checked value as the wire layer writes it."""
    return encode_time(validate_time(value))


def format_valid(value: int | str | timedelta) -> str:
    """What the SDK sends for ``valid``."""
    return encode_valid(validate_valid(value))


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
    assert encode_period(validate_period(hours)) == expected


@pytest.mark.parametrize("hours", [0, 0.09, 720.5, -1, float("nan"), float("inf"), True, "24"])
def test_validate_period_refuses_out_of_range_values(hours: float) -> None:
    assert field_refused(lambda: validate_period(hours)) == "period"


@pytest.mark.parametrize(("minutes", "expected"), [(1, "1"), (60, "60"), (1440, "1440")])
def test_validate_freq_accepts_minutes_from_1_to_1440(minutes: int, expected: str) -> None:
    assert encode_freq(validate_freq(minutes)) == expected


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
