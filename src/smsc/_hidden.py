"""``HiddenText``: a secret argument of a command, hidden from ``repr`` and ``vars()``.

A leaf module (it imports nothing of the package), so both the wire layer and the resources
can hold a secret without an import cycle.
"""

from __future__ import annotations

__all__ = ["HiddenText"]


class HiddenText:
    """A secret given to a command (a sub-client's password): hidden from ``repr``/``vars()``.

    Its value lives in a slot, so an error tracker rendering a frame's locals and their
    attributes shows only ``<hidden>``. Only the wire layer reveals it, into a request body.
    """

    __slots__ = ("_hidden_value",)

    def __init__(self, value: object) -> None:
        self._hidden_value = value

    def __repr__(self) -> str:
        return "<hidden>"

    def reveal(self) -> str:
        """The secret, for the request body (checked to be text by the caller)."""
        return str(self._hidden_value)

    def __len__(self) -> int:
        return len(self._hidden_value) if isinstance(self._hidden_value, str) else 0

    def is_text(self) -> bool:
        """True when the secret is a ``str``."""
        return isinstance(self._hidden_value, str)

    def has_space(self) -> bool:
        """True when the secret holds a whitespace or control character."""
        value = self._hidden_value
        return isinstance(value, str) and any(c.isspace() or not c.isprintable() for c in value)

    def character_classes(self) -> int:
        """How many of four kinds the secret holds: letters, digits, both cases, symbols."""
        value = self._hidden_value
        if not isinstance(value, str):
            return 0
        letters = any(c.isalpha() for c in value)
        digits = any(c.isdigit() for c in value)
        cases = any(c.isupper() for c in value) and any(c.islower() for c in value)
        symbols = any(not c.isalnum() for c in value)
        return letters + digits + cases + symbols
