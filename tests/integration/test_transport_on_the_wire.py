"""FailoverTransport over real sockets: what the caller gets and what the pool gets back.

The transport hands the caller's own request to the primary and re-seats the answer's body
stream instead of copying the response. These tests check that over real sockets, on both
backends (``httpx.AsyncHTTPTransport`` and the aiohttp transport): compressed answers, the
``Host`` header on each site, the caller's request left as it was, and the pooled connection
returned on every path (a good answer, a bad one, an error, the deadline and the caller's
cancellation), proved with a pool of one connection and a short pool timeout.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import zlib
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

import smsc
from smsc import FailoverTransport, SiteStats, SMSCConfig, build_transport
from smsc._wire import COMMANDS

from .backends import current, new_inner
from .loopback import LoopbackServer, is_json

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("http_backend")]

GOOD = json.dumps({"id": "m-1", "cnt": 1}).encode()


class Exchange:
    """One request a :class:`WireServer` received: the request line and headers."""

    def __init__(self, head: str, body: bytes) -> None:
        lines = head.split("\r\n")
        self.path = lines[0].split(" ")[1]
        self.headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:] if line)
        }
        self.body = body


Reply = Callable[[Exchange], bytes | None]  # raw bytes to write; None: write nothing, hold


def reply(body: bytes, *, status: str = "200 OK", encoding: str | None = None) -> bytes:
    extra = f"Content-Encoding: {encoding}\r\n" if encoding else ""
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("ascii") + body


class WireServer(LoopbackServer):
    """A loopback server writing whatever ``reply(exchange)`` returns, byte for byte.

    ``reply`` may return a partial answer or ``None`` (nothing written): the connection is
    then held open until the test ends.
    """

    def __init__(self, answer: Reply) -> None:
        super().__init__()
        self.reply = answer
        self.exchanges: list[Exchange] = []
        self.arrived = asyncio.Event()

    async def _one_exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        exchange = Exchange(head, b"")
        exchange.body = await reader.readexactly(int(exchange.headers.get("content-length", "0")))
        self.exchanges.append(exchange)
        self.arrived.set()
        raw = self.reply(exchange)
        if raw is not None:
            writer.write(raw)
            await writer.drain()
        if raw is None or _partial(raw):
            await self._release.wait()
            return False
        return True


def _partial(raw: bytes) -> bool:
    head, _, body = raw.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) < int(value)
    return False


@pytest.fixture
async def servers() -> AsyncIterator[list[WireServer]]:
    started: list[WireServer] = []
    yield started
    for server in started:
        await server.close()


async def serve(started: list[WireServer], answer: Reply) -> WireServer:
    server = WireServer(answer)
    started.append(server)
    await server.listen()
    return server


def one_connection_client(*sites: str, **options: Any) -> httpx.AsyncClient:
    """A client whose pool holds one connection: a connection not given back blocks the next."""
    inner = new_inner(1)
    options.setdefault("backoff_base", 0.0)
    options.setdefault("backoff_cap", 0.0)
    return httpx.AsyncClient(
        transport=FailoverTransport(inner, sites, **options),
        timeout=httpx.Timeout(5.0, pool=0.5),
    )


async def post(
    client: httpx.AsyncClient,
    url: str,
    operation: str = "status",
    *,
    deadline_in: float | None = None,
    **extra: Any,
) -> httpx.Response:
    extensions: dict[str, Any] = {
        "smsc_operation": operation,
        "smsc_may_repeat": operation in COMMANDS and COMMANDS[operation].may_repeat,
        "smsc_body_check": is_json,
    }
    if deadline_in is not None:
        extensions["smsc_deadline"] = time.monotonic() + deadline_in
    extensions.update(extra)
    return await client.post(
        f"{url}/sys/{operation}.php", data={"psw": "s3cret"}, extensions=extensions
    )


# ------------------------------------------------------------------ compressed answers


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress)],
)
async def test_compressed_answer_of_the_primary_reaches_the_caller_decoded(
    servers: list[WireServer], encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    primary = await serve(servers, lambda _: reply(compress(GOOD), encoding=encoding))
    async with one_connection_client(primary.url) as client:
        response = await post(client, primary.url)
        assert response.json() == {"id": "m-1", "cnt": 1}
        assert response.elapsed.total_seconds() >= 0
        again = await post(client, primary.url)  # the one pooled connection came back
    assert again.json() == {"id": "m-1", "cnt": 1}
    assert len(primary.exchanges) == 2


async def test_compressed_answer_of_a_mirror_reaches_the_caller_decoded(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(b"<html>busy</html>"))
    mirror = await serve(servers, lambda _: reply(gzip.compress(GOOD), encoding="gzip"))
    async with one_connection_client(primary.url, mirror.url) as client:
        response = await post(client, primary.url)
    assert response.json() == {"id": "m-1", "cnt": 1}
    assert response.extensions["smsc_site"] == mirror.url


async def test_undecodable_gzip_answer_is_a_bad_answer_and_the_connection_comes_back(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(b"not gzip at all", encoding="gzip"))
    mirror = await serve(servers, lambda _: reply(GOOD))
    async with one_connection_client(primary.url, mirror.url) as client:
        response = await post(client, primary.url)
    assert response.json() == {"id": "m-1", "cnt": 1}


# ------------------------------------------------------------------ Host header


async def test_each_site_receives_its_own_host_header(servers: list[WireServer]) -> None:
    primary = await serve(servers, lambda _: reply(b"", status="500 Internal Server Error"))
    mirror = await serve(servers, lambda _: reply(GOOD))
    async with one_connection_client(primary.url, mirror.url) as client:
        await post(client, primary.url)
    assert primary.exchanges[0].headers["host"] == f"127.0.0.1:{primary.port}"
    assert mirror.exchanges[0].headers["host"] == f"127.0.0.1:{mirror.port}"
    assert mirror.exchanges[0].body == primary.exchanges[0].body


# ------------------------------------------------------------------ the caller's request


async def test_callers_request_keeps_its_own_extensions(servers: list[WireServer]) -> None:
    primary = await serve(servers, lambda _: reply(GOOD))

    async def trace(event: str, info: dict[str, Any]) -> None:
        pass

    async with one_connection_client(primary.url) as client:
        request = client.build_request(
            "POST",
            f"{primary.url}/sys/status.php",
            data={"psw": "s3cret"},
            extensions={
                "smsc_operation": "status",
                "smsc_may_repeat": True,
                "smsc_deadline": time.monotonic() + 30.0,
                "trace": trace,
            },
        )
        given = dict(request.extensions)
        response = await client.send(request)
    assert response.json() == {"id": "m-1", "cnt": 1}
    assert request.extensions == given


async def test_resending_the_same_request_with_a_later_deadline_gets_the_full_timeouts(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(GOOD))
    seen: list[dict[str, float]] = []

    class Recording(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(dict(request.extensions["timeout"]))
            return await super().handle_async_request(request)

    transport = FailoverTransport(Recording(), [primary.url])
    async with httpx.AsyncClient(transport=transport, timeout=5.0) as client:
        request = client.build_request(
            "POST",
            f"{primary.url}/sys/status.php",
            data={"psw": "s3cret"},
            extensions={
                "smsc_operation": "status",
                "smsc_may_repeat": True,
                "smsc_deadline": time.monotonic() + 0.5,
            },
        )
        await client.send(request)
        request.extensions["smsc_deadline"] = time.monotonic() + 30.0
        await client.send(request)
    assert seen[0]["read"] <= 0.5
    assert seen[1]["read"] == 5.0  # not the first call's leftover


async def test_server_error_answer_carries_no_private_extension(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(b"oops", status="500 Internal Server Error"))
    async with one_connection_client(primary.url) as client:
        response = await post(client, primary.url, "send")
    assert response.status_code == 500
    assert not [key for key in response.extensions if str(key).startswith("smsc_raw")]


# ------------------------------------------------------------------ the pool gets it back


async def test_connection_comes_back_after_a_bad_body_on_every_retry(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(b"<html>502</html>"))
    async with one_connection_client(primary.url, max_retries=2) as client:
        response = await post(client, primary.url)
        assert response.text == "<html>502</html>"
        assert len(primary.exchanges) == 3
        await post(client, primary.url)


async def test_connection_comes_back_when_the_deadline_ends_a_half_read_answer(
    servers: list[WireServer],
) -> None:
    answers = iter([reply(GOOD)[:-5], reply(GOOD)])
    primary = await serve(servers, lambda _: next(answers))
    async with one_connection_client(primary.url, max_retries=0) as client:
        with pytest.raises(httpx.ReadTimeout):
            await post(client, primary.url, deadline_in=0.2)
        response = await post(client, primary.url)
    assert response.json() == {"id": "m-1", "cnt": 1}


async def test_connection_comes_back_when_the_caller_cancels_mid_answer(
    servers: list[WireServer],
) -> None:
    answers = iter([reply(GOOD)[:-5], reply(GOOD)])
    primary = await serve(servers, lambda _: next(answers))
    async with one_connection_client(primary.url) as client:
        task = asyncio.create_task(post(client, primary.url, "send"))
        await primary.arrived.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        response = await post(client, primary.url, "send")
    assert response.json() == {"id": "m-1", "cnt": 1}
    assert len(primary.exchanges) == 2


async def test_connection_comes_back_after_an_answer_that_is_not_http(
    servers: list[WireServer],
) -> None:
    answers = iter([b"SMTP? no\r\n\r\n", reply(GOOD)])
    primary = await serve(servers, lambda _: next(answers))
    async with one_connection_client(primary.url, max_retries=1) as client:
        response = await post(client, primary.url)
    assert response.json() == {"id": "m-1", "cnt": 1}
    assert len(primary.exchanges) == 2


# ------------------------------------------------------------------ build_transport


async def test_build_transport_as_the_failover_guide_uses_it(servers: list[WireServer]) -> None:
    # The guide's own-client example reads ``transport.stats``: mypy --strict (run over the
    # tests) checks that build_transport is typed to allow it without a cast.
    primary = await serve(servers, lambda _: reply(GOOD))
    config = SMSCConfig(login="alex", password="s3cret", host=primary.url, allow_http=True)
    transport = build_transport(config)
    async with httpx.AsyncClient(transport=transport, timeout=config.http_timeout) as http:
        await post(http, primary.url)
    assert transport.stats == {primary.url: SiteStats(requests=1, failures=0)}


# ------------------------------------------------------------------ cancelled sends


async def test_cancelled_sends_and_probes_never_reach_any_site_twice(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: None)  # takes each send and never answers
    mirror = await serve(servers, lambda _: reply(GOOD))
    transport = FailoverTransport(new_inner(), [primary.url, mirror.url])
    async with httpx.AsyncClient(transport=transport, timeout=5.0) as client:

        async def send(number: int) -> httpx.Response:
            return await client.post(
                f"{primary.url}/sys/send.php",
                data={"psw": "s3cret", "id": f"m-{number}"},
                extensions={"smsc_operation": "send", "smsc_body_check": is_json},
            )

        tasks = [asyncio.create_task(send(number)) for number in range(4)]
        for probes in range(1, 5):
            # the first contact is in flight; the other sends wait for its verdict
            while len(primary.exchanges) < probes:
                primary.arrived.clear()
                await primary.arrived.wait()
            prober = dict(parse_qsl(primary.exchanges[-1].body.decode()))["id"]
            tasks[int(prober.removeprefix("m-"))].cancel()  # a waiting send becomes the probe
        results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(result, asyncio.CancelledError) for result in results)
    ids = [exchange.body for exchange in primary.exchanges]
    assert len(ids) == len(set(ids)) == 4
    assert mirror.exchanges == []


# ------------------------------------------------------------------ the SDK's own pipeline


def sdk_client(url: str) -> smsc.AsyncSMSCClient:
    """The SDK's client on the running backend: its own pool, no httpx.AsyncClient.send."""
    return smsc.AsyncSMSCClient(
        login="alice",
        password="s3cret-password",
        host=url,
        allow_http=True,
        failover=False,
        max_retries=0,
        http_backend=current(),
    )


