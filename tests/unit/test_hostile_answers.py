"""Hostile answers served through the client: each ends in a result or an SDK error, quickly.

Every body here once froze the event loop, leaked a non-SDK exception, or built a result whose
``repr`` raised (issue 11, §1). A send whose answer cannot be read must end in
``SendOutcomeUnknownError`` carrying the id and the phones: the message may have gone.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
import respx
from pydantic import ValidationError

import smsc
from smsc import AsyncSMSCClient, Balance, MessageStatus, SendResult

from .conftest import BALANCE_URL, SEND_URL, STATUS_URL

PHONE = "79991234567"
DEEP_LIST = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000

UNREADABLE_SEND_ANSWERS = [
    pytest.param(b'{"id":1,"cnt":"1e999999999"}', id="cnt-huge-exponent-string"),
    pytest.param(b'{"id":1,"cnt":1e999999999}', id="cnt-huge-exponent-number"),
    pytest.param(b'{"id":1e99999999,"cnt":1}', id="id-huge-exponent-number"),
    pytest.param(b'{"id":1,"cnt":"' + b"9" * 5000 + b'"}', id="cnt-5000-digits"),
    pytest.param(b'{"id":' + b"9" * 5000 + b',"cnt":1}', id="id-5000-digits"),
    pytest.param(b'{"error":"x","error_code":"Infinity"}', id="error-code-infinity"),
    pytest.param(b'{"error":"x","error_code":1e5000}', id="error-code-1e5000"),
    pytest.param(b'{"error":"x","error_code":"' + b"9" * 5000 + b'"}', id="error-code-5000"),
    pytest.param(DEEP_LIST, id="deep-list"),
    pytest.param(DEEP_OBJECT, id="deep-object"),
]


def answer(body: bytes) -> httpx.Response:
    return httpx.Response(200, content=body)


@pytest.mark.parametrize("body", UNREADABLE_SEND_ANSWERS)
async def test_unreadable_send_answer_is_unknown_outcome_with_id_and_phones(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(SEND_URL).mock(return_value=answer(body))
    with pytest.raises(smsc.SendOutcomeUnknownError) as caught:
        await client.send(PHONE, "hi", id=77)
    assert (caught.value.message_id, caught.value.phones) == (77, (PHONE,))
    assert PHONE not in str(caught.value)


@pytest.mark.parametrize("cost", ['"NaN"', '"Infinity"', '"-Infinity"', '"sNaN"', '"1e999999999"'])
async def test_send_answer_with_non_finite_cost_keeps_the_accepted_send(
    client: AsyncSMSCClient, wire: respx.MockRouter, cost: str
) -> None:
    body = f'{{"id":1,"cnt":1,"cost":{cost},"balance":{cost}}}'.encode()
    wire.post(SEND_URL).mock(return_value=answer(body))
    result = await client.send(PHONE, "hi", id=1)
    assert (result.id, result.count, result.cost, result.balance) == (1, 1, None, None)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
async def test_send_answer_with_non_finite_json_number_is_unknown_outcome(
    client: AsyncSMSCClient, wire: respx.MockRouter, literal: bytes
) -> None:
    wire.post(SEND_URL).mock(return_value=answer(b'{"id":1,"cnt":1,"cost":' + literal + b"}"))
    with pytest.raises(smsc.SendOutcomeUnknownError) as caught:
        await client.send(PHONE, "hi", id=3)
    assert caught.value.message_id == 3


@pytest.mark.parametrize(
    "body",
    [
        b'{"status":1,"flag":"1e999999999"}',
        b'{"status":"1e999999999"}',
        b'{"status":1,"sms_cnt":1e999999999}',
        b'{"status":"' + b"9" * 5000 + b'"}',
        b'{"status":1,"id":1e99999999}',
        b'{"error":"x","error_code":"Infinity"}',
        DEEP_LIST,
        DEEP_OBJECT,
    ],
)
async def test_hostile_status_answer_ends_in_an_sdk_error_or_a_printable_status(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(STATUS_URL).mock(return_value=answer(body))
    try:
        status = await client.status(5, PHONE)
    except smsc.InvalidResponseError:
        return
    assert isinstance(status, MessageStatus)
    assert repr(status)
    assert str(status)
    assert status.flag is None
    assert status.sms_count is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"balance":"Infinity"}',
        b'{"balance":"NaN"}',
        b'{"balance":"sNaN"}',
        b'{"balance":"1e999999999"}',
        b'{"balance":"' + b"9" * 5000 + b'"}',
        DEEP_LIST,
        DEEP_OBJECT,
    ],
)
async def test_hostile_balance_answer_is_invalid_response(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(BALANCE_URL).mock(return_value=answer(body))
    with pytest.raises(smsc.InvalidResponseError):
        await client.balance()


@pytest.mark.parametrize(
    "body", [b'{"cost":"NaN","cnt":1}', b'{"cost":"1","cnt":"1e999999999"}', DEEP_LIST]
)
async def test_hostile_cost_answer_is_invalid_response(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(SEND_URL).mock(return_value=answer(body))
    with pytest.raises(smsc.InvalidResponseError):
        await client.cost(PHONE, "hi")


@pytest.mark.parametrize(
    "body", [b'{"balance": 12345678901234567.89}', b'{"balance": "12345678901234567.89"}']
)
async def test_balance_with_18_significant_digits_decodes_exactly(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(BALANCE_URL).mock(return_value=answer(body))
    balance = await client.balance()
    assert balance.amount == Decimal("12345678901234567.89")
    assert str(balance.amount) == "12345678901234567.89"


def test_result_models_refuse_ids_and_counts_too_long_to_print() -> None:
    # Python refuses to print an int of more than 4,300 digits: a model holding one would
    # make repr() and every log line that shows it raise.
    with pytest.raises(ValidationError):
        SendResult(id=10**5000, count=1)
    with pytest.raises(ValidationError):
        MessageStatus(id=1, status=10**5000)
    with pytest.raises(ValidationError):
        Balance(amount=Decimal("NaN"))
    result = SendResult(id="9" * 5000, count=10**18)
    assert repr(result)
    assert str(result)
