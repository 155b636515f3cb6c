"""Find every Python code block of the documentation and say how the test suite checks it.

A block is checked in one of these ways, chosen by an HTML comment on the line just before
its fence (the comment is invisible on the built site):

- ``<!-- snippet: run -->``: run against the emulator (see ``test_snippets.py``);
- ``<!-- snippet: typecheck -->``, or no comment: type-checked by ``mypy --strict``;
- ``<!-- snippet: skip reason="..." -->``: not checked; the reason is required and the test
  counts these, so they stay rare.

A block that only includes a file (``--8<-- "examples/x.py:section"``) is checked where that
file is (mypy and the tests cover ``src``, ``tests``, ``examples``, ``benchmarks``), and a
block written as an interactive session (``>>>``) runs as a doctest.

Names a type-checked block may use without defining them: ``client`` (an open
``AsyncSMSCClient``, as the pages say), plus those its comment lists with
``given="name: type, other"`` (``Any`` when no type is given): your own objects the example
calls, such as a metrics client.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED_FOLDERS = ("src", "tests", "examples", "benchmarks")
"""Where an included file must live: the folders ``make typecheck`` and the tests cover."""

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[^\n]*$")
_MARKER = re.compile(r"^\s*<!--\s*snippet:\s*(?P<kind>[\w-]+)(?P<attrs>.*?)-->\s*$")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_INCLUDE = re.compile(r'^--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')
KINDS = ("run", "typecheck", "skip")


@dataclass
class Snippet:
    """One fenced Python block of a page."""

    page: str
    """The page, relative to the repository (``docs/usage.md``)."""
    line: int
    """The line of the block's first code line (1-based)."""
    code: str
    kind: str
    """``run``, ``typecheck``, ``skip``, ``include`` or ``doctest``."""
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``docs/usage.md:12``."""
        return f"{self.page}:{self.line}"

    def given(self) -> list[tuple[str, str]]:
        """``[(name, type)]`` a type-checked block may use undefined, ``client`` first.

        A type is a builtin (``dict[str, str]``), a dotted name (``smsc.testing.SMSCEmulator``)
        or nothing (``Any``).
        """
        names = [("client", "smsc.AsyncSMSCClient")]
        for item in _split_names(self.attrs.get("given", "")):
            name, _, annotation = item.partition(":")
            names.append((name.strip(), annotation.strip() or "typing.Any"))
        return names

    def awaits_at_top_level(self) -> bool:
        """True when the block uses ``await``/``async with``/``async for`` outside a function."""
        return _top_level_await(ast.parse(self.code, filename=self.where))


def _split_names(text: str) -> list[str]:
    """``"a: dict[str, int], b"`` -> ``["a: dict[str, int]", "b"]`` (commas in brackets kept)."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [item.strip() for item in [*items, current] if item.strip()]


def pages() -> list[Path]:
    """The README and every page under ``docs/``."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def snippets(paths: list[Path] | None = None) -> list[Snippet]:
    """Every Python block of ``paths`` (default: :func:`pages`), in page order."""
    found: list[Snippet] = []
    for path in paths if paths is not None else pages():
        found.extend(_page_snippets(path))
    return found


def _page_snippets(path: Path) -> list[Snippet]:
    lines = path.read_text(encoding="utf-8").splitlines()
    page = path.relative_to(ROOT).as_posix()
    found: list[Snippet] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent = opening.group("indent")
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if opening.group("lang") in ("python", "py", "pycon"):
            body = [
                line[len(indent) :] if line.startswith(indent) else line
                for line in lines[index + 1 : end]
            ]
            found.append(_classify(page, index + 2, "\n".join(body) + "\n", _marker(lines, index)))
        index = end + 1
    return found


def _marker(lines: list[str], fence: int) -> tuple[str, dict[str, str]] | None:
    before = fence - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    if before < 0:
        return None
    match = _MARKER.match(lines[before])
    if match is None:
        if "snippet:" in lines[before]:
            raise ValueError(f"unreadable snippet marker on line {before + 1}: {lines[before]!r}")
        return None
    return match.group("kind"), dict(_ATTR.findall(match.group("attrs")))


def _classify(
    page: str, line: int, code: str, marker: tuple[str, dict[str, str]] | None
) -> Snippet:
    kind, attrs = marker if marker is not None else ("typecheck", {})
    if kind not in KINDS:
        raise ValueError(f"{page}:{line}: unknown snippet kind {kind!r} (one of {KINDS})")
    stripped = [text for text in code.splitlines() if text.strip()]
    if stripped and all(_INCLUDE.match(text.strip()) for text in stripped):
        kind = "include" if marker is None else kind
    elif stripped and stripped[0].lstrip().startswith(">>>"):
        kind = "doctest" if marker is None else kind
    return Snippet(page, line, code, kind, attrs)


def included_files(snippet: Snippet) -> list[tuple[Path, str | None]]:
    """``[(file, section)]`` an ``include`` block names."""
    found = []
    for text in snippet.code.splitlines():
        match = _INCLUDE.match(text.strip())
        if match is not None:
            found.append((ROOT / match.group("path"), match.group("section")))
    return found


def _top_level_await(tree: ast.AST) -> bool:
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, scopes):
            continue
        if isinstance(node, (ast.Await, ast.AsyncWith, ast.AsyncFor)) or _top_level_await(node):
            return True
    return False


def typecheck_module(snippet: Snippet) -> tuple[str, int]:
    """The module mypy checks for ``snippet``, and how many lines come before its code.

    Top-level ``await`` puts the code in the body of an ``async def``.
    """
    # The given names' modules are imported under private names, so that a block that uses
    # a module it does not import itself still fails.
    header: list[str] = []
    declarations: list[str] = []
    for number, (name, annotation) in enumerate(snippet.given()):
        module, _, attribute = annotation.rpartition(".")
        if module and "[" not in annotation:
            header.append(f"import {module} as _given_{number}")
            annotation = f"_given_{number}.{attribute}"
        declarations.append(f"{name}: {annotation}")
    header += declarations
    code = snippet.code
    if snippet.awaits_at_top_level():
        header.append("async def _snippet() -> None:")
        code = "".join(f"    {text}\n" if text.strip() else "\n" for text in code.splitlines())
    return "\n".join(header) + "\n" + code, len(header)
