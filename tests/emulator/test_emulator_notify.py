"""``ping.php`` over raw HTTP: a task group's notification is recorded; others refused."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, call_json


async def test_a_notification_of_a_known_task_group_is_recorded(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.directory(LOGIN).task_groups.add(12)
    answer = await call_json(http, "ping", id=12, name="db-1", host="10.0.0.5", info="full", ok=1)
    assert answer == {"result": "OK"}
    (record,) = emulator.directory(LOGIN).notifications
    assert (record.group, record.name, record.host, record.info, record.ok) == (
        12,
        "db-1",
        "10.0.0.5",
        "full",
        True,
    )


@pytest.mark.parametrize("params", [{}, {"id": 13}, {"id": "x"}, {"id": 12, "ok": 2}])
async def test_a_notification_of_an_unknown_group_or_bad_ok_is_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object]
) -> None:
    emulator.directory(LOGIN).task_groups.add(12)
    assert (await call_json(http, "ping", **params))["error_code"] == 1
    assert emulator.directory(LOGIN).notifications == []
