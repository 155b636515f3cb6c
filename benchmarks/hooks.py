"""The cost of events: CPU per ``send`` with no hook, a no-op hook, and smsc.otel.

Over a transport that answers from memory (``loopback.sdk_layers_alone``'s), so what is
measured is the SDK's own work per call. The sides take turns in rounds in one process and
event loop; figures are medians and ratios to "no hook" of the same run. ``--loopback`` puts
a real HTTP server (another process, on 127.0.0.1) under the calls. ``--plain`` measures
only the "no hook" side (for running against another checkout of the SDK as a baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from smsc import AsyncSMSCClient

from . import _clients as clients
from ._server import far_side
from .loopback import _FromMemory


def _sides(plain: bool) -> dict[str, Callable[[AsyncSMSCClient], None]]:
    sides: dict[str, Callable[[AsyncSMSCClient], None]] = {"no hook": lambda client: None}
    if plain:
        return sides

    def noop(client: AsyncSMSCClient) -> None:
        client.events.on(lambda event: None)

    def otel_noop(client: AsyncSMSCClient) -> None:
        from smsc.otel import instrument  # the global (no-op) providers

        instrument(client)

    def otel_sdk(client: AsyncSMSCClient) -> None:
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.trace import TracerProvider

        from smsc.otel import instrument

        instrument(client, tracer_provider=TracerProvider(), meter_provider=MeterProvider())

    sides["no-op hook"] = noop
    sides["otel, no-op providers"] = otel_noop
    sides["otel, SDK providers (no exporter)"] = otel_sdk
    return sides


def _call(client: AsyncSMSCClient) -> Callable[[], Awaitable[object]]:
    async def call() -> object:
        return await client.send(clients.PHONE, clients.TEXT)

    return call


async def measure(calls: int, rounds: int, plain: bool, port: int | None) -> dict[str, float]:
    options: dict[str, Any] = {"failover": False}
    if port is None:
        options["transport"] = _FromMemory()
    else:
        options.update(host=f"http://127.0.0.1:{port}", allow_http=True)
    clients_by_side: dict[str, AsyncSMSCClient] = {}
    for name, setup in _sides(plain).items():
        transport = {"transport": _FromMemory()} if port is None else {}
        client = AsyncSMSCClient(
            login=clients.LOGIN, password=clients.PASSWORD, **{**options, **transport}
        )
        setup(client)
        clients_by_side[name] = client
    figures: dict[str, list[float]] = {name: [] for name in clients_by_side}
    names = list(clients_by_side)
    for name in names:  # warm up
        client = clients_by_side[name]
        await clients.timed(200, 1, _call(client))
    for number in range(rounds):
        for name in names[number % len(names) :] + names[: number % len(names)]:
            client = clients_by_side[name]
            _, cpu = await clients.timed(calls, 1, _call(client))
            figures[name].append(cpu)
    for client in clients_by_side.values():
        await client.aclose()
    return {name: statistics.median(values) for name, values in figures.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--plain", action="store_true", help="only the no-hook side")
    parser.add_argument(
        "--loopback", action="store_true", help="a real HTTP server on 127.0.0.1 (another process)"
    )
    args = parser.parse_args()
    if args.loopback:
        with far_side(rtt=0.0) as far:
            figures = asyncio.run(measure(args.calls, args.rounds, args.plain, far.ports.http))
    else:
        figures = asyncio.run(measure(args.calls, args.rounds, args.plain, None))
    base = figures["no hook"]
    for name, cpu in figures.items():
        print(f"{name:36} {cpu * 1e6:7.1f} us CPU per send  x{cpu / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
