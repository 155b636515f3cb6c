"""The table of answer bounds in ``docs/guarantees.md``, computed from the specs.

``python -m tests.bounds.bounds_table`` prints it; ``test_answer_bounds`` checks that the page
holds exactly these numbers. Each command is shown for the arguments named in its row; where
the bounds grow with the arguments, the row says by how much per message, phone or record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from smsc._models.messages import SendRequest
from smsc._wire import COMMANDS, StatusQuery
from smsc._wire.bounds import MAX_LIST_RECORDS, ONE_OBJECT
from smsc._wire.bulk import ListSend
from smsc._wire.reports import HistoryQuery, IncomingQuery, OperatorQuery

from ..unit._wire.test_decoders_hostile import SAMPLE_ARGUMENTS

DAY = date(2024, 1, 1)


def _phones(count: int) -> tuple[str, ...]:
    return tuple(f"7999{n:07d}" for n in range(count))


def _grows(unit: str, make: Any) -> tuple[str, Any, Any]:
    return (unit, make(1), make(2))


# name -> (what the row is for, the arguments, the arguments with one unit more or None)
_GROWING: dict[str, tuple[str, Any, Any]] = {
    "send": _grows("phone sent", lambda n: SendRequest(phones=_phones(n), message="x")),
    "cost": _grows("phone priced", lambda n: SendRequest(phones=_phones(n), message="x")),
    "send_list": _grows(
        "line sent", lambda n: ListSend("b-1", tuple((p, "x") for p in _phones(n)))
    ),
    "status": _grows("message asked", lambda n: StatusQuery(tuple((1, p) for p in _phones(n)))),
    "operator": _grows("number looked up", lambda n: OperatorQuery(_phones(n))),
}
_PAGES: dict[str, tuple[str, Any, Any]] = {
    "history": (
        "record (page of 1,000)",
        HistoryQuery(DAY, DAY, count=1000),
        HistoryQuery(DAY, DAY, count=1001),
    ),
    "incoming": (
        "record (page of 1,000)",
        IncomingQuery(count=1000),
        IncomingQuery(count=1001),
    ),
}

TABLE_ARGUMENTS: dict[str, tuple[str, Any, Any]] = {
    name: _GROWING.get(name) or _PAGES.get(name) or ("", SAMPLE_ARGUMENTS[name], None)
    for name in COMMANDS
}


def ceiling(bytes_: int, items: int) -> int:
    """The memory ceiling the property test holds an answer of these bounds to."""
    return (3 << 20) + 4 * bytes_ + 400 * items


def table() -> str:
    lines = [
        "| Command | Answer for | Bytes (decoded) | Items | Memory ceiling |",
        "|---|---|---:|---:|---:|",
    ]
    for name, spec in COMMANDS.items():
        unit, args, more = TABLE_ARGUMENTS[name]
        bounds = spec.answer_bounds(args)
        if more is None and bounds.items > ONE_OBJECT.items:
            shown = f"a list of up to {MAX_LIST_RECORDS:,} records (not paged)"
        elif more is None:
            shown = "one object"
        else:
            extra = spec.answer_bounds(more)
            step = f"+{extra.bytes - bounds.bytes:,} B, +{extra.items - bounds.items:,} items"
            shown = f"1 {unit}; {step} per {unit.split(' (')[0]}"
            if name in _PAGES:
                shown = f"1,000 records; {step} per record"
        memory = ceiling(bounds.bytes, bounds.items) / (1 << 20)
        lines.append(
            f"| `{name}` | {shown} | {bounds.bytes:,} | {bounds.items:,} | {memory:.1f} MiB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
