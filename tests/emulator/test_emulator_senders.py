"""Conformance of ``senders.php``: Sender IDs and their effect on sends."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, PHONE, call, call_json, send

OK = ["OK", "OK", "<result>OK</result>", '{"result": "OK"}']


async def test_sender_list_has_the_documented_shape_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.4: ``get=1`` lists the approved names (``id``, ``sender``, ``cmt``)."""
    sender = emulator.directory(LOGIN).add_sender("MyShop", "main, web")
    answers = [await call(http, "senders", get=1, fmt=fmt) for fmt in range(4)]
    assert answers == [
        f"id = {sender.id}, sender = MyShop, cmt = main, web",
        f"{sender.id},MyShop,main, web",
        f"<result><sender><id>{sender.id}</id><sender>MyShop</sender><cmt>main, web</cmt>"
        "</sender></result>",
        f'[{{"id": {sender.id}, "sender": "MyShop", "cmt": "main, web"}}]',
    ]


async def test_added_sender_is_listed_and_usable_and_deleted_one_is_refused(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.account(LOGIN).senders = set()  # the account accepts registered senders only
    assert (await send(http, PHONE, "Hi", sender="Bakery"))["error_code"] == 6
    added = await call_json(http, "senders", add=1, sender="Bakery", cmt="shop")
    assert set(added) == {"id"}
    assert (await send(http, PHONE, "Hi", sender="Bakery"))["cnt"] == 1
    listed = await call_json(http, "senders", get=1)
    assert listed == [{"id": added["id"], "sender": "Bakery", "cmt": "shop"}]
    assert await call_json(http, "senders", chg=1, id=added["id"], cmt="new") == {"result": "OK"}
    assert (await call_json(http, "senders", get=1))[0]["cmt"] == "new"
    assert await call_json(http, "senders", **{"del": 1, "sender": "Bakery"}) == {"result": "OK"}
    assert await call_json(http, "senders", get=1) == []
    assert (await send(http, PHONE, "Hi again", sender="Bakery"))["error_code"] == 6


async def test_senders_given_at_account_creation_are_listed(emulator: SMSCEmulator) -> None:
    emulator.add_account("shop", "pw", senders=["Shop", "Alt"])
    assert sorted(emulator.directory("shop").senders) == ["Alt", "Shop"]


async def test_digital_sender_is_usable_only_after_its_code_is_confirmed(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.4: a digital sender is confirmed with ``send_code=1`` then ``check_code=1``."""
    emulator.account(LOGIN).senders = set()
    await call_json(http, "senders", add=1, sender="79001112233")
    assert await call_json(http, "senders", get=1) == []
    # all=1 (the senders page): every name, those not yet activated too
    waiting = await call_json(http, "senders", get=1, all=1)
    assert [s["sender"] for s in waiting] == ["79001112233"]
    assert (await send(http, PHONE, "Hi", sender="79001112233"))["error_code"] == 6
    assert await call_json(http, "senders", send_code=1, sender="79001112233") == {"result": "OK"}
    code = emulator.directory(LOGIN).senders["79001112233"].code
    assert code is not None
    wrong = "000000" if code != "000000" else "111111"
    refused = await call_json(http, "senders", check_code=1, sender="79001112233", code=wrong)
    assert refused["error_code"] == 1
    confirmed = await call_json(http, "senders", check_code=1, sender="79001112233", code=code)
    assert confirmed == {"result": "OK"}
    assert [s["sender"] for s in await call_json(http, "senders", get=1)] == ["79001112233"]
    assert (await send(http, PHONE, "Hi", sender="79001112233"))["cnt"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"add": 1},
        {"add": 1, "sender": "ThisNameIsTooLong"},
        {"add": 1, "sender": "MyShop"},  # exists already
        {"chg": 1, "sender": "Nobody", "cmt": "x"},
        {"chg": 1, "id": "x"},
        {"del": 1, "id": 999},
        {"send_code": 1, "sender": "MyShop"},  # not a digital sender
        {"check_code": 1, "sender": "MyShop", "code": "1"},
    ],
)
async def test_sender_actions_refuse_bad_parameters_with_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    emulator.directory(LOGIN).add_sender("MyShop")
    assert await call_json(http, "senders", **params) == {
        "error": "parameters error",
        "error_code": 1,
    }


@pytest.mark.parametrize("fmt", range(4))
async def test_sender_change_answers_ok_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int
) -> None:
    emulator.directory(LOGIN).add_sender("MyShop")
    assert await call(http, "senders", chg=1, sender="MyShop", cmt="x", fmt=fmt) == OK[fmt]


@pytest.mark.parametrize("fmt", range(4))
async def test_sender_add_answers_its_id_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int
) -> None:
    answer = await call(http, "senders", add=1, sender="MyShop", fmt=fmt)
    record = emulator.directory(LOGIN).senders["MyShop"].id
    expected = [f"id = {record}", f"{record}", f"<result><id>{record}</id></result>"]
    expected.append(f'{{"id": {record}}}')
    assert answer == expected[fmt]


async def test_senders_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await call_json(socket_http, "senders", add=1, sender="Wire")
    assert [s["sender"] for s in await call_json(socket_http, "senders", get=1)] == ["Wire"]
