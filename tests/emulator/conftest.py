"""Fixtures for the emulator's conformance tests: raw HTTP, never the SDK."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from smsc.testing import SMSCEmulator

LOGIN = "alex"
PASSWORD = "secret-pass"
API_KEY = "key-abc123"
PHONE = "79991234567"
OTHER_PHONE = "79997654321"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    """A fresh emulator with one account (balance 100.00, tariff 1.80 per part)."""
    async with SMSCEmulator() as emulator:
        emulator.add_account(LOGIN, PASSWORD, api_key=API_KEY, balance="100.00")
        yield emulator


@pytest.fixture
async def http(emulator: SMSCEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the emulator in-process."""
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as client:
        yield client


def form(**params: Any) -> dict[str, str]:
    """Credentials, ``charset=utf-8`` and ``params`` (values as strings; None drops a key)."""
    data = {"login": LOGIN, "psw": PASSWORD, "charset": "utf-8"}
    data.update({key: str(value) for key, value in params.items() if value is not None})
    return data


async def call(http: httpx.AsyncClient, command: str, **params: Any) -> str:
    """POST ``params`` (with credentials) to ``/sys/<command>.php``; the answer text."""
    response = await http.post(f"/sys/{command}.php", data=form(**params))
    assert response.status_code == 200
    return response.text


async def call_json(http: httpx.AsyncClient, command: str, **params: Any) -> Any:
    """Like :func:`call` with ``fmt=3``; the decoded JSON."""
    return json.loads(await call(http, command, fmt=3, **params))


@pytest.fixture
async def socket_http(emulator: SMSCEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the emulator over a real loopback socket."""
    async with emulator.serve(ports=[0]) as (site,), httpx.AsyncClient(base_url=site.url) as client:
        yield client


async def send(http: httpx.AsyncClient, phones: str, text: str, **params: Any) -> Any:
    """Send ``text`` to ``phones`` (``fmt=3``); the decoded answer."""
    return await call_json(http, "send", phones=phones, mes=text, **params)
