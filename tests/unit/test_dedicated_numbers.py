"""client.numbers (``receive_phones.php``): the form of each action, the answers it reads,
and its arguments checked before any request."""

from __future__ import annotations

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient, DedicatedNumber, InvalidResponseError, RequestValidationError

from .conftest import form_of, json_response

URL = "https://smsc.ru/sys/receive_phones.php"
CREDENTIALS = {"login", "psw", "fmt", "charset"}


def _own(request: httpx.Request) -> dict[str, str]:
    return {k: v for k, v in form_of(request).items() if k not in CREDENTIALS}


async def test_available_lists_the_free_numbers(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(URL).mock(
        return_value=json_response([{"phone": "79000000701", "cost": "500"}, {"number": "7900"}])
    )
    found = await client.numbers.available()
    assert found == [
        DedicatedNumber(phone="79000000701", extra={"cost": "500"}),
        DedicatedNumber(phone="7900"),
    ]
    assert _own(route.calls.last.request) == {"get": "1"}


async def test_buy_and_set_renewal_send_phone_and_noprolong(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(URL).mock(return_value=json_response({"result": "OK"}))
    await client.numbers.buy("+7 900 000-07-01")
    assert _own(route.calls.last.request) == {"buy": "1", "phone": "+79000000701"}
    await client.numbers.buy("79000000701", renew=False)
    assert _own(route.calls.last.request) == {"buy": "1", "phone": "79000000701", "noprolong": "1"}
    await client.numbers.set_renewal("79000000701", True)
    assert _own(route.calls.last.request) == {"chg": "1", "phone": "79000000701", "noprolong": "0"}


async def test_a_number_without_its_phone_is_an_invalid_answer(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(URL).mock(return_value=json_response([{"cost": "500"}]))
    with pytest.raises(InvalidResponseError):
        await client.numbers.available()


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.numbers.buy("12ab"), "phone"),
        (lambda c: c.numbers.buy("79000000701,79000000702"), "phone"),
        (lambda c: c.numbers.buy("79000000701", renew=1), "renew"),
        (lambda c: c.numbers.set_renewal("79000000701", "no"), "renew"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, call: object, field: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await call(client)  # type: ignore[operator]
    assert caught.value.field == field
    assert not wire.calls
