"""What ``smsc bulk`` leaves on a terminal's screen: the raw output of a pty, replayed on a
small terminal model (the live bar redraws itself with cursor moves and line erases)."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from .conftest import Service, run_in_pty

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals"),
]

_CONTROL = re.compile(r"\x1b\[(?P<args>[0-9;?]*)(?P<command>[A-Za-z])|\r|\n|[^\x1b\r\n]+")


def screen_lines(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw``: text, ``\\r``, ``\\n``, cursor up (``A``) and
    down (``B``), erase in line (``K``); other sequences (colours, cursor show/hide) change
    nothing of the text."""
    lines: list[str] = [""]
    row = column = 0
    for match in _CONTROL.finditer(raw):
        text = match.group(0)
        if text == "\r":
            column = 0
        elif text == "\n":
            row, column = row + 1, 0
            if row == len(lines):
                lines.append("")
        elif match.group("command") is not None:
            count = int(match.group("args") or 1) if match.group("args").isdigit() else 1
            command = match.group("command")
            if command == "A":
                row = max(0, row - count)
            elif command == "B":
                row = min(len(lines) - 1, row + count)
            elif command == "K":
                mode = match.group("args") or "0"
                line = lines[row]
                lines[row] = "" if mode == "2" else line[:column] if mode == "0" else line
        else:
            line = lines[row].ljust(column)
            lines[row] = line[:column] + text + line[column + len(text) :]
            column += len(text)
    return [line.rstrip() for line in lines if line.strip()]


def test_the_screen_model_replays_a_redrawn_and_an_erased_line() -> None:
    drawn = "checking 0/?\r\x1b[2Ksending 5/9\nnext\x1b[1A\r\x1b[2K\x1b[1B\rdone"
    assert screen_lines(drawn) == ["done"]
    assert screen_lines("a\r\x1b[2Kb\n") == ["b"]
    assert screen_lines("left\n\x1b[38;5;197mred\x1b[0m") == ["left", "red"]
    assert screen_lines("bar\nerror\x1b[1A\r\x1b[2K") == ["error"]


async def test_a_bad_row_leaves_no_checking_bar_above_its_error_line(
    service: Service, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    source.write_text("phones,text\n79991234567,fine\nnot-a-phone,bad\n", encoding="utf-8")
    env = {**service.env, "TERM": "xterm-256color", "COLUMNS": "160"}
    args = ["bulk", str(source), "--journal", str(tmp_path / "orders.journal")]

    code, raw = await asyncio.to_thread(run_in_pty, args, env)

    shown = screen_lines(raw)
    assert code == 2, raw
    assert "checking" in raw  # the bar was drawn while the file was read...
    assert [line for line in shown if "checking" in line or "0/?" in line] == []  # ...and erased
    assert len(shown) == 1, shown
    assert shown[0].startswith("smsc: error: ")
    assert service.emulator.messages == []
