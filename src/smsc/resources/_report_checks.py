"""Checks of the resources' arguments: days and periods, counts, ids, phone and e-mail filters.

Each raises :class:`RequestValidationError` naming the argument before anything is sent; a
refused phone or address is shown masked, never whole.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime

from .._base_client import NotGiven, TimeoutArg
from .._enums import MessageFormat, MessageType
from .._errors import RequestValidationError
from .._rules.arguments import check_timeout
from .._rules.recipients import parse_phones
from .._wire.values import MOSCOW

__all__ = [
    "add_months",
    "check_count",
    "check_day",
    "check_emails",
    "check_message_type",
    "check_period",
    "check_phones",
    "check_record_id",
    "check_timeout_arg",
]

PhonesArg = str | Sequence[str] | None
"""Phone numbers: one string (``,``/``;`` separated), a sequence of strings, or ``None``."""


def check_day(value: object, *, field: str) -> date:
    """A day: a ``date``, or a ``datetime`` (an aware one is read in Moscow time, the
    service's zone; a naive one as it is)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(MOSCOW)
        return value.date()
    if isinstance(value, date):
        return value
    raise RequestValidationError(
        f"{field} must be a date or a datetime, not {type(value).__name__}", field=field
    )


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_period(start: object, end: object, *, max_months: int | None = None) -> tuple[date, date]:
    """``start`` and ``end`` as days, ``start`` not after ``end`` and, with ``max_months``,
    ``end`` at most that many calendar months after ``start``."""
    first = check_day(start, field="start")
    last = check_day(end, field="end")
    if first > last:
        raise RequestValidationError("start must not be after end", field="start")
    if max_months is not None and last > add_months(first, max_months):
        raise RequestValidationError(
            f"the period from start to end may be at most {max_months} months", field="end"
        )
    return first, last


def check_count(value: object, *, field: str, low: int, high: int) -> int:
    """A whole number in ``low..high`` (a bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RequestValidationError(
            f"{field} must be a whole number from {low} to {high}", field=field
        )
    return value


def check_record_id(value: object, *, field: str) -> int | None:
    """An optional id of the service's records (a positive whole number), or ``None``."""
    if value is None:
        return None
    return check_count(value, field=field, low=1, high=2**63 - 1)


def _renamed(exc: RequestValidationError, field: str) -> RequestValidationError:
    # parse_phones names its own argument ("phones"); the caller's may be another one.
    message = str(exc)
    if message.startswith("phones"):
        message = field + message[len("phones") :]
    return RequestValidationError(message, field=field)


def check_phones(value: PhonesArg, *, field: str, required: bool = False) -> tuple[str, ...]:
    """Phone numbers (no ``G<group>`` references); empty when ``None`` and not required."""
    if value is None and not required:
        return ()
    try:
        phones = parse_phones(value if value is not None else "")
    except RequestValidationError as exc:
        raise _renamed(exc, field) from None
    for position, phone in enumerate(phones, start=1):
        if phone.startswith("G"):
            raise RequestValidationError(
                f"{field}: item {position} is a contact group; give phone numbers", field=field
            )
    return phones


def check_emails(value: PhonesArg, *, field: str) -> tuple[str, ...]:
    """E-mail addresses, or empty when ``None``."""
    if value is None:
        return ()
    try:
        return parse_phones(value, format=MessageFormat.MAIL)
    except RequestValidationError as exc:
        raise _renamed(exc, field) from None


def check_message_type(value: object, *, field: str) -> int | None:
    """A :class:`MessageType` (or its number), or ``None``."""
    if value is None:
        return None
    if not isinstance(value, bool) and isinstance(value, int):
        try:
            return int(MessageType(value))
        except ValueError:
            pass
    raise RequestValidationError(f"{field} must be a MessageType", field=field)


def check_timeout_arg(timeout: TimeoutArg) -> None:
    """Refuse a bad per-call ``timeout`` now, not at the first request of a lazy walk."""
    if not isinstance(timeout, NotGiven):
        check_timeout(timeout)
