"""The Redis limiter: one login's limits shared by every process and machine using the Redis.

Needs the ``redis`` extra (``pip install 'smsc-async[redis]'``); works with Valkey too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import NoScriptError, RedisError

from .._errors import ConfigurationError, LimiterUnavailableError
from . import _scripts
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
from .local import InProcessLimiter

logger = logging.getLogger("smsc.limits")

_MAX_CONNECTIONS = 50  # per limiter opened from a URL; more waiters share them
_LOCAL = "local:"  # token prefix of hits counted by the fail-open fallback


def redis_client(redis: str | Redis, *, timeout: float) -> tuple[Redis, bool]:
    """A client for ``redis`` (a URL or a client) and whether the caller owns it."""
    if isinstance(redis, str):
        # A blocking pool: hundreds of waiters polling at once wait for one of its
        # connections instead of failing with "too many connections" (a non-blocking pool
        # raises MaxConnectionsError, which would read as Redis being down).
        pool = BlockingConnectionPool.from_url(
            redis,
            max_connections=_MAX_CONNECTIONS,
            timeout=timeout,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
        return Redis.from_pool(pool), True  # closing the client closes its pool
    return redis, False


def unavailable(what: str, exc: BaseException) -> LimiterUnavailableError:
    """The fail-closed error; names the failure's class only (its text may hold the URL)."""
    return LimiterUnavailableError(
        f"{what}: Redis is unreachable ({type(exc).__name__}); failing closed, "
        f"the request was not sent"
    )


