"""The in-process limiter: the per-login limits for the clients of one process (one event loop)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager

from .._errors import ConfigurationError
from ._base import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_RULES,
    Hit,
    SlotContext,
    WindowRule,
    check_concurrency,
    exceeded,
    key_digest,
)

# Sweep windows that have passed every this many hits, so memory stays bounded.
_SWEEP_EVERY = 1024


class InProcessLimiter:
    """The service's per-login limits kept inside one process.

    Enough for one process; several processes (uvicorn workers, queue workers) sharing a login
    need :class:`~smsc._limits.RedisLimiter`, or together they go over the service's limits.

    Args:
        max_concurrency: requests in flight at once (1..14; the service refuses 15).
        rules: the window rules by name (defaults: :data:`DEFAULT_RULES`).
        clock: seconds, monotonic; tests pass a virtual clock.
    """

    def __init__(
        self,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        rules: Mapping[str, WindowRule] = DEFAULT_RULES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = check_concurrency(max_concurrency)
        self._slots = asyncio.Semaphore(max_concurrency)
        self._rules = dict(rules)
        self._clock = clock
        self._windows: dict[tuple[str, str], deque[tuple[float, str]]] = {}
        self._tokens = itertools.count()
        self._hits_since_sweep = 0
        self._held = 0

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once."""
        return self._max

    @property
    def in_flight(self) -> int:
        """Slots held right now."""
        return self._held

    def slot(self) -> AbstractAsyncContextManager[None]:
        """Hold one in-flight slot; callers beyond ``max_concurrency`` wait in FIFO order."""
        return SlotContext(self.acquire, self._give_back)

    async def acquire(self) -> None:
        """Take a slot (waiting for one); :meth:`release` gives it back."""
        await self._slots.acquire()
        self._held += 1

    async def release(self) -> None:
        """Give back a slot taken with :meth:`acquire`."""
        self._held -= 1
        self._slots.release()

    async def _give_back(self, _: None) -> None:
        await self.release()

    def rule(self, name: str) -> WindowRule:
        """The rule called ``name``; ConfigurationError for a name the limiter has no rule for."""
        try:
            return self._rules[name]
        except KeyError:
            raise ConfigurationError(f"no limiter rule named {name!r}") from None

    async def hit(self, rule: str, key: str = "") -> Hit:
        """Count one request against ``rule`` for ``key``, or raise ``LimitExceededError``."""
        spec = self.rule(rule)
        now = self._clock()
        window = self._windows.setdefault((rule, key_digest(key)), deque())
        while window and window[0][0] <= now - spec.window:
            window.popleft()
        if len(window) >= spec.limit:
            raise exceeded(spec, window[0][0] + spec.window - now)
        token = str(next(self._tokens))
        window.append((now, token))
        self._hits_since_sweep += 1
        if self._hits_since_sweep >= _SWEEP_EVERY:
            self._sweep(now)
        return Hit(rule, key, token)

    async def undo(self, hit: Hit) -> None:
        """Take back ``hit`` (a request that provably never left)."""
        window = self._windows.get((hit.rule, key_digest(hit.key)))
        if window is None:
            return
        for entry in window:
            if entry[1] == hit.token:
                window.remove(entry)
                return

    async def aclose(self) -> None:
        """Nothing to release; here so both limiters close the same way."""

    def _sweep(self, now: float) -> None:
        self._hits_since_sweep = 0
        for (rule, digest), window in list(self._windows.items()):
            spec = self._rules[rule]
            if not window or window[-1][0] <= now - spec.window:
                del self._windows[(rule, digest)]
