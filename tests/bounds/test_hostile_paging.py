"""Issue 23 item 9: paging does not trust the service. Pages that overlap, repeat, hold a
message twice or never end are refused with ``InvalidResponseError`` before any message of
the bad page is yielded: nothing is yielded twice, and every walk ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any, TypeVar

import httpx
import pytest
import respx

import smsc
from smsc import AsyncSMSCClient

from ..unit.conftest import form_of, json_response

GET_URL = "https://smsc.ru/sys/get.php"
DAY = date(2024, 1, 1)
CAP = 20_000  # items a test takes from a walk before it calls the walk endless

_T = TypeVar("_T")


@pytest.fixture
def wire() -> Any:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def client(wire: respx.MockRouter) -> AsyncIterator[AsyncSMSCClient]:
    async with AsyncSMSCClient(
        login="alex", password="Pa55-w0rd-very-secret", failover=False, max_retries=0
    ) as c:
        yield c


async def take(walk: AsyncIterator[_T], seen: list[_T]) -> None:
    """Append what ``walk`` yields to ``seen``; fail the test if it never ends."""
    async for item in walk:
        seen.append(item)
        if len(seen) >= CAP:
            pytest.fail(f"the walk yielded {CAP} items and goes on")


def sent(int_id: int) -> dict[str, Any]:
    return {"status": 1, "id": int_id, "int_id": int_id, "phone": "79991234567"}


def received(message_id: int) -> dict[str, Any]:
    return {"id": message_id, "phone": "79990000001", "message": "m"}


async def test_overlapping_incoming_pages_are_refused_without_repeating_a_message(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    # Each page starts half a page behind the after_id it was asked with.
    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        after, count = int(form.get("after_id", 0)), int(form["cnt"])
        first = max(after - count // 2, 0) + 1
        return json_response([received(i) for i in range(first, first + count)])

    wire.post(GET_URL).mock(side_effect=answer)
    seen: list[smsc.IncomingMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="does not go forward"):
        await take(client.incoming.messages(page_size=100), seen)
    ids = [message.id for message in seen]
    assert ids == list(range(1, 101))  # the first page only: nothing twice


async def test_a_repeated_incoming_page_is_refused_before_any_of_it_is_yielded(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([received(i) for i in range(1, 1001)]))
    seen: list[smsc.IncomingMessage] = []
    with pytest.raises(smsc.InvalidResponseError):
        await take(client.incoming.messages(page_size=1000), seen)
    assert len(seen) == 1000 == len({message.id for message in seen})


async def test_an_incoming_page_holding_a_message_twice_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([received(1), received(1)]))
    seen: list[smsc.IncomingMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="twice"):
        await take(client.incoming.messages(page_size=10), seen)
    assert seen == []


async def test_a_repeated_history_page_is_refused_before_any_of_it_is_yielded(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([sent(i) for i in range(2000, 1000, -1)]))
    seen: list[smsc.SentMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="does not go back"):
        await take(client.history.messages(start=DAY, end=DAY), seen)
    assert len(seen) == 1000 == len({message.internal_id for message in seen})


async def test_history_ids_that_never_stop_going_down_end_the_walk(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    # Every page goes back by a full page, past 0 and on into negative ids.
    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        before, count = int(form.get("prev_id", 3001)), int(form["cnt"])
        return json_response([sent(i) for i in range(before - 1, before - 1 - count, -1)])

    wire.post(GET_URL).mock(side_effect=answer)
    seen: list[smsc.SentMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="not positive"):
        await take(client.history.messages(start=DAY, end=DAY), seen)
    assert [message.internal_id for message in seen] == list(range(3000, 0, -1))


async def test_a_history_walk_stops_after_max_pages(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    # Ids far from 0 that keep going down: only the page cap ends the walk.
    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        before, count = int(form.get("prev_id", 10**15)), int(form["cnt"])
        return json_response([sent(i) for i in range(before - 1, before - 1 - count, -1)])

    route = wire.post(GET_URL).mock(side_effect=answer)
    seen: list[smsc.SentMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="more than 5 pages"):
        await take(client.history.messages(start=DAY, end=DAY, max_pages=5), seen)
    assert route.call_count == 5
    assert len(seen) == 5000 == len({message.internal_id for message in seen})


async def test_an_incoming_walk_stops_after_max_pages(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        after, count = int(form.get("after_id", 0)), int(form["cnt"])
        return json_response([received(i) for i in range(after + 1, after + 1 + count)])

    route = wire.post(GET_URL).mock(side_effect=answer)
    seen: list[smsc.IncomingMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="more than 3 pages"):
        await take(client.incoming.messages(page_size=10, max_pages=3), seen)
    assert route.call_count == 3
    assert [message.id for message in seen] == list(range(1, 31))


async def test_a_history_page_holding_a_message_twice_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([sent(5), sent(5)]))
    seen: list[smsc.SentMessage] = []
    with pytest.raises(smsc.InvalidResponseError, match="twice"):
        await take(client.history.messages(start=DAY, end=DAY, page_size=2), seen)
    assert seen == []


@pytest.mark.parametrize("max_pages", [0, -1, True, 1.5])
def test_a_bad_max_pages_is_refused_before_any_request(
    client: AsyncSMSCClient, max_pages: Any
) -> None:
    with pytest.raises(smsc.RequestValidationError, match="max_pages"):
        client.history.messages(start=DAY, end=DAY, max_pages=max_pages)
    with pytest.raises(smsc.RequestValidationError, match="max_pages"):
        client.incoming.messages(max_pages=max_pages)
