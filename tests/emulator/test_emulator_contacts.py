"""Conformance of ``phones.php`` (contacts, groups, blacklist) and its effect on sends."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, OTHER_PHONE, PHONE, call, call_json, send

# ------------------------------------------------------------------ effect on send


async def test_send_to_a_blacklisted_number_is_refused_per_number(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """A blacklisted number is skipped with status 23 / err 250 in the per-number report
    (assumption); the others are sent."""
    emulator.directory(LOGIN).block("+" + OTHER_PHONE)
    answer = await send(http, f"{PHONE},{OTHER_PHONE}", "Hi", op=1)
    assert answer["cnt"] == 1
    assert answer["phones"][1] == {
        "phone": OTHER_PHONE,
        "mccmnc": "0",
        "cost": "0.00",
        "status": "23",
        "error": "250",
    }
    assert emulator.messages_to(OTHER_PHONE) == []


async def test_send_to_blacklisted_numbers_only_is_error_8(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.directory(LOGIN).block(PHONE)
    answer = await send(http, PHONE, "Hi")
    assert answer == {"error": "can't to deliver", "error_code": 8, "id": 1}
    assert emulator.directory(LOGIN).unblock(PHONE)
    assert (await send(http, PHONE, "Hi again"))["cnt"] == 1


async def test_send_to_a_group_reaches_its_members(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.1: ``G<group id>`` sends to every number of the contact group."""
    directory = emulator.directory(LOGIN)
    group = directory.add_group("Clients")
    directory.add_contact(PHONE, "Ann", groups=(group.id,))
    directory.add_contact(OTHER_PHONE, "Bob", groups=(group.id,))
    directory.add_contact("79990000003", "Not in it")
    answer = await send(http, f"G{group.id}", "Sale")
    assert answer["cnt"] == 2
    assert [m.phone for m in emulator.messages] == [PHONE, OTHER_PHONE]


async def test_send_to_an_unknown_group_is_undeliverable(http: httpx.AsyncClient) -> None:
    assert (await send(http, "G999", "Sale"))["error_code"] == 8


# ------------------------------------------------------------------ phones.php

OK = ["OK", "OK", "<result>OK</result>", '{"result": "OK"}']


async def contacts(http: httpx.AsyncClient, **params: object) -> list[dict[str, object]]:
    answer = await call_json(http, "phones", get=1, **params)
    assert isinstance(answer, list), answer
    return answer


async def test_contact_list_has_the_documented_shape_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.2: ``get=1`` lists contacts; group ids joined by ``;`` (assumption)."""
    directory = emulator.directory(LOGIN)
    first, second = directory.add_group("A"), directory.add_group("B")
    contact = directory.add_contact(PHONE, "Ann, Jr.", groups=(first.id, second.id))
    groups = f"{first.id};{second.id}"
    answers = [await call(http, "phones", get=1, fmt=fmt) for fmt in range(4)]
    assert answers == [
        f"id = {contact.id}, phone = {PHONE}, grp = {groups}, name = Ann, Jr.",
        f"{contact.id},{PHONE},{groups},Ann, Jr.",
        f"<result><contact><id>{contact.id}</id><phone>{PHONE}</phone><grp>{groups}</grp>"
        "<name>Ann, Jr.</name></contact></result>",
        f'[{{"id": {contact.id}, "phone": "{PHONE}", "grp": "{groups}", "name": "Ann, Jr."}}]',
    ]


async def test_contacts_and_groups_are_added_changed_moved_and_deleted(
    http: httpx.AsyncClient,
) -> None:
    group = (await call_json(http, "phones", add_group=1, name="Clients"))["id"]
    other = (await call_json(http, "phones", add_group=1, name="Staff"))["id"]
    added = await call_json(http, "phones", add=1, phone="+" + PHONE, name="Ann", grp=group)
    assert set(added) == {"id"}
    assert await contacts(http, grp=group) == [
        {"id": added["id"], "phone": PHONE, "grp": str(group), "name": "Ann"}
    ]
    ok = {"result": "OK"}
    assert await call_json(http, "phones", move_group=2, grp=other, phone=PHONE) == ok
    assert (await contacts(http))[0]["grp"] == f"{group};{other}"
    assert await call_json(http, "phones", move_group=3, grp=group, phone=PHONE) == ok
    assert (await contacts(http))[0]["grp"] == str(other)
    assert await call_json(http, "phones", move_group=1, grp=group, phone=PHONE) == ok
    assert (await contacts(http))[0]["grp"] == str(group)
    changed = await call_json(http, "phones", chg=1, phone=PHONE, new_phone=OTHER_PHONE, name="B")
    assert changed == ok
    assert [(c["phone"], c["name"]) for c in await contacts(http)] == [(OTHER_PHONE, "B")]
    assert await call_json(http, "phones", chg_group=1, grp=group, name="VIP") == ok
    assert await call_json(http, "phones", get_group=1) == [
        {"id": group, "cnt": 1, "name": "VIP"},
        {"id": other, "cnt": 0, "name": "Staff"},
    ]
    assert await call_json(http, "phones", del_group=1, grp=group) == ok
    assert (await contacts(http))[0]["grp"] == ""
    assert await call_json(http, "phones", **{"del": 1, "phone": OTHER_PHONE}) == ok
    assert await contacts(http) == []


async def test_a_group_made_over_http_is_a_send_recipient(http: httpx.AsyncClient) -> None:
    group = (await call_json(http, "phones", add_group=1, name="All"))["id"]
    await call_json(http, "phones", add=1, phone=PHONE, grp=group)
    await call_json(http, "phones", add=1, phone=OTHER_PHONE, grp=group)
    assert (await send(http, f"G{group}", "News"))["cnt"] == 2


async def test_blacklist_over_http_refuses_sends_until_removed(http: httpx.AsyncClient) -> None:
    added = await call_json(http, "phones", add_black=1, phone=PHONE)
    assert set(added) == {"id"}
    assert await call_json(http, "phones", get_black=1) == [{"id": added["id"], "phone": PHONE}]
    assert (await send(http, PHONE, "Hi"))["error_code"] == 8
    assert await call_json(http, "phones", del_black=1, phone=PHONE) == {"result": "OK"}
    assert await call_json(http, "phones", get_black=1) == []
    assert (await send(http, PHONE, "Hi"))["cnt"] == 1


@pytest.mark.parametrize("fmt", range(4))
async def test_group_rename_answers_ok_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int
) -> None:
    group = emulator.directory(LOGIN).add_group("A")
    assert await call(http, "phones", chg_group=1, grp=group.id, name="B", fmt=fmt) == OK[fmt]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"add": 1, "phone": "12"},
        {"add": 1, "phone": PHONE},  # a contact already
        {"add": 1, "phone": OTHER_PHONE, "grp": 999},
        {"add_group": 1, "name": ""},
        {"chg": 1, "phone": OTHER_PHONE, "name": "x"},
        {"chg_group": 1, "grp": 999, "name": "x"},
        {"move_group": 4, "grp": 1, "phone": PHONE},
        {"del": 1, "phone": OTHER_PHONE},
        {"del_group": 1, "grp": "x"},
        {"del_black": 1, "phone": PHONE},
        {"add_black": 1, "phone": "abc"},
    ],
)
async def test_contact_actions_refuse_bad_parameters_with_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    emulator.directory(LOGIN).add_contact(PHONE)
    assert (await call_json(http, "phones", **params))["error_code"] == 1


async def test_contacts_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await call_json(socket_http, "phones", add=1, phone=PHONE, name="Ann")
    assert [c["name"] for c in await contacts(socket_http)] == ["Ann"]
