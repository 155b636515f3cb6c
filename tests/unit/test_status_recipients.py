"""Who a status is asked for: phones, e-mail and Telegram recipients; groups refused;
malformed pairs."""

from __future__ import annotations

import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    MessageFormat,
    RequestValidationError,
)

from .conftest import (
    SEND_URL,
    STATUS_URL,
    form_of,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
STATUS = {"status": 1, "last_timestamp": 1577550022}
PHONE = "79991234567"


# --------------------------------------------------------------------------- status recipients


@pytest.mark.parametrize("recipient", ["@shop_user", "#123456789", "shop_user"])
async def test_status_of_a_telegram_message_is_asked_by_its_recipient(
    client: AsyncSMSCClient, wire: respx.MockRouter, recipient: str
) -> None:
    wire.post(SEND_URL).mock(return_value=json_response(SENT))
    route = wire.post(STATUS_URL).mock(return_value=json_response(STATUS))
    sent = await client.send(recipient, "code 1234", format=MessageFormat.TELEGRAM)
    status = await client.status(sent.id, recipient)
    assert form_of(route.calls.last.request)["phone"] == recipient
    assert status.phone == recipient


async def test_status_many_mixes_phones_mail_and_telegram(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(return_value=json_response([STATUS, STATUS, STATUS]))
    result = await client.status_many([(1, PHONE), (2, "user@example.com"), (3, "@shop_user")])
    assert form_of(route.calls.last.request)["phone"] == f"{PHONE},user@example.com,@shop_user,"
    assert [s.phone for s in result] == [PHONE, "user@example.com", "@shop_user"]


async def test_status_of_a_contact_group_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(return_value=json_response(STATUS))
    with pytest.raises(RequestValidationError) as caught:
        await client.status(1, "G12")
    assert caught.value.field == "phone"
    assert not route.called


@pytest.mark.parametrize("phone", [79991234567, None, b"79991234567"])
async def test_status_names_the_phone_argument_for_a_non_string(
    client: AsyncSMSCClient, phone: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.status(1, phone)  # type: ignore[arg-type]
    assert caught.value.field == "phone"


@pytest.mark.parametrize("item", [(1, PHONE, 3), (1,), 5, None])
async def test_status_many_refuses_a_malformed_pair_with_the_sdk_error(
    client: AsyncSMSCClient, item: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.status_many([item])  # type: ignore[list-item]
    assert caught.value.field == "messages"
