"""History, received messages, statistics, prices and operator lookup against the emulator,
in-process (ASGI) and over real loopback sockets; received-message callbacks it POSTs are
verified by ``smsc.callbacks``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timezone
from decimal import Decimal

import httpx
import pytest

import smsc
from smsc import AsyncSMSCClient, MessageFormat, MessageType, StatusCode
from smsc.callbacks import is_incoming_callback, parse_incoming_callback
from smsc.testing import HLRRecord, SMSCEmulator

LOGIN, PASSWORD = "shop", "shop-password"
PHONE, OTHER = "79991234567", "79997654321"
SECRET = "callback-secret"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account(
            LOGIN,
            PASSWORD,
            balance=Decimal("100.00"),
            callback_url="https://app.test/smsc",
            callback_secret=SECRET,
        )
        yield emu


@pytest.fixture(params=["in-process", pytest.param("sockets", marks=pytest.mark.integration)])
async def client(
    request: pytest.FixtureRequest, emulator: SMSCEmulator
) -> AsyncIterator[AsyncSMSCClient]:
    if request.param == "in-process":
        transport = httpx.ASGITransport(app=emulator.app)
        async with AsyncSMSCClient(
            login=LOGIN, password=PASSWORD, host="https://emulator.test", transport=transport
        ) as c:
            yield c
    else:
        async with (
            emulator.serve(ports=[0]) as (site,),
            AsyncSMSCClient(login=LOGIN, password=PASSWORD, host=site.url, allow_http=True) as c,
        ):
            yield c


def today(emulator: SMSCEmulator) -> date:
    return datetime.fromtimestamp(emulator.clock.now(), tz=smsc._wire.MOSCOW).date()


async def test_history_is_what_was_sent_newest_first(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    first = await client.send(PHONE, "Your code: 1234", sender="SHOP")
    second = await client.send(OTHER, "Your order shipped")
    mail = await client.send("user@example.com", "Receipt", format=MessageFormat.MAIL)
    day = today(emulator)

    everything = [m async for m in client.history.messages(start=day, end=day)]
    assert [m.id for m in everything] == [mail.id, second.id, first.id]
    newest_sms = everything[1]
    assert (newest_sms.phone, newest_sms.message, newest_sms.cost) == (
        OTHER,
        "Your order shipped",
        second.cost,
    )
    assert newest_sms.status is StatusCode.PENDING
    assert newest_sms.sent_at is not None
    assert newest_sms.sent_at.tzinfo is not None
    assert everything[2].sender == "SHOP"

    to_phone = [m.id async for m in client.history.messages(start=day, end=day, phones=PHONE)]
    assert to_phone == [first.id]
    mails = client.history.messages(start=day, end=day, type=MessageType.MAIL)
    assert [m.id async for m in mails] == [mail.id]
    by_address = client.history.messages(start=day, end=day, emails="user@example.com")
    assert [m.id async for m in by_address] == [mail.id]


async def test_history_of_another_period_is_empty(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    await client.send(PHONE, "hi")
    earlier = date(2023, 1, 1)
    assert [m async for m in client.history.messages(start=earlier, end=earlier)] == []


async def test_incoming_messages_and_their_filters(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    one = emulator.receive_message(LOGIN, PHONE, "Yes", to_phone="79000000001")
    two = emulator.receive_message(LOGIN, OTHER, "No", to_phone="79000000002")

    received = [m async for m in client.incoming.messages(hours=1)]
    assert [(m.id, m.phone, m.message) for m in received] == [
        (one.id, PHONE, "Yes"),
        (two.id, OTHER, "No"),
    ]
    assert received[0].to_phone == "79000000001"
    assert received[0].received_at == datetime.fromtimestamp(one.received_at, tz=timezone.utc)
    newer = [m.id async for m in client.incoming.messages(after_id=one.id)]
    assert newer == [two.id]
    to_second = [m.id async for m in client.incoming.messages(to_phones="79000000002")]
    assert to_second == [two.id]


async def test_statistics_count_what_was_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    sent = await client.send([PHONE, OTHER], "hi")
    day = today(emulator)
    stats = await client.account.statistics(start=day, end=day, account_currency=True)
    assert stats.login == LOGIN
    assert stats.sms_count == sent.count
    assert stats.spent == sent.cost
    assert stats.extra == {}  # no invented balance
    assert stats.currency
    electronic = await client.account.statistics(start=day, end=day, electronic_balance=True)
    assert electronic.sms_count == 0
    assert electronic.spent == Decimal("0.00")


async def test_prices_are_decimal_per_zone(client: AsyncSMSCClient) -> None:
    zones = await client.account.prices()
    assert zones
    assert all(isinstance(zone.sms, Decimal) for zone in zones)
    assert zones[-1].name == "*"


async def test_operator_lookup_and_its_errors(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.set_hlr(PHONE, HLRRecord(operator="Билайн", mcc="250", mnc="99"))
    emulator.set_operator_unknown(OTHER)

    found = await client.operators.lookup(PHONE)
    assert (found.phone, found.operator, found.mcc, found.mnc) == (PHONE, "Билайн", "250", "99")
    (listed,) = await client.operators.lookup_many([PHONE])
    assert listed.operator == "Билайн"
    with pytest.raises(smsc.OperatorNotFoundError):
        await client.operators.lookup(OTHER)


async def test_a_fourth_identical_operator_lookup_in_a_minute_is_error_9(
    client: AsyncSMSCClient,
) -> None:
    for _ in range(3):
        await client.operators.lookup(PHONE)
    with pytest.raises(smsc.TooManyRequestsError) as caught:
        await client.operators.lookup(PHONE)
    assert caught.value.retry_after == 60.0
    assert (await client.operators.lookup(OTHER)).phone == OTHER  # another number is fine


async def test_the_received_message_callback_of_the_emulator_is_verified(
    emulator: SMSCEmulator,
) -> None:
    posted: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posted.append(dict(httpx.QueryParams(request.content.decode())))
        return httpx.Response(200)

    emulator.callbacks.use_transport(httpx.MockTransport(handler))
    sent = emulator.receive_message(LOGIN, PHONE, "Stop, please", to_phone="79000000001")
    await emulator.deliver_callbacks(check=True)

    (fields,) = posted
    assert is_incoming_callback(fields)
    callback = parse_incoming_callback(fields, secrets=SECRET)
    assert (callback.id, callback.phone, callback.message) == (sent.id, PHONE, "Stop, please")
    assert callback.to_phone == "79000000001"
    assert callback.verified
    with pytest.raises(smsc.CallbackSignatureError):
        parse_incoming_callback(fields, secrets="another-secret")
