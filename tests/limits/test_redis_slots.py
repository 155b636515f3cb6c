"""The Redis limiter's in-flight slots on a real Redis server: cap, leases, FIFO order."""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from smsc._errors import ConfigurationError
from smsc._limits import RedisLimiter

WORKER = str(Path(__file__).with_name("slot_worker.py"))
pytestmark = pytest.mark.integration


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    """Wait until ``check()`` is true; fail after ``timeout`` seconds (a bound, not a speed)."""

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for pause in itertools.repeat(0.005):
        if await check():
            return
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(pause)


def queue_key(login: str) -> str:
    return f"smsc:{{{login}}}:queue"


async def test_several_limiters_share_one_cap_and_queue_the_rest(
    redis_url: str, redis: Redis, login: str
) -> None:
    limiters = [RedisLimiter(redis_url, login=login, max_concurrency=3) for _ in range(4)]
    inside = peak = 0
    gate = asyncio.Event()

    async def request(limiter: RedisLimiter) -> None:
        nonlocal inside, peak
        async with limiter.slot():
            inside += 1
            peak = max(peak, inside)
            await gate.wait()
            inside -= 1

    tasks = [asyncio.create_task(request(lim)) for lim in limiters for _ in range(5)]

    async def three_inside_others_queued() -> bool:
        # Each limiter puts at most max_concurrency (3) waiters in the shared queue; its
        # other waiters (2 each) wait in their own process.
        return inside == 3 and await redis.zcard(queue_key(login)) == 4 * 3 - 3

    await eventually(three_inside_others_queued)
    assert await _held(redis, login, 3)
    gate.set()
    await asyncio.gather(*tasks)
    assert peak == 3
    assert await redis.zcard(f"smsc:{{{login}}}:slots") == 0
    for limiter in limiters:
        await limiter.aclose()


async def test_separate_processes_never_exceed_the_cap(
    redis_url: str, redis: Redis, login: str
) -> None:
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, WORKER, redis_url, login, "4", "count", "25"
        )
        for _ in range(3)
    ]
    for worker in workers:
        assert await asyncio.wait_for(worker.wait(), 60) == 0
    assert int(await redis.get(f"test:{login}:done") or 0) == 75
    peak = int(await redis.get(f"test:{login}:peak") or 0)
    assert 1 <= peak <= 4


async def test_slots_of_a_killed_worker_come_back_when_their_lease_ends(
    redis_url: str, redis: Redis, login: str
) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable, WORKER, redis_url, login, "2", "hold", "2", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.wait_for(holder.stdout.readline(), 30)
        assert line.strip() == b"held"
        async with RedisLimiter(redis_url, login=login, max_concurrency=2) as limiter:
            entered = asyncio.Event()

            async def request() -> None:
                async with limiter.slot():
                    entered.set()

            waiter = asyncio.create_task(request())

            async def queued() -> bool:
                return await redis.zcard(queue_key(login)) == 1

            await eventually(queued)
            assert not entered.is_set()  # both slots are held by the live worker
            holder.kill()  # SIGKILL: no release, no renewal
            await asyncio.wait_for(holder.wait(), 10)
            await asyncio.wait_for(entered.wait(), 5)  # bounded by the 0.5 s lease
            await waiter
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()


async def test_a_held_slot_is_renewed_beyond_its_lease(
    redis_url: str, redis: Redis, login: str
) -> None:
    async with (
        RedisLimiter(redis_url, login=login, max_concurrency=1, lease_ttl=0.6) as holder,
        RedisLimiter(redis_url, login=login, max_concurrency=1, lease_ttl=0.6) as other,
    ):
        entered = asyncio.Event()

        async def contend() -> None:
            async with other.slot():
                entered.set()

        async with holder.slot():
            slots = f"smsc:{{{login}}}:slots"

            async def lease_end() -> float:
                script = "return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or '0'"
                return float(await redis.eval(script, 1, slots))

            first_end = await lease_end()

            async def renewed_past_first_lease() -> bool:
                return await lease_end() > first_end + 600  # renewed after it would have ended

            await eventually(renewed_past_first_lease)
            contender = asyncio.create_task(contend())

            async def queued() -> bool:
                return await redis.zcard(queue_key(login)) == 1

            await eventually(queued)
            assert not entered.is_set()
        await asyncio.wait_for(contender, 5)
        assert entered.is_set()


async def test_waiters_get_slots_in_the_order_they_queued(
    redis_url: str, redis: Redis, login: str
) -> None:
    limiters = [RedisLimiter(redis_url, login=login, max_concurrency=1) for _ in range(6)]
    order: list[int] = []
    release_first = asyncio.Event()

    async def first() -> None:
        async with limiters[0].slot():
            await release_first.wait()

    async def request(n: int) -> None:
        async with limiters[n].slot():
            order.append(n)

    holder = asyncio.create_task(first())
    await eventually(lambda: _held(redis, login, 1))
    waiters = []
    for n in (3, 1, 5, 2, 4):  # each one queues before the next starts
        waiters.append(asyncio.create_task(request(n)))
        expected = len(waiters)

        async def in_queue(expected: int = expected) -> bool:
            return await redis.zcard(queue_key(login)) == expected

        await eventually(in_queue)
    release_first.set()
    await asyncio.gather(holder, *waiters)
    assert order == [3, 1, 5, 2, 4]
    for limiter in limiters:
        await limiter.aclose()


async def _held(redis: Redis, login: str, count: int) -> bool:
    return await redis.zcard(f"smsc:{{{login}}}:slots") == count


async def test_a_waiter_cancelled_in_the_queue_leaves_it_at_once(
    redis_url: str, redis: Redis, login: str
) -> None:
    # The holder and the waiter are two limiters (two processes): a waiter of the holder's
    # own limiter would wait in its process, before the shared queue.
    holder = RedisLimiter(redis_url, login=login, max_concurrency=1)
    async with holder, RedisLimiter(redis_url, login=login, max_concurrency=1) as limiter:
        async with holder.slot():

            async def wait_for_slot() -> None:
                async with limiter.slot():
                    pass

            waiter = asyncio.create_task(wait_for_slot())

            async def queued() -> bool:
                return await redis.zcard(queue_key(login)) == 1

            await eventually(queued)
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
            assert await redis.zcard(queue_key(login)) == 0
        # The slot is given back without the holder waiting for Redis.
        await eventually(lambda: _held(redis, login, 0))


@pytest.mark.parametrize("cap", [0, 15, 20])
def test_max_concurrency_of_15_or_more_is_refused(cap: int) -> None:
    with pytest.raises(ConfigurationError, match="max_concurrency"):
        RedisLimiter("redis://127.0.0.1:1/0", login="alex", max_concurrency=cap)


async def test_hundreds_of_waiters_of_one_process_wait_in_it_not_in_redis(
    redis_url: str, redis: Redis, login: str
) -> None:
    inside = peak = done = 0
    gate = asyncio.Event()

    async with RedisLimiter(redis_url, login=login, max_concurrency=2) as limiter:

        async def request() -> None:
            nonlocal inside, peak, done
            async with limiter.slot():
                inside += 1
                peak = max(peak, inside)
                await gate.wait()
                inside -= 1
            done += 1

        tasks = [asyncio.create_task(request()) for _ in range(300)]

        async def two_inside() -> bool:
            return inside == 2

        await eventually(two_inside)
        # The 298 others hold no ticket in the shared queue and poll nothing.
        assert await redis.zcard(queue_key(login)) == 0
        gate.set()
        await asyncio.gather(*tasks)
    assert (peak, done) == (2, 300)