class _Script:
    """A Lua script run by EVALSHA, falling back to EVAL (which caches it) on NOSCRIPT."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode("utf-8")).hexdigest()

    async def __call__(self, redis: Redis, keys: Sequence[str], args: Sequence[Any]) -> Any:
        try:
            return await redis.evalsha(self.sha, len(keys), *keys, *args)
        except NoScriptError:
            return await redis.eval(self.source, len(keys), *keys, *args)


_ACQUIRE = _Script(_scripts.ACQUIRE)
_RENEW = _Script(_scripts.RENEW)
_FORGET = _Script(_scripts.FORGET)
_HIT = _Script(_scripts.HIT)


class RedisLimiter:
    """The service's per-login limits, enforced across every worker sharing one Redis.

    In-flight slots are leases: a holder renews its leases every ``lease_ttl / 3`` seconds while
    its requests run, so a worker killed with ``kill -9`` gives its slots back at most
    ``lease_ttl`` seconds later. Waiters queue in FIFO order across all workers; a waiter that
    disappears leaves the queue after ``waiter_ttl`` seconds. If Redis cannot be reached, calls
    fail closed with :class:`~smsc.LimiterUnavailableError` unless ``fail_open=True``, which falls
    back to this process's own limits (and so lets N processes use N times the budget).

    Args:
        redis: a ``redis://`` URL (the limiter opens and closes its client) or a
            ``redis.asyncio.Redis`` client (the caller closes it).
        login: the SMSC login whose limits are shared; keys are ``{prefix}:{login}:...``.
        max_concurrency: requests in flight across all workers (1..14); give every worker
            the same value.
        rules: the window rules by name (defaults: :data:`DEFAULT_RULES`).
        lease_ttl: seconds a slot survives a holder that stopped renewing it.
        waiter_ttl: seconds a queued ticket survives a waiter that stopped polling.
        poll_interval: the shortest and longest pause between a waiter's polls.
        fail_open: on a Redis outage, use per-process limits instead of failing.
        timeout: socket timeout of a client the limiter opens from a URL.
    """

    def __init__(
        self,
        redis: str | Redis,
        *,
        login: str,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        rules: Mapping[str, WindowRule] = DEFAULT_RULES,
        lease_ttl: float = 30.0,
        waiter_ttl: float = 5.0,
        poll_interval: tuple[float, float] = (0.002, 0.05),
        fail_open: bool = False,
        prefix: str = "smsc",
        timeout: float = 2.0,
    ) -> None:
        if not login:
            raise ConfigurationError("login must not be empty")
        if lease_ttl <= 0 or waiter_ttl <= 0 or not 0 < poll_interval[0] <= poll_interval[1]:
            raise ConfigurationError("lease_ttl, waiter_ttl and the poll intervals must be > 0")
        if poll_interval[1] * 4 > waiter_ttl:
            raise ConfigurationError("waiter_ttl must be >= 4 times the longest poll interval")
        self._max = check_concurrency(max_concurrency)
        self._redis, self._owns_redis = redis_client(redis, timeout=timeout)
        base = f"{prefix}:{{{login}}}"
        self._keys = [f"{base}:slots", f"{base}:queue", f"{base}:waiters", f"{base}:seq"]
        self._rate_prefix = f"{base}:rate"
        self._rules = dict(rules)
        self._lease_ms = max(int(lease_ttl * 1000), 1)
        self._waiter_ms = max(int(waiter_ttl * 1000), 1)
        self._poll = poll_interval
        self._fail_open = fail_open
        self._fallback = InProcessLimiter(max_concurrency=max_concurrency, rules=rules)
        self._held: set[str] = set()
        # At most max_concurrency waiters of this process queue in Redis (and poll it); the
        # others wait here, in FIFO order. A deep local queue then costs Redis nothing, and
        # each process has as many tickets in the shared queue as it could use at once.
        self._gate = asyncio.Semaphore(max_concurrency)
        self._renewer: asyncio.Task[None] | None = None
        self._wakers: deque[asyncio.Future[None]] = deque()

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once across all workers of the login."""
        return self._max

    @property
    def lease_ttl(self) -> float:
        """Seconds until the slots of a vanished worker are given back."""
        return self._lease_ms / 1000

    # ------------------------------------------------------------------ slots

    def slot(self) -> AbstractAsyncContextManager[None]:
        """Hold one in-flight slot of the login; waits in FIFO order across all workers.

        Raises:
            LimiterUnavailableError: Redis could not be reached (unless ``fail_open``).
        """
        return SlotContext(self._take, self._give_back)

    async def _take(self) -> str | None:
        await self._gate.acquire()
        try:
            return await self._take_shared()
        except BaseException:
            self._gate.release()
            raise

    async def _take_shared(self) -> str | None:
        # The ticket now holding a slot, or None when holding a fallback slot (fail open).
        ticket = uuid.uuid4().hex
        try:
            await self._acquire(ticket)
        except RedisError as exc:
            await self._forget(ticket)  # a reply lost on the way may hide a slot taken
            if not self._fail_open:
                raise unavailable("limiter slot", exc) from None
            logger.warning("Redis limiter unreachable (%s); per-process limits", _name(exc))
            await self._fallback.acquire()
            return None
        except BaseException:
            await self._forget(ticket)  # cancelled while queued: leave the queue at once
            raise
        self._held.add(ticket)
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._renew_leases())
        return ticket

    async def _give_back(self, ticket: str | None) -> None:
        try:
            if ticket is None:
                await self._fallback.release()
            else:
                await self._release(ticket)
        finally:
            self._gate.release()

    async def _acquire(self, ticket: str) -> None:
        args = (ticket, self._max, self._lease_ms, self._waiter_ms)
        low, high = self._poll
        while True:
            behind = int(await _ACQUIRE(self._redis, self._keys, args))
            _raise_if_cancelling()  # after a take too: the caller gives the slot back
            if behind < 0:
                return
            await self._pause(min(high, low * (1 + behind)))

    async def _pause(self, delay: float) -> None:
        # Wait for a slot given back in this process, or for the next poll.
        loop = asyncio.get_running_loop()
        waker: asyncio.Future[None] = loop.create_future()
        self._wakers.append(waker)
        timer = loop.call_later(delay, _wake, waker)
        try:
            await waker
        finally:
            timer.cancel()
            self._wakers.remove(waker)

    async def _release(self, ticket: str) -> None:
        self._held.discard(ticket)
        if not self._held and self._renewer is not None:
            self._renewer.cancel()
            self._renewer = None
        await self._forget(ticket)
        for waker in self._wakers:
            if not waker.done():
                _wake(waker)
                break

    async def _forget(self, ticket: str) -> None:
        try:
            await _FORGET(self._redis, self._keys[:3], (ticket,))
        except RedisError as exc:
            # The lease or the queued ticket expires by itself.
            logger.warning("Redis limiter: could not give a slot back (%s)", type(exc).__name__)

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self._lease_ms / 3000)
            try:
                lost = await _RENEW(self._redis, self._keys[:1], (self._lease_ms, *self._held))
            except RedisError as exc:
                logger.warning("Redis limiter: lease renewal failed (%s)", type(exc).__name__)
                continue
            if lost:
                logger.warning("Redis limiter: %d lease(s) expired while in use", len(lost))

    # ------------------------------------------------------------------ windows

    async def hit(self, rule: str, key: str = "") -> Hit:
        """Count one request against ``rule`` for ``key`` across all workers.

        Raises:
            LimitExceededError: the rule's window is full (``retry_after`` says for how long).
            IdenticalRequestError: for a rule marked ``identical``.
            LimiterUnavailableError: Redis could not be reached (unless ``fail_open``).
        """
        spec = self._fallback.rule(rule)
        token = uuid.uuid4().hex
        args = (spec.limit, max(int(spec.window * 1000), 1), token)
        try:
            wait_ms = int(await _HIT(self._redis, [self._rate_key(rule, key)], args))
        except RedisError as exc:
            if not self._fail_open:
                raise unavailable(f"limiter rule {rule}", exc) from None
            local = await self._fallback.hit(rule, key)
            return Hit(rule, key, _LOCAL + local.token)
        if wait_ms >= 0:
            raise exceeded(spec, wait_ms / 1000)
        return Hit(rule, key, token)

    async def undo(self, hit: Hit) -> None:
        """Take back ``hit`` (a request that provably never left)."""
        if hit.token.startswith(_LOCAL):
            await self._fallback.undo(Hit(hit.rule, hit.key, hit.token[len(_LOCAL) :]))
            return
        try:
            await self._redis.zrem(self._rate_key(hit.rule, hit.key), hit.token)
        except RedisError as exc:
            logger.warning("Redis limiter: could not take a hit back (%s)", type(exc).__name__)

    def _rate_key(self, rule: str, key: str) -> str:
        return f"{self._rate_prefix}:{rule}:{key_digest(key)}"

    # ------------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        """Stop renewing leases and close the Redis client if the limiter opened it."""
        if self._renewer is not None:
            self._renewer.cancel()
            self._renewer = None
        if self._owns_redis:
            await self._redis.aclose()

    async def __aenter__(self) -> RedisLimiter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _raise_if_cancelling() -> None:
    # redis-py writes through asyncio.wait_for, which before Python 3.12 can swallow a
    # cancellation arriving as the write completes (CPython gh-86296): the waiter would then
    # poll for ever. The task still counts the request, so honour it here.
    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)
    if cancelling is not None and cancelling():
        raise asyncio.CancelledError


def _name(exc: BaseException) -> str:
    return type(exc).__name__


def _wake(waker: asyncio.Future[None]) -> None:
    if not waker.done():
        waker.set_result(None)
