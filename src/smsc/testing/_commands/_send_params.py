"""The parameters of a ``send.php`` request, checked as the service checks them (protocol §3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..._enums import MessageFormat, MessageType
from ..._errors import RequestValidationError
from ..._rules.recipients import validate_message, validate_message_id, validate_sender
from ..._rules.schedule import resolve_time, validate_tz, validate_valid
from .._clock import EmulatorClock
from .._request import Request
from .._values import message_id_value
from ._common import Refused, int_param

__all__ = ["SendParams", "given_id", "send_params"]

# send.php flag -> (message type, library format)
_FLAGS: dict[str, tuple[MessageType, MessageFormat]] = {
    "flash": (MessageType.FLASH, MessageFormat.FLASH),
    "bin": (MessageType.BINARY, MessageFormat.BINARY),
    "push": (MessageType.WAP_PUSH, MessageFormat.PUSH),
    "hlr": (MessageType.HLR, MessageFormat.HLR),
    "ping": (MessageType.PING, MessageFormat.PING),
    "mms": (MessageType.MMS, MessageFormat.MMS),
    "mail": (MessageType.MAIL, MessageFormat.MAIL),
    "call": (MessageType.CALL, MessageFormat.CALL),
    "viber": (MessageType.VIBER, MessageFormat.VIBER),
    "soc": (MessageType.SOCIAL, MessageFormat.SOCIAL),
    "tg": (MessageType.SMS, MessageFormat.TELEGRAM),
}
_HEX = re.compile(r"[0-9A-Fa-f]*")

Line = tuple[tuple[str, ...], str, str]
"""(recipients, text, sender) of one line of ``list`` (one line for ``phones``+``mes``)."""


@dataclass(frozen=True)
class SendParams:
    """What a send request asks for after validation."""

    lines: tuple[Line, ...]
    message_type: MessageType
    binary_hex: bool
    translit: int
    maxsms: int | None
    scheduled_at: float
    test: bool


def given_id(raw: str | None) -> int | str | None:
    """The client's ``id``, ``None`` when it gave none (or ``0``).

    Raises:
        Refused: error 1 for a malformed id.
    """
    if raw is None or raw.strip() in ("", "0"):
        return None
    raw = raw.strip()
    if raw.startswith("-"):
        # "-5,1,1.80,..." would read as error 5 to every official library (a leading "-"
        # in the first field is an error code): ids are 1..2147483647 or a string.
        raise Refused(1)
    try:
        validate_message_id(message_id_value(raw))
    except RequestValidationError:
        raise Refused(1) from None
    return message_id_value(raw)


def send_params(request: Request, clock: EmulatorClock) -> SendParams:
    """The validated parameters of a send request.

    Raises:
        Refused: error 1 for bad parameters, error 5 for a bad ``time`` or ``tz``.
    """
    flags = [name for name in _FLAGS if request.flag(name)]
    if len(flags) > 1:
        raise Refused(1)
    message_type, library_format = (
        _FLAGS[flags[0]] if flags else (MessageType.SMS, MessageFormat.SMS)
    )
    binary_hex = message_type is MessageType.BINARY and request.get("bin") == "2"
    translit = int_param(request.get("translit"), 0, 0, 2)
    maxsms_raw = request.get("maxsms")
    maxsms = None if not maxsms_raw else int_param(maxsms_raw, 0, 1, 1000)
    _check_valid(request.get("valid"))
    lines = _lines(request, request.get("sender") or "", library_format)
    for _, text, sender in lines:
        try:
            validate_sender(sender, format=library_format)
            validate_message(text, format=library_format)
        except RequestValidationError:
            raise Refused(1) from None
        if binary_hex and (len(text) % 2 or not _HEX.fullmatch(text)):
            raise Refused(1)
    scheduled = _scheduled_at(request.get("time"), request.get("tz"), clock)
    # Only the SMTP body has a test field (§10); HTTP has no per-request flag (§3.5).
    test = request.channel == "smtp" and request.flag("test")
    return SendParams(lines, message_type, binary_hex, translit, maxsms, scheduled, test)


def _lines(request: Request, sender: str, library_format: MessageFormat) -> tuple[Line, ...]:
    listing = request.get("list")
    if listing:
        lines = []
        for raw_line in listing.replace("\r\n", "\n").split("\n"):
            if not raw_line.strip():
                continue
            head, separator, text = raw_line.partition(":")
            if not separator:
                raise Refused(1)
            line_sender = sender
            if "|" in head:
                line_sender, _, head = head.partition("|")
                line_sender = line_sender.split(",", 1)[0]
            text = text.replace("\\n", "\n")
            lines.append((_recipients(head), text, line_sender))
        if not lines:
            raise Refused(1)
        return tuple(lines)
    phones = request.get("phones")
    mes = request.get("mes")
    if mes is None and library_format in (MessageFormat.HLR, MessageFormat.PING):
        mes = ""  # §3: HLR and ping requests need no text
    if not phones or mes is None:
        raise Refused(1)
    return ((_recipients(phones), mes, sender),)


def _recipients(phones: str) -> tuple[str, ...]:
    items = [item.strip() for item in re.split(r"[,;]", phones) if item.strip()]
    if not items:
        raise Refused(1)
    return tuple(items)


def _check_valid(valid: str | None) -> None:
    if valid:
        try:
            validate_valid(valid)
        except RequestValidationError:
            raise Refused(1) from None


def _scheduled_at(raw: str | None, tz_raw: str | None, clock: EmulatorClock) -> float:
    try:
        tz = validate_tz(int(tz_raw)) if tz_raw not in (None, "") else None
    except (ValueError, RequestValidationError):
        raise Refused(5) from None
    raw = (raw or "").strip()
    if raw in ("", "0"):
        return clock.now()
    try:
        return resolve_time(raw, now=clock.datetime(), tz=tz).timestamp()
    except RequestValidationError:
        raise Refused(5) from None
