"""The emulator over real loopback sockets: sites, mirrors sharing one model, every fault."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from smsc.testing import GARBAGE_BODY, Fault, Site, SMSCEmulator

from .conftest import LOGIN, PASSWORD, PHONE, form

pytestmark = pytest.mark.integration


@pytest.fixture
async def site(emulator: SMSCEmulator) -> AsyncIterator[Site]:
    """The emulator on one free loopback port."""
    async with emulator.serve(ports=[0]) as sites:
        yield sites[0]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A plain httpx client with a short timeout."""
    async with httpx.AsyncClient(timeout=5.0) as http:
        yield http


async def balance(client: httpx.AsyncClient, site: Site) -> httpx.Response:
    """POST a balance request (fmt=3) to ``site``."""
    return await client.post(f"{site.url}/sys/balance.php", data=form(fmt=3))


async def test_site_answers_over_a_socket_and_counts_requests(
    client: httpx.AsyncClient, site: Site
) -> None:
    """§1.3: ``/sys/send.php`` over a real socket; the site counts what it received."""
    response = await client.post(f"{site.url}/sys/send.php", data=form(phones=PHONE, mes="Hi"))
    assert (response.text, site.requests) == ("OK - 1 SMS, ID - 1", 1)


async def test_keep_alive_connection_serves_several_requests(
    client: httpx.AsyncClient, site: Site
) -> None:
    """HTTP/1.1 keep-alive: three requests on one connection."""
    for _ in range(3):
        assert (await balance(client, site)).status_code == 200
    assert (site.requests, site.connections) == (3, 1)


async def test_chunked_request_body_is_read(client: httpx.AsyncClient, site: Site) -> None:
    """A body sent with ``Transfer-Encoding: chunked`` is read like any other."""
    body = httpx.QueryParams(form(fmt=3)).__str__().encode()

    async def chunks() -> AsyncIterator[bytes]:
        yield body[:10]
        yield body[10:]

    response = await client.post(
        f"{site.url}/sys/balance.php",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.json() == {"balance": "100.00"}


async def test_unknown_path_over_a_socket_is_404(client: httpx.AsyncClient, site: Site) -> None:
    """§1.3: paths other than the command paths answer 404."""
    assert (await client.get(f"{site.url}/index.html")).status_code == 404


async def test_refused_site_refuses_connections_until_cleared(
    client: httpx.AsyncClient, site: Site
) -> None:
    """Fault REFUSE: nothing listens, so connecting fails; clearing listens on the same port."""
    port = site.port
    await site.set_fault(Fault.REFUSE)
    with pytest.raises(httpx.ConnectError):
        await balance(client, site)
    await site.clear_fault()
    assert (site.port, (await balance(client, site)).status_code) == (port, 200)


async def test_hanging_site_never_answers(site: Site) -> None:
    """Fault HANG: the request is read and left without an answer."""
    await site.set_fault(Fault.HANG)
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.2)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await balance(client, site)
    assert site.requests == 1


async def test_http_500_fault(client: httpx.AsyncClient, site: Site) -> None:
    """Fault HTTP_500: an HTTP error status instead of an answer."""
    await site.set_fault(Fault.HTTP_500)
    assert (await balance(client, site)).status_code == 500


async def test_garbage_fault(client: httpx.AsyncClient, site: Site) -> None:
    """Fault GARBAGE: HTTP 200 with a body no answer format matches."""
    await site.set_fault(Fault.GARBAGE)
    response = await balance(client, site)
    assert (response.status_code, response.content) == (200, GARBAGE_BODY)


async def test_empty_fault(client: httpx.AsyncClient, site: Site) -> None:
    """Fault EMPTY: HTTP 200 with an empty body."""
    await site.set_fault(Fault.EMPTY)
    response = await balance(client, site)
    assert (response.status_code, response.content) == (200, b"")


