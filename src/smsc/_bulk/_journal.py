"""The campaign journal: one SQLite file holding every message's state (the only state).

Each row is one message to one phone: its text and options, its state
(:class:`OutcomeState`), the id of the request that carried it and what the answer said.
The journal is written on one dedicated thread (never on the event loop) in WAL mode; a
request's rows are committed ``in_flight`` with its id before the request leaves, so a
process killed at any point leaves rows that are either planned (never sent), final, or in
flight with a request id by which ``status`` settles them.

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

from ._model import JournalError, OutcomeState

__all__ = ["Journal", "JournalRow", "RowUpdate"]

_T = TypeVar("_T")

SCHEMA: Final = "smsc-campaign-journal/1"

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
    delivery_error INTEGER
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
        try:
            db = sqlite3.connect(
                self.path, timeout=0.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {self.path}: {exc}") from None
        self._db = db
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # Committed rows survive a killed process with NORMAL; only a power cut between
            # checkpoints could lose the last ones (FULL would sync on every commit).
            db.execute("PRAGMA synchronous=NORMAL")
            # One run per journal: a second process gets "database is locked" below.
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("BEGIN IMMEDIATE")
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if tables and "meta" not in tables:
                raise JournalError(f"{self.path} is an SQLite file but not a campaign journal")
            for statement in _TABLES.split(";"):
                if statement.strip():
                    db.execute(statement)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                salt = secrets.token_hex(16)
                db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema", SCHEMA),
                        ("campaign", campaign),
                        ("salt", salt),
                        ("account", account_key(salt, identity)),
                    ],
                )
                db.execute("COMMIT")
                return False
            self._check_meta(meta, campaign, identity)
            db.execute("COMMIT")
            return meta.get("planned") == "1"
        except JournalError:
            self._close()
            raise
        except sqlite3.Error as exc:
            self._close()
            reason = "in use by another run" if "locked" in str(exc) else f"unreadable ({exc})"
            raise JournalError(f"the journal {self.path} is {reason}") from None

    def _check_meta(self, meta: dict[str, str], campaign: str, identity: str) -> None:
        if meta.get("schema") != SCHEMA:
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

    # ------------------------------------------------------------------ planning

    async def restart_planning(self) -> None:
        """Drop rows of a planning that never finished (nothing of it was sent)."""
        await self._call(self._conn.execute, "DELETE FROM messages")

    async def add(self, rows: Sequence[PlannedRow]) -> None:
        """Plan ``rows`` (state planned)."""
        await self._call(self._add, rows)

    def _add(self, rows: Sequence[PlannedRow]) -> None:
        db = self._conn
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO messages (seq, phone, text, sender, time, format, parts, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'planned')",
            rows,
        )
        db.execute("COMMIT")

    async def finish_planning(self, fingerprint: str) -> None:
        """Mark the campaign completely planned, with its fingerprint."""
        await self._call(self._finish_planning, fingerprint)

    def _finish_planning(self, fingerprint: str) -> None:
        db = self._conn
        db.execute("BEGIN")
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("fingerprint", fingerprint), ("planned", "1")],
        )
        db.execute("COMMIT")

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
        await self._call(self._send_out, list(rows), request_id, sent_at)

    def _send_out(self, rows: list[int], request_id: str, sent_at: float) -> None:
        db = self._conn
        db.execute("BEGIN")
        db.executemany(
            "UPDATE messages SET state='in_flight', request_id=?, sent_at=? WHERE row=?",
            [(request_id, sent_at, row) for row in rows],
        )
        db.execute("COMMIT")

    async def set_state(self, rows: Iterable[int], state: OutcomeState) -> None:
        """Move ``rows`` to ``state`` (planned again, or unknown), keeping their request id."""
        await self._call(self._set_state, list(rows), state)

    def _set_state(self, rows: list[int], state: OutcomeState) -> None:
        db = self._conn
        db.execute("BEGIN")
        db.executemany(
            "UPDATE messages SET state=? WHERE row=?", [(state.value, row) for row in rows]
        )
        db.execute("COMMIT")

    async def settle(self, updates: Sequence[RowUpdate]) -> None:
        """Record final states (accepted, refused) with what the answer said."""
        await self._call(self._settle, updates)

    def _settle(self, updates: Sequence[RowUpdate]) -> None:
        db = self._conn
        db.execute("BEGIN")
        db.executemany(
            "UPDATE messages SET state=?, cost=?, error_code=?, status=?, delivery_error=? "
            "WHERE row=?",
            [
                (
                    update.state.value,
                    None if update.cost is None else str(update.cost),
                    update.error_code,
                    update.status,
                    update.delivery_error,
                    update.row,
                )
                for update in updates
            ],
        )
        db.execute("COMMIT")
