"""The pytest plugin's fixtures, used the way an application's own tests use them.

This file is shown in docs/testing.md as the example of a user's test.
"""

from __future__ import annotations

import pytest

from smsc import AsyncSMSCClient, StatusCode
from smsc.testing import Site, SMSCEmulator

PHONE = "79991234567"


async def test_order_confirmation_is_delivered(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    """Send through the SDK, let emulator time pass, and read the delivery status."""
    sent = await smsc_client.send(PHONE, "Your order 42 is ready")
    smsc_emulator.advance(60)  # the emulator's clock: no real waiting
    status = await smsc_client.status(sent.id, PHONE)
    assert status.status is StatusCode.DELIVERED
    assert smsc_emulator.messages_to(PHONE)[0].text == "Your order 42 is ready"


async def test_unreachable_subscriber_is_reported(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    """Make one number fail, then check what the application sees."""
    smsc_emulator.set_delivery_outcome(PHONE, StatusCode.UNDELIVERABLE, err=6)
    sent = await smsc_client.send(PHONE, "Hello")
    smsc_emulator.advance(60)
    status = await smsc_client.status(sent.id, PHONE)
    assert (status.status, status.error) == (StatusCode.UNDELIVERABLE, 6)


async def test_demo_account_is_charged_for_each_part(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    """The ``demo`` account starts with 1000.00 and pays 1.80 per SMS part."""
    sent = await smsc_client.send(PHONE, "x" * 200)
    assert (sent.count, str(sent.cost), str(sent.balance)) == (2, "3.60", "996.40")
    assert smsc_emulator.account("demo").balance == sent.balance


@pytest.mark.integration
async def test_server_fixture_serves_the_sdk_over_a_socket(smsc_emulator_server: Site) -> None:
    """``smsc_emulator_server`` is a loopback site for clients that need a real URL."""
    async with AsyncSMSCClient(
        login="demo", password="demo", host=smsc_emulator_server.url, allow_http=True
    ) as client:
        balance = await client.balance()
    assert (str(balance.amount), smsc_emulator_server.requests) == ("1000.00", 1)
