"""The Redis limiter: one login's limits shared by every process and machine using the Redis.

Needs the ``redis`` extra (``pip install 'smsc-async[redis]'``); works with Valkey too, and
with Redis 6.0 or later (a waiter blocks on its grant list with a fractional timeout).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .._errors import ConfigurationError, LimiterUnavailableError, LimitExceededError
from . import _scripts
from ._base import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_RULES,
    Hit,
    WindowRule,
    check_concurrency,
    count_all,
    exceeded,
    key_digest,
    take_back,
)
from .local import InProcessLimiter

logger = logging.getLogger("smsc.limits")

_MAX_CONNECTIONS = 50  # per limiter opened from a URL; more waiters share them
_LOCAL = "local:"  # token prefix of hits counted by the fail-open fallback
_LOST = (RedisConnectionError, RedisTimeoutError)  # worth one retry on a fresh connection

_GRANTED, _QUEUED, _FULL = 0, 1, 2  # the first item of ADMIT's reply


def redis_client(redis: str | Redis, *, timeout: float) -> tuple[Redis, bool]:
    """A client for ``redis`` (a URL or a client) and whether the caller owns it."""
    if isinstance(redis, str):
        # A blocking pool: many waiters at once wait for one of its connections instead of
        # failing with "too many connections" (a non-blocking pool raises
        # MaxConnectionsError, which would read as Redis being down).
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


_ADMIT = _Script(_scripts.ADMIT)
_RELEASE = _Script(_scripts.RELEASE)
_RENEW = _Script(_scripts.RENEW)
_HIT = _Script(_scripts.HIT)


class _Admission:
    """``async with`` around one admission: a slot held, the request counted; see ``admit``."""

    __slots__ = ("_hits", "_keys", "_limiter", "_ticket")

    def __init__(self, limiter: RedisLimiter, keys: Sequence[tuple[str, str]]) -> None:
        self._limiter = limiter
        self._keys = keys

    async def __aenter__(self) -> tuple[Hit, ...]:
        self._ticket, self._hits = await self._limiter._take(self._keys)
        return self._hits

    async def __aexit__(self, *exc_info: object) -> None:
        await self._limiter._give_back(self._ticket)


class RedisLimiter:
    """The service's per-login limits, enforced across every worker sharing one Redis.

    In-flight slots are leases: a holder renews its leases every ``lease_ttl / 3`` seconds while
    its requests run, so a worker killed with ``kill -9`` gives its slots back at most
    ``lease_ttl`` seconds later. Waiters queue in FIFO order across all workers; a freed slot is
    handed to the head of the queue inside Redis and its waiter, blocked on a list of its own,
    wakes at once. A waiter checks in at least every ``poll_interval[1]`` seconds and one that
    disappears leaves the queue after ``waiter_ttl`` seconds. Taking a slot and counting the
    request against its window rules is one script (one round trip when a slot is free); a
    slot is given back without waiting for Redis, carried by this process's next admission
    or sent on its own right after.

    If Redis cannot be reached, a call is tried once more on a fresh connection after
    ``poll_interval[0]`` seconds (a restart of Redis goes unnoticed), then fails closed with
    :class:`~smsc.LimiterUnavailableError` unless ``fail_open=True``, which falls back to this
    process's own limits (and so lets N processes use N times the budget).

    Args:
        redis: a ``redis://`` URL (the limiter opens and closes its client) or a
            ``redis.asyncio.Redis`` client (the caller closes it).
        login: the SMSC login whose limits are shared; keys are ``{prefix}:{login}:...``.
        max_concurrency: requests in flight across all workers (1..14); give every worker
            the same value.
        rules: the window rules by name (defaults: :data:`DEFAULT_RULES`).
        lease_ttl: seconds a slot survives a holder that stopped renewing it.
        waiter_ttl: seconds a queued ticket survives a waiter that stopped checking in.
        poll_interval: the pause before the one retry after a lost connection, and the
            longest a waiter blocks for its slot before checking in again (at most half
            the client's socket timeout).
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
        poll_interval: tuple[float, float] = (0.5, 1.0),
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
        self._base = f"{base}:"
        self._grants = f"{base}:grant:"
        self._rate_prefix = f"{base}:rate"
        self._rules = dict(rules)
        self._lease_ms = max(int(lease_ttl * 1000), 1)
        self._waiter_ms = max(int(waiter_ttl * 1000), 1)
        self._retry_pause, self._check_in = poll_interval
        # A blocked wait must end well before the socket's timeout would cut it.
        socket_timeout = self._redis.connection_pool.connection_kwargs.get("socket_timeout")
        if isinstance(socket_timeout, (int, float)) and socket_timeout > 0:
            self._check_in = min(self._check_in, socket_timeout / 2)
        self._fail_open = fail_open
        self._fallback = InProcessLimiter(max_concurrency=max_concurrency, rules=rules)
        self._held: set[str] = set()
        # At most max_concurrency waiters of this process queue in Redis (and block on it);
        # the others wait here, in FIFO order. A deep local queue then costs Redis nothing,
        # and each process has as many tickets in the shared queue as it could use at once.
        self._gate = asyncio.Semaphore(max_concurrency)
        self._renewer: asyncio.Task[None] | None = None
        # Slots given back but not yet written to Redis: the next admission of this process
        # carries them, or a flush scheduled at the give-back sends them on their own.
        self._releasing: list[str] = []
        self._flushes: set[asyncio.Task[None]] = set()

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once across all workers of the login."""
        return self._max

    @property
    def lease_ttl(self) -> float:
        """Seconds until the slots of a vanished worker are given back."""
        return self._lease_ms / 1000

    # ------------------------------------------------------------------ slots

    def slot(self) -> AbstractAsyncContextManager[Any]:
        """Hold one in-flight slot of the login; waits in FIFO order across all workers.

        Raises:
            LimiterUnavailableError: Redis could not be reached (unless ``fail_open``).
        """
        return _Admission(self, ())

    def admit(
        self, keys: Sequence[tuple[str, str]]
    ) -> AbstractAsyncContextManager[tuple[Hit, ...]]:
        """Hold one slot and count the request against each ``(rule, key)``, in one script.

        The counts are taken when the slot is, right before the request is written; a full
        window gives the slot back and raises :class:`LimitExceededError` (nothing counted).
        ``async with limiter.admit(keys) as hits:`` — ``hits`` for :meth:`undo`.

        Raises:
            LimitExceededError: a window is full (``retry_after`` says for how long).
            LimiterUnavailableError: Redis could not be reached (unless ``fail_open``).
        """
        for rule, _ in keys:
            self._fallback.rule(rule)  # an unknown rule name fails before anything is taken
        return _Admission(self, keys)

    async def _take(self, keys: Sequence[tuple[str, str]]) -> tuple[str | None, tuple[Hit, ...]]:
        await self._gate.acquire()
        try:
            return await self._take_shared(keys)
        except BaseException:
            self._gate.release()
            raise

    async def _take_shared(
        self, keys: Sequence[tuple[str, str]]
    ) -> tuple[str | None, tuple[Hit, ...]]:
        # The ticket now holding a slot (None: a fallback slot, fail open) and its counts.
        ticket = uuid.uuid4().hex
        try:
            hits = await self._admit(ticket, keys)
        except RedisError as exc:
            # A reply lost on the way may hide a slot taken (and counts, which then expire).
            await self._forget(ticket, retry=False)
            if not self._fail_open:
                raise unavailable("limiter slot", exc) from None
            logger.warning("Redis limiter unreachable (%s); per-process limits", _name(exc))
            return None, await self._take_fallback(keys)
        except LimitExceededError:
            raise  # the script gave the slot back and counted nothing
        except BaseException:
            # Cancelled while queued or while the script ran, or refused: leave at once, and
            # take back what a script whose reply never came may have counted (nothing left).
            await self._forget(ticket, retry=False)
            await take_back(self, self._hits_of(ticket, keys))
            raise
        self._held.add(ticket)
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._renew_leases())
        return ticket, hits

    async def _take_fallback(self, keys: Sequence[tuple[str, str]]) -> tuple[Hit, ...]:
        await self._fallback.acquire()
        try:
            local = await count_all(self._fallback, keys)
        except BaseException:
            await self._fallback.release()
            raise
        return tuple(Hit(hit.rule, hit.key, _LOCAL + hit.token) for hit in local)

    async def _admit(self, ticket: str, keys: Sequence[tuple[str, str]]) -> tuple[Hit, ...]:
        specs = [self._fallback.rule(rule) for rule, _ in keys]
        script_keys = [*self._keys, *(self._rate_key(rule, key) for rule, key in keys)]
        windows = [x for spec in specs for x in (spec.limit, max(int(spec.window * 1000), 1))]
        while True:
            # Slots given back in this process ride along (one round trip for both).
            carried, self._releasing = self._releasing, []
            args = (
                ticket, self._max, self._lease_ms, self._waiter_ms, self._base,
                len(carried), *carried, *windows,
            )  # fmt: skip
            try:
                reply = await self._run(_ADMIT, script_keys, args)
            except BaseException:
                self._release_later(carried)  # they may not have reached Redis
                raise
            # After a take too: the slot is given back and the counts taken back (above).
            _raise_if_cancelling()
            kind = int(reply[0])
            if kind == _GRANTED:
                return self._hits_of(ticket, keys)
            if kind == _FULL:
                raise exceeded(specs[int(reply[1])], int(reply[2]) / 1000)
            token = await self._wait_for_grant(ticket)
            _raise_if_cancelling()
            if token == b"1":  # handed over: the slot is held and the request counted
                return self._hits_of(ticket, keys)
            if token is not None and token.startswith(b"2:"):
                _, rule, wait_ms = token.split(b":")
                raise exceeded(specs[int(rule)], int(wait_ms) / 1000)

    @staticmethod
    def _hits_of(ticket: str, keys: Sequence[tuple[str, str]]) -> tuple[Hit, ...]:
        # ADMIT's window members are the ticket and the window's index: known before the reply.
        return tuple(Hit(rule, key, f"{ticket}:{n}") for n, (rule, key) in enumerate(keys))

    async def _wait_for_grant(self, ticket: str) -> bytes | None:
        # Blocks until a freed slot is handed to this ticket (a token on its grant list: b"1"
        # slot held and counted, b"2:i:ms" window i full), or until it must check in again
        # (None: the caller runs ADMIT next).
        try:
            popped = await self._redis.blpop([self._grants + ticket], timeout=self._check_in)
        except RedisError as exc:
            # Redis restarting or gone: the next ADMIT retries once and then fails closed.
            logger.debug("Redis limiter: waiting for a slot failed (%s)", _name(exc))
            await asyncio.sleep(self._retry_pause)
            return None
        if popped is None:
            return None
        token = popped[1]
        return token if isinstance(token, bytes) else str(token).encode()

    async def _run(self, script: _Script, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """Run ``script``; after a lost connection, once more on a fresh one after a pause.

        Every script is safe to run twice: ADMIT and RELEASE are keyed by the ticket, RENEW
        only lengthens leases. (A HIT run twice counts twice: more cautious, never less.)
        """
        try:
            return await script(self._redis, keys, args)
        except _LOST as exc:
            # redis-py has dropped the broken connection; the pool opens a fresh one.
            logger.debug("Redis limiter: connection lost (%s); one retry", _name(exc))
            await asyncio.sleep(self._retry_pause)
            return await script(self._redis, keys, args)

    async def _give_back(self, ticket: str | None) -> None:
        try:
            if ticket is None:
                await self._fallback.release()
            else:
                self._held.discard(ticket)
                if not self._held and self._renewer is not None:
                    self._renewer.cancel()
                    self._renewer = None
                self._release_later([ticket])
        finally:
            self._gate.release()

    def _release_later(self, tickets: list[str]) -> None:
        # Not awaited: a local waiter woken by the gate carries these in its ADMIT (it runs
        # before the callback, which is scheduled after it), else a flush sends them alone.
        if not tickets:
            return
        first = not self._releasing
        self._releasing.extend(tickets)
        if first:
            asyncio.get_running_loop().call_soon(self._flush_if_pending)

    def _flush_if_pending(self) -> None:
        if self._releasing:  # no admission of this process carried them
            flush = asyncio.get_running_loop().create_task(self._flush())
            self._flushes.add(flush)
            flush.add_done_callback(self._flushes.discard)

    async def _flush(self) -> None:
        tickets, self._releasing = self._releasing, []
        if tickets:
            await self._forget(*tickets)

    async def _forget(self, *tickets: str, retry: bool = True) -> None:
        args = (self._max, self._lease_ms, self._base, *tickets)
        try:
            if retry:
                await self._run(_RELEASE, self._keys[:3], args)
            else:  # after a failure: do not wait a second time for a Redis that is gone
                await _RELEASE(self._redis, self._keys[:3], args)
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
            wait_ms = int(await self._run(_HIT, [self._rate_key(rule, key)], args))
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
        """Give back what is still being given back, stop renewing leases, close the client.

        The Redis client is closed only if the limiter opened it.
        """
        if self._renewer is not None:
            self._renewer.cancel()
            self._renewer = None
        await self._flush()
        if self._flushes:
            await asyncio.gather(*self._flushes, return_exceptions=True)
        if self._owns_redis:
            await self._redis.aclose()

    async def __aenter__(self) -> RedisLimiter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _raise_if_cancelling() -> None:
    # redis-py writes through asyncio.wait_for, which before Python 3.12 can swallow a
    # cancellation arriving as the write completes (CPython gh-86296): the waiter would then
    # wait for ever. The task still counts the request, so honour it here.
    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)
    if cancelling is not None and cancelling():
        raise asyncio.CancelledError


def _name(exc: BaseException) -> str:
    return type(exc).__name__
