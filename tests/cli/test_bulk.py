"""``smsc bulk``: a CSV campaign in a terminal, a pipe and JSON lines; killed and resumed."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, Fault, SMSCEmulator

from .conftest import SMSC, Result, Service, base_env, demo_env, run_in_pty, run_smsc

pytestmark = pytest.mark.integration

ROWS = 10_000


def _write_csv(path: Path, count: int, *, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phones", "text"])
        for n in range(start, start + count):
            writer.writerow([f"7999{n:07d}", f"Order {n} is ready.\nPick it up today."])
    return path


def _receipts(emulator: SMSCEmulator) -> Counter[tuple[str, str]]:
    return Counter((message.phone, message.text) for message in emulator.messages)


def _control_characters(text: str) -> set[str]:
    return {ch for ch in text if (ord(ch) < 32 and ch != "\n") or ord(ch) == 127}


def _table(stdout: str) -> dict[str, str]:
    """The summary's ``label  value`` lines (after the blank line that opens it)."""
    _, _, summary = stdout.rpartition("\n\n")
    rows = (line.split(None, 1) for line in summary.splitlines() if not line.startswith(" "))
    return {row[0]: row[1] for row in rows if len(row) == 2}


async def _until(condition: Callable[[], bool], what: str, deadline: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
async def rich_service(tmp_path: Path) -> AsyncIterator[Service]:
    """An emulator whose demo account can pay for ten thousand messages."""
    async with SMSCEmulator() as emu:
        emu.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=1_000_000)
        site = await emu.start_site(0)
        yield Service(emu, site, demo_env(tmp_path, site))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")
async def test_ten_thousand_rows_in_a_terminal_run_to_the_end_under_a_live_bar(
    rich_service: Service, tmp_path: Path
) -> None:
    source = _write_csv(tmp_path / "orders.csv", ROWS)
    env = {**rich_service.env, "TERM": "xterm-256color", "COLUMNS": "160"}
    args = ["bulk", str(source), "--journal", str(tmp_path / "orders.journal")]
    code, screen = await asyncio.to_thread(run_in_pty, args, env)
    assert code == 0, screen
    assert "\x1b[" in screen  # the live bar redraws its line
    assert f"{ROWS:,}/{ROWS:,}" in screen  # the bar's last state: every message done
    assert "accepted 10,000  refused 0  unknown 0" in screen
    summary = _table(screen.replace("\r\n", "\n"))
    assert (summary["messages"], summary["accepted"], summary["refused"]) == (
        "10,000",
        "10,000",
        "0",
    )
    assert summary["requests"] == "50 this run"  # 200 lines per request
    assert sorted(_receipts(rich_service.emulator).values()) == [1] * ROWS


