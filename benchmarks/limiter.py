"""`make bench-limiter`: the Redis limiter's cost per request against the in-process limiter.

A real redis-server (the one the tests use) runs on a loopback port. Each round takes and gives
back ``--calls`` slots one after the other (the added latency of one request), then counts as
many window hits (the status budget), then makes as many sends through an ``AsyncSMSCClient``
given the limiter (slot + identical-send rule + the request to the emulator, served in
process so that the limiter is the only difference), first with the in-process limiter, then
with the Redis one, in the same process and event loop; rounds alternate the two. The figures
are medians over the rounds: the ratio Redis / in-process and the microseconds Redis adds per
request. Nothing here is compared with a number measured elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from tests.limits.redis_server import serving_redis

from smsc import AsyncSMSCClient
from smsc._limits import InProcessLimiter, Limiter, RedisLimiter
from smsc.testing import RateLimits, SMSCEmulator


async def _slots(limiter: Limiter, calls: int) -> None:
    for _ in range(calls):
        async with limiter.slot():
            pass


_MESSAGES = itertools.count()


async def _hits(limiter: Limiter, calls: int) -> None:
    for _ in range(calls):
        await limiter.hit("status", str(next(_MESSAGES)))  # a new message: never refused


class _ClientSends:
    """Sends through one client per limiter, to an in-process emulator (no rate rules)."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self._emulator = emulator
        self._clients: dict[int, AsyncSMSCClient] = {}

    async def __call__(self, limiter: Limiter, calls: int) -> None:
        client = self._clients.get(id(limiter))
        if client is None:
            client = AsyncSMSCClient(
                login="bench",
                password="bench",
                host="https://emulator.test",
                transport=httpx.ASGITransport(app=self._emulator.app),
                limiter=limiter,
            )
            self._clients[id(limiter)] = client
        for _ in range(calls):
            await client.send("79991234567", f"code {next(_MESSAGES)}")  # never identical

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()


async def _timed(run: Callable[[Limiter, int], Awaitable[None]], lim: Limiter, n: int) -> float:
    started = time.perf_counter()
    await run(lim, n)
    return (time.perf_counter() - started) / n


async def measure(url: str, calls: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Median seconds per request, (in-process, Redis), for each operation."""
    local = InProcessLimiter()
    shared = RedisLimiter(url, login=f"bench-{uuid.uuid4().hex[:8]}")
    emulator = SMSCEmulator(limits=RateLimits.off())
    emulator.add_account("bench", "bench", balance=10**9)
    sends = _ClientSends(emulator)
    runs: dict[str, Callable[[Limiter, int], Awaitable[None]]] = {
        "slot acquire+release": _slots,
        "window hit": _hits,
        "client.send": sends,
    }
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    try:
        for name, run in runs.items():
            await run(shared, 50)  # warm up: connection, script cache
            for _ in range(rounds):
                times[name][0].append(await _timed(run, local, calls))
                times[name][1].append(await _timed(run, shared, calls))
    finally:
        await sends.aclose()
        await shared.aclose()
    return {
        name: (statistics.median(mine), statistics.median(theirs))
        for name, (mine, theirs) in times.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--goal-us", type=float, default=1000.0, help="added µs per request")
    args = parser.parse_args()
    with serving_redis() as url:
        if url is None:
            return 2
        results = asyncio.run(measure(url, args.calls, args.rounds))
    print("RedisLimiter vs InProcessLimiter, loopback redis-server, one request at a time")
    print(f"{args.calls} calls x {args.rounds} alternating rounds; medians\n")
    print(f"{'operation':<22}{'in-process µs':>14}{'Redis µs':>11}{'ratio':>9}{'added µs':>11}")
    worst = 0.0
    for name, (local, shared) in results.items():
        added = (shared - local) * 1e6
        worst = max(worst, added)
        print(
            f"{name:<22}{local * 1e6:>14.1f}{shared * 1e6:>11.1f}"
            f"{shared / local:>9.1f}{added:>11.1f}"
        )
    verdict = "meets" if worst <= args.goal_us else "MISSES"
    print(
        f"\nworst added latency {worst:.0f} µs per request: {verdict} the goal of {args.goal_us:g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
