"""Arguments that could hang a call, burn CPU or build a huge request are refused up front."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient, ConfigurationError, RequestValidationError, SMSCConfig
from smsc._secrets import MAX_REQUEST_BYTES

from .conftest import LOGIN, PASSWORD, SEND_URL, json_response

PHONE = "79991234567"
SENT = {"id": 1, "cnt": 1, "cost": "1.80", "balance": "98.20"}


@pytest.fixture
def answering(wire: respx.MockRouter) -> respx.MockRouter:
    wire.post(SEND_URL).mock(return_value=json_response(SENT))
    wire.post("https://smsc.ru/sys/status.php").mock(
        return_value=json_response({"status": 1, "last_timestamp": 1700000000})
    )
    return wire


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": math.nan},
        {"timeout": math.inf},
        {"timeout": -1.0},
        {"timeout": 0},
        {"timeout": "600"},
        {"first_poll": math.nan},
        {"first_poll": -1.0},
        {"max_interval": math.inf},
        {"max_interval": math.nan},
        {"polls_per_minute": True},
        {"polls_per_minute": 2.5},
    ],
)
async def test_wait_for_status_refuses_unusable_times_before_polling(
    client: AsyncSMSCClient, answering: respx.MockRouter, options: dict[str, Any]
) -> None:
    async def no_sleep(_: float) -> None:
        raise AssertionError("the wait must not start")

    with pytest.raises(RequestValidationError):
        await client.wait_for_status(1, PHONE, sleep=no_sleep, **options)
    assert not answering.calls


@pytest.mark.parametrize(
    "timeout",
    ["5", -1, -0.5, 0, math.nan, math.inf, True, httpx.Timeout(-1.0), httpx.Timeout(math.nan)],
)
async def test_a_per_call_timeout_must_be_positive_finite_seconds(
    client: AsyncSMSCClient, answering: respx.MockRouter, timeout: Any
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await client.send(PHONE, "hi", timeout=timeout)
    assert str(info.value.field).startswith("timeout")
    assert not answering.calls


async def test_a_valid_per_call_timeout_still_sends(
    client: AsyncSMSCClient, answering: respx.MockRouter
) -> None:
    await client.send(PHONE, "hi", timeout=2)
    await client.send(PHONE, "hi", timeout=httpx.Timeout(2.0, connect=1.0))
    await client.send(PHONE, "hi", timeout=None)
    assert len(answering.calls) == 3


@pytest.mark.parametrize(
    "extra",
    [
        {"period": Decimal("1e999999999")},
        {"period": Decimal("1e100")},
        {"period": Decimal("1e-100")},
        {"period": Decimal("0E-1000000")},
        {"period": 10**40},
        {"period": 1e-300},
        {1: "x"},
        {"\ud800": "x"},
        {"": "x"},
        {"a b": "x"},
        {"p&psw": "x"},
        {"x" * 33: "x"},
    ],
    ids=lambda extra: repr(next(iter(extra)))[:20] + "=" + repr(next(iter(extra.values())))[:20],
)
async def test_extra_refuses_keys_that_are_not_names_and_numbers_of_absurd_size(
    client: AsyncSMSCClient, answering: respx.MockRouter, extra: dict[Any, Any]
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await client.send(PHONE, "hi", extra=extra)
    assert info.value.field == "extra"
    assert not answering.calls


async def test_extra_numbers_of_sane_size_are_written_in_plain_notation(
    client: AsyncSMSCClient, answering: respx.MockRouter
) -> None:
    extra: dict[str, Any] = {"period": Decimal("1.5E+1"), "freq": 10**20, "pp": 0.000001, "op": "1"}
    await client.send(PHONE, "hi", extra=extra)
    body = answering.calls.last.request.content
    assert b"period=15&freq=100000000000000000000&pp=0.000001&op=1" in body


async def test_a_request_body_over_the_limit_is_refused_before_sending(
    client: AsyncSMSCClient, answering: respx.MockRouter
) -> None:
    with pytest.raises(RequestValidationError, match="at most 1048576"):
        await client.send(PHONE, "hi", extra={"subj": "x" * MAX_REQUEST_BYTES})
    many = [f"7999{n:07d}" for n in range(MAX_REQUEST_BYTES // 12)]
    with pytest.raises(RequestValidationError, match="split the recipients"):
        await client.send(many, "hi")
    assert not answering.calls


def test_max_concurrency_of_15_or_more_is_refused_with_the_reason() -> None:
    with pytest.raises(ConfigurationError, match="error 9") as info:
        SMSCConfig(login=LOGIN, password=PASSWORD, max_concurrency=15)
    assert "15 or more simultaneous requests" in str(info.value)
    assert SMSCConfig(login=LOGIN, password=PASSWORD, max_concurrency=14).max_concurrency == 14


@pytest.mark.parametrize(
    "field", ["timeout", "connect_timeout", "retry_deadline", "mirror_cooldown", "smtp_timeout"]
)
@pytest.mark.parametrize("value", [math.inf, math.nan, -1.0])
def test_configured_times_must_be_finite_and_not_negative(field: str, value: float) -> None:
    with pytest.raises(ConfigurationError, match=field):
        SMSCConfig(login=LOGIN, password=PASSWORD, **{field: value})


def test_credentials_with_a_lone_surrogate_are_refused_by_the_configuration() -> None:
    with pytest.raises(ConfigurationError, match="lone surrogate"):
        AsyncSMSCClient(login=LOGIN, password="pass\udcff")
    with pytest.raises(ConfigurationError, match="lone surrogate"):
        AsyncSMSCClient(api_key="key\ud800")
