"""The one builder of a validated send request, used by HTTP ``send``/``cost`` and by SMTP.

Every argument of a send goes through the offline rules of ``smsc._rules.recipients``,
``smsc._rules.schedule`` and ``smsc._rules.arguments`` here, into a :class:`SendRequest`;
the wire layer then writes it as a form (HTTP) or as the gateway's e-mail body (SMTP).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from .._enums import MessageFormat, Translit
from .._errors import RequestValidationError
from .._models.messages import SendRequest
from .arguments import ExtraValue, extra_fields
from .recipients import parse_phones, validate_message, validate_message_id, validate_sender
from .schedule import validate_time, validate_tz, validate_valid
from .translit import TRANSLIT_ERROR

__all__ = [
    "ListArg",
    "TimeArg",
    "build_list_lines",
    "build_send_request",
    "message_format",
    "new_message_id",
]

TimeArg = str | datetime | timedelta | None
"""When to send: a documented string form, a datetime, a delay, or ``None`` (now)."""

ListArg = Mapping[str, str] | Sequence[tuple[str, str]]
"""Different texts to different numbers: ``{phones: text}`` or ``[(phones, text), ...]``."""


class _RandomIds:
    """128-bit ids from the operating system's CSPRNG, read 256 ids at a time.

    One ``os.urandom`` call per id cost a system call on every send; the bytes are as random
    read in bulk. Thread-safe, and a forked child starts on fresh bytes (a copy of the
    parent's unused ones would repeat the parent's next ids).
    """

    _BATCH = 16 * 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._at = 0
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._buffer, self._at = b"", 0

    def take(self) -> str:
        with self._lock:
            at = self._at
            if at >= len(self._buffer):
                self._buffer, at = os.urandom(self._BATCH), 0
            self._at = at + 16
            return self._buffer[at : at + 16].hex()


_IDS = _RandomIds()


def new_message_id() -> str:
    """A fresh message id: 34 characters of ``[a-z0-9-]`` (128 random bits).

    Inside the service's 40-character id rule; the same form over HTTP and SMTP.
    """
    return "s-" + _IDS.take()


def message_format(value: MessageFormat | str) -> MessageFormat:
    """``value`` as a :class:`MessageFormat`.

    Raises:
        RequestValidationError: not a known format (``field="format"``).
    """
    try:
        return MessageFormat(value)
    except ValueError:
        known = ", ".join(f.value for f in MessageFormat)
        raise RequestValidationError(
            f"unknown message format {value!r}; known: {known}", field="format"
        ) from None


def _translit(value: Translit | int | None) -> Translit | None:
    if value is None:
        return None
    try:
        return Translit(value)
    except ValueError:
        raise RequestValidationError(TRANSLIT_ERROR, field="translit") from None


def build_send_request(
    phones: str | Sequence[str] | None,
    message: str,
    *,
    translit: Translit | int | None = None,
    time: TimeArg = None,
    tz: int | None = None,
    message_id: int | str | None = None,
    format: MessageFormat | str = MessageFormat.SMS,
    sender: str | None = None,
    valid: int | str | timedelta | None = None,
    maxsms: int | None = None,
    tinyurl: bool | None = None,
    extra: Mapping[str, ExtraValue] | None = None,
    assign_id: bool = False,
) -> SendRequest:
    """Check every argument of a send (or cost query) and build the request.

    ``assign_id`` gives a request without ``message_id`` a fresh one (:func:`new_message_id`).
    ``phones=None`` builds the head of a ``list`` send (see :func:`build_list_lines`): no
    phones, and ``message`` must be empty (each line has its own text).

    Raises:
        RequestValidationError: an argument breaks a rule; ``field`` names it.
    """
    fmt = format if type(format) is MessageFormat else message_format(format)
    if not isinstance(message, str):
        raise RequestValidationError("message must be a string", field="message")
    checked_translit = None if translit is None else _translit(translit)
    if maxsms is not None and (
        isinstance(maxsms, bool) or not isinstance(maxsms, int) or maxsms < 1
    ):
        raise RequestValidationError("maxsms must be a whole number >= 1", field="maxsms")
    if tinyurl is not None and tinyurl not in (True, False):
        raise RequestValidationError("tinyurl must be True or False", field="tinyurl")
    if message_id is not None:
        message_id = validate_message_id(message_id)
    elif assign_id:
        message_id = new_message_id()
    given = (
        set()
        if not extra
        else {
            name
            for name, value in (
                ("translit", translit),
                ("time", time),
                ("tz", tz),
                ("sender", sender),
                ("valid", valid),
                ("maxsms", maxsms),
                ("tinyurl", tinyurl),
            )
            if value is not None
        }
    )
    if phones is None:
        if message:
            raise RequestValidationError(
                "message must be empty with list (each line has its own text)", field="message"
            )
        recipients: tuple[str, ...] = ()
    else:
        recipients = parse_phones(phones, format=fmt)
        message = validate_message(message, format=fmt)
    return SendRequest(
        phones=recipients,
        message=message,
        format=fmt,
        id=message_id,
        translit=checked_translit,
        time=validate_time(time) if time is not None else None,
        tz=validate_tz(tz) if tz is not None else None,
        sender=validate_sender(sender, format=fmt) if sender is not None else None,
        valid=validate_valid(valid) if valid is not None else None,
        maxsms=maxsms,
        tinyurl=tinyurl,
        extra=extra_fields(extra, given=given) if extra else {},
    )


def _list_entries(lines: ListArg) -> Iterator[tuple[str, str]]:
    entries = lines.items() if isinstance(lines, Mapping) else lines
    if isinstance(entries, str):
        raise RequestValidationError("list must map phones to texts", field="list")
    for entry in entries:
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise RequestValidationError("list items must be (phones, text) pairs", field="list")
        yield entry


def build_list_lines(lines: ListArg, format: MessageFormat | str) -> tuple[SendRequest, ...]:
    """Each ``(phones, text)`` line of a ``list`` send, checked as a send of its own.

    Raises:
        RequestValidationError: an empty list, or a bad line (``field="list"``, the message
            says which line).
    """
    fmt = message_format(format)
    checked = []
    for number, (phones, text) in enumerate(_list_entries(lines), start=1):
        try:
            checked.append(
                SendRequest(
                    parse_phones(phones, format=fmt), validate_message(text, format=fmt), fmt
                )
            )
        except RequestValidationError as exc:
            raise RequestValidationError(f"list line {number}: {exc}", field="list") from None
    if not checked:
        raise RequestValidationError("list is empty", field="list")
    return tuple(checked)
