"""examples/bulk_send.py: a campaign in packed requests, each outcome reported, resumable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import bulk_send
from smsc import AsyncSMSCClient, BulkMessage, OutcomeState
from smsc.testing import SMSCEmulator

MESSAGES = [BulkMessage(f"7999{n:07d}", f"Order {n} is ready") for n in range(900)]
BAD_NUMBER = "79990000007"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account("shop", "shop", balance=100_000)
        yield emu


@pytest.fixture
async def client(emulator: SMSCEmulator) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login="shop",
        password="shop",
        host="https://emulator.test",
        max_concurrency=3,
        transport=httpx.ASGITransport(app=emulator.app),
    ) as c:
        yield c


async def test_every_message_is_sent_once_and_a_refusal_is_reported(
    client: AsyncSMSCClient, emulator: SMSCEmulator, tmp_path: Path
) -> None:
    emulator.set_undeliverable(BAD_NUMBER)
    report = await bulk_send.run_campaign(client, MESSAGES, tmp_path / "j.sqlite")
    assert [outcome.index for outcome in report.refused] == [7]
    assert report.refused[0].state is OutcomeState.REFUSED
    assert report.accepted == len(MESSAGES) - 1
    assert report.unknown == 0
    assert report.progress is not None
    assert report.progress.requests == 5
    assert len(emulator.messages) == len(MESSAGES) - 1
    assert len({m.phone for m in emulator.messages}) == len(MESSAGES) - 1


async def test_running_the_finished_campaign_again_sends_nothing(
    client: AsyncSMSCClient, emulator: SMSCEmulator, tmp_path: Path
) -> None:
    journal = tmp_path / "j.sqlite"
    await bulk_send.run_campaign(client, MESSAGES, journal)
    again = await bulk_send.run_campaign(client, MESSAGES, journal)
    assert again.accepted == 0
    assert again.progress is not None
    assert again.progress.requests == 0
    assert again.progress.accepted == len(MESSAGES)
    assert len(emulator.messages) == len(MESSAGES)


async def test_requests_never_exceed_the_clients_cap(
    client: AsyncSMSCClient, emulator: SMSCEmulator, tmp_path: Path
) -> None:
    many = [BulkMessage(f"7999{n:07d}", f"text {n}") for n in range(3000)]
    await client.balance()  # the first contact with a site goes alone
    emulator.pause_responses()  # hold every answer: requests pile up in flight
    task = asyncio.create_task(bulk_send.run_campaign(client, many, tmp_path / "j.sqlite"))
    for _ in range(100_000):
        if emulator.in_flight >= 3:
            break
        await asyncio.sleep(0)
    for _ in range(100):  # every chance for a fourth request to slip past the cap
        await asyncio.sleep(0)
    assert emulator.in_flight == 3
    emulator.resume_responses()
    report = await task
    assert report.accepted == 3000
    assert emulator.peak_in_flight == 3


async def test_the_script_on_the_emulator_prints_a_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = await bulk_send._on_emulator(50, tmp_path / "j.sqlite")
    assert report.accepted == 49
    assert [outcome.index for outcome in report.refused] == [13]
    assert "49 messages received for 50" in capsys.readouterr().out
