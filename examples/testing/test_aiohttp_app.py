"""Recipe: test an aiohttp app that uses smsc, offline, with the SDK's pytest fixtures.

The app is ``examples/aiohttp_app.py``. aiohttp apps are not ASGI apps, so the test serves
the app with aiohttp's own ``TestServer`` on a loopback port (its start-up and clean-up run
there, creating and closing the app's SMSC client), and the emulator calls the app back over
that socket. The app's SMSC client talks to the ``smsc_emulator`` fixture in process.

This file marks its tests and fixtures for pytest-asyncio explicitly, so it also runs in
pytest-asyncio's default strict mode; with ``asyncio_mode = auto`` the marks are optional.
Needs ``pip install "smsc-async[testing,aiohttp]"``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from aiohttp_app import create_app
from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, SMSCEmulator

pytestmark = pytest.mark.asyncio

AppClient = TestClient[web.Request, web.Application]
"""aiohttp's test client of a served ``web.Application``."""

CALLBACK_SECRET = "callback-secret-for-tests"
PHONE = "79991234567"


# --8<-- [start:fixtures]
@pytest_asyncio.fixture
async def app_client(
    smsc_emulator: SMSCEmulator, smsc_client_factory: Callable[[], AsyncSMSCClient]
) -> AsyncIterator[AppClient]:
    """The app served on a loopback port, its SMSC client on the emulator, and a client for it.

    The emulator calls the app back at its real address, over the socket.
    """
    # smsc_client_factory builds clients on the smsc_emulator fixture, in process. The app
    # checks the callbacks' freshness on the emulator's clock (which starts in 2024).
    app = create_app(
        client_factory=smsc_client_factory,
        callback_secret=CALLBACK_SECRET,
        callback_clock=smsc_emulator.clock.datetime,
    )
    # TestClient starts the app (its cleanup_ctx creates the SMSC client) and stops it after.
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        account = smsc_emulator.account(DEMO_LOGIN)
        account.callback_url = str(client.make_url("/smsc/callback"))
        account.callback_secret = CALLBACK_SECRET
        yield client


# --8<-- [end:fixtures]


# --8<-- [start:tests]
async def test_post_messages_sends_the_text_through_smsc(
    app_client: AppClient, smsc_emulator: SMSCEmulator
) -> None:
    response = await app_client.post("/messages", json={"phones": [PHONE], "text": "Code 1"})

    assert response.status == 200, await response.text()
    (message,) = smsc_emulator.messages_to(PHONE)
    assert (await response.json())["id"] == message.id


async def test_a_delivery_callback_from_the_emulator_reaches_the_app(
    app_client: AppClient, smsc_emulator: SMSCEmulator
) -> None:
    response = await app_client.post("/messages", json={"phones": [PHONE], "text": "Hi"})
    sent = await response.json()

    smsc_emulator.advance(10)  # the emulator's clock: transferred, then delivered
    await smsc_emulator.deliver_callbacks(check=True)  # fails the test if one was refused

    recorded = await (await app_client.get(f"/messages/{sent['id']}/callbacks")).json()
    assert recorded["final_status"] == 1


async def test_a_callback_the_app_refuses_fails_the_check(
    app_client: AppClient, smsc_emulator: SMSCEmulator
) -> None:
    smsc_emulator.account(DEMO_LOGIN).callback_secret = "not-the-apps-secret"
    await app_client.post("/messages", json={"phones": [PHONE], "text": "Hi"})
    smsc_emulator.advance(10)

    with pytest.raises(AssertionError, match="answered HTTP 403"):
        await smsc_emulator.deliver_callbacks(check=True)
    assert len(smsc_emulator.callbacks.failures) == 2


# --8<-- [end:tests]
