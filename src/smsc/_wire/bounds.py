"""How much an answer may hold, per command: its bytes and its JSON items.

The service's answers are small: one status, a page of at most 1,000 history records, the
phones of one send. A hostile answer (a compromised mirror, a broken proxy, anything on an
``allow_http`` path) can be a few kilobytes of gzip that inflate into millions of tiny JSON
values, and each value costs a Python object. So every command bounds its answer twice, from
what it can legitimately return, and both bounds are checked BEFORE any Python object is
built from the answer (:func:`count_items` is a few C-speed passes over the bytes):

- ``bytes``: the answer's size once its content coding is undone (the inflating stops there);
- ``items``: an upper bound of the JSON values and keys the answer may hold, counted as the
  ``,``, ``:``, ``[`` and ``{`` outside strings (every value or key but the first follows one
  of them).

A command's bounds may depend on its arguments: a status query of five messages may get five
statuses, a send to three phones three ``phones`` entries, a history page of ``cnt=200`` 200
records. :data:`ANSWER_BOUNDS` holds each command's rule by name; a command without a row
gets :data:`ONE_OBJECT` (a small object answer). ``docs/guarantees.md`` lists them all (a
test checks the page against this table).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "ANSWER_BOUNDS",
    "MAX_LIST_RECORDS",
    "MAX_NESTING",
    "OFF_LOOP_BYTES",
    "ONE_OBJECT",
    "AnswerBounds",
    "answer_phones",
    "bounds_for",
    "count_items",
]

MAX_ANSWER_BYTES: Final = 32 * 1024 * 1024
"""The most any answer may hold once decoded (the SDK's read bound, ``smsc._http.body``)."""

MAX_NESTING: Final = 32
"""Deepest JSON nesting an answer may have (real answers nest three levels)."""

MAX_LIST_RECORDS: Final = 10_000
"""The most records of an unpaged account list (Sender IDs, contacts, groups, the blacklist,
templates, mailings, sub-clients' statistics, price zones). The service documents no limit
and no paging for these lists: this is a named assumption (a larger list is refused as
unusable, with :class:`~smsc.InvalidResponseError`)."""

OFF_LOOP_BYTES: Final = 16 * 1024
"""Answers larger than this are decoded in a worker thread, not on the event loop."""


@dataclass(frozen=True, slots=True)
class AnswerBounds:
    """What one answer may hold: ``bytes`` once decoded, ``items`` JSON values and keys."""

    bytes: int
    items: int

    @staticmethod
    def records(
        count: int, *, record_bytes: int, record_items: int, base_bytes: int = 4096
    ) -> AnswerBounds:
        """``count`` records of at most ``record_bytes`` and ``record_items`` each, plus a
        small envelope (an object around them, an error answer)."""
        return _records(max(count, 1), record_bytes, record_items, base_bytes)


@functools.lru_cache(maxsize=512)
def _records(count: int, record_bytes: int, record_items: int, base_bytes: int) -> AnswerBounds:
    # Cached: a command's bounds are computed for every request (the same few counts).
    return AnswerBounds(
        bytes=min(base_bytes + count * record_bytes, MAX_ANSWER_BYTES),
        items=64 + count * record_items,
    )


ONE_OBJECT: Final = AnswerBounds(bytes=16 * 1024, items=512)
"""A small object answer: a balance, an id, ``{"result": "OK"}``, one mailing, statistics."""

# Per record: the fields the service documents, with room for as many again it may add
# (each field is two items: its key and its value). Bytes per record: a message text is at
# most 1,000 characters, each at most 6 bytes as a JSON escape (``\\u0444``).
_PHONE = {"record_bytes": 1024, "record_items": 32}
_STATUS = {"record_bytes": 16 * 1024, "record_items": 128}  # all=2: text, comment, HLR
_SENT = {"record_bytes": 8 * 1024, "record_items": 96}
_RECEIVED = {"record_bytes": 8 * 1024, "record_items": 48}
_OPERATOR = {"record_bytes": 2048, "record_items": 48}
_ACCOUNT_RECORD = {"record_bytes": 1600, "record_items": 32}


def answer_phones(phones: Sequence[str]) -> int:
    """How many ``phones`` entries the answer to a send or a cost query of ``phones`` may
    list: one per number, and up to :data:`MAX_LIST_RECORDS` per contact group (``G<id>``,
    which the service expands to its members)."""
    count = len(phones)
    for phone in phones:
        if phone[:1] == "G" and phone[1:].isdigit():
            count += MAX_LIST_RECORDS - 1
    return count


def _phones_of(args: Any) -> int:
    return answer_phones(getattr(args, "phones", ()) or ())


def _send(args: Any) -> AnswerBounds:
    # The ``phones`` array lists at most the phones sent (op=1/err=1 answers).
    return AnswerBounds.records(_phones_of(args), **_PHONE, base_bytes=ONE_OBJECT.bytes)


def _status(args: Any) -> AnswerBounds:
    return AnswerBounds.records(len(getattr(args, "messages", ())), **_STATUS)


def _history(args: Any) -> AnswerBounds:
    return AnswerBounds.records(int(getattr(args, "count", 1)), **_SENT)


def _incoming(args: Any) -> AnswerBounds:
    return AnswerBounds.records(int(getattr(args, "count", 1)), **_RECEIVED)


def _operator(args: Any) -> AnswerBounds:
    return AnswerBounds.records(_phones_of(args), **_OPERATOR)


def _one(_: Any) -> AnswerBounds:
    return ONE_OBJECT


_LIST: Final = AnswerBounds.records(MAX_LIST_RECORDS, **_ACCOUNT_RECORD)


def _account_list(_: Any) -> AnswerBounds:
    return _LIST


ANSWER_BOUNDS: Final[Mapping[str, Callable[[Any], AnswerBounds]]] = {
    "send": _send,
    "cost": _send,
    "status": _status,
    "send_list": _send,  # a list send's phones are its lines' phones
    "history": _history,
    "incoming": _incoming,
    "operator": _operator,
    **dict.fromkeys(
        (
            "job_list",
            "senders.list",
            "contacts.list",
            "contacts.groups",
            "contacts.blacklist",
            "templates.list",
            "operator_templates.list",
            "users.stats",
            "prices",
        ),
        _account_list,
    ),
}
"""Each command's rule (by name) whose answer is not one small object (:data:`ONE_OBJECT`)."""


def bounds_for(name: str) -> Callable[[Any], AnswerBounds]:
    """The rule of command ``name``: its row of :data:`ANSWER_BOUNDS`, else one object."""
    return ANSWER_BOUNDS.get(name, _one)


# ----------------------------------------------------------------------------- the pre-scan

_JSON_STRING = re.compile(rb'"[^"]*"')
_NESTING_DELTA = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


_CHUNK: Final = 64 * 1024
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b",:[]{}")