async def test_close_mid_answer_fault(client: httpx.AsyncClient, site: Site) -> None:
    """Fault CLOSE_MID_ANSWER: the connection closes inside the body."""
    await site.set_fault(Fault.CLOSE_MID_ANSWER)
    with pytest.raises(httpx.RemoteProtocolError):
        await balance(client, site)


async def test_close_mid_answer_still_processes_the_request(
    client: httpx.AsyncClient, site: Site, emulator: SMSCEmulator
) -> None:
    """A send whose answer was cut off did happen: the outcome is unknown to the client."""
    await site.set_fault(Fault.CLOSE_MID_ANSWER)
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(f"{site.url}/sys/send.php", data=form(phones=PHONE, mes="Hi", id=5))
    assert emulator.message(5, PHONE).text == "Hi"


async def test_limited_fault_hits_only_the_next_requests(
    client: httpx.AsyncClient, site: Site
) -> None:
    """A fault with ``times=2`` fails two requests, then the site answers normally."""
    await site.set_fault(Fault.HTTP_500, times=2)
    codes = [(await balance(client, site)).status_code for _ in range(3)]
    assert (codes, site.fault) == ([500, 500, 200], None)


async def test_mirrors_share_one_model(client: httpx.AsyncClient, emulator: SMSCEmulator) -> None:
    """§1.2: a message sent through one site is seen through its mirror."""
    async with emulator.serve(ports=[0, 0]) as (primary, mirror):
        sent = await client.post(
            f"{primary.url}/sys/send.php", data=form(phones=PHONE, mes="Hi", fmt=3)
        )
        status = await client.post(
            f"{mirror.url}/sys/status.php",
            data=form(id=sent.json()["id"], phone=PHONE, fmt=3),
        )
    assert status.json()["status"] == -1
    assert (primary.requests, mirror.requests) == (1, 1)


