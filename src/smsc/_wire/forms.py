"""Request encoding: credentials, the fields every request carries, format flags and times.

Values arrive here already checked (``smsc._rules.recipients``, ``smsc._rules.schedule``,
``smsc._rules.arguments``); this module only writes them the way the service reads them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from .._enums import MessageFormat
from .._errors import ConfigurationError
from .._models.messages import SendRequest

if TYPE_CHECKING:
    from .._config import SMSCConfig

__all__ = [
    "COMMON_FIELDS",
    "FORMAT_FLAG_NAMES",
    "RESERVED_FIELDS",
    "credential_fields",
    "encode_freq",
    "encode_period",
    "encode_time",
    "encode_valid",
    "format_flag",
    "format_from_library_code",
    "library_code",
    "send_form",
]

COMMON_FIELDS: Final[Mapping[str, str]] = {"fmt": "3", "charset": "utf-8"}
"""Sent with every request: JSON answers, UTF-8 in both directions."""

RESERVED_FIELDS: Final = frozenset(
    {"login", "psw", "apikey", "fmt", "charset", "cost", "phones", "mes", "id"}
)
"""Fields the SDK owns; ``extra`` may not set them."""

SEND_COST_MODE: Final = "3"  # send, and answer with the cost and the new balance
QUERY_COST_MODE: Final = "1"  # compute the cost only, send nothing

_FLAGS: Final[Mapping[MessageFormat, tuple[str, str] | None]] = {
    MessageFormat.SMS: None,
    MessageFormat.FLASH: ("flash", "1"),
    MessageFormat.PUSH: ("push", "1"),
    MessageFormat.HLR: ("hlr", "1"),
    MessageFormat.BINARY: ("bin", "1"),
    MessageFormat.BINARY_HEX: ("bin", "2"),
    MessageFormat.PING: ("ping", "1"),
    MessageFormat.MMS: ("mms", "1"),
    MessageFormat.MAIL: ("mail", "1"),
    MessageFormat.CALL: ("call", "1"),
    MessageFormat.VIBER: ("viber", "1"),
    MessageFormat.SOCIAL: ("soc", "1"),
    MessageFormat.TELEGRAM: ("tg", "1"),
}
_LIBRARY_CODES: Final[Mapping[MessageFormat, int]] = {
    MessageFormat.SMS: 0,
    MessageFormat.FLASH: 1,
    MessageFormat.PUSH: 2,
    MessageFormat.HLR: 3,
    MessageFormat.BINARY: 4,
    MessageFormat.BINARY_HEX: 5,
    MessageFormat.PING: 6,
    MessageFormat.MMS: 7,
    MessageFormat.MAIL: 8,
    MessageFormat.CALL: 9,
    MessageFormat.VIBER: 10,
    MessageFormat.SOCIAL: 11,
}

FORMAT_FLAG_NAMES: Final = frozenset(flag[0] for flag in _FLAGS.values() if flag is not None)
"""The ``send.php`` parameters that choose a kind of message (``flash``, ``bin``, ...)."""


def format_flag(fmt: MessageFormat) -> tuple[str, str] | None:
    """The ``(parameter, value)`` pair that selects ``fmt`` (protocol §3.3); None for SMS."""
    return _FLAGS[fmt]


def library_code(fmt: MessageFormat) -> int | None:
    """The official libraries' ``format`` number (0-11), also the SMTP gateway's; None for
    formats the libraries have no number for (Telegram)."""
    return _LIBRARY_CODES.get(fmt)


def format_from_library_code(code: int) -> MessageFormat:
    """The format numbered ``code`` by the official libraries; ValueError for others."""
    for fmt, number in _LIBRARY_CODES.items():
        if number == code:
            return fmt
    raise ValueError(f"unknown library format code {code}")


def credential_fields(config: SMSCConfig) -> dict[str, str]:
    """The credential fields of a request: ``login`` and ``psw``, or ``apikey``.

    Only :class:`smsc._secrets.Credentials` and the SMTP body layout call this; neither keeps
    the result in a local variable of a frame that can raise.
    """
    if config.api_key is not None:
        return {"apikey": config.api_key.get_secret_value()}
    if config.login is None or config.password is None:  # excluded by the config's validation
        raise ConfigurationError("credentials missing")
    return {"login": config.login, "psw": config.password.get_secret_value()}


def _whole_minutes_up(delta: timedelta) -> int:
    """Minutes in ``delta``, a started minute counting as a whole one."""
    minutes, rest = divmod(delta, timedelta(minutes=1))
    return int(minutes) + (1 if rest else 0)


def encode_time(value: str | datetime | timedelta) -> str:
    """The ``time`` parameter of a checked value (see ``smsc._rules.schedule.validate_time``).

    A string as given; an aware datetime as ``"0<unix seconds>"``; a naive one as
    ``"DD.MM.YY hh:mm"`` (seconds dropped); a delay as ``"+<minutes>"`` rounded up.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return f"0{math.floor(value.timestamp())}"
        return value.strftime("%d.%m.%y %H:%M")
    return f"+{_whole_minutes_up(value)}"


def encode_valid(value: int | str | timedelta) -> str:
    """The ``valid`` parameter of a checked value: hours, or ``"hh:mm"`` for a delay."""
    if isinstance(value, timedelta):
        minutes = _whole_minutes_up(value)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def encode_period(hours: float) -> str:
    """The ``period`` parameter: whole numbers without a decimal point (``24`` -> ``"24"``)."""
    number = float(hours)
    return str(int(number)) if number.is_integer() else repr(number)


def encode_freq(minutes: int) -> str:
    """The ``freq`` parameter (minutes between batches)."""
    return str(minutes)


def send_form(request: SendRequest, *, cost_only: bool = False) -> dict[str, str]:
    """The form fields of a send (or, with ``cost_only``, of a cost query)."""
    form: dict[str, str] = {
        "phones": ",".join(request.phones),
        "mes": request.message,
        "cost": QUERY_COST_MODE if cost_only else SEND_COST_MODE,
    }
    flag = _FLAGS[request.format]
    if flag is not None:
        form[flag[0]] = flag[1]
    if request.id is not None and not cost_only:
        form["id"] = str(request.id)
    if request.translit is not None:
        form["translit"] = str(int(request.translit))
    if request.time is not None:
        form["time"] = encode_time(request.time)
    if request.tz is not None:
        form["tz"] = str(request.tz)
    if request.sender is not None:
        form["sender"] = request.sender
    if request.valid is not None:
        form["valid"] = encode_valid(request.valid)
    if request.maxsms is not None:
        form["maxsms"] = str(request.maxsms)
    if request.tinyurl is not None:
        form["tinyurl"] = "1" if request.tinyurl else "0"
    form.update(request.extra)
    return form
