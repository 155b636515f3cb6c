"""Latency model: HTTPS sends over a proxy that adds a round trip, against raw clients.

A TLS server answering like ``send.php`` runs in another process behind a TCP proxy that
delays each direction by half the round trip (RTT) and a new connection by one more RTT; TLS
runs end to end with a self-signed certificate made for this run. Scenarios:

* sequential sends (1 in flight): the SDK on each transport, raw httpx and raw aiohttp, and
  the seed library's pattern (a new TLS connection per call, with ``urllib``), against the
  limit of one round trip per request;
* 14 in flight (the service refuses 15): the SDK on each transport against the raw clients;
* the first call of a new client, with and without :meth:`AsyncSMSCClient.warm_up`.

The sides take turns in every round and the figures are medians over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from smsc import AsyncSMSCClient

from . import _clients as clients
from ._clients import Figures, Side
from ._server import FarSide, far_side

MaybeSide = Callable[[], AbstractAsyncContextManager[Side]]

BACKENDS = ("httpx", "aiohttp", "httpx2")


@dataclass(frozen=True)
class Settings:
    rtt: float = 0.020
    sequential_calls: int = 20
    parallel_calls: int = 250
    rounds: int = 5
    in_flight: int = 14
    first_call_rounds: int = 5


def _sides(far: FarSide, concurrency: int, *, sequential: bool) -> list[MaybeSide]:
    base = f"https://127.0.0.1:{far.ports.proxy}"
    tls = far.tls
    makers: list[MaybeSide] = [
        lambda: clients.sdk(base, concurrency, "httpx", tls),
        lambda: clients.sdk(base, concurrency, "aiohttp", tls),
        lambda: clients.sdk(base, concurrency, "httpx2", tls),
        lambda: clients.raw_httpx(base, concurrency, tls),
        lambda: clients.raw_aiohttp(base, concurrency, tls),
        lambda: clients.raw_httpx2(base, concurrency, tls),
    ]
    if clients.optional("httpx_aiohttp"):
        makers.append(lambda: clients.sdk(base, concurrency, "httpx-aiohttp", tls))
    if sequential:
        makers.append(lambda: clients.urllib_new_connection(base, tls))
    return makers


async def _scenario(
    far: FarSide, settings: Settings, concurrency: int, calls: int
) -> dict[str, Figures]:
    async with contextlib.AsyncExitStack() as stack:
        sides = [
            await stack.enter_async_context(make())
            for make in _sides(far, concurrency, sequential=concurrency == 1)
        ]
        return await clients.interleaved(
            sides,
            calls=calls,
            rounds=settings.rounds,
            concurrency=concurrency,
            warm=max(concurrency, 2),
        )


async def _first_call(far: FarSide, backend: str, *, warm: bool) -> float:
    """Seconds the first send of a new client takes (after ``warm_up()`` when ``warm``)."""
    base = f"https://127.0.0.1:{far.ports.proxy}"
    transport = clients._sdk_transport(backend, 2, far.tls)
    client = AsyncSMSCClient(
        login=clients.LOGIN, password=clients.PASSWORD, host=base, transport=transport
    )
    async with client:
        if warm:
            await client.warm_up()
        started = time.perf_counter()
        await client.send(clients.PHONE, clients.TEXT)
        return time.perf_counter() - started


async def _first_calls(far: FarSide, rounds: int) -> dict[str, tuple[float, float]]:
    """Median seconds of a first call, cold and warmed, per backend (interleaved)."""
    samples: dict[str, tuple[list[float], list[float]]] = {
        backend: ([], []) for backend in BACKENDS
    }
    for _ in range(rounds):
        for backend, (cold, warmed) in samples.items():
            cold.append(await _first_call(far, backend, warm=False))
            warmed.append(await _first_call(far, backend, warm=True))
    return {
        backend: (statistics.median(cold), statistics.median(warmed))
        for backend, (cold, warmed) in samples.items()
    }


# ---------------------------------------------------------------------------- report


def _table(figures: dict[str, Figures]) -> None:
    print(f"  {'client':<38}{'requests/s':>12}{'CPU per request':>18}")
    for name, figure in figures.items():
        print(f"  {name:<38}{figure.rate:>12.1f}{figure.cpu * 1e6:>15.0f} us")


def _ratio(label: str, value: float, goal: float | None = None) -> None:
    verdict = ""
    if goal is not None:
        verdict = f"   goal >= {goal:.2f}: {'meets' if value >= goal else 'MISSES'}"
    print(f"  {label:<52}{value:>7.3f}{verdict}")


def _cpu_ratio(label: str, value: float, goal: float) -> None:
    verdict = f"   goal <= {goal:.2f}: {'meets' if value <= goal else 'MISSES'}"
    print(f"  {label:<52}{value:>7.3f}{verdict}")


def report(
    settings: Settings,
    sequential: dict[str, Figures],
    parallel: dict[str, Figures],
    first: dict[str, tuple[float, float]],
) -> None:
    limit = 1.0 / settings.rtt
    print(f"\nsequential sends over {settings.rtt * 1e3:g} ms RTT (limit {limit:.1f}/s):")
    _table(sequential)
    seed = sequential["urllib, new TLS connection per call"].rate
    for backend in BACKENDS:
        rate = sequential[f"smsc on {backend}"].rate
        _ratio(f"smsc on {backend} / one-round-trip limit", rate / limit, 0.85)
        _ratio(f"smsc on {backend} / seed pattern (urllib)", rate / seed, 2.5)

    print(f"\n{settings.in_flight} in flight over {settings.rtt * 1e3:g} ms RTT:")
    _table(parallel)
    raw_aiohttp = parallel["raw aiohttp"]
    fastest = max(parallel[f"smsc on {backend}"].rate for backend in BACKENDS)
    _ratio("smsc on its fastest transport / raw aiohttp", fastest / raw_aiohttp.rate, 0.95)
    for backend in BACKENDS:
        mine, raw = parallel[f"smsc on {backend}"], parallel[f"raw {backend}"]
        _ratio(f"smsc on {backend} / raw {backend} (requests/s)", mine.rate / raw.rate, 0.95)
        _cpu_ratio(f"smsc on {backend} / raw {backend} (CPU per request)", mine.cpu / raw.cpu, 1.2)
    if "smsc on httpx-aiohttp" in parallel:
        third = parallel["smsc on httpx-aiohttp"]
        _ratio("smsc on httpx-aiohttp / raw aiohttp (requests/s)", third.rate / raw_aiohttp.rate)
    if "raw httpx2" in parallel:
        _ratio(
            "raw httpx2 / raw httpx (requests/s)",
            parallel["raw httpx2"].rate / parallel["raw httpx"].rate,
        )

    print(f"\nfirst call of a new client ({settings.first_call_rounds} rounds, medians):")
    for backend, (cold, warmed) in first.items():
        print(
            f"  smsc on {backend:<8} cold {cold * 1e3:6.1f} ms, after warm_up() "
            f"{warmed * 1e3:6.1f} ms: saves {(cold - warmed) * 1e3:5.1f} ms "
            f"({(cold - warmed) / settings.rtt:.1f} round trips)"
        )


async def measure(far: FarSide, settings: Settings) -> None:
    sequential = await _scenario(far, settings, 1, settings.sequential_calls)
    parallel = await _scenario(far, settings, settings.in_flight, settings.parallel_calls)
    first = await _first_calls(far, settings.first_call_rounds)
    report(settings, sequential, parallel, first)


def run(settings: Settings, far: FarSide | None = None) -> None:
    """Measure and print, against ``far`` (started here, with ``settings.rtt``, if None)."""
    print(
        f"latency model: HTTPS over a proxy adding {settings.rtt * 1e3:g} ms per round trip, "
        "server and proxy in another process"
    )
    print(
        f"{settings.rounds} interleaved rounds per scenario ({settings.sequential_calls} "
        f"sequential / {settings.parallel_calls} parallel calls per round and side); medians"
    )
    if far is not None:
        asyncio.run(measure(far, settings))
        return
    with far_side(settings.rtt) as started:
        asyncio.run(measure(started, settings))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Settings()
    parser.add_argument("--rtt", type=float, default=defaults.rtt * 1e3, help="round trip, ms")
    parser.add_argument("--latency-rounds", type=int, default=defaults.rounds)
    parser.add_argument("--sequential-calls", type=int, default=defaults.sequential_calls)
    parser.add_argument("--parallel-calls", type=int, default=defaults.parallel_calls)


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        rtt=args.rtt / 1e3,
        sequential_calls=args.sequential_calls,
        parallel_calls=args.parallel_calls,
        rounds=args.latency_rounds,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    run(settings_from(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
