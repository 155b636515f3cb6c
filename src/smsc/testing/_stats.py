"""What the emulator saw: requests per command and login, error 9s by cause, peaks in flight,
repeated ids, callbacks. Service side: no HTTP here (the web app serves :func:`snapshot` as
JSON at :data:`STATS_PATH`; ``python -m smsc.testing`` prints :func:`summary` on exit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final, Protocol

__all__ = ["STATS_PATH", "ServiceStats", "snapshot", "summary"]

STATS_PATH: Final = "/emulator/stats"
"""Where the emulator's web app serves its statistics as JSON (no credentials needed: a
test double on loopback; the figures carry logins, never passwords, phones or texts)."""

CONCURRENCY: Final = "concurrency"
DUPLICATE_SEND: Final = "duplicate send"
IDENTICAL_COST: Final = "identical cost"
SCRIPTED: Final = "scripted"


class _Delivery(Protocol):
    @property
    def delivered(self) -> bool: ...

    @property
    def failed(self) -> bool: ...

    @property
    def attempts(self) -> Any: ...


class ServiceStats:
    """Counters kept by the request path (see :class:`~._service.Service`).

    Attributes:
        requests: ``(command, login)`` -> requests answered (``""`` for a command not
            served; ``""`` login for a request that failed authentication).
        busy: cause -> error 9 answers: ``concurrency`` (the per-login limit),
            ``duplicate send``, ``identical cost``, ``scripted`` (``fail_next_sends``), or
            ``rate: <command>`` (a per-minute rule of that command).
        sent_ids: ``(login, id)`` -> sends that carried that caller-given id.
    """

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        self.busy: Counter[str] = Counter()
        self.sent_ids: Counter[tuple[str, str]] = Counter()

    def reset(self) -> None:
        """Forget every count."""
        self.requests.clear()
        self.busy.clear()
        self.sent_ids.clear()

    def duplicates(self) -> dict[str, dict[str, int]]:
        """Per login, the ids sent more than once and how many times each."""
        found: dict[str, dict[str, int]] = defaultdict(dict)
        for (login, message_id), count in self.sent_ids.items():
            if count > 1:
                found[login][message_id] = count
        return dict(found)


def snapshot(
    stats: ServiceStats,
    peak_by_login: Mapping[str, int],
    peak_in_flight: int,
    deliveries: Iterable[_Delivery],
) -> dict[str, Any]:
    """The statistics as a JSON-ready mapping."""
    by_command: dict[str, dict[str, int]] = defaultdict(dict)
    for (command, login), count in sorted(stats.requests.items()):
        by_command[command or "(not served)"][login or "(not authenticated)"] = count
    delivered = failed = attempts = 0
    for delivery in deliveries:
        delivered += delivery.delivered
        failed += delivery.failed
        attempts += len(delivery.attempts)
    duplicates = stats.duplicates()
    return {
        "requests": sum(stats.requests.values()),
        "requests_by_command": dict(by_command),
        "error_9_by_cause": dict(sorted(stats.busy.items())),
        "peak_in_flight": peak_in_flight,
        "peak_in_flight_by_login": dict(sorted(peak_by_login.items())),
        "duplicate_ids": {
            "sends": sum(count - 1 for ids in duplicates.values() for count in ids.values()),
            "by_login": duplicates,
        },
        "callbacks": {"delivered": delivered, "failed": failed, "attempts": attempts},
    }


def summary(figures: Mapping[str, Any]) -> list[str]:
    """The statistics as lines for a terminal."""
    lines = [f"requests: {figures['requests']}"]
    for command, logins in figures["requests_by_command"].items():
        each = ", ".join(f"{login} {count}" for login, count in logins.items())
        lines.append(f"  {command}: {each}")
    busy = figures["error_9_by_cause"]
    lines.append(
        "error 9: "
        + (", ".join(f"{cause} {count}" for cause, count in busy.items()) if busy else "none")
    )
    peaks = figures["peak_in_flight_by_login"]
    lines.append(
        f"peak in flight: {figures['peak_in_flight']}"
        + (" (" + ", ".join(f"{login} {n}" for login, n in peaks.items()) + ")" if peaks else "")
    )
    duplicates = figures["duplicate_ids"]
    lines.append(f"sends repeating an id already sent: {duplicates['sends']}")
    callbacks = figures["callbacks"]
    lines.append(
        f"callbacks: {callbacks['delivered']} delivered, {callbacks['failed']} failing "
        f"({callbacks['attempts']} attempts)"
    )
    return lines
