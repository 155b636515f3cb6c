"""``smsc history``: the sent history as a table, CSV and JSON lines, on the emulator."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import pytest

from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD

from .conftest import Service, run_smsc

pytestmark = pytest.mark.integration

DAY = ("--since", "2024-01-01", "--until", "01.01.2024")  # the emulator's clock starts that day
FIRST, SECOND = "79991234567", "79997654321"


async def _sent(service: Service) -> None:
    """Three messages, sent through the SDK in-process, oldest first."""
    async with AsyncSMSCClient(
        login=DEMO_LOGIN, password=DEMO_PASSWORD, host=service.site.url, allow_http=True
    ) as client:
        await client.send(FIRST, "first, with a comma", id="h-1")
        service.emulator.advance(60)
        await client.send(SECOND, "second\nover two lines", id="h-2")
        service.emulator.advance(60)
        await client.send(FIRST, "third", id="h-3")


async def test_history_prints_a_table_newest_first_and_filters_by_phone(service: Service) -> None:
    await _sent(service)
    every, one = await asyncio.gather(
        run_smsc("history", *DAY, env=service.env),
        run_smsc("history", *DAY, "--phone", FIRST, env=service.env),
    )
    assert every.code == one.code == 0
    header, *rows = every.stdout.splitlines()
    assert header.split() == ["sent", "(UTC)", "id", "phone", "status", "cost", "parts", "text"]
    assert [row.split()[2:4] for row in rows] == [["h-3", FIRST], ["h-2", SECOND], ["h-1", FIRST]]
    assert rows[1].endswith("second over two lines")  # a text stays on its row
    assert [row.split()[2] for row in one.stdout.splitlines()[1:]] == ["h-3", "h-1"]
    assert {ch for ch in every.stdout if ord(ch) < 32} == {"\n"}  # plain text in a pipe


async def test_history_as_csv_and_as_json_lines_keeps_every_field(service: Service) -> None:
    await _sent(service)
    as_csv, as_json, limited = await asyncio.gather(
        run_smsc("history", *DAY, "--csv", env=service.env),
        run_smsc("history", *DAY, "--json", env=service.env),
        run_smsc("history", *DAY, "--json", "--limit", "2", env=service.env),
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["id"], r["phone"], r["text"]) for r in rows] == [
        ("h-3", FIRST, "third"),
        ("h-2", SECOND, "second\nover two lines"),
        ("h-1", FIRST, "first, with a comma"),
    ]
    assert rows[0]["sent_at"].startswith("2024-01-01T")
    assert rows[0]["cost"] != ""
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [(r["id"], r["message"]) for r in records] == [
        ("h-3", "third"),
        ("h-2", "second\nover two lines"),
        ("h-1", "first, with a comma"),
    ]
    assert all(isinstance(r["status"], int) and r["status_text"] for r in records)
    assert [json.loads(line)["id"] for line in limited.stdout.splitlines()] == ["h-3", "h-2"]
    assert as_csv.code == as_json.code == limited.code == 0


async def test_history_of_an_empty_period_and_bad_periods(service: Service) -> None:
    await _sent(service)
    empty, empty_csv, too_long, backwards, no_since = await asyncio.gather(
        run_smsc("history", "--since", "2023-01-01", "--until", "2023-01-31", env=service.env),
        run_smsc("history", "--since", "2023-01-01", "--until", "2023-01-31", "--csv",
                 env=service.env),
        run_smsc("history", "--since", "2023-01-01", "--until", "2024-01-01", "--json",
                 env=service.env),
        run_smsc("history", "--since", "2024-01-02", "--until", "2024-01-01", env=service.env),
        run_smsc("history", env=service.env),
    )  # fmt: skip
    assert (empty.code, empty.stdout) == (0, "no messages sent from 2023-01-01 to 2023-01-31\n")
    assert (empty_csv.code, empty_csv.stdout.splitlines()) == (
        0,
        ["sent_at,id,phone,status,status_text,error,error_text,cost,sms_count,sender,text"],
    )
    assert too_long.code == json.loads(too_long.stdout)["exit_code"] == 2
    assert "--since/--until: " in too_long.stderr
    assert "at most 6 months (nothing was sent)" in too_long.stderr
    assert backwards.code == 2
    assert "start must not be after end" in backwards.stderr
    assert no_since.code == 2
    assert "Missing option '--since'" in no_since.stderr
