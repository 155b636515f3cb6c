"""Secrets never leave through logs, reprs, exception texts or URLs; private data is masked."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

import smsc
from smsc import AsyncSMSCClient

from .conftest import API_KEY, PASSWORD, SEND_URL, json_response

PHONE = "79991234567"
TEXT = "Your secret code is 482913"


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )


@pytest.mark.parametrize(
    "answer",
    [
        json_response({"id": 1, "cnt": 1, "cost": "1", "balance": "2"}),
        json_response({"error": "authorise error", "error_code": 2}),
        httpx.Response(200, content=b"garbage"),
        httpx.Response(500),
    ],
)
async def test_debug_logs_hold_no_secret_and_mask_private_data(
    caplog: pytest.LogCaptureFixture,
    wire: respx.MockRouter,
    answer: httpx.Response,
) -> None:
    wire.post(SEND_URL).mock(return_value=answer)
    caplog.set_level(logging.DEBUG)
    error: smsc.SMSCError | None = None
    async with AsyncSMSCClient(login="alex", password=PASSWORD) as client:
        try:
            await client.send(PHONE, TEXT)
        except smsc.SMSCError as exc:
            error = exc
    if error is not None:
        assert PASSWORD not in f"{error} {error!r} {error.__cause__}"
    logged = _everything_logged(caplog)
    assert caplog.records, "the send should be logged at DEBUG"
    assert PASSWORD not in logged
    assert PHONE not in logged
    assert TEXT not in logged
    assert "482913" not in logged


async def test_nothing_private_is_logged_at_info(
    caplog: pytest.LogCaptureFixture, wire: respx.MockRouter
) -> None:
    wire.post(SEND_URL).mock(return_value=json_response({"id": 1, "cnt": 1}))
    caplog.set_level(logging.INFO)
    async with AsyncSMSCClient(api_key=API_KEY) as client:
        await client.send(PHONE, TEXT)
    logged = _everything_logged(caplog)
    assert PHONE[-4:] not in logged
    assert TEXT not in logged
    assert API_KEY not in logged


async def test_transport_failure_text_holds_no_secret(wire: respx.MockRouter) -> None:
    wire.post(url__regex=r".*").mock(side_effect=httpx.ConnectError("refused"))
    async with AsyncSMSCClient(api_key=API_KEY, mirrors=(), max_retries=0) as client:
        with pytest.raises(smsc.APIConnectionError) as caught:
            await client.balance()
    chain = [caught.value, caught.value.__cause__]
    for error in chain:
        assert API_KEY not in str(error)


def test_result_reprs_leave_out_phones_and_texts() -> None:
    status = smsc.MessageStatus(
        id=1,
        phone=PHONE,
        status=smsc.StatusCode.DELIVERED,
        message=TEXT,
        comment="order 5",
        hlr=smsc.HLRInfo(imsi="250019876543210"),
        extra={"mccmnc": "25002"},
    )
    per_phone = smsc.PhoneResult(phone=PHONE)
    shown = f"{status!r} {status} {per_phone!r}"
    assert PHONE not in shown
    assert TEXT not in shown
    assert "250019876543210" not in shown
    assert status.phone == PHONE  # still there to read
