"""Whether a campaign journal's file is whole: stale side files, a ledger, a complete start.

See :mod:`._journal` for what the journal is made of. These checks run when a journal is
opened, before anything is sent; each refusal is a :class:`JournalError` naming the way out.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from pathlib import Path
from typing import BinaryIO, Final

from ._model import JournalError

__all__ = ["check_whole", "link_new", "refuse_stale_side_file", "unusable"]

_JOURNAL_MAGIC: Final = bytes.fromhex("d9d505f920a163d7")
_JOURNAL_HEADER: Final = 28
_USER_VERSION_AT: Final = 60
_MAX_RECORDS_READ: Final = 1_000_000


def _page_one_ledger(handle: BinaryIO, sector: int, page_size: int, records: int) -> int | None:
    """The ledger (``user_version``) in page 1's image in a rollback journal, if it holds it."""
    if not (512 <= page_size <= 65536 and 32 <= sector <= 65536):
        return None
    if records == 0xFFFFFFFF:  # "as many as the file holds"
        records = _MAX_RECORDS_READ
    handle.seek(sector)
    for _ in range(min(records, _MAX_RECORDS_READ)):
        number = handle.read(4)
        if len(number) < 4:
            return None
        if int.from_bytes(number, "big") == 1:
            page = handle.read(page_size)
            if len(page) < _USER_VERSION_AT + 4:
                return None
            return int.from_bytes(page[_USER_VERSION_AT : _USER_VERSION_AT + 4], "big")
        handle.seek(page_size + 4, 1)
    return None


def unusable(path: Path, exc: sqlite3.Error) -> JournalError:
    if "locked" in str(exc):
        return JournalError(f"the journal {path} is in use by another run (nothing was sent)")
    return JournalError(
        f"the journal {path} is unreadable ({exc}): it cannot say what was sent. Restore the "
        "whole file from where the run wrote it, or give another journal file if this one "
        "is not a journal (nothing was sent)"
    )


def link_new(built: Path, path: Path) -> None:
    """Put the complete file ``built`` at ``path`` unless a file is there (another run's)."""
    try:
        os.link(built, path)  # atomic, and fails when another run made it meanwhile
    except FileExistsError:
        return  # that run's journal is opened (and checked) like any other
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(built, path)


def refuse_stale_side_file(path: Path) -> None:
    """Refuse a ``-journal`` beside the file that would roll it back to an older time.

    SQLite rolls back a "hot" rollback journal when it opens the file. The one a killed
    run leaves holds page 1 as it was when its last commit began: the header's ledger
    equal to the main file's, or one less when the commit had begun writing. Any older
    one is a stale or foreign side file, and rolling it back would make rows already
    sent look planned again.
    """
    side = Path(f"{path}-journal")
    try:
        with side.open("rb") as handle:
            header = handle.read(_JOURNAL_HEADER)
            if len(header) < _JOURNAL_HEADER or header[:8] != _JOURNAL_MAGIC:
                return  # absent, emptied or finished: SQLite ignores it
            records, _nonce, _pages, sector, page_size = struct.unpack(">IIIII", header[8:28])
            if records == 0:
                return  # nothing to roll back
            stamp = _page_one_ledger(handle, sector, page_size, records)
        with path.open("rb") as main:
            main.seek(_USER_VERSION_AT)
            current = int.from_bytes(main.read(4), "big")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise JournalError(f"cannot read the journal {path}: {exc}") from None
    if stamp is None or stamp < current - 1:
        raise JournalError(
            f"the side file {side} does not belong to the last commit of the journal "
            f"{path}: rolled back, it would turn the journal back to an older state "
            "and messages could be sent twice. Move that side file away (keep it until "
            "the campaign is done) and run again (nothing was sent)"
        )


def check_whole(db: sqlite3.Connection, meta: dict[str, str], path: Path) -> int:
    """The ledger of the last commit, or a refusal of a file that mixes moments or lost rows.

    Whole means: ``quick_check`` passes, no row is numbered after the header's ledger, the
    ``meta`` ledger is the header's, and a planned campaign still holds all its rows.
    """
    (header,) = db.execute("PRAGMA user_version").fetchone()
    (newest,) = db.execute("SELECT COALESCE(MAX(ledger), 0) FROM messages").fetchone()
    (count,) = db.execute("SELECT COUNT(*) FROM messages").fetchone()
    (check,) = db.execute("PRAGMA quick_check(1)").fetchone()
    ledger = meta.get("ledger", "0")
    total = meta.get("total")
    whole = (
        check == "ok"
        and newest <= header
        and ledger == str(header)
        and (meta.get("planned") != "1" or total is None or total == str(count))
    )
    if not whole:
        raise JournalError(
            f"the journal {path} is damaged: it is not the file its last run left "
            "(a side file was lost or replaced, or it was copied while a run held it), "
            "so it cannot say what was sent. Restore the whole file from where the run "
            "wrote it; running without it could send messages twice (nothing was sent)"
        )
    return int(header)
