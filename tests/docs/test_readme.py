"""The README works for a clone and for someone who only ran ``pip install``; the package's
links are set in one place, to real addresses."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
"""Read as text: Python 3.10 has no TOML reader, and these few keys need none."""


def table(name: str) -> str:
    """The lines of the TOML table ``[name]``, up to the next table."""
    start = PYPROJECT.index(f"\n[{name}]\n") + len(name) + 3
    end = PYPROJECT.find("\n[", start)
    return PYPROJECT[start : end if end != -1 else None]


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```\w*\n(.*?)^```", text, flags=re.M | re.S)


def commands(block: str) -> list[str]:
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_make_demo_and_make_test_are_the_first_commands_for_a_clone() -> None:
    [first_make] = [block for block in code_blocks(README) if "make demo" in block][:1]
    assert commands(first_make)[:2] == ["make demo", "make test"]


def test_after_pip_install_the_readme_says_how_to_run_the_emulator_and_the_cli() -> None:
    shell = [command for block in code_blocks(README) for command in commands(block)]
    assert any(c.startswith(("smsc emulator", "python -m smsc.testing")) for c in shell)
    assert "smsc --help" in shell
    assert any("SMSC_ALLOW_HTTP=1" in c and "SMSC_HOST=http://127.0.0.1" in c for c in shell)
    assert "](docs/cli.md)" in README  # a link, made absolute on the package index


def test_every_extra_but_dev_is_in_the_readme_table() -> None:
    extras = set(re.findall(r"^([\w-]+) = \[", table("project.optional-dependencies"), re.M))
    extras -= {"dev"}
    rows = set(re.findall(r"^\| `(\w+)` \| `pip install 'smsc-async\[\1\]'`", README, re.M))

    assert "worker" in extras
    assert extras - rows == set()


def test_the_package_links_come_from_one_place_with_real_addresses() -> None:
    assert "[project.urls]" not in PYPROJECT  # made by hatch_build.py, not written out
    assert re.search(r'^dynamic = \[.*"urls"', table("project"), re.M)
    links = dict(re.findall(r'^(\w+) = "([^"]*)"', table("tool.hatch.metadata.hooks.custom"), re.M))
    assert sorted(links) == ["documentation", "repository"]
    for name, url in links.items():
        assert url.startswith("https://"), name
        assert "example.invalid" not in url
        assert "example.com" not in url
    assert "example.invalid" not in PYPROJECT
