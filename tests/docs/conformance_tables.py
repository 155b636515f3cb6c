"""The docs pages' tables of documented parameters, generated from the conformance corpus.

Each page about a command carries, between ``<!-- conformance-table: PATH[#ACTION] -->`` and
``<!-- /conformance-table -->``, the parameters the service's pages document for it and
whether the SDK offers each one. The facts have one source (the corpus, with what the SDK's
specs can encode); ``test_conformance_tables`` fails when a page differs, and

    .venv/bin/python -m tests.docs.conformance_tables

rewrites the tables (adding a missing one at the end of its page).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from smsc._wire import COMMANDS
from smsc._wire.conformance import Corpus, Param, corpus
from tests.wire.spec_fields import encodable_fields
from tests.wire.test_conformance import PENDING_ACCOUNT_FIXES

DOCS = Path(__file__).parents[2] / "docs"

PAGES: dict[str, tuple[str, ...]] = {
    "usage.md": ("/sys/send.php", "/sys/status.php", "/sys/balance.php"),
    "bulk.md": ("/sys/jobs.php",),
    "senders.md": ("/sys/senders.php",),
    "contacts.md": ("/sys/phones.php",),
    "templates.md": ("/sys/templates.php", "/sys/op_templates.php"),
    "sub-clients.md": ("/sys/users.php",),
    "history.md": ("/sys/get.php#history",),
    "incoming.md": ("/sys/get.php#incoming", "/sys/receive_phones.php"),
    "account.md": ("/sys/get.php#statistics", "/sys/get.php#prices"),
    "operators.md": ("/sys/info.php",),
    "service-notes.md": ("/sys/ping.php",),
}
"""Page -> the tables it carries: an endpoint, or one action of it (``#action``)."""

_BLOCK = re.compile(
    r"<!-- conformance-table: (?P<key>\S+) -->\n.*?<!-- /conformance-table -->", re.DOTALL
)
_MARK = {"page": "", "page-reference": " (ref.)", "issue-22": " (issue 22)"}


def _offered(book: Corpus, path: str, action: str | None) -> set[str]:
    names = [
        name
        for name, (where, what) in book.commands.items()
        if where == path and name in COMMANDS and (action is None or what == action)
    ]
    return {field for name in names for field in encodable_fields(name)}


def _pending_item(path: str, name: str) -> int | None:
    return PENDING_ACCOUNT_FIXES.get(("not_offered", path, name))


def _sdk_cell(book: Corpus, path: str, param: Param, offered: set[str]) -> str:
    endpoint = book.endpoints[path]
    if param.name in offered:
        return "yes"
    if param.name in endpoint.not_offered:
        return "no: " + endpoint.not_offered[param.name].removeprefix("not offered: ")
    item = _pending_item(path, param.name)
    if item is not None:
        return f"not yet (issue 22 item {item})"
    return "no"


def _meaning(param: Param) -> str:
    text = param.meaning or f"(not in the part of the page read: {param.note})"
    if param.values and param.meaning:
        shown = ", ".join(f"`{value}`" if value else "empty" for value in param.values)
        text += f" [{shown}]"
    return text.replace("|", "\\|")


def _source(param: Param) -> str:
    if not param.source:
        return param.evidence
    return f"[page]({param.source}){_MARK.get(param.evidence, ' (' + param.evidence + ')')}"


def _rows(book: Corpus, path: str, params: Iterable[Param], offered: set[str]) -> list[str]:
    return [
        f"| `{param.name}` | {_meaning(param)} | {_sdk_cell(book, path, param, offered)} "
        f"| {_source(param)} |"
        for param in params
    ]


def table(key: str, book: Corpus | None = None) -> str:
    """The markdown table (with its markers) for ``key``: ``PATH`` or ``PATH#ACTION``."""
    book = book or corpus()
    path, _, action_name = key.partition("#")
    endpoint = book.endpoints[path]
    actions = [endpoint.actions[action_name]] if action_name else list(endpoint.actions.values())
    params: dict[str, Param] = {} if action_name else dict(endpoint.params)
    for action in actions:
        params.update(action.params)
    offered = _offered(book, path, action_name or None)
    selectors = ", ".join(
        "`"
        + "`/`".join(f"{key}={value}" for key, values in a.selector.items() for value in values)
        + f"` ({a.name})"
        for a in actions
        if a.selector
    )
    lines = [
        f"<!-- conformance-table: {key} -->",
        f"`{path}` as the service's pages document it (from the conformance corpus; "
        "[how it is made](conformance.md)). `login`, `psw` or `apikey`, `fmt` and `charset` "
        "are written by the SDK on every request.",
        "",
    ]
    if selectors:
        lines += [f"Actions: {selectors}.", ""]
    for action in actions:
        if action.inherits:
            lines += [
                f"The {action.name} action also takes every parameter of `{action.inherits}` "
                "(see [Sending](usage.md#documented-parameters)).",
                "",
            ]
    if params:
        lines += ["| Parameter | Meaning | SDK | Source |", "|---|---|---|---|"]
        lines += _rows(book, path, params.values(), offered)
    else:
        lines.append("No parameters of its own.")
    lines.append("<!-- /conformance-table -->")
    return "\n".join(lines)


def page_blocks(text: str) -> dict[str, str]:
    """The tables a page carries now, by key."""
    return {match["key"]: match[0] for match in _BLOCK.finditer(text)}


def rewrite(page: str) -> bool:
    """Bring ``page``'s tables up to date; True when it changed."""
    target = DOCS / page
    text = original = target.read_text(encoding="utf-8")
    present = page_blocks(text)
    for key in PAGES[page]:
        fresh = table(key)
        if key in present:
            text = text.replace(present[key], fresh)
        else:
            text = text.rstrip("\n") + "\n\n## Documented parameters\n\n" + fresh + "\n"
            present[key] = fresh
    if text != original:
        target.write_text(text, encoding="utf-8")
    return text != original


if __name__ == "__main__":
    changed = [page for page in PAGES if rewrite(page)]
    print("rewrote: " + (", ".join(changed) or "nothing"))
    sys.exit(0)
