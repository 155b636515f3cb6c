"""The campaign journal: one SQLite file holding every message's state (the only state).

Each row is one message to one phone: its text and options, its state
(:class:`OutcomeState`), the id of the request that carried it and what the answer said.
The journal is written on one dedicated thread (never on the event loop); a request's rows
are committed ``in_flight`` with its id before the request leaves, so a process killed at
any point leaves rows that are either planned (never sent), final, or in flight with a
request id by which ``status`` settles them.

The journal is the one file and nothing beside it. It is written with a rollback journal
(``journal_mode=DELETE``): every commit is in the main file when it returns, and the commit
that puts a request's rows in flight is synced to the disk before the request leaves, so no
side file (``-wal``) holds committed rows that a copy of the main file would lose. The
``-journal`` file SQLite keeps beside it while a run holds it only undoes a commit a killed
process left half written. A ledger detects a file that mixes times (a stale side file
rolled back into it, a commit half written whose side file was lost): every commit numbers
itself in the file's header (``user_version``, page 1, which every commit rewrites), in
``meta`` and in every row it touches; a row numbered after the header, a count of rows other
than the one planned, or a failed ``quick_check`` refuses the file before anything is sent.
A new journal is built beside its name and linked into place complete, so a file that exists
and is empty (or holds no campaign) is never a journal.

The file remembers the campaign (a fingerprint of every message, a name) and the account (a
salted hash of its login or key): a journal of another campaign or account, or a file that
is not a journal, is refused before anything is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

from ._integrity import check_whole, link_new, refuse_stale_side_file, unusable
from ._model import JournalError, JournalWriteError, OutcomeState

__all__ = ["Journal", "JournalRow", "RowUpdate"]

_T = TypeVar("_T")

SCHEMA: Final = "smsc-campaign-journal/2"
_OLD_SCHEMAS: Final = frozenset({"smsc-campaign-journal/1"})
"""Schemas opened and brought up to :data:`SCHEMA` (version 1 kept its rows in WAL mode)."""

_TABLES: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    row INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    sender TEXT,
    time TEXT,
    format TEXT NOT NULL,
    parts INTEGER NOT NULL,
    state TEXT NOT NULL,
    request_id TEXT,
    sent_at REAL,
    cost TEXT,
    error_code INTEGER,
    status INTEGER,
    delivery_error INTEGER,
    ledger INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_state ON messages (state, row);
"""


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One message to one phone, as planned in the journal."""

    row: int
    seq: int
    phone: str
    text: str
    sender: str | None
    time: str | None
    format: str
    parts: int
    request_id: str | None = None
    sent_at: float | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True)
class RowUpdate:
    """A row's new final state and what its answer said."""

    row: int
    state: OutcomeState
    cost: Decimal | None = None
    error_code: int | None = None
    status: int | None = None
    delivery_error: int | None = None


PlannedRow = tuple[int, str, str, str | None, str | None, str, int]
"""(seq, phone, text, sender, time, format, parts) of a row to plan."""


def account_key(salt: str, identity: str) -> str:
    """The salted hash stored for the account (its login or API key never is)."""
    return hashlib.sha256(f"{salt}\x00{identity}".encode()).hexdigest()


