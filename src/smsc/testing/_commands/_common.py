"""Helpers shared by the command handlers."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from .._answers import Answer, ErrorAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState
from .._values import normalize_phone

__all__ = [
    "Action",
    "Refused",
    "add_months",
    "day_param",
    "dispatch",
    "id_param",
    "int_param",
    "money_text",
    "period",
    "phone_list",
    "phone_param",
    "text_param",
]


class Refused(Exception):
    """The request ends with the error answer ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


Action = Callable[[ServiceState, Account, Request], Answer]
"""One action of a multi-action command (``senders.php?add=1``, ...)."""


def dispatch(
    actions: Mapping[str, Action], state: ServiceState, account: Account, request: Request
) -> Answer:
    """Run the action whose flag the request sets (the first of ``actions`` that is set);
    error 1 when none is, and the error of a :class:`Refused` action."""
    try:
        for flag, action in actions.items():
            if request.flag(flag):
                return action(state, account, request)
        raise Refused(1)
    except Refused as refused:
        return ErrorAnswer.of(refused.code)


def int_param(value: str | None, default: int, low: int, high: int) -> int:
    """An integer parameter in ``low..high`` (``default`` when absent or empty).

    Raises:
        Refused: error 1 when it is not a number in range.
    """
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise Refused(1) from None
    if not low <= number <= high:
        raise Refused(1)
    return number


def text_param(request: Request, name: str, *, max_length: int = 1000) -> str:
    """A required, non-empty text parameter (stripped).

    Raises:
        Refused: error 1 when it is missing, empty or longer than ``max_length``.
    """
    value = (request.get(name) or "").strip()
    if not value or len(value) > max_length:
        raise Refused(1)
    return value


def id_param(request: Request, name: str = "id") -> int:
    """A required positive record id.

    Raises:
        Refused: error 1 when it is missing or not a positive number.
    """
    return int_param(request.get(name) or "x", 0, 1, 2**31 - 1)


def phone_param(request: Request, name: str = "phone") -> str:
    """A required phone number, normalized (digits only).

    Raises:
        Refused: error 1 when it is missing or not 7-15 digits.
    """
    phone = normalize_phone(request.get(name) or "")
    if not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise Refused(1)
    return phone


def phone_list(raw: str | None) -> list[str]:
    """A ``,``/``;`` separated list of numbers, normalized; empty when absent.

    Raises:
        Refused: error 1 for an item that is not 7-15 digits.
    """
    phones = [normalize_phone(item) for item in re.split(r"[,;]", raw or "") if item.strip()]
    if any(not (phone.isdigit() and 7 <= len(phone) <= 15) for phone in phones):
        raise Refused(1)
    return phones


def day_param(raw: str | None, zone: tzinfo) -> date | None:
    """A ``dd.mm.yyyy`` date parameter (``None`` when absent).

    Raises:
        Refused: error 1 when it is not such a date.
    """
    if raw is None or not raw.strip():
        return None
    try:
        return datetime.strptime(raw.strip(), "%d.%m.%Y").replace(tzinfo=zone).date()
    except ValueError:
        raise Refused(1) from None


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the day clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def period(
    request: Request, now: float, zone: tzinfo, *, max_months: int | None
) -> tuple[float, float]:
    """The ``start``..``end`` days of a request as Unix seconds (start of ``start`` to the
    end of ``end``, in ``zone``); both default to today, a missing ``start`` to ``end``.

    Raises:
        Refused: error 1 for a malformed date, ``start`` after ``end``, or a range longer
            than ``max_months`` calendar months.
    """
    today = datetime.fromtimestamp(now, tz=zone).date()
    end = day_param(request.get("end"), zone) or today
    start = day_param(request.get("start"), zone) or end
    if start > end or (max_months is not None and end > add_months(start, max_months)):
        raise Refused(1)
    first = datetime.combine(start, time.min, tzinfo=zone).timestamp()
    after_last = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).timestamp()
    return first, after_last


def money_text(value: Decimal) -> str:
    """Money as the service writes it: a string with two decimals."""
    return f"{value:.2f}"
