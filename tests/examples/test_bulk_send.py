"""examples/bulk_send.py: many concurrent sends through one client, each outcome reported."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

import bulk_send
from smsc import AsyncSMSCClient
from smsc.testing import SMSCEmulator

NUMBERS = [f"7999{n:07d}" for n in range(300)]
BAD_NUMBER = NUMBERS[7]


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account("shop", "shop", balance=10_000)
        yield emu


@pytest.fixture
async def client(emulator: SMSCEmulator) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login="shop",
        password="shop",
        host="https://emulator.test",
        max_concurrency=6,
        transport=httpx.ASGITransport(app=emulator.app),
    ) as c:
        yield c


async def test_every_number_is_sent_once_and_a_refusal_is_reported(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.fail_next_sends(BAD_NUMBER, 7)
    report = await bulk_send.send_all(client, NUMBERS, "Opening at 9:00")
    assert report.refused == {BAD_NUMBER: 7}
    assert set(report.sent) == set(NUMBERS) - {BAD_NUMBER}
    assert report.unknown == {}
    assert len(emulator.messages) == len(NUMBERS) - 1
    assert len({m.phone for m in emulator.messages}) == len(NUMBERS) - 1


async def test_three_hundred_tasks_never_exceed_the_clients_cap(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    await client.send(NUMBERS[0], "warm-up")  # the first contact with a site goes alone
    emulator.pause_responses()  # hold every answer: requests pile up in flight
    task = asyncio.create_task(bulk_send.send_all(client, NUMBERS[1:], "Opening at 9:00"))
    for _ in range(10_000):
        if emulator.in_flight >= 6:
            break
        await asyncio.sleep(0)
    for _ in range(100):  # every chance for a seventh request to slip past the cap
        await asyncio.sleep(0)
    assert emulator.in_flight == 6
    emulator.resume_responses()
    report = await task
    assert len(report.sent) == len(NUMBERS) - 1
    assert emulator.peak_in_flight == 6


async def test_the_script_on_the_emulator_prints_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = await bulk_send._on_emulator(50, "hello")
    assert len(report.sent) == 50
    assert "50 messages created for 50 numbers" in capsys.readouterr().out
