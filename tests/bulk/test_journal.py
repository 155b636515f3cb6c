"""The journal: the campaign's only state; a journal that is not this campaign's is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from smsc import AsyncSMSCClient, BulkMessage, JournalError
from smsc.testing import SMSCEmulator

from .conftest import LOGIN, PASSWORD, messages


def _states(journal: Path) -> dict[str, int]:
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        return dict(db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall())


async def test_the_journal_records_every_message_and_its_request(
    client: AsyncSMSCClient, journal: Path
) -> None:
    await client.send_batch(messages(250), journal=journal, name="march")
    assert _states(journal) == {"accepted": 250}
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        (requests,) = db.execute("SELECT COUNT(DISTINCT request_id) FROM messages").fetchone()
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    assert requests == 2
    assert mode == "delete"  # every commit in the main file: no -wal side file to lose
    assert sorted(path.name for path in journal.parent.iterdir()) == [journal.name]
    assert meta["campaign"] == "march"
    assert LOGIN not in meta.values()
    assert PASSWORD not in meta.values()


async def test_a_journal_of_another_campaign_is_refused_and_nothing_is_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    await client.send_batch(messages(5), journal=journal, name="march")
    sent = len(emulator.messages)
    with pytest.raises(JournalError, match="belongs to campaign 'march'"):
        await client.send_batch(messages(5), journal=journal, name="april")
    changed = messages(5)
    changed[2] = BulkMessage("79990000002", "another text")
    with pytest.raises(JournalError, match="other messages"):
        await client.send_batch(changed, journal=journal, name="march")
    with pytest.raises(JournalError, match="other messages"):
        await client.send_batch(messages(6), journal=journal, name="march")
    assert len(emulator.messages) == sent


async def test_a_journal_of_another_account_is_refused_and_nothing_is_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.add_account("other", "other-pass", balance=100)
    await client.send_batch(messages(5), journal=journal)
    sent = len(emulator.messages)
    async with AsyncSMSCClient(
        login="other",
        password="other-pass",
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
    ) as other:
        with pytest.raises(JournalError, match="another account"):
            await other.send_batch(messages(5), journal=journal)
    assert len(emulator.messages) == sent


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
async def test_a_corrupt_journal_is_refused_and_nothing_is_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path, content: bytes
) -> None:
    journal.write_bytes(content)  # noqa: ASYNC240
    with pytest.raises(JournalError, match="unreadable"):
        await client.send_batch(messages(5), journal=journal)
    assert emulator.messages == []


async def test_another_sqlite_file_is_not_taken_for_a_journal(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        db.execute("CREATE TABLE orders (id INTEGER)")
    with pytest.raises(JournalError, match="not a campaign journal"):
        await client.send_batch(messages(5), journal=journal)
    assert emulator.messages == []


async def test_a_journal_in_use_by_another_run_is_refused(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    first = client.campaign(messages(5), journal=journal)
    iterator = aiter(first)
    await anext(iterator)  # the first run holds the journal
    with pytest.raises(JournalError, match="in use by another run"):
        await client.send_batch(messages(5), journal=journal)
    await iterator.aclose()  # type: ignore[attr-defined]


async def test_a_planning_cut_short_is_planned_again(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    def broken() -> Iterator[BulkMessage]:
        yield from messages(1500)
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError):
        await client.send_batch(broken(), journal=journal)
    assert emulator.messages == []
    result = await client.send_batch(messages(1600), journal=journal)
    assert result.progress.accepted == 1600
    assert len(emulator.messages) == 1600
