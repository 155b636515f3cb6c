"""A with_options copy, a borrowed client and a closed client: the pool they share and the
errors after close."""

from __future__ import annotations

import httpx
import pytest

from smsc import (
    AsyncSMSCClient,
    ConfigurationError,
    SMSCError,
)

from .conftest import (
    LOGIN,
    PASSWORD,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
PHONE = "79991234567"


def _answering(payload: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: json_response(payload))


# --------------------------------------------------------------------------- with_options


async def test_with_options_refuses_a_host_the_shared_pool_would_not_reach() -> None:
    # The copy shares the parent's failover transport, which aims every request at the
    # parent's sites: a different host would silently go to the parent's host.
    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, transport=_answering({"balance": "1.00"})
    ) as client:
        for options in (
            {"host": "smscentre.com"},
            {"mirrors": ("https://backup.example",)},
            {"failover": False},
            {"mirror_cooldown": 1.0},
            {"max_concurrency": 2},
        ):
            with pytest.raises(ConfigurationError, match="with_options"):
                client.with_options(**options)
        # Settings applied per request still change, and unchanged values are accepted.
        copy = client.with_options(timeout=2.0, host="smsc.ru", max_concurrency=10)
        assert copy.config.timeout == 2.0


async def test_with_options_copy_reports_the_shared_site_stats() -> None:
    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, transport=_answering({"balance": "1.00"})
    ) as client:
        copy = client.with_options(timeout=2.0)
        await copy.balance()
        assert copy.site_stats == client.site_stats
        assert copy.site_stats["https://smsc.ru"].requests == 1


async def test_a_copy_used_after_its_parent_closed_raises_the_sdk_error() -> None:
    client = AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, transport=_answering({"balance": "1.00"})
    )
    copy = client.with_options(timeout=2.0)
    await client.aclose()
    with pytest.raises(SMSCError, match="closed"):
        await copy.balance()


async def test_a_borrowed_client_closed_by_its_owner_raises_the_sdk_error() -> None:
    http = httpx.AsyncClient(transport=_answering({"balance": "1.00"}))
    client = AsyncSMSCClient(login=LOGIN, password=PASSWORD, http_client=http)
    await http.aclose()
    with pytest.raises(SMSCError, match="closed"):
        await client.balance()
    await client.aclose()
    await client.aclose()  # closing twice is harmless


async def test_send_via_smtp_after_close_is_refused() -> None:
    client = AsyncSMSCClient(login=LOGIN, password=PASSWORD, transport=_answering(SENT))
    await client.aclose()
    with pytest.raises(SMSCError, match="closed"):
        await client.send_via_smtp(PHONE, "hi")
