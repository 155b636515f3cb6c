"""What every limiter shares: the rules as data, the interface the request pipeline calls, errors.

The service limits each *login* (protocol reference §5): error 9 at 15 or more simultaneous
requests, more than 5 status requests per message or 10 balance requests per minute, identical
sends within a minute, and per-command limits of the account commands. A limiter keeps a client
(or a fleet of clients sharing a Redis) inside those limits *before* a request is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast, runtime_checkable

from .._errors import ConfigurationError, IdenticalRequestError, LimitExceededError

DEFAULT_MAX_CONCURRENCY = 10
"""Requests in flight per login by default; the service answers error 9 from 15 on."""

SERVICE_CONCURRENCY_CEILING = 15
"""At this many simultaneous requests of one login the service answers error 9."""

# One second more than the service's minute, against clock skew between us and the service.
_MINUTE = 61.0


@dataclass(frozen=True)
class WindowRule:
    """At most ``limit`` requests per ``window`` seconds for one key of one rule.

    ``identical`` marks a rule keyed by the whole request (a fingerprint): going over it raises
    :class:`IdenticalRequestError` instead of :class:`LimitExceededError`.
    """

    name: str
    limit: int
    window: float = _MINUTE
    identical: bool = False

    def __post_init__(self) -> None:
        if not self.name or self.limit < 1 or self.window <= 0:
            raise ConfigurationError("a WindowRule needs a name, limit >= 1 and window > 0")


DEFAULT_RULES: Mapping[str, WindowRule] = {
    rule.name: rule
    for rule in (
        # §5.2: more than five status requests for the same message within a minute.
        WindowRule("status", 5),
        # §5.2: more than one multi-message status request within a minute (key: "").
        WindowRule("status.multi", 1),
        # §5.3: more than ten balance requests within a minute (key: "").
        WindowRule("balance", 10),
        # §5.1: more than one identical send, or five identical cost requests, within a minute.
        WindowRule("send.identical", 1, identical=True),
        WindowRule("cost.identical", 5, identical=True),
        # §5.4: operator lookup: >3 identical or >100 of any kind per minute.
        WindowRule("info.operator.identical", 3, identical=True),
        WindowRule("info.operator", 100),
        # §5.4: price lookup: >3 identical per minute.
        WindowRule("get.price.identical", 3, identical=True),
        # §5.4: at most 3 requests per minute to add a sub-client or change the same one
        # (key: the sub-client's login).
        WindowRule("users.change", 3),
    )
}
"""The service's documented per-login limits, by rule name."""


def fingerprint(*parts: str) -> str:
    """A digest of a request's parts (phones, text, flags) for an ``identical`` rule's key.

    Limiters store only digests of keys, but hashing here as well keeps phones and texts out of
    the pipeline's own variables. Parts are length-prefixed so ``("ab", "c")`` and ``("a", "bc")``
    differ.
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def key_digest(key: str) -> str:
    """The short digest a limiter stores instead of a raw key (a message id, a fingerprint)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


_T = TypeVar("_T")


class SlotContext(Generic[_T]):
    """``async with`` around a take / give-back pair; what ``take`` returns is given back.

    A plain class rather than ``@asynccontextmanager``: a cancellation while waiting for a slot
    must run the limiter's clean-up awaits in an ordinary coroutine, not inside an async
    generator being thrown into.
    """

    __slots__ = ("_give_back", "_take", "_token")

    def __init__(
        self, take: Callable[[], Awaitable[_T]], give_back: Callable[[_T], Awaitable[None]]
    ) -> None:
        self._take = take
        self._give_back = give_back

    async def __aenter__(self) -> None:
        self._token = await self._take()

    async def __aexit__(self, *exc_info: object) -> None:
        await self._give_back(self._token)


@dataclass(frozen=True)
class Hit:
    """One request counted against a rule; :meth:`Limiter.undo` takes it back."""

    rule: str
    key: str
    token: str


def exceeded(rule: WindowRule, retry_after: float) -> LimitExceededError:
    """The error for going over ``rule``."""
    cls = IdenticalRequestError if rule.identical else LimitExceededError
    return cls(rule.name, limit=rule.limit, window=rule.window, retry_after=max(retry_after, 0.0))


