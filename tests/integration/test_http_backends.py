"""Choosing the transport under the failover layer, the aiohttp transport's own rules, and
opening connections ahead with ``warm_up``."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

import smsc
from smsc._http.aiohttp_transport import AiohttpTransport
from smsc._http.backends import inner_transport

from .backends import current

pytestmark = pytest.mark.integration

ANSWER = json.dumps({"id": "m-1", "cnt": 1}).encode()


class CountingServer:
    """Counts connections and requests; answers HEAD with headers only and POST with a send."""

    def __init__(self) -> None:
        self.connections = 0
        self.methods: list[str] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def start(self) -> CountingServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                method = head.split(" ", 1)[0]
                self.methods.append(method)
                for line in head.split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        await reader.readexactly(int(line.split(":", 1)[1]))
                headers = f"HTTP/1.1 200 OK\r\nContent-Length: {len(ANSWER)}\r\n\r\n".encode()
                writer.write(headers if method == "HEAD" else headers + ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[CountingServer]:
    started = await CountingServer().start()
    yield started
    await started.close()


def _client(url: str, **options: Any) -> smsc.AsyncSMSCClient:
    return smsc.AsyncSMSCClient(
        login="alice", password="s3cret-password", host=url, allow_http=True, **options
    )


# ------------------------------------------------------------------ choosing the backend


def test_importing_smsc_does_not_import_aiohttp() -> None:
    code = "import sys, smsc; print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_backend_is_a_configuration_error() -> None:
    with pytest.raises(smsc.ConfigurationError, match="http_backend"):
        _client("http://127.0.0.1:1", http_backend="requests")


def test_backend_cannot_be_combined_with_a_transport_of_ones_own() -> None:
    with pytest.raises(smsc.ConfigurationError, match="http_backend"):
        _client(
            "http://127.0.0.1:1",
            http_backend="aiohttp",
            transport=httpx.MockTransport(lambda _: httpx.Response(200)),
        )


def test_aiohttp_backend_without_aiohttp_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # import aiohttp now fails
    monkeypatch.delitem(sys.modules, "smsc._http.aiohttp_transport", raising=False)
    with pytest.raises(smsc.ConfigurationError, match=r"smsc-async\[aiohttp\]"):
        inner_transport("aiohttp", 10)


def test_aiohttp_transport_is_exported_lazily() -> None:
    from smsc._http.aiohttp_transport import AiohttpTransport

    assert smsc.AiohttpTransport is AiohttpTransport
    with pytest.raises(AttributeError):
        _ = smsc.NoSuchName


@pytest.mark.usefixtures("http_backend")
async def test_send_over_each_backend_reaches_the_server_once(server: CountingServer) -> None:
    async with _client(server.url, http_backend=current()) as client:
        result = await client.send("79991234567", "Your code: 1234")
    assert result.id == "m-1"
    assert server.methods == ["POST"]


# ------------------------------------------------------------------ aiohttp's failures


async def test_aiohttp_refused_connection_is_a_connect_error_with_no_url_and_no_chain() -> None:
    from smsc._http.aiohttp_transport import AiohttpTransport

    transport = AiohttpTransport()
    request = httpx.Request("POST", "http://127.0.0.1:1/sys/send.php?psw=s3cret", content=b"x")
    try:
        with pytest.raises(httpx.ConnectError) as info:
            await transport.handle_async_request(request)
    finally:
        await transport.aclose()
    assert "s3cret" not in str(info.value)
    assert "/sys/" not in str(info.value)
    assert info.value.__context__ is None
    assert info.value.__cause__ is None


async def test_aiohttp_connection_dropped_after_the_request_is_a_read_error() -> None:
    # A request that may have reached the service must not look like a connect failure
    # (which the failover layer would repeat on a mirror).
    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    listener = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    transport = inner_transport("aiohttp", 10)
    request = httpx.Request("POST", f"http://127.0.0.1:{port}/sys/send.php", content=b"x")
    try:
        with pytest.raises(httpx.TransportError) as info:
            await transport.handle_async_request(request)
    finally:
        await transport.aclose()
        listener.close()
        await listener.wait_closed()
    assert not isinstance(info.value, httpx.ConnectError | httpx.ConnectTimeout)


async def test_aiohttp_wait_for_a_free_connection_is_a_pool_timeout_not_a_connect_timeout() -> None:
    # A local wait says nothing about the site: the failover layer must not blame it.
    hold, arrived = asyncio.Event(), asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        arrived.set()
        await hold.wait()
        writer.close()

    listener = await asyncio.start_server(silent, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/"
    transport = AiohttpTransport(max_connections=1)
    timeout = httpx.Timeout(5.0, pool=0.05).as_dict()
    first = asyncio.create_task(
        transport.handle_async_request(
            httpx.Request("POST", url, content=b"x", extensions={"timeout": timeout})
        )
    )
    try:
        await asyncio.wait_for(arrived.wait(), 10)  # the first request holds the only slot
        with pytest.raises(httpx.PoolTimeout):
            await transport.handle_async_request(
                httpx.Request("POST", url, content=b"x", extensions={"timeout": timeout})
            )
    finally:
        hold.set()
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await transport.aclose()
        listener.close()
        await listener.wait_closed()


# ------------------------------------------------------------------ warm-up


@pytest.mark.usefixtures("http_backend")
async def test_warm_up_opens_connections_that_the_first_sends_reuse(
    server: CountingServer,
) -> None:
    async with _client(server.url, http_backend=current()) as client:
        assert await client.warm_up(2) == 2
        assert server.connections == 2
        await asyncio.gather(*(client.send("79991234567", "Hi") for _ in range(2)))
    assert server.connections == 2
    assert server.methods == ["HEAD", "HEAD", "POST", "POST"]


@pytest.mark.usefixtures("http_backend")
async def test_warm_up_of_an_unreachable_site_raises_nothing_and_leaves_its_health_alone(
    server: CountingServer,
) -> None:
    closed = CountingServer()
    await closed.start()
    dead = closed.url
    await closed.close()
    async with _client(dead, mirrors=[server.url], http_backend=current()) as client:
        assert await client.warm_up() == 0
        assert client.site_stats[dead].failures == 0


@pytest.mark.usefixtures("http_backend")
async def test_warm_up_opens_no_more_connections_than_the_request_cap(
    server: CountingServer,
) -> None:
    async with _client(server.url, http_backend=current(), max_concurrency=2) as client:
        assert await client.warm_up(50) == 2
    assert server.connections == 2


async def test_warm_up_with_a_borrowed_http_client_does_nothing(server: CountingServer) -> None:
    async with httpx.AsyncClient() as http:
        client = _client(server.url, http_client=http)
        assert await client.warm_up() == 0
    assert server.connections == 0


def test_the_bytes_path_times_the_whole_exchange_with_one_timer() -> None:
    from smsc._http.aiohttp_transport import _exchange_timeout

    usual = _exchange_timeout(5.0, 30.0, 60.05)
    assert (usual.total, usual.connect, usual.sock_connect, usual.sock_read) == (
        35.0,
        5.0,
        5.0,
        None,
    )
    assert _exchange_timeout(5.0, 30.0, 60.05) is usual  # made once, not per request
    assert _exchange_timeout(2.0, 2.0, 2.05).total == 2.05  # the deadline comes first
    assert _exchange_timeout(5.0, None, 60.05).total == 60.05  # no read limit: the deadline
    assert _exchange_timeout(None, None, None).total is None


async def test_an_answer_trickling_past_the_timeout_ends_on_the_aiohttp_backend() -> None:
    # The SDK's ``timeout`` bounds reading the whole answer there: a site that sends one byte
    # at a time, each within any per-read timeout, still ends the call once it is spent.
    from .loopback import Behaviour, Servers

    servers = Servers()
    try:
        trickling = await servers.start(Behaviour.TRICKLE)
        async with _client(
            trickling.url, http_backend="aiohttp", timeout=0.3, connect_timeout=0.2, max_retries=0
        ) as client:
            with pytest.raises(smsc.APITimeoutError):
                await asyncio.wait_for(client.balance(), 20.0)
    finally:
        await servers.close()
