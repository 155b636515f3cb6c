"""Status callbacks (protocol §9.1, [3P]): fields, signatures, retries and the delivery log."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from smsc.testing import CallbackPolicy, SMSCEmulator

from .conftest import LOGIN, PASSWORD, PHONE, call, call_json

SECRET = "cb-secret"


class Receiver:
    """A tiny loopback HTTP handler: records each form, answers the next queued status."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.forms: list[dict[str, str]] = []
        self.received = asyncio.Event()
        self._server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/smsc"

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
        body = await reader.readexactly(length)
        self.forms.append(dict(parse_qsl(body.decode())))
        self.received.set()
        status = self.statuses.pop(0) if self.statuses else 200
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n".encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A loopback callback handler that answers 200."""
    handler = Receiver()
    await handler.start()
    yield handler
    await handler.stop()


def signature(algorithm: str, message_id: object, status: int) -> str:
    """The documented recipe, written out independently of the emulator."""
    return hashlib.new(algorithm, f"{message_id}:{PHONE}:{status}:{SECRET}".encode()).hexdigest()


@pytest.mark.integration
async def test_every_status_change_is_posted_with_md5_and_sha1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, receiver: Receiver
) -> None:
    """§9.1: a POST per status change with id, phone, status, err, ts and md5/sha1."""
    account = emulator.account(LOGIN)
    account.callback_url, account.callback_secret = receiver.url, SECRET
    sent = await call_json(http, "send", phones=PHONE, mes="Hi", sender="Shop")
    emulator.advance(10)
    await emulator.deliver_callbacks()
    delivered = receiver.forms[-1]
    assert [form["status"] for form in receiver.forms] == ["0", "1"]
    assert {key: delivered[key] for key in ("id", "phone", "err", "cnt", "type", "sender")} == {
        "id": str(sent["id"]),
        "phone": PHONE,
        "err": "0",
        "cnt": "1",
        "type": "0",
        "sender": "Shop",
    }
    assert delivered["md5"] == signature("md5", sent["id"], 1)
    assert delivered["sha1"] == signature("sha1", sent["id"], 1)