def check_concurrency(max_concurrency: int) -> int:
    """``max_concurrency`` if it is below the service's ceiling of 15, else ValueError."""
    if not 1 <= max_concurrency < SERVICE_CONCURRENCY_CEILING:
        raise ConfigurationError(
            f"max_concurrency must be 1..{SERVICE_CONCURRENCY_CEILING - 1} "
            f"(the service refuses {SERVICE_CONCURRENCY_CEILING} or more in flight per login)"
        )
    return max_concurrency


@runtime_checkable
class Limiter(Protocol):
    """What the request pipeline calls around every request of one login.

    The pipeline, per request::

        hits = [await limiter.hit(rule, key) for rule, key in rules_of(request)]  # may raise
        async with limiter.slot():        # waits in FIFO order; may raise LimiterUnavailable
            answer = await transport(request)
        # on a failure that provably sent nothing (connection refused):
        #     for h in hits: await limiter.undo(h)
    """

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once for the login."""
        ...

    def slot(self) -> AbstractAsyncContextManager[None]:
        """Hold one of ``max_concurrency`` in-flight slots while the request runs."""
        ...

    async def hit(self, rule: str, key: str = "") -> Hit:
        """Count one request against ``rule`` for ``key``, or raise :class:`LimitExceededError`.

        A refused request is not counted.
        """
        ...

    async def undo(self, hit: Hit) -> None:
        """Take back a counted request that provably never left (so a retry is allowed)."""
        ...

    async def aclose(self) -> None:
        """Release what the limiter holds (tasks, connections it opened)."""
        ...


@runtime_checkable
class SeenSet(Protocol):
    """A "seen before?" check shared by the workers, e.g. for delivery callbacks."""

    async def first_time(self, key: Hashable) -> bool:
        """True the first time ``key`` is seen within the set's expiry, False after."""
        ...


class _CountedSlot:
    """``async with`` a slot of ``limiter`` and the counts of ``keys`` taken once it is held.

    For a limiter without an ``admit`` of its own: a slot, then :func:`count_all`.
    """

    __slots__ = ("_keys", "_limiter", "_slot")

    def __init__(self, limiter: Limiter, keys: Sequence[tuple[str, str]]) -> None:
        self._limiter = limiter
        self._keys = keys

    async def __aenter__(self) -> tuple[Hit, ...]:
        self._slot = self._limiter.slot()
        await self._slot.__aenter__()
        try:
            return await count_all(self._limiter, self._keys)
        except BaseException as exc:
            await self._slot.__aexit__(type(exc), exc, exc.__traceback__)
            raise

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._slot.__aexit__(*exc_info)


def admission(
    limiter: Limiter, keys: Sequence[tuple[str, str]]
) -> AbstractAsyncContextManager[tuple[Hit, ...]]:
    """Hold a slot of ``limiter`` and count one request against each ``(rule, key)``.

    ``async with admission(limiter, keys) as hits:`` — the counts are taken once the slot is
    held (a full window gives the slot back and raises). A limiter with an ``admit`` method
    (:class:`~smsc._limits.RedisLimiter`) does both in one step.
    """
    admit = getattr(limiter, "admit", None)
    if admit is not None:
        return cast("AbstractAsyncContextManager[tuple[Hit, ...]]", admit(keys))
    return _CountedSlot(limiter, keys)


async def count_all(limiter: Limiter, keys: Sequence[tuple[str, str]]) -> tuple[Hit, ...]:
    """Count one request against each ``(rule, key)``, all or none (the first full rule
    raises :class:`LimitExceededError` and the counts taken before it are taken back)."""
    hits: list[Hit] = []
    try:
        for rule, key in keys:
            hits.append(await limiter.hit(rule, key))
    except BaseException:
        await take_back(limiter, hits)
        raise
    return tuple(hits)


async def take_back(limiter: Limiter | None, hits: Sequence[Hit]) -> None:
    """Undo ``hits`` (the request provably never left)."""
    if limiter is not None:
        for hit in hits:
            await limiter.undo(hit)
