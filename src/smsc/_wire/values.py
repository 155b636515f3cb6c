"""Bounded readers of the service's values: JSON answers, numbers, codes, ids and dates.

Network bytes are hostile: every reader here ends in a value, ``None`` or an
:class:`InvalidResponseError`, and spends a small, fixed amount of CPU and memory on any input.
The status answers (``fmt=3`` JSON) and the callbacks (form fields) read their values with the
same rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any, Final, TypeVar

from .._errors import InvalidResponseError
from .bounds import MAX_NESTING, ONE_OBJECT, count_items

__all__ = [
    "DATE_FORMAT",
    "MAX_NESTING",
    "MOSCOW",
    "MOSCOW_OFFSET",
    "decimal",
    "enum_or_int",
    "excerpt",
    "integer",
    "load_json",
    "message_id",
    "moment",
    "required",
    "text",
]

MOSCOW_OFFSET: Final = timedelta(hours=3)
"""Moscow time is UTC+3 all year (no daylight saving time since 2014); ``tz`` counts from it."""

MOSCOW: Final = timezone(MOSCOW_OFFSET, "MSK")
"""The zone of the service's ``DD.MM.YYYY hh:mm:ss`` dates (an assumption, see §6.2)."""

DATE_FORMAT: Final = "%d.%m.%Y %H:%M:%S"
"""How the service writes a date in answers and callbacks (Moscow time)."""

# Bounds of what an answer may hold (protocol reference §7: ids are 1..2147483647 or short
# text, counts and codes are small integers, amounts have a few decimals). Every number is
# checked against them BEFORE it is converted, so no answer can make a reader spend more
# than a small, fixed amount of CPU or memory on one value.
MAX_NUMBER_CHARS = 64
"""A JSON number literal or a numeric string; longer ones are refused."""
MAX_INT_DIGITS = 19
"""Ids, counts, codes, timestamps: 64-bit values at most."""
MAX_AMOUNT_EXPONENT = 30
"""Amounts between 1e-30 and 1e30 (18+ significant digits kept)."""
_INT_TEXT = re.compile(rf"[+-]?[0-9]{{1,{MAX_INT_DIGITS}}}")

_E = TypeVar("_E", bound=IntEnum)


def excerpt(body: bytes) -> str:
    """The start of an answer, for an error's ``body_excerpt``."""
    return body[:200].decode("utf-8", "replace")


def _json_int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return int(literal)


def _json_float(literal: str) -> Decimal:
    if len(literal) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return Decimal(literal)  # exact: a balance of 12345678901234567.89 keeps every digit


def _json_constant(literal: str) -> Any:
    raise ValueError(f"non-finite number {literal}")


_JSON = json.JSONDecoder(  # built once: json.loads(parse_float=) builds one per call
    parse_float=_json_float, parse_int=_json_int, parse_constant=_json_constant
)


# The C scanner under JSONDecoder.decode, called without its wrapper (set by every
# JSONDecoder since Python 2.6; not in the type stubs).
_SCAN: Callable[[str, int], tuple[Any, int]] = _JSON.scan_once  # type: ignore[attr-defined]
_JSON_SPACE = b" \t\n\r"  # JSON's whitespace (bytes.strip() alone would take \f and \v too)


def load_json(body: bytes, command: str, max_items: int = ONE_OBJECT.items) -> Any:
    """The JSON value of an answer, numbers bounded and amounts as ``Decimal``.

    Before anything is parsed, the answer's items (values and keys, see
    :func:`~smsc._wire.bounds.count_items`) are held to ``max_items`` and its nesting to
    :data:`MAX_NESTING`: no Python object is built from an answer beyond them.
    """
    stripped = body.strip(_JSON_SPACE)
    if not stripped:
        raise InvalidResponseError(f"{command}: empty answer from the service")
    items, depth = count_items(stripped, max_items)
    if items > max_items:
        raise InvalidResponseError(
            f"{command}: the answer holds more than {max_items} items",
            body_excerpt=excerpt(body),
        )
    if depth > MAX_NESTING:
        raise InvalidResponseError(
            f"{command}: the answer nests deeper than {MAX_NESTING} levels",
            body_excerpt=excerpt(body),
        )
    try:
        text = stripped.decode("utf-8")
        value, end = _SCAN(text, 0)
    except (ValueError, UnicodeDecodeError, RecursionError, StopIteration):
        raise InvalidResponseError(
            f"{command}: the answer is not JSON", body_excerpt=excerpt(body)
        ) from None
    if end != len(text):  # a value followed by more than whitespace
        raise InvalidResponseError(f"{command}: the answer is not JSON", body_excerpt=excerpt(body))
    return value