async def test_sdk_request_carries_its_headers_and_a_compressed_answer_is_decoded(
    servers: list[WireServer],
) -> None:
    answer = json.dumps({"balance": "12.50"}).encode()
    primary = await serve(servers, lambda _: reply(gzip.compress(answer), encoding="gzip"))
    async with sdk_client(primary.url) as client:
        balance = await client.balance()
    assert balance.amount == Decimal("12.50")
    [exchange] = primary.exchanges
    assert exchange.path == "/sys/balance.php"
    assert exchange.headers["host"] == primary.url.removeprefix("http://")
    assert exchange.headers["content-type"] == "application/x-www-form-urlencoded"
    assert exchange.headers["content-length"] == str(len(exchange.body))
    assert exchange.headers["user-agent"].startswith("smsc-async/")
    assert "gzip" in exchange.headers["accept-encoding"]
    assert dict(parse_qsl(exchange.body.decode()))["login"] == "alice"


async def test_sdk_send_whose_answer_cannot_be_decoded_is_an_unknown_outcome(
    servers: list[WireServer],
) -> None:
    primary = await serve(servers, lambda _: reply(b"not gzip at all", encoding="gzip"))
    async with sdk_client(primary.url) as client:
        with pytest.raises(smsc.SendOutcomeUnknownError):
            await client.send("79991234567", "Hi")
    assert len(primary.exchanges) == 1
