"""Checks of call arguments other than message content: timeouts, ``extra``, status keys.

Every check raises :class:`RequestValidationError` before anything is sent; none lets a value
through that would make a call wait forever, burn CPU or build an unbounded request.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

import httpx
from httpx._client import UseClientDefault

from .._enums import MessageFormat, StatusDetail
from .._errors import RequestValidationError
from .._wire.forms import FORMAT_FLAG_NAMES, RESERVED_FIELDS
from .recipients import parse_phones, validate_message_id

__all__ = [
    "EXTRA_NUMBER_DIGITS",
    "ExtraValue",
    "check_seconds",
    "check_timeout",
    "extra_fields",
    "message_keys",
    "status_detail",
]

ExtraValue = str | int | float | Decimal
"""A value of ``extra``: numbers are written in plain decimal notation."""

EXTRA_NUMBER_DIGITS = 30
"""A number in ``extra`` has at most this many digits before and after the decimal point."""

_EXTRA_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")


def check_seconds(value: object, *, field: str, allow_zero: bool = False) -> float:
    """A finite number of seconds, greater than zero (or at least zero with ``allow_zero``).

    Raises:
        RequestValidationError: not a number (a bool or a string is not one), NaN, infinite,
            or too small.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise RequestValidationError(
            f"{field} must be a number of seconds, not {type(value).__name__}", field=field
        )
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds):
        raise RequestValidationError(f"{field} must be a finite number of seconds", field=field)
    if seconds < 0 or (seconds == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise RequestValidationError(f"{field} must be {bound} seconds", field=field)
    return seconds


def check_timeout(
    timeout: float | httpx.Timeout | UseClientDefault | None,
) -> httpx.Timeout | UseClientDefault | None:
    """A per-call ``timeout``: seconds, an :class:`httpx.Timeout`, ``None`` (no limit but the
    call's ``retry_deadline``), or the client's default passed through as it is.

    Raises:
        RequestValidationError: anything else, or a NaN, infinite, zero or negative number.
    """
    if timeout is None or isinstance(timeout, UseClientDefault):
        return timeout
    if isinstance(timeout, httpx.Timeout):
        for name, value in timeout.as_dict().items():
            if value is not None:
                check_seconds(value, field=f"timeout.{name}")
        return timeout
    return httpx.Timeout(check_seconds(timeout, field="timeout"))


def extra_fields(extra: Mapping[str, ExtraValue] | None, *, given: set[str]) -> dict[str, str]:
    """The ``extra`` parameters of a send or cost request as form fields.

    Raises:
        RequestValidationError: a key that is not a parameter name, one the SDK sets, a value
            that is not a string or a finite number of sane size.
    """
    if not extra:
        return {}
    if not isinstance(extra, Mapping):
        raise RequestValidationError("extra must be a mapping of names to values", field="extra")
    fields: dict[str, str] = {}
    for key, value in extra.items():
        if not isinstance(key, str) or not _EXTRA_KEY.fullmatch(key):
            raise RequestValidationError(
                "extra keys must be parameter names: a letter, then up to 31 letters, digits "
                f"or '_' (got {_shown_key(key)})",
                field="extra",
            )
        if key in RESERVED_FIELDS:
            raise RequestValidationError(
                f"extra may not set {key!r}: the SDK manages it", field="extra"
            )
        if key in FORMAT_FLAG_NAMES:
            raise RequestValidationError(
                f"extra may not set {key!r}: choose the kind of message with format=",
                field="extra",
            )
        if key in given:
            raise RequestValidationError(
                f"extra sets {key!r}, which is also given as an argument", field="extra"
            )
        fields[key] = _extra_value(key, value)
    return fields


def _shown_key(key: object) -> str:
    if isinstance(key, str):
        return f"a string of {len(key)} characters"
    return f"a {type(key).__name__}"


def _extra_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RequestValidationError(
                f"extra[{key!r}] holds half of a surrogate pair: it cannot be sent as UTF-8",
                field="extra",
            ) from None
        return value
    if isinstance(value, int):
        # Bounded before any conversion: str() of a huge int is slow, or refused by Python.
        if value.bit_length() > EXTRA_NUMBER_DIGITS * 10 // 3:
            raise _number_error(key)
        return str(value)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise RequestValidationError(f"extra[{key!r}] must be a finite number", field="extra")
        # Checked on the exponent, before formatting: 1e999999999 would be a billion digits.
        if number and number.adjusted() >= EXTRA_NUMBER_DIGITS:
            raise _number_error(key)
        exponent = number.as_tuple().exponent
        if not isinstance(exponent, int) or -exponent > EXTRA_NUMBER_DIGITS:
            raise _number_error(key)
        return format(number, "f")
    raise RequestValidationError(
        f"extra[{key!r}] must be a string or a finite number", field="extra"
    )


def _number_error(key: str) -> RequestValidationError:
    return RequestValidationError(
        f"extra[{key!r}] must have at most {EXTRA_NUMBER_DIGITS} digits before and after "
        "the decimal point",
        field="extra",
    )


# --------------------------------------------------------------------------- status queries


def status_detail(detail: StatusDetail | int) -> StatusDetail:
    """``detail`` as a :class:`StatusDetail`.

    Raises:
        RequestValidationError: not 0, 1 or 2 (``field="detail"``).
    """
    try:
        return StatusDetail(detail)
    except ValueError:
        raise RequestValidationError("detail must be 0, 1 or 2", field="detail") from None


def message_keys(messages: Sequence[tuple[int | str, str]]) -> tuple[tuple[int | str, str], ...]:
    """Checked ``(id, phone)`` pairs of messages to ask about (or delete).

    Raises:
        RequestValidationError: an item is not a pair, or its id or phone is refused.
    """
    pairs = []
    for item in messages:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise RequestValidationError(
                "give each message as an (id, phone) pair", field="messages"
            )
        message_id, phone = item
        pairs.append((validate_message_id(message_id), _one_recipient(phone)))
    return tuple(pairs)


def _one_recipient(phone: str) -> str:
    # Status is asked by the recipient the message went to: a number, the address of an
    # e-mail, the nickname or #id of a Telegram user. Not by a contact group: the service
    # keeps one status per member's number.
    if not isinstance(phone, str):
        raise RequestValidationError("phone must be a string", field="phone")
    is_mail = "@" in phone.strip()[1:]
    try:
        numbers = parse_phones(
            phone, format=MessageFormat.MAIL if is_mail else MessageFormat.TELEGRAM
        )
    except RequestValidationError as exc:
        raise RequestValidationError(str(exc), field="phone") from None
    if len(numbers) != 1:
        raise RequestValidationError("give exactly one phone per message id", field="phone")
    if _GROUP.fullmatch(numbers[0]):
        raise RequestValidationError(
            "status is kept per number, not per contact group: ask for each member's number",
            field="phone",
        )
    return numbers[0]


_GROUP = re.compile(r"G[0-9]+")
