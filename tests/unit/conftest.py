"""Fixtures for unit tests: a client on the default site with respx mocking the wire."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient

LOGIN = "alex"
PASSWORD = "Pa55-w0rd-very-secret"
API_KEY = "key-0123456789abcdef-secret"
SEND_URL = "https://smsc.ru/sys/send.php"
STATUS_URL = "https://smsc.ru/sys/status.php"
BALANCE_URL = "https://smsc.ru/sys/balance.php"


def form_of(request: httpx.Request) -> dict[str, str]:
    """The form fields of a recorded request, as a plain dict."""
    return dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))


def json_response(payload: Any) -> httpx.Response:
    """A 200 answer with a JSON body, as the service sends with fmt=3."""
    return httpx.Response(200, content=json.dumps(payload, ensure_ascii=False).encode("utf-8"))


@pytest.fixture
def wire() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def client(wire: respx.MockRouter) -> AsyncIterator[AsyncSMSCClient]:
    # Unit tests look at one exchange: no mirrors, no retries (those are the failover tests').
    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, failover=False, max_retries=0, retry_deadline=5.0
    ) as c:
        yield c
