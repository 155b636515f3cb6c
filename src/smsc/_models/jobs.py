"""Server-side mailings (``jobs.php``): their states and what ``info``/``list`` report."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from .._enums import StatusCode

__all__ = ["JobCreated", "JobInfo", "JobState"]


class JobState(enum.IntEnum):
    """Where a mailing stands ([INF]: the reference does not document the codes)."""

    WAITING = 0
    """Created; its messages wait for their time."""
    RUNNING = 1
    """Its messages are being handed to operators."""
    FINISHED = 2
    """Every message has a final status."""
    CANCELLED = 3
    """Cancelled: messages not yet handed over are stopped (status -2)."""


class JobInfo(BaseModel):
    """A mailing and the statuses of its messages.

    Attributes:
        id: the mailing's id (its messages carry it: ``client.status(id, phone)``).
        name: the name it was created with.
        state: :class:`JobState` (an unknown code is kept as a number).
        created: when it was created (UTC), when the answer says.
        total: its messages (one per phone).
        statuses: how many of its messages are in each status (``{StatusCode.DELIVERED:
            98, StatusCode.PENDING: 2}``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: int = Field(gt=0, lt=10**19)
    name: str | None = None
    state: JobState | int | None = Field(default=None, union_mode="left_to_right")
    created: datetime | None = None
    total: int | None = Field(default=None, ge=0, lt=10**19)
    statuses: Mapping[StatusCode | int, int] = Field(default_factory=dict)


class JobCreated(BaseModel):
    """A mailing just created with ``with_cost=True`` (``jobs.php?add=1&cost=1``).

    Attributes:
        id: the mailing's id.
        cost: what its messages cost, in the account's currency.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(gt=0, lt=10**19)
    cost: Decimal
