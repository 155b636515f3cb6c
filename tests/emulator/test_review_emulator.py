"""Review of the emulator: robustness of the sites and the app, lifecycle and callback rules."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, MutableMapping
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from smsc import ConfigurationError, StatusCode
from smsc.testing import CallbackPolicy, Fault, Site, SMSCEmulator, parse_mail

from .conftest import LOGIN, PASSWORD, PHONE, call

pytestmark = pytest.mark.integration


@pytest.fixture
async def site(emulator: SMSCEmulator) -> AsyncIterator[Site]:
    """The emulator on one free loopback port."""
    async with emulator.serve(ports=[0]) as sites:
        yield sites[0]


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


# ---------------------------------------------------------------- socket server robustness


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


# ---------------------------------------------------------------- ASGI app robustness


async def test_deeply_nested_json_body_is_error_1(http: httpx.AsyncClient) -> None:
    """A JSON body nested too deep for the parser is a parameters error, not a crash."""
    response = await http.post("/rest/send/", content=b"[" * 100_000)
    assert (response.status_code, response.text) == (200, "ERROR = 1 (parameters error)")


async def test_request_cut_off_by_a_disconnect_is_not_processed(emulator: SMSCEmulator) -> None:
    """ASGI servers report a client gone mid-body as ``http.disconnect``: nothing is sent."""
    events: list[dict[str, Any]] = [
        {
            "type": "http.request",
            "body": f"login={LOGIN}&psw={PASSWORD}&phones={PHONE}&mes=Hel".encode(),
            "more_body": True,
        },
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return events.pop(0)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/sys/send.php",
        "query_string": b"",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 5000),
    }
    await emulator.app(scope, receive, send)
    assert (emulator.messages, sent) == ([], [])


# ---------------------------------------------------------------- status lifecycle


@pytest.mark.parametrize("final", [StatusCode.READ, StatusCode.LINK_CLICKED])
async def test_read_and_clicked_pass_through_delivered(
    http: httpx.AsyncClient, emulator: SMSCEmulator, final: StatusCode
) -> None:
    """Appendix A, §6.5: -1 -> 0 -> 1 (-> 2/4): "read" and "clicked" follow "delivered"."""
    emulator.set_delivery_outcome(PHONE, final)
    await call(http, "send", phones=PHONE, mes="Hi", id=5)
    emulator.advance(60)
    statuses = [change.status for change in emulator.message(5, PHONE).history]
    assert statuses == [StatusCode.PENDING, StatusCode.TRANSFERRED, StatusCode.DELIVERED, final]


@pytest.mark.parametrize(
    "status",
    [StatusCode.NOT_FOUND, StatusCode.STOPPED, StatusCode.PENDING, StatusCode.TRANSFERRED],
)
def test_non_final_outcome_is_a_configuration_error(
    emulator: SMSCEmulator, status: StatusCode
) -> None:
    """A delivery outcome must be a final status; -3, -2, -1 and 0 are refused."""
    with pytest.raises(ConfigurationError):
        emulator.set_delivery_outcome(PHONE, status)


# ---------------------------------------------------------------- callbacks


async def test_callback_to_a_malformed_url_is_logged_and_given_up() -> None:
    """An invalid handler URL is a failed attempt like any other, so retries end."""
    async with SMSCEmulator(callbacks=CallbackPolicy(max_attempts=1)) as emulator:
        emulator.add_account(LOGIN, PASSWORD, callback_url="http://[::1/handler")
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as http:
            await call(http, "send", phones=PHONE, mes="Hi")
        emulator.advance(1)
        (delivery,) = await emulator.deliver_callbacks()
    assert [attempt.error for attempt in delivery.attempts] == ["InvalidURL"]
    assert delivery.abandoned


# ---------------------------------------------------------------- SMTP


def test_html_text_block_is_read_as_text() -> None:
    """§10: a ``[text]`` block in an HTML mail is HTML: entities and tags are undone."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.test", "send@send.smsc.ru", "x"
    message.set_content(
        f"<p>[text]{LOGIN}:{PASSWORD}:11:,:0,0,,0:<a href='tel:{PHONE}'>{PHONE}</a>:"
        "Tom &amp; Jerry &lt;3<br>bye[/text]</p>",
        subtype="html",
    )
    params = parse_mail(bytes(message))
    assert (params["phones"], params["mes"]) == (PHONE, "Tom & Jerry <3\nbye")


# ---------------------------------------------------------------- send parameters


@pytest.mark.parametrize("flag", ["hlr", "ping"])
async def test_hlr_and_ping_need_no_mes_parameter(http: httpx.AsyncClient, flag: str) -> None:
    """§3: for ``hlr=1`` and ``ping=1`` the text is not needed, so ``mes`` may be absent."""
    answer = await call(http, "send", phones=PHONE, fmt=3, **{flag: 1})
    assert '"cnt": 1' in answer


# ---------------------------------------------------------------- shutdown


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


async def test_test_parameter_over_http_is_not_a_test_mode(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.5: HTTP has no documented per-request test flag (only the SMTP body has one), so
    ``test=1`` over HTTP sends and charges like any other request."""
    await call(http, "send", phones=PHONE, mes="Hi", id=21, test=1)
    emulator.advance(60)
    message = emulator.message(21, PHONE)
    assert (message.err, emulator.account(LOGIN).balance) == (0, Decimal("98.20"))
