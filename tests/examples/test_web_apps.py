"""The example apps end to end: send through the SDK, receive the emulator's callbacks.

Each test runs against both apps (``[aiohttp]`` and ``[fastapi]``), each served on a loopback
port and talking to the emulator's own socket site. Warnings are errors here, so a client or
socket left open at shutdown fails the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from smsc.callbacks import compute_signature
from smsc.testing import Site, SMSCEmulator, callback_signature
from smsc.testing._clock import DEFAULT_START

from .conftest import CALLBACK_SECRET, POOL_LIMIT, AppRunner, CountingClientFactory, eventually

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("error")]

PHONE = "79991234567"


async def send(http: httpx.AsyncClient, text: str = "Your code: 1234") -> str:
    """Send through the app; returns the message id it answered."""
    response = await http.post("/messages", json={"phones": [PHONE], "text": text})
    assert response.status_code == 200, response.text
    message_id: str = response.json()["id"]
    return message_id


async def recorded(http: httpx.AsyncClient, message_id: str) -> dict[str, Any]:
    """What the app recorded from callbacks for ``message_id``."""
    response = await http.get(f"/messages/{message_id}/callbacks")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def deliver(emulator: SMSCEmulator) -> None:
    """Let the message reach "delivered" and wait until every callback got its answer."""
    emulator.advance(10)  # -1 -> 0 after 1 s, 0 -> 1 four seconds later (Lifecycle defaults)
    log = await emulator.deliver_callbacks()
    assert [attempt.status_code for d in log for attempt in d.attempts] == [200, 200]


def signed_callback(message_id: str, status: int, secret: str) -> dict[str, str]:
    """The form the emulator would send for this status change, signed with ``secret``."""
    fields = {"id": message_id, "phone": PHONE, "status": str(status), "err": "0"}
    fields["ts"] = str(int(DEFAULT_START))  # the emulator's clock: the apps check freshness
    for algorithm in ("md5", "sha1"):
        fields[algorithm] = callback_signature(message_id, PHONE, status, secret, algorithm)
    return fields


# ---------------------------------------------------------------------------- end to end


async def test_the_emulators_signed_callbacks_are_recorded_up_to_delivered(
    app_http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    message_id = await send(app_http)

    await deliver(smsc_emulator)

    body = await recorded(app_http, message_id)
    # The two callbacks travel concurrently: their order of arrival is not fixed.
    assert sorted(
        (cb["status"], cb["error"], cb["phone"], cb["final"]) for cb in body["callbacks"]
    ) == [(0, 0, PHONE, False), (1, 0, PHONE, True)]
    assert body["final_status"] == 1


async def test_status_read_through_the_app_shows_delivered(
    app_http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    message_id = await send(app_http)
    smsc_emulator.advance(10)

    response = await app_http.get(f"/messages/{message_id}", params={"phone": PHONE})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": message_id,
        "phone": PHONE,
        "status": 1,
        "final": True,
        "delivered": True,
    }


# ---------------------------------------------------------------------------- refusals


def unsigned_callback(message_id: str, status: int, secret: str) -> dict[str, str]:
    """The callback without its ``md5`` and ``sha1`` fields."""
    fields = signed_callback(message_id, status, secret)
    return {name: value for name, value in fields.items() if name not in ("md5", "sha1")}


@pytest.mark.parametrize(
    ("forge", "secret"),
    [
        pytest.param(signed_callback, "someone-elses-secret", id="signed-with-another-secret"),
        pytest.param(unsigned_callback, CALLBACK_SECRET, id="unsigned"),
    ],
)
async def test_a_callback_without_a_valid_signature_gets_403_and_is_not_recorded(
    app_http: httpx.AsyncClient, forge: Callable[[str, int, str], dict[str, str]], secret: str
) -> None:
    message_id = await send(app_http)

    response = await app_http.post("/smsc/callback", data=forge(message_id, 1, secret))

    assert response.status_code == 403
    assert await recorded(app_http, message_id) == {
        "id": message_id,
        "callbacks": [],
        "final_status": None,
    }


async def test_a_refused_forgery_does_not_stop_the_genuine_callback_being_recorded(
    app_http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    message_id = await send(app_http)
    forged = await app_http.post(
        "/smsc/callback", data=signed_callback(message_id, 1, "someone-elses-secret")
    )

    await deliver(smsc_emulator)

    assert forged.status_code == 403
    assert (await recorded(app_http, message_id))["final_status"] == 1


def with_status_text(message_id: str, status_text: str) -> dict[str, str]:
    """A correctly signed callback whose ``status`` is ``status_text``."""
    fields = {"id": message_id, "phone": PHONE, "status": status_text}
    return fields | {"md5": compute_signature(fields, CALLBACK_SECRET)}


def without_phone(message_id: str) -> dict[str, str]:
    """A callback signed over its phone, which then went missing."""
    fields = signed_callback(message_id, 1, CALLBACK_SECRET)
    del fields["phone"]
    return fields


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda id_: with_status_text(id_, "delivered"), id="status-not-a-number"),
        pytest.param(without_phone, id="phone-missing"),
    ],
)
async def test_a_malformed_callback_gets_400_and_is_not_recorded(
    app_http: httpx.AsyncClient, forge: Callable[[str], dict[str, str]]
) -> None:
    message_id = await send(app_http)

    response = await app_http.post("/smsc/callback", data=forge(message_id))

    assert response.status_code == 400
    assert (await recorded(app_http, message_id))["callbacks"] == []


async def test_a_signed_callback_posted_as_a_multipart_form_is_refused_as_415(
    app_http: httpx.AsyncClient,
) -> None:
    message_id = await send(app_http)
    fields = signed_callback(message_id, 1, CALLBACK_SECRET)

    response = await app_http.post(
        "/smsc/callback",
        content=multipart_body(fields),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )

    assert response.status_code == 415, response.text
    assert (await recorded(app_http, message_id))["callbacks"] == []


async def test_a_signed_callback_with_an_uploaded_file_is_refused_as_415(
    app_http: httpx.AsyncClient,
) -> None:
    message_id = await send(app_http)
    fields = signed_callback(message_id, 1, CALLBACK_SECRET)

    response = await app_http.post(
        "/smsc/callback", data=fields, files={"upload": ("a.txt", b"x", "text/plain")}
    )

    assert response.status_code == 415
    assert (await recorded(app_http, message_id))["callbacks"] == []


async def _answer_to_a_2_gib_upload(app_url: str, content_type: str) -> tuple[bytes, int]:
    """POST headers announcing a 2 GiB body, then at most 1 MiB of it; the status line and
    how many body bytes were written before the app answered."""
    host, port = app_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /smsc/callback HTTP/1.1\r\nHost: app\r\n"
        + f"Content-Type: {content_type}\r\nContent-Length: {2**31}\r\n\r\n".encode()
    )
    sent = 0
    answer = asyncio.ensure_future(reader.readline())
    try:
        while not answer.done() and sent < 2**20:
            writer.write(b"x" * 65536)
            await writer.drain()
            sent += 65536
            await asyncio.sleep(0.01)  # room for the app to answer first
        status_line = await asyncio.wait_for(answer, 30)
    finally:
        writer.close()
    return status_line, sent


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("multipart/form-data; boundary=smsc-test-boundary", b" 415 "),
        ("application/x-www-form-urlencoded", b" 413 "),
    ],
)
async def test_a_2_gib_callback_upload_is_refused_from_its_headers_unread(
    app_url: str, content_type: str, status: bytes
) -> None:
    status_line, sent = await _answer_to_a_2_gib_upload(app_url, content_type)

    assert status in status_line, status_line
    assert sent <= 2**20  # answered before even 1 MiB of the 2 GiB had been written


async def test_a_chunked_callback_body_over_the_limit_is_refused_as_413(
    app_http: httpx.AsyncClient,
) -> None:
    async def endless() -> AsyncIterator[bytes]:
        for _ in range(64):  # 1 MiB in all, without a Content-Length
            yield b"x=" + b"y" * 16382

    response = await app_http.post(
        "/smsc/callback",
        content=endless(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 413


async def test_a_signed_callback_from_2020_is_refused_and_not_recorded(
    app_http: httpx.AsyncClient,
) -> None:
    message_id = await send(app_http)
    fields = signed_callback(message_id, 1, CALLBACK_SECRET)
    fields["ts"] = "1590000000"  # May 2020
    fields.pop("time", None)

    response = await app_http.post("/smsc/callback", data=fields)

    assert response.status_code == 400
    assert "callback" in response.text
    assert (await recorded(app_http, message_id))["callbacks"] == []


BOUNDARY = "smsc-test-boundary"


def multipart_body(fields: dict[str, str]) -> bytes:
    """``fields`` as a multipart/form-data body of text parts only."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


