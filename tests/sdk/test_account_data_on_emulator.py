"""Sender IDs, contacts, templates and sub-clients against the emulator, in-process (ASGI) and
over real loopback sockets: what the SDK writes, the emulator keeps, and sends obey it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from smsc import (
    AsyncSMSCClient,
    InProcessLimiter,
    InsufficientFundsError,
    LimitExceededError,
    OperatorTemplateKind,
    ParametersError,
    SubClientType,
    TooManyRequestsError,
)
from smsc.testing import SMSCEmulator

LOGIN, PASSWORD = "shop", "shop-password"
PHONE, OTHER = "79991234567", "79997654321"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        emu.add_account(LOGIN, PASSWORD, balance=Decimal("100.00"))
        yield emu


@pytest.fixture(params=["in-process", pytest.param("sockets", marks=pytest.mark.integration)])
async def base_url(request: pytest.FixtureRequest, emulator: SMSCEmulator) -> AsyncIterator[str]:
    if request.param == "in-process":
        yield "https://emulator.test"
    else:
        async with emulator.serve(ports=[0]) as (site,):
            yield site.url


def _client(
    emulator: SMSCEmulator, base_url: str, login: str, password: str, **options: object
) -> AsyncSMSCClient:
    settings: dict[str, object] = {"host": base_url, "login": login, "password": password}
    settings.update(options)
    if base_url.startswith("https://"):
        settings["transport"] = httpx.ASGITransport(app=emulator.app)
    else:
        settings["allow_http"] = True  # loopback
    return AsyncSMSCClient(**settings)  # type: ignore[arg-type]


@pytest.fixture
async def client(emulator: SMSCEmulator, base_url: str) -> AsyncIterator[AsyncSMSCClient]:
    async with _client(emulator, base_url, LOGIN, PASSWORD) as c:
        yield c


async def test_sender_ids_are_added_changed_confirmed_and_deleted(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    record = await client.senders.add("MyShop", comment="orders")
    await client.senders.change("MyShop", comment="orders and news")
    digital = await client.senders.add(OTHER)
    listed = {s.name: s for s in await client.senders.list()}
    assert listed["MyShop"].id == record
    assert listed["MyShop"].comment == "orders and news"
    assert OTHER not in listed  # a digital sender waits for its code

    await client.senders.send_code(OTHER)
    code = emulator.directory(LOGIN).senders[OTHER].code
    assert code is not None
    with pytest.raises(ParametersError):
        await client.senders.confirm(OTHER, "0" if code != "0" else "1")
    await client.senders.confirm(OTHER, code)
    assert OTHER in {s.name for s in await client.senders.list()}

    await client.senders.delete(id=digital)
    await client.senders.delete("MyShop")
    assert await client.senders.list() == []
    with pytest.raises(ParametersError):
        await client.senders.delete("MyShop")


async def test_contacts_groups_and_group_recipients(client: AsyncSMSCClient) -> None:
    customers = await client.contacts.add_group("Customers")
    staff = await client.contacts.add_group("Staff")
    await client.contacts.add(PHONE, name="Alex", group=customers)
    await client.contacts.add(OTHER)
    await client.contacts.add_to_group(OTHER, customers)
    await client.contacts.add_to_group(OTHER, staff)
    await client.contacts.remove_from_group(OTHER, customers)
    await client.contacts.move_to_group(PHONE, staff)
    await client.contacts.rename_group(staff, "Team")

    members = await client.contacts.list(group=staff)
    assert sorted(c.phone for c in members) == [PHONE, OTHER]
    assert {g.name: g.count for g in await client.contacts.groups()} == {
        "Customers": 0,
        "Team": 2,
    }
    await client.contacts.change(PHONE, name="Alexandra")
    assert {c.phone: c.name for c in await client.contacts.list()}[PHONE] == "Alexandra"

    sent = await client.send(f"G{staff}", "Meeting at 10")
    assert sent.count == 2  # one SMS to each member of the group

    await client.contacts.delete(OTHER)
    await client.contacts.delete_group(customers)
    assert [g.name for g in await client.contacts.groups()] == ["Team"]
    assert [c.phone for c in await client.contacts.list()] == [PHONE]


async def test_blacklisted_numbers_are_listed_and_unblocked(client: AsyncSMSCClient) -> None:
    record = await client.contacts.block(OTHER)
    assert [(e.id, e.phone) for e in await client.contacts.blacklist()] == [(record, OTHER)]
    await client.contacts.unblock(OTHER)
    assert await client.contacts.blacklist() == []
    with pytest.raises(ParametersError):
        await client.contacts.unblock(OTHER)


async def test_templates_are_added_changed_and_deleted(client: AsyncSMSCClient) -> None:
    templates = client.templates
    first = await templates.add("reminder", "See you tomorrow", format="sms", sender="Shop")
    second = await templates.add("thanks", "Thank you!")
    await templates.change(first, name="visit", message="See you at 10")
    listed = {t.id: (t.name, t.message) for t in await templates.list()}
    assert listed == {first: ("visit", "See you at 10"), second: ("thanks", "Thank you!")}
    assert [t.extra for t in await templates.list() if t.id == first] == [
        {"format": "sms", "sender": "Shop"}
    ]
    await templates.delete(second)
    assert [t.id for t in await templates.list()] == [first]


async def test_operator_template_is_added_for_a_sender_and_found_by_sender_and_text(
    client: AsyncSMSCClient,
) -> None:
    kinds = {OperatorTemplateKind.TELE2_SERVICE, OperatorTemplateKind.MTS_TRANSACTIONAL}
    added = await client.operator_templates.add("Shop", "Paid: %s", kinds=kinds)
    found = await client.operator_templates.get("Shop", "Paid: %s")
    assert {(item.id, item.name) for item in found} == {
        (added, "mts_trn"),
        (added, "tele2_srv"),
    }
    assert await client.operator_templates.get("Shop", "Other text") == []
    assert await client.templates.list() == []  # the two kinds are kept apart


async def test_sub_clients_are_added_topped_up_and_counted(
    client: AsyncSMSCClient, emulator: SMSCEmulator, base_url: str
) -> None:
    await client.users.add("shop-2", password="Sub-pa55!", name="Shop two")
    await client.users.top_up("shop-2", Decimal("40.00"))
    assert (await client.balance()).amount == Decimal("60.00")
    with pytest.raises(InsufficientFundsError):
        await client.users.top_up("shop-2", Decimal("1000"))

    async with _client(emulator, base_url, "shop-2", "Sub-pa55!") as sub:
        assert (await sub.balance()).amount == Decimal("40.00")
        await sub.send(PHONE, "hello from the sub-client")

    today = date.fromtimestamp(emulator.clock.now())  # a day either side: any time zone
    period = (today - timedelta(days=1), today + timedelta(days=1))
    (stats,) = await client.users.stats(*period, login="shop-2")
    assert stats.login == "shop-2"
    assert stats.messages == 1
    assert stats.income == Decimal("40.00")
    assert stats.extra == {}  # no invented balance


async def test_sub_client_stats_by_default_cover_both_kinds_of_balance(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    """``users.add`` makes sub-clients of the default type (a balance of their own), which
    the service leaves out without ``reseller=1``: the default statistics include them."""
    await client.users.add("own-1", password="Sub-pa55!")
    await client.users.add("main-1", password="Sub-pa55!", type=SubClientType.MAIN_BALANCE)
    today = date.fromtimestamp(emulator.clock.now())
    period = (today - timedelta(days=1), today + timedelta(days=1))
    assert [s.login for s in await client.users.stats(*period)] == ["own-1", "main-1"]
    assert [s.login for s in await client.users.stats(*period, balance="own")] == ["own-1"]
    assert [s.login for s in await client.users.stats(*period, balance="main")] == ["main-1"]


async def test_a_fourth_change_of_one_sub_client_within_a_minute_is_refused(
    client: AsyncSMSCClient,
) -> None:
    await client.users.add("shop-3", password="Sub-pw-01")  # the add counts too
    await client.users.change("shop-3", name="Three")
    await client.users.change("shop-3", phone=PHONE)
    with pytest.raises(TooManyRequestsError):
        await client.users.change("shop-3", password="Sub-pw-02")


async def test_a_client_limiter_refuses_a_fourth_change_of_one_sub_client_before_sending(
    emulator: SMSCEmulator, base_url: str
) -> None:
    limiter = InProcessLimiter(clock=emulator.clock.now)
    settings: dict[str, object] = {"limiter": limiter}
    async with _client(emulator, base_url, LOGIN, PASSWORD, **settings) as client:
        await client.users.add("shop-4", password="Sub-pw-01")
        await client.users.change("shop-4", name="Four")
        await client.users.add("shop-5", password="Sub-pw-01")  # another sub-client: its own count
        await client.users.change("shop-4", phone=PHONE)
        with pytest.raises(LimitExceededError):
            await client.users.change("shop-4", name="Again")
    # The refused change never reached the service: the sub-client keeps its name.
    assert emulator.directory(LOGIN).subclients["shop-4"].fio == "Four"


async def test_a_dedicated_number_is_listed_bought_and_not_renewed(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    free = await client.numbers.available()
    assert free
    await client.numbers.buy(free[0].phone)
    assert free[0].phone not in [n.phone for n in await client.numbers.available()]
    await client.numbers.set_renewal(free[0].phone, False)
    assert emulator.directory(LOGIN).dedicated_numbers == {free[0].phone: False}


async def test_a_notification_reaches_the_task_group(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.directory(LOGIN).task_groups.add(7)
    await client.notifications.send(7, name="web", info="down")
    assert [(n.group, n.name, n.info) for n in emulator.directory(LOGIN).notifications] == [
        (7, "web", "down")
    ]