async def test_a_bulk_run_killed_halfway_resumes_with_its_journal_and_sends_each_message_once(
    rich_service: Service, tmp_path: Path
) -> None:
    emulator = rich_service.emulator
    source = _write_csv(tmp_path / "orders.csv", ROWS)
    journal = tmp_path / "orders.journal"
    args = ("bulk", str(source), "--journal", str(journal))
    first = await asyncio.create_subprocess_exec(
        str(SMSC),
        *args,
        env=rich_service.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _until(lambda: len(emulator.messages) >= ROWS // 2, "half of the messages sent")
        emulator.pause_responses()  # a request is held at the service when the CLI dies
        await _until(lambda: emulator.in_flight >= 1, "a request held at the service")
        os.kill(first.pid, signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
        emulator.resume_responses()
    await _until(lambda: emulator.in_flight == 0, "the held requests to be served")
    assert first.stdout is not None
    assert first.stderr is not None
    partial = (await first.stdout.read()).decode() + (await first.stderr.read()).decode()
    assert "messages:" in partial  # it printed progress lines before it died...
    assert _control_characters(partial) == set()  # ...as plain text in a pipe
    received_before = len(emulator.messages)
    assert ROWS // 2 <= received_before < ROWS

    resumed = await run_smsc(*args, "--settle-after", "0", "--json", env=rich_service.env)
    events = [json.loads(line) for line in resumed.stdout.splitlines()]
    start, summary = events[0], events[-1]
    assert start["event"] == "progress"
    assert start["in_flight"] >= 1  # the held request: settled by status, not sent again
    assert start["planned"] >= 1  # what the killed run never sent
    assert summary["event"] == "summary"
    assert (summary["accepted"], summary["refused"], summary["unknown"]) == (ROWS, 0, 0)
    assert summary["finished"] is True
    assert resumed.code == summary["exit_code"] == 0
    assert sorted(_receipts(emulator).values()) == [1] * ROWS

    again = await run_smsc(*args, env=rich_service.env)
    assert again.code == 0
    assert _table(again.stdout)["requests"] == "0 this run"  # a finished campaign sends nothing
    assert len(emulator.messages) == ROWS
    assert _control_characters(again.stdout + again.stderr) == set()


async def test_refused_numbers_exit_3_listed_in_the_summary_and_as_json(
    rich_service: Service, tmp_path: Path
) -> None:
    rich_service.emulator.set_undeliverable("79990000013")
    source = _write_csv(tmp_path / "orders.csv", 30)
    journal = tmp_path / "orders.journal"
    text = await run_smsc("bulk", str(source), "--journal", str(journal), env=rich_service.env)
    assert text.code == 3
    summary = _table(text.stdout)
    assert (summary["accepted"], summary["refused"]) == ("29", "1")
    assert "refused: row 14, 79990000013:" in text.stdout
    assert text.stderr == "smsc: 1 of 30 messages were refused by the service\n"
    assert _control_characters(text.stdout + text.stderr) == set()

    as_json = await run_smsc(
        "bulk", str(source), "--journal", str(tmp_path / "again.journal"), "--json",
        env=rich_service.env,
    )  # fmt: skip
    *progress, document = (json.loads(line) for line in as_json.stdout.splitlines())
    assert {event["event"] for event in progress} == {"progress"}
    assert progress[-1]["done"] == 30
    assert document["exit_code"] == as_json.code == 3
    assert [(r["row"], r["phone"], r["error_code"]) for r in document["refused_this_run"]] == [
        (14, "79990000013", 8)
    ]


async def test_an_answer_lost_leaves_outcomes_unknown_exit_4_and_a_rerun_settles_them(
    rich_service: Service, tmp_path: Path
) -> None:
    emulator = rich_service.emulator
    # With one site, a failed request takes it out of use (for mirror_cooldown seconds, then
    # for one probing request at a time) and requests sent meanwhile stop the campaign with
    # exit 5; a profile makes it one request at a time with no cool-down, so the run goes on.
    config = tmp_path / "config.ini"
    config.write_text(
        f"[default]\nlogin = {DEMO_LOGIN}\npassword = {DEMO_PASSWORD}\n"
        f"host = {rich_service.site.url}\nallow_http = true\n"
        "mirror_cooldown = 0\nmax_concurrency = 1\n",
        encoding="utf-8",
    )
    config.chmod(0o600)
    env = base_env(tmp_path, SMSC_CONFIG=str(config))
    source = _write_csv(tmp_path / "orders.csv", 50)
    args = ("bulk", str(source), "--journal", str(tmp_path / "orders.journal"), "--max-lines", "10")
    await rich_service.site.set_fault(Fault.CLOSE_MID_ANSWER, times=1)
    cut = await run_smsc(*args, env=env)
    assert cut.code == 4, (cut.stdout, cut.stderr)
    assert _table(cut.stdout)["unknown"] == "10"
    assert "run the same command again to settle the unknown ones" in cut.stdout
    assert cut.stderr == (
        "smsc: 10 of 50 messages have no known outcome yet; run the same command again to "
        "settle them\n"
    )
    assert len(emulator.messages) == 50  # the cut request had arrived

    settled = await run_smsc(*args, "--settle-after", "0", env=env)
    assert settled.code == 0, settled.stderr
    assert _table(settled.stdout)["accepted"] == "50"
    assert sorted(_receipts(emulator).values()) == [1] * 50  # asked with status, not resent


async def test_bad_files_and_another_campaigns_journal_exit_2_with_nothing_sent(
    rich_service: Service, tmp_path: Path
) -> None:
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("phone,text\n79991234567,hi\n", encoding="utf-8")
    not_utf8 = tmp_path / "latin1.csv"
    not_utf8.write_bytes("phones,text\n79991234567,café\n".encode("latin-1"))
    first = _write_csv(tmp_path / "first.csv", 3)
    other = _write_csv(tmp_path / "other.csv", 3, start=100)
    journal = tmp_path / "first.journal"
    done = await run_smsc("bulk", str(first), "--journal", str(journal), env=rich_service.env)
    assert done.code == 0
    sent = len(rich_service.emulator.messages)

    header, foreign, missing, no_journal, latin1 = await asyncio.gather(
        run_smsc("bulk", str(bad_header), "--journal", str(tmp_path / "b.j"), "--json",
                 env=rich_service.env),
        run_smsc("bulk", str(other), "--journal", str(journal), env=rich_service.env),
        run_smsc("bulk", str(tmp_path / "absent.csv"), "--journal", str(journal),
                 env=rich_service.env),
        run_smsc("bulk", str(first), env=rich_service.env),
        run_smsc("bulk", str(not_utf8), "--journal", str(tmp_path / "l.j"), env=rich_service.env),
    )  # fmt: skip
    results: list[Result] = [header, foreign, missing, no_journal, latin1]
    assert [r.code for r in results] == [2, 2, 2, 2, 2]
    assert json.loads(header.stdout)["field"] == "source"
    assert "missing: phones" in header.stderr
    assert "written for other messages" in foreign.stderr
    assert "give another --journal file" in foreign.stderr
    assert "does not exist" in missing.stderr
    assert "Missing option '--journal'" in no_journal.stderr
    assert "latin1.csv is not utf-8 text (invalid continuation byte)" in latin1.stderr
    for result in results:
        assert result.stderr.count("\n") == 1, result.stderr
    assert len(rich_service.emulator.messages) == sent


async def test_a_campaign_stopped_by_the_service_prints_its_summary_and_how_to_resume(
    tmp_path: Path,
) -> None:
    async with SMSCEmulator() as emulator:
        emulator.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=10)  # about five messages
        env = demo_env(tmp_path, await emulator.start_site(0))
        source = _write_csv(tmp_path / "orders.csv", 20)
        args = ("bulk", str(source), "--journal", str(tmp_path / "j"), "--max-lines", "5")
        result = await run_smsc(*args, "--json", env=env)
    *_, summary, failure = (json.loads(line) for line in result.stdout.splitlines())
    assert result.code == failure["exit_code"] == 3
    assert summary["event"] == "summary"
    assert summary["finished"] is False
    assert summary["planned"] > 0
    assert summary["stopped_by"].startswith("refused by the service: send_list: SMSC error 3")
    assert summary["accepted"] + summary["planned"] == 20  # the refused request: planned again
    assert failure["api_code"] == 3
    assert result.stderr.endswith("run the same command again to resume\n")
