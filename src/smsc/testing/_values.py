"""Value rules shared by the service state and its commands: money, phones and message ids."""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["message_id_value", "money", "normalize_phone"]

_CENT = Decimal("0.01")
_NOT_IN_A_NUMBER = re.compile(r"[^0-9A-Za-z@.#_-]")


def money(value: Decimal | int | str | float) -> Decimal:
    """``value`` as a Decimal rounded to kopecks (two decimal places)."""
    return Decimal(str(value)).quantize(_CENT)


def normalize_phone(phone: str) -> str:
    """A number as the emulator stores it: digits only, without ``+`` or layout."""
    return _NOT_IN_A_NUMBER.sub("", phone).lstrip("+")


def message_id_value(raw: str) -> int | str:
    """An id as answered: a number when it is a canonical integer, else the string."""
    if raw.isdigit() and str(int(raw)) == raw:
        return int(raw)
    return raw
