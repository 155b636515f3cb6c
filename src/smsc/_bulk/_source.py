"""Reading a campaign's messages from a CSV file, one row at a time."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from .._enums import MessageFormat
from .._errors import RequestValidationError
from ._model import BulkMessage

__all__ = ["read_csv"]

COLUMNS: Final = ("phones", "text", "sender", "time")
_REQUIRED: Final = ("phones", "text")


def read_csv(
    path: str | Path,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    format: MessageFormat = MessageFormat.SMS,
) -> Iterator[BulkMessage]:
    """The messages of a CSV file with a header row ``phones,text[,sender,time]``.

    Rows are read one at a time (a file of any size takes little memory). ``phones`` may
    hold several numbers separated by ``;``; an empty ``sender`` or ``time`` is the account's
    default. A text may span lines inside quotes (CSV quoting); it is sent with its line
    feeds.

    Raises:
        RequestValidationError: a missing column or a row of the wrong shape (naming the
            file's line), when the row is reached.
    """
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise RequestValidationError(f"{path}: the CSV file is empty", field="source")
        names = [name.strip().lower() for name in header]
        missing = [name for name in _REQUIRED if name not in names]
        unknown = [name for name in names if name not in COLUMNS]
        if missing or unknown:
            raise RequestValidationError(
                f"{path}: the header must name the columns phones,text[,sender,time]"
                f" (missing: {', '.join(missing) or '-'}; unknown: {', '.join(unknown) or '-'})",
                field="source",
            )
        where = {name: names.index(name) for name in names}
        for row in reader:
            if not row:
                continue
            if len(row) != len(names):
                raise RequestValidationError(
                    f"{path}, line {reader.line_num}: {len(row)} fields, expected {len(names)}",
                    field="source",
                )
            sender = row[where["sender"]] if "sender" in where else ""
            time = row[where["time"]] if "time" in where else ""
            yield BulkMessage(
                phones=row[where["phones"]],
                text=row[where["text"]],
                sender=sender or None,
                time=time or None,
                format=format,
            )
