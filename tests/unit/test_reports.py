"""History, received messages, statistics, prices and operator lookup over a mocked wire:
the exact form each sends, the result of each answer shape, and each error code."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
import respx

import smsc
from smsc import AsyncSMSCClient, DeliveryError, MessageType, StatusCode

from .conftest import LOGIN, PASSWORD, form_of, json_response

GET_URL = "https://smsc.ru/sys/get.php"
INFO_URL = "https://smsc.ru/sys/info.php"
COMMON = {"login": LOGIN, "psw": PASSWORD, "fmt": "3", "charset": "utf-8"}

SENT_ROW = {
    "status": 1,
    "last_date": "01.01.2024 13:00:05",
    "last_timestamp": 1704103205,
    "err": 0,
    "send_date": "01.01.2024 13:00:00",
    "send_timestamp": 1704103200,
    "phone": "79991234567",
    "cost": "1.80",
    "sender_id": "SHOP",
    "status_name": "Доставлено",
    "message": "Your code: 1234",
    "id": 17,
    "int_id": 905,
    "sms_cnt": 1,
    "format": 0,
    "crc": 3313730941,
    "mccmnc": "25001",
    "country": "Россия",
    "operator": "МТС",
    "region": "Москва",
    "new_field": "kept",
}
INCOMING_ROW = {
    "id": 41,
    "received": "01.01.2024 13:00:00",
    "phone": "79990000001",
    "to_phone": "79000000000",
    "sent": 1704103200,
    "message": "Yes, please",
}


async def history_page(client: AsyncSMSCClient) -> list[smsc.SentMessage]:
    return await client.history.page(start=date(2024, 1, 1), end=date(2024, 1, 31))


async def incoming_page(client: AsyncSMSCClient) -> list[smsc.IncomingMessage]:
    return await client.incoming.page()


async def statistics(client: AsyncSMSCClient) -> smsc.Statistics:
    return await client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 31))


async def prices(client: AsyncSMSCClient) -> list[smsc.PriceZone]:
    return await client.account.prices()


async def operator(client: AsyncSMSCClient) -> smsc.OperatorInfo:
    return await client.operators.lookup("79991234567")


CALLS: dict[str, tuple[str, Callable[[AsyncSMSCClient], Awaitable[Any]]]] = {
    "history": (GET_URL, history_page),
    "incoming": (GET_URL, incoming_page),
    "statistics": (GET_URL, statistics),
    "prices": (GET_URL, prices),
    "operator": (INFO_URL, operator),
}


# --------------------------------------------------------------------------- forms


async def test_history_sends_dates_filters_page_size_and_prev_id(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(return_value=json_response([]))
    await client.history.page(
        start=date(2024, 1, 2),
        end=date(2024, 7, 2),
        phones="+7 (999) 123-45-67; 79997654321",
        emails=["a@example.com"],
        type=MessageType.MAIL,
        page_size=250,
        before_id=905,
    )
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "get_messages": "1",
        "start": "02.01.2024",
        "end": "02.07.2024",
        "cnt": "250",
        "phone": "+79991234567,79997654321",
        "email": "a@example.com",
        "format": "8",
        "prev_id": "905",
    }


async def test_history_without_filters_sends_only_the_period_and_the_largest_page(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(return_value=json_response([]))
    assert [
        m async for m in client.history.messages(start=date(2024, 1, 1), end=date(2024, 1, 1))
    ] == []
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "get_messages": "1",
        "start": "01.01.2024",
        "end": "01.01.2024",
        "cnt": "1000",
    }


async def test_an_aware_datetime_is_read_as_a_moscow_day(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(return_value=json_response([]))
    late_utc = datetime(2024, 1, 1, 22, 30, tzinfo=timezone.utc)  # 01:30 on Jan 2 in Moscow
    await client.history.page(start=late_utc, end=late_utc)
    assert form_of(route.calls.last.request)["start"] == "02.01.2024"


async def test_incoming_sends_its_filters(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    route = wire.post(GET_URL).mock(return_value=json_response([]))
    await client.incoming.page(hours=168, after_id=40, to_phones="79000000000", page_size=10_000)
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "get_answers": "1",
        "cnt": "10000",
        "hour": "168",
        "after_id": "40",
        "to_phone": "79000000000",
    }


async def test_statistics_sends_the_period_alone_by_default(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(GET_URL).mock(return_value=json_response({"login": LOGIN, "cnt": 0}))
    await client.account.statistics(start=date(2023, 1, 1), end=date(2024, 1, 1))
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "get_stat": "1",
        "start": "01.01.2023",
        "end": "01.01.2024",
    }


async def test_statistics_of_the_electronic_balance_in_the_account_currency_send_balance2_and_mycur(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    """The statistics page: ``balance2`` selects the messages paid from the electronic
    balance, ``mycur`` the account's currency; neither asks for a balance."""
    route = wire.post(GET_URL).mock(return_value=json_response({"login": LOGIN, "cnt": 0}))
    result = await client.account.statistics(
        start=date(2023, 1, 1), end=date(2024, 1, 1), electronic_balance=True, account_currency=True
    )
    assert form_of(route.calls.last.request) == {
        **COMMON,
        "get_stat": "1",
        "start": "01.01.2023",
        "end": "01.01.2024",
        "balance2": "1",
        "mycur": "1",
    }
    assert not hasattr(result, "balance")


