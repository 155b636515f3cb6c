"""``smsc bulk`` resumed with messages in doubt: the bar counts the settle wait down."""

from __future__ import annotations

import asyncio
import csv
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from smsc import AsyncSMSCClient, read_csv
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, SMSCEmulator

from .conftest import Service, demo_env, run_in_pty

pytestmark = pytest.mark.integration

ROWS = 30


class LoseFirstSend(httpx.AsyncBaseTransport):
    """The service takes the first send, but its answer is lost (HTTP 500): in doubt."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._lost = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not self._lost and request.url.path.endswith("/send.php"):
            self._lost = True
            await response.aread()
            return httpx.Response(500, request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    async with SMSCEmulator() as emu:
        emu.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=10_000)
        site = await emu.start_site(0)
        yield Service(emu, site, demo_env(tmp_path, site))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")
async def test_a_resumed_bulk_run_counts_the_settle_wait_down_and_shows_messages_in_doubt(
    service: Service, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phones", "text"])
        writer.writerows([f"7999{n:07d}", f"Order {n} is ready."] for n in range(ROWS))
    journal = tmp_path / "orders.journal"
    # A first run whose first packed request is taken but its answer lost: 10 in doubt.
    async with AsyncSMSCClient(
        login=DEMO_LOGIN,
        password=DEMO_PASSWORD,
        host=service.site.url,
        allow_http=True,
        transport=LoseFirstSend(),
        max_concurrency=1,
    ) as client:
        first = await client.campaign(read_csv(source), journal=journal, max_lines=10).run()
    assert first.unknown == 10

    env = {**service.env, "TERM": "xterm-256color", "COLUMNS": "160"}
    args = ["bulk", str(source), "--journal", str(journal), "--settle-after", "4"]
    code, screen = await asyncio.to_thread(run_in_pty, args, env)
    assert code == 0, screen
    counted = {int(seconds) for seconds in re.findall(r"settling in (\d+) s", screen)}
    assert len(counted) >= 2, screen  # the bar counted down, not one frozen number
    assert max(counted) <= 4
    assert "in doubt 10" in screen
    assert f"{ROWS}/{ROWS}" in screen
    # The ten in doubt were settled by status (the service had them), never sent again.
    assert len(service.emulator.messages) == ROWS
