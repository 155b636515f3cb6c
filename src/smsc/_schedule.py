"""Schedule rules: ``time``, ``tz``, ``valid``, ``period`` and ``freq`` checked offline.

Pure (no clock except where a caller passes ``now``). :func:`resolve_time` reads a ``time``
string the way the service documents it, for the emulator and for previews.

NOTE: :func:`format_time`, :func:`format_valid`, :func:`validate_period` and
:func:`validate_freq` check a value AND return the string sent on the wire; ARCH-WIRE moves
those wire-string encoders into ``smsc._wire`` and leaves the validation here.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

from ._errors import RequestValidationError

__all__ = [
    "MOSCOW_UTC_OFFSET_HOURS",
    "format_time",
    "format_valid",
    "resolve_time",
    "validate_freq",
    "validate_period",
    "validate_tz",
]

MOSCOW_UTC_OFFSET_HOURS: int = 3
"""Moscow time is UTC+3 all year; ``tz`` is counted from it."""

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


def format_time(value: str | datetime | timedelta) -> str:
    """The ``time`` (scheduled send) parameter from a string, a datetime or a delay.

    - ``str``: checked to be one of ``DDMMYYhhmm``, ``DD.MM.YY hh:mm``, ``h1-h2`` (hour
      window, ``0 <= h1 < h2 <= 24``), ``0<unix seconds>``, ``+<minutes>`` or ``0`` (now),
      and returned as given. Ten digits are read as ``DDMMYYhhmm``, a longer run of digits
      starting with ``0`` as a Unix time.
    - aware ``datetime``: ``"0<unix seconds>"`` (absolute, so ``tz`` does not matter).
    - naive ``datetime``: ``"DD.MM.YY hh:mm"`` (seconds dropped); the service reads it in
      the zone given by ``tz``, or the account's zone when ``tz`` is absent. Years must be
      2000..2099 (the format has two digits).
    - ``timedelta``: ``"+<minutes>"``, a started minute counted as a whole one; must be >= 0.

    Raises:
        RequestValidationError: anything else (``field="time"``).
    """
    if isinstance(value, str):
        return _check_time_string(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            seconds = math.floor(value.timestamp())
            if seconds < 0:
                raise _time_error("a time before 1970 cannot be sent")
            return f"0{seconds}"
        if not 2000 <= value.year <= 2099:
            raise _time_error("a naive datetime must fall in 2000..2099")
        return value.strftime("%d.%m.%y %H:%M")
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise _time_error("a delay must not be negative")
        return f"+{_whole_minutes_up(value)}"
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
    zone = timezone(timedelta(hours=MOSCOW_UTC_OFFSET_HOURS + shift))
    return max(_time_in_zone(value, zone, now), now)


def _valid_error() -> RequestValidationError:
    return RequestValidationError(
        "valid must be 1..24 hours or hh:mm from 00:01 to 24:00", field="valid"
    )


def format_valid(value: int | str | timedelta) -> str:
    """The ``valid`` (message lifetime) parameter: ``1``..``24`` hours or ``hh:mm``.

    An ``int`` must be 1..24; a ``str`` is checked (``"1"``..``"24"`` or ``"00:01"``..
    ``"24:00"``) and returned as given; a ``timedelta`` becomes ``"hh:mm"`` with a started
    minute counted as a whole one and must come to 00:01..24:00.

    Raises:
        RequestValidationError: out of range or malformed (``field="valid"``).
    """
    if isinstance(value, bool):
        raise _valid_error()
    if isinstance(value, int):
        if 1 <= value <= 24:
            return str(value)
        raise _valid_error()
    if isinstance(value, timedelta):
        minutes = _whole_minutes_up(value)
        if 1 <= minutes <= 24 * 60:
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
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


def validate_period(hours: float) -> str:
    """The ``period`` parameter (spread a mass send over 0.1..720 hours) as sent.

    Whole numbers are written without a decimal point (``24`` -> ``"24"``).

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
    number = float(hours)
    return str(int(number)) if number.is_integer() else repr(number)


def validate_freq(minutes: int) -> str:
    """The ``freq`` parameter (minutes between batches of a spread send, 1..1440) as sent.

    Raises:
        RequestValidationError: not an integer in 1..1440 (``field="freq"``).
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 1440:
        raise RequestValidationError("freq must be a whole number of minutes 1..1440", field="freq")
    return str(minutes)
