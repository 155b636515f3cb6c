"""Schedule rules: ``time``, ``tz``, ``valid``, ``period`` and ``freq`` checked offline.

Pure (no clock except where a caller passes ``now``). Each check returns a typed value; the
wire layer (``smsc._wire.forms``) writes it as the service reads it. :func:`resolve_time` reads
a ``time`` string the way the service documents it, for the emulator and for previews.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

from .._errors import RequestValidationError
from .._wire.values import MOSCOW_OFFSET

__all__ = [
    "TimeValue",
    "ValidValue",
    "resolve_time",
    "validate_freq",
    "validate_period",
    "validate_time",
    "validate_tz",
    "validate_valid",
]

TimeValue = str | datetime | timedelta
"""A ``time`` (scheduled send): a documented string, a datetime or a delay."""
ValidValue = int | str | timedelta
"""A ``valid`` (message lifetime): hours, ``"hh:mm"`` or a delay."""

_TIME_COMPACT = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})")
_TIME_DOTTED = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2}) ([0-9]{2}):([0-9]{2})")
_TIME_HOURS = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")
_TIME_UNIX = re.compile(r"0[0-9]+")
_TIME_RELATIVE = re.compile(r"\+[0-9]+")
_VALID_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")
_VALID_HOURS = re.compile(r"[0-9]{1,2}")
_MINUTE = timedelta(minutes=1)


def _time_error(detail: str) -> RequestValidationError:
    return RequestValidationError(f"time: {detail}", field="time")


def _calendar_time(match: re.Match[str], zone: timezone | None = None) -> datetime | None:
    """The datetime a ``DDMMYYhhmm`` / ``DD.MM.YY hh:mm`` match names, ``None`` if none."""
    day, month, year, hour, minute = (int(group) for group in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None


def _check_time_string(value: str) -> str:
    calendar = _TIME_COMPACT.fullmatch(value) or _TIME_DOTTED.fullmatch(value)
    if calendar is not None:
        if _calendar_time(calendar) is not None:
            return value
        raise _time_error("not a real date and time (DDMMYYhhmm or DD.MM.YY hh:mm)")
    hours = _TIME_HOURS.fullmatch(value)
    if hours is not None:
        first, last = int(hours[1]), int(hours[2])
        if 0 <= first < last <= 24:
            return value
        raise _time_error("an hour window h1-h2 needs 0 <= h1 < h2 <= 24")
    if value == "0" or _TIME_UNIX.fullmatch(value) or _TIME_RELATIVE.fullmatch(value):
        return value
    raise _time_error(
        "expected DDMMYYhhmm, 'DD.MM.YY hh:mm', h1-h2, 0<unix seconds>, +<minutes> or 0"
    )


def _whole_minutes_up(delta: timedelta) -> int:
    """Minutes in ``delta``, a started minute counting as a whole one."""
    minutes, rest = divmod(delta, _MINUTE)
    return int(minutes) + (1 if rest else 0)


def validate_time(value: TimeValue) -> TimeValue:
    """Check a ``time`` (scheduled send) and return it unchanged.

    - ``str``: one of ``DDMMYYhhmm``, ``DD.MM.YY hh:mm``, ``h1-h2`` (hour window,
      ``0 <= h1 < h2 <= 24``), ``0<unix seconds>``, ``+<minutes>`` or ``0`` (now). Ten digits
      are read as ``DDMMYYhhmm``, a longer run of digits starting with ``0`` as a Unix time.
    - aware ``datetime``: sent as a Unix time (absolute, so ``tz`` does not matter); not
      before 1970.
    - naive ``datetime``: sent as ``DD.MM.YY hh:mm`` (seconds dropped), read by the service
      in the zone given by ``tz``, or the account's zone when ``tz`` is absent. Years must be
      2000..2099 (the format has two digits).
    - ``timedelta``: sent as whole minutes from now (a started minute counts); must be >= 0.

    Raises:
        RequestValidationError: anything else (``field="time"``).
    """
    if isinstance(value, str):
        return _check_time_string(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            if math.floor(value.timestamp()) < 0:
                raise _time_error("a time before 1970 cannot be sent")
            return value
        if not 2000 <= value.year <= 2099:
            raise _time_error("a naive datetime must fall in 2000..2099")
        return value
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise _time_error("a delay must not be negative")
        return value
    raise _time_error("expected a string, a datetime or a timedelta")


def validate_tz(tz: int) -> int:
    """Check a ``tz`` value (hours relative to Moscow) and return it unchanged.

    The accepted range, -12..+12, is an assumption ([INF]): the service documents only a
    signed number of hours relative to Moscow.

    Raises:
        RequestValidationError: not an integer in -12..12 (``field="tz"``).
    """
    if isinstance(tz, bool) or not isinstance(tz, int) or not -12 <= tz <= 12:
        raise RequestValidationError(
            "tz must be a whole number of hours from -12 to 12 relative to Moscow", field="tz"
        )
    return tz


def _time_in_zone(value: str, zone: timezone, now: datetime) -> datetime:
    """The moment a checked ``time`` string names, before clamping to ``now``."""
    calendar = _TIME_COMPACT.fullmatch(value) or _TIME_DOTTED.fullmatch(value)
    if calendar is not None:
        when = _calendar_time(calendar, zone)
        if when is None:  # unreachable after _check_time_string; kept for the type checker
            raise _time_error("not a real date and time")
        return when
    if value == "0":
        return now
    if value.startswith("+"):
        return now + timedelta(minutes=int(value[1:]))
    window = _TIME_HOURS.fullmatch(value)
    if window is not None:
        first, last = int(window[1]), int(window[2])
        local = now.astimezone(zone)
        opening = local.replace(hour=first, minute=0, second=0, microsecond=0)
        if local.hour < first:
            return opening
        return now if local.hour < last else opening + timedelta(days=1)
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise _time_error("the Unix time is out of range") from None


def resolve_time(value: str, *, now: datetime, tz: int | None = None) -> datetime:
    """When a message sent at ``now`` with ``time=value`` (and ``tz``) goes out.

    For the emulator and for previews: ``value`` is checked as :func:`format_time` checks it,
    then read the way the service documents it. Calendar forms and hour windows are read in
    Moscow time shifted by ``tz`` hours; without ``tz`` the service uses the account's zone,
    which is unknown offline, so Moscow time is assumed ([INF]; Moscow is UTC+3 all year).
    A time in the past means "now".

    Args:
        value: a ``time`` string in one of the documented forms.
        now: the current moment, an aware datetime.
        tz: hours relative to Moscow, -12..12.

    Raises:
        RequestValidationError: a malformed ``value`` (``field="time"``), a bad ``tz``
            (``field="tz"``) or a naive ``now`` (``field="now"``).
    """
    _check_time_string(value)
    if now.tzinfo is None or now.utcoffset() is None:
        raise RequestValidationError("now must be an aware datetime", field="now")
    shift = 0 if tz is None else validate_tz(tz)
    zone = timezone(MOSCOW_OFFSET + timedelta(hours=shift))
    return max(_time_in_zone(value, zone, now), now)


def _valid_error() -> RequestValidationError:
    return RequestValidationError(
        "valid must be 1..24 hours or hh:mm from 00:01 to 24:00", field="valid"
    )


def validate_valid(value: ValidValue) -> ValidValue:
    """Check a ``valid`` (message lifetime) and return it unchanged.

    An ``int`` must be 1..24 (hours); a ``str`` ``"1"``..``"24"`` or ``"00:01"``..``"24:00"``;
    a ``timedelta`` must come to 00:01..24:00, a started minute counted as a whole one.

    Raises:
        RequestValidationError: out of range or malformed (``field="valid"``).
    """
    if isinstance(value, bool):
        raise _valid_error()
    if isinstance(value, int):
        if 1 <= value <= 24:
            return value
        raise _valid_error()
    if isinstance(value, timedelta):
        if 1 <= _whole_minutes_up(value) <= 24 * 60:
            return value
        raise _valid_error()
    if isinstance(value, str):
        if _VALID_HOURS.fullmatch(value) and 1 <= int(value) <= 24:
            return value
        clock = _VALID_CLOCK.fullmatch(value)
        if clock is not None:
            hours, minutes = int(clock[1]), int(clock[2])
            if minutes < 60 and 1 <= hours * 60 + minutes <= 24 * 60:
                return value
    raise _valid_error()


def validate_period(hours: float) -> float:
    """Check a ``period`` (spread a mass send over 0.1..720 hours); return it as a float.

    Raises:
        RequestValidationError: not a finite number in 0.1..720 (``field="period"``).
    """
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or not math.isfinite(hours)
        or not 0.1 <= hours <= 720
    ):
        raise RequestValidationError("period must be from 0.1 to 720 hours", field="period")
    return float(hours)


def validate_freq(minutes: int) -> int:
    """Check a ``freq`` (minutes between batches of a spread send, 1..1440); return it.

    Raises:
        RequestValidationError: not an integer in 1..1440 (``field="freq"``).
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 1440:
        raise RequestValidationError("freq must be a whole number of minutes 1..1440", field="freq")
    return minutes
