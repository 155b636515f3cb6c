"""Failover against real loopback servers: which server received how many requests.

A send must never reach the servers twice in total; status, balance and cost move to the
mirror after any failure of the primary. The cool-down runs on an injected clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from smsc import FailoverEvent, FailoverTransport

from .backends import new_inner
from .loopback import Behaviour, FakeClock, LoopbackServer, Servers, post

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("http_backend")]

SHORT = httpx.Timeout(5.0, read=0.3)
BAD_ANSWERS = [Behaviour.ERROR_500, Behaviour.EMPTY, Behaviour.GARBAGE]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def events() -> list[FailoverEvent]:
    return []


Connect = Callable[..., httpx.AsyncClient]


@pytest.fixture
def connect(clock: FakeClock, events: list[FailoverEvent]) -> Connect:
    """Build an ``httpx.AsyncClient`` over a FailoverTransport for the given servers."""

    def build(*sites: str, max_retries: int = 3) -> httpx.AsyncClient:
        transport = FailoverTransport(
            new_inner(),
            sites,
            max_retries=max_retries,
            cooldown=30.0,
            backoff_base=0.001,
            backoff_cap=0.002,
            clock=clock,
            on_event=events.append,
        )
        return httpx.AsyncClient(transport=transport)

    return build


# ------------------------------------------------------------------------------------ send


async def test_send_goes_to_mirror_once_when_primary_refuses_connections(
    servers: Servers, connect: Connect
) -> None:
    primary = servers.refusing()
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "send", {"id": "m-1"})
    assert response.json() == {"id": "m-1", "cnt": 1}
    assert response.extensions["smsc_site"] == mirror.url
    assert (primary.count, mirror.count) == (0, 1)


async def test_send_goes_to_mirror_once_when_primary_connect_times_out(
    servers: Servers, connect: Connect
) -> None:
    primary = servers.blackhole()
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(
            client, primary.url, "send", {"id": "m-2"}, timeout=httpx.Timeout(5.0, connect=0.2)
        )
    assert response.extensions["smsc_site"] == mirror.url
    assert mirror.count == 1


async def test_send_to_primary_that_never_answers_is_not_repeated(
    servers: Servers, connect: Connect
) -> None:
    primary = await servers.start(Behaviour.HANG)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        with pytest.raises(httpx.ReadTimeout):
            await post(client, primary.url, "send", {"id": "m-3"}, timeout=SHORT)
    assert (primary.count, mirror.count) == (1, 0)


async def test_send_closed_mid_response_is_not_repeated(servers: Servers, connect: Connect) -> None:
    primary = await servers.start(Behaviour.CLOSE_MID)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await post(client, primary.url, "send", {"id": "m-4"})
    assert (primary.count, mirror.count) == (1, 0)


@pytest.mark.parametrize("behaviour", BAD_ANSWERS, ids=lambda b: b.value)
async def test_send_with_bad_answer_is_returned_unchanged_and_not_repeated(
    servers: Servers, connect: Connect, behaviour: Behaviour
) -> None:
    primary = await servers.start(behaviour)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "send", {"id": "m-5"})
    assert response.extensions["smsc_site"] == primary.url
    assert (primary.count, mirror.count) == (1, 0)


async def test_send_after_failure_goes_straight_to_mirror(
    servers: Servers, connect: Connect
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        first = await post(client, primary.url, "send", {"id": "m-6"})
        second = await post(client, primary.url, "send", {"id": "m-7"})
    assert first.status_code == 500
    assert second.json()["id"] == "m-7"
    assert [r.form["id"] for r in primary.received] == ["m-6"]
    assert [r.form["id"] for r in mirror.received] == ["m-7"]


async def test_send_returns_to_primary_once_it_listens_after_the_cooldown(
    servers: Servers, connect: Connect, clock: FakeClock, events: list[FailoverEvent]
) -> None:
    primary = servers.refusing()
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        await post(client, primary.url, "send", {"id": "m-8"})
        await primary.listen()
        await post(client, primary.url, "send", {"id": "m-9"})  # still cooling down
        clock.advance(30.0)
        await post(client, primary.url, "send", {"id": "m-10"})
    assert [r.form["id"] for r in mirror.received] == ["m-8", "m-9"]
    assert [r.form["id"] for r in primary.received] == ["m-10"]
    assert FailoverEvent(primary.url, "send", "recovered") in events


# ------------------------------------------------------------------------ status and co.


@pytest.mark.parametrize("behaviour", BAD_ANSWERS, ids=lambda b: b.value)
async def test_status_is_repeated_on_mirror_after_bad_answer(
    servers: Servers, connect: Connect, behaviour: Behaviour
) -> None:
    primary = await servers.start(behaviour)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "status", {"id": "m-1", "phone": "79990000001"})
    assert response.json()["status"] == 1
    assert response.extensions["smsc_site"] == mirror.url
    assert (primary.count, mirror.count) == (1, 1)


async def test_balance_is_repeated_on_mirror_after_primary_closes_mid_response(
    servers: Servers, connect: Connect
) -> None:
    primary = await servers.start(Behaviour.CLOSE_MID)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "balance")
    assert response.json()["balance"] == "100.50"
    assert (primary.count, mirror.count) == (1, 1)


async def test_cost_is_repeated_on_mirror_after_primary_never_answers(
    servers: Servers, connect: Connect
) -> None:
    primary = await servers.start(Behaviour.HANG)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "cost", {"id": "c-1"}, timeout=SHORT)
    assert response.extensions["smsc_site"] == mirror.url
    assert (primary.count, mirror.count) == (1, 1)


async def test_balance_is_repeated_on_mirror_when_primary_refuses(
    servers: Servers, connect: Connect
) -> None:
    primary = servers.refusing()
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "balance")
    assert response.extensions["smsc_site"] == mirror.url
    assert mirror.count == 1


async def test_balance_gives_up_after_max_retries_with_the_last_bad_answer(
    servers: Servers, connect: Connect
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start(Behaviour.GARBAGE)
    async with connect(primary.url, mirror.url, max_retries=3) as client:
        response = await post(client, primary.url, "balance")
    assert response.status_code == 200
    assert response.text.startswith("<html>")
    assert primary.count + mirror.count == 4


async def test_good_answer_of_primary_is_not_repeated(servers: Servers, connect: Connect) -> None:
    primary = await servers.start()
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        response = await post(client, primary.url, "status", {"id": "m-1", "phone": "7999"})
    assert response.extensions["smsc_site"] == primary.url
    assert (primary.count, mirror.count) == (1, 0)


# ------------------------------------------------------------------------- sticky health


async def test_failed_primary_is_skipped_during_the_cooldown(
    servers: Servers, connect: Connect, clock: FakeClock
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        await post(client, primary.url, "balance")
        clock.advance(29.0)
        await post(client, primary.url, "balance")
        await post(client, primary.url, "balance")
    assert (primary.count, mirror.count) == (1, 3)


async def test_primary_serves_again_after_it_recovers_and_the_cooldown_ends(
    servers: Servers, connect: Connect, clock: FakeClock, events: list[FailoverEvent]
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        await post(client, primary.url, "balance")
        primary.behaviour = Behaviour.OK
        clock.advance(30.0)
        probe = await post(client, primary.url, "balance")
        after = await post(client, primary.url, "balance")
    assert probe.extensions["smsc_site"] == primary.url
    assert after.extensions["smsc_site"] == primary.url
    assert (primary.count, mirror.count) == (3, 1)
    assert [e.kind for e in events if e.kind == "recovered"] == ["recovered"]


async def test_failed_probe_after_the_cooldown_keeps_traffic_on_the_mirror(
    servers: Servers, connect: Connect, clock: FakeClock
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    async with connect(primary.url, mirror.url) as client:
        await post(client, primary.url, "balance")
        clock.advance(30.0)
        await post(client, primary.url, "balance")  # probes the primary, then the mirror
        await post(client, primary.url, "balance")
    assert (primary.count, mirror.count) == (2, 3)


async def test_switch_is_logged_at_warning_with_site_and_reason_but_no_secrets(
    servers: Servers, connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    caplog.set_level(logging.WARNING, logger="smsc.transport")
    async with connect(primary.url, mirror.url) as client:
        await post(client, primary.url, "status", {"id": "m-1", "phone": "79991234567"})
    records = [r for r in caplog.records if r.name == "smsc.transport"]
    text = "\n".join(r.getMessage() for r in records)
    assert all(r.levelno == logging.WARNING for r in records)
    assert f"switching from {primary.url} to {mirror.url} after HTTP 500" in text
    for private in ("s3cret-password", "alice", "79991234567", "/sys/", "psw"):
        assert private not in text


async def test_stats_count_requests_and_failures_per_site(
    servers: Servers, clock: FakeClock
) -> None:
    primary = await servers.start(Behaviour.EMPTY)
    mirror = await servers.start()
    transport = FailoverTransport(new_inner(), [primary.url, mirror.url], clock=clock)
    async with httpx.AsyncClient(transport=transport) as client:
        await post(client, primary.url, "balance")
        await post(client, primary.url, "balance")
    assert transport.stats[primary.url].requests == 1
    assert transport.stats[primary.url].failures == 1
    assert transport.stats[mirror.url].requests == 2
    assert transport.stats[mirror.url].failures == 0


def _ids(server: LoopbackServer) -> list[str]:
    return [r.form.get("id", "") for r in server.received]


async def test_send_refused_by_every_site_raises_connect_error_and_reaches_nobody(
    servers: Servers, connect: Connect
) -> None:
    primary = servers.refusing()
    mirror = servers.refusing()
    async with connect(primary.url, mirror.url) as client:
        with pytest.raises(httpx.ConnectError):
            await post(client, primary.url, "send", {"id": "m-11"})
    assert _ids(primary) + _ids(mirror) == []
