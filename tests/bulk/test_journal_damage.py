"""A journal that lost contents or side files is refused, or resumed: never sent twice.

Every case counts receipts at the emulator: each message must arrive once, whatever
happened to the journal's file and the files beside it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from smsc import AsyncSMSCClient, InsufficientFundsError, JournalError, JournalWriteError
from smsc.testing import SMSCEmulator

from .conftest import LOGIN, PASSWORD, messages, receipts

WORKER = Path(__file__).with_name("campaign_worker.py")


async def _until(condition: Callable[[], bool], what: str, deadline: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _beside(journal: Path) -> list[Path]:
    return [path for path in journal.parent.iterdir() if path.name.startswith(journal.name + "-")]


@pytest.mark.parametrize("size", [0, "half"])
async def test_a_finished_campaigns_journal_emptied_or_cut_is_refused_and_nothing_is_sent_again(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path, size: int | str
) -> None:
    await client.send_batch(messages(1000), journal=journal)
    assert len(emulator.messages) == 1000
    length = journal.stat().st_size  # noqa: ASYNC240
    with journal.open("r+b") as handle:
        handle.truncate(0 if size == 0 else length // 2)
    with pytest.raises(JournalError) as caught:
        await client.send_batch(messages(1000), journal=journal)
    assert "nothing was sent" in str(caught.value)
    if size == 0:
        assert "empty file" in str(caught.value)
        assert "delete it" in str(caught.value)  # the way out it names
    assert sorted(receipts(emulator).values()) == [1] * 1000


async def test_an_empty_file_given_as_the_journal_is_refused(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    journal.touch()  # noqa: ASYNC240
    with pytest.raises(JournalError, match="empty file"):
        await client.send_batch(messages(5), journal=journal)
    assert emulator.messages == []
    assert journal.stat().st_size == 0  # noqa: ASYNC240 - left as it was


async def test_a_new_journal_appears_complete_with_no_file_left_beside_it(
    client: AsyncSMSCClient, journal: Path
) -> None:
    await client.send_batch(messages(5), journal=journal)
    assert sorted(path.name for path in journal.parent.iterdir()) == [journal.name]


@pytest.mark.parametrize("damage", ["side files lost", "side files emptied", "main file copied"])
async def test_a_killed_run_resumed_from_its_main_file_alone_sends_each_message_once(
    emulator: SMSCEmulator, tmp_path: Path, journal: Path, damage: str
) -> None:
    site = await emulator.start_site()
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), site.url, str(journal), "1000"
    )
    try:
        await _until(lambda: len(emulator.messages) >= 300, "the campaign to be under way")
        emulator.pause_responses()
        await _until(lambda: emulator.in_flight >= 1, "a request held at the service")
        os.kill(worker.pid, signal.SIGKILL)
        assert await worker.wait() == -signal.SIGKILL
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
        emulator.resume_responses()
    await _until(lambda: emulator.in_flight == 0, "the held requests to be served")
    held = len(emulator.messages)
    assert 300 <= held < 1000
    resume_from = journal
    if damage == "side files lost":
        for path in _beside(journal):
            path.unlink()
    elif damage == "side files emptied":
        for path in _beside(journal):
            path.write_bytes(b"")
    else:
        resume_from = tmp_path / "copy" / "campaign.sqlite"
        resume_from.parent.mkdir()
        shutil.copyfile(journal, resume_from)  # the main file alone, as a backup takes it

    async with AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, host=site.url, allow_http=True
    ) as client:
        campaign = client.campaign(
            messages(1000), journal=resume_from, max_lines=20, settle_after=0
        )
        progress = await campaign.run()
    assert progress.accepted == 1000
    assert sorted(receipts(emulator).values()) == [1] * 1000


_HOT_JOURNAL = textwrap.dedent(
    """
    import os, sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA cache_size=1")  # spill: the side file is synced and made hot
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE messages SET text = text || '!'")
    os._exit(0)  # killed mid-commit: the -journal side file stays, hot
    """
)


async def test_a_stale_rollback_journal_put_beside_the_file_is_refused_not_rolled_back(
    client: AsyncSMSCClient, emulator: SMSCEmulator, tmp_path: Path, journal: Path
) -> None:
    first = client.campaign(messages(1000), journal=journal, max_lines=100)
    seen = 0
    async for _ in first:
        seen += 1
        if seen >= 300:
            break
    await first.aclose()
    old = tmp_path / "old" / "campaign.sqlite"
    old.parent.mkdir()
    shutil.copyfile(journal, old)  # the journal as it was then...
    subprocess.run([sys.executable, "-c", _HOT_JOURNAL, str(old)], check=True)  # noqa: ASYNC221
    stale = Path(f"{old}-journal")
    assert stale.stat().st_size > 0  # noqa: ASYNC240
    await client.send_batch(messages(1000), journal=journal, max_lines=100, settle_after=0)
    assert sorted(receipts(emulator).values()) == [1] * 1000

    shutil.copyfile(stale, f"{journal}-journal")  # ...a side file of that time put beside it
    with pytest.raises(JournalError, match="side file"):
        await client.send_batch(messages(1000), journal=journal, max_lines=100)
    assert sorted(receipts(emulator).values()) == [1] * 1000


async def test_a_file_mixing_two_times_is_refused_by_its_ledger(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    await client.send_batch(messages(300), journal=journal, max_lines=100)
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        (ledger,) = db.execute("PRAGMA user_version").fetchone()
        db.execute(f"PRAGMA user_version={ledger - 2}")  # page 1 of an older commit
    with pytest.raises(JournalError, match="damaged"):
        await client.send_batch(messages(300), journal=journal, max_lines=100)
    assert sorted(receipts(emulator).values()) == [1] * 300


async def test_a_full_disk_mid_run_is_a_journal_write_error_and_a_rerun_sends_each_once(
    client: AsyncSMSCClient,
    emulator: SMSCEmulator,
    journal: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from smsc._bulk._journal import Journal

    finish = Journal._finish_planning

    def then_full(db: sqlite3.Connection, fingerprint: str) -> None:
        finish(db, fingerprint)
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute(f"PRAGMA max_page_count={pages + 1}")  # the disk fills up from here

    monkeypatch.setattr(Journal, "_finish_planning", staticmethod(then_full))
    with pytest.raises(JournalWriteError, match=r"cannot write the journal .* full") as caught:
        await client.send_batch(messages(1000), journal=journal, max_lines=100)
    assert "run the same command again" in str(caught.value)
    assert (
        not isinstance(caught.value.__context__, sqlite3.Error) or caught.value.__suppress_context__
    )
    monkeypatch.undo()
    sent = len(emulator.messages)
    assert sent < 1000
    result = await client.send_batch(messages(1000), journal=journal, max_lines=100, settle_after=0)
    assert result.progress.accepted == 1000
    assert sorted(receipts(emulator).values()) == [1] * 1000


async def test_a_journal_of_the_previous_format_in_wal_mode_is_converted_and_resumed(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.fail_next_sends("79990000300", 3)  # no money: stops with rows still planned
    with pytest.raises(InsufficientFundsError):
        await client.send_batch(messages(600), journal=journal, max_lines=100)
    sent = len(emulator.messages)
    with closing(sqlite3.connect(journal, isolation_level=None)) as db:  # as version 1 left it
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("ALTER TABLE messages DROP COLUMN ledger")
        db.execute("DELETE FROM meta WHERE key IN ('ledger', 'total')")
        db.execute("UPDATE meta SET value='smsc-campaign-journal/1' WHERE key='schema'")
        db.execute("PRAGMA user_version=0")
    for _ in range(2):  # converted once, then opened as any journal of this version
        await client.send_batch(messages(600), journal=journal, max_lines=100, settle_after=0)
    with closing(sqlite3.connect(journal)) as db, db:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    assert mode == "delete"
    assert sent < 600
    assert sorted(receipts(emulator).values()) == [1] * 600
