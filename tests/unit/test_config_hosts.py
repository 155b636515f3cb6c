"""The host and base URL of the configuration: refused at construction, the sys folder, API
key whitespace."""

from __future__ import annotations

import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    ConfigurationError,
    SMSCConfig,
)
from smsc._wire.forms import credential_fields

from .conftest import (
    API_KEY,
    BALANCE_URL,
    LOGIN,
    PASSWORD,
    json_response,
)

# --------------------------------------------------------------------------- config hosts


@pytest.mark.parametrize(
    "host", ["https://smsc.ru:99999", "smsc.ru:abc", "https://smsc.ru?x=1", "https://smsc.ru#top"]
)
def test_config_refuses_an_unusable_base_url_at_construction(host: str) -> None:
    with pytest.raises(ConfigurationError):
        SMSCConfig(login=LOGIN, password=PASSWORD, host=host)


def test_config_refuses_an_unusable_mirror_at_construction() -> None:
    with pytest.raises(ConfigurationError):
        SMSCConfig(login=LOGIN, password=PASSWORD, mirrors=("https://www2.smsc.ru:0x",))


@pytest.mark.parametrize(
    ("host", "base_url"),
    [
        ("https://smsc.ru/sys", "https://smsc.ru"),
        ("https://smsc.ru/sys/", "https://smsc.ru"),
        ("smsc.ru/sys", "https://smsc.ru"),
        ("https://reseller.example/api/sys", "https://reseller.example/api"),
        ("https://reseller.example/api", "https://reseller.example/api"),
    ],
)
def test_config_reads_a_base_url_copied_with_the_sys_folder(host: str, base_url: str) -> None:
    config = SMSCConfig(login=LOGIN, password=PASSWORD, host=host)
    assert config.base_url == base_url


async def test_a_host_given_with_the_sys_folder_reaches_the_right_path(
    wire: respx.MockRouter,
) -> None:
    route = wire.post(BALANCE_URL).mock(return_value=json_response({"balance": "1.00"}))
    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, host="https://smsc.ru/sys/", failover=False
    ) as client:
        await client.balance()
    assert route.called


@pytest.mark.parametrize("raw", [f"{API_KEY}\n", f" {API_KEY} "])
def test_api_key_from_a_file_or_env_loses_surrounding_whitespace(raw: str) -> None:
    config = SMSCConfig.from_env({"SMSC_API_KEY": raw})
    assert credential_fields(config) == {"apikey": API_KEY}
