"""Answers of the emulated commands, independent of the answer format (protocol §4, §6, §7).

A command handler returns one of these; the front end writes it in the requested ``fmt`` with
:func:`._formats.render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "ERRORS_WITH_ID",
    "Answer",
    "BalanceAnswer",
    "CostAnswer",
    "DeleteAnswer",
    "ErrorAnswer",
    "FieldValue",
    "JobsAnswer",
    "OkAnswer",
    "Row",
    "SendAnswer",
    "StatusAnswer",
    "StatusRow",
    "TableAnswer",
]

FieldValue = int | str
"""A status field: numbers stay numbers in JSON, everything else is a string."""

# Errors that carry the message id in their answer (protocol §4.1).
ERRORS_WITH_ID = frozenset({3, 6, 7, 8})

DESCRIPTIONS: Mapping[int, str] = {
    1: "parameters error",
    2: "authorise error",
    3: "no money",
    4: "ip is blocked",
    5: "invalid date format",
    6: "message is denied",
    7: "invalid number",
    8: "can't to deliver",
    9: "duplicate request, wait a minute",
}
"""Error descriptions as the service writes them ([OBS]; 5 is [INF])."""


@dataclass(frozen=True)
class ErrorAnswer:
    """An error answer: ``code`` with its description and, for 3/6/7/8, the message id."""

    code: int
    description: str = ""
    message_id: int | str | None = None

    @classmethod
    def of(cls, code: int, message_id: int | str | None = None) -> ErrorAnswer:
        """Error ``code`` with the service's usual description."""
        carried = message_id if code in ERRORS_WITH_ID else None
        return cls(code, DESCRIPTIONS.get(code, "error"), carried)


@dataclass(frozen=True)
class SendAnswer:
    """A successful send; ``cost``/``balance`` only when ``cost=2``/``cost=3`` asked."""

    message_id: int | str
    count: int
    cost: Decimal | None = None
    balance: Decimal | None = None
    phones: tuple[dict[str, str], ...] | None = None


@dataclass(frozen=True)
class CostAnswer:
    """A cost query (``cost=1``): nothing was sent."""

    cost: Decimal
    count: int
    phones: tuple[dict[str, str], ...] | None = None


@dataclass(frozen=True)
class StatusRow:
    """One message in a status answer; ``fields`` keep the JSON key order."""

    fields: dict[str, FieldValue]
    detail: int = 0


@dataclass(frozen=True)
class StatusAnswer:
    """A status answer: one row, or several (``multi``) in the multi-message layout."""

    rows: tuple[StatusRow, ...]
    multi: bool = False


@dataclass(frozen=True)
class BalanceAnswer:
    """A balance answer; ``currency`` only with ``cur=1``, ``credit`` only when non-zero."""

    balance: Decimal
    currency: str | None = None
    credit: Decimal | None = None


@dataclass(frozen=True)
class DeleteAnswer:
    """``status.php`` with ``del=1`` succeeded."""

    deleted: int = field(default=1)


@dataclass(frozen=True)
class OkAnswer:
    """An action succeeded (a change or a deletion): ``{"result": "OK"}``, ``OK``."""


Row = dict[str, FieldValue]
"""One record of a table answer; the keys keep the JSON key order."""


@dataclass(frozen=True)
class TableAnswer:
    """Records: history, received messages, senders, contacts, templates, statistics, ...

    Attributes:
        rows: the records.
        element: the XML element of one record (``fmt=2``).
        single: one record, answered as an object (``fmt=3``) rather than a list.
        wrapper: in ``fmt=3`` the list is the value of this key of an object
            (``{"zones": [...]}``), in ``fmt=2`` this element holds the records.
        last: keys written last in ``fmt=0/1`` (free text, which may hold commas).
    """

    rows: tuple[Row, ...]
    element: str
    single: bool = False
    wrapper: str | None = None
    last: tuple[str, ...] = ()

    @classmethod
    def one(cls, row: Row, element: str = "result") -> TableAnswer:
        """A single record (for example ``{"id": 5}`` after an add)."""
        return cls((row,), element, single=True)


@dataclass(frozen=True)
class JobsAnswer:
    """Mailings (``jobs.php``): one (``single``: an object) or a list; a row's ``stat`` is
    a mapping of status code -> messages."""

    rows: tuple[dict[str, FieldValue | dict[str, int]], ...]
    single: bool = False


Answer = (
    ErrorAnswer
    | SendAnswer
    | CostAnswer
    | StatusAnswer
    | BalanceAnswer
    | DeleteAnswer
    | OkAnswer
    | JobsAnswer
    | TableAnswer
)
