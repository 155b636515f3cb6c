"""Cancelled calls never poison the client: a storm of them, then every call still succeeds.

The server answers over a real loopback socket and writes each body in two parts 10 ms
apart, so that cancellations land in every phase of an exchange: waiting for a slot,
connecting, writing, reading the headers, reading the body and closing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

import smsc
from smsc._http.aiohttp_transport import AiohttpTransport
from smsc._http.httpx2_transport import Httpx2Transport
from smsc._http.pool import pooled_transport

from .backends import BACKENDS, current

pytestmark = pytest.mark.integration

PHONE = "79991234567"


class SplitBodyServer:
    """HTTP/1.1 on 127.0.0.1: headers and half the body, then the rest 10 ms later.

    ``gate`` holds every answer until that many requests are waiting at once (or it is
    opened): a way to see how many requests the client really has in flight.
    """

    def __init__(self) -> None:
        self.received = 0
        self.waiting = 0
        self.gate: int | None = None
        self._opened = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.url = ""

    async def start(self) -> SplitBodyServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        self._opened.set()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    def hold_until(self, count: int) -> None:
        self.gate = count
        self._opened.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                length = next(
                    int(line.partition(":")[2])
                    for line in lines
                    if line.lower().startswith("content-length:")
                )
                await reader.readexactly(length)
                self.received += 1
                if self.gate is not None:
                    self.waiting += 1
                    if self.waiting >= self.gate:
                        self._opened.set()
                    await self._opened.wait()
                    self.waiting -= 1
                body = _answer(lines[0])
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body) + body[:8]
                )
                await writer.drain()
                await asyncio.sleep(0.01)
                writer.write(body[8:])
                await writer.drain()
        self._writers.discard(writer)
        writer.close()


def _answer(request_line: str) -> bytes:
    if "/send.php" in request_line:
        return json.dumps({"id": 1, "cnt": 1, "cost": "1.80", "balance": "98.20"}).encode()
    return json.dumps({"balance": "100.50", "currency": "RUB"}).encode()


@pytest.fixture
async def server() -> AsyncIterator[SplitBodyServer]:
    running = await SplitBodyServer().start()
    yield running
    await running.close()


def _client(url: str, **options: Any) -> smsc.AsyncSMSCClient:
    # A short timeout: a poisoned pool shows as a PoolTimeout within a second, not thirty.
    options.setdefault("timeout", 2.0)
    return smsc.AsyncSMSCClient(
        login="alice",
        password="s3cret-password",
        host=url,
        allow_http=True,
        http_backend=current(),
        **options,
    )


def _busy_connections(client: smsc.AsyncSMSCClient) -> list[object]:
    """The connections of the client's pool that are neither idle nor closed."""
    transport = client.http_client._transport
    assert isinstance(transport, smsc.FailoverTransport)
    if isinstance(transport._inner, AiohttpTransport):
        session = transport._inner._session
        return [] if session is None else list(session.connector._acquired)  # type: ignore[union-attr]
    if isinstance(transport._inner, Httpx2Transport):
        pool = transport._inner._pool._pool  # httpx2's transport, then its httpcore2 pool
    else:
        pool = transport._inner._pool  # type: ignore[attr-defined]
    return [c for c in pool.connections if not c.is_idle() and not c.is_closed()]


async def _storm(client: smsc.AsyncSMSCClient, rounds: int, seed: int) -> int:
    """``rounds`` of 100 calls, each cancelled after 0-30 ms; returns how many were cut."""
    rng = random.Random(seed)
    cut = 0

    async def one(index: int, limit: float) -> None:
        nonlocal cut
        call = client.send(PHONE, "code 1234") if index % 4 == 0 else client.balance()
        try:
            await asyncio.wait_for(call, limit)
        except asyncio.TimeoutError:
            cut += 1

    for _ in range(rounds):
        await asyncio.gather(*(one(i, rng.uniform(0.0, 0.03)) for i in range(100)))
    return cut


@pytest.mark.usefixtures("http_backend")
async def test_client_serves_every_call_after_a_thousand_cancelled_ones(
    server: SplitBodyServer,
) -> None:
    async with _client(server.url) as client:
        cut = await _storm(client, rounds=10, seed=1093)
        assert cut > 500  # the storm really cancelled calls mid-way
        # Nothing is in flight: no pooled connection may be left busy.
        assert _busy_connections(client) == []
        balances = asyncio.gather(*(client.balance() for _ in range(20)))
        sends = asyncio.gather(*(client.send(PHONE, "code 1234") for _ in range(20)))
        amounts, counts = await asyncio.wait_for(asyncio.gather(balances, sends), 20)
    assert [str(balance.amount) for balance in amounts] == ["100.50"] * 20
    assert [result.count for result in counts] == [1] * 20


@pytest.mark.usefixtures("http_backend")
async def test_cancelled_calls_give_back_every_slot_of_the_request_cap(
    server: SplitBodyServer,
) -> None:
    async with _client(server.url, max_concurrency=4) as client:
        await _storm(client, rounds=3, seed=7)
        # One call alone first: on a slow machine the storm may have cut every first contact,
        # and until the site has answered once, calls queue behind one such contact.
        await client.balance()
        # The server answers nothing until four requests wait at once: with one slot or one
        # pooled connection lost to the storm, the fourth never arrives.
        server.hold_until(4)
        calls = asyncio.gather(
            client.send(PHONE, "code 1234"),
            client.send(PHONE, "code 1234"),
            client.balance(),
            client.balance(),
        )
        results = await asyncio.wait_for(calls, 10)
    assert [type(result).__name__ for result in results] == [
        "SendResult",
        "SendResult",
        "Balance",
        "Balance",
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("steps", range(8))
async def test_requests_cancelled_at_any_step_leave_the_pool_usable(
    server: SplitBodyServer, steps: int, backend: str
) -> None:
    # A pool of one connection (the smallest cap): two requests, both cancelled after
    # ``steps`` turns of the event loop, then a third must still get the connection.
    transport: httpx.AsyncBaseTransport
    if backend == "aiohttp":
        transport = AiohttpTransport(max_connections=1)
    else:
        transport = pooled_transport(1)
        transport._pool._max_connections = 1  # no headroom: only the clean-up can save it
    async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(1.0)) as http:
        for _ in range(3):
            calls = [
                asyncio.ensure_future(http.post(server.url + "/sys/balance.php")) for _ in "ab"
            ]
            for _ in range(steps):
                await asyncio.sleep(0)
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)
        response = await http.post(server.url + "/sys/balance.php")
    assert response.json() == {"balance": "100.50", "currency": "RUB"}
