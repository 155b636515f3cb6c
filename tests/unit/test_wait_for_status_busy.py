"""wait_for_status on a virtual clock when the service answers error 9 (too many requests)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from smsc import AsyncSMSCClient, StatusCode, StatusWaitTimeoutError

PHONE = "79991234567"
BUSY = {"error": "duplicate request, wait a minute", "error_code": 9}
DELIVERED = {"status": 1, "last_date": "01.01.2024 12:00:00", "last_timestamp": 1704099600}


class VirtualClock:
    """A clock that moves only when the wait sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class ScriptedStatus(httpx.AsyncBaseTransport):
    """Answers status polls from a script (its last answer repeats); notes each poll's time."""

    def __init__(self, clock: VirtualClock, script: list[dict[str, object]]) -> None:
        self.clock = clock
        self.script = script
        self.polls: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.polls.append(self.clock.now)
        answer = self.script[min(len(self.polls), len(self.script)) - 1]
        return httpx.Response(200, content=json.dumps(answer).encode())


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@asynccontextmanager
async def _client(transport: httpx.AsyncBaseTransport) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login="alex", password="pw", failover=False, max_retries=0, transport=transport
    ) as client:
        yield client


async def test_poll_after_error_9_waits_the_retry_after_not_the_usual_pause(
    clock: VirtualClock,
) -> None:
    wire = ScriptedStatus(clock, [BUSY, DELIVERED])
    async with _client(wire) as client:
        status = await client.wait_for_status(
            "order-1", PHONE, timeout=600, first_poll=1.0, clock=clock, sleep=clock.sleep
        )
    assert status.status is StatusCode.DELIVERED
    # First poll at 1 s; error 9 says "retry after 60 s": the next poll comes 60 s later.
    assert wire.polls == [1.0, 61.0]


async def test_error_9_never_escapes_the_wait(clock: VirtualClock) -> None:
    wire = ScriptedStatus(clock, [BUSY])
    async with _client(wire) as client:
        with pytest.raises(StatusWaitTimeoutError) as caught:
            await client.wait_for_status(
                "order-1", PHONE, timeout=300, first_poll=1.0, clock=clock, sleep=clock.sleep
            )
    assert caught.value.polls == len(wire.polls) == 5
    assert wire.polls == [1.0, 61.0, 121.0, 181.0, 241.0]
    assert caught.value.last_status is None
