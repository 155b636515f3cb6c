"""Helpers shared by the command handlers."""

from __future__ import annotations

__all__ = ["Refused", "int_param"]


class Refused(Exception):
    """The request ends with the error answer ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


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
