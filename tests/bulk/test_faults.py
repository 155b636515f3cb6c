"""Faults mid-campaign and a killed process, on loopback sockets: no message is sent twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

import smsc
from smsc import AsyncSMSCClient, CampaignProgress
from smsc.testing import Fault, SMSCEmulator

from .conftest import LOGIN, PASSWORD, messages, receipts

pytestmark = pytest.mark.integration

WORKER = Path(__file__).with_name("campaign_worker.py")


async def _until(condition: Callable[[], bool], what: str, deadline: float = 30.0) -> None:
    """Wait for ``condition`` (checked as the event loop runs), failing after ``deadline``."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _states(journal: Path) -> dict[str, int]:
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        return dict(db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall())


async def test_faults_mid_campaign_leave_known_or_unknown_states_and_resume_sends_once(
    emulator: SMSCEmulator, journal: Path
) -> None:
    async with emulator.serve(ports=[0, 0]) as (primary, mirror):
        faults_done = []

        def inject(progress: CampaignProgress) -> None:
            # After the first answers the primary fails in three ways, one request each (with
            # no cool-down the client goes on using it).
            step = progress.sent_this_run
            if step >= 100 and "500" not in faults_done:
                faults_done.append("500")
                primary.faults.set(Fault.HTTP_500, times=1)
            elif step >= 300 and "cut" not in faults_done:
                faults_done.append("cut")
                primary.faults.set(Fault.CLOSE_MID_ANSWER, times=1)
            elif step >= 500 and "hang" not in faults_done:
                faults_done.append("hang")
                primary.faults.set(Fault.HANG, times=1)

        emulator.fail_next_sends("79990000700", 9)
        async with AsyncSMSCClient(
            login=LOGIN,
            password=PASSWORD,
            host=primary.url,
            mirrors=[mirror.url],
            allow_http=True,
            timeout=1.0,
            max_concurrency=2,
            mirror_cooldown=0,
        ) as client:
            first = client.campaign(
                messages(1000),
                journal=journal,
                max_lines=50,
                settle_after=0,
                busy_pause=0,
                on_progress=inject,
            )
            progress = await first.run()
            assert faults_done == ["500", "cut", "hang"]
            assert progress.unknown == 150  # three requests of 50 whose answers were lost
            assert progress.in_flight == 0
            assert progress.planned == 0
            assert _states(journal) == {"accepted": 850, "unknown": 150}
            assert max(receipts(emulator).values()) == 1

        # A new run with the primary down: the mirror answers.
        await primary.set_fault(Fault.REFUSE)
        async with AsyncSMSCClient(
            login=LOGIN, password=PASSWORD, host=primary.url, mirrors=[mirror.url], allow_http=True
        ) as client:
            second = client.campaign(messages(1000), journal=journal, max_lines=50, settle_after=0)
            final = await second.run()
        assert final.accepted == 1000
        assert final.unknown == 0
        # The cut answer's request had been taken: settled as accepted, not sent again.
        assert sorted(receipts(emulator).values()) == [1] * 1000
        assert mirror.requests > 0


async def test_a_campaign_killed_mid_request_resumes_and_sends_each_message_once(
    emulator: SMSCEmulator, journal: Path
) -> None:
    site = await emulator.start_site()
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), site.url, str(journal), "1000"
    )
    try:
        await _until(lambda: len(emulator.messages) >= 200, "the campaign to be under way")
        emulator.pause_responses()
        await _until(lambda: emulator.in_flight >= 1, "a request held at the service")
        os.kill(worker.pid, signal.SIGKILL)
        assert await worker.wait() == -signal.SIGKILL
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
        emulator.resume_responses()
    await _until(lambda: emulator.in_flight == 0, "the held requests to be served")
    states = _states(journal)
    assert states.get("in_flight", 0) >= 1
    assert states.get("planned", 0) >= 1
    held = len(emulator.messages)

    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, host=site.url, allow_http=True
    ) as client:
        resumed = client.campaign(messages(1000), journal=journal, max_lines=20, settle_after=0)
        outcomes = [outcome async for outcome in resumed]
    assert resumed.progress.accepted == 1000
    assert len(outcomes) == 1000 - states.get("accepted", 0)
    assert _states(journal) == {"accepted": 1000}
    assert held > 200
    assert sorted(receipts(emulator).values()) == [1] * 1000


async def test_one_lost_answer_on_a_single_site_does_not_stop_the_campaign(
    journal: Path,
) -> None:
    # One answer is cut: the only site is marked down and one request re-tests it while the
    # others, finding no site, fail fast (nothing sent). The campaign waits and sends them
    # again instead of stopping. Its pauses end when the re-test has its verdict (no clock).
    # The service takes 0.2 s an answer: the re-test outlasts the synced journal commit
    # (~10-25 ms on a common disk) that puts the next request in flight.
    async with SMSCEmulator(service_time=0.2) as emulator:
        emulator.add_account(LOGIN, PASSWORD, balance=1_000_000)
        async with emulator.serve(ports=[0]) as (site,):
            cut: list[int] = []

            def inject(progress: CampaignProgress) -> None:
                if progress.sent_this_run >= 100 and not cut:
                    cut.append(progress.sent_this_run)
                    site.faults.set(Fault.CLOSE_MID_ANSWER, times=1)

            async with AsyncSMSCClient(
                login=LOGIN, password=PASSWORD, host=site.url, allow_http=True, max_concurrency=4
            ) as client:
                failover = client._failover
                assert failover is not None
                pauses: list[float] = []

                async def until_retested(seconds: float) -> None:
                    pauses.append(seconds)
                    await _until(
                        lambda: all(s.probe is None for s in failover._sites), "the re-test"
                    )

                progress = await client.campaign(
                    messages(1000),
                    journal=journal,
                    max_lines=20,
                    settle_after=0,
                    on_progress=inject,
                    sleep=until_retested,
                ).run()
    assert cut
    assert pauses  # the campaign did meet a moment with no site to send to
    assert (progress.accepted, progress.unknown, progress.planned) == (980, 20, 0)
    assert max(receipts(emulator).values()) == 1


async def test_a_site_that_stays_unreachable_stops_the_campaign_after_five_tries(
    emulator: SMSCEmulator, journal: Path
) -> None:
    async with emulator.serve(ports=[0]) as (site,):
        await site.set_fault(Fault.REFUSE)
        pauses: list[float] = []
        now = [0.0]

        async def sleep(seconds: float) -> None:  # a virtual clock: no real waiting
            pauses.append(seconds)
            now[0] += seconds

        async with AsyncSMSCClient(
            login=LOGIN, password=PASSWORD, host=site.url, allow_http=True, mirror_cooldown=0
        ) as client:
            campaign = client.campaign(
                messages(10), journal=journal, sleep=sleep, clock=lambda: now[0]
            )
            with pytest.raises(smsc.APIConnectionError):
                await campaign.run()
            assert campaign.progress.planned == 10  # nothing was sent: all of it planned again
    assert pauses == [1.0, 2.0, 4.0, 8.0]
    assert emulator.messages == []
