"""`make bench`: the SDK's cost per call against a raw httpx POST of the same form.

A minimal HTTP/1.1 server answers every request with a fixed send answer. It runs in a separate
process, so the measurement is the client side: the SDK's validation, encoding, failover layer,
request cap and decoding on top of httpx, against the same httpx POST done by hand. Both run in
the same process and event loop, interleaved in rounds; the figure is the ratio of the medians.
Nothing here is compared with a number measured elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from multiprocessing.synchronize import Event as EventType

import httpx

from smsc import AsyncSMSCClient

ANSWER = b'{"id": 1, "cnt": 1, "cost": "1.80", "balance": "98.20"}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(ANSWER)).encode()
    + b"\r\n\r\n"
    + ANSWER
)
LOGIN, PASSWORD = "bench", "bench-password"
PHONE, TEXT = "79991234567", "Your code: 1234"


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve(port_out: multiprocessing.SimpleQueue[int], stop: EventType) -> None:
    async def main() -> None:
        server = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=1024)
        port_out.put(server.sockets[0].getsockname()[1])
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, stop.wait)
        server.close()

    asyncio.run(main())


async def _timed(
    calls: int, concurrency: int, call: Callable[[], Awaitable[object]]
) -> tuple[float, float]:
    """Wall-clock and client-CPU seconds per call for ``calls`` calls, ``concurrency`` at a time.

    The CPU time is this process's only: the server's work is in the other process.
    """
    queue = iter(range(calls))

    async def worker() -> None:
        for _ in queue:
            await call()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.perf_counter() - started) / calls, (time.process_time() - cpu) / calls


async def measure(
    port: int, *, calls: int, rounds: int, concurrency: int
) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds per call: raw httpx, then the SDK."""
    base = f"http://127.0.0.1:{port}"
    form = {
        "login": LOGIN,
        "psw": PASSWORD,
        "fmt": "3",
        "charset": "utf-8",
        "phones": PHONE,
        "mes": TEXT,
        "cost": "3",
        "id": "s-0123456789abcdef0123456789abcdef",
    }
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    raw = httpx.AsyncClient(limits=limits, timeout=30.0)

    async def raw_send() -> object:
        response = await raw.post(base + "/sys/send.php", data=form)
        response.raise_for_status()
        return response.json()

    sdk = AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        host=base,
        allow_http=True,
        max_concurrency=concurrency,
    )

    async def sdk_send() -> object:
        return await sdk.send(PHONE, TEXT)

    async with raw, sdk:
        for call in (raw_send, sdk_send):  # warm both pools and code paths
            await _timed(200, concurrency, call)
        raw_times: list[tuple[float, float]] = []
        sdk_times: list[tuple[float, float]] = []
        for index in range(rounds):
            order = [(raw_send, raw_times), (sdk_send, sdk_times)]
            if index % 2:
                order.reverse()
            for call, times in order:
                times.append(await _timed(calls, concurrency, call))
    return (
        statistics.median(t[0] for t in raw_times),
        statistics.median(t[0] for t in sdk_times),
        statistics.median(t[1] for t in raw_times),
        statistics.median(t[1] for t in sdk_times),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls per round and side")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--goal", type=float, default=1.15, help="highest acceptable ratio")
    args = parser.parse_args()

    ports: multiprocessing.SimpleQueue[int] = multiprocessing.SimpleQueue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(ports, stop), daemon=True)
    server.start()
    try:
        port = ports.get()
        print("smsc send vs raw httpx POST of the same form, loopback server in another process")
        print(f"{args.calls} calls x {args.rounds} interleaved rounds per scenario; medians\n")
        print(f"{'':<16}{'wall time per call':^34}{'client CPU per call':^34}")
        header = f"{'raw httpx':>12}{'smsc send':>12}{'ratio':>10}"
        print(f"{'scenario':<16}{header}{header}")
        worst = 0.0
        for concurrency in (1, 10):
            raw_s, sdk_s, raw_cpu, sdk_cpu = asyncio.run(
                measure(port, calls=args.calls, rounds=args.rounds, concurrency=concurrency)
            )
            ratio = sdk_s / raw_s
            worst = max(worst, ratio)
            print(
                f"{f'{concurrency} in flight':<16}"
                f"{raw_s * 1e6:>9.0f} us{sdk_s * 1e6:>9.0f} us{ratio:>10.3f}"
                f"{raw_cpu * 1e6:>9.0f} us{sdk_cpu * 1e6:>9.0f} us{sdk_cpu / raw_cpu:>10.3f}"
            )
        verdict = "meets" if worst <= args.goal else "MISSES"
        print(f"\nworst wall-time ratio {worst:.3f}: {verdict} the goal of at most {args.goal:.2f}")
        return 0
    finally:
        stop.set()
        server.join(timeout=5)


if __name__ == "__main__":
    sys.exit(main())
