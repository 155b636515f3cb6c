"""Conformance of ``templates.php``, ``op_templates.php`` and ``users.php``."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, PHONE, call, call_json, send

OK = {"result": "OK"}

# ------------------------------------------------------------------ templates


async def test_template_list_has_the_documented_shape_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.7: ``get=1`` lists ``id``, ``name`` and ``message`` (and the options)."""
    template = emulator.directory(LOGIN).add_template("Code", "Your code, %CODE%")
    answers = [await call(http, "templates", get=1, fmt=fmt) for fmt in range(4)]
    tid = template.id
    assert answers == [
        f"id = {tid}, name = Code, format = , sender = , message = Your code, %CODE%",
        f"{tid},Code,,,Your code, %CODE%",
        f"<result><template><id>{tid}</id><name>Code</name><format></format><sender></sender>"
        "<message>Your code, %CODE%</message></template></result>",
        f'[{{"id": {tid}, "name": "Code", "format": "", "sender": "", '
        '"message": "Your code, %CODE%"}]',
    ]


async def test_templates_are_added_changed_and_deleted(http: httpx.AsyncClient) -> None:
    added = await call_json(http, "templates", add=1, name="Hi", msg="Hello", format="sms")
    assert set(added) == {"id"}
    assert await call_json(http, "templates", chg=1, id=added["id"], msg="Hello!") == OK
    assert await call_json(http, "templates", chg=1, id=added["id"], name="Greeting") == OK
    assert await call_json(http, "templates", chg=1, id=added["id"], sender="Shop") == OK
    assert await call_json(http, "templates", get=1) == [
        {
            "id": added["id"],
            "name": "Greeting",
            "format": "sms",
            "sender": "Shop",
            "message": "Hello!",
        }
    ]
    assert await call_json(http, "templates", **{"del": 1, "id": added["id"]}) == OK
    assert await call_json(http, "templates", get=1) == []


async def test_operator_template_is_filed_for_a_sender_and_looked_up_by_sender_and_text(
    http: httpx.AsyncClient,
) -> None:
    """The op_templates page: ``add`` takes ``sender``, ``msg`` and operator flags; ``get``
    looks one template up by the same ``sender`` and ``msg``."""
    added = await call_json(
        http, "op_templates", add=1, sender="Shop", msg="Code %s", mts_auth=1, soc=1
    )
    found = await call_json(http, "op_templates", get=1, sender="Shop", msg="Code %s")
    assert found == [
        {"id": added["id"], "name": "mts_auth"},
        {"id": added["id"], "name": "soc"},
    ]
    assert await call_json(http, "op_templates", get=1, sender="Shop", msg="Other") == []
    assert await call_json(http, "templates", get=1) == []  # kept apart from templates.php


@pytest.mark.parametrize(
    "params",
    [
        {"add": 1, "name": "Op", "msg": "Code"},  # the old, undocumented model
        {"add": 1, "sender": "Shop", "msg": "Code"},  # no operator flag
        {"add": 1, "sender": "Shop", "name": "Op", "msg": "Code", "mts_srv": 1},
        {"add": 1, "msg": "Code", "mts_srv": 1},
        {"get": 1},  # a bare get is not a documented lookup
        {"get": 1, "sender": "Shop"},
        {"chg": 1, "id": 1, "msg": "x"},
        {"del": 1, "id": 1},
    ],
)
async def test_operator_templates_refuse_what_their_page_does_not_document(
    http: httpx.AsyncClient, params: dict[str, object]
) -> None:
    assert (await call_json(http, "op_templates", **params))["error_code"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"add": 1, "name": "x"},
        {"add": 1, "msg": "x"},
        {"add": 1, "name": "x", "msg": "y" * 1001},
        {"chg": 1, "id": 999, "msg": "x"},
        {"chg": 1, "id": "KNOWN"},  # nothing to change
        {"del": 1, "id": "x"},
        {"add": 1, "name": "x", "msg": "y", "format": "tg"},
        {"add": 1, "name": "x", "msg": "y", "fl[1]": "2"},
    ],
)
async def test_template_actions_refuse_bad_parameters_with_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    known = emulator.directory(LOGIN).add_template("t", "text").id
    query = {key: (known if value == "KNOWN" else value) for key, value in params.items()}
    assert (await call_json(http, "templates", **query))["error_code"] == 1


