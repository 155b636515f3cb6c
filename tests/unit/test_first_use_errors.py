"""Errors a new user meets first name what to fix: the missing variable, the enum to use."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smsc import (
    AsyncSMSCClient,
    AsyncSMTPSender,
    ConfigurationError,
    RequestValidationError,
    SMSCConfig,
    StatusCode,
    transliterate,
)


def refused_transport(request: httpx.Request) -> httpx.Response:
    raise AssertionError("a request was sent")


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"SMSC_LOGIN": "alex"}, ["password missing", "SMSC_PASSWORD"]),
        ({"SMSC_PASSWORD": "secret"}, ["login missing", "SMSC_LOGIN"]),
        ({}, ["credentials missing", "SMSC_LOGIN", "SMSC_API_KEY"]),
    ],
)
def test_missing_credentials_name_the_variable_to_set(
    environ: dict[str, str], names: list[str]
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        SMSCConfig.from_env(environ)

    for name in names:
        assert name in str(caught.value)
    assert "secret" not in str(caught.value)


def test_a_login_argument_without_password_names_the_password() -> None:
    with pytest.raises(ConfigurationError, match=r"password missing.*SMSC_PASSWORD"):
        AsyncSMSCClient(login="alex")


@pytest.mark.parametrize("value", ["latin", 3])
async def test_an_unknown_translit_names_the_translit_enum_before_any_request(
    value: Any,
) -> None:
    config = SMSCConfig(login="alex", password="secret", smtp_host="127.0.0.1", smtp_port=9)
    async with AsyncSMSCClient(
        config=config, transport=httpx.MockTransport(refused_transport)
    ) as client:
        for attempt in (
            lambda: client.send("79991234567", "Привет", translit=value),
            lambda: AsyncSMTPSender(config).send("79991234567", "Привет", translit=value),
        ):
            with pytest.raises(RequestValidationError, match=r"Translit\.LATIN") as caught:
                await attempt()
            assert caught.value.field == "translit"
    with pytest.raises(RequestValidationError, match=r"smsc\.Translit"):
        transliterate("Привет", value)


async def test_a_status_asked_with_another_phone_is_not_found_and_says_why(
    smsc_client: AsyncSMSCClient,
) -> None:
    sent = await smsc_client.send("79991234567", "Your code: 1234")

    status = await smsc_client.status(sent.id, "79997654321")

    assert status.status is StatusCode.NOT_FOUND
    assert "for this phone" in StatusCode.NOT_FOUND.description
    assert (await smsc_client.status(sent.id, "79991234567")).status is StatusCode.PENDING


def test_the_plain_http_refusal_names_the_argument_and_the_variable_that_allow_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        SMSCConfig(login="alex", password="secret", host="http://smsc.example")

    message = str(caught.value)
    assert "allow_http=True" in message
    assert "SMSC_ALLOW_HTTP=1" in message
    assert "--allow-http" in message
    assert "secret" not in message
