"""The clients the benchmarks compare, and the interleaved, median-of-rounds timing.

Every side sends the same form to the same ``send.php`` stand-in and decodes the JSON answer:
the SDK (over httpx or over aiohttp), a raw ``httpx`` POST, a raw ``aiohttp`` POST, and, when
they are installed, a raw ``httpx2`` POST and the SDK over the ``httpx-aiohttp`` transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import ssl
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx

from smsc import AsyncSMSCClient
from smsc._http.aiohttp_transport import AiohttpTransport
from smsc._http.httpx2_transport import Httpx2Transport

LOGIN, PASSWORD = "bench", "bench-password"
PHONE, TEXT = "79991234567", "Your code: 1234"
FORM = {
    "login": LOGIN,
    "psw": PASSWORD,
    "fmt": "3",
    "charset": "utf-8",
    "phones": PHONE,
    "mes": TEXT,
    "cost": "3",
    "id": "s-0123456789abcdef0123456789abcdef",
}
PATH = "/sys/send.php"

Call = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class Side:
    """One client under test: a call that sends one request and decodes its answer."""

    name: str
    call: Call


@dataclass(frozen=True)
class Figures:
    """Medians over the rounds of one side."""

    wall: float  # seconds per request
    cpu: float  # this process's CPU seconds per request

    @property
    def rate(self) -> float:
        """Requests per second."""
        return 1.0 / self.wall


def optional(module: str) -> bool:
    """Whether ``module`` can be imported (``httpx2``, ``httpx_aiohttp``)."""
    return importlib.util.find_spec(module) is not None


# ---------------------------------------------------------------------------- the sides


@contextlib.asynccontextmanager
async def raw_httpx(
    base: str, concurrency: int, tls: ssl.SSLContext | None = None, *, library: Any = httpx
) -> AsyncIterator[Side]:
    """``AsyncClient.post`` with a pool as large as the requests in flight.

    ``library`` is :mod:`httpx`, or ``httpx2`` (the ``httpx2`` extra), whose API is the same.
    """
    limits = library.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with library.AsyncClient(limits=limits, timeout=30.0, verify=tls or True) as client:

        async def call() -> object:
            response = await client.post(base + PATH, data=FORM)
            response.raise_for_status()
            return response.json()

        yield Side(f"raw {library.__name__}", call)


def raw_httpx2(
    base: str, concurrency: int, tls: ssl.SSLContext | None = None
) -> contextlib.AbstractAsyncContextManager[Side]:
    """The same POST with ``httpx2``."""
    import httpx2

    return raw_httpx(base, concurrency, tls, library=httpx2)


@contextlib.asynccontextmanager
async def raw_aiohttp(
    base: str, concurrency: int, tls: ssl.SSLContext | None = None
) -> AsyncIterator[Side]:
    """``aiohttp.ClientSession.post`` with a pool as large as the requests in flight."""
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=tls if tls is not None else True)
    timeout = aiohttp.ClientTimeout(total=30.0)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        url = base + PATH

        async def call() -> object:
            async with session.post(url, data=FORM) as response:
                response.raise_for_status()
                return json.loads(await response.read())

        yield Side("raw aiohttp", call)


def _sdk_transport(backend: str, concurrency: int, tls: ssl.SSLContext) -> httpx.AsyncBaseTransport:
    if backend == "httpx":
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        return httpx.AsyncHTTPTransport(verify=tls, limits=limits)
    if backend == "aiohttp":
        return AiohttpTransport(max_connections=concurrency, ssl_context=tls)
    if backend == "httpx2":
        return Httpx2Transport(max_connections=concurrency, ssl_context=tls)
    # "httpx-aiohttp": the third-party transport, measured for the choice (not shipped)
    from httpx_aiohttp import AiohttpTransport as ThirdParty  # type: ignore[import-not-found, unused-ignore]

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    transport: httpx.AsyncBaseTransport = ThirdParty(verify=tls, limits=limits)
    return transport


@contextlib.asynccontextmanager
async def sdk(
    base: str, concurrency: int, backend: str, tls: ssl.SSLContext | None = None
) -> AsyncIterator[Side]:
    """``AsyncSMSCClient.send`` on ``backend`` (``"httpx"``, ``"aiohttp"``, ``"httpx2"`` or
    ``"httpx-aiohttp"``); over TLS the transport is built to trust the benchmark's cert."""
    options: dict[str, Any] = {"max_concurrency": concurrency}
    if tls is None:
        options.update(allow_http=True, http_backend=backend)
    else:
        options["transport"] = _sdk_transport(backend, concurrency, tls)
    client = AsyncSMSCClient(login=LOGIN, password=PASSWORD, host=base, **options)
    async with client:

        async def call() -> object:
            return await client.send(PHONE, TEXT)

        yield Side(f"smsc on {backend}", call)


@contextlib.asynccontextmanager
async def urllib_new_connection(base: str, tls: ssl.SSLContext) -> AsyncIterator[Side]:
    """The seed library's pattern: a new TLS connection per call, with the standard library.

    Blocking, so each call runs in a worker thread; only its wall time is compared.
    """
    body = urllib.parse.urlencode(FORM).encode()
    url = base + PATH

    def blocking() -> object:
        with urllib.request.urlopen(url, data=body, timeout=30, context=tls) as answer:
            return json.loads(answer.read())

    async def call() -> object:
        return await asyncio.to_thread(blocking)

    yield Side("urllib, new TLS connection per call", call)


# ---------------------------------------------------------------------------- timing


async def timed(calls: int, concurrency: int, call: Call) -> tuple[float, float]:
    """Wall-clock and client-CPU seconds per call, ``concurrency`` calls at a time.

    The CPU time is this process's only: the server's and the proxy's work is in another.
    """
    queue = iter(range(calls))

    async def worker() -> None:
        for _ in queue:
            await call()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.perf_counter() - started) / calls, (time.process_time() - cpu) / calls


async def interleaved(
    sides: Sequence[Side], *, calls: int, rounds: int, concurrency: int, warm: int
) -> dict[str, Figures]:
    """Median figures of each side over ``rounds`` rounds, the sides taking turns.

    Every side is warmed first (pools filled, code paths run); then each round runs every
    side once, starting with a different one each round, so that a slow spell of a shared
    machine falls on all of them alike.
    """
    for side in sides:
        await timed(warm, concurrency, side.call)
    samples: dict[str, list[tuple[float, float]]] = {side.name: [] for side in sides}
    for index in range(rounds):
        shift = index % len(sides)
        for side in [*sides[shift:], *sides[:shift]]:
            samples[side.name].append(await timed(calls, concurrency, side.call))
    return {
        name: Figures(
            statistics.median(wall for wall, _ in times),
            statistics.median(cpu for _, cpu in times),
        )
        for name, times in samples.items()
    }
