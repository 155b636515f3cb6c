"""The example calls of the official Perl library smsc_api.pm 1.9, done with the SDK.

Each test asserts the exact form the SDK posts and the result it parses. The SMTP example
(``send_sms_mail``) lives with the SMTP tests.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import httpx
import respx

from smsc import AsyncSMSCClient, MessageFormat, StatusCode, Translit

from .conftest import (
    BALANCE_URL,
    LOGIN,
    PASSWORD,
    SEND_URL,
    STATUS_URL,
    form_of,
    json_response,
)

COMMON = {"login": LOGIN, "psw": PASSWORD, "fmt": "3", "charset": "utf-8"}
WAP_PUSH_HEX = "0605040B8423F0DC0601AE02056A0045C60C036D79736974652E72750001036D7973697465000101"


async def test_send_sms_with_translit(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # send_sms("79999999999", "Ваш пароль: 123", 1)
    route = wire.post(SEND_URL).mock(
        return_value=json_response({"id": 63, "cnt": 1, "cost": "3.8", "balance": "286.55"})
    )
    result = await client.send("79999999999", "Ваш пароль: 123", translit=Translit.LATIN, id=63)
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "phones": "79999999999",
        "mes": "Ваш пароль: 123",
        "cost": "3",
        "id": "63",
        "translit": "1",
    }
    assert (result.id, result.count, result.cost, result.balance) == (
        63,
        1,
        Decimal("3.8"),
        Decimal("286.55"),
    )


async def test_send_sms_with_maxsms_passed_through(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    # send_sms("79999999999", "http://smsc.ru\nSMSC.RU", 0, 0, 0, 0, undef, "maxsms=3")
    route = wire.post(SEND_URL).mock(
        return_value=json_response({"id": 64, "cnt": 1, "cost": "1.80", "balance": "98.20"})
    )
    result = await client.send("79999999999", "http://smsc.ru\nSMSC.RU", id=64, extra={"maxsms": 3})
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "phones": "79999999999",
        "mes": "http://smsc.ru\nSMSC.RU",
        "cost": "3",
        "id": "64",
        "maxsms": "3",
    }
    assert result.balance == Decimal("98.20")


async def test_send_binary_hex_wap_push(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # send_sms("79999999999", "0605040B84...", 0, 0, 0, 5): format 5 is bin=2
    route = wire.post(SEND_URL).mock(
        return_value=json_response({"id": 65, "cnt": 1, "cost": "2.10", "balance": "96.10"})
    )
    result = await client.send("79999999999", WAP_PUSH_HEX, format=MessageFormat.BINARY_HEX, id=65)
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "phones": "79999999999",
        "mes": WAP_PUSH_HEX,
        "cost": "3",
        "id": "65",
        "bin": "2",
    }
    assert result.cost == Decimal("2.10")


async def test_send_hlr_request(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # send_sms("79999999999", "", 0, 0, 0, 3): format 3 is hlr=1, no text needed
    route = wire.post(SEND_URL).mock(
        return_value=json_response({"id": 66, "cnt": 1, "cost": "0.50", "balance": "95.60"})
    )
    result = await client.send("79999999999", format=MessageFormat.HLR, id=66)
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "phones": "79999999999",
        "mes": "",
        "cost": "3",
        "id": "66",
        "hlr": "1",
    }
    assert result.id == 66


async def test_get_sms_cost(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # get_sms_cost("79999999999", "Вы успешно зарегистрированы!")
    route = wire.post(SEND_URL).mock(return_value=json_response({"cost": "1.80", "cnt": 1}))
    result = await client.cost("79999999999", "Вы успешно зарегистрированы!")
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "phones": "79999999999",
        "mes": "Вы успешно зарегистрированы!",
        "cost": "1",
    }
    assert (result.cost, result.count) == (Decimal("1.80"), 1)


async def test_get_status(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # get_status($sms_id, "79999999999")
    route = wire.post(STATUS_URL).mock(
        return_value=json_response(
            {"status": 1, "last_date": "28.12.2019 19:20:22", "last_timestamp": 1577550022}
        )
    )
    status = await client.status(66, "79999999999")
    assert form_of(route.calls.last.request) == {**COMMON, "id": "66", "phone": "79999999999"}
    assert status.status is StatusCode.DELIVERED
    assert status.last_change == datetime(2019, 12, 28, 16, 20, 22, tzinfo=timezone.utc)
    assert (status.id, status.phone) == (66, "79999999999")


async def test_get_balance(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    # get_balance()
    route = wire.post(BALANCE_URL).mock(
        return_value=json_response({"balance": "100.01", "currency": "RUR"})
    )
    balance = await client.balance()
    assert form_of(route.calls.last.request) == {**COMMON, "cur": "1"}
    assert (balance.amount, balance.currency, balance.credit) == (Decimal("100.01"), "RUR", None)


async def test_every_request_is_a_form_post_with_credentials_only_in_the_body(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(BALANCE_URL).mock(return_value=json_response({"balance": "1.00"}))
    await client.balance()
    request: httpx.Request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert str(request.url) == BALANCE_URL
    assert PASSWORD not in str(request.url)
    assert request.headers["user-agent"].startswith("smsc-async/")
