"""Recipient and message rules: phones, groups, e-mail/Telegram recipients, sender, id, text.

Each ``parse_*``/``validate_*`` function checks one ``send`` argument offline and returns it
tidied or unchanged, or raises :class:`~smsc.RequestValidationError` naming the field. Facts
come from the protocol reference (§3); where it marks a rule as an inference ([INF]) the
docstring says so. Errors never echo a phone or a text: phones are shown masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from .._enums import MessageFormat
from .._errors import RequestValidationError
from .._privacy import mask_phone

__all__ = [
    "MAX_MESSAGE_ID",
    "MAX_MESSAGE_LENGTH",
    "PHONE_MAX_DIGITS",
    "PHONE_MIN_DIGITS",
    "parse_phones",
    "validate_message",
    "validate_message_id",
    "validate_sender",
]

MAX_MESSAGE_LENGTH: int = 1000
"""The longest message text the service accepts, in characters (code points; [INF] for emoji)."""

MAX_MESSAGE_ID: int = 2_147_483_647
"""The largest numeric message id (a signed 32-bit integer)."""

PHONE_MIN_DIGITS: int = 7
"""Fewest digits accepted as a phone number ([INF]: the shortest international numbers)."""

PHONE_MAX_DIGITS: int = 15
"""Most digits accepted as a phone number (the E.164 maximum)."""

_PHONE_SEPARATORS = re.compile(r"[,;]")
_PHONE_NOISE = str.maketrans("", "", " \t\u00a0-()")
_PHONE = re.compile(rf"\+?[0-9]{{{PHONE_MIN_DIGITS},{PHONE_MAX_DIGITS}}}")
_GROUP = re.compile(r"G[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_TELEGRAM = re.compile(r"@?[A-Za-z][A-Za-z0-9_]{0,31}|#[0-9]+")
_PHONE_HINT = (
    f"expected {PHONE_MIN_DIGITS}-{PHONE_MAX_DIGITS} digits with an optional leading '+', "
    "or a group reference G<id>"
)


def _items(phones: str | Sequence[str]) -> Iterator[str]:
    """Every non-empty recipient, in order, from a separated string or a sequence."""
    chunks: Sequence[str] = [phones] if isinstance(phones, str) else phones
    for chunk in chunks:
        if not isinstance(chunk, str):
            raise RequestValidationError("phones must be strings", field="phones")
        for item in _PHONE_SEPARATORS.split(chunk):
            stripped = item.strip()
            if stripped:
                yield stripped


def _normalise_number(item: str) -> str | None:
    """``item`` as a number or group reference with layout removed, ``None`` if it is neither."""
    if _GROUP.fullmatch(item):
        return item
    compact = item.translate(_PHONE_NOISE)
    return compact if _PHONE.fullmatch(compact) else None


def _recipient(item: str, format: MessageFormat) -> str | None:
    if format is MessageFormat.MAIL:
        return item if _EMAIL.fullmatch(item) else None
    number = _normalise_number(item)
    if number is None and format is MessageFormat.TELEGRAM and _TELEGRAM.fullmatch(item):
        return item
    return number


def parse_phones(
    phones: str | Sequence[str], *, format: MessageFormat = MessageFormat.SMS
) -> tuple[str, ...]:
    """Split and tidy the ``phones`` argument without changing what any number means.

    Accepts one string with items separated by ``,`` or ``;`` or a sequence of such strings.
    Inside a number, spaces, dashes and parentheses are removed; a leading ``+`` is kept
    (with it the service does not auto-correct the number); no digit is ever rewritten
    (``8...`` stays ``8...``). ``G<id>`` (a contact group) is kept as it is. Order and
    repeats are kept; empty items (``"a,,b"``, a trailing comma) are skipped.

    For ``MessageFormat.MAIL`` the items are e-mail addresses; for ``MessageFormat.TELEGRAM``
    a nickname (``name`` or ``@name``) or ``#<user id>`` is allowed besides a number.

    Raises:
        RequestValidationError: nothing to send to, or an item that cannot be a recipient
            (``field="phones"``; the item is shown masked).
    """
    if not isinstance(phones, (str, Sequence)):
        raise RequestValidationError("phones must be a string or a list", field="phones")
    items: Iterable[str]
    if type(phones) is str and "," not in phones and ";" not in phones:
        items = (phones.strip(),) if phones.strip() else ()  # one recipient, the usual case
    else:
        items = _items(phones)
    result: list[str] = []
    for position, item in enumerate(items, start=1):
        recipient = _recipient(item, format)
        if recipient is None:
            expected = "an e-mail address" if format is MessageFormat.MAIL else _PHONE_HINT
            raise RequestValidationError(
                f"phones: item {position} ({mask_phone(item)}, {len(item)} characters) "
                f"is not a valid recipient; {expected}",
                field="phones",
            )
        result.append(recipient)
    if not result:
        raise RequestValidationError("phones: no recipient given", field="phones")
    return tuple(result)


# --------------------------------------------------------------------------- sender, id, text

_SENDER_NAME = re.compile(r"[A-Za-z0-9 !\"#$%&'()*+,\-./:;<=>?@_]{1,11}")
_SENDER_NUMBER = re.compile(r"\+?[0-9]{1,15}")
_MESSAGE_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FORMATS_WITHOUT_LIMIT = frozenset({MessageFormat.MAIL, MessageFormat.MMS})


def validate_sender(sender: str, *, format: MessageFormat = MessageFormat.SMS) -> str:
    """Check a Sender ID and return it unchanged.

    Up to 11 characters of Latin letters, digits, space and ASCII punctuation with at least
    one letter or digit, or up to 15 digits (optionally after ``+``). ``""`` and ``"."``
    are accepted: they switch the account's default Sender ID off. Which punctuation the
    service accepts is not documented ([INF]). For ``MessageFormat.MAIL`` the sender is the
    From e-mail address. The service also requires the name to be registered; that cannot
    be checked offline.

    Raises:
        RequestValidationError: the sender breaks these rules (``field="sender"``).
    """
    if not isinstance(sender, str):
        raise RequestValidationError("sender must be a string", field="sender")
    if sender in ("", "."):
        return sender
    if format is MessageFormat.MAIL:
        if _EMAIL.fullmatch(sender):
            return sender
        raise RequestValidationError("sender must be an e-mail address", field="sender")
    if _SENDER_NUMBER.fullmatch(sender):
        return sender
    if _SENDER_NAME.fullmatch(sender) and any(char.isalnum() for char in sender):
        return sender
    raise RequestValidationError(
        f"sender must be up to 11 Latin letters, digits, spaces or punctuation, or up to 15 "
        f"digits (got {len(sender)} characters)",
        field="sender",
    )


def validate_message_id(value: int | str) -> int | str:
    """Check a client message id and return it unchanged.

    An integer 1..2147483647, or a string of 1 to 40 characters from ``[A-Za-z0-9._-]``
    not starting with ``-`` (a string of digits is kept as a string). A leading ``-`` is
    refused: the id comes back first in the service's answers, where ``-5`` reads as error 5
    to every official library.

    Raises:
        RequestValidationError: the id breaks these rules (``field="id"``).
    """
    if isinstance(value, bool):
        raise RequestValidationError("id must be an integer or a string", field="id")
    if isinstance(value, int):
        if 1 <= value <= MAX_MESSAGE_ID:
            return value
        raise RequestValidationError(f"id must be between 1 and {MAX_MESSAGE_ID}", field="id")
    if isinstance(value, str) and _MESSAGE_ID.fullmatch(value) and value[0] != "-":
        return value
    raise RequestValidationError(
        "id must be an integer or up to 40 characters of A-Z a-z 0-9 . _ - not starting with '-'",
        field="id",
    )


def validate_message(text: str, *, format: MessageFormat = MessageFormat.SMS) -> str:
    """Check a message text and return it unchanged.

    The text may be empty only for formats that ignore it (HLR, ping). It may hold at most
    :data:`MAX_MESSAGE_LENGTH` characters (code points, a ``~~~`` comment included) except
    for e-mail and MMS, whose limits are those of their own channels ([INF]). A lone
    surrogate (half of an emoji cut in UTF-16) is refused: UTF-8 cannot carry it.

    Raises:
        RequestValidationError: the text breaks these rules (``field="message"``).
    """
    if not isinstance(text, str):
        raise RequestValidationError("message must be a string", field="message")
    if _LONE_SURROGATE.search(text):
        raise RequestValidationError(
            "message holds half of a surrogate pair (a cut emoji?): it cannot be sent as UTF-8",
            field="message",
        )
    if not text and format.needs_text:
        raise RequestValidationError(
            f"message must not be empty for {format.value} messages", field="message"
        )
    if len(text) > MAX_MESSAGE_LENGTH and format not in _TEXT_FORMATS_WITHOUT_LIMIT:
        raise RequestValidationError(
            f"message is {len(text)} characters; at most {MAX_MESSAGE_LENGTH} are allowed",
            field="message",
        )
    return text
