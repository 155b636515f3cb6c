"""``send_once``: a web handler called twice for one order sends one SMS (on the emulator)."""

from __future__ import annotations

import asyncio

import pytest

from smsc import (
    AsyncSMSCClient,
    RequestValidationError,
    SendOutcomeUnknownError,
    StatusCode,
)
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, Fault, SMSCEmulator

PHONE = "79991234567"


def sent_to(emulator: SMSCEmulator, message_id: str) -> list[str]:
    return [message.phone for message in emulator.messages if message.id == message_id]


async def test_the_second_call_with_the_same_id_sends_nothing_and_reports_the_first(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    first = await smsc_client.send_once(PHONE, "Order 123 is shipped", id="order-123-shipped")
    smsc_emulator.advance(3600)  # an hour later: the limiter's one-minute window is long gone
    second = await smsc_client.send_once(PHONE, "Order 123 is shipped", id="order-123-shipped")

    assert first.sent is True
    assert first.result is not None
    assert first.result.id == "order-123-shipped"
    assert first.status is None
    assert second.sent is False
    assert second.result is None
    assert second.status is not None
    assert second.status.status is not StatusCode.NOT_FOUND
    assert sent_to(smsc_emulator, "order-123-shipped") == [PHONE]


async def test_plain_send_twice_with_the_same_id_sends_twice_which_send_once_prevents(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    # The service does not refuse an id it has seen: this is what send_once is for.
    await smsc_client.send(PHONE, "Order 7 is shipped", id="order-7")
    smsc_emulator.advance(3600)
    await smsc_client.send(PHONE, "Order 7 is shipped", id="order-7")
    assert sent_to(smsc_emulator, "order-7") == [PHONE, PHONE]

    await smsc_client.send_once(PHONE, "Order 8 is shipped", id="order-8")
    smsc_emulator.advance(3600)
    await smsc_client.send_once(PHONE, "Order 8 is shipped", id="order-8")
    assert sent_to(smsc_emulator, "order-8") == [PHONE]


async def test_concurrent_calls_for_one_order_on_one_client_send_one_sms(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    results = await asyncio.gather(
        *(smsc_client.send_once(PHONE, "Your code: 1234", id="login-42") for _ in range(5))
    )

    assert sorted(result.sent for result in results) == [False, False, False, False, True]
    assert sent_to(smsc_emulator, "login-42") == [PHONE]


async def test_other_ids_and_other_phones_are_other_messages(
    smsc_client: AsyncSMSCClient, smsc_emulator: SMSCEmulator
) -> None:
    a = await smsc_client.send_once(PHONE, "Order 1", id="order-1")
    b = await smsc_client.send_once(PHONE, "Order 2", id="order-2")
    c = await smsc_client.send_once("79997654321", "Order 1", id="order-1")

    assert (a.sent, b.sent, c.sent) == (True, True, True)
    assert len(smsc_emulator.messages) == 3


async def test_a_lost_answer_is_settled_by_calling_again_with_the_same_id() -> None:
    # The first answer is cut after the service took the message: the outcome is unknown.
    # The next call (from another worker, say) finds the message and sends nothing.
    async with SMSCEmulator() as emulator:
        emulator.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=100)
        async with emulator.serve(ports=[0]) as (site,):

            def client() -> AsyncSMSCClient:
                return AsyncSMSCClient(
                    login=DEMO_LOGIN, password=DEMO_PASSWORD, host=site.url, allow_http=True
                )

            def cut_the_next_answer(command: str) -> None:
                if command == "status":  # the check found nothing: the send comes next
                    site.faults.set(Fault.CLOSE_MID_ANSWER, times=1)

            emulator.on_answer(cut_the_next_answer)
            async with client() as first:
                with pytest.raises(SendOutcomeUnknownError):
                    await first.send_once(PHONE, "Order 9 is shipped", id="order-9")
            assert sent_to(emulator, "order-9") == [PHONE]  # it did reach the service

            emulator.advance(120)
            async with client() as second:
                again = await second.send_once(PHONE, "Order 9 is shipped", id="order-9")

    assert again.sent is False
    assert again.status is not None
    assert sent_to(emulator, "order-9") == [PHONE]


@pytest.mark.parametrize(
    ("phone", "options", "field"),
    [
        (PHONE, {"id": None}, "id"),
        ("79991234567,79997654321", {"id": "x-1"}, "phone"),
        (PHONE, {"id": "bad id with spaces"}, "id"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    smsc_client: AsyncSMSCClient,
    smsc_emulator: SMSCEmulator,
    phone: str,
    options: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await smsc_client.send_once(phone, "hi", **options)  # type: ignore[arg-type]

    assert caught.value.field == field
    assert smsc_emulator.messages == []
