"""Sender IDs, contacts, templates and sub-clients: the exact form each call sends, the result
it reads from each answer shape, and the error class of every code of its table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from smsc import (
    AsyncSMSCClient,
    BlacklistEntry,
    Contact,
    ContactGroup,
    InvalidResponseError,
    OperatorTemplate,
    OperatorTemplateKind,
    OutcomeUnknownError,
    Sender,
    SenderRegistration,
    SendOutcomeUnknownError,
    SubClientStats,
    SubClientType,
    Template,
)
from smsc._wire import COMMANDS

from .conftest import form_of, json_response

Call = Callable[[AsyncSMSCClient], Awaitable[Any]]
OK = {"result": "OK"}
BASE = "https://smsc.ru/sys/"

# (call, path, form fields besides login/psw/fmt/charset, answer, result)
CASES: list[tuple[str, Call, str, dict[str, str], Any, Any]] = [
    (
        "senders.list",
        lambda c: c.senders.list(),
        "senders.php",
        {"get": "1"},
        [{"id": 3, "sender": "Shop", "cmt": "main", "status": 1}],
        [Sender(id=3, name="Shop", comment="main", extra={"status": 1})],
    ),
    ("senders.list empty", lambda c: c.senders.list(), "senders.php", {"get": "1"}, [], []),
    (
        "senders.list of every name",
        lambda c: c.senders.list(every=True),
        "senders.php",
        {"get": "1", "all": "1"},
        [],
        [],
    ),
    (
        "senders.add with operator registrations",
        lambda c: c.senders.add(
            "Shop",
            register=[SenderRegistration.MTS_PAID, SenderRegistration.TELE2_FREE],
        ),
        "senders.php",
        {"add": "1", "sender": "Shop", "cmt": "", "mts_step": "1", "tele2": "1"},
        {"id": 12},
        12,
    ),
    (
        "senders.change with a registration",
        lambda c: c.senders.change(
            id=12, comment="x", register={SenderRegistration.MEGAFON_COMMON_NAME}
        ),
        "senders.php",
        {"chg": "1", "id": "12", "cmt": "x", "mega_int": "1"},
        OK,
        None,
    ),
    (
        "senders.add",
        lambda c: c.senders.add("Shop", comment="for orders"),
        "senders.php",
        {"add": "1", "sender": "Shop", "cmt": "for orders"},
        {"id": 12},
        12,
    ),
    (
        "senders.change",
        lambda c: c.senders.change("Shop", comment="x"),
        "senders.php",
        {"chg": "1", "sender": "Shop", "cmt": "x"},
        OK,
        None,
    ),
    (
        "senders.change by id",
        lambda c: c.senders.change(id=12, comment=""),
        "senders.php",
        {"chg": "1", "id": "12", "cmt": ""},
        OK,
        None,
    ),
    (
        "senders.delete",
        lambda c: c.senders.delete(id=12),
        "senders.php",
        {"del": "1", "id": "12"},
        OK,
        None,
    ),
    (
        "senders.send_code",
        lambda c: c.senders.send_code("79991234567"),
        "senders.php",
        {"send_code": "1", "sender": "79991234567"},
        OK,
        None,
    ),
    (
        "senders.confirm",
        lambda c: c.senders.confirm("79991234567", "4821"),
        "senders.php",
        {"check_code": "1", "sender": "79991234567", "code": "4821"},
        OK,
        None,
    ),
    (
        "contacts.list",
        lambda c: c.contacts.list(group=5),
        "phones.php",
        {"get": "1", "grp": "5"},
        [{"id": 1, "phone": "79991234567", "grp": "5;7", "name": "Alex"}],
        [Contact(id=1, phone="79991234567", groups=(5, 7), name="Alex")],
    ),
    (
        "contacts.add",
        lambda c: c.contacts.add("+7 (999) 123-45-67", name="Alex", group=5),
        "phones.php",
        {"add": "1", "phone": "+79991234567", "name": "Alex", "grp": "5"},
        {"id": 44},
        44,
    ),
    (
        "contacts.change",
        lambda c: c.contacts.change("79991234567", new_phone="79997654321", name="Al"),
        "phones.php",
        {"chg": "1", "phone": "79991234567", "new_phone": "79997654321", "name": "Al"},
        OK,
        None,
    ),
    (
        "contacts.delete",
        lambda c: c.contacts.delete("79991234567"),
        "phones.php",
        {"del": "1", "phone": "79991234567"},
        OK,
        None,
    ),
    (
        "contacts.groups",
        lambda c: c.contacts.groups(),
        "phones.php",
        {"get_group": "1"},
        [{"id": 5, "cnt": 2, "name": "Customers"}],
        [ContactGroup(id=5, count=2, name="Customers")],
    ),
    (
        "contacts.add_group",
        lambda c: c.contacts.add_group("Customers"),
        "phones.php",
        {"add_group": "1", "name": "Customers"},
        {"id": 5},
        5,
    ),
    (
        "contacts.rename_group",
        lambda c: c.contacts.rename_group(5, "VIP"),
        "phones.php",
        {"chg_group": "1", "grp": "5", "name": "VIP"},
        OK,
        None,
    ),
    (
        "contacts.delete_group",
        lambda c: c.contacts.delete_group(5),
        "phones.php",
        {"del_group": "1", "grp": "5"},
        OK,
        None,
    ),
    *(
        (
            f"contacts.{method}",
            (lambda c, m=method: getattr(c.contacts, m)("79991234567", 5)),
            "phones.php",
            {"move_group": mode, "grp": "5", "phone": "79991234567"},
            OK,
            None,
        )
        for method, mode in (
            ("move_to_group", "1"),
            ("add_to_group", "2"),
            ("remove_from_group", "3"),
        )
    ),
    (
        "contacts.blacklist",
        lambda c: c.contacts.blacklist(),
        "phones.php",
        {"get_black": "1"},
        [{"id": 9, "phone": "79991234567"}],
        [BlacklistEntry(id=9, phone="79991234567")],
    ),
    (
        "contacts.block",
        lambda c: c.contacts.block("79991234567"),
        "phones.php",
        {"add_black": "1", "phone": "79991234567"},
        {"id": 9},
        9,
    ),
    (
        "contacts.unblock",
        lambda c: c.contacts.unblock("79991234567"),
        "phones.php",
        {"del_black": "1", "phone": "79991234567"},
        OK,
        None,
    ),
    (
        "templates.list",
        lambda c: c.templates.list(),
        "templates.php",
        {"get": "1"},
        [{"id": 2, "name": "reminder", "message": "See you", "format": 0}],
        [Template(id=2, name="reminder", message="See you", extra={"format": 0})],
    ),
    (
        "templates.add",
        lambda c: c.templates.add("reminder", "See you"),
        "templates.php",
        {"add": "1", "name": "reminder", "msg": "See you"},
        {"id": 2},
        2,
    ),
    (
        "templates.add with the documented options",
        lambda c: c.templates.add(
            "reminder", "See you", format="viber", sender="Shop", auto_signature=True
        ),
        "templates.php",
        {
            "add": "1",
            "name": "reminder",
            "msg": "See you",
            "format": "viber",
            "sender": "Shop",
            "fl[1]": "1",
        },
        {"id": 2},
        2,
    ),
    (
        "templates.change",
        lambda c: c.templates.change(2, message="Later"),
        "templates.php",
        {"chg": "1", "id": "2", "msg": "Later"},
        OK,
        None,
    ),
    (
        "templates.change of the format only",
        lambda c: c.templates.change(2, format="sms", auto_signature=False),
        "templates.php",
        {"chg": "1", "id": "2", "format": "sms", "fl[1]": "0"},
        OK,
        None,
    ),
    (
        "templates.delete",
        lambda c: c.templates.delete(2),
        "templates.php",
        {"del": "1", "id": "2"},
        OK,
        None,
    ),
    (
        "operator_templates.add",
        lambda c: c.operator_templates.add(
            "Shop",
            "Code %s",
            kinds=[OperatorTemplateKind.MTS_AUTHORIZATION, OperatorTemplateKind.SOCIAL],
        ),
        "op_templates.php",
        {"add": "1", "sender": "Shop", "msg": "Code %s", "mts_auth": "1", "soc": "1"},
        {"id": 4},
        4,
    ),
    (
        "operator_templates.add answered OK",
        lambda c: c.operator_templates.add(
            "Shop", "Code %s", kinds={OperatorTemplateKind.MEGAFON_ADVERTISING}
        ),
        "op_templates.php",
        {"add": "1", "sender": "Shop", "msg": "Code %s", "mega_adv": "1"},
        OK,
        None,
    ),
    (
        "operator_templates.get",
        lambda c: c.operator_templates.get("Shop", "Code %s"),
        "op_templates.php",
        {"get": "1", "sender": "Shop", "msg": "Code %s"},
        [{"id": 4, "name": "mts_auth", "status": 1}],
        [OperatorTemplate(id=4, name="mts_auth", extra={"status": 1})],
    ),
    (
        "operator_templates.get of one object",
        lambda c: c.operator_templates.get("Shop", "Code %s"),
        "op_templates.php",
        {"get": "1", "sender": "Shop", "msg": "Code %s"},
        {"id": 4},
        [OperatorTemplate(id=4)],
    ),
    (
        "users.add",
        lambda c: c.users.add("shop-2", password="S3cret-pw", name="Shop two", phone="79991234567"),
        "users.php",
        {
            "add": "1",
            "user": "shop-2",
            "password": "S3cret-pw",
            "fio": "Shop two",
            "phone": "79991234567",
        },
        {"id": 31},
        31,
    ),
    (
        "users.add answered OK",
        lambda c: c.users.add("shop-2", password="S3cret-pw"),
        "users.php",
        {"add": "1", "user": "shop-2", "password": "S3cret-pw"},
        OK,
        None,
    ),
    (
        "users.change",
        lambda c: c.users.change("shop-2", new_login="shop-3", password="N3w-passw"),
        "users.php",
        {"chg": "1", "user": "shop-2", "new_login": "shop-3", "password": "N3w-passw"},
        OK,
        None,
    ),
    (
        "users.top_up",
        lambda c: c.users.top_up("shop-2", Decimal("150.50")),
        "users.php",
        {"pay": "1", "user": "shop-2", "sum": "150.50"},
        OK,
        None,
    ),
    (
        "users.add with the documented options",
        lambda c: c.users.add(
            "shop-2",
            password="S3cret-pw",
            type=SubClientType.MAIN_TARIFF,
            email="a@shop.example",
            email2="b@shop.example",
            phone2="79991234568",
            forward_to_phone=True,
            forward_to_email=False,
            site_id=3,
        ),
        "users.php",
        {
            "add": "1",
            "user": "shop-2",
            "password": "S3cret-pw",
            "type": "1",
            "email": "a@shop.example",
            "email2": "b@shop.example",
            "phone2": "79991234568",
            "fl[8]": "1",
            "fl[9]": "0",
            "site_id": "3",
        },
        {"id": 31},
        31,
    ),
    (
        "users.change of the password with the current one",
        lambda c: c.users.change("shop-2", password="N3w-passw", current_password="old"),
        "users.php",
        {"chg": "1", "user": "shop-2", "password": "N3w-passw", "pswc": "old"},
        OK,
        None,
    ),
    (
        "users.stats",
        lambda c: c.users.stats(
            date(2026, 1, 1),
            date(2026, 1, 31),
            balance="own",
            electronic_balance=True,
            account_currency=True,
            hide_deleted=True,
        ),
        "users.php",
        {
            "get_stat": "1",
            "start": "01.01.2026",
            "end": "31.01.2026",
            "reseller": "1",
            "balance2": "1",
            "mycur": "1",
            "hide_deleted": "1",
        },
        [
            {
                "login": "shop-2",
                "cnt": 7,
                "credit": "10.50",
                "debit": "150.50",
                "currency": "RUR",
                "balance": "140.00",
            }
        ],
        [
            SubClientStats(
                login="shop-2",
                messages=7,
                spent=Decimal("10.50"),
                income=Decimal("150.50"),
                currency="RUR",
                extra={"balance": "140.00"},
            )
        ],
    ),
    (
        "users.stats_detailed",
        lambda c: c.users.stats(date(2026, 1, 1), date(2026, 1, 1), balance="main", detailed=True),
        "users.php",
        {"get_stat_all": "1", "start": "01.01.2026", "end": "01.01.2026"},
        [],
        [],
    ),
    (
        "users.stats of one by id",
        lambda c: c.users.stats(date(2026, 1, 1), date(2026, 1, 1), user_id=31),
        "users.php",
        {"get_stat": "1", "start": "01.01.2026", "end": "01.01.2026", "user_id": "31"},
        [],
        [],
    ),
    (
        "users.stats of one as an object",
        lambda c: c.users.stats(date(2026, 1, 1), date(2026, 1, 1), login="shop-2"),
        "users.php",
        {"get_stat": "1", "start": "01.01.2026", "end": "01.01.2026", "user": "shop-2"},
        {"login": "shop-2", "cnt": 0, "credit": 0, "debit": 0, "currency": "RUR"},
        [
            SubClientStats(
                login="shop-2", messages=0, spent=Decimal(0), income=Decimal(0), currency="RUR"
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("call", "path", "form", "answer", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_each_call_sends_its_form_and_reads_its_answer(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    call: Call,
    path: str,
    form: dict[str, str],
    answer: Any,
    expected: Any,
) -> None:
    route = wire.post(BASE + path).mock(return_value=json_response(answer))
    assert await call(client) == expected
    sent = form_of(route.calls.last.request)
    assert sent == {"login": "alex", "psw": sent["psw"], "fmt": "3", "charset": "utf-8", **form}


GROUPS = ("senders.", "contacts.", "templates.", "operator_templates.", "users.")
ACCOUNT_SPECS = [name for name in COMMANDS if name.startswith(GROUPS)]


def _call_of(name: str) -> tuple[Call, str]:
    for case in CASES:
        if case[0] == name:
            return case[1], case[2]
    raise AssertionError(f"no case for {name}")


ERROR_CASES = [
    (name, code, cls) for name in ACCOUNT_SPECS for code, cls in COMMANDS[name].errors.items()
]


def test_every_account_data_command_has_a_case() -> None:
    assert set(ACCOUNT_SPECS) <= {case[0] for case in CASES}


@pytest.mark.parametrize(("name", "code", "cls"), ERROR_CASES)
async def test_each_error_code_raises_its_class(
    client: AsyncSMSCClient, wire: respx.MockRouter, name: str, code: int, cls: type[Exception]
) -> None:
    call, path = _call_of(name)
    wire.post(BASE + path).mock(
        return_value=json_response({"error": "some error", "error_code": code})
    )
    with pytest.raises(cls) as caught:
        await call(client)
    assert caught.value.code == code  # type: ignore[attr-defined]
    assert caught.value.command == name  # type: ignore[attr-defined]


def test_queries_repeat_and_writes_do_not() -> None:
    repeatable = {name for name in ACCOUNT_SPECS if COMMANDS[name].may_repeat}
    assert repeatable == {
        "senders.list",
        "contacts.list",
        "contacts.groups",
        "contacts.blacklist",
        "contacts.move_to_group",
        "contacts.add_to_group",
        "contacts.remove_from_group",
        "templates.list",
        "operator_templates.get",
        "users.stats",
        "users.stats_detailed",
    }


@pytest.mark.parametrize("name", [n for n in ACCOUNT_SPECS if not COMMANDS[n].may_repeat])
async def test_a_write_without_an_answer_is_an_outcome_unknown_naming_the_command(
    client: AsyncSMSCClient, wire: respx.MockRouter, name: str
) -> None:
    call, path = _call_of(name)
    route = wire.post(BASE + path).mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(OutcomeUnknownError) as caught:
        await call(client)
    assert caught.value.command == name
    assert not isinstance(caught.value, SendOutcomeUnknownError)  # nothing was sent
    assert name in str(caught.value)
    assert route.call_count == 1


@pytest.mark.parametrize("name", [n for n in ACCOUNT_SPECS if not COMMANDS[n].may_repeat])
async def test_a_write_with_an_unreadable_answer_is_an_outcome_unknown(
    client: AsyncSMSCClient, wire: respx.MockRouter, name: str
) -> None:
    call, path = _call_of(name)
    wire.post(BASE + path).mock(return_value=json_response({"result": "maybe"}))
    with pytest.raises(OutcomeUnknownError):
        await call(client)


@pytest.mark.parametrize(
    "answer", [{"result": "OK"}, [{"sender": 1}], [{"id": "x", "name": "a"}], {"id": None}, "OK"]
)
async def test_a_list_with_a_wrong_shape_is_an_invalid_answer(
    client: AsyncSMSCClient, wire: respx.MockRouter, answer: Any
) -> None:
    wire.post(BASE + "templates.php").mock(return_value=json_response(answer))
    with pytest.raises(InvalidResponseError):
        await client.templates.list()
