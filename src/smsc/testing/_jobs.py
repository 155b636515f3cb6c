"""Server-side mailings of the emulated service (``jobs.php``): the mailings of each account.

A mailing's messages are ordinary messages of the service whose id is the mailing's id, so
``status.php`` answers for them as for any send. Its state and counts are read from them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .._enums import StatusCode
from ._model import Message, StatusChange

__all__ = ["Job", "JobBook", "JobState"]


class JobState:
    """The state codes a mailing shows ([INF]: undocumented; the SDK's ``JobState``)."""

    WAITING = 0
    RUNNING = 1
    FINISHED = 2
    CANCELLED = 3


@dataclass
class Job:
    """One mailing: its id (its messages' id), name, owner, creation time and messages."""

    id: int
    name: str
    login: str
    created_at: float
    messages: list[Message] = field(default_factory=list, repr=False)
    cancelled: bool = False

    @property
    def state(self) -> int:
        """Cancelled, finished (every message final), waiting (none handed over) or running."""
        if self.cancelled:
            return JobState.CANCELLED
        statuses = [message.status for message in self.messages]
        if all(status.is_final for status in statuses):
            return JobState.FINISHED
        if all(status is StatusCode.PENDING for status in statuses):
            return JobState.WAITING
        return JobState.RUNNING

    def counts(self) -> dict[str, int]:
        """Messages per status code, as ``{"1": 98, "-1": 2}``."""
        counted = Counter(int(message.status) for message in self.messages if not message.deleted)
        return {str(code): count for code, count in sorted(counted.items())}

    def cancel(self, now: float) -> None:
        """Stop the messages not yet handed over: they get status -2 (stopped) now."""
        self.cancelled = True
        for message in self.messages:
            if message.status is StatusCode.PENDING:
                message.pending.clear()
                message.history.append(StatusChange(StatusCode.STOPPED, 0, now))


class JobBook:
    """Every account's mailings, by login and id."""

    def __init__(self) -> None:
        self._jobs: dict[str, dict[int, Job]] = {}

    def add(self, job: Job) -> None:
        """Record a new mailing."""
        self._jobs.setdefault(job.login, {})[job.id] = job

    def of(self, login: str) -> list[Job]:
        """The account's mailings, oldest first."""
        return list(self._jobs.get(login, {}).values())

    def get(self, login: str, job_id: int) -> Job | None:
        """The account's mailing ``job_id``, ``None`` when there is none."""
        return self._jobs.get(login, {}).get(job_id)

    def delete(self, login: str, job_id: int) -> bool:
        """Forget a mailing (its messages stay); False when there is none."""
        return self._jobs.get(login, {}).pop(job_id, None) is not None
