"""A client and its with_options copies share one request cap."""

from __future__ import annotations

import asyncio
import json

import httpx

from smsc import AsyncSMSCClient


class CountingTransport(httpx.AsyncBaseTransport):
    """Holds every request until released; notes the most ever in flight at once."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await self.release.wait()
        finally:
            self.in_flight -= 1
        return httpx.Response(200, content=json.dumps({"balance": "10.00"}).encode())


async def test_client_and_its_copies_together_stay_within_max_concurrency() -> None:
    transport = CountingTransport()
    async with AsyncSMSCClient(
        login="alex", password="pw", max_concurrency=3, failover=False, transport=transport
    ) as parent:
        # One answered call first: until the site has answered once, calls wait for it.
        transport.release.set()
        await parent.balance()
        transport.release.clear()
        copies = [parent.with_options(timeout=5.0), parent.with_options(retry_deadline=30.0)]
        calls = [
            asyncio.ensure_future(client.balance())
            for client in (parent, *copies)
            for _ in range(3)
        ]
        # Let every call that can get a slot reach the transport (no clock involved).
        for _ in range(200):
            await asyncio.sleep(0)
        assert transport.in_flight == 3
        transport.release.set()
        balances = await asyncio.gather(*calls)
    assert transport.peak == 3
    assert [str(balance.amount) for balance in balances] == ["10.00"] * 9
    assert transport.in_flight == 0
