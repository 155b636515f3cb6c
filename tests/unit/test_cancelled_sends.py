"""Cancelled sends give their in-flight slots back."""

from __future__ import annotations

import asyncio

import httpx

from smsc import (
    AsyncSMSCClient,
)
from smsc._base_client import InFlightCap

from .conftest import (
    LOGIN,
    PASSWORD,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
PHONE = "79991234567"


# --------------------------------------------------------------------------- cancellation


async def test_cancelled_sends_give_their_slots_back() -> None:
    entered = asyncio.Event()
    gate = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        if b"hold" in request.content:
            entered.set()
            await gate.wait()
        return json_response(SENT)

    async with AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        transport=httpx.MockTransport(answer),
        max_concurrency=1,
        failover=False,
    ) as client:
        assert isinstance(client._limiter, InFlightCap)
        slots = client._limiter.slot()
        in_flight = asyncio.create_task(client.send(PHONE, "hold"))
        await entered.wait()
        queued = [asyncio.create_task(client.send(PHONE, f"queued {n}")) for n in range(2)]
        for _ in range(100):  # let both reach the request cap's queue
            if len(slots._waiters or ()) == 2:
                break
            await asyncio.sleep(0)
        assert len(slots._waiters or ()) == 2
        # The slot freed by the cancelled send is handed to a waiter that is cancelled too.
        in_flight.cancel()
        queued[0].cancel()
        result = await asyncio.wait_for(queued[1], timeout=5)
        assert result.id == 7
        await asyncio.gather(in_flight, queued[0], return_exceptions=True)
        assert not slots.locked()
        await asyncio.wait_for(client.send(PHONE, "after"), timeout=5)
