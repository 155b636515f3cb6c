"""SMSCClient on respx's mock of sync httpx: the form it sends, the answer it reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from smsc import SendOutcomeUnknownError, SMSCClient

SEND_URL = "https://smsc.ru/sys/send.php"
MIRROR_SEND_URL = "https://www2.smsc.ru/sys/send.php"
PHONE = "79991234567"
SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}


def _json(payload: object) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(payload).encode())


@pytest.fixture
def wire() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


def test_send_posts_the_form_and_reads_the_result(wire: respx.MockRouter) -> None:
    route = wire.post(SEND_URL).mock(return_value=_json(SENT))
    with SMSCClient(login="alex", password="pw", failover=False, max_retries=0) as client:
        result = client.send(PHONE, "code 1234", id=7)
    form = dict(parse_qsl(route.calls.last.request.content.decode()))
    assert form["phones"] == PHONE
    assert form["id"] == "7"
    assert str(result.cost) == "1.50"
    assert str(result.balance) == "10.00"


def test_a_send_refused_at_connect_goes_to_the_www2_mirror_once(wire: respx.MockRouter) -> None:
    primary = wire.post(SEND_URL).mock(side_effect=httpx.ConnectError("refused"))
    mirror = wire.post(MIRROR_SEND_URL).mock(return_value=_json(SENT))
    with SMSCClient(login="alex", password="pw") as client:
        client.send(PHONE, "hello")
    assert primary.call_count == 1
    assert mirror.call_count == 1


def test_a_send_that_timed_out_reading_is_not_sent_to_the_mirror(wire: respx.MockRouter) -> None:
    primary = wire.post(SEND_URL).mock(side_effect=httpx.ReadTimeout("no answer"))
    mirror = wire.post(MIRROR_SEND_URL).mock(return_value=_json(SENT))
    with SMSCClient(login="alex", password="pw") as client, pytest.raises(SendOutcomeUnknownError):
        client.send(PHONE, "hello")
    assert primary.call_count == 1
    assert mirror.call_count == 0
