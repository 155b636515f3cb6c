"""Acceptance: a fleet of processes on one login, on a real Redis and the emulator's sockets.

The emulator takes a random 20-40 ms of real time per request (``service_time``), so requests
overlap at it as they do at the real service, and it records the most simultaneous requests of
the login. The workers are the recipe of ``examples/worker`` (taskiq on Redis streams) and a
FastAPI app on 4 uvicorn worker processes, each a separate OS process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from smsc import AsyncSMSCClient, LimiterUnavailableError, RedisLimiter, SendResult
from smsc.testing import Site, SMSCEmulator

from .redis_server import RedisServer, free_port

pytestmark = pytest.mark.integration

RECIPE = Path(__file__).resolve().parents[2] / "examples" / "worker"
CAP = 10
SENDS = 2_000
SERVICE_TIME = (0.02, 0.04)


class Fleet:
    """The emulator on a loopback site and the environment of the fleet's processes."""

    def __init__(self, emulator: SMSCEmulator, site: Site, redis_url: str) -> None:
        self.emulator = emulator
        self.login = f"fleet-{uuid.uuid4().hex[:8]}"
        self.queue = f"smsc:test:{self.login}"
        emulator.add_account(self.login, "pw", balance=1_000_000)
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(RECIPE), os.environ.get("PYTHONPATH", "")]),
            "SMSC_HOST": site.url,
            "SMSC_ALLOW_HTTP": "1",
            "SMSC_LOGIN": self.login,
            "SMSC_PASSWORD": "pw",
            "SMSC_MAX_CONCURRENCY": str(CAP),
            "SMSC_TIMEOUT": "2",
            "SMSC_CONNECT_TIMEOUT": "1",
            "SMSC_LEASE_TTL": "2",
            "REDIS_URL": redis_url,
            "WORKER_QUEUE": self.queue,
            "WORKER_RECLAIM_AFTER": "2",
        }
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=RECIPE,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: kill -9 reaches its children
        )
        self.processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen[bytes]:
        return self.start(
            "taskiq", "worker", "sms_tasks:broker", "--workers", "1",
            "--ack-type", "when_executed", "--max-async-tasks", "30",
        )  # fmt: skip

    async def enqueue(self, count: int) -> None:
        producer = self.start("enqueue", str(count), self.login)
        while producer.poll() is None:  # noqa: ASYNC110 - the emulator serves meanwhile
            await asyncio.sleep(0.05)
        assert producer.returncode == 0

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """``kill -9`` the process and its children (a taskiq worker is two processes)."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        # The jobs are finished when this runs: a graceful stop is not what is under test.
        for process in self.processes:
            self.kill(process)

    def ids_received(self) -> Counter[str]:
        return Counter(str(m.id) for m in self.emulator.messages if m.login == self.login)


async def _until(condition: Callable[[], object], *, within: float, what: str) -> None:
    """Wait for the fleet to reach a state (polling; ``within`` only bounds a hung run)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await _value(condition):
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within:g} s: {what}")
        await asyncio.sleep(0.05)


async def _value(condition: Callable[[], object]) -> object:
    value = condition()
    if asyncio.iscoroutine(value):
        return await value
    return value


@pytest.fixture
async def fleet(redis_url: str) -> AsyncIterator[Fleet]:
    async with SMSCEmulator(service_time=SERVICE_TIME) as emulator, emulator.serve() as sites:
        fleet = Fleet(emulator, sites[0], redis_url)
        try:
            yield fleet
        finally:
            await asyncio.to_thread(fleet.stop_all)


async def _outcomes(redis: Redis, fleet: Fleet, jobs: int) -> tuple[Counter[str], int]:
    outcomes: Counter[str] = Counter()
    settled = 0
    for number in range(jobs):
        record = await redis.hgetall(f"{fleet.queue}:job:{fleet.login}-{number}")
        outcome = record.get(b"outcome", b"none")
        outcomes[outcome.decode() if isinstance(outcome, bytes) else str(outcome)] += 1
        settled += record.get(b"settled") in (b"found", b"absent")
    return outcomes, settled


