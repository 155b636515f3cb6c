"""The client's keyword options: typed from SMSCConfig's fields, and per-copy retries."""

from __future__ import annotations

from typing import get_type_hints

import httpx
import pytest

from smsc import AsyncSMSCClient, ConfigurationError, ServerError, SMSCConfig, build_transport
from smsc._options import ClientOptions, ClientOverrides

NAMED = {"login", "password", "api_key", "host", "allow_http"}
"""Settings the constructor takes as named arguments, outside ``**options``."""


def test_client_options_are_exactly_the_config_fields_not_named_in_the_constructor() -> None:
    assert set(get_type_hints(ClientOptions)) == set(SMSCConfig.model_fields) - NAMED


def test_with_options_takes_every_config_field() -> None:
    assert set(get_type_hints(ClientOverrides)) == set(SMSCConfig.model_fields)


class FailingSites:
    """An inner transport on which every site answers HTTP 500; counts the requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.url.host)
        return httpx.Response(500)


async def balance_attempts(client: AsyncSMSCClient, sites: FailingSites) -> int:
    """How many requests one ``balance()`` made before it failed."""
    sites.requests.clear()
    with pytest.raises(ServerError):
        await client.balance()
    return len(sites.requests)


async def test_with_options_max_retries_applies_to_the_copy_only() -> None:
    sites = FailingSites()
    async with AsyncSMSCClient(
        login="alex", password="secret", max_retries=3, transport=httpx.MockTransport(sites)
    ) as client:
        once = client.with_options(max_retries=0)
        twice = client.with_options(max_retries=1)

        # A query may be repeated: 1 + max_retries attempts, each on the next mirror here.
        assert await balance_attempts(once, sites) == 1
        assert await balance_attempts(twice, sites) == 2
        assert await balance_attempts(client, sites) == 4
        assert once.config.max_retries == 0
        assert client.config.max_retries == 3


@pytest.mark.parametrize("value", [-1, True, 1.5, "2"])
async def test_a_request_max_retries_that_is_not_a_count_is_refused(value: object) -> None:
    sites = FailingSites()
    transport = build_transport(
        SMSCConfig(login="alex", password="secret"), inner=httpx.MockTransport(sites)
    )
    request = httpx.Request(
        "POST", "https://smsc.ru/sys/balance.php", extensions={"smsc_max_retries": value}
    )

    with pytest.raises(ConfigurationError, match="smsc_max_retries"):
        await transport.handle_async_request(request)
    assert sites.requests == []
