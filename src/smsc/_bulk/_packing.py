"""Checking a campaign's messages and packing them into ``list`` requests.

:func:`plan_message` turns one :class:`BulkMessage` into journal rows (one per phone) or a
:class:`RequestValidationError` naming its position. :class:`Packer` groups rows into
requests: rows that share a Sender ID, a time and a format, at most ``max_lines`` lines and
``max_request_bytes`` URL-encoded bytes per request, each phone at most once per request
(status is asked by request id and phone, so a phone twice in one request would be
ambiguous).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Final

from .._enums import MessageFormat
from .._errors import RequestValidationError
from .._rules.recipients import parse_phones, validate_message, validate_sender
from .._rules.schedule import validate_time
from .._rules.segments import segments
from .._wire import bulk as wire_bulk
from .._wire.forms import encode_time
from ._journal import JournalRow, PlannedRow
from ._model import BulkMessage, PackingLimits

__all__ = ["Batch", "Fingerprint", "Packer", "phone_key", "plan_message"]

GroupKey = tuple[str | None, str | None, str]
"""(sender, time, format): what every line of one request shares."""

_MAX_OPEN_BATCHES: Final = 8
_NOT_DIGITS: Final = re.compile(r"[^0-9]")


def phone_key(phone: str) -> str:
    """A phone's digits: one number however written (the service answers without ``+``)."""
    return _NOT_DIGITS.sub("", phone)


def _refuse(index: int, detail: str, field: str) -> RequestValidationError:
    return RequestValidationError(f"message {index}: {detail}", field=field)


def plan_message(index: int, message: object) -> list[PlannedRow]:
    """The journal rows of the message at position ``index`` (one per distinct phone).

    Raises:
        RequestValidationError: the message cannot be sent in a ``list`` request; the text
            names its position (``message 17: ...``) and never quotes a phone or the text.
    """
    if not isinstance(message, BulkMessage):
        raise _refuse(index, "expected a BulkMessage", "messages")
    try:
        fmt = MessageFormat(message.format)
    except ValueError:
        raise _refuse(index, f"unknown format {message.format!r}", "format") from None
    if fmt not in wire_bulk.LIST_FORMATS:
        raise _refuse(
            index, f"{fmt.value} messages cannot be sent in a batch; use send()", "format"
        )
    try:
        phones = parse_phones(message.phones, format=fmt)
        text = validate_message(message.text, format=fmt)
        sender = validate_sender(message.sender, format=fmt) if message.sender else None
        time = encode_time(validate_time(message.time)) if message.time is not None else None
    except RequestValidationError as exc:
        raise _refuse(index, str(exc), exc.field or "messages") from None
    for position, phone in enumerate(phones, start=1):
        if phone.startswith("G"):
            raise _refuse(
                index,
                f"phone {position} is a contact group; a batch needs numbers (status is "
                "kept per number)",
                "phones",
            )
        if ":" in phone:  # parse_phones allows none today; the layout must never break
            raise _refuse(index, f"phone {position} holds ':'", "phones")
    problem = wire_bulk.list_text_problem(text)
    if problem is not None:
        raise _refuse(index, f"the text {problem}", "text")
    parts = segments(text).parts
    distinct = {phone_key(phone): phone for phone in reversed(phones)}  # a repeat is one
    return [
        (index, phone, text, sender, time, fmt.value, parts)
        for phone in reversed(distinct.values())
    ]


class Fingerprint:
    """A running hash of a campaign's planned rows: the same source gives the same value."""

    def __init__(self, campaign: str) -> None:
        self._hash = hashlib.sha256(campaign.encode("utf-8", "surrogatepass") + b"\x1e")

    def update(self, rows: list[PlannedRow]) -> None:
        """Add ``rows`` in order."""
        for row in rows:
            self._hash.update(
                "\x1f".join("" if value is None else str(value) for value in row).encode(
                    "utf-8", "surrogatepass"
                )
                + b"\x1e"
            )

    def hexdigest(self) -> str:
        """The fingerprint so far."""
        return self._hash.hexdigest()


@dataclass
class Batch:
    """The rows of one request under construction."""

    key: GroupKey
    rows: list[JournalRow] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)
    size: int = 0

    @property
    def row_ids(self) -> list[int]:
        """The journal rows of the batch."""
        return [row.row for row in self.rows]


class Packer:
    """Groups rows into batches under the limits; feed rows in order, then :meth:`flush`."""

    def __init__(self, limits: PackingLimits) -> None:
        self._limits = limits
        self._open: list[Batch] = []

    def add(self, row: JournalRow) -> list[Batch]:
        """Place ``row``; returns the batches that are complete now."""
        key: GroupKey = (row.sender, row.time, row.format)
        size = wire_bulk.list_line_size(row.phone, row.text)
        phone = phone_key(row.phone)
        done: list[Batch] = []
        target = None
        for batch in self._open:
            if batch.key == key and phone not in batch.phones:
                if batch.size + size <= self._limits.max_request_bytes:
                    target = batch
                    break
                self._open.remove(batch)  # full by size: send it, look no further
                done.append(batch)
                break
        if target is None:
            target = Batch(key)
            self._open.append(target)
            if len(self._open) > _MAX_OPEN_BATCHES:
                done.append(self._open.pop(0))  # many groups at once: bound what is held
        target.rows.append(row)
        target.phones.add(phone)
        target.size += size
        if len(target.rows) >= self._limits.max_lines:
            self._open.remove(target)
            done.append(target)
        return done

    def flush(self) -> list[Batch]:
        """Every batch still open."""
        done, self._open = self._open, []
        return done
