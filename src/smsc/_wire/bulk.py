"""Many different texts in one ``send.php`` request: the ``list`` parameter (protocol §3.1).

A packed request carries lines ``phone:text`` separated by line feeds; a line feed inside a
text is written as the two characters ``\\n`` (the documented escape; the ``nl=1`` mode is
known only from third-party copies of the documentation and is not used). ``err=1`` asks the
service to list the numbers it refused with their status and error code (§4.6); with
``op=1`` it lists every number with its cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from .._enums import MessageFormat
from .._models.messages import SendResult
from ._spec import CommandSpec
from .answers import send_result
from .bounds import answer_phones
from .errors import SEND_ERRORS
from .forms import SEND_COST_MODE, encode_time, format_flag

__all__ = [
    "LIST_FORMATS",
    "SEND_LIST",
    "ListSend",
    "list_line",
    "list_text_problem",
]

LIST_FORMATS: Final = frozenset({MessageFormat.SMS, MessageFormat.FLASH})
"""Formats a ``list`` request is known to carry: plain and flash SMS ([INF]: the reference
documents ``list`` for texts; other kinds of message go through ``send``)."""

_LINE_FEED_ESCAPE: Final = "\\n"


@dataclass(frozen=True, slots=True)
class ListSend:
    """One packed request: its own id, ``(phone, text)`` lines and the options they share.

    Attributes:
        id: the request's id; status is then asked by this id and each phone.
        lines: ``(phone, text)`` pairs, each phone at most once (checked by the packer).
        sender: the Sender ID of every line, ``None`` for the account's default.
        time: when to send every line (a checked value, see ``smsc._rules.schedule``).
        format: :data:`LIST_FORMATS` only.
        per_number: ask for every number's cost (``op=1``) instead of only the refused
            numbers (``err=1``).
    """

    id: str
    lines: tuple[tuple[str, str], ...]
    sender: str | None = None
    time: str | datetime | timedelta | None = None
    format: MessageFormat = MessageFormat.SMS
    per_number: bool = False

    @property
    def phones(self) -> tuple[str, ...]:
        """Every phone of the request, in line order."""
        return tuple(phone for phone, _ in self.lines)


def list_text_problem(text: str) -> str | None:
    """Why ``text`` cannot be written in a ``list`` line, or ``None`` when it can."""
    if _LINE_FEED_ESCAPE in text:
        return "holds the two characters \\n, which a list request reads as a line feed"
    if "\r" in text:
        return "holds a carriage return, which a list request cannot carry (use \\n only)"
    return None


def list_line(phone: str, text: str) -> str:
    """The ``list`` line of one message (``text`` already checked by :func:`list_text_problem`)."""
    return f"{phone}:{text.replace(chr(10), _LINE_FEED_ESCAPE)}"


def list_line_size(phone: str, text: str) -> int:
    """An upper bound on the URL-encoded bytes of the line and its separator."""
    line = list_line(phone, text)
    return 3 * len(line.encode("utf-8")) + 3


def _encode(request: ListSend) -> dict[str, str]:
    form = {
        "list": "\n".join(list_line(phone, text) for phone, text in request.lines),
        "cost": SEND_COST_MODE,
        "id": request.id,
    }
    form["op" if request.per_number else "err"] = "1"
    flag = format_flag(request.format)
    if flag is not None:
        form[flag[0]] = flag[1]
    if request.sender is not None:
        form["sender"] = request.sender
    if request.time is not None:
        form["time"] = encode_time(request.time)
    return form


def _decode(data: Any, body: bytes, request: ListSend) -> SendResult:
    return send_result(data, body, request.id, answer_phones(request.phones) or None)


SEND_LIST: Final = CommandSpec[ListSend, SendResult](
    name="send_list",
    path="/sys/send.php",
    may_repeat=False,
    errors=SEND_ERRORS,
    encode=_encode,
    decode=_decode,
)
"""Send many ``phone:text`` lines in one request (``send.php`` with ``list``, ``cost=3``)."""
