"""The client against the emulator, in-process (ASGI) and over real loopback sockets.

Every test runs twice: once through ``httpx.ASGITransport`` and once through the emulator's
socket site, so what the SDK sees on the wire is the same either way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

import smsc
from smsc import AsyncSMSCClient, MessageFormat, StatusCode, StatusDetail, Translit
from smsc.testing import Fault, HLRRecord, SMSCEmulator

LOGIN, PASSWORD, API_KEY = "shop", "shop-password", "shop-api-key"
PHONE = "79991234567"
OTHER = "79997654321"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account(LOGIN, PASSWORD, api_key=API_KEY, balance=Decimal("100.00"))
        yield emu


@pytest.fixture(params=["in-process", pytest.param("sockets", marks=pytest.mark.integration)])
async def base_url(request: pytest.FixtureRequest, emulator: SMSCEmulator) -> AsyncIterator[str]:
    if request.param == "in-process":
        yield "https://emulator.test"
    else:
        async with emulator.serve(ports=[0]) as (site,):
            yield site.url


def _client(emulator: SMSCEmulator, base_url: str, **options: object) -> AsyncSMSCClient:
    settings: dict[str, object] = {"host": base_url}
    if "api_key" not in options:
        settings.update(login=LOGIN, password=PASSWORD)
    settings.update(options)
    if base_url.startswith("https://"):
        settings["transport"] = httpx.ASGITransport(app=emulator.app)
    else:
        settings["allow_http"] = True  # loopback
    return AsyncSMSCClient(**settings)  # type: ignore[arg-type]


@pytest.fixture
async def client(emulator: SMSCEmulator, base_url: str) -> AsyncIterator[AsyncSMSCClient]:
    async with _client(emulator, base_url) as c:
        yield c


async def test_send_is_billed_and_reaches_delivered(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    result = await client.send(PHONE, "Hello from the SDK")
    assert (result.count, result.cost, result.balance) == (1, Decimal("1.80"), Decimal("98.20"))
    assert (await client.status(result.id, PHONE)).status is StatusCode.PENDING
    emulator.advance(60)
    status = await client.status(result.id, PHONE, detail=StatusDetail.FULL)
    assert status.status is StatusCode.DELIVERED
    assert status.message == "Hello from the SDK"
    assert status.cost == Decimal("1.80")
    assert (await client.balance()).amount == Decimal("98.20")


async def test_long_cyrillic_text_is_billed_per_part_and_translit_saves_parts(
    client: AsyncSMSCClient,
) -> None:
    text = "Привет" * 20  # 120 Cyrillic letters: 2 parts in UCS-2, 1 part transliterated
    plain = await client.cost(PHONE, text)
    latin = await client.cost(PHONE, text, translit=Translit.LATIN)
    assert (plain.count, latin.count) == (2, 1)


async def test_maxsms_caps_the_parts_billed(client: AsyncSMSCClient) -> None:
    quote = await client.cost(PHONE, "x" * 700, maxsms=2)
    assert quote.count == 2


async def test_send_to_two_numbers_counts_both(client: AsyncSMSCClient) -> None:
    result = await client.send([PHONE, OTHER], "hi")
    assert result.count == 2
    statuses = await client.status_many([(result.id, PHONE), (result.id, OTHER)])
    assert [s.phone for s in statuses] == [PHONE, OTHER]


async def test_hlr_request_reports_hlr_fields(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    result = await client.send(PHONE, format=MessageFormat.HLR)
    emulator.advance(60)
    status = await client.status(result.id, PHONE)
    assert status.hlr is not None
    assert status.hlr.mcc == "250"


async def test_hlr_status_with_operator_decodes_every_field(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    # all=2 on an HLR request: the subscriber, operator and full fields all land in place.
    emulator.set_hlr(PHONE, HLRRecord(country="Россия", operator="МТС", region="Москва"))
    result = await client.send(PHONE, format=MessageFormat.HLR)
    emulator.advance(60)
    status = await client.status(result.id, PHONE, detail=StatusDetail.FULL_WITH_OPERATOR)
    assert (status.country, status.operator, status.region) == ("Россия", "МТС", "Москва")
    assert (status.sender, status.phone) == ("HLR", PHONE)
    assert status.hlr is not None
    assert status.hlr.mcc == "250"


async def test_unknown_message_is_not_found(client: AsyncSMSCClient) -> None:
    status = await client.status("no-such-id", PHONE)
    assert status.status is StatusCode.NOT_FOUND


async def test_wrong_password_raises_authentication_error(
    emulator: SMSCEmulator, base_url: str
) -> None:
    async with _client(emulator, base_url, password="wrong") as client:
        with pytest.raises(smsc.AuthenticationError):
            await client.balance()


async def test_api_key_authenticates(emulator: SMSCEmulator, base_url: str) -> None:
    async with _client(emulator, base_url, api_key=API_KEY) as client:
        assert (await client.balance()).amount == Decimal("100.00")


async def test_not_enough_money_raises_with_message_id(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.account(LOGIN).balance = Decimal("0.50")
    with pytest.raises(smsc.InsufficientFundsError) as caught:
        await client.send(PHONE, "hi", id="order-3")
    assert caught.value.message_id == "order-3"


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (6, smsc.MessageDeniedError),
        (7, smsc.InvalidPhoneError),
        (8, smsc.UndeliverableError),
    ],
)
async def test_injected_send_errors_raise_their_class(
    client: AsyncSMSCClient,
    emulator: SMSCEmulator,
    code: int,
    error_class: type[smsc.APIError],
) -> None:
    emulator.fail_next_sends(PHONE, code)
    with pytest.raises(error_class) as caught:
        await client.send(PHONE, "hi", id=41)
    assert caught.value.message_id == 41
    assert (await client.send(PHONE, "hi again")).count == 1


async def test_identical_send_within_a_minute_is_error_9_and_not_repeated(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    await client.send(PHONE, "same text", id=5)
    with pytest.raises(smsc.TooManyRequestsError) as caught:
        await client.send(PHONE, "same text", id=5)
    assert caught.value.retry_after == 60.0
    assert len(emulator.messages_to(PHONE)) == 1


async def test_repeated_bad_logins_lock_the_ip_out(emulator: SMSCEmulator, base_url: str) -> None:
    async with _client(emulator, base_url, password="wrong") as client:
        for _ in range(5):
            with pytest.raises(smsc.AuthenticationError):
                await client.balance()
        with pytest.raises(smsc.IPBlockedError) as caught:
            await client.balance()
    assert caught.value.retryable


async def test_cost_query_sends_nothing(client: AsyncSMSCClient, emulator: SMSCEmulator) -> None:
    await client.cost(PHONE, "only a quote")
    assert emulator.messages_to(PHONE) == []


@pytest.mark.integration
async def test_mirror_serves_when_the_primary_refuses(emulator: SMSCEmulator) -> None:
    async with emulator.serve(ports=[0, 0]) as (primary, mirror):
        await primary.set_fault(Fault.REFUSE)
        async with AsyncSMSCClient(
            login=LOGIN,
            password=PASSWORD,
            host=primary.url,
            mirrors=[mirror.url],
            allow_http=True,
        ) as client:
            result = await client.send(PHONE, "via the mirror")
        assert result.count == 1
        assert len(emulator.messages_to(PHONE)) == 1
        assert mirror.requests == 1


@pytest.mark.integration
async def test_failover_hook_and_site_stats_show_which_site_served(
    emulator: SMSCEmulator,
) -> None:
    events: list[smsc.FailoverEvent] = []
    async with emulator.serve(ports=[0, 0]) as (primary, mirror):
        await primary.set_fault(Fault.HTTP_500)
        async with AsyncSMSCClient(
            login=LOGIN,
            password=PASSWORD,
            host=primary.url,
            mirrors=[mirror.url],
            allow_http=True,
            on_failover_event=events.append,
        ) as client:
            balance = await client.balance()
            stats = client.site_stats
    assert balance.amount == Decimal("100.00")
    assert stats[primary.url].failures == 1
    assert stats[mirror.url].requests == 1
    assert [(e.kind, e.site) for e in events if e.kind in ("failure", "switch")] == [
        ("failure", primary.url),
        ("switch", mirror.url),
    ]


async def test_borrowed_http_client_has_no_site_stats(emulator: SMSCEmulator) -> None:
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport) as http:
        client = AsyncSMSCClient(
            login=LOGIN, password=PASSWORD, host="https://emulator.test", http_client=http
        )
        assert (await client.balance()).amount == Decimal("100.00")
        assert client.site_stats == {}


async def test_delete_removes_a_sent_message_and_a_second_delete_is_refused(
    client: AsyncSMSCClient,
) -> None:
    sent = await client.send(PHONE, "hello")
    deleted = await client.delete(sent.id, PHONE)
    assert (deleted.id, deleted.phone) == (sent.id, PHONE)
    assert (await client.status(sent.id, PHONE)).status is StatusCode.NOT_FOUND
    with pytest.raises(smsc.DeleteError) as refused:
        await client.delete(sent.id, PHONE)
    assert (refused.value.code, refused.value.command) == (5, "delete")
