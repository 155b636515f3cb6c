"""Reading a campaign's messages from a CSV file, one row at a time."""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Final, TextIO

from .._enums import MessageFormat
from .._errors import RequestValidationError
from ._model import BulkMessage

__all__ = ["MAX_FIELD_CHARS", "MAX_LINE_CHARS", "CsvMessages", "read_csv", "where_in_file"]

COLUMNS: Final = ("phones", "text", "sender", "time")
_REQUIRED: Final = ("phones", "text")


MAX_FIELD_CHARS: Final = 128 * 1024
"""The ``csv`` module's default limit on a field: a longer field is refused."""

MAX_LINE_CHARS: Final = 2 * MAX_FIELD_CHARS
"""The longest physical line read: a file without line breaks costs no more than this."""


def read_csv(
    path: str | Path,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    format: MessageFormat = MessageFormat.SMS,
) -> CsvMessages:
    """The messages of a CSV file with a header row ``phones,text[,sender,time]``.

    Rows are read one at a time (a file of any size takes little memory, and a line is
    read up to :data:`MAX_LINE_CHARS` at most). ``phones`` may hold several numbers
    separated by ``;``; an empty ``sender`` or ``time`` is the account's default. A text
    may span lines inside quotes (CSV quoting); it is sent with its line feeds. A UTF-8
    byte order mark (what spreadsheet programs write) is skipped. The iterator's ``row``
    and ``line`` say where the last message came from (``row 1`` is the first after the
    header; ``line`` is the file's line it starts on).

    Raises:
        RequestValidationError: a missing, unknown or repeated column, a row of the wrong
            shape, a quote left open, a field over the ``csv`` module's limit or a line
            over :data:`MAX_LINE_CHARS`, naming the row and the line, when the row is
            reached.
    """
    return CsvMessages(path, encoding=encoding, delimiter=delimiter, format=format)


class CsvMessages(Iterator[BulkMessage]):
    """The messages of a CSV file, one at a time (see :func:`read_csv`)."""

    def __init__(
        self, path: str | Path, *, encoding: str, delimiter: str, format: MessageFormat
    ) -> None:
        self.path = path
        self.row = 0
        """The data row of the last message (the header not counted)."""
        self.line = 0
        """The file's line that row starts on."""
        self._messages = self._read(encoding, delimiter, format)

    def __next__(self) -> BulkMessage:
        return next(self._messages)

    def close(self) -> None:
        """Close the file (when the messages were not all read)."""
        self._messages.close()

    def _read(
        self, encoding: str, delimiter: str, format: MessageFormat
    ) -> Generator[BulkMessage, None, None]:
        path = self.path
        with open(path, encoding=encoding, newline="") as handle:
            lines = _Lines(handle, path)
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            header = _next(reader, lines, path, 0)
            if header is None:
                raise RequestValidationError(f"{path}: the CSV file is empty", field="source")
            if header:
                header[0] = header[0].removeprefix("\ufeff")
            names = [name.strip().lower() for name in header]
            missing = [name for name in _REQUIRED if name not in names]
            unknown = [name for name in names if name not in COLUMNS]
            if missing or unknown:
                raise RequestValidationError(
                    f"{path}: the header must name the columns phones,text[,sender,time] "
                    f"(missing: {', '.join(missing) or '-'}; "
                    f"unknown: {', '.join(unknown) or '-'})",
                    field="source",
                )
            repeated = sorted({name for name in names if names.count(name) > 1})
            if repeated:
                raise RequestValidationError(
                    f"{path}: the header names {', '.join(repeated)} more than once; "
                    "name each column once",
                    field="source",
                )
            where = {name: names.index(name) for name in names}
            number = 0
            while True:
                number += 1
                row = _next(reader, lines, path, number)
                if row is None:
                    return
                if not row:
                    number -= 1  # a blank line is not a row
                    continue
                if len(row) != len(names):
                    raise RequestValidationError(
                        f"{path}, {where_in_file(number, lines.start)}: {len(row)} fields, "
                        f"expected {len(names)}",
                        field="source",
                    )
                sender = row[where["sender"]] if "sender" in where else ""
                time = row[where["time"]] if "time" in where else ""
                self.row, self.line = number, lines.start
                yield BulkMessage(
                    phones=row[where["phones"]],
                    text=row[where["text"]],
                    sender=sender or None,
                    time=time or None,
                    format=format,
                )


def where_in_file(row: int, line: int) -> str:
    """``row N`` (data rows, the header not counted) and the file's ``line L`` it starts on."""
    return f"row {row} (line {line})"


class _Lines:
    """The file's lines, each read up to :data:`MAX_LINE_CHARS` (no unbounded line)."""

    def __init__(self, handle: TextIO, path: str | Path) -> None:
        self._handle = handle
        self._path = path
        self.count = 0
        self.start = 1
        """The line the record being read starts on."""

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_LINE_CHARS + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) > MAX_LINE_CHARS:
            raise RequestValidationError(
                f"{self._path}, line {self.count}: longer than {MAX_LINE_CHARS:,} characters "
                "(is it a CSV file with line breaks?)",
                field="source",
            )
        return line


def _next(
    reader: Iterator[list[str]], lines: _Lines, path: str | Path, row: int
) -> list[str] | None:
    """The next record, or None at the end; a malformed one is refused naming where."""
    lines.start = lines.count + 1
    try:
        return next(reader, None)
    except csv.Error as exc:
        place = "the header" if row == 0 else where_in_file(row, lines.start)
        if "end of data" in str(exc):
            detail = "a quote opened here is never closed (the rest of the file would be its text)"
        elif "field limit" in str(exc):
            detail = f"a field longer than {csv.field_size_limit():,} characters"
        else:
            detail = str(exc)
        raise RequestValidationError(f"{path}, {place}: {detail}", field="source") from None
