"""``smsc bulk`` and friends at their edges: a full disk, a closed pipe, hostile data, CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import resource
import sqlite3
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, SMSCEmulator

from .conftest import SMSC, Service, base_env, demo_env, run_smsc

pytestmark = pytest.mark.integration


def _write_csv(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phones", "text"])
        for n in range(count):
            writer.writerow([f"7999{n:07d}", f"Order {n} is ready."])
    return path


def _receipts(emulator: SMSCEmulator) -> Counter[tuple[str, str]]:
    return Counter((message.phone, message.text) for message in emulator.messages)


@pytest.fixture
async def rich_service(tmp_path: Path) -> AsyncIterator[Service]:
    async with SMSCEmulator() as emu:
        emu.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=1_000_000)
        site = await emu.start_site(0)
        yield Service(emu, site, demo_env(tmp_path, site))


async def _run_limited(
    args: list[str], env: dict[str, str], max_file_bytes: int
) -> tuple[int, str]:
    """``smsc ARGS`` where no file may grow past ``max_file_bytes`` (a full disk)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    # Not measured by coverage: its data file could not be written under the limit either,
    # and its own error would be printed at exit.
    quiet = {k: v for k, v in env.items() if not k.startswith("COVERAGE_PROCESS_")}
    process = await asyncio.create_subprocess_exec(
        str(SMSC), *args, env=quiet, preexec_fn=limit,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_a_full_disk_mid_campaign_exits_7_in_one_line_and_a_rerun_sends_each_once(
    rich_service: Service, tmp_path: Path
) -> None:
    emulator = rich_service.emulator
    source = _write_csv(tmp_path / "orders.csv", 2000)
    journal = tmp_path / "orders.journal"
    args = ["bulk", str(source), "--journal", str(journal), "--max-lines", "100"]
    emulator.account(DEMO_LOGIN).balance = Decimal(0)  # the first request is refused...
    broke = await run_smsc(*args, env=rich_service.env)
    assert broke.code == 3
    assert emulator.messages == []  # ...so the journal is planned, nothing sent
    emulator.account(DEMO_LOGIN).balance = Decimal(1_000_000)

    code, stderr = await _run_limited(args, rich_service.env, journal.stat().st_size)
    assert code == 7, stderr
    # The error is one line (a busy machine may add a warning line of the failover layer).
    (line,) = [text for text in stderr.splitlines() if text.startswith("smsc: error")]
    assert line.startswith(f"smsc: error: cannot write the journal {journal}")
    assert line.endswith("run the same command again to resume")
    assert "Traceback" not in stderr

    again = await run_smsc(*args, "--settle-after", "0", env=rich_service.env)
    assert again.code == 0, again.stderr
    assert sorted(_receipts(emulator).values()) == [1] * 2000


def _first_line_then_closed(args: list[str], env: dict[str, str]) -> tuple[int, str, bytes]:
    """``smsc ARGS | head -1``: the reader takes one line and goes away."""
    with subprocess.Popen(
        [str(SMSC), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        return process.wait(timeout=120), err, first


@pytest.mark.parametrize("output", ["text", "json"])
async def test_bulk_into_a_closed_pipe_stops_cleanly_with_every_request_sent_settled(
    rich_service: Service, tmp_path: Path, output: str
) -> None:
    emulator = rich_service.emulator
    source = _write_csv(tmp_path / "orders.csv", 4000)
    journal = tmp_path / "orders.journal"
    args = ["bulk", str(source), "--journal", str(journal), "--max-lines", "20"]
    args += ["--json"] if output == "json" else []
    code, err, first = await asyncio.to_thread(_first_line_then_closed, args, rich_service.env)
    assert re.match(rb'{"event": "progress"' if output == "json" else rb"[\d,]+/4,000 ", first)
    assert code == 141, err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("smsc: output closed, so no new request was sent; ")
    assert line.endswith("run the same command again to resume")
    sent = len(emulator.messages)
    assert sent < 4000

    with closing(sqlite3.connect(journal)) as db, db:
        states = dict(db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall())
    assert "in_flight" not in states  # every request that left was answered and recorded
    assert states.get("accepted", 0) == sent

    again = await run_smsc(*args[:6], env=rich_service.env)
    assert again.code == 0, again.stderr
    assert sorted(_receipts(emulator).values()) == [1] * 4000


def test_segments_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first line is written
    try:
        done = subprocess.run(
            [str(SMSC), "segments", "hello"],
            env=base_env(tmp_path),
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 141
    assert done.stderr == b""


_HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\r\x9b1m\u202e"


async def test_the_services_control_characters_never_reach_table_or_csv_output(
    service: Service,
) -> None:
    async with AsyncSMSCClient(
        login=DEMO_LOGIN, password=DEMO_PASSWORD, host=service.site.url, allow_http=True
    ) as client:
        await client.send("79991234567", "plain", id="h-1")
    (stored,) = service.emulator.messages
    stored.id = f"h{_HOSTILE}1"
    stored.text = f"text{_HOSTILE}end"
    stored.sender = f"S{_HOSTILE}"
    day = ("--since", "2024-01-01", "--until", "2024-01-02")
    table, as_csv, as_json = await asyncio.gather(
        run_smsc("history", *day, env=service.env),
        run_smsc("history", *day, "--csv", env=service.env),
        run_smsc("history", *day, "--json", env=service.env),
    )
    assert table.code == as_csv.code == as_json.code == 0, table.stderr + as_csv.stderr
    for output in (table.stdout, as_csv.stdout, as_json.stdout):
        unsafe = {ch for ch in output if (ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F}
        assert unsafe == set(), (unsafe, output)
        assert "\u202e" not in output
    assert "\\x1b" in table.stdout  # shown, escaped, not obeyed
    (row,) = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert row["text"].startswith("text\\x1b]0;owned\\x07")


async def test_a_bad_phone_is_reported_by_the_row_and_line_the_user_sees(
    rich_service: Service, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    rows = [f'7999{n:07d},"Order {n}\nready"' for n in range(99)]  # two lines each
    rows.append("not-a-phone,hello")
    source.write_text("phones,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = await run_smsc(
        "bulk", str(source), "--journal", str(tmp_path / "j"), env=rich_service.env
    )
    assert result.code == 2
    assert f"{source}, row 100 (line 200):" in result.stderr  # data row 100, file line 200
    assert "message 99" not in result.stderr
    assert rich_service.emulator.messages == []


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ('phones,text\n79990000001,"' + "x" * 140_000 + '"\n', "row 1 (line 2): a field longer"),
        ('phones,text\n79990000001,"open\n79990000002,b\n', "row 1 (line 2): a quote opened"),
        ("phones,text,text\n79990000001,a,b\n", "names text more than once"),
    ],
    ids=["field over the limit", "unclosed quote", "repeated column"],
)
async def test_csv_edges_exit_2_in_one_line_with_nothing_sent(
    rich_service: Service, tmp_path: Path, content: str, detail: str
) -> None:
    source = tmp_path / "c.csv"
    source.write_text(content, encoding="utf-8")
    result = await run_smsc(
        "bulk", str(source), "--journal", str(tmp_path / "j"), env=rich_service.env
    )
    assert result.code == 2, result.stderr
    assert detail in result.stderr
    assert result.stderr.count("\n") == 1
    assert rich_service.emulator.messages == []


async def test_a_csv_file_with_a_byte_order_mark_is_sent(
    rich_service: Service, tmp_path: Path
) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("phones,text\r\n79990000001,Hi\r\n".encode("utf-8-sig"))
    result = await run_smsc(
        "bulk", str(source), "--journal", str(tmp_path / "j"), env=rich_service.env
    )
    assert result.code == 0, result.stderr
    assert [m.phone for m in rich_service.emulator.messages] == ["79990000001"]
