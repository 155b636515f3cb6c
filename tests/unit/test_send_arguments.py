"""Arguments of a send beyond phones and text: extra, tinyurl."""

from __future__ import annotations

from decimal import Decimal

import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    MessageFormat,
    RequestValidationError,
)

from .conftest import (
    SEND_URL,
    form_of,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
PHONE = "79991234567"


# --------------------------------------------------------------------------- send arguments


@pytest.mark.parametrize(
    ("typed", "extra"),
    [
        ({"translit": 0}, {"translit": 1}),
        ({"sender": "Shop"}, {"sender": "Other"}),
        ({"maxsms": 2}, {"maxsms": 5}),
        ({"tinyurl": False}, {"tinyurl": 1}),
        ({"valid": 2}, {"valid": "24"}),
        ({"format": MessageFormat.VIBER}, {"viber": 0}),
        ({"format": MessageFormat.VIBER}, {"flash": 1}),
        ({}, {"hlr": 1}),
    ],
)
async def test_extra_may_not_contradict_a_typed_argument(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    typed: dict[str, object],
    extra: dict[str, str | int],
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", extra=extra, **typed)  # type: ignore[arg-type]
    assert caught.value.field == "extra"
    assert not route.called


@pytest.mark.parametrize(
    ("value", "wire_value"),
    [(Decimal("0.5"), "0.5"), (0.5, "0.5"), (1e-05, "0.00001"), (Decimal("24"), "24")],
)
async def test_extra_takes_decimal_numbers(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: object, wire_value: str
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send(PHONE, "hi", extra={"period": value, "freq": 30})  # type: ignore[dict-item]
    assert form_of(route.calls.last.request)["period"] == wire_value


@pytest.mark.parametrize("value", [float("nan"), Decimal("Infinity"), None, [1]])
async def test_extra_refuses_values_that_are_not_numbers_or_strings(
    client: AsyncSMSCClient, value: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", extra={"period": value})  # type: ignore[dict-item]
    assert caught.value.field == "extra"


@pytest.mark.parametrize("value", ["0", "no", 2])
async def test_tinyurl_refuses_values_that_are_not_a_flag(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: object
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", tinyurl=value)  # type: ignore[arg-type]
    assert caught.value.field == "tinyurl"
    assert not route.called


@pytest.mark.parametrize(("value", "wire_value"), [(True, "1"), (False, "0"), (1, "1"), (0, "0")])
async def test_tinyurl_takes_a_bool_or_its_number(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: bool, wire_value: str
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send(PHONE, "hi", tinyurl=value)
    assert form_of(route.calls.last.request)["tinyurl"] == wire_value
