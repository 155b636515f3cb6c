"""A worker process for the tests: takes slots of a shared RedisLimiter.

``python slot_worker.py URL LOGIN CAP MODE N``

* ``count``: takes a slot N times; inside each, raises the shared in-flight counter, records
  its maximum in Redis, yields to the loop a few times, and lowers the counter again.
* ``hold``: takes N slots with a short lease, prints ``held`` and waits to be killed.
"""

from __future__ import annotations

import asyncio
import sys

from redis.asyncio import Redis

from smsc._limits import RedisLimiter

# Raise the in-flight counter and keep its maximum, atomically.
_ENTER = """
local n = redis.call('INCR', KEYS[1])
if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
return n
"""


async def count(url: str, login: str, cap: int, times: int) -> None:
    redis = Redis.from_url(url)
    enter = redis.register_script(_ENTER)
    inflight, peak, done = f"test:{login}:inflight", f"test:{login}:peak", f"test:{login}:done"
    async with RedisLimiter(redis, login=login, max_concurrency=cap) as limiter:

        async def one() -> None:
            async with limiter.slot():
                await enter(keys=[inflight, peak])
                for _ in range(3):
                    await redis.get(peak)  # a round trip: others get a chance to overlap
                await redis.decr(inflight)
                await redis.incr(done)

        await asyncio.gather(*(one() for _ in range(times)))
    await redis.aclose()


async def hold(url: str, login: str, cap: int, slots: int) -> None:
    limiter = RedisLimiter(url, login=login, max_concurrency=cap, lease_ttl=0.5)
    entered = 0
    forever = asyncio.Event()

    async def one() -> None:
        nonlocal entered
        async with limiter.slot():
            entered += 1
            if entered == slots:
                print("held", flush=True)
            await forever.wait()

    await asyncio.gather(*(one() for _ in range(slots)))


if __name__ == "__main__":
    url, login, cap, mode, n = sys.argv[1:6]
    runner = count if mode == "count" else hold
    asyncio.run(runner(url, login, int(cap), int(n)))