async def test_a_callback_body_that_is_not_utf8_is_refused(app_http: httpx.AsyncClient) -> None:
    response = await app_http.post(
        "/smsc/callback",
        content=b"id=1&phone=\xff\xfe&status=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    # aiohttp fails to decode it (400); Starlette's form parser replaces the bytes, and the
    # callback, unsigned, is refused for its signature before its fields are read (403).
    assert response.status_code in (400, 403)


async def test_the_same_callback_delivered_twice_is_recorded_once(
    app_http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    message_id = await send(app_http)
    await deliver(smsc_emulator)
    final = next(d for d in smsc_emulator.callbacks.deliveries if d.status == 1)

    again = await app_http.post("/smsc/callback", data=final.fields)

    assert (again.status_code, again.text) == (200, "OK")
    statuses = [cb["status"] for cb in (await recorded(app_http, message_id))["callbacks"]]
    assert sorted(statuses) == [0, 1]


async def test_a_send_the_sdk_refuses_answers_422_and_reaches_no_site(
    app_http: httpx.AsyncClient, smsc_emulator_server: Site
) -> None:
    response = await app_http.post("/messages", json={"phones": ["12"], "text": "Hi"})

    assert response.status_code == 422
    assert response.json()["error"] == "RequestValidationError"
    assert smsc_emulator_server.requests == 0


# ---------------------------------------------------------------------------- one client


async def test_a_hundred_concurrent_sends_share_one_client_and_its_pool(
    app_http: httpx.AsyncClient,
    smsc_emulator: SMSCEmulator,
    smsc_emulator_server: Site,
    client_factory: CountingClientFactory,
) -> None:
    # The client's first request to a site probes it alone; the others then run in parallel.
    first = await send(app_http, "warm-up")
    # Hold the emulator's answers until the client has as many requests in flight as it
    # allows: then every connection it will ever need is open.
    smsc_emulator.pause_responses()
    sends = [asyncio.ensure_future(send(app_http, f"message {n}")) for n in range(100)]
    try:
        await eventually(lambda: smsc_emulator.in_flight == POOL_LIMIT, "the pool is busy")
    finally:
        smsc_emulator.resume_responses()
        ids = await asyncio.gather(*sends)

    assert len({first, *ids}) == 101
    assert smsc_emulator.peak_in_flight == POOL_LIMIT
    assert 1 <= smsc_emulator_server.connections <= POOL_LIMIT
    assert len(client_factory.clients) == 1


async def test_shutdown_closes_the_apps_client(
    app_runner: AppRunner,
    client_factory: CountingClientFactory,
) -> None:
    async with app_runner(client_factory) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            await send(http)
        (client,) = client_factory.clients
        assert not client.http_client.is_closed

    assert client.http_client.is_closed
