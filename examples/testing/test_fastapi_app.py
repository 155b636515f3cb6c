"""Recipe: test a FastAPI app that uses smsc, offline, with the SDK's pytest fixtures.

The app is ``examples/fastapi_app.py``. Everything runs in one process, with no sockets: the
test talks to the app through ``httpx.ASGITransport``, the app's SMSC client talks to the
``smsc_emulator`` fixture the same way, and the emulator delivers its status callbacks to
the app in process too. Needs ``pip install "smsc-async[testing,fastapi]"`` and
``asyncio_mode = auto`` (see ``pytest.ini``); run ``pytest examples/testing``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from fastapi_app import create_app
from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, SMSCEmulator

CALLBACK_SECRET = "callback-secret-for-tests"
PHONE = "79991234567"


# --8<-- [start:fixtures]
@pytest.fixture
async def app(
    smsc_emulator: SMSCEmulator, smsc_client_factory: Callable[[], AsyncSMSCClient]
) -> AsyncIterator[FastAPI]:
    """The app under test with its lifespan running and its SMSC client on the emulator."""
    # smsc_client_factory builds clients on the smsc_emulator fixture, in process. The app
    # checks the callbacks' freshness on the emulator's clock (which starts in 2024).
    app = create_app(
        client_factory=smsc_client_factory,
        callback_secret=CALLBACK_SECRET,
        callback_clock=smsc_emulator.clock.datetime,
    )
    # httpx.ASGITransport does not run the app's lifespan, where the app creates its client:
    # run it here, around the test (it closes the client at the end).
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app, in process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as http:
        yield http


# --8<-- [end:fixtures]


# --8<-- [start:callbacks]
@pytest.fixture
def emulator(smsc_emulator: SMSCEmulator, app: FastAPI) -> SMSCEmulator:
    """``smsc_emulator``, calling the app back in process with every status change."""
    account = smsc_emulator.account(DEMO_LOGIN)
    account.callback_url = "http://app.test/smsc/callback"  # the host is not looked up
    account.callback_secret = CALLBACK_SECRET
    smsc_emulator.route_callbacks_to(app)
    return smsc_emulator


# --8<-- [end:callbacks]


# --8<-- [start:tests]
async def test_post_messages_sends_the_text_through_smsc(
    http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    response = await http.post("/messages", json={"phones": [PHONE], "text": "Your code: 1234"})

    assert response.status_code == 200, response.text
    (message,) = smsc_emulator.messages_to(PHONE)
    assert message.text == "Your code: 1234"
    assert response.json()["id"] == message.id


async def test_a_delivery_callback_from_the_emulator_reaches_the_app(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    sent = (await http.post("/messages", json={"phones": [PHONE], "text": "Hi"})).json()

    emulator.advance(10)  # the emulator's clock: transferred, then delivered
    await emulator.deliver_callbacks(check=True)  # fails the test if the app refused one

    recorded = (await http.get(f"/messages/{sent['id']}/callbacks")).json()
    assert recorded["final_status"] == 1


async def test_a_callback_the_app_refuses_fails_the_check(
    http: httpx.AsyncClient, emulator: SMSCEmulator, app: FastAPI
) -> None:
    app.state.callback_secret = SecretStr("rotated")  # the app no longer trusts the signature
    await http.post("/messages", json={"phones": [PHONE], "text": "Hi"})
    emulator.advance(10)

    with pytest.raises(AssertionError, match="answered HTTP 403"):
        await emulator.deliver_callbacks(check=True)
    assert len(emulator.callbacks.failures) == 2


async def test_a_bad_phone_is_answered_422_before_any_request_to_smsc(
    http: httpx.AsyncClient, smsc_emulator: SMSCEmulator
) -> None:
    response = await http.post("/messages", json={"phones": ["12"], "text": "Hi"})

    assert response.status_code == 422
    assert smsc_emulator.app.requests == 0


# --8<-- [end:tests]
