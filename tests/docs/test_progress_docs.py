"""``CampaignProgress`` is documented whole: every field and property, on the page and in
its docstring (``done``, which a progress bar draws from, was missing from both)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import smsc

BULK_PAGE = Path(__file__).parents[2] / "docs" / "bulk.md"


def public_names() -> set[str]:
    fields = {field.name for field in dataclasses.fields(smsc.CampaignProgress)}
    properties = {
        name
        for name, value in vars(smsc.CampaignProgress).items()
        if isinstance(value, property) and not name.startswith("_")
    }
    return fields | properties


def test_the_bulk_page_names_every_field_and_property_of_campaign_progress() -> None:
    text = BULK_PAGE.read_text(encoding="utf-8")
    section = text[text.index("is a\n`CampaignProgress`") :].split("\n### ", 1)[0]
    named = set(re.findall(r"`(\w+)`", section))

    assert "done" in public_names()
    assert public_names() - named == set()


def test_the_docstring_of_campaign_progress_names_every_field_and_property() -> None:
    doc = smsc.CampaignProgress.__doc__ or ""
    # "        accepted, refused, unknown: ..." names three attributes at once.
    lines = re.findall(r"^ {8}([\w, ]+):", doc, flags=re.M)
    described = {name.strip() for line in lines for name in line.split(",")}

    assert public_names() - described == set()
