"""`make bench-handover`: how long a slot of the Redis limiter takes to reach the next waiter.

Two ``RedisLimiter`` objects (two processes, as Redis sees them: each has its own connections)
share one slot of one login on a loopback redis-server; each takes and holds the slot ``--holds``
times for ``--hold`` seconds. The wall time beyond ``2 x holds x hold`` is the time the slot
spent between holders: printed per hand-over, with the median wait for a slot.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.limits.redis_server import serving_redis

from smsc._limits import RedisLimiter


async def _measure(url: str, holds: int, hold: float) -> str:
    one = RedisLimiter(url, login="handover", max_concurrency=1)
    two = RedisLimiter(url, login="handover", max_concurrency=1)
    waits: list[float] = []

    async def holder(limiter: RedisLimiter) -> None:
        for _ in range(holds):
            asked = time.perf_counter()
            async with limiter.slot():
                waits.append(time.perf_counter() - asked)
                await asyncio.sleep(hold)

    started = time.perf_counter()
    await asyncio.gather(holder(one), holder(two))
    elapsed = time.perf_counter() - started
    await one.aclose()
    await two.aclose()
    per_handover = (elapsed - 2 * holds * hold) / (2 * holds)
    return (
        f"{2 * holds} holds of {hold * 1000:g} ms on one slot: {elapsed:.2f} s; "
        f"{per_handover * 1000:.2f} ms per hand-over; median wait "
        f"{statistics.median(waits) * 1000:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holds", type=int, default=100, help="holds per limiter")
    parser.add_argument("--hold", type=float, default=0.005, help="seconds per hold")
    args = parser.parse_args()
    with serving_redis() as url:
        if url is None:
            return 2
        print(asyncio.run(_measure(url, args.holds, args.hold)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