class Journal:
    """A campaign journal on disk; every method runs on the journal's own thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smsc-journal")
        self._db: sqlite3.Connection | None = None
        self._ledger = 0

    # ------------------------------------------------------------------ thread plumbing

    async def _call(self, function: Callable[..., _T], *args: Any) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, *args)

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise JournalError("the journal is closed")
        return self._db

    async def close(self) -> None:
        """Close the file and the journal's thread."""
        if self._db is not None:
            await self._call(self._close)
        self._executor.shutdown(wait=False)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # ------------------------------------------------------------------ opening

    async def open(self, campaign: str, identity: str) -> bool:
        """Open (or create) the journal for ``campaign`` and the account ``identity``.

        Returns:
            True when the journal holds a completely planned campaign (a resume).

        Raises:
            JournalError: another campaign's or account's journal, a corrupt file, or a
                journal in use by another run.
        """
        return await self._call(self._open, campaign, identity)

    def _open(self, campaign: str, identity: str) -> bool:
        if not self.path.exists():
            self._create(campaign, identity)
        elif self.path.is_file() and self.path.stat().st_size == 0:
            raise JournalError(
                f"the journal {self.path} is an empty file: a journal is never empty, so it is "
                "not one (or it lost its contents, and with them what was sent). If you know "
                "nothing of this campaign was sent, delete it; else restore it from a backup "
                "(nothing was sent)"
            )
        refuse_stale_side_file(self.path)
        db = self._connect(self.path)
        self._db = db
        try:
            db.execute("BEGIN IMMEDIATE")
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if "meta" not in tables or "messages" not in tables:
                raise JournalError(
                    f"{self.path} is not a campaign journal (an SQLite file without a "
                    "campaign): give another --journal file, or delete it if it is yours "
                    "(nothing was sent)"
                )
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            self._check_meta(meta, campaign, identity)
            if meta.get("schema") in _OLD_SCHEMAS:
                db.execute("ALTER TABLE messages ADD COLUMN ledger INTEGER NOT NULL DEFAULT 0")
                db.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA,))
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('ledger', '0')")
                db.execute("PRAGMA user_version=0")
                meta["ledger"] = "0"
            self._ledger = check_whole(db, meta, self.path)
            db.execute("COMMIT")
            return meta.get("planned") == "1"
        except JournalError:
            self._close()
            raise
        except sqlite3.Error as exc:
            self._close()
            raise unusable(self.path, exc) from None

    def _connect(self, path: Path) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path, timeout=0.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {path}: {exc}") from None
        try:
            # No -wal side file: a commit is in the main file (synced) before it returns.
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA synchronous=FULL")  # see _write: FULL for what must last
            # Freed pages are zeroed: a commit cut short can never bring back old rows.
            db.execute("PRAGMA secure_delete=ON")
            # One run per journal: a second process gets "database is locked".
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
        except sqlite3.Error as exc:
            db.close()
            raise unusable(path, exc) from None
        return db

    def _create(self, campaign: str, identity: str) -> None:
        """Build a new journal beside ``path`` and link it into place once complete."""
        building = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.new")
        try:
            db = self._connect(building)
            try:
                db.execute("BEGIN IMMEDIATE")
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        db.execute(statement)
                salt = secrets.token_hex(16)
                db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema", SCHEMA),
                        ("campaign", campaign),
                        ("salt", salt),
                        ("account", account_key(salt, identity)),
                        ("ledger", "0"),
                    ],
                )
                db.execute("COMMIT")
            finally:
                db.close()
            link_new(building, self.path)
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(f"cannot create the journal {self.path}: {exc}") from None
        finally:
            for suffix in ("", "-journal"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)

    def _check_meta(self, meta: dict[str, str], campaign: str, identity: str) -> None:
        if meta.get("schema") != SCHEMA and meta.get("schema") not in _OLD_SCHEMAS:
            raise JournalError(f"{self.path} is not a campaign journal of this SDK version")
        if meta.get("campaign") != campaign:
            raise JournalError(
                f"the journal {self.path} belongs to campaign {meta.get('campaign')!r}, "
                f"not {campaign!r}: use another journal file"
            )
        salt = meta.get("salt", "")
        if meta.get("account") != account_key(salt, identity):
            raise JournalError(
                f"the journal {self.path} was written for another account: use another "
                "journal file (nothing was sent)"
            )

    # ------------------------------------------------------------------ one commit

    def _write(
        self, change: Callable[[sqlite3.Connection, int], object], durable: bool = False
    ) -> None:
        """Run ``change(db, ledger)`` in one numbered commit (see the module's docstring).

        Every commit is in the main file when it returns (a killed process loses none). A
        ``durable`` one, the commit a request waits for before it leaves, is also synced to
        the disk (``synchronous=FULL``), so that not even a power cut can lose it; the others
        only move rows out of flight, and one a power cut loses leaves its rows in flight,
        asked again with ``status`` (a sync costs ~10-25 ms on common disks).

        Raises:
            JournalError: the commit failed (disk full, a read-only file...): it is rolled
                back whole, and the rows keep their last committed state.
        """
        db = self._conn
        ledger = self._ledger + 1
        try:
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'OFF'}")
            db.execute("BEGIN IMMEDIATE")
            try:
                change(db, ledger)
                db.execute(f"PRAGMA user_version={ledger:d}")
                db.execute("UPDATE meta SET value=? WHERE key='ledger'", (str(ledger),))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise JournalWriteError(
                f"cannot write the journal {self.path} ({exc}): its last commit stands and "
                "messages in flight are settled by status on the next run; free disk space "
                "or make the file writable, then run the same command again"
            ) from None
        self._ledger = ledger

    # ------------------------------------------------------------------ planning

    async def restart_planning(self) -> None:
        """Drop rows of a planning that never finished (nothing of it was sent)."""
        await self._call(self._write, lambda db, _: db.execute("DELETE FROM messages"))

    async def add(self, rows: Sequence[PlannedRow]) -> None:
        """Plan ``rows`` (state planned)."""
        await self._call(self._write, lambda db, ledger: self._add(db, ledger, rows))

    @staticmethod
    def _add(db: sqlite3.Connection, ledger: int, rows: Sequence[PlannedRow]) -> None:
        db.executemany(
            "INSERT INTO messages (seq, phone, text, sender, time, format, parts, state, "
            "ledger) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?)",
            [(*row, ledger) for row in rows],
        )

    async def finish_planning(self, fingerprint: str) -> None:
        """Mark the campaign completely planned, with its fingerprint and row count."""
        await self._call(self._write, lambda db, _: self._finish_planning(db, fingerprint))

    @staticmethod
    def _finish_planning(db: sqlite3.Connection, fingerprint: str) -> None:
        (total,) = db.execute("SELECT COUNT(*) FROM messages").fetchone()
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("fingerprint", fingerprint), ("total", str(total)), ("planned", "1")],
        )

    async def fingerprint(self) -> str | None:
        """The fingerprint stored when planning finished."""
        rows = await self._call(self._query, "SELECT value FROM meta WHERE key='fingerprint'", ())
        return str(rows[0][0]) if rows else None

    def _query(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"the journal {self.path} is unreadable ({exc})") from None

    # ------------------------------------------------------------------ reading

    async def counts(self) -> dict[OutcomeState, int]:
        """Rows per state."""
        rows = await self._call(
            self._query, "SELECT state, COUNT(*) FROM messages GROUP BY state", ()
        )
        counts = dict.fromkeys(OutcomeState, 0)
        for state, count in rows:
            try:
                counts[OutcomeState(state)] = int(count)
            except ValueError:
                raise JournalError(f"the journal {self.path} holds an unknown state") from None
        return counts

    async def planned(self, after: int, limit: int) -> list[JournalRow]:
        """Up to ``limit`` planned rows after row ``after``, in order."""
        rows = await self._call(
            self._query,
            "SELECT row, seq, phone, text, sender, time, format, parts FROM messages "
            "WHERE state='planned' AND row > ? ORDER BY row LIMIT ?",
            (after, limit),
        )
        return [JournalRow(*row) for row in rows]

    async def in_doubt(self, after: int, limit: int) -> list[JournalRow]:
        """Up to ``limit`` rows in flight or unknown after row ``after``, in order."""
        rows = await self._call(
            self._query,
            "SELECT row, seq, phone, text, sender, time, format, parts, request_id, sent_at, state "
            "FROM messages WHERE state IN ('in_flight', 'unknown') AND row > ? "
            "ORDER BY row LIMIT ?",
            (after, limit),
        )
        return [JournalRow(*row) for row in rows]

    # ------------------------------------------------------------------ writing

    async def send_out(self, rows: Iterable[int], request_id: str, sent_at: float) -> None:
        """Commit ``rows`` in flight in request ``request_id``: call before it leaves."""
        changes = [(request_id, sent_at, row) for row in rows]
        await self._call(
            self._write,
            lambda db, ledger: db.executemany(
                f"UPDATE messages SET state='in_flight', request_id=?, sent_at=?, "
                f"ledger={ledger:d} WHERE row=?",
                changes,
            ),
            True,
        )

    async def set_state(self, rows: Iterable[int], state: OutcomeState) -> None:
        """Move ``rows`` to ``state`` (planned again, or unknown), keeping their request id."""
        changes = [(state.value, row) for row in rows]
        await self._call(
            self._write,
            lambda db, ledger: db.executemany(
                f"UPDATE messages SET state=?, ledger={ledger:d} WHERE row=?", changes
            ),
        )

    async def settle(self, updates: Sequence[RowUpdate]) -> None:
        """Record final states (accepted, refused) with what the answer said."""
        changes = [
            (
                update.state.value,
                None if update.cost is None else str(update.cost),
                update.error_code,
                update.status,
                update.delivery_error,
                update.row,
            )
            for update in updates
        ]
        await self._call(
            self._write,
            lambda db, ledger: db.executemany(
                "UPDATE messages SET state=?, cost=?, error_code=?, status=?, "
                f"delivery_error=?, ledger={ledger:d} WHERE row=?",
                changes,
            ),
        )
