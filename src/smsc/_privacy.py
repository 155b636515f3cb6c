"""The one privacy rule: how phones, texts and secrets appear in logs, reprs and errors.

Phone numbers and message texts are never logged at INFO; at DEBUG, in reprs and in error
messages they appear only through :func:`mask_phone` / :func:`mask_phones` and
:func:`mask_text`. A secret (password, API key, callback secret) never appears at all: where
text that may hold one must be shown, it is replaced by :data:`REDACTED` (see
``smsc._secrets.redact``, which finds the secrets in their encoded forms too).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["REDACTED", "mask_phone", "mask_phones", "mask_text"]

REDACTED = "[redacted]"
"""What a secret found in shown text is replaced with."""


def mask_phone(phone: str) -> str:
    """A recipient safe for DEBUG logs: ``"79991234567"`` -> ``"7999***4567"``.

    Ten characters or more keep four at each end, eight or nine keep two, anything shorter
    is hidden completely (``"***"``).
    """
    if len(phone) >= 10:
        return f"{phone[:4]}***{phone[-4:]}"
    if len(phone) >= 8:
        return f"{phone[:2]}***{phone[-2:]}"
    return "***"


def mask_text(text: str) -> str:
    """A message text safe for DEBUG logs: only its length, e.g. ``"<42 chars>"``."""
    return f"<{len(text)} chars>"


def mask_phones(phones: Iterable[str]) -> str:
    """Several recipients for DEBUG logs, each masked by :func:`mask_phone`, comma-separated."""
    return ",".join(mask_phone(phone) for phone in phones)