def _structure(body: bytes) -> tuple[int, bytes]:
    """The items outside strings of ``body``, and its brackets outside strings, in order.

    Escapes go first (a ``\\\\`` pair, then an escaped quote): what is left of a quote then
    opens or closes a string. The strings are taken out a chunk at a time (views, no
    copies), so that the pass holds at most one chunk's pieces however many strings the
    answer has; what is left of each chunk is only its ``,:[]{}``.
    """
    plain = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    view = memoryview(plain)
    items = 0
    parts: list[bytes] = []
    inside = False  # the previous chunk ended inside a string
    size = len(plain)
    for start in range(0, size, _CHUNK):
        end = min(start + _CHUNK, size)
        if inside:
            close = plain.find(b'"', start, end)
            if close < 0:
                continue
            start = close + 1
        inside = plain.count(b'"', start, end) % 2 == 1
        if inside:
            end = plain.rfind(b'"', start, end)  # the string it opens goes on in the next
        bare = _JSON_STRING.sub(b"", view[start:end]).translate(None, _NOT_STRUCTURE)
        items += len(bare) - bare.count(b"]") - bare.count(b"}")
        parts.append(bare.translate(None, b",:"))
    return items, b"".join(parts)


def nesting(brackets: bytes) -> int:
    """The deepest nesting of a string of brackets (C-speed passes, no recursion)."""
    if not brackets:
        return 0
    steps = memoryview(brackets.translate(_NESTING_DELTA)).cast("b")
    return max(itertools.accumulate(steps))


def count_items(body: bytes, limit: int) -> tuple[int, int]:
    """An upper bound of the JSON values and keys of ``body``, and its nesting depth.

    Cheap: when even counting the separators inside strings stays within ``limit`` and the
    brackets cannot nest deeper than :data:`MAX_NESTING`, nothing more is done (the common
    case of a small answer); otherwise the strings are taken out first (:func:`_structure`).
    The nesting is computed only within the item bound (it is 0 beyond it) and when it could
    exceed :data:`MAX_NESTING`.
    """
    rough = body.translate(None, _NOT_STRUCTURE)  # one pass; strings' separators counted too
    items = len(rough) - rough.count(b"]") - rough.count(b"}") + 1
    if items <= limit and rough.count(b"[") + rough.count(b"{") <= MAX_NESTING:
        return items, 0
    items, brackets = _structure(body)
    items += 1
    if items > limit or len(brackets) <= MAX_NESTING:
        return items, 0
    return items, nesting(brackets)
