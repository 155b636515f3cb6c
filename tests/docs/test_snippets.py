"""Docs that run: every Python block of the README and ``docs/`` is run or type-checked.

How a block is checked is chosen on the page (see ``snippets.py``): run against the emulator,
type-checked by one ``mypy --strict`` run over all of them, run as a doctest, or held word for
word to the section of a file that the suite checks already. Skips need a reason and are
counted.
"""

from __future__ import annotations

import ast
import asyncio
import doctest
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

import smsc
from smsc.testing import Site, SMSCEmulator

from .snippets import (
    CHECKED_FOLDERS,
    ROOT,
    Snippet,
    copied_from,
    pages,
    section_text,
    snippets,
    typecheck_module,
    write_copies,
)

ALL = snippets()
MAX_SKIPS = 3
"""Skips must stay rare: raise this only with a reason better than "it is hard to check"."""

LOGIN, PASSWORD = "alex", "..."
"""The account the docs' examples log in with; the emulator serves it for ``run`` blocks."""


def of_kind(kind: str) -> list[Snippet]:
    return [snippet for snippet in ALL if snippet.kind == kind]


def test_every_python_block_of_the_docs_is_found_and_checked_one_way() -> None:
    fences = sum(
        len(re.findall(r"^[ \t]*```(?:python|py|pycon)\b", page.read_text(), flags=re.M))
        for page in pages()
    )
    counts = {kind: len(of_kind(kind)) for kind in ("run", "typecheck", "doctest", "copy")}
    counts["skip"] = len(of_kind("skip"))

    assert len(ALL) == fences
    assert sum(counts.values()) == fences
    assert counts["run"] >= 3
    assert counts["typecheck"] >= 10
    print(f"docs snippets: {counts}")


def test_skipped_blocks_are_few_and_each_says_why() -> None:
    skipped = of_kind("skip")
    assert [s.where for s in skipped if not s.attrs.get("reason", "").strip()] == []
    assert len(skipped) <= MAX_SKIPS, [s.where for s in skipped]


def test_no_page_hides_its_code_behind_an_include_marker() -> None:
    # An include shows nothing where the Markdown is read as it is (a repository page, an
    # editor, the sdist): the code is written out, and held to its file by the next test.
    hidden = [
        f"{page.relative_to(ROOT).as_posix()}:{number}"
        for page in pages()
        if page.name != "changelog.md"  # the one include: the site's copy of CHANGELOG.md
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r'^\s*--8<--\s+"', line)
    ]

    assert hidden == []
    assert of_kind("include") == []


@pytest.mark.parametrize("snippet", of_kind("copy"), ids=lambda s: s.where)
def test_copied_code_is_word_for_word_the_checked_file_it_names(snippet: Snippet) -> None:
    path, section = copied_from(snippet)
    assert path.is_file(), f"{snippet.where}: {path} does not exist"
    assert path.relative_to(ROOT).parts[0] in CHECKED_FOLDERS, snippet.where

    assert snippet.code == section_text(path, section), (
        f"{snippet.where} differs from {path.relative_to(ROOT)}"
        f"{':' + section if section else ''}: run `make docs-sync` and review the diff"
    )


def test_the_bulk_pages_campaign_example_is_a_copy_of_the_tested_example() -> None:
    # The case: docs/bulk.md's campaign example was an include marker.
    copies = {s.attrs.get("from") for s in of_kind("copy") if s.page == "docs/bulk.md"}

    assert "examples/bulk_send.py:campaign" in copies


def test_a_stale_copy_is_found_and_rewritten_from_its_file(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        'Text.\n\n<!-- snippet: copy from="examples/bulk_send.py:campaign" -->\n'
        "```python\nold = 1\n```\n\nAfter.\n",
        encoding="utf-8",
    )
    [stale] = snippets([page])
    assert stale.kind == "copy"
    assert stale.code != section_text(*copied_from(stale))

    assert write_copies([page]) == [f"{page.as_posix()}:5"]
    [fresh] = snippets([page])
    assert fresh.code == section_text(*copied_from(fresh))
    assert page.read_text(encoding="utf-8").endswith("```\n\nAfter.\n")


