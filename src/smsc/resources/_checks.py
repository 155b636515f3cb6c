"""Checks of the account-data commands' arguments, before any request.

Each check raises :class:`RequestValidationError` naming the field; no message repeats a
phone (it is masked), a name or a secret.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .._enums import MessageFormat
from .._errors import RequestValidationError
from .._hidden import HiddenText
from .._rules.recipients import parse_phones, validate_message, validate_sender

__all__ = [
    "MAX_COMMENT_LENGTH",
    "MAX_LOGIN_LENGTH",
    "MAX_NAME_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "PASSWORD_RULE",
    "amount",
    "code",
    "comment",
    "digital_sender",
    "email",
    "flag",
    "login",
    "name",
    "one_phone",
    "password",
    "record_id",
    "sender_name",
    "template_text",
]

MAX_NAME_LENGTH = 200
"""Longest name of a contact, group or template the SDK sends (an assumption)."""
MAX_COMMENT_LENGTH = 1000
"""Longest Sender ID comment the SDK sends (an assumption)."""
MAX_LOGIN_LENGTH = 64
"""Longest sub-client login the SDK sends (an assumption)."""
_MAX_ID = 2**31 - 1
_MAX_AMOUNT = Decimal(10) ** 12
_CODE = re.compile(r"[A-Za-z0-9]{1,32}")
_DIGITS = re.compile(r"\+?[0-9]{1,15}")


def _fail(field: str, problem: str) -> RequestValidationError:
    return RequestValidationError(f"{field} {problem}", field=field)


def one_phone(value: object, field: str = "phone") -> str:
    """One phone number (layout removed, as for a send); not a list, not a ``G<id>`` group."""
    if not isinstance(value, str):
        raise _fail(field, "must be a string")
    try:
        phones = parse_phones(value)
    except RequestValidationError as exc:
        raise RequestValidationError(str(exc).replace("phones", field, 1), field=field) from None
    if len(phones) != 1 or phones[0].startswith("G"):
        raise _fail(field, "must be one phone number")
    return phones[0]


def record_id(value: object, field: str) -> int:
    """A record id (a group, template or Sender ID record): a whole number 1..2**31-1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_ID:
        raise _fail(field, f"must be a whole number from 1 to {_MAX_ID}")
    return value


def name(value: object, field: str = "name", *, required: bool = True) -> str:
    """A name: text of at most :data:`MAX_NAME_LENGTH` characters, not blank when required."""
    if not isinstance(value, str):
        raise _fail(field, "must be a string")
    if required and not value.strip():
        raise _fail(field, "must not be empty")
    if len(value) > MAX_NAME_LENGTH:
        raise _fail(field, f"is {len(value)} characters; at most {MAX_NAME_LENGTH} are allowed")
    return value.strip()


def comment(value: object, field: str = "comment") -> str:
    """A free comment: text of at most :data:`MAX_COMMENT_LENGTH` characters (may be empty)."""
    if not isinstance(value, str):
        raise _fail(field, "must be a string")
    if len(value) > MAX_COMMENT_LENGTH:
        raise _fail(field, f"is {len(value)} characters; at most {MAX_COMMENT_LENGTH} allowed")
    return value


def sender_name(value: object, field: str = "sender") -> str:
    """A Sender ID to add or find: the rules of a send's ``sender``, and not empty."""
    if not isinstance(value, str) or value in ("", "."):
        raise _fail(field, "must be a Sender ID (up to 11 characters, or up to 15 digits)")
    try:
        return validate_sender(value)
    except RequestValidationError as exc:
        raise RequestValidationError(str(exc).replace("sender", field, 1), field=field) from None


def digital_sender(value: object, field: str = "sender") -> str:
    """A digital Sender ID (a phone number as sender): up to 15 digits, optionally after ``+``."""
    sender = sender_name(value, field)
    if not _DIGITS.fullmatch(sender):
        raise _fail(field, "must be a digital Sender ID (digits only) to be confirmed by code")
    return sender


def code(value: object, field: str = "code") -> str:
    """A confirmation code: 1 to 32 Latin letters or digits."""
    if not isinstance(value, str) or not _CODE.fullmatch(value.strip()):
        raise _fail(field, "must be the code received: 1 to 32 letters or digits")
    return value.strip()


def template_text(value: object, field: str = "message") -> str:
    """A template's text: the rules of an SMS text, not empty."""
    try:
        return validate_message(value, format=MessageFormat.SMS)  # type: ignore[arg-type]
    except RequestValidationError as exc:
        raise RequestValidationError(str(exc).replace("message", field, 1), field=field) from None


def login(value: object, field: str = "login") -> str:
    """A sub-client login: 1 to :data:`MAX_LOGIN_LENGTH` printable characters, no spaces."""
    if not isinstance(value, str) or not value:
        raise _fail(field, "must be a non-empty string")
    if len(value) > MAX_LOGIN_LENGTH:
        raise _fail(field, f"is {len(value)} characters; at most {MAX_LOGIN_LENGTH} are allowed")
    if any(char.isspace() or not char.isprintable() for char in value):
        raise _fail(field, "must not hold spaces or control characters")
    return value


MIN_PASSWORD_LENGTH = 8
"""The shortest new sub-client password the service takes (its sub-client parameters page)."""

PASSWORD_RULE = (
    f"at least {MIN_PASSWORD_LENGTH} characters, with 3 of these 4: letters, digits, "
    "upper and lower case, symbols"
)
"""The service's rule for a new sub-client password, in our words."""


def password(value: HiddenText, field: str = "password", *, new: bool = True) -> HiddenText:
    """A sub-client password: text without spaces or control characters; a ``new`` one
    also follows :data:`PASSWORD_RULE`.

    It is checked through its :class:`HiddenText`, so no frame of a raised error holds it.
    """
    if not value.is_text() or not len(value):
        raise _fail(field, "must be a non-empty string")
    if value.has_space():
        raise _fail(field, "must not hold spaces or control characters")
    if new and (len(value) < MIN_PASSWORD_LENGTH or value.character_classes() < 3):
        raise _fail(field, f"breaks the service's password rule: {PASSWORD_RULE}")
    return value


def email(value: object, field: str = "email") -> str:
    """An e-mail address: one ``@`` between non-empty parts, no spaces, at most 254 long."""
    if (
        not isinstance(value, str)
        or len(value) > 254
        or value.count("@") != 1
        or any(c.isspace() or not c.isprintable() for c in value)
        or not all(value.split("@"))
    ):
        raise _fail(field, "must be one e-mail address")
    return value


def flag(value: object, field: str) -> bool:
    """A switch: ``True`` or ``False``, nothing else."""
    if not isinstance(value, bool):
        raise _fail(field, "must be True or False")
    return value


def amount(value: object, field: str = "amount") -> Decimal:
    """A sum of money: a positive ``Decimal``, ``int`` or decimal text (a float via its text)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise _fail(field, "must be a Decimal, int or decimal string")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise _fail(field, "must be a decimal number") from None
    if not number.is_finite() or number <= 0 or number >= _MAX_AMOUNT:
        raise _fail(field, "must be a positive amount below 10**12")
    return number
