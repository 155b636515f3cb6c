"""``list`` sends with ``err=1`` over raw HTTP: what a packed request of the SDK gets back."""

from __future__ import annotations

import httpx

from smsc.testing import SMSCEmulator

from .conftest import OTHER_PHONE, PHONE, call_json

BAD = "79990000099"


async def test_a_list_send_with_err_1_lists_only_the_refused_numbers(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.set_undeliverable(BAD)
    listing = f"{PHONE}:First\\nline\n{BAD}:Second\n{OTHER_PHONE}:Third"
    answer = await call_json(http, "send", list=listing, id="b-42", err=1, cost=3)
    assert answer["id"] == "b-42"
    assert answer["cnt"] == 2
    assert answer["phones"] == [
        {"phone": BAD, "mccmnc": "0", "cost": "0.00", "status": "25", "error": "248"}
    ]
    assert [(m.id, m.phone, m.text) for m in emulator.messages] == [
        ("b-42", PHONE, "First\nline"),
        ("b-42", OTHER_PHONE, "Third"),
    ]
    found = await call_json(http, "status", id="b-42", phone=OTHER_PHONE)
    assert found["status"] == -1
    refused = await call_json(http, "status", id="b-42", phone=BAD)
    assert refused["status"] == -3


async def test_a_list_send_whose_every_number_is_refused_is_error_8(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.set_undeliverable(BAD)
    answer = await call_json(http, "send", list=f"{BAD}:x", id="b-43", err=1)
    assert answer == {"error": "can't to deliver", "error_code": 8, "id": "b-43"}
    assert emulator.messages == []