async def test_templates_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await call_json(socket_http, "op_templates", add=1, sender="Op", msg="Code", bee_srv=1)
    found = await call_json(socket_http, "op_templates", get=1, sender="Op", msg="Code")
    assert [t["name"] for t in found] == ["bee_srv"]


# ------------------------------------------------------------------ sub-clients


async def test_sub_client_is_added_and_can_log_in(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.3: ``add=1&user=&password=`` creates an account of its own."""
    added = await call_json(http, "users", add=1, user="branch", password="Branch-pw2", fio="Ann")
    assert set(added) == {"id"}
    sub = emulator.account("branch")
    assert (sub.parent, sub.balance, emulator.directory(LOGIN).subclients["branch"].fio) == (
        LOGIN,
        Decimal("0.00"),
        "Ann",
    )
    response = await http.post(
        "/sys/balance.php", data={"login": "branch", "psw": "Branch-pw2", "fmt": "3"}
    )
    assert response.json() == {"balance": "0.00"}


async def test_sub_client_top_up_moves_money_from_the_parent(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    await call_json(http, "users", add=1, user="branch", password="Branch-pw2")
    assert await call_json(http, "users", pay=1, user="branch", sum="25.50") == OK
    assert emulator.account("branch").balance == Decimal("25.50")
    assert emulator.account(LOGIN).balance == Decimal("74.50")
    refused = await call_json(http, "users", pay=1, user="branch", sum="1000")
    assert refused == {"error": "no money", "error_code": 3}


async def test_sub_client_statistics_have_the_documented_shape(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.3: per sub-client: login, messages, money spent and received, currency."""
    await call_json(http, "users", add=1, user="branch", password="Branch-pw2")
    await call_json(http, "users", pay=1, user="branch", sum="10")
    await http.post(
        "/sys/send.php",
        data={"login": "branch", "psw": "Branch-pw2", "phones": PHONE, "mes": "Hi"},
    )
    row = {"login": "branch", "cnt": 1, "credit": "1.80", "debit": "10.00", "currency": "RUR"}
    assert await call_json(http, "users", get_stat=1, reseller=1) == [row]
    assert await call_json(http, "users", get_stat=1, user="branch") == [row]
    assert await call_json(http, "users", get_stat=1) == []  # none on the main balance
    answers = [await call(http, "users", get_stat=1, reseller=1, fmt=fmt) for fmt in range(3)]
    assert answers == [
        "login = branch, cnt = 1, credit = 1.80, debit = 10.00, currency = RUR",
        "branch,1,1.80,10.00,RUR",
        "<result><user><login>branch</login><cnt>1</cnt><credit>1.80</credit>"
        "<debit>10.00</debit><currency>RUR</currency></user></result>",
    ]
    assert (await call_json(http, "get", get_stat=1))["cnt"] == 0  # the parent sent nothing


async def test_sub_client_is_changed(http: httpx.AsyncClient, emulator: SMSCEmulator) -> None:
    """A new login keeps the sub-client's messages: its history and statistics follow it."""
    added = await call_json(http, "users", add=1, user="branch", password="Branch-pw2")
    await call_json(http, "users", pay=1, user="branch", sum="10")
    sent = await http.post(
        "/sys/send.php",
        data={"login": "branch", "psw": "Branch-pw2", "phones": PHONE, "mes": "Hi", "fmt": "3"},
    )
    changed = await call_json(
        http, "users", chg=1, user_id=added["id"], new_login="office", password="Office-pw3"
    )
    assert changed == OK
    assert emulator.account("office").check_password("Office-pw3")
    assert "branch" not in emulator.accounts
    assert (await call_json(http, "users", get_stat=1, user="office"))[0]["cnt"] == 1
    assert emulator.find_message("office", sent.json()["id"], PHONE) is not None
    history = await http.post(
        "/sys/get.php",
        data={
            "login": "office",
            "psw": "Office-pw3",
            "get_messages": "1",
            "fmt": "3",
            "charset": "utf-8",
        },
    )
    assert [row["message"] for row in history.json()] == ["Hi"]


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("a", False),
        ("Abc-1", False),
        ("abcdefgh", False),
        ("abcdefg1", False),
        ("abcdefg1!", True),
        ("Abcdefgh1", True),
        ("ABCDEFGH-", False),
        ("Abcdefgh-", True),
    ],
)
async def test_sub_client_password_follows_the_rule_of_8_characters_and_3_kinds(
    http: httpx.AsyncClient, password: str, accepted: bool
) -> None:
    """The sub-client page: at least 8 characters, and 3 of: letters, digits, both cases,
    symbols; the service answers error 1 to a password breaking it."""
    answer = await call_json(http, "users", add=1, user="branch", password=password)
    assert ("id" in answer) is accepted
    assert answer.get("error_code") == (None if accepted else 1)


