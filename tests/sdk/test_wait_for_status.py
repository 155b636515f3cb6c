"""wait_for_status on the emulator's clock: final status, timeout, polling within the limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import httpx
import pytest

from smsc import (
    AsyncSMSCClient,
    DeliveryError,
    MessageStatus,
    StatusCode,
    StatusWaitTimeoutError,
)
from smsc.testing import Lifecycle, SMSCEmulator

PHONE = "79991234567"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the emulator app and notes (emulator time, message id) of polls."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self.emulator = emulator
        self.inner = httpx.ASGITransport(app=emulator.app)
        self.polls: list[tuple[float, str]] = []
        self.answers: list[object] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/status.php"):
            form = dict(parse_qsl((await request.aread()).decode()))
            self.polls.append((self.emulator.clock.now(), form["id"]))
            body = await response.aread()
            self.answers.append(json.loads(body))
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator(lifecycle=Lifecycle(transfer_after=5, final_after=170)) as emu:
        emu.add_account("demo", "demo", balance=100)
        yield emu


@pytest.fixture
def recorder(emulator: SMSCEmulator) -> RecordingTransport:
    return RecordingTransport(emulator)


@pytest.fixture
async def client(recorder: RecordingTransport) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login="demo", password="demo", host="https://emulator.test", transport=recorder
    ) as c:
        yield c


class VirtualTime:
    """The wait's clock and sleep, both on the emulator's clock: nothing waits for real."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self.clock = emulator.clock.now
        self._emulator = emulator

    async def sleep(self, seconds: float) -> None:
        self._emulator.advance(seconds)


async def test_wait_returns_the_final_delivered_status(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    vt = VirtualTime(emulator)
    sent = await client.send(PHONE, "hello")
    status = await client.wait_for_status(
        sent.id, PHONE, timeout=600, clock=vt.clock, sleep=vt.sleep
    )
    assert status.status is StatusCode.DELIVERED
    assert status.is_final


async def test_wait_reports_every_status_it_reads_to_on_status(
    client: AsyncSMSCClient, emulator: SMSCEmulator, recorder: RecordingTransport
) -> None:
    vt = VirtualTime(emulator)
    seen: list[MessageStatus] = []
    sent = await client.send(PHONE, "hello")
    final = await client.wait_for_status(
        sent.id, PHONE, timeout=600, clock=vt.clock, sleep=vt.sleep, on_status=seen.append
    )
    assert len(seen) == len(recorder.polls) > 1  # one call per poll, not only the last
    assert seen[-1] == final
    assert [status.is_final for status in seen] == [False] * (len(seen) - 1) + [True]


async def test_wait_returns_a_final_failure(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.set_delivery_outcome(PHONE, StatusCode.UNDELIVERABLE, DeliveryError.SUBSCRIBER_OFFLINE)
    vt = VirtualTime(emulator)
    sent = await client.send(PHONE, "hello")
    status = await client.wait_for_status(
        sent.id, PHONE, timeout=600, clock=vt.clock, sleep=vt.sleep
    )
    assert status.status is StatusCode.UNDELIVERABLE


async def test_wait_times_out_with_the_last_status(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    vt = VirtualTime(emulator)
    sent = await client.send(PHONE, "hello")
    with pytest.raises(StatusWaitTimeoutError) as caught:
        await client.wait_for_status(sent.id, PHONE, timeout=60, clock=vt.clock, sleep=vt.sleep)
    assert caught.value.last_status is not None
    assert caught.value.last_status.status is StatusCode.TRANSFERRED
    assert caught.value.polls >= 1
    assert emulator.clock.now() - emulator.message(sent.id, PHONE).created_at <= 60


async def test_wait_never_polls_a_message_more_than_five_times_a_minute(
    client: AsyncSMSCClient, emulator: SMSCEmulator, recorder: RecordingTransport
) -> None:
    vt = VirtualTime(emulator)
    sent = await client.send(PHONE, "hello")
    # A short max_interval would poll every 2 s: only the per-minute cap holds it back.
    await client.wait_for_status(
        sent.id, PHONE, timeout=900, max_interval=2, clock=vt.clock, sleep=vt.sleep
    )
    times = [t for t, message_id in recorder.polls if message_id == str(sent.id)]
    assert len(times) >= 6, "the wait should have needed several minutes of polls"
    for index, start in enumerate(times):
        in_window = [t for t in times[index:] if t < start + 60]
        assert len(in_window) <= 5
    errors = [a for a in recorder.answers if isinstance(a, dict) and "error_code" in a]
    assert errors == []
