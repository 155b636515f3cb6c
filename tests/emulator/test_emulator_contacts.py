"""Conformance of ``phones.php`` (contacts, groups, blacklist) and its effect on sends."""

from __future__ import annotations

import httpx

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, OTHER_PHONE, PHONE, send

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
