"""Answers too large to read, over real sockets on both backends: the read stops at the bound.

A body that does not end, one that declares 96 MiB and 130 KB of gzip that inflate to
128 MiB are held to ``MAX_ANSWER_BYTES`` (32 MiB): a query ends in ``InvalidResponseError``
with the client's memory never near the answer's size, a send in ``SendOutcomeUnknownError``
(the service may have acted on it).
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

import smsc

from .backends import sdk_client
from .loopback import Behaviour, Servers, gzip_bomb

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("http_backend")]

TOO_LARGE = [Behaviour.HUGE, Behaviour.ENDLESS, Behaviour.GZIP_BOMB]


def _client(url: str, *mirrors: str, **options: Any) -> smsc.AsyncSMSCClient:
    options.setdefault("max_retries", 0)
    return sdk_client(url, *mirrors, timeout=10.0, **options)


@pytest.mark.parametrize("behaviour", TOO_LARGE, ids=lambda b: b.name.lower())
async def test_a_query_whose_answer_is_too_large_is_an_invalid_answer(
    servers: Servers, behaviour: Behaviour
) -> None:
    site = await servers.start(behaviour)
    gzip_bomb()  # made by the test's server, in this process: before the memory is traced
    async with _client(site.url) as client:
        tracemalloc.start()
        try:
            # 32 MiB as read; a gzip bomb stops sooner, at the balance answer's own bound.
            with pytest.raises(smsc.InvalidResponseError, match=r"larger than \d+ bytes"):
                await client.balance()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # Reading it all would take 96-128 MiB; the bound keeps the client near 32 MiB.
    assert peak < 64 << 20


@pytest.mark.parametrize("behaviour", TOO_LARGE, ids=lambda b: b.name.lower())
async def test_a_send_whose_answer_is_too_large_has_an_unknown_outcome(
    servers: Servers, behaviour: Behaviour
) -> None:
    site = await servers.start(behaviour)
    mirror = await servers.start()
    async with _client(site.url, mirror.url) as client:
        with pytest.raises(smsc.SendOutcomeUnknownError) as info:
            await client.send("79991234567", "Hi", id="big-1")
    assert info.value.message_id == "big-1"
    assert (site.count, mirror.count) == (1, 0)  # it may have been sent: never repeated


async def test_a_query_whose_answer_was_too_large_is_repeated_on_the_mirror(
    servers: Servers,
) -> None:
    site = await servers.start(Behaviour.ENDLESS)
    mirror = await servers.start()
    async with _client(site.url, mirror.url, max_retries=1) as client:
        balance = await client.balance()
    assert balance.amount is not None
    assert (site.count, mirror.count) == (1, 1)