@pytest.mark.parametrize("snippet", of_kind("doctest"), ids=lambda s: s.where)
def test_interactive_examples_print_what_the_page_shows(snippet: Snippet) -> None:
    globs = {name: getattr(smsc, name) for name in smsc.__all__}
    test = doctest.DocTestParser().get_doctest(
        snippet.code, globs, snippet.where, snippet.page, snippet.line - 1
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"{snippet.where}: see the doctest output above"


# ---------------------------------------------------------------------------- mypy


CANARY = (
    "import smsc\n"
    "async def canary(client: smsc.AsyncSMSCClient) -> None:\n"
    "    await client.send(79991234567, 'a phone given as an int')\n"
)
"""A wrong snippet that the same mypy run must reject, so a run that checks nothing fails."""

MISSPELT_OPTIONS = (
    "import smsc\n"
    "def misspelt(client: smsc.AsyncSMSCClient) -> None:\n"
    "    client.with_options(timout=5)\n"
    "    smsc.AsyncSMSCClient(login='a', password='b', max_retrys=5)\n"
    "    client.with_options(timeout='5')\n"
    "    client.with_options(timeout=5, max_retries=1, login='b', password='c')\n"
)
"""Options mypy must refuse (lines 3-5) and accept (line 6): they are typed, not ``**Any``."""


def run_mypy(modules: dict[str, str], folder: Path) -> str:
    """``mypy --strict`` (the project's settings) over ``modules``; its output."""
    for name, text in modules.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    command += [
        "--no-error-summary",
        "--show-error-codes",
        *(str(folder / f"{name}.py") for name in modules),
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def mypy_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, dict[str, tuple[Snippet, int]]]:
    """One mypy run over every type-checked block and the canaries: its output, and where
    each generated module's code comes from (the block, and the lines put before it)."""
    modules: dict[str, str] = {"snippet_canary": CANARY, "snippet_options": MISSPELT_OPTIONS}
    origins: dict[str, tuple[Snippet, int]] = {}
    for number, snippet in enumerate(of_kind("typecheck")):
        name = f"snippet_{number:03d}"
        modules[name], header = typecheck_module(snippet)
        origins[name] = (snippet, header)
    return run_mypy(modules, tmp_path_factory.mktemp("snippets")), origins


def errors_of(output: str, module: str) -> list[int]:
    """The lines of ``module`` that mypy reported an error on."""
    return [int(line) for line in re.findall(rf"{module}\.py:(\d+): error", output)]


def test_typechecked_blocks_pass_mypy_strict(
    mypy_run: tuple[str, dict[str, tuple[Snippet, int]]],
) -> None:
    output, origins = mypy_run

    problems = []
    for line in output.splitlines():
        match = re.match(r"^.*?(snippet_\d+)\.py:(\d+): (error|note): (.*)$", line)
        if match is None:
            continue
        snippet, header = origins[match.group(1)]
        where = f"{snippet.page}:{snippet.line + int(match.group(2)) - header - 1}"
        problems.append(f"{where}: {match.group(3)}: {match.group(4)}")
    assert errors_of(output, "snippet_canary") == [3], output
    assert problems == [], "\n".join(problems)


def test_mypy_refuses_misspelt_or_mistyped_client_options(
    mypy_run: tuple[str, dict[str, tuple[Snippet, int]]],
) -> None:
    output, _ = mypy_run

    assert sorted(set(errors_of(output, "snippet_options"))) == [3, 4, 5], output


# ---------------------------------------------------------------------------- run


@pytest.fixture
async def service(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[SMSCEmulator, Site]]:
    """An emulator on a loopback port, named by ``SMSC_*`` variables as in production."""
    async with SMSCEmulator() as emulator:
        emulator.add_account(LOGIN, PASSWORD, balance=1000)
        site = await emulator.start_site()
        for name in ("SMSC_API_KEY",):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SMSC_LOGIN", LOGIN)
        monkeypatch.setenv("SMSC_PASSWORD", PASSWORD)
        monkeypatch.setenv("SMSC_HOST", site.url)
        monkeypatch.setenv("SMSC_ALLOW_HTTP", "1")
        yield emulator, site


def execute(code: CodeType, namespace: dict[str, Any]) -> None:
    """Run a block in this thread: top-level ``await`` runs with ``client`` open."""
    if code.co_flags & 0x80:  # CO_COROUTINE: the block awaits at top level

        async def with_client() -> None:
            async with smsc.AsyncSMSCClient() as client:
                namespace["client"] = client
                await eval(code, namespace)

        asyncio.run(with_client())
    else:
        exec(code, namespace)


@pytest.mark.parametrize("snippet", of_kind("run"), ids=lambda s: s.where)
async def test_runnable_blocks_run_against_the_emulator(
    snippet: Snippet, service: tuple[SMSCEmulator, Site]
) -> None:
    _, site = service
    code = compile(snippet.code, snippet.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {"__name__": "__snippet__"}

    # In a thread of its own, so that the block may call asyncio.run while the emulator
    # answers on this test's event loop.
    await asyncio.to_thread(execute, code, namespace)

    # It talked to the emulator the variables name, unless it builds an emulator of its own.
    assert site.requests > 0 or "SMSCEmulator(" in snippet.code, snippet.where
