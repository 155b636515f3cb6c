"""Failover under load and against the clock, with real loopback servers.

200 concurrent sends during an outage of the primary must not each pay its failure, and a
call against a server that never answers ends by its deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from smsc import FailoverTransport

from .backends import new_inner
from .loopback import Behaviour, Servers, post

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("http_backend")]

CROWD = 200
HANDFUL = 5


def _transport(*sites: str) -> FailoverTransport:
    return FailoverTransport(new_inner(), sites, backoff_base=0.001)


async def _crowd_of_sends(
    transport: FailoverTransport, url: str, timeout: httpx.Timeout
) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=transport) as client:
        return await asyncio.gather(
            *(
                post(client, url, "send", {"id": f"m-{n}"}, deadline_in=30.0, timeout=timeout)
                for n in range(CROWD)
            )
        )


async def test_concurrent_sends_contact_a_refusing_primary_only_a_handful_of_times(
    servers: Servers,
) -> None:
    primary = servers.refusing()
    mirror = await servers.start()
    transport = _transport(primary.url, mirror.url)
    responses = await _crowd_of_sends(transport, primary.url, httpx.Timeout(10.0))
    assert transport.stats[primary.url].requests <= HANDFUL
    assert all(r.extensions["smsc_site"] == mirror.url for r in responses)
    received = Counter(r.form["id"] for r in mirror.received)
    assert len(received) == CROWD
    assert max(received.values()) == 1


async def test_concurrent_sends_wait_out_a_hanging_connect_to_the_primary_only_a_few_times(
    servers: Servers,
) -> None:
    primary = servers.blackhole()
    mirror = await servers.start()
    transport = _transport(primary.url, mirror.url)
    responses = await _crowd_of_sends(transport, primary.url, httpx.Timeout(10.0, connect=1.0))
    assert transport.stats[primary.url].requests <= HANDFUL
    assert len(responses) == CROWD
    received = Counter(r.form["id"] for r in mirror.received)
    assert len(received) == CROWD
    assert max(received.values()) == 1


async def test_concurrent_sends_reach_a_primary_that_never_answers_only_a_handful_of_times(
    servers: Servers,
) -> None:
    primary = await servers.start(Behaviour.HANG)
    mirror = await servers.start()
    transport = _transport(primary.url, mirror.url)
    async with httpx.AsyncClient(transport=transport) as client:
        results = await asyncio.gather(
            *(
                post(client, primary.url, "send", {"id": f"m-{n}"}, timeout=httpx.Timeout(1.5))
                for n in range(CROWD)
            ),
            return_exceptions=True,
        )
    timeouts = [r for r in results if isinstance(r, httpx.ReadTimeout)]
    assert primary.count <= HANDFUL
    assert len(timeouts) == primary.count
    assert primary.count + mirror.count == CROWD


async def test_status_against_a_server_that_never_answers_ends_by_its_deadline(
    servers: Servers,
) -> None:
    silent = await servers.start(Behaviour.HANG)
    transport = _transport(silent.url)
    async with httpx.AsyncClient(transport=transport) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            await post(client, silent.url, "status", deadline_in=0.5, timeout=httpx.Timeout(30.0))
        elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert silent.count >= 1


async def test_balance_against_a_hanging_connect_ends_by_its_deadline(servers: Servers) -> None:
    primary = servers.blackhole()
    mirror = servers.blackhole()
    transport = _transport(primary.url, mirror.url)
    async with httpx.AsyncClient(transport=transport) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ConnectTimeout):
            await post(client, primary.url, "balance", deadline_in=0.5, timeout=httpx.Timeout(30.0))
        elapsed = time.monotonic() - started
    assert elapsed < 3.0


async def test_status_retries_against_failing_servers_stop_at_the_deadline(
    servers: Servers,
) -> None:
    failing = await servers.start(Behaviour.ERROR_500)
    # No jitter: the pauses are 0.2 s then 0.4 s, so the third attempt would end after the
    # deadline and is never started (with jitter one could start with milliseconds left and
    # end in the deadline's timeout instead of the last answer).
    transport = FailoverTransport(
        new_inner(),
        [failing.url],
        max_retries=10,
        backoff_base=0.2,
        backoff_cap=1.0,
        random=lambda: 1.0,
    )
    async with httpx.AsyncClient(transport=transport) as client:
        started = time.monotonic()
        response = await post(client, failing.url, "status", deadline_in=0.5)
        elapsed = time.monotonic() - started
    assert response.status_code == 500
    assert elapsed < 3.0
    assert failing.count < 11
