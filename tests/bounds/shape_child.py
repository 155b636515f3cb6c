"""One hostile answer of issue 23 item 1 against a fresh client, in a process of its own.

Run as ``python -m tests.bounds.shape_child <shape>``. The answer is gzip-compressed and comes
from an in-memory transport (no sockets); the call goes through the whole client (failover
layer, content decoding, the command's decoder). Printed as one JSON line:

- ``peak``: the traced memory peak of the call, in bytes (tracemalloc, started after set-up);
- ``loop_cpu``: the longest stretch of CPU time the event loop's own thread spent between two
  ticks of a ticker task (``time.thread_time``: time the process was not scheduled, or the
  loop waited for the GIL, is not counted, so a busy machine does not inflate it);
- ``loop_wall``: the same stretch in wall time (reported only: it depends on the machine);
- ``outcome``: the class of the error the call raised (``MemoryError`` or worse on the old
  code), or ``"returned"``.

The process is capped at ~1.5 GiB of address space beyond its start, so that the old code
(gigabytes per answer) ends in a MemoryError instead of taking the machine.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import sys
import time
import tracemalloc
from datetime import date
from typing import Any

import httpx

import smsc

SHAPES = ("balance", "status", "send_phones", "history")


def _body(shape: str) -> bytes:
    if shape == "balance":
        return b"[" + b",".join([b"{}"] * 10_000_000) + b"]"  # 30 MB, ~29 KB of gzip
    if shape == "status":
        return b"[" + b",".join([b'{"status":1}'] * 500_000) + b"]"
    if shape == "send_phones":
        phones = [{"phone": "79990000000", "status": 1}] * 300_000
        return json.dumps({"id": 1, "cnt": 1, "phones": phones}).encode()
    if shape == "history":
        record = {"status": 1, "id": 1, "int_id": 5, "phone": "79991234567"}
        return json.dumps([record] * 99_999).encode()
    raise SystemExit(f"unknown shape {shape}")


class _Gzipped(httpx.AsyncBaseTransport):
    def __init__(self, packed: bytes) -> None:
        self._packed = packed

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(self._packed)
        )


async def _call(client: smsc.AsyncSMSCClient, shape: str) -> Any:
    if shape == "balance":
        return await client.balance()
    if shape == "status":
        return await client.status(1, "79991234567")
    if shape == "send_phones":
        return await client.send("79991234567", "hello")
    return await client.history.page(start=date(2024, 1, 1), end=date(2024, 1, 1))


async def _main(shape: str) -> dict[str, Any]:
    packed = gzip.compress(_body(shape), 9)
    longest = {"cpu": 0.0, "wall": 0.0}
    done = asyncio.Event()

    async def ticker() -> None:
        cpu, wall = time.thread_time(), time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now_cpu, now_wall = time.thread_time(), time.perf_counter()
            longest["cpu"] = max(longest["cpu"], now_cpu - cpu)
            longest["wall"] = max(longest["wall"], now_wall - wall)
            cpu, wall = now_cpu, now_wall

    async with smsc.AsyncSMSCClient(
        login="alice",
        password="secret-password",
        host="https://smsc.test",
        transport=_Gzipped(packed),
        failover=False,
        max_retries=0,
    ) as client:
        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0.01)
        tracemalloc.start()
        outcome = "returned"
        try:
            await _call(client, shape)
        except Exception as exc:  # the old code ran out of memory: MemoryError, SystemError
            outcome = type(exc).__name__
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        done.set()
        await tick
    return {
        "shape": shape,
        "compressed": len(packed),
        "peak": peak,
        "loop_cpu": longest["cpu"],
        "loop_wall": longest["wall"],
        "outcome": outcome,
    }


def main() -> None:
    shape = sys.argv[1]
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    start = pages * resource.getpagesize()
    cap = start + (1536 << 20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    print(json.dumps(asyncio.run(_main(shape))))


if __name__ == "__main__":
    main()
