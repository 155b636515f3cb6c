"""``python -m benchmarks.import_time [--runs N] [--src DIR]``: the cost of importing smsc.

Paired process timings, taken in one run so that the machine's load weighs on both sides
alike: each round starts a fresh interpreter for ``import httpx, pydantic`` (the floor: the
two libraries every install has), then one for each of the SDK's imports. The figure is the
median over the rounds of each import's time divided by the floor's time of the same round.
``--src`` times another checkout's ``src`` directory instead (a before/after comparison).
For where the time goes, use ``python -X importtime -c "import smsc"``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

FLOOR = "import httpx, pydantic"
IMPORTS = {
    "import smsc": "import smsc",
    "a client made": "from smsc import AsyncSMSCClient\nAsyncSMSCClient(login='a', password='b')",
    "a send's modules": "from smsc import AsyncSMSCClient, SendResult, SMSCError\n"
    "AsyncSMSCClient(login='a', password='b')\nSendResult.model_rebuild()",
}


def _timed(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="paired rounds (default 10)")
    parser.add_argument("--src", help="a checkout's src directory to time instead")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    for code in (FLOOR, *IMPORTS.values()):
        _timed(code, env)  # warm the file cache and the bytecode
    floors: list[float] = []
    ratios: dict[str, list[float]] = {name: [] for name in IMPORTS}
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(args.runs):
        floor = _timed(FLOOR, env)
        floors.append(floor)
        for name, code in IMPORTS.items():
            took = _timed(code, env)
            times[name].append(took)
            ratios[name].append(took / floor)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{args.runs} paired rounds, load average {load}; {args.src or 'this checkout'}")
    print(f"  {FLOOR:<24} {statistics.median(floors) * 1000:7.0f} ms   1.00x")
    for name in IMPORTS:
        median_ms = statistics.median(times[name]) * 1000
        print(f"  {name:<24} {median_ms:7.0f} ms   {statistics.median(ratios[name]):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
