"""The errors page's class tree names every public error, each under one of its bases."""

from __future__ import annotations

import re
from pathlib import Path

import smsc
import smsc._limits
import smsc.callbacks

ERRORS_PAGE = Path(__file__).parents[2] / "docs" / "errors.md"


def public_errors() -> dict[str, type[smsc.SMSCError]]:
    """Every ``SMSCError`` class a user can import from the SDK's public modules."""
    found: dict[str, type[smsc.SMSCError]] = {}
    for module in (smsc, smsc.callbacks, smsc._limits):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, smsc.SMSCError):
                found[name] = value
    return found


def documented_tree() -> dict[str, str | None]:
    """``{class name: the name it is drawn under}`` from the first code block of the page."""
    block = ERRORS_PAGE.read_text(encoding="utf-8").split("```")[1]
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = re.match(r"^([│ ├└─]*)([A-Z]\w+)", line)
        if match is None:
            continue
        depth, name = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name] = stack[-1][1] if stack else None
        stack.append((depth, name))
    return parents


def test_errors_page_tree_names_every_public_error() -> None:
    missing = sorted(set(public_errors()) - set(documented_tree()))
    assert missing == []


def test_errors_page_tree_draws_each_error_under_one_of_its_bases() -> None:
    errors = public_errors()
    wrong = {
        name: parent
        for name, parent in documented_tree().items()
        if parent is not None
        and name in errors
        and parent not in {base.__name__ for base in errors[name].__bases__}
    }
    assert wrong == {}
    assert documented_tree()["SMSCError"] is None
