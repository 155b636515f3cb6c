"""Fixtures of the campaign tests: an emulator with one account and a client on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from smsc import AsyncSMSCClient, BulkMessage
from smsc.testing import SMSCEmulator

LOGIN = "shop"
PASSWORD = "shop-pass"


def messages(count: int, *, start: int = 0) -> list[BulkMessage]:
    """``count`` distinct messages to distinct numbers."""
    return [
        BulkMessage(f"7999{n:07d}", f"Order {n} is ready.\nPick it up today.")
        for n in range(start, start + count)
    ]


def receipts(emulator: SMSCEmulator) -> Counter[tuple[str, str]]:
    """How many times the service received each (phone, text)."""
    return Counter((message.phone, message.text) for message in emulator.messages)


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account(LOGIN, PASSWORD, balance=1_000_000)
        yield emu


@pytest.fixture
async def client(emulator: SMSCEmulator) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
    ) as c:
        yield c


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "campaign.sqlite"
