"""The Redis "seen before?" set for delivery callbacks, on a real Redis server."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from smsc._errors import ConfigurationError
from smsc._limits import RedisSeenSet, SeenSet
from smsc.callbacks import (
    CallbackDeduplicator,
    DuplicateCallbackError,
    accept_callback,
    compute_signature,
)

pytestmark = pytest.mark.integration


async def test_a_callback_is_first_seen_by_one_worker_only(redis_url: str, login: str) -> None:
    key = f"{login}:1234:79991234567:1"
    async with RedisSeenSet(redis_url) as one, RedisSeenSet(redis_url) as two:
        assert isinstance(one, SeenSet)
        answers = await asyncio.gather(*(s.first_time(key) for s in (one, two, one, two)))
        assert sorted(answers) == [False, False, False, True]
        assert await two.first_time(f"{login}:1234:79991234567:2")


async def test_a_forgotten_key_is_processed_again(redis_url: str, login: str) -> None:
    async with RedisSeenSet(redis_url) as seen:
        assert await seen.first_time(login)
        await seen.forget(login)
        assert await seen.first_time(login)


async def test_a_key_is_remembered_for_its_ttl_only(redis_url: str, login: str) -> None:
    async with RedisSeenSet(redis_url, ttl=0.2) as seen:
        assert await seen.first_time(login)
        assert not await seen.first_time(login)
        await asyncio.sleep(0.3)
        assert await seen.first_time(login)


async def test_seen_keys_are_digests(redis_url: str, redis: Redis, login: str) -> None:
    async with RedisSeenSet(redis, prefix=f"test:{login}") as seen:
        await seen.first_time("1234:79991234567:1")
    keys = [key async for key in redis.scan_iter(match=f"test:{login}:*")]
    assert len(keys) == 1
    assert b"7999" not in keys[0]
    await redis.ping()  # a borrowed client stays open


def test_a_ttl_of_zero_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        RedisSeenSet("redis://127.0.0.1:1/0", ttl=0)


async def test_callback_dedup_keys_are_taken_as_tuples(redis_url: str, login: str) -> None:
    async with RedisSeenSet(redis_url, prefix=f"test:{login}") as seen:
        assert await seen.first_seen((1234, "79991234567", 1))
        assert not await seen.first_seen((1234, "79991234567", 1))
        assert await seen.first_seen((1234, "79991234567", 3))  # another status
        assert await seen.first_seen(("1234", "79991234567", 1))  # "1234" is not 1234
        await seen.forget((1234, "79991234567", 1))
        assert await seen.first_time((1234, "79991234567", 1))


async def test_accept_callback_takes_a_redis_seen_set_across_workers(
    redis_url: str, login: str
) -> None:
    secret = "s3cr3t-callback-key"
    fields = {"id": login, "phone": "79991234567", "status": "1", "err": "0"}
    fields["md5"] = compute_signature(fields, secret)
    async with RedisSeenSet(redis_url) as one, RedisSeenSet(redis_url) as two:
        assert isinstance(one, CallbackDeduplicator)
        callback = await accept_callback(fields, seen=one, secrets=secret)
        assert callback.id == login
        with pytest.raises(DuplicateCallbackError):
            await accept_callback(fields, seen=two, secrets=secret)  # the retry, elsewhere
