"""What commands print: one JSON document (or JSON lines) with ``--json``, else text.

Text goes through Rich, which writes colours and live lines only to a terminal: piped into
a file or another program, the output is plain text without control characters. Every
value a command prints (the service's data included: ids, sender ids, texts) passes
:func:`clean` first, in a terminal too, so no answer can move the cursor, retitle the
window or hide text with escape sequences; JSON escapes them.

When the reader of standard output goes away (``smsc ... | head -1``), output stops
quietly: :attr:`State.closed` is set, the rest is discarded, and the command's ``on_closed``
hook (``smsc bulk`` stops sending new requests) is called once.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["State", "clean", "to_json"]

_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""Control characters (C0 but the line feed, DEL, C1), line separators and bidi controls."""

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw among :data:`_UNSAFE` (it escapes C0)."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``) instead.

    Line feeds stay unless ``one_line``; a CSV field keeps them inside its quotes.
    """
    cleaned = _UNSAFE.sub(_escape, text)
    return cleaned.replace("\n", "\\n") if one_line else cleaned


def to_json(value: object) -> str:
    """One line of JSON, non-ASCII text kept as it is (but control characters escaped)."""
    text = json.dumps(value, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class State:
    """Settings every command shares (``--json``, ``--debug``) and the secrets it read."""

    json: bool = False
    debug: bool = False
    secrets: list[str] = field(default_factory=list)
    closed: bool = False
    """Standard output's reader went away: nothing more is written."""
    on_closed: Callable[[], None] | None = None
    """Called once when :attr:`closed` becomes true (``smsc bulk`` stops sending)."""

    @cached_property
    def console(self) -> Console:
        """Rich console on standard output (plain text when it is not a terminal)."""
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:
                # Rich would exit 1 here, from inside whatever the command was doing (a
                # campaign's progress line): the command decides instead (State._write).
                self.quiet = True
                raise BrokenPipeError

        return _Console(highlight=False, soft_wrap=True)

    def emit(self, record: Mapping[str, object]) -> None:
        """Print one JSON document (or one line of a JSON-lines stream)."""
        self._write(lambda: _stdout_line(to_json(record)))

    def table(self, rows: Sequence[tuple[str, object]]) -> None:
        """Print ``label  value`` lines, aligned; rows whose value is ``None`` are left out."""
        shown = [(label, str(value)) for label, value in rows if value is not None]
        width = max((len(label) for label, _ in shown), default=0)
        for label, value in shown:
            self.say(f"{label:<{width}}  {value}")

    def say(self, text: str) -> None:
        """Print one line of text (Rich markup is not interpreted; control characters shown
        as escapes)."""
        self._write(lambda: self.console.print(clean(text), markup=False))

    def csv_writer(self) -> Callable[[Sequence[object]], None]:
        """A writer of CSV rows on standard output (every field through :func:`clean`)."""
        writer = csv.writer(sys.stdout, lineterminator="\n")

        def write(row: Sequence[object]) -> None:
            self._write(lambda: writer.writerow([clean(str(value)) for value in row]))

        return write

    def _write(self, write: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            write()
        except BrokenPipeError:
            self.close_output()

    def close_output(self) -> None:
        """The reader went away: discard the rest of the output, tell the command once."""
        if self.closed:
            return
        self.closed = True
        discard_stdout()
        if self.on_closed is not None:
            self.on_closed()


def _stdout_line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def discard_stdout() -> None:
    """Point standard output at the null device (no error when Python flushes it at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
