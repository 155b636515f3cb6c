"""Loopback: the SDK's cost per call against a raw POST of the same form on the same transport.

A minimal HTTP/1.1 server answers every request with a fixed send answer. It runs in a separate
process, so the measurement is the client side: the SDK's validation, encoding, failover layer,
request cap and decoding on top of its transport, against the same POST done by hand with that
transport's library (httpx, and aiohttp for ``http_backend="aiohttp"``). All sides run in the
same process and event loop, taking turns in rounds; the figure is the ratio of the medians.
Nothing here is compared with a number measured elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
from collections.abc import AsyncIterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from smsc import AsyncSMSCClient

from . import _clients as clients
from ._clients import Figures
from ._server import ANSWER, far_side

BACKENDS = ("httpx", "aiohttp", "httpx2")


@dataclass(frozen=True)
class Settings:
    calls: int = 400
    rounds: int = 5
    goal: float = 1.10
    in_flight: tuple[int, ...] = (1, 10)


async def measure(port: int, settings: Settings, concurrency: int) -> dict[str, Figures]:
    """Median wall and CPU seconds per call of every side."""
    base = f"http://127.0.0.1:{port}"
    async with contextlib.AsyncExitStack() as stack:
        sides = []
        for backend in BACKENDS:
            sides.append(await stack.enter_async_context(clients.sdk(base, concurrency, backend)))
        sides.append(await stack.enter_async_context(clients.raw_httpx(base, concurrency)))
        sides.append(await stack.enter_async_context(clients.raw_aiohttp(base, concurrency)))
        sides.append(await stack.enter_async_context(clients.raw_httpx2(base, concurrency)))
        return await clients.interleaved(
            sides,
            calls=settings.calls,
            rounds=settings.rounds,
            concurrency=concurrency,
            warm=min(200, settings.calls),
        )


def run(settings: Settings, port: int) -> float:
    """Measure and print; the worst wall-time ratio."""
    print("smsc send vs a raw POST of the same form, loopback server in another process")
    print(f"{settings.calls} calls x {settings.rounds} interleaved rounds per side; medians\n")
    print(f"{'':<26}{'wall time per call':^34}{'client CPU per call':^34}")
    header = f"{'raw':>12}{'smsc send':>12}{'ratio':>10}"
    print(f"{'scenario':<26}{header}{header}")
    worst = 0.0
    for concurrency in settings.in_flight:
        figures = asyncio.run(measure(port, settings, concurrency))
        for backend in BACKENDS:
            raw, mine = figures[f"raw {backend}"], figures[f"smsc on {backend}"]
            ratio = mine.wall / raw.wall
            worst = max(worst, ratio)
            print(
                f"{f'{backend}, {concurrency} in flight':<26}"
                f"{raw.wall * 1e6:>9.0f} us{mine.wall * 1e6:>9.0f} us{ratio:>10.3f}"
                f"{raw.cpu * 1e6:>9.0f} us{mine.cpu * 1e6:>9.0f} us{mine.cpu / raw.cpu:>10.3f}"
            )
    verdict = "meets" if worst <= settings.goal else "MISSES"
    print(f"\nworst wall-time ratio {worst:.3f}: {verdict} the goal of at most {settings.goal:.2f}")
    on_httpx = asyncio.run(sdk_layers_alone(settings, _FromMemory()))
    on_bytes = asyncio.run(sdk_layers_alone(settings, _BytesFromMemory()))
    print(
        "the SDK's own layers alone (a transport answering from memory), CPU per call: "
        f"{on_httpx * 1e6:.0f} us on the httpx path, {on_bytes * 1e6:.0f} us on the bytes path "
        "(aiohttp backend)"
    )
    return worst


class _FromMemory(httpx.AsyncBaseTransport):
    """Takes the body and answers at once, without I/O: what is left is the SDK's own work."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async for _ in request.stream:  # type: ignore[union-attr]
            pass
        return httpx.Response(
            200, headers=[("Content-Length", str(len(ANSWER)))], stream=httpx.ByteStream(ANSWER)
        )


class _BytesFromMemory(_FromMemory):
    """The same for the failover layer's bytes path (which the aiohttp backend takes)."""

    smsc_bytes_path = True

    async def exchange(
        self,
        url: str,
        headers: Sequence[tuple[str, str]],
        body: AsyncIterable[bytes],
        timeouts: Mapping[str, float | None],
        total: float | None,
    ) -> tuple[int, str | None, bytes]:
        async for _ in body:
            pass
        return 200, None, ANSWER


async def sdk_layers_alone(settings: Settings, transport: _FromMemory) -> float:
    """Median client CPU seconds per ``send`` over a transport that answers from memory.

    Validation, form encoding, the request cap, the failover layer, (on the httpx path) the
    httpx request and response objects, and decoding: the floor under the SDK's cost over
    any transport of that path.
    """
    options: dict[str, Any] = {"failover": False, "transport": transport}
    async with AsyncSMSCClient(login=clients.LOGIN, password=clients.PASSWORD, **options) as sdk:

        async def call() -> object:
            return await sdk.send(clients.PHONE, clients.TEXT)

        await clients.timed(min(200, settings.calls), 1, call)
        rounds = [await clients.timed(settings.calls, 1, call) for _ in range(settings.rounds)]
    return statistics.median(cpu for _, cpu in rounds)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Settings()
    parser.add_argument("--calls", type=int, default=defaults.calls, help="calls per round")
    parser.add_argument("--rounds", type=int, default=defaults.rounds)
    parser.add_argument("--goal", type=float, default=defaults.goal, help="highest ratio")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(calls=args.calls, rounds=args.rounds, goal=args.goal)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    settings = settings_from(parser.parse_args())
    with far_side(rtt=0.0) as far:
        run(settings, far.ports.http)
    return 0


if __name__ == "__main__":
    sys.exit(main())
