"""A text with half an emoji (a lone surrogate) is refused before sending."""

from __future__ import annotations

import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    RequestValidationError,
)
from smsc._rules.recipients import validate_message

from .conftest import (
    SEND_URL,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
PHONE = "79991234567"


# --------------------------------------------------------------------------- broken text


@pytest.mark.parametrize("text", ["Hi \ud83d", "\ude00 there"])
async def test_a_text_with_half_an_emoji_is_refused_before_sending(
    client: AsyncSMSCClient, wire: respx.MockRouter, text: str
) -> None:
    # A JSON body cut inside a surrogate pair decodes to a lone surrogate, which UTF-8
    # cannot encode: the SDK says so instead of letting UnicodeEncodeError escape.
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, text)
    assert caught.value.field == "message"
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", extra={"subj": text})
    assert caught.value.field == "extra"
    assert not route.called


def test_validate_message_refuses_a_lone_surrogate() -> None:
    with pytest.raises(RequestValidationError):
        validate_message("\ud83d")
    assert validate_message("\U0001f600") == "\U0001f600"
