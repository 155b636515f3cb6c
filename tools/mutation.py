"""The mutation audit: each catalogued mutant must be caught by the test that guards it.

A mutant is a small, deliberate bug in critical behaviour, written down in
``tests/mutants/<area>.json`` as a list of objects::

    {"name": "what the bug is",
     "file": "src/smsc/...",           # the file it is planted in
     "find": "text found exactly once in that file",
     "replace": "the text that replaces it",
     "test": "tests/...::test_name"}   # the test that must fail with it

The audit copies the working tree once (without ``.git`` and virtual environments), then for
each mutant writes the mutated file into the copy, runs the named test there with the copy's
``src`` first on ``sys.path`` and restores the file. A mutant is *caught* when the test fails
(exit code 1) within the time limit; *survived* when it passes; *broken* when pytest could not
run it (collection error, no such test) or the ``find`` text is not unique. The checked-in
working tree is never modified.

``python tools/mutation.py [--only NAME_SUBSTRING] [--timeout SECONDS]``; ``make mutation``.
Exit status 0 only when every mutant was caught. ``--check`` validates the catalogue without
running anything (that is what the suite runs on every ``make test``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "mutants"
SKIP = {".git", ".venv", "site", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    find: str
    replace: str
    test: str
    source: str  # the catalogue file it came from


def load(directory: Path = CATALOGUE) -> list[Mutant]:
    """Every mutant of every catalogue file, in file order."""
    mutants: list[Mutant] = []
    for path in sorted(directory.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, list):
            raise ValueError(f"{path.name}: expected a JSON list of mutants")
        for entry in entries:
            keys = {"name", "file", "find", "replace", "test"}
            if not isinstance(entry, dict) or set(entry) != keys:
                raise ValueError(f"{path.name}: each mutant has exactly the keys {sorted(keys)}")
            if not all(isinstance(entry[key], str) for key in keys):
                raise ValueError(f"{path.name}: {entry.get('name')!r}: every value is a string")
            mutants.append(Mutant(**entry, source=path.name))
    return mutants


def problems(mutant: Mutant, root: Path = ROOT) -> list[str]:
    """What makes a catalogue entry unusable: it no longer applies, or names nothing."""
    found: list[str] = []
    target = root / mutant.file
    if not target.is_file():
        return [f"no file {mutant.file}"]
    count = target.read_text(encoding="utf-8").count(mutant.find)
    if count != 1:
        found.append(f"'find' occurs {count} times in {mutant.file} (must be exactly once)")
    if mutant.find == mutant.replace:
        found.append("'replace' equals 'find': not a mutant")
    test_file, _, test_name = mutant.test.partition("::")
    if not (root / test_file).is_file():
        found.append(f"no test file {test_file}")
    elif test_name and test_name.split("[")[0] not in (root / test_file).read_text("utf-8"):
        found.append(f"no test named {test_name} in {test_file}")
    return found


def _copy_tree(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        return {name for name in names if name in SKIP or name.startswith(".venv")}

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)


def run(mutants: list[Mutant], timeout: float) -> int:
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="smsc-mutation-") as scratch:
        copy = Path(scratch) / "repo"
        _copy_tree(copy)
        env = {
            **os.environ,
            "PYTHONPATH": str(copy / "src"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for mutant in mutants:
            issues = problems(mutant, copy)
            if issues:
                survivors += 1
                print(f"BROKEN    {mutant.source}: {mutant.name}: {'; '.join(issues)}")
                continue
            target = copy / mutant.file
            original = target.read_text(encoding="utf-8")
            target.write_text(original.replace(mutant.find, mutant.replace), encoding="utf-8")
            started = time.monotonic()
            try:
                completed = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pytest",
                        mutant.test,
                        "-x",
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        "-n",
                        "0",
                        "-o",
                        "addopts=",
                    ],
                    cwd=copy,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
                code: int | None = completed.returncode
            except subprocess.TimeoutExpired:
                code = None
            finally:
                target.write_text(original, encoding="utf-8")
            took = time.monotonic() - started
            if code == 1:
                verdict = "caught"
            elif code == 0:
                verdict, survivors = "SURVIVED", survivors + 1
            elif code is None:
                verdict, survivors = "TIMEOUT", survivors + 1
            else:
                verdict, survivors = f"BROKEN({code})", survivors + 1
            print(f"{verdict:<9} {took:5.1f}s  {mutant.source}: {mutant.name}  ->  {mutant.test}")
    print(f"{len(mutants) - survivors} of {len(mutants)} mutants caught")
    return 1 if survivors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the mutants whose name contains this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant")
    parser.add_argument("--check", action="store_true", help="validate the catalogue only")
    options = parser.parse_args(argv)
    mutants = [m for m in load() if options.only in m.name]
    if options.check:
        bad = [(m, problems(m)) for m in mutants]
        for mutant, issues in bad:
            for issue in issues:
                print(f"{mutant.source}: {mutant.name}: {issue}")
        return 1 if any(issues for _, issues in bad) else 0
    return run(mutants, options.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