@pytest.mark.integration
async def test_failed_callback_is_retried_after_its_backoff(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§9.1 [INF]: a non-2xx answer is retried after the back-off, until a 2xx."""
    handler = Receiver(statuses=[500])
    await handler.start()
    try:
        emulator.lifecycle = type(emulator.lifecycle)(transfer_after=1, final_after=10_000)
        emulator.account(LOGIN).callback_url = handler.url
        await call_json(http, "send", phones=PHONE, mes="Hi")
        emulator.advance(1)
        await emulator.deliver_callbacks()
        (delivery,) = emulator.callbacks.deliveries
        first = [attempt.status_code for attempt in delivery.attempts]
        emulator.advance(9)
        await emulator.deliver_callbacks()
        assert (first, delivery.pending) == ([500], True)
        emulator.advance(1)
        await emulator.deliver_callbacks()
    finally:
        await handler.stop()
    assert [attempt.status_code for attempt in delivery.attempts] == [500, 200]
    assert delivery.attempts[1].at - delivery.attempts[0].at == 10
    assert delivery.delivered


@pytest.mark.integration
async def test_unreachable_handler_is_logged_as_a_connection_error(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """The delivery log records failed attempts that never got an HTTP answer."""
    handler = Receiver()
    await handler.start()
    await handler.stop()
    emulator.account(LOGIN).callback_url = handler.url
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(1)
    (delivery,) = await emulator.deliver_callbacks()
    assert (delivery.attempts[0].error, delivery.pending) == ("ConnectError", True)


@pytest.mark.integration
async def test_running_emulator_sends_callbacks_by_itself(
    http: httpx.AsyncClient, emulator: SMSCEmulator, receiver: Receiver
) -> None:
    """Inside ``async with emulator`` a background task delivers what falls due."""
    emulator.account(LOGIN).callback_url = receiver.url
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(1)
    await asyncio.wait_for(receiver.received.wait(), timeout=10)
    assert receiver.forms[0]["status"] == "0"


class RecordingApp:
    """An ASGI callback handler for in-process tests."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.forms: list[dict[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        self.forms.append(dict(parse_qsl(message.get("body", b"").decode())))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def send_and_deliver(emulator: SMSCEmulator, *, hlr: bool = False) -> None:
    """Send one message (or HLR request) in-process, let 10 s pass, deliver callbacks."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator.app), base_url="http://smsc.test"
    ) as client:
        await call_json(
            client, "send", phones=PHONE, mes="" if hlr else "Hi", hlr=1 if hlr else None
        )
    emulator.advance(10)
    await emulator.deliver_callbacks()


async def test_callback_fields_and_signatures_are_configurable() -> None:
    """§9.1 [UNK]: the field set and the signature algorithms are settings."""
    app = RecordingApp()
    policy = CallbackPolicy(fields=("id", "status"), signatures=("sha1",))
    async with SMSCEmulator(callbacks=policy, callback_transport=httpx.ASGITransport(app)) as emu:
        emu.add_account(LOGIN, PASSWORD, callback_url="http://receiver.test/cb")
        await send_and_deliver(emu, hlr=True)
    assert sorted(app.forms[-1]) == ["id", "sha1", "status"]


async def test_hlr_callback_carries_the_hlr_fields() -> None:
    """§9.1: HLR results go to the same handler, with imsi, msc, mcc, mnc, cn, net, rcn, rnet."""
    app = RecordingApp()
    async with SMSCEmulator(callback_transport=httpx.ASGITransport(app)) as emu:
        emu.add_account(LOGIN, PASSWORD, callback_url="http://receiver.test/cb")
        await send_and_deliver(emu, hlr=True)
    final = app.forms[-1]
    assert (final["status"], final["type"], final["imsi"], final["mcc"]) == (
        "1",
        "4",
        "250019876543210",
        "250",
    )


async def test_delivery_is_given_up_after_max_attempts() -> None:
    """The retry count is a setting; the log marks a delivery given up."""
    app = RecordingApp(status=503)
    policy = CallbackPolicy(backoff=(5.0,), max_attempts=2)
    async with SMSCEmulator(callbacks=policy, callback_transport=httpx.ASGITransport(app)) as emu:
        emu.add_account(LOGIN, PASSWORD, callback_url="http://receiver.test/cb")
        emu.lifecycle = type(emu.lifecycle)(transfer_after=1, final_after=10_000)
        await send_and_deliver(emu)
        emu.advance(5)
        deliveries = await emu.deliver_callbacks()
    assert [(len(d.attempts), d.abandoned) for d in deliveries] == [(2, True)]


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


async def test_callbacks_switch_to_a_transport_given_after_the_first_delivery(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """``callbacks.use_transport`` sends the next attempts in-process (an ASGI app under test),
    for an emulator created without one, such as the ``smsc_emulator`` fixture's."""
    forms: list[dict[str, str]] = []

    def record(request: httpx.Request) -> httpx.Response:
        forms.append(dict(parse_qsl(request.content.decode())))
        return httpx.Response(200)

    account = emulator.account(LOGIN)
    account.callback_url, account.callback_secret = "http://127.0.0.1:9/unused", SECRET
    emulator.callbacks.use_transport(httpx.MockTransport(lambda _: httpx.Response(503)))
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(1)
    (first,) = await emulator.deliver_callbacks()
    emulator.callbacks.use_transport(httpx.MockTransport(record))
    emulator.advance(60)
    await emulator.deliver_callbacks()
    assert [attempt.status_code for attempt in first.attempts] == [503, 200]
    assert [form["status"] for form in forms] == ["0", "1"]


async def raising_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app whose callback handler has a bug."""
    raise KeyError("order-17")


async def test_callbacks_routed_to_an_asgi_app_reach_it_in_process(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    forms: list[dict[str, str]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        forms.append({"path": scope["path"], **dict(parse_qsl(body.decode()))})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"OK"})

    emulator.account(LOGIN).callback_url = "http://app.test/smsc/callback"
    emulator.route_callbacks_to(app)
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(10)

    await emulator.deliver_callbacks(check=True)

    assert [(form["path"], form["status"]) for form in forms] == [
        ("/smsc/callback", "0"),
        ("/smsc/callback", "1"),
    ]
    assert emulator.callbacks.failures == []


async def test_check_names_each_refused_callback_and_keeps_the_apps_exception(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.account(LOGIN).callback_url = "http://app.test/smsc/callback"
    emulator.route_callbacks_to(raising_app)
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(1)

    with pytest.raises(AssertionError) as caught:
        await emulator.deliver_callbacks(check=True)

    text = str(caught.value)
    assert "1 callback(s) failed" in text
    assert "raised KeyError: 'order-17'" in text
    assert "will be retried" in text
    assert PHONE not in text  # masked, as everywhere
    assert isinstance(caught.value.__cause__, KeyError)
    (failed,) = emulator.callbacks.failures
    assert failed.attempts[0].error == "KeyError"


@pytest.mark.integration
async def test_check_reports_an_unreachable_handler_and_a_non_2xx_answer(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    refusing = Receiver(statuses=[500])
    await refusing.start()
    gone = Receiver()
    await gone.start()
    await gone.stop()
    try:
        emulator.account(LOGIN).callback_url = refusing.url
        await call_json(http, "send", phones=PHONE, mes="Hi")
        emulator.advance(1)
        await emulator.deliver_callbacks()
        emulator.add_account("other", "pw", callback_url=gone.url)
        await call_json(http, "send", login="other", psw="pw", phones=PHONE, mes="Hi")
        emulator.advance(1)
        await emulator.deliver_callbacks()
    finally:
        await refusing.stop()

    with pytest.raises(AssertionError, match="2 callback") as caught:
        emulator.check_callbacks()
    assert "answered HTTP 500" in str(caught.value)
    assert "raised ConnectError" in str(caught.value)


async def test_check_passes_once_a_retry_was_acknowledged(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.account(LOGIN).callback_url = "http://app.test/smsc/callback"
    emulator.callbacks.use_transport(httpx.MockTransport(lambda _: httpx.Response(503)))
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(1)
    await emulator.deliver_callbacks()
    emulator.callbacks.use_transport(httpx.MockTransport(lambda _: httpx.Response(200)))
    emulator.advance(10)

    await emulator.deliver_callbacks(check=True)

    # "transferred" was refused once, then acknowledged; "delivered" went through at once.
    assert [len(d.attempts) for d in emulator.callbacks.deliveries] == [2, 1]
    emulator.check_callbacks()
