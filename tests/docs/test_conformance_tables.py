"""The docs pages' parameter tables equal what the conformance corpus generates."""

from __future__ import annotations

import pytest

from smsc._wire.conformance import corpus

from . import conformance_tables
from .conformance_tables import DOCS, PAGES, _sdk_cell, page_blocks, table


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_command_page_carries_its_documented_parameter_tables(page: str) -> None:
    blocks = page_blocks((DOCS / page).read_text(encoding="utf-8"))
    assert sorted(blocks) == sorted(PAGES[page]), "run: python -m tests.docs.conformance_tables"
    for key in PAGES[page]:
        assert blocks[key] == table(key), f"{page} {key}: python -m tests.docs.conformance_tables"


def test_every_offered_endpoint_has_a_table_on_some_page() -> None:
    shown = {key.partition("#")[0] for keys in PAGES.values() for key in keys}
    offered = {path for path, endpoint in corpus().endpoints.items() if endpoint.offered}
    assert offered == shown


def test_a_table_shows_an_offered_and_a_refused_parameter() -> None:
    text = table("/sys/senders.php")
    assert "| `cmt` | a comment on the name | yes |" in text
    assert "| `all` | 0 only active names, 1 every name [`0`, `1`] | yes |" in text
    assert "| `doc_info` | a comment on a document file sent in the body | no: document" in text


def test_a_parameter_waiting_for_a_fix_is_shown_as_not_yet_with_its_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = corpus()
    param = book.endpoints["/sys/senders.php"].params["mts_step"]
    pending = {("not_offered", "/sys/senders.php", "mts_step"): 5}
    monkeypatch.setattr(conformance_tables, "PENDING_ACCOUNT_FIXES", pending)
    assert _sdk_cell(book, "/sys/senders.php", param, set()) == "not yet (issue 22 item 5)"
    monkeypatch.setattr(conformance_tables, "PENDING_ACCOUNT_FIXES", {})
    assert _sdk_cell(book, "/sys/senders.php", param, set()) == "no"
