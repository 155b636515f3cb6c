"""Answers the service should not give: impossible timestamps, bodies that cannot be
decompressed."""

from __future__ import annotations

import json

import httpx
import pytest

from smsc import (
    AsyncSMSCClient,
    InvalidResponseError,
    SendOutcomeUnknownError,
)
from smsc._wire.commands import decode_status

from .conftest import (
    LOGIN,
    PASSWORD,
)

PHONE = "79991234567"


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("timestamp", [10**15, -(10**15), "99999999999999999999"])
def test_status_with_an_impossible_timestamp_falls_back_to_the_date(timestamp: object) -> None:
    body = json.dumps(
        {"status": 1, "last_timestamp": timestamp, "last_date": "28.12.2019 19:20:22"}
    ).encode()
    (status,) = decode_status(body, requested=[(1, PHONE)])
    assert status.last_change is not None
    assert status.last_change.isoformat() == "2019-12-28T16:20:22+00:00"


# --------------------------------------------------------------------------- undecodable answers


def _badly_compressed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b'{"id": 1}')


async def test_an_answer_that_cannot_be_decompressed_raises_sdk_errors() -> None:
    async with AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        transport=httpx.MockTransport(_badly_compressed),
        failover=False,
        max_retries=0,
    ) as client:
        # The send was answered, so it may have been taken: outcome unknown, with its id.
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await client.send(PHONE, "hi", id=42)
        assert caught.value.message_id == 42
        assert isinstance(caught.value.__cause__, httpx.DecodingError)
        with pytest.raises(InvalidResponseError, match="balance"):
            await client.balance()