async def test_prices_and_operator_forms(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    prices_route = wire.post(GET_URL).mock(return_value=json_response({"zones": []}))
    info_route = wire.post(INFO_URL).mock(
        return_value=json_response([{"mcc": "250"}, {"mcc": "250"}])
    )
    await client.account.prices()
    await client.operators.lookup_many(["79991234567", "+7 999 765-43-21"])
    assert form_of(prices_route.calls.last.request) == {**COMMON, "get_price": "1"}
    assert form_of(info_route.calls.last.request) == {
        **COMMON,
        "get_operator": "1",
        "phone": "79991234567,+79997654321",
    }


# --------------------------------------------------------------------------- answers


async def test_a_history_record_is_typed_and_keeps_unknown_fields(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([SENT_ROW]))
    (message,) = await history_page(client)
    assert message.id == 17
    assert message.internal_id == 905
    assert message.status is StatusCode.DELIVERED
    assert message.error is DeliveryError.NONE
    assert message.sent_at == datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)
    assert message.last_change == datetime(2024, 1, 1, 10, 0, 5, tzinfo=timezone.utc)
    assert message.cost == Decimal("1.80")
    assert (message.sender, message.sms_count, message.type) == ("SHOP", 1, MessageType.SMS)
    assert (message.mccmnc, message.operator, message.crc) == ("25001", "МТС", 3313730941)
    assert message.extra == {"new_field": "kept"}
    assert "79991234567" not in repr(message)
    assert "Your code" not in repr(message)


async def test_a_history_record_with_dates_only_and_unknown_codes(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    row = {"status": 77, "err": 999, "format": 42, "send_date": "01.01.2024 13:00:00", "id": "a-1"}
    wire.post(GET_URL).mock(return_value=json_response(row))  # one object: a list of one
    (message,) = await history_page(client)
    assert (message.status, message.error, message.type) == (77, 999, 42)
    assert message.id == "a-1"
    assert message.sent_at == datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)
    assert message.internal_id is None


async def test_an_incoming_record_is_typed(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    wire.post(GET_URL).mock(return_value=json_response([{**INCOMING_ROW, "operator": "x"}]))
    (received,) = await incoming_page(client)
    assert received.id == 41
    assert (received.phone, received.to_phone, received.message) == (
        "79990000001",
        "79000000000",
        "Yes, please",
    )
    assert received.received_at == datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)
    assert received.extra == {"operator": "x"}
    assert "79990000001" not in repr(received)


async def test_an_incoming_record_without_an_id_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([{"phone": "79990000001"}]))
    with pytest.raises(smsc.InvalidResponseError, match="'id' missing"):
        await incoming_page(client)


async def test_statistics_are_typed_money(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    answer = {
        "login": LOGIN,
        "cnt": 12,
        "credit": "21.60",
        "debit": 100,
        "currency": "RUR",
        "balance": "78.40",
        "x": 1,
    }
    wire.post(GET_URL).mock(return_value=json_response(answer))
    result = await statistics(client)
    assert result == smsc.Statistics(
        login=LOGIN,
        sms_count=12,
        spent=Decimal("21.60"),
        income=Decimal("100"),
        currency="RUR",
        extra={"balance": "78.40", "x": 1},
    )


async def test_statistics_of_several_records_are_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response([{"cnt": 1}, {"cnt": 2}]))
    with pytest.raises(smsc.InvalidResponseError, match="one record"):
        await statistics(client)


