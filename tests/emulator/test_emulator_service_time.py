"""The emulator's service time (real time per request) and its record of requests per login.

The service time is the one place the emulator sleeps for real; these tests replace that sleep
with an event the test opens, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from smsc.testing import RateLimits, ServiceTime, SMSCEmulator
from smsc.testing import _service as service_module
from smsc.testing.__main__ import build_parser

URL = "https://emulator.test/sys/balance.php"


class HeldSleep:
    """Stands in for ``asyncio.sleep`` in the service: every request waits for ``release``."""

    def __init__(self) -> None:
        self.requested: list[float] = []
        self.release = asyncio.Event()
        self.waiting = 0
        self.changed = asyncio.Condition()

    async def __call__(self, seconds: float) -> None:
        self.requested.append(seconds)
        async with self.changed:
            self.waiting += 1
            self.changed.notify_all()
        await self.release.wait()

    async def until_waiting(self, count: int) -> None:
        async with self.changed:
            await self.changed.wait_for(lambda: self.waiting >= count)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldSleep:
    sleep = HeldSleep()
    monkeypatch.setattr(service_module, "_sleep", sleep)
    return sleep


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator(service_time=0.05, limits=RateLimits(balance_per_minute=None)) as emu:
        emu.add_account("alex", "pw")
        emu.add_account("bob", "pw")
        yield emu


async def _balance(http: httpx.AsyncClient, login: str) -> dict[str, object]:
    response = await http.post(URL, data={"login": login, "psw": "pw", "fmt": "3"})
    answer: dict[str, object] = response.json()
    return answer


async def test_requests_overlap_for_the_service_time_and_the_peak_is_kept_per_login(
    emulator: SMSCEmulator, held: HeldSleep
) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator.app)) as http:
        alex = [asyncio.create_task(_balance(http, "alex")) for _ in range(6)]
        bob = [asyncio.create_task(_balance(http, "bob")) for _ in range(2)]
        await held.until_waiting(8)
        assert (emulator.in_flight, emulator.peak_in_flight) == (8, 8)
        held.release.set()
        answers = await asyncio.gather(*alex, *bob)
    assert all("balance" in answer for answer in answers)
    assert held.requested == [0.05] * 8
    assert (emulator.peak_in_flight_for("alex"), emulator.peak_in_flight_for("bob")) == (6, 2)
    assert (emulator.peak_in_flight_for("nobody"), emulator.in_flight) == (0, 0)


async def test_the_fifteenth_simultaneous_request_is_refused_and_still_seen(
    emulator: SMSCEmulator, held: HeldSleep
) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator.app)) as http:
        running = [asyncio.create_task(_balance(http, "alex")) for _ in range(14)]
        await held.until_waiting(14)
        refused = await _balance(http, "alex")
        held.release.set()
        answers = await asyncio.gather(*running)
    assert refused["error_code"] == 9
    assert all("balance" in answer for answer in answers)
    # The service saw 15 at once; the refusal is counted, the peak says what it saw.
    assert (emulator.peak_in_flight_for("alex"), emulator.concurrency_refusals("alex")) == (15, 1)
    assert emulator.concurrency_refusals("bob") == 0


async def test_without_a_service_time_the_emulator_never_sleeps(held: HeldSleep) -> None:
    async with SMSCEmulator(limits=RateLimits.off()) as emu:
        emu.add_account("alex", "pw")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.app)) as http:
            answer = await _balance(http, "alex")
    assert "balance" in answer
    assert (emu.service_time, held.requested) == (None, [])


async def test_service_time_can_be_set_and_switched_off_on_a_running_emulator(
    emulator: SMSCEmulator,
) -> None:
    emulator.service_time = (0.02, 0.08)
    assert emulator.service_time == ServiceTime(0.02, 0.08)
    emulator.service_time = None
    assert emulator.service_time is None


def test_a_random_service_time_stays_within_its_bounds() -> None:
    draws = [ServiceTime(0.02, 0.08).draw() for _ in range(500)]
    assert all(0.02 <= draw <= 0.08 for draw in draws)
    assert len(set(draws)) > 1
    assert ServiceTime(0.03).draw() == 0.03


@pytest.mark.parametrize(("low", "high"), [(-0.1, None), (0.08, 0.02)])
def test_a_service_time_out_of_order_is_refused(low: float, high: float | None) -> None:
    with pytest.raises(ValueError, match="low <= high"):
        ServiceTime(low, high)


def test_cli_takes_a_fixed_or_a_random_service_time() -> None:
    parser = build_parser()
    assert parser.parse_args([]).service_time is None
    assert parser.parse_args(["--service-time", "0.05"]).service_time == ServiceTime(0.05)
    fixed = parser.parse_args(["--service-time", "0.02-0.08"]).service_time
    assert fixed == ServiceTime(0.02, 0.08)
    with pytest.raises(SystemExit):
        parser.parse_args(["--service-time", "fast"])


@pytest.mark.smsc_service_time(0.02, 0.08)
async def test_the_fixture_takes_the_service_time_from_the_marker(
    smsc_emulator: SMSCEmulator,
) -> None:
    assert smsc_emulator.service_time == ServiceTime(0.02, 0.08)


async def test_the_fixture_has_no_service_time_by_default(smsc_emulator: SMSCEmulator) -> None:
    assert smsc_emulator.service_time is None
