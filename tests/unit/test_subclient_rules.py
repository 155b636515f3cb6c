"""Sub-clients against the service's pages: the password rule is checked before any
request, and the statistics cover the sub-clients of both kinds of balance by default."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient, RequestValidationError

from .conftest import form_of, json_response

USERS = "https://smsc.ru/sys/users.php"
DAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!",  # four kinds, too short
        "Abcdef1",  # seven characters
        "abcdefgh",  # letters only
        "12345678",  # digits only
        "abcdefg1",  # letters and digits: two kinds
        "ABCDEFG!",  # letters and a symbol, one case: two kinds
    ],
)
async def test_a_password_breaking_the_service_rule_is_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, password: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.users.add("sub", password=password)
    assert caught.value.field == "password"
    assert "at least 8 characters" in str(caught.value)
    assert "3 of these 4" in str(caught.value)
    assert password not in str(caught.value)
    assert not wire.calls
    with pytest.raises(RequestValidationError):
        await client.users.change("sub", password=password)
    assert not wire.calls


@pytest.mark.parametrize("password", ["abcdefg1!", "Abcdefgh1", "Abcdefgh!", "ABCDEFG1!"])
async def test_a_password_with_three_kinds_of_eight_characters_is_sent(
    client: AsyncSMSCClient, wire: respx.MockRouter, password: str
) -> None:
    route = wire.post(USERS).mock(return_value=json_response({"id": 5}))
    assert await client.users.add("sub", password=password) == 5
    assert form_of(route.calls.last.request)["password"] == password


async def test_stats_by_default_covers_sub_clients_of_both_kinds_of_balance(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    """Without ``reseller=1`` the service answers only the sub-clients on the main balance,
    so the default asks for both kinds: those with their own balance first, then (with
    ``reseller`` left out, the page documenting only the value 1) those on the main one."""
    answers = {
        "1": [{"login": "own-1", "cnt": 1, "credit": "1.00", "debit": "0", "currency": "RUR"}],
        None: [{"login": "main-1", "cnt": 2, "credit": "2.00", "debit": "0", "currency": "RUR"}],
    }

    def answer(request: httpx.Request) -> httpx.Response:
        return json_response(answers[form_of(request).get("reseller")])

    route = wire.post(USERS).mock(side_effect=answer)
    found = await client.users.stats(DAY, DAY)
    assert [item.login for item in found] == ["own-1", "main-1"]
    assert [form_of(call.request).get("reseller") for call in route.calls] == ["1", None]


async def test_stats_of_one_sub_client_is_one_request_without_reseller(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(USERS).mock(return_value=json_response([]))
    await client.users.stats(DAY, DAY, login="shop-2")
    assert route.call_count == 1
    assert "reseller" not in form_of(route.calls.last.request)
