"""Paging of the history and of received messages over a mocked wire: pages are asked for
lazily, one at a time, each with the mark of the page before; a loop that stops early sends
nothing more; pages that do not move are refused instead of being asked for again."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
import respx

import smsc
from smsc import AsyncSMSCClient

from .conftest import form_of, json_response

GET_URL = "https://smsc.ru/sys/get.php"
DAY = date(2024, 1, 1)


def sent(int_id: int) -> dict[str, Any]:
    return {"status": 1, "id": int_id, "int_id": int_id, "phone": "79991234567"}


def history_service(total: int) -> Any:
    """A side effect answering history pages of ``total`` messages, newest first."""

    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        before = int(form.get("prev_id", total + 1))
        top = min(before - 1, total)
        ids = range(top, max(top - int(form["cnt"]), 0), -1)
        return json_response([sent(i) for i in ids])

    return answer


async def test_history_asks_for_each_page_once_going_back_by_prev_id(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=history_service(25))
    ids = [m.internal_id async for m in client.history.messages(start=DAY, end=DAY, page_size=10)]
    assert ids == list(range(25, 0, -1))
    marks = [form_of(call.request).get("prev_id") for call in route.calls]
    assert marks == [None, "16", "6"]  # the last page is short: no request after it


async def test_a_full_last_page_costs_one_empty_request(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=history_service(20))
    ids = [m.internal_id async for m in client.history.messages(start=DAY, end=DAY, page_size=10)]
    assert len(ids) == 20
    assert [form_of(call.request).get("prev_id") for call in route.calls] == [None, "11", "1"]


async def test_no_request_is_sent_before_the_first_message_is_asked_for(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=history_service(25))
    walk = client.history.messages(start=DAY, end=DAY, page_size=10)
    assert route.call_count == 0
    assert (await walk.__anext__()).internal_id == 25
    assert route.call_count == 1


async def test_breaking_out_of_the_loop_sends_no_further_request(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=history_service(100))
    seen = 0
    async for _ in client.history.messages(start=DAY, end=DAY, page_size=10):
        seen += 1
        if seen == 10:  # the last message of the first page
            break
    assert route.call_count == 1


async def test_a_history_page_that_does_not_go_back_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    # A service that ignores prev_id would be asked for the same page for ever.
    route = wire.post(GET_URL).mock(return_value=json_response([sent(2), sent(1)]))
    with pytest.raises(smsc.InvalidResponseError, match="does not go back"):
        async for _ in client.history.messages(start=DAY, end=DAY, page_size=2):
            pass
    assert route.call_count == 2


async def test_a_full_history_page_without_int_id_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([{"status": 1}, {"status": 1}]))
    with pytest.raises(smsc.InvalidResponseError, match="int_id"):
        async for _ in client.history.messages(start=DAY, end=DAY, page_size=2):
            pass


def incoming_service(total: int) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        after = int(form.get("after_id", 0))
        ids = range(after + 1, min(after + int(form["cnt"]), total) + 1)
        return json_response([{"id": i, "phone": "79990000001", "message": "m"} for i in ids])

    return answer


async def test_incoming_goes_forward_by_after_id(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=incoming_service(25))
    ids = [m.id async for m in client.incoming.messages(after_id=3, page_size=10)]
    assert ids == list(range(4, 26))
    assert [form_of(call.request)["after_id"] for call in route.calls] == ["3", "13", "23"]


async def test_incoming_stops_without_a_request_when_the_caller_breaks(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(side_effect=incoming_service(100))
    async for message in client.incoming.messages(page_size=10):
        if message.id == 10:
            break
    assert route.call_count == 1


async def test_an_incoming_page_that_does_not_go_forward_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([{"id": 1}, {"id": 2}]))
    with pytest.raises(smsc.InvalidResponseError, match="does not go forward"):
        async for _ in client.incoming.messages(page_size=2):
            pass


async def test_the_old_name_incoming_list_warns_and_pages_like_messages(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(side_effect=incoming_service(5))
    with pytest.warns(DeprecationWarning, match="incoming.messages"):
        pages = client.incoming.list(after_id=1, page_size=10)
    assert [m.id async for m in pages] == [2, 3, 4, 5]
