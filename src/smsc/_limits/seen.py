"""A "seen before?" set on Redis: one delivery callback processed once across the fleet."""

from __future__ import annotations

from collections.abc import Hashable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from .._errors import ConfigurationError
from ._base import fingerprint, key_digest
from ._redis import redis_client, unavailable


class RedisSeenSet:
    """Tells, across every worker sharing the Redis, whether a key was seen before.

    Each key is stored as ``{prefix}:{digest}`` with ``SET NX`` and an expiry, so the first
    worker to see a callback processes it and a retry of the same callback (the service repeats
    callbacks that were not answered with 200) is recognised anywhere in the fleet. Keys are
    stored as digests: no phone number reaches Redis.

    Args:
        redis: a ``redis://`` URL (the set opens and closes its client) or a
            ``redis.asyncio.Redis`` client (the caller closes it).
        ttl: seconds a key is remembered; longer than the service keeps retrying a callback.
        prefix: the key prefix.
        timeout: socket timeout of a client the set opens from a URL.

    Raises (from :meth:`first_time`):
        LimiterUnavailableError: Redis could not be reached; answer the callback with an error
            so the service delivers it again later.
    """

    def __init__(
        self,
        redis: str | Redis,
        *,
        ttl: float = 86_400.0,
        prefix: str = "smsc:seen",
        timeout: float = 2.0,
    ) -> None:
        if ttl <= 0:
            raise ConfigurationError("ttl must be > 0")
        self._redis, self._owns_redis = redis_client(redis, timeout=timeout)
        self._ttl_ms = max(int(ttl * 1000), 1)
        self._prefix = prefix

    async def first_time(self, key: Hashable) -> bool:
        """True for the first call with ``key`` within ``ttl``; False for every later one.

        ``key`` is a string or a tuple of values such as ``callback.dedup_key``.
        """
        try:
            stored = await self._redis.set(self._key(key), b"1", nx=True, px=self._ttl_ms)
        except RedisError as exc:
            raise unavailable("callback duplicate check", exc) from None
        return bool(stored)

    async def first_seen(self, key: Hashable) -> bool:
        """The same as :meth:`first_time`, under the name of the callbacks' duplicate-check hook."""
        return await self.first_time(key)

    async def forget(self, key: Hashable) -> None:
        """Forget ``key``, so that a retry is processed (call it when processing failed)."""
        try:
            await self._redis.delete(self._key(key))
        except RedisError as exc:
            raise unavailable("callback duplicate check", exc) from None

    def _key(self, key: Hashable) -> str:
        if isinstance(key, tuple):
            key = fingerprint(*(f"{type(part).__name__}:{part}" for part in key))
        return f"{self._prefix}:{key_digest(str(key))}"

    async def aclose(self) -> None:
        """Close the Redis client if the set opened it."""
        if self._owns_redis:
            await self._redis.aclose()

    async def __aenter__(self) -> RedisSeenSet:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