async def test_four_workers_send_two_thousand_messages_within_the_cap_exactly_once(
    fleet: Fleet, redis: Redis
) -> None:
    for _ in range(4):
        fleet.start_worker()
    await fleet.enqueue(SENDS)
    await _until(lambda: _finished(redis, fleet, SENDS), within=90, what="all jobs finished")
    received = fleet.ids_received()
    assert len(received) == SENDS
    assert max(received.values()) == 1  # no message received twice
    outcomes, _ = await _outcomes(redis, fleet, SENDS)
    assert outcomes == Counter({"accepted": SENDS})
    assert fleet.emulator.peak_in_flight_for(fleet.login) <= CAP
    assert fleet.emulator.concurrency_refusals(fleet.login) == 0  # zero error 9


async def _finished(redis: Redis, fleet: Fleet, jobs: int) -> bool:
    return int(await redis.scard(f"{fleet.queue}:finished")) >= jobs


async def test_a_worker_killed_mid_run_loses_nothing_and_sends_nothing_twice(
    fleet: Fleet, redis: Redis
) -> None:
    workers = [fleet.start_worker() for _ in range(4)]
    await fleet.enqueue(SENDS)
    await _until(lambda: len(fleet.ids_received()) >= SENDS // 4, within=60, what="a quarter sent")
    fleet.kill(workers[0])  # kill -9 mid-run: its leases and its unacknowledged jobs remain
    await _until(lambda: _finished(redis, fleet, SENDS), within=90, what="all jobs finished")
    received = fleet.ids_received()
    outcomes, settled = await _outcomes(redis, fleet, SENDS)
    assert len(received) == SENDS
    assert max(received.values()) == 1  # no message received twice
    assert outcomes == Counter({"accepted": SENDS})
    # The jobs the killed worker had begun were settled through status by the others (found
    # at the service, or found absent and sent then).
    assert settled >= 1
    assert fleet.emulator.peak_in_flight_for(fleet.login) <= CAP
    assert fleet.emulator.concurrency_refusals(fleet.login) == 0


async def test_four_uvicorn_workers_sharing_the_limiter_keep_the_login_under_the_cap(
    fleet: Fleet,
) -> None:
    port = free_port()
    fleet.start(
        "uvicorn", "sms_web:app", "--workers", "4", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning",
        # A stalled machine must not let an idle pooled connection expire (5 s by default)
        # just as the test reuses it: that reads as a ReadError.
        "--timeout-keep-alive", "300",
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/notify"
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await _until(lambda: _answers(http, url), within=60, what="the app answers")
        answers = await asyncio.gather(
            *(
                http.post(url, json={"phone": f"7999{n:07d}", "text": f"Order {n} shipped"})
                for n in range(200)
            )
        )
    assert [a.status_code for a in answers] == [200] * 200
    workers = {a.json()["worker"] for a in answers}
    assert len(workers) >= 2  # served by several processes at once
    assert len(fleet.ids_received()) == 201  # and the one that checked the app was up
    assert fleet.emulator.peak_in_flight_for(fleet.login) <= CAP < 15
    assert fleet.emulator.concurrency_refusals(fleet.login) == 0


async def _answers(http: httpx.AsyncClient, url: str) -> bool:
    try:
        answer = await http.post(url, json={"phone": "79990000000", "text": "Is the app up?"})
    except httpx.TransportError:
        return False
    return answer.status_code == 200


async def test_redis_stopped_mid_run_fails_calls_closed_and_sends_nothing_twice(
    own_redis_server: RedisServer, fleet: Fleet
) -> None:
    limiter = RedisLimiter(own_redis_server.url, login=fleet.login, timeout=1.0)
    client = AsyncSMSCClient(
        login=fleet.login,
        password="pw",
        host=fleet.env["SMSC_HOST"],
        allow_http=True,
        limiter=limiter,
    )
    async with limiter, client:
        calls = [
            asyncio.create_task(client.send(f"7999{n:07d}", f"Your code is {n:06d}"))
            for n in range(300)
        ]
        await _until(lambda: len(fleet.ids_received()) >= 50, within=60, what="50 sent")
        await asyncio.to_thread(own_redis_server.stop)
        results = await asyncio.gather(*calls, return_exceptions=True)
    sent = [r for r in results if isinstance(r, SendResult)]
    refused = [r for r in results if isinstance(r, LimiterUnavailableError)]
    assert len(sent) + len(refused) == 300  # each call: sent, or the documented typed error
    assert sent
    assert refused
    assert all("failing closed" in str(error) for error in refused)
    received = fleet.ids_received()
    assert max(received.values()) == 1  # nothing sent twice
    assert set(received) == {str(r.id) for r in sent}  # nor a refused call sent at all
