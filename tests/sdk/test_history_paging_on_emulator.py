"""A history of 5,000 messages sent through the emulator, walked over loopback sockets:
every page is asked for once, memory holds one page at a time, and a loop that stops early
sends no further request (requests counted at the emulator)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal

import pytest

from smsc import AsyncSMSCClient, SentMessage
from smsc._wire import MOSCOW
from smsc.testing import RateLimits, SMSCEmulator

pytestmark = pytest.mark.integration

LOGIN, PASSWORD = "bulk", "bulk-password"
TOTAL, PAGE = 5_000, 1_000
PHONES = [f"7999{number:07d}" for number in range(TOTAL)]


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.limits = RateLimits.off()
        emu.add_account(LOGIN, PASSWORD, balance=Decimal("100000.00"))
        yield emu


@pytest.fixture
async def client(emulator: SMSCEmulator) -> AsyncIterator[AsyncSMSCClient]:
    async with (
        emulator.serve(ports=[0]) as (site,),
        AsyncSMSCClient(login=LOGIN, password=PASSWORD, host=site.url, allow_http=True) as c,
    ):
        for start in range(0, TOTAL, PAGE):  # one send per 1,000 numbers: 5,000 messages
            await c.send(PHONES[start : start + PAGE], f"batch {start}")
        yield c


@pytest.fixture
def history_requests(emulator: SMSCEmulator) -> list[str]:
    answered: list[str] = []
    emulator.on_answer(lambda command: answered.append(command) if command == "get" else None)
    return answered


def day(emulator: SMSCEmulator) -> date:
    return datetime.fromtimestamp(emulator.clock.now(), tz=MOSCOW).date()


def alive_messages() -> int:
    return sum(1 for item in gc.get_objects() if isinstance(item, SentMessage))


async def test_5000_messages_are_walked_page_by_page_in_bounded_memory(
    client: AsyncSMSCClient, emulator: SMSCEmulator, history_requests: list[str]
) -> None:
    seen: set[int] = set()
    phones: list[str] = []
    most_alive = 0
    async for message in client.history.messages(start=day(emulator), end=day(emulator)):
        assert message.internal_id is not None
        seen.add(message.internal_id)
        phones.append(message.phone or "")
        if len(phones) % 500 == 0:  # counting objects is slow: a sample every half page
            most_alive = max(most_alive, alive_messages())
    assert len(phones) == TOTAL
    assert len(seen) == TOTAL  # no message twice: no page was asked for twice
    assert sorted(phones) == PHONES
    # Five full pages, then one that comes back empty and ends the walk.
    assert len(history_requests) == TOTAL // PAGE + 1
    # Never more than one page of messages alive at once (the walk keeps no earlier page).
    assert 0 < most_alive <= PAGE


async def test_breaking_out_after_one_and_a_half_pages_costs_two_requests(
    client: AsyncSMSCClient, emulator: SMSCEmulator, history_requests: list[str]
) -> None:
    count = 0
    async for _ in client.history.messages(start=day(emulator), end=day(emulator)):
        count += 1
        if count == PAGE + PAGE // 2:
            break
    assert len(history_requests) == 2


async def test_breaking_out_at_the_end_of_a_page_asks_for_no_next_page(
    client: AsyncSMSCClient, emulator: SMSCEmulator, history_requests: list[str]
) -> None:
    count = 0
    async for _ in client.history.messages(start=day(emulator), end=day(emulator)):
        count += 1
        if count == PAGE:
            break
    assert len(history_requests) == 1
