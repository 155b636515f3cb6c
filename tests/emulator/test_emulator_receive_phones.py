"""``receive_phones.php`` over raw HTTP: list the free dedicated numbers, connect one, set
its renewal."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, call_json

OK = {"result": "OK"}


async def test_a_free_number_is_listed_connected_and_its_renewal_set(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.directory(LOGIN).free_numbers = ["79000000701", "79000000702"]
    listed = await call_json(http, "receive_phones", get=1)
    assert listed == [{"phone": "79000000701"}, {"phone": "79000000702"}]
    assert await call_json(http, "receive_phones", buy=1, phone="79000000701") == OK
    assert await call_json(http, "receive_phones", get=1) == [{"phone": "79000000702"}]
    assert emulator.directory(LOGIN).dedicated_numbers == {"79000000701": True}
    assert await call_json(http, "receive_phones", chg=1, phone="79000000701", noprolong=1) == OK
    assert emulator.directory(LOGIN).dedicated_numbers == {"79000000701": False}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"buy": 1},
        {"buy": 1, "phone": "79990000000"},  # not a free number
        {"buy": 1, "phone": "79000000701"},  # connected already
        {"buy": 1, "phone": "79000000702", "noprolong": 2},
        {"chg": 1, "phone": "79000000702", "noprolong": 1},  # not connected
        {"chg": 1, "phone": "79000000701"},  # nothing to set
    ],
)
async def test_receive_phones_refuses_bad_requests_with_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    emulator.directory(LOGIN).free_numbers = ["79000000701", "79000000702"]
    assert await call_json(http, "receive_phones", buy=1, phone="79000000701") == OK
    assert (await call_json(http, "receive_phones", **params))["error_code"] == 1
