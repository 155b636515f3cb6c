"""Find every Python code block of the documentation and say how the test suite checks it.

A block is checked in one of these ways, chosen by an HTML comment on the line just before
its fence (the comment is invisible on the built site):

- ``<!-- snippet: run -->``: run against the emulator (see ``test_snippets.py``);
- ``<!-- snippet: typecheck -->``, or no comment: type-checked by ``mypy --strict``;
- ``<!-- snippet: skip reason="..." -->``: not checked; the reason is required and the test
  counts these, so they stay rare;
- ``<!-- snippet: copy from="examples/x.py:section" -->``: a word-for-word copy of a section
  of a file that the suite checks already (mypy and the tests cover ``src``, ``tests``,
  ``examples``, ``benchmarks``); the test holds the copy to the file. The code is written out
  on the page, so a reader of the Markdown itself (a repository page, an editor, the sdist)
  sees it; ``python -m tests.docs.snippets --write`` (``make docs-sync``) rewrites every copy
  from its file after the file changed. A section is what lies between the file's
  ``# --8<-- [start:name]`` and ``# --8<-- [end:name]`` lines; no section means the whole file.

A block written as an interactive session (``>>>``) runs as a doctest. An include marker
(``--8<-- "file"``) shows nothing where the Markdown is read as it is, so code blocks do not
use one (the test refuses them); only ``docs/changelog.md`` includes ``CHANGELOG.md``.

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
KINDS = ("run", "typecheck", "skip", "copy")


@dataclass
class Snippet:
    """One fenced Python block of a page."""

    page: str
    """The page, relative to the repository (``docs/usage.md``)."""
    line: int
    """The line of the block's first code line (1-based)."""
    code: str
    kind: str
    """``run``, ``typecheck``, ``skip``, ``copy``, ``include`` or ``doctest``."""
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


def _page_name(path: Path) -> str:
    """``docs/usage.md`` for a page of the repository, the full path for any other file."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _page_snippets(path: Path) -> list[Snippet]:
    lines = path.read_text(encoding="utf-8").splitlines()
    page = _page_name(path)
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


def copied_from(snippet: Snippet) -> tuple[Path, str | None]:
    """The file and section (``None``: the whole file) a ``copy`` block says it copies."""
    origin = snippet.attrs.get("from", "")
    path, _, section = origin.partition(":")
    if not path:
        raise ValueError(f'{snippet.where}: a copy needs from="path[:section]"')
    return ROOT / path, section or None


def section_text(path: Path, section: str | None) -> str:
    """The lines of ``path`` between its ``--8<-- [start:section]`` and ``[end:section]``
    lines (the whole file without such lines when ``section`` is ``None``), without the
    blank lines at either end, ending in one newline."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if section is None:
        kept = [line for line in lines if "--8<-- [" not in line]
    else:
        start, end = f"--8<-- [start:{section}]", f"--8<-- [end:{section}]"
        begins = [number for number, line in enumerate(lines) if line.strip().endswith(start)]
        ends = [number for number, line in enumerate(lines) if line.strip().endswith(end)]
        if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
            raise ValueError(f"{path}: no single section {section!r}")
        kept = [line for line in lines[begins[0] + 1 : ends[0]] if "--8<-- [" not in line]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n"


def write_copies(paths: list[Path] | None = None) -> list[str]:
    """Rewrite every ``copy`` block of ``paths`` (default: :func:`pages`) from its file;
    the blocks that changed (``docs/x.md:12``)."""
    changed: list[str] = []
    for path in paths if paths is not None else pages():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        page = _page_name(path)
        # From the end, so that the line numbers of the blocks before stay right.
        for snippet in reversed([s for s in _page_snippets(path) if s.kind == "copy"]):
            fresh = section_text(*copied_from(snippet))
            if fresh == snippet.code:
                continue
            first = last = snippet.line - 1
            while lines[last].strip() != "```":
                last += 1
            lines[first:last] = fresh.splitlines(keepends=True)
            changed.append(f"{page}:{snippet.line}")
        path.write_text("".join(lines), encoding="utf-8")
    return changed


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


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.docs.snippets --write  (rewrite the docs' copies)")
    for where in write_copies():
        print(f"rewrote {where}")
