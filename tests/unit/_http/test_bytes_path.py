"""The failover layer's bytes path (``FailoverTransport.send_bytes``) and the client on it.

A client whose transport offers ``exchange`` (the aiohttp backend does) sends through it with
no httpx request or response objects. These tests use a scripted transport of that kind: the
same sites, health, retry policy and never-send-twice rule must hold as on the httpx path.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

import smsc
from smsc import CallPolicy, FailoverTransport
from smsc._secrets import FormBody

PRIMARY = "http://primary.test"
MIRROR = "http://mirror.test"
SENT = b'{"id": "m-1", "cnt": 1, "cost": "1.80", "balance": "98.20"}'
BALANCE = b'{"balance": "12.50"}'

Step = tuple[int, str | None, bytes] | type[httpx.TransportError]


class Scripted(httpx.AsyncBaseTransport):
    """A bytes transport answering each site from its own script, recording every call."""

    smsc_bytes_path = True

    def __init__(self, **scripts: list[Step]) -> None:
        self.scripts = {f"http://{name}.test": list(steps) for name, steps in scripts.items()}
        self.calls: list[dict[str, Any]] = []
        self.httpx_requests = 0

    async def exchange(
        self,
        url: str,
        headers: Sequence[tuple[str, str]],
        body: FormBody,
        timeouts: Mapping[str, float | None],
        total: float | None,
    ) -> tuple[int, str | None, bytes]:
        sent = b"".join([chunk async for chunk in body])
        site = url[: url.index("/", len("http://"))]
        self.calls.append(
            {
                "url": url,
                "headers": {name.lower(): value for name, value in headers},
                "form": dict(parse_qsl(sent.decode())),
                "timeouts": dict(timeouts),
                "total": total,
            }
        )
        step = self.scripts[site].pop(0)
        if isinstance(step, tuple):
            return step
        raise step(f"scripted {step.__name__}")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.httpx_requests += 1
        raise AssertionError("the client should have used the bytes path")

    def sites(self) -> list[str]:
        return [call["url"].split("/sys/")[0] for call in self.calls]


def client(transport: Scripted, **options: Any) -> smsc.AsyncSMSCClient:
    options.setdefault("mirrors", [MIRROR])
    return smsc.AsyncSMSCClient(
        login="alice",
        password="s3cret-password",
        host=PRIMARY,
        allow_http=True,
        transport=transport,
        **options,
    )


async def test_a_send_goes_through_exchange_with_the_sdk_headers_and_form() -> None:
    transport = Scripted(primary=[(200, None, SENT)])
    async with client(transport, timeout=7.0, retry_deadline=60.0) as sdk:
        result = await sdk.send("79991234567", "Hi", id="order-1")
    assert (result.id, result.count, result.cost) == ("m-1", 1, Decimal("1.80"))
    assert transport.httpx_requests == 0
    [call] = transport.calls
    assert call["url"] == f"{PRIMARY}/sys/send.php"
    assert call["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert call["headers"]["user-agent"].startswith("smsc-async/")
    assert "gzip" in call["headers"]["accept-encoding"]
    assert call["form"]["login"] == "alice"
    assert call["form"]["psw"] == "s3cret-password"
    assert (call["form"]["fmt"], call["form"]["phones"], call["form"]["id"]) == (
        "3",
        "79991234567",
        "order-1",
    )
    assert call["timeouts"]["read"] == 7.0
    # The deadline's backstop is handed to the transport as its total timeout.
    assert call["total"] is not None
    assert 59.0 < call["total"] <= 60.0 + 0.05 + 1e-6


async def test_a_send_that_never_left_moves_to_the_mirror() -> None:
    transport = Scripted(primary=[httpx.ConnectError], mirror=[(200, None, SENT)])
    async with client(transport) as sdk:
        result = await sdk.send("79991234567", "Hi")
    assert result.id == "m-1"
    assert transport.sites() == [PRIMARY, MIRROR]
    assert sdk.site_stats[PRIMARY].failures == 1


@pytest.mark.parametrize("failure", [httpx.ReadError, httpx.ReadTimeout, httpx.WriteError])
async def test_a_send_that_may_have_left_is_never_repeated(
    failure: type[httpx.TransportError],
) -> None:
    transport = Scripted(primary=[failure], mirror=[(200, None, SENT)])
    async with client(transport) as sdk:
        with pytest.raises(smsc.SendOutcomeUnknownError) as info:
            await sdk.send("79991234567", "Hi", id="order-2")
    assert info.value.message_id == "order-2"
    assert transport.sites() == [PRIMARY]


@pytest.mark.parametrize(
    "first", [httpx.ReadError, (200, None, b'{"balance": "1'), (503, None, b"")]
)
async def test_a_query_is_repeated_on_the_mirror_after_it_may_have_left(first: Step) -> None:
    transport = Scripted(primary=[first], mirror=[(200, None, BALANCE)])
    async with client(transport) as sdk:
        balance = await sdk.balance()
    assert balance.amount == Decimal("12.50")
    assert transport.sites() == [PRIMARY, MIRROR]


async def test_a_compressed_answer_is_decoded_and_an_undecodable_send_is_unknown() -> None:
    transport = Scripted(
        primary=[(200, "gzip", gzip.compress(BALANCE)), (200, "gzip", b"not gzip at all")]
    )
    async with client(transport, mirrors=[]) as sdk:
        assert (await sdk.balance()).amount == Decimal("12.50")
        with pytest.raises(smsc.SendOutcomeUnknownError):
            await sdk.send("79991234567", "Hi")
    assert len(transport.calls) == 2


async def test_an_error_status_of_a_send_is_an_unknown_outcome_without_a_repeat() -> None:
    transport = Scripted(primary=[(502, None, b"bad gateway")], mirror=[(200, None, SENT)])
    async with client(transport) as sdk:
        with pytest.raises(smsc.SendOutcomeUnknownError):
            await sdk.send("79991234567", "Hi")
    assert transport.sites() == [PRIMARY]


async def test_the_bytes_path_and_the_httpx_path_share_the_sites_health() -> None:
    transport = Scripted(primary=[httpx.ConnectError], mirror=[(200, None, BALANCE)])
    failover = FailoverTransport(transport, [PRIMARY, MIRROR], cooldown=30.0)
    status, body = await failover.send_bytes(
        "/sys/balance.php",
        (),
        FormBody(b"login=a&psw=b"),
        {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0},
        CallPolicy(may_repeat=True, operation="balance", deadline=None),
    )
    assert (status, body) == (200, BALANCE)
    # The primary failed on the bytes path: an httpx request through the same transport
    # skips it while it cools down.
    transport.scripts[MIRROR].append((200, None, BALANCE))
    chosen = failover._choose(set())
    assert not isinstance(chosen, Exception)
    assert chosen == (failover._sites[1], False)
    assert failover.stats[PRIMARY].failures == 1


async def test_a_deadline_already_passed_sends_nothing() -> None:
    transport = Scripted(primary=[(200, None, SENT)])
    failover = FailoverTransport(transport, [PRIMARY])
    with pytest.raises(httpx.ConnectTimeout):
        await failover.send_bytes(
            "/sys/send.php",
            (),
            FormBody(b"x=1"),
            {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0},
            CallPolicy(may_repeat=False, operation="send", deadline=time.monotonic() - 1.0),
        )
    assert transport.calls == []


async def test_timeouts_are_clamped_to_what_is_left_of_the_deadline() -> None:
    transport = Scripted(primary=[(200, None, BALANCE)])
    failover = FailoverTransport(transport, [PRIMARY])
    await failover.send_bytes(
        "/sys/balance.php",
        (),
        FormBody(b"x=1"),
        {"connect": 30.0, "read": 30.0, "write": 30.0, "pool": 30.0},
        CallPolicy(may_repeat=True, operation="balance", deadline=time.monotonic() + 2.0),
    )
    [call] = transport.calls
    assert all(0 < value <= 2.0 for value in call["timeouts"].values())
    assert call["total"] <= 2.0 + 0.05


async def test_send_bytes_needs_a_transport_with_exchange() -> None:
    failover = FailoverTransport(httpx.MockTransport(lambda r: httpx.Response(200)), [PRIMARY])
    with pytest.raises(TypeError, match="bytes path"):
        await failover.send_bytes(
            "/sys/balance.php",
            (),
            FormBody(b"x=1"),
            {},
            CallPolicy(may_repeat=True, operation="balance", deadline=None),
        )


async def test_a_client_over_a_plain_httpx_transport_keeps_the_httpx_path() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, content=BALANCE)

    async with client(httpx.MockTransport(answer), mirrors=[]) as sdk:  # type: ignore[arg-type]
        assert (await sdk.balance()).amount == Decimal("12.50")
    assert len(calls) == 1


async def test_a_transport_with_an_unrelated_exchange_method_keeps_the_httpx_path() -> None:
    class Unrelated(httpx.AsyncBaseTransport):
        """Has a method named exchange, but never declared the SDK's bytes path."""

        async def exchange(self, *args: object) -> None:
            raise AssertionError("not the SDK's bytes path")

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=BALANCE)

    async with client(Unrelated(), mirrors=[]) as sdk:  # type: ignore[arg-type]
        assert (await sdk.balance()).amount == Decimal("12.50")