def is_whole_json(body: bytes) -> bool:
    """Cheap check that a body is a whole JSON answer (the failover transport's body check)."""
    stripped = body.strip()
    if not stripped:
        return False
    return (stripped[:1], stripped[-1:]) in ((b"{", b"}"), (b"[", b"]"))


def bounded_decimal(value: Any) -> Decimal | None:
    """A finite Decimal of at most ``MAX_NUMBER_CHARS`` characters, or None; never slow."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = Decimal(value)  # already bounded by _json_int
    elif isinstance(value, str):
        stripped = value.strip()
        if not stripped or len(stripped) > MAX_NUMBER_CHARS:
            return None
        try:
            value = Decimal(stripped)
        except InvalidOperation:
            return None
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    return value


def integer(value: Any, default: int | None = None) -> int | None:
    """An integer field; a value that cannot be one (or is out of range) gives None."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if abs(value) < 10**MAX_INT_DIGITS else None
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    number = bounded_decimal(value)
    # "1.0" or "1e3" are integers too; "1e999999999" is refused before int() is tried.
    if (
        number is None
        or number.adjusted() >= MAX_INT_DIGITS
        or number != number.to_integral_value()
    ):
        return None
    return int(number)


def decimal(value: Any) -> Decimal | None:
    """An amount; non-finite, too long or absurdly scaled values give None."""
    if value is None or value == "":
        return None
    number = bounded_decimal(value)
    if number is None or not number or abs(number.adjusted()) <= MAX_AMOUNT_EXPONENT:
        return number
    return None


def message_id(value: Any, command: str, body: bytes) -> int | str | None:
    """A message id of an answer: a number, or short text kept as it is."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_CHARS:
            raise InvalidResponseError(
                f"{command}: message id too long", body_excerpt=excerpt(body)
            )
        return value
    number = integer(value)
    if number is None:
        raise InvalidResponseError(f"{command}: unreadable message id", body_excerpt=excerpt(body))
    return number


def text(value: Any) -> str | None:
    """A text field (``None`` stays ``None``)."""
    if value is None:
        return None
    return str(value)


def enum_or_int(enum: type[_E], value: Any) -> _E | int | None:
    """A documented code as its enum member, an unknown one as a plain int (kept, not lost)."""
    number = integer(value)
    if number is None:
        return None
    try:
        return enum(number)
    except ValueError:
        return number


def required(data: Mapping[str, Any], key: str, command: str, body: bytes) -> Any:
    """``data[key]``, or an ``InvalidResponseError`` naming the missing field."""
    if key not in data:
        raise InvalidResponseError(
            f"{command}: field {key!r} missing from the answer", body_excerpt=excerpt(body)
        )
    return data[key]


def moment(timestamp: Any, date: Any) -> datetime | None:
    """An aware UTC time from a Unix ``timestamp``, else from a Moscow-time ``date`` text."""
    seconds = integer(timestamp)
    if seconds is not None and seconds > 0:
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass  # not a real moment: the date text, if any, says more
    if isinstance(date, str) and date.strip():
        try:
            local = datetime.strptime(date.strip(), DATE_FORMAT)
        except ValueError:
            return None
        return local.replace(tzinfo=MOSCOW).astimezone(timezone.utc)
    return None