async def test_sub_client_statistics_are_split_by_balance_with_reseller(
    http: httpx.AsyncClient,
) -> None:
    """Without ``reseller=1`` only sub-clients on the main account's balance (types 2, 3,
    4); with it, those with a balance of their own (types 0, the default, and 1)."""
    for user, kind in (("own0", 0), ("own1", 1), ("main2", 2), ("main3", 3), ("extra4", 4)):
        added = await call_json(http, "users", add=1, user=user, password="Sub-pw-12", type=kind)
        assert "id" in added
    own = await call_json(http, "users", get_stat=1, reseller=1)
    main = await call_json(http, "users", get_stat=1)
    assert [row["login"] for row in own] == ["own0", "own1"]
    assert [row["login"] for row in main] == ["main2", "main3", "extra4"]
    detailed = await call_json(http, "users", get_stat_all=1, reseller=1)
    assert [row["login"] for row in detailed] == ["own0", "own1"]


async def test_fourth_change_of_one_sub_client_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.4: at most 3 requests a minute to add or change the same sub-client."""
    await call_json(http, "users", add=1, user="branch", password="Branch-pw2")
    answers = [await call_json(http, "users", chg=1, user="branch", fio=f"F{n}") for n in range(3)]
    assert [a.get("error_code") for a in answers] == [None, None, 9]
    other = await call_json(http, "users", add=1, user="other", password="Other-pw1")
    assert "id" in other
    emulator.advance(60)
    assert await call_json(http, "users", chg=1, user="branch", fio="F") == OK


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"add": 1, "user": "x"},
        {"add": 1, "user": LOGIN, "password": "Taken-pw1"},  # login taken
        {"add": 1, "user": "new", "password": "a"},  # the password rule
        {"add": 1, "user": "new", "password": "abcdefg1"},  # 8 characters, two kinds
        {"add": 1, "user": "new", "password": "Abcdefg1", "type": "5"},
        {"chg": 1, "user": "branch", "password": "short1A"},
        {"chg": 1, "user": "nobody", "fio": "x"},
        {"pay": 1, "user": "branch", "sum": "-5"},
        {"pay": 1, "user": "branch", "sum": "abc"},
        {"get_stat": 1, "user": "nobody"},
        {"get_stat": 1, "start": "31.31.2024"},
    ],
)
async def test_sub_client_actions_refuse_bad_parameters_with_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    await call_json(http, "users", add=1, user="branch", password="Branch-pw2")
    emulator.reset_limits()
    assert (await call_json(http, "users", **params))["error_code"] == 1


async def test_sub_clients_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await call_json(socket_http, "users", add=1, user="wire", password="Wire-pw12")
    rows = await call_json(socket_http, "users", get_stat=1, reseller=1)
    assert [row["login"] for row in rows] == ["wire"]
    assert (await send(socket_http, PHONE, "x"))["cnt"] == 1