async def test_a_with_options_copy_sends_on_the_bytes_path_with_its_own_settings() -> None:
    transport = Scripted(primary=[(200, None, BALANCE), (200, None, BALANCE)])
    async with client(transport, timeout=30.0) as sdk:
        fast = sdk.with_options(
            timeout=2.0, connect_timeout=1.0, login=None, password=None, api_key="k-123"
        )
        await fast.balance()
        await sdk.balance()
    copy_call, parent_call = transport.calls
    assert (copy_call["timeouts"]["read"], copy_call["timeouts"]["connect"]) == (2.0, 1.0)
    assert copy_call["form"].get("apikey") == "k-123"
    assert "psw" not in copy_call["form"]
    assert parent_call["timeouts"]["read"] == 30.0
    assert parent_call["form"]["psw"] == "s3cret-password"
    assert transport.httpx_requests == 0


def test_a_call_policy_is_read_from_the_documented_extensions() -> None:
    policy = CallPolicy.of_extensions(
        {"smsc_may_repeat": True, "smsc_operation": "status", "smsc_deadline": 5, "x": 1}
    )
    assert policy == CallPolicy(may_repeat=True, operation="status", deadline=5.0)
    # Anything but True is handled like a send: never repeated once it may have left.
    assert CallPolicy.of_extensions({"smsc_may_repeat": "yes"}).may_repeat is False


def test_a_call_policy_given_whole_wins_over_the_single_keys() -> None:
    given = CallPolicy(may_repeat=False, operation="send")
    found = CallPolicy.of_extensions({"smsc_policy": given, "smsc_may_repeat": True})
    assert found is given
    assert CallPolicy.of_extensions(given.extensions()) is given
