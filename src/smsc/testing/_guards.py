"""The service's counters: IP lock-outs (error 4), rate windows and duplicate sends (error 9).

They read the emulator clock only; the rules' thresholds (:class:`~._model.RateLimits`,
:class:`~._model.LockoutRules`) are passed in by the caller, so a test may swap them at any time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass

from ._answers import Answer, ErrorAnswer
from ._clock import EmulatorClock
from ._model import LockoutRules

__all__ = ["MINUTE", "Guards", "SlidingCounter"]

MINUTE = 60.0
_SWEEP_EVERY = 1024  # calls between sweeps of entries whose window has passed


class SlidingCounter:
    """Counts events per key within a sliding window of emulator time.

    Keys whose events have all left the window are swept now and then, so a long-running
    emulator (``python -m smsc.testing``) does not grow with every distinct request.
    """

    def __init__(self) -> None:
        self._events: dict[Hashable, deque[float]] = {}
        self._widest = 0.0
        self._calls = 0

    def __len__(self) -> int:
        return len(self._events)

    def allow(self, key: Hashable, now: float, window: float, limit: int) -> bool:
        """Record an event for ``key`` unless ``limit`` events already happened in ``window``."""
        self._widest = max(self._widest, window)
        self._calls += 1
        if self._calls % _SWEEP_EVERY == 0:
            self._sweep(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - window:
            events.popleft()
        if len(events) >= limit:
            return False
        events.append(now)
        return True

    def clear(self) -> None:
        """Forget every event."""
        self._events.clear()

    def _sweep(self, now: float) -> None:
        horizon = now - self._widest
        stale = [key for key, events in self._events.items() if not events or events[-1] <= horizon]
        for key in stale:
            del self._events[key]


@dataclass
class _IPState:
    auth_errors: deque[float]
    send_errors: int = 0
    first_send_error: float = 0.0
    blocked_until: float = 0.0


class Guards:
    """Lock-outs per IP, request rates and the duplicate-send window of one service."""

    def __init__(self, clock: EmulatorClock) -> None:
        self._clock = clock
        self._ips: dict[str, _IPState] = {}
        self._duplicates: dict[tuple[str, Hashable], float] = {}
        self._remembered = 0
        self._counter = SlidingCounter()

    def reset(self) -> None:
        """Forget rate counters, duplicate windows and lock-outs."""
        self._ips.clear()
        self._duplicates.clear()
        self._counter.clear()

    # ------------------------------------------------------------------ lock-out (error 4)

    def _ip(self, ip: str) -> _IPState:
        return self._ips.setdefault(ip, _IPState(deque()))

    def is_blocked(self, ip: str) -> bool:
        """True when ``ip`` is locked out (error 4) at the current emulator time."""
        state = self._ips.get(ip)
        return state is not None and state.blocked_until > self._clock.now()

    def blocked_until(self, ip: str) -> float | None:
        """Unix seconds when the lock-out of ``ip`` ends, ``None`` when it is not blocked."""
        return self._ips[ip].blocked_until if self.is_blocked(ip) else None

    def auth_failed(self, ip: str, rules: LockoutRules, *, exempt: bool) -> None:
        """Count an authorisation error of ``ip`` (protocol §5.6); ``exempt``: allow-listed."""
        if rules.auth_errors is None or exempt:
            return
        now = self._clock.now()
        state = self._ip(ip)
        state.auth_errors.append(now)
        while state.auth_errors and state.auth_errors[0] <= now - rules.auth_window:
            state.auth_errors.popleft()
        if len(state.auth_errors) >= rules.auth_errors:
            state.blocked_until = now + rules.auth_block
            state.auth_errors.clear()

    def record_send_result(
        self, ip: str, answer: Answer, rules: LockoutRules, *, exempt: bool
    ) -> None:
        """Count erroneous sends in a row for the lock-out rule (protocol §5.6)."""
        if rules.send_errors is None or exempt:
            return
        state = self._ip(ip)
        if not isinstance(answer, ErrorAnswer):
            state.send_errors = 0
            return
        if answer.code in (2, 4, 9):
            return
        now = self._clock.now()
        if state.send_errors == 0 or state.first_send_error <= now - rules.send_window:
            state.send_errors = 0
            state.first_send_error = now
        state.send_errors += 1
        if state.send_errors >= rules.send_errors:
            state.blocked_until = now + rules.send_block
            state.send_errors = 0

    # ------------------------------------------------------------------ rates (error 9)

    def allow(self, key: Hashable, limit: int | None, window: float = MINUTE) -> bool:
        """Count a request under ``key``; False when ``limit`` per ``window`` is used up."""
        return limit is None or self._counter.allow(key, self._clock.now(), window, limit)

    def is_duplicate(self, login: str, key: Hashable, window: float | None) -> bool:
        """True when an identical send of ``login`` was accepted less than ``window`` ago."""
        if window is None:
            return False
        last = self._duplicates.get((login, key))
        return last is not None and self._clock.now() - last < window

    def remember_send(self, login: str, key: Hashable, window: float | None) -> None:
        """Remember an accepted send for the duplicate window (no-op without a window)."""
        if window is None:
            return
        now = self._clock.now()
        self._duplicates[(login, key)] = now
        self._remembered += 1
        if self._remembered % _SWEEP_EVERY == 0:  # forget sends whose window has passed
            self._duplicates = {k: at for k, at in self._duplicates.items() if now - at < window}
