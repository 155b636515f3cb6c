"""`make bench-fleet`: several processes on one login, with and without the shared limiter.

The emulator serves one login on a loopback socket and takes ``--service-time`` seconds of
real time per request (as the real service does, so that requests overlap). Each scenario
starts N processes; each process sends ``--sends`` messages at once through its own client
(``max_concurrency`` 10, queueing the rest). Without a shared limiter every process believes
it owns the login's budget, and the service refuses what goes over 14 in flight with error 9;
with a ``RedisLimiter`` on a loopback redis-server they share 10 slots. Printed per scenario:
messages accepted, refused with error 9, other errors, the most requests the emulator saw in
flight at once, and the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.limits.redis_server import serving_redis

from smsc import AsyncSMSCClient, RedisLimiter, TooManyRequestsError
from smsc.testing import SMSCEmulator


async def _child(url: str, login: str, sends: int, redis_url: str, first: int) -> None:
    limiter = RedisLimiter(redis_url, login=login) if redis_url else None
    async with AsyncSMSCClient(
        login=login, password="pw", host=url, allow_http=True, limiter=limiter
    ) as client:
        results = await asyncio.gather(
            *(client.send(f"7999{first + n:07d}", f"Code {first + n}") for n in range(sends)),
            return_exceptions=True,
        )
    if limiter is not None:
        await limiter.aclose()
    counts = Counter(
        "accepted"
        if not isinstance(r, BaseException)
        else "error 9"
        if isinstance(r, TooManyRequestsError)
        else type(r).__name__
        for r in results
    )
    print(json.dumps(counts))


async def _scenario(processes: int, sends: int, service_time: float, redis_url: str) -> str:
    login = f"fleet-{uuid.uuid4().hex[:6]}"
    async with SMSCEmulator(service_time=service_time) as emulator, emulator.serve() as sites:
        emulator.add_account(login, "pw", balance=10**9)
        started = time.perf_counter()
        children = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--child",
                sites[0].url,
                login,
                str(sends),
                redis_url,
                str(n * sends),
                stdout=asyncio.subprocess.PIPE,
            )
            for n in range(processes)
        ]
        total: Counter[str] = Counter()
        for child in children:
            out, _ = await child.communicate()
            total.update(json.loads(out.decode().strip().splitlines()[-1]))
        elapsed = time.perf_counter() - started
        peak = emulator.peak_in_flight_for(login)
    limiter = "Redis limiter" if redis_url else "own cap each"
    others = sum(v for k, v in total.items() if k not in ("accepted", "error 9"))
    return (
        f"{processes} x {sends:<5}{limiter:<15}{total['accepted']:>9}{total['error 9']:>9}"
        f"{others:>8}{peak:>6}{elapsed:>8.1f}"
    )


async def _run(args: argparse.Namespace, redis_url: str) -> None:
    print(f"service time {args.service_time * 1000:g} ms per request, cap 10 per client")
    print(f"{'processes':<11}{'limiter':<15}{'accepted':>9}{'error 9':>9}{'other':>8}"
          f"{'peak':>6}{'s':>8}")  # fmt: skip
    for processes in (1, 2, 4):
        print(await _scenario(processes, args.sends, args.service_time, ""))
    print(await _scenario(4, args.sends, args.service_time, redis_url))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        site, login, sends, redis_url, first = sys.argv[2:7]
        asyncio.run(_child(site, login, int(sends), redis_url, int(first)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=300, help="messages per process")
    parser.add_argument("--service-time", type=float, default=0.08)
    args = parser.parse_args()
    with serving_redis() as shared:
        if shared is None:
            return 2
        asyncio.run(_run(args, shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
