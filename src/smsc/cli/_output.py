"""What commands print: one JSON document (or JSON lines) with ``--json``, else text.

Text goes through Rich, which writes colours and live lines only to a terminal: piped into
a file or another program, the output is plain text without control characters.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["State", "to_json"]


def to_json(value: object) -> str:
    """One line of JSON, non-ASCII text kept as it is (records are built JSON-ready)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class State:
    """Settings every command shares (``--json``, ``--debug``) and the secrets it read."""

    json: bool = False
    debug: bool = False
    secrets: list[str] = field(default_factory=list)

    @cached_property
    def console(self) -> Console:
        """Rich console on standard output (plain text when it is not a terminal)."""
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True)

    def emit(self, record: Mapping[str, object]) -> None:
        """Print one JSON document (or one line of a JSON-lines stream)."""
        sys.stdout.write(to_json(record) + "\n")
        sys.stdout.flush()

    def table(self, rows: Sequence[tuple[str, object]]) -> None:
        """Print ``label  value`` lines, aligned; rows whose value is ``None`` are left out."""
        shown = [(label, str(value)) for label, value in rows if value is not None]
        width = max((len(label) for label, _ in shown), default=0)
        for label, value in shown:
            self.say(f"{label:<{width}}  {value}")

    def say(self, text: str) -> None:
        """Print one line of text (Rich markup is not interpreted)."""
        self.console.print(text, markup=False)
