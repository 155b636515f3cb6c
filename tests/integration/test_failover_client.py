"""The client over real loopback sites: what a caller sees when a site fails mid-send."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

import smsc

from .backends import sdk_client
from .loopback import Behaviour, RecordedRequest, Servers

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("http_backend")]

PHONE = "79991234567"


_client = sdk_client


def _busy(request: RecordedRequest) -> bytes:
    return json.dumps({"error": "duplicate request, wait a minute", "error_code": 9}).encode()


async def test_send_to_a_primary_that_never_answers_reports_its_id_and_phones(
    servers: Servers,
) -> None:
    primary = await servers.start(Behaviour.HANG)
    mirror = await servers.start()
    async with _client(primary.url, mirror.url, timeout=0.3) as client:
        with pytest.raises(smsc.SendOutcomeUnknownError) as info:
            await client.send(PHONE, "Your code: 1234", id="order-17")
    assert info.value.message_id == "order-17"
    assert info.value.phones == (PHONE,)
    assert (primary.count, mirror.count) == (1, 0)


@pytest.mark.parametrize(
    "behaviour",
    [Behaviour.ERROR_500, Behaviour.EMPTY, Behaviour.GARBAGE, Behaviour.CLOSE_MID],
    ids=lambda b: b.value,
)
async def test_send_with_a_broken_answer_reports_the_id_the_service_received(
    servers: Servers, behaviour: Behaviour
) -> None:
    primary = await servers.start(behaviour)
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        with pytest.raises(smsc.SendOutcomeUnknownError) as info:
            await client.send(PHONE, "Your code: 1234")
    assert info.value.message_id is not None
    assert [r.form["id"] for r in primary.received] == [str(info.value.message_id)]
    assert info.value.phones == (PHONE,)
    assert mirror.count == 0


async def test_send_answered_with_error_9_is_received_once_and_says_when_to_retry(
    servers: Servers,
) -> None:
    primary = await servers.start(answer=_busy)
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        with pytest.raises(smsc.TooManyRequestsError) as info:
            await client.send(PHONE, "Your code: 1234")
    assert info.value.retry_after == 60.0
    assert (primary.count, mirror.count) == (1, 0)


async def test_send_refused_by_the_primary_is_delivered_once_by_the_mirror(
    servers: Servers,
) -> None:
    primary = servers.refusing()
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        result = await client.send(PHONE, "Your code: 1234", id="order-18")
    assert result.id == "order-18"
    assert [r.form["id"] for r in mirror.received] == ["order-18"]


async def test_send_refused_by_every_site_is_a_connection_error(servers: Servers) -> None:
    primary = servers.refusing()
    mirror = servers.refusing()
    async with _client(primary.url, mirror.url) as client:
        with pytest.raises(smsc.APIConnectionError):
            await client.send(PHONE, "Your code: 1234")


async def test_balance_moves_to_the_mirror_after_the_primary_answers_500(
    servers: Servers,
) -> None:
    primary = await servers.start(Behaviour.ERROR_500)
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        balance = await client.balance()
    assert str(balance.amount) == "100.50"
    assert (primary.count, mirror.count) == (1, 1)


@pytest.mark.parametrize("command", ["send", "balance"])
async def test_an_answer_that_trickles_forever_ends_by_the_retry_deadline(
    servers: Servers, command: str
) -> None:
    # Every read gets a byte within its timeout; only the deadline's backstop (the aiohttp
    # session's total timeout on the bytes path, the failover layer's own on httpx) ends it.
    trickling = await servers.start(Behaviour.TRICKLE)
    async with _client(trickling.url, retry_deadline=0.5, timeout=30.0) as client:
        call = client.send(PHONE, "Hi", id="t-1") if command == "send" else client.balance()
        expected = smsc.SendOutcomeUnknownError if command == "send" else smsc.APITimeoutError
        with pytest.raises(expected):
            # A guard far beyond the deadline: without a backstop the call never ends.
            await asyncio.wait_for(call, 20.0)


async def test_balance_against_a_silent_site_ends_by_the_retry_deadline(servers: Servers) -> None:
    silent = await servers.start(Behaviour.HANG)
    async with _client(silent.url, retry_deadline=0.5, timeout=30.0) as client:
        started = time.monotonic()
        with pytest.raises(smsc.APITimeoutError):
            # A client ignoring retry_deadline would wait out the 30 s timeout four times:
            # the outer bound turns that into a quick failure (asyncio's TimeoutError).
            await asyncio.wait_for(client.balance(), 5.0)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert silent.count == 1


async def test_primary_that_fails_after_answering_well_is_skipped_by_the_next_calls(
    servers: Servers,
) -> None:
    primary = await servers.start()
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        for _ in range(3):
            await client.balance()
        primary.behaviour = Behaviour.ERROR_500
        await client.balance()  # tries the primary once, then the mirror
        assert (primary.count, mirror.count) == (4, 1)
        await client.balance()
        result = await client.send(PHONE, "Your code: 1234", id="order-19")
    assert result.id == "order-19"
    # Marked as failed: the later calls went straight to the mirror.
    assert primary.count == 4
    assert [r.path.rsplit("/", 1)[-1] for r in mirror.received] == [
        "balance.php",
        "balance.php",
        "send.php",
    ]


def _truncated(request: RecordedRequest) -> bytes:
    return b'{"balance": "100.'


async def test_balance_from_a_primary_answering_truncated_json_comes_from_the_mirror(
    servers: Servers,
) -> None:
    primary = await servers.start(answer=_truncated)
    mirror = await servers.start()
    async with _client(primary.url, mirror.url) as client:
        balance = await client.balance()
    assert str(balance.amount) == "100.50"
    assert (primary.count, mirror.count) == (1, 1)
