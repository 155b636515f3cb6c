"""Review of the SDK core: argument forms, with_options, closing, config hosts, odd answers."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import httpx
import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    ConfigurationError,
    InvalidResponseError,
    MessageFormat,
    RequestValidationError,
    SendOutcomeUnknownError,
    SMSCConfig,
    SMSCError,
)
from smsc._base_client import InFlightCap
from smsc._rules.recipients import validate_message
from smsc._wire.commands import decode_status
from smsc._wire.forms import credential_fields

from .conftest import (
    API_KEY,
    BALANCE_URL,
    LOGIN,
    PASSWORD,
    SEND_URL,
    STATUS_URL,
    form_of,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}
STATUS = {"status": 1, "last_timestamp": 1577550022}
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


# --------------------------------------------------------------------------- status recipients


@pytest.mark.parametrize("recipient", ["@shop_user", "#123456789", "shop_user"])
async def test_status_of_a_telegram_message_is_asked_by_its_recipient(
    client: AsyncSMSCClient, wire: respx.MockRouter, recipient: str
) -> None:
    wire.post(SEND_URL).mock(return_value=json_response(SENT))
    route = wire.post(STATUS_URL).mock(return_value=json_response(STATUS))
    sent = await client.send(recipient, "code 1234", format=MessageFormat.TELEGRAM)
    status = await client.status(sent.id, recipient)
    assert form_of(route.calls.last.request)["phone"] == recipient
    assert status.phone == recipient


async def test_status_many_mixes_phones_mail_and_telegram(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(return_value=json_response([STATUS, STATUS, STATUS]))
    result = await client.status_many([(1, PHONE), (2, "user@example.com"), (3, "@shop_user")])
    assert form_of(route.calls.last.request)["phone"] == f"{PHONE},user@example.com,@shop_user,"
    assert [s.phone for s in result] == [PHONE, "user@example.com", "@shop_user"]


async def test_status_of_a_contact_group_is_refused(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(return_value=json_response(STATUS))
    with pytest.raises(RequestValidationError) as caught:
        await client.status(1, "G12")
    assert caught.value.field == "phone"
    assert not route.called


@pytest.mark.parametrize("phone", [79991234567, None, b"79991234567"])
async def test_status_names_the_phone_argument_for_a_non_string(
    client: AsyncSMSCClient, phone: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.status(1, phone)  # type: ignore[arg-type]
    assert caught.value.field == "phone"


@pytest.mark.parametrize("item", [(1, PHONE, 3), (1,), 5, None])
async def test_status_many_refuses_a_malformed_pair_with_the_sdk_error(
    client: AsyncSMSCClient, item: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.status_many([item])  # type: ignore[list-item]
    assert caught.value.field == "messages"


# --------------------------------------------------------------------------- send arguments


@pytest.mark.parametrize(
    ("typed", "extra"),
    [
        ({"translit": 0}, {"translit": 1}),
        ({"sender": "Shop"}, {"sender": "Other"}),
        ({"maxsms": 2}, {"maxsms": 5}),
        ({"tinyurl": False}, {"tinyurl": 1}),
        ({"valid": 2}, {"valid": "24"}),
        ({"format": MessageFormat.VIBER}, {"viber": 0}),
        ({"format": MessageFormat.VIBER}, {"flash": 1}),
        ({}, {"hlr": 1}),
    ],
)
async def test_extra_may_not_contradict_a_typed_argument(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    typed: dict[str, object],
    extra: dict[str, str | int],
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", extra=extra, **typed)  # type: ignore[arg-type]
    assert caught.value.field == "extra"
    assert not route.called


@pytest.mark.parametrize(
    ("value", "wire_value"),
    [(Decimal("0.5"), "0.5"), (0.5, "0.5"), (1e-05, "0.00001"), (Decimal("24"), "24")],
)
async def test_extra_takes_decimal_numbers(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: object, wire_value: str
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send(PHONE, "hi", extra={"period": value, "freq": 30})  # type: ignore[dict-item]
    assert form_of(route.calls.last.request)["period"] == wire_value


@pytest.mark.parametrize("value", [float("nan"), Decimal("Infinity"), None, [1]])
async def test_extra_refuses_values_that_are_not_numbers_or_strings(
    client: AsyncSMSCClient, value: object
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", extra={"period": value})  # type: ignore[dict-item]
    assert caught.value.field == "extra"


@pytest.mark.parametrize("value", ["0", "no", 2])
async def test_tinyurl_refuses_values_that_are_not_a_flag(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: object
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(PHONE, "hi", tinyurl=value)  # type: ignore[arg-type]
    assert caught.value.field == "tinyurl"
    assert not route.called


@pytest.mark.parametrize(("value", "wire_value"), [(True, "1"), (False, "0"), (1, "1"), (0, "0")])
async def test_tinyurl_takes_a_bool_or_its_number(
    client: AsyncSMSCClient, wire: respx.MockRouter, value: bool, wire_value: str
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send(PHONE, "hi", tinyurl=value)
    assert form_of(route.calls.last.request)["tinyurl"] == wire_value


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


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("timestamp", [10**15, -(10**15), "99999999999999999999"])
def test_status_with_an_impossible_timestamp_falls_back_to_the_date(timestamp: object) -> None:
    body = json.dumps(
        {"status": 1, "last_timestamp": timestamp, "last_date": "28.12.2019 19:20:22"}
    ).encode()
    (status,) = decode_status(body, requested=[(1, PHONE)])
    assert status.last_change is not None
    assert status.last_change.isoformat() == "2019-12-28T16:20:22+00:00"


# --------------------------------------------------------------------------- cancellation


async def test_cancelled_sends_give_their_slots_back() -> None:
    entered = asyncio.Event()
    gate = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        if b"hold" in request.content:
            entered.set()
            await gate.wait()
        return json_response(SENT)

    async with AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        transport=httpx.MockTransport(answer),
        max_concurrency=1,
        failover=False,
    ) as client:
        assert isinstance(client._limiter, InFlightCap)
        slots = client._limiter.slot()
        in_flight = asyncio.create_task(client.send(PHONE, "hold"))
        await entered.wait()
        queued = [asyncio.create_task(client.send(PHONE, f"queued {n}")) for n in range(2)]
        for _ in range(100):  # let both reach the request cap's queue
            if len(slots._waiters or ()) == 2:
                break
            await asyncio.sleep(0)
        assert len(slots._waiters or ()) == 2
        # The slot freed by the cancelled send is handed to a waiter that is cancelled too.
        in_flight.cancel()
        queued[0].cancel()
        result = await asyncio.wait_for(queued[1], timeout=5)
        assert result.id == 7
        await asyncio.gather(in_flight, queued[0], return_exceptions=True)
        assert not slots.locked()
        await asyncio.wait_for(client.send(PHONE, "after"), timeout=5)


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
