"""Guards of the wire layer that the mutation audit of issue 23 (item 12) found untested, and
the strict decoders of item 10: each test names the behaviour it holds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

import smsc
from smsc import AsyncSMSCClient, FailoverTransport
from smsc._http.body import AnswerTooLarge
from smsc._wire import COMMANDS

from ..unit.conftest import form_of, json_response

JOBS_URL = "https://smsc.ru/sys/jobs.php"
USERS_URL = "https://smsc.ru/sys/users.php"
INFO_URL = "https://smsc.ru/sys/info.php"
GET_URL = "https://smsc.ru/sys/get.php"
PASSWORD = "Pa55-w0rd-very-secret"


@pytest.fixture
def wire() -> Any:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def client(wire: respx.MockRouter) -> AsyncIterator[AsyncSMSCClient]:
    # Retries allowed: a command that may be repeated would be sent again here.
    async with AsyncSMSCClient(
        login="alex", password=PASSWORD, failover=False, max_retries=2, retry_deadline=5.0
    ) as c:
        yield c


# ----------------------------------------------------------------------------- writes


async def test_a_mailing_whose_answer_was_lost_is_not_created_again(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(JOBS_URL).mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(smsc.OutcomeUnknownError):
        await client.jobs.create("sale", "79991234567", "hello")
    assert route.call_count == 1
    assert COMMANDS["job_create"].may_repeat is False


async def test_a_top_up_amount_is_written_in_plain_digits(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(USERS_URL).mock(return_value=json_response({"result": "OK"}))
    await client.users.top_up("shop-2", Decimal("1E+3"))
    await client.users.top_up("shop-2", Decimal("2.5E-1"))
    sums = [form_of(call.request)["sum"] for call in route.calls]
    assert sums == ["1000", "0.25"]


async def test_a_sub_client_password_never_appears_in_a_change_error(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    new_password = "n3w-Sub-Secret-77"
    wire.post(USERS_URL).mock(
        return_value=json_response({"error": f"bad password {new_password}", "error_code": 1})
    )
    with pytest.raises(smsc.APIError) as caught:
        await client.users.change("shop-2", password=new_password)
    assert new_password not in str(caught.value)
    assert new_password not in repr(caught.value)
    assert PASSWORD not in str(caught.value)


# ----------------------------------------------------------------------------- operator


async def test_an_operator_record_without_a_phone_is_not_given_one_by_position_when_counts_differ(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(INFO_URL).mock(return_value=json_response([{"operator": "МТС"}]))
    (only,) = await client.operators.lookup_many(["79991234567", "79997654321"])
    assert only.phone is None  # which of the two it is, the answer does not say


async def test_operator_records_without_phones_are_given_them_by_position_when_counts_match(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(INFO_URL).mock(
        return_value=json_response([{"operator": "МТС"}, {"operator": "Билайн"}])
    )
    first, second = await client.operators.lookup_many(["79991234567", "79997654321"])
    assert (first.phone, second.phone) == ("79991234567", "79997654321")


# ----------------------------------------------------------------------------- item 10


@pytest.mark.parametrize("answer", [{}, {"login": "alex"}, {"unrelated": 1}, [{}], [{"x": "y"}]])
async def test_statistics_refuse_an_answer_without_figures(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post(GET_URL).mock(return_value=json_response(answer))
    with pytest.raises(smsc.InvalidResponseError):
        await client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 31))


async def test_statistics_refuse_an_unreadable_figure(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response({"cnt": 3, "credit": "lots"}))
    with pytest.raises(smsc.InvalidResponseError, match="credit"):
        await client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 31))


async def test_statistics_with_some_figures_are_read(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(GET_URL).mock(return_value=json_response({"cnt": 3, "currency": "RUR"}))
    stats = await client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert (stats.sms_count, stats.spent, stats.currency) == (3, None, "RUR")


@pytest.mark.parametrize("answer", [{}, {"unrelated": 1}, {"phone": "79991234567"}, [{}]])
async def test_an_operator_lookup_refuses_an_answer_without_an_operator(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post(INFO_URL).mock(return_value=json_response(answer))
    with pytest.raises(smsc.InvalidResponseError):
        await client.operators.lookup("79991234567")


@pytest.mark.parametrize("answer", [{}, {"unrelated": 1}, {"jobs": {}}, "none", 0])
async def test_a_list_of_mailings_refuses_an_answer_that_is_not_a_list(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post(JOBS_URL).mock(return_value=json_response(answer))
    with pytest.raises(smsc.InvalidResponseError):
        await client.jobs.list()


@pytest.mark.parametrize("answer", [[], {"jobs": []}])
async def test_an_empty_list_of_mailings_is_read_as_empty(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post(JOBS_URL).mock(return_value=json_response(answer))
    assert await client.jobs.list() == []


@pytest.mark.parametrize("answer", [{}, {"unrelated": 1}, []])
async def test_a_balance_refuses_an_answer_without_a_balance(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post("https://smsc.ru/sys/balance.php").mock(return_value=json_response(answer))
    with pytest.raises(smsc.InvalidResponseError):
        await client.balance()


# ----------------------------------------------------------------------------- the httpx path


async def test_an_in_memory_answer_beyond_the_bound_is_refused_on_the_httpx_path() -> None:
    huge = b'{"balance": "1", "pad": "' + b" " * (33 << 20) + b'"}'

    class InMemory(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=httpx.ByteStream(huge))

    transport = FailoverTransport(InMemory(), ["https://smsc.test"], max_retries=0)
    request = httpx.Request(
        "POST",
        "https://smsc.test/sys/balance.php",
        content=b"x=1",
        extensions={"smsc_operation": "balance", "smsc_may_repeat": True},
    )
    with pytest.raises(AnswerTooLarge):
        await transport.send_request(request)
