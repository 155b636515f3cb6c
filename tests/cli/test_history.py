"""``smsc history``: the sent history as a table, CSV and JSON lines, on the emulator."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from datetime import datetime, timezone

import pytest

from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD

from .conftest import Result, Service, run_smsc

pytestmark = pytest.mark.integration

DAY = ("--since", "2024-01-01", "--until", "01.01.2024")  # the emulator's clock starts that day
FIRST, SECOND = "79991234567", "79997654321"
ZONE = "(days in Moscow time, UTC+3, the service's)"
"""What an empty period's line says about its days."""


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
    assert header.split() == ["sent", "(MSK)", "id", "phone", "status", "cost", "parts", "text"]
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
    assert (empty.code, empty.stdout) == (
        0,
        f"no messages sent from 2023-01-01 to 2023-01-31 {ZONE}\n",
    )
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


# ---------------------------------------------------------------------------- the days


AT_CLOCK = """
import sys
from datetime import datetime
import smsc.cli.commands.history as history
history._now = lambda: datetime.fromisoformat({now!r})
from smsc.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""``smsc ARGS`` with the command's clock stopped at ``now`` (the process is otherwise the
installed command's: same interpreter, same package, same environment)."""


async def run_smsc_at(now: str, *args: str, env: dict[str, str]) -> Result:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        AT_CLOCK.format(now=now),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


SENT = datetime(2026, 12, 7, 21, 21, tzinfo=timezone.utc)  # 00:21 on Dec 8 in Moscow
NOW = "2026-12-07T21:25:00+00:00"  # 00:25 on Dec 8 in Moscow


async def _sent_after_moscow_midnight(service: Service) -> None:
    service.emulator.clock.set(SENT)
    async with AsyncSMSCClient(
        login=DEMO_LOGIN, password=DEMO_PASSWORD, host=service.site.url, allow_http=True
    ) as client:
        await client.send(FIRST, "just after midnight in Moscow", id="night-1")
        await client.send(SECOND, "and another", id="night-2")
    service.emulator.clock.set(datetime.fromisoformat(NOW))


async def test_history_days_and_times_are_the_services_moscow_days_at_0025_moscow(
    service: Service,
) -> None:
    # The night: 5,000 sent at 00:21 Moscow, asked for at 00:25 Moscow (21:25 UTC).
    await _sent_after_moscow_midnight(service)
    today, today_csv, today_json, utc_day, shown_help = await asyncio.gather(
        run_smsc_at(NOW, "history", "--since", "2026-12-08", env=service.env),
        run_smsc_at(NOW, "history", "--since", "08.12.2026", "--csv", env=service.env),
        run_smsc_at(NOW, "history", "--since", "2026-12-08", "--json", env=service.env),
        run_smsc_at(NOW, "history", "--since", "2026-12-07", "--until", "2026-12-07",
                    env=service.env),
        run_smsc_at(NOW, "history", "--help", env=service.env),
    )  # fmt: skip

    # --until defaults to the service's today (Dec 8), not the UTC date (Dec 7).
    assert today.code == 0, today.stderr
    header, *rows = today.stdout.splitlines()
    assert header.startswith("sent (MSK)")
    assert [row.split()[:3] for row in rows] == [
        ["2026-12-08", "00:21", "night-2"],
        ["2026-12-08", "00:21", "night-1"],
    ]
    sent_at = [row["sent_at"] for row in csv.DictReader(io.StringIO(today_csv.stdout))]
    assert sent_at == ["2026-12-08T00:21:00+03:00"] * 2
    records = [json.loads(line) for line in today_json.stdout.splitlines()]
    assert [record["sent_at"] for record in records] == ["2026-12-08T00:21:00+03:00"] * 2
    assert datetime.fromisoformat(records[0]["sent_at"]) == SENT  # the same moment

    # The UTC day of the sends is not the service's day they belong to, and the output says so.
    assert utc_day.code == 0
    assert utc_day.stdout == (f"no messages sent from 2026-12-07 to 2026-12-07 {ZONE}\n")
    assert "Moscow" in " ".join(shown_help.stdout.split())
    assert "today in Moscow" in " ".join(shown_help.stdout.split())


async def test_history_until_defaults_to_the_services_today_by_the_injected_clock(
    service: Service,
) -> None:
    # 23:00 on Dec 7 in Moscow: the service's today is Dec 7 whatever this machine's date is.
    late = await run_smsc_at(
        "2026-12-07T20:00:00+00:00", "history", "--since", "2026-12-08", env=service.env
    )
    after_midnight = await run_smsc_at(
        "2026-12-07T21:00:00+00:00", "history", "--since", "2026-12-08", env=service.env
    )

    assert late.code == 2
    assert "--since 2026-12-08 is after today in Moscow (2026-12-07)" in late.stderr
    assert "start must not be after end" not in late.stderr
    assert after_midnight.code == 0, after_midnight.stderr
    assert after_midnight.stdout.endswith(
        f"no messages sent from 2026-12-08 to 2026-12-08 {ZONE}\n"
    )
