"""AsyncSMSCClient(limiter=...): the slots and window rules of a limiter, on the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from smsc import (
    APIConnectionError,
    AsyncSMSCClient,
    IdenticalRequestError,
    InProcessLimiter,
    LimitExceededError,
    SendOutcomeUnknownError,
    StatusCode,
)
from smsc.testing import Lifecycle, RateLimits, SMSCEmulator

PHONE = "79991234567"


class VirtualTime:
    """The emulator's clock as the limiter's, the wait's clock and its sleep."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self.clock: Callable[[], float] = emulator.clock.now
        self._emulator = emulator

    async def sleep(self, seconds: float) -> None:
        self._emulator.advance(seconds)


async def _until(predicate: Callable[[], bool]) -> None:
    """Let the event loop run until ``predicate`` holds (no wall-clock waiting)."""
    while not predicate():  # noqa: ASYNC110 - a state of this loop's own tasks, not a time
        await asyncio.sleep(0)


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator(lifecycle=Lifecycle(transfer_after=5, final_after=400)) as emu:
        emu.add_account("demo", "demo", balance=1000)
        yield emu


class Counted:
    """A limiter on the emulator's clock, and the commands the emulator answered."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self.limiter = InProcessLimiter(clock=VirtualTime(emulator).clock)
        self.requests: list[str] = []
        emulator.on_answer(self.requests.append)


@pytest.fixture
def counted(emulator: SMSCEmulator) -> Counted:
    return Counted(emulator)


def _client(emulator: SMSCEmulator, limiter: InProcessLimiter) -> AsyncSMSCClient:
    return AsyncSMSCClient(
        login="demo",
        password="demo",
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
        limiter=limiter,
    )


async def test_two_clients_sharing_a_limiter_stay_within_its_slots(
    emulator: SMSCEmulator,
) -> None:
    emulator.limits = RateLimits(balance_per_minute=None)
    limiter = InProcessLimiter(max_concurrency=3)
    async with _client(emulator, limiter) as one, _client(emulator, limiter) as two:
        await one.cost(PHONE, "warm-up")  # the first contact with a site goes alone
        await two.cost(PHONE, "warm-up")
        emulator.pause_responses()
        calls = [asyncio.create_task(c.balance()) for c in (one, two) for _ in range(4)]
        await _until(lambda: emulator.in_flight == 3)
        for _ in range(50):  # give any request over the cap every chance to get through
            await asyncio.sleep(0)
        assert (emulator.in_flight, limiter.in_flight) == (3, 3)
        emulator.resume_responses()
        balances = await asyncio.gather(*calls)
    assert len(balances) == 8
    assert emulator.peak_in_flight_for("demo") == 3


async def test_an_identical_send_from_another_client_is_refused_before_the_request(
    emulator: SMSCEmulator,
) -> None:
    limiter = InProcessLimiter()
    async with _client(emulator, limiter) as one, _client(emulator, limiter) as two:
        await one.send(PHONE, "Your code: 1234")
        with pytest.raises(IdenticalRequestError) as caught:
            await two.send(PHONE, "Your code: 1234")
        await two.send(PHONE, "Your code: 5678")
    assert caught.value.rule == "send.identical"
    assert not caught.value.retryable
    assert len(emulator.messages_to(PHONE)) == 2


async def test_the_eleventh_balance_request_in_a_minute_is_refused_before_the_request(
    emulator: SMSCEmulator,
) -> None:
    vt = VirtualTime(emulator)
    limiter = InProcessLimiter(clock=vt.clock)
    requests = 0

    def count(command: str) -> None:
        nonlocal requests
        requests += command == "balance"

    emulator.on_answer(count)
    async with _client(emulator, limiter) as client:
        for _ in range(10):
            await client.balance()
        with pytest.raises(LimitExceededError) as caught:
            await client.balance()
        emulator.advance(caught.value.retry_after)
        await client.balance()
    assert (caught.value.rule, caught.value.retryable, requests) == ("balance", True, 11)


async def test_a_send_refused_at_connect_is_taken_back_so_the_same_send_may_be_repeated() -> None:
    limiter = InProcessLimiter()
    async with AsyncSMSCClient(
        login="demo",
        password="demo",
        host="http://127.0.0.1:9",  # discard port: nothing listens, the connection is refused
        allow_http=True,
        failover=False,
        max_retries=0,
        limiter=limiter,
    ) as client:
        for _ in range(2):
            with pytest.raises(APIConnectionError):
                await client.send(PHONE, "Your code: 1234")


async def test_a_send_that_may_have_left_keeps_its_count_so_the_same_send_is_refused() -> None:
    requests = 0

    def times_out_after_writing(request: httpx.Request) -> httpx.Response:
        nonlocal requests
        requests += 1
        raise httpx.ReadTimeout("no answer", request=request)  # written: it may have arrived

    async with AsyncSMSCClient(
        login="demo",
        password="demo",
        host="https://emulator.test",
        transport=httpx.MockTransport(times_out_after_writing),
        failover=False,
        max_retries=0,
        limiter=InProcessLimiter(),
    ) as client:
        with pytest.raises(SendOutcomeUnknownError):
            await client.send(PHONE, "Your code: 1234")
        with pytest.raises(IdenticalRequestError):
            await client.send(PHONE, "Your code: 1234")
    assert requests == 1  # the second identical send never left


async def test_a_send_cancelled_while_queued_for_a_slot_leaves_no_count(
    emulator: SMSCEmulator,
) -> None:
    limiter = InProcessLimiter(max_concurrency=1)
    async with _client(emulator, limiter) as client:
        await client.cost(PHONE, "warm-up")  # the first contact with a site goes alone
        emulator.pause_responses()
        first = asyncio.create_task(client.send(PHONE, "first"))
        await _until(lambda: emulator.in_flight == 1)
        queued = asyncio.create_task(client.send(PHONE, "second"))
        for _ in range(5):
            await asyncio.sleep(0)
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        emulator.resume_responses()
        await first
        await client.send(PHONE, "second")  # not refused as identical: it never left
    assert [m.text for m in emulator.messages_to(PHONE)] == ["first", "second"]


async def test_wait_for_status_waits_out_a_status_window_other_clients_used(
    emulator: SMSCEmulator,
) -> None:
    vt = VirtualTime(emulator)
    limiter = InProcessLimiter(clock=vt.clock)
    async with _client(emulator, limiter) as worker, _client(emulator, limiter) as other:
        sent = await worker.send(PHONE, "Hello")
        for _ in range(5):  # another worker used the five polls of this minute
            await other.status(sent.id, PHONE)
        used_at = emulator.clock.now()
        polls: list[float] = []
        status = await worker.wait_for_status(
            sent.id,
            PHONE,
            timeout=900,
            first_poll=0,
            clock=vt.clock,
            sleep=vt.sleep,
            on_status=lambda _: polls.append(emulator.clock.now()),
        )
    assert status.status is StatusCode.DELIVERED
    assert polls[0] >= used_at + 61  # not before the limiter's window let it
    assert all(b - a >= 61 for a, b in zip(polls, polls[5:], strict=False))


async def test_copies_share_the_limiter_and_closing_the_client_leaves_it_open(
    emulator: SMSCEmulator,
) -> None:
    closed: list[bool] = []

    class Recording(InProcessLimiter):
        async def aclose(self) -> None:
            closed.append(True)

    limiter = Recording(max_concurrency=4)
    async with _client(emulator, limiter) as client:
        copy = client.with_options(timeout=5)
        assert copy.limiter is client.limiter is limiter
        await copy.send(PHONE, "one")
        with pytest.raises(IdenticalRequestError):
            await client.send(PHONE, "one")
    assert closed == []
    assert client.http_client.is_closed


def test_a_client_without_a_limiter_reports_none() -> None:
    client = AsyncSMSCClient(login="demo", password="demo", max_concurrency=5)
    assert client.limiter is None


async def test_a_fourth_change_of_one_sub_client_in_a_minute_is_refused_before_the_request(
    emulator: SMSCEmulator, counted: Counted
) -> None:
    async with _client(emulator, counted.limiter) as client:
        await client.users.add("shop-1", password="Secret-pw-1")
        await client.users.change("shop-1", name="Shop one")
        await client.users.change("shop-1", name="Shop 1")
        with pytest.raises(LimitExceededError) as caught:
            await client.users.change("shop-1", name="Shop #1")
        await client.users.add("shop-2", password="Secret-pw-2")  # another sub-client: its own
    assert caught.value.rule == "users.change"
    assert len(counted.requests) == 4


async def test_a_fourth_identical_operator_lookup_in_a_minute_is_refused_before_the_request(
    emulator: SMSCEmulator, counted: Counted
) -> None:
    async with _client(emulator, counted.limiter) as client:
        for _ in range(3):
            await client.operators.lookup(PHONE)
        with pytest.raises(IdenticalRequestError) as caught:
            await client.operators.lookup(PHONE)
        await client.operators.lookup("79997654321")  # another number: not identical
    assert caught.value.rule == "info.operator.identical"
    assert len(counted.requests) == 4