async def test_failed_primary_leaves_the_mirror_serving(
    client: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """Faults are per site: the mirror answers while the primary refuses."""
    async with emulator.serve(ports=[0, 0]) as (primary, mirror):
        await primary.set_fault(Fault.REFUSE)
        with pytest.raises(httpx.ConnectError):
            await balance(client, primary)
        assert (await balance(client, mirror)).json() == {"balance": "100.00"}


@pytest.mark.parametrize(
    "chunks",
    [b"-5\r\nabcde\r\n0\r\n\r\n", b"7fffffff\r\nabc"],
    ids=["negative-size", "over-16-MB"],
)
async def test_bad_chunk_size_is_answered_400(site: Site, chunks: bytes) -> None:
    """A negative chunk size, or chunks over the 16 MB body cap, are bad requests (not an
    unhandled error in the site, nor a wait for gigabytes)."""
    head = b"POST /sys/balance.php HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    answer = await exchange(site, head + chunks)
    assert answer.startswith(b"HTTP/1.1 400 ")
    await until_idle(site)
    assert not site._handlers


async def test_pipelined_requests_are_answered_in_order(site: Site) -> None:
    """Several keep-alive requests written at once get one answer each, in order."""
    head = f"GET /sys/balance.php?login={LOGIN}&psw={PASSWORD}&fmt=1 HTTP/1.1\r\nHost: x\r\n"
    raw = (head + "\r\n").encode() * 3 + (head + "Connection: close\r\n\r\n").encode()
    answer = await exchange(site, raw)
    assert answer.count(b"HTTP/1.1 200 OK") == 4
    assert answer.count(b"\r\n\r\n100.00") == 4
    assert site.requests == 4


async def test_post_without_content_length_has_an_empty_body(site: Site) -> None:
    """RFC 9112: no ``Content-Length`` and no chunking means no body (error 2, no creds)."""
    answer = await exchange(
        site, b"POST /sys/balance.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert answer.endswith(b"ERROR = 2 (authorise error)")


async def test_client_gone_mid_body_leaves_no_task_and_no_message(
    site: Site, emulator: SMSCEmulator
) -> None:
    """A request cut off inside its body is dropped: no message, no lingering task."""
    body = f"login={LOGIN}&psw={PASSWORD}&phones={PHONE}&mes=Hello".encode()
    reader, writer = await asyncio.open_connection(site.host, site.port)
    writer.write(
        b"POST /sys/send.php HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(body) + 10}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    assert await reader.read() == b""
    await until_idle(site)
    assert (site._handlers, emulator.messages) == (set(), [])


async def test_restarted_site_still_hangs_on_hang(emulator: SMSCEmulator) -> None:
    """After ``stop()`` and ``start()`` the HANG fault still leaves the request unanswered."""
    site = await emulator.start_site()
    await site.stop()
    await site.start()
    await site.set_fault(Fault.HANG)
    reader, writer = await asyncio.open_connection(site.host, site.port)
    try:
        writer.write(b"GET /sys/balance.php HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        read = asyncio.ensure_future(reader.read())
        done, _ = await asyncio.wait({read}, timeout=0.2)
        read.cancel()
        assert not done, "the hanging site closed the connection"
    finally:
        writer.close()
        await writer.wait_closed()
        await site.stop()
    assert site.requests == 1


async def test_connection_reaching_a_stopped_site_is_closed(emulator: SMSCEmulator) -> None:
    """A connection whose handler starts only after ``stop()`` (accepted just before it) is
    closed at once instead of being served, keep-alive, by the stopped site."""
    site = await emulator.start_site()
    await site.stop()
    server_end, client_end = socket.socketpair()
    server_reader, server_writer = await asyncio.open_connection(sock=server_end)
    client_reader, client_writer = await asyncio.open_connection(sock=client_end)
    client_writer.write(b"GET /sys/balance.php HTTP/1.1\r\nHost: x\r\n\r\n")
    await client_writer.drain()
    # Hand the site the connection the way asyncio would have, had it been accepted.
    handler = asyncio.ensure_future(site._handle(server_reader, server_writer))
    try:
        try:
            answer = await asyncio.wait_for(client_reader.read(), timeout=2.0)
        except ConnectionResetError:  # closed with the request unread: a reset is fine
            answer = b""
        assert answer == b""
    finally:
        handler.cancel()
        await asyncio.gather(handler, return_exceptions=True)
        client_writer.close()
        with contextlib.suppress(ConnectionError):
            await client_writer.wait_closed()
    assert site.requests == 0


async def exchange(site: Site, raw: bytes) -> bytes:
    """Write ``raw`` to ``site`` and read until the site closes the connection."""
    reader, writer = await asyncio.open_connection(site.host, site.port)
    try:
        writer.write(raw)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=5.0)
    finally:
        writer.close()
        await writer.wait_closed()


async def until_idle(site: Site) -> None:
    """Let the site's connection tasks finish what the client just ended."""
    for _ in range(100):
        if not site._handlers:
            return
        await asyncio.sleep(0)


async def test_head_answer_has_no_body_so_the_connection_stays_usable(
    client: httpx.AsyncClient, site: Site
) -> None:
    """A HEAD answer (404 here) leaves its body out, so the next answer on the same kept-alive
    connection is read from its start (``client.warm_up`` opens connections with HEAD)."""
    head = await client.head(f"{site.url}/")
    after = await balance(client, site)
    assert (head.status_code, head.content, after.status_code) == (404, b"", 200)
    assert "balance" in after.json()
    assert site.connections == 1


async def test_client_warm_up_then_sends_on_the_warmed_connection(
    emulator: SMSCEmulator, site: Site
) -> None:
    """``warm_up`` against a socket site, then a send on the same connection succeeds."""
    from smsc import AsyncSMSCClient

    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, host=site.url, allow_http=True, failover=False
    ) as sdk:
        assert await sdk.warm_up(1) == 1
        sent = await sdk.send(PHONE, "Hi")
    assert sent.count == 1
    assert site.connections == 1