@pytest.mark.parametrize("wrapped", [True, False], ids=["zones-object", "bare-list"])
async def test_prices_per_zone(
    client: AsyncSMSCClient, wire: respx.MockRouter, wrapped: bool
) -> None:
    zones = [
        {"zone": 1, "name": "Россия", "api": "1.80", "mass": 2, "hlr": "0.20", "viber": "0.9"},
        {"zone": "Z", "name": "*"},
    ]
    wire.post(GET_URL).mock(return_value=json_response({"zones": zones} if wrapped else zones))
    first, second = await prices(client)
    assert (first.zone, first.name, first.sms, first.sms_web) == (
        1,
        "Россия",
        Decimal("1.80"),
        Decimal("2"),
    )
    assert (first.hlr, first.mms, first.extra) == (Decimal("0.20"), None, {"viber": "0.9"})
    assert (second.zone, second.sms) == ("Z", None)


async def test_an_operator_answer_names_the_number_asked(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    answer = {"country": "Россия", "operator": "МТС", "region": "Москва", "mcc": "250"}
    wire.post(INFO_URL).mock(return_value=json_response({**answer, "mnc": "01", "tz": "3"}))
    result = await operator(client)
    assert result == smsc.OperatorInfo(
        phone="79991234567",
        country="Россия",
        operator="МТС",
        region="Москва",
        mcc="250",
        mnc="01",
        tz=3,
    )


async def test_operator_lookup_of_one_number_refuses_several_records(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(INFO_URL).mock(return_value=json_response([{}, {}]))
    with pytest.raises(smsc.InvalidResponseError, match="one record"):
        await operator(client)


@pytest.mark.parametrize("command", CALLS)
@pytest.mark.parametrize("answer", ["not json", "[1, 2]", '"text"', "{"])
async def test_unusable_answers_raise_invalid_response(
    client: AsyncSMSCClient, wire: respx.MockRouter, command: str, answer: str
) -> None:
    url, call = CALLS[command]
    wire.post(url).respond(200, content=answer.encode())
    with pytest.raises(smsc.InvalidResponseError):
        await call(client)


# --------------------------------------------------------------------------- errors

GET_CODES = {
    1: smsc.ParametersError,
    2: smsc.AuthenticationError,
    4: smsc.IPBlockedError,
    9: smsc.TooManyRequestsError,
}


@pytest.mark.parametrize("command", ["history", "incoming", "statistics", "prices"])
@pytest.mark.parametrize(("code", "error"), GET_CODES.items())
async def test_every_get_error_code_raises_its_class(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    command: str,
    code: int,
    error: type[smsc.APIError],
) -> None:
    url, call = CALLS[command]
    wire.post(url).mock(return_value=json_response({"error": "x", "error_code": code}))
    with pytest.raises(error) as caught:
        await call(client)
    assert caught.value.code == code
    assert caught.value.command == command


@pytest.mark.parametrize(("code", "error"), [*GET_CODES.items(), (3, smsc.OperatorNotFoundError)])
async def test_every_operator_error_code_raises_its_class(
    client: AsyncSMSCClient, wire: respx.MockRouter, code: int, error: type[smsc.APIError]
) -> None:
    wire.post(INFO_URL).mock(return_value=json_response({"error": "e", "error_code": code}))
    with pytest.raises(error) as caught:
        await operator(client)
    assert caught.value.code == code


async def test_an_undocumented_code_is_a_plain_api_error(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response({"error": "x", "error_code": 3}))
    with pytest.raises(smsc.APIError) as caught:
        await history_page(client)
    assert type(caught.value) is smsc.APIError  # 3 is not InsufficientFundsError here


async def test_error_9_says_when_to_try_again(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(INFO_URL).mock(return_value=json_response({"error": "x", "error_code": 9}))
    with pytest.raises(smsc.TooManyRequestsError) as caught:
        await operator(client)
    assert caught.value.retry_after == 60.0
