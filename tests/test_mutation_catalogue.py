"""The mutation catalogue (tests/mutants/*.json) stays applicable as the code changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("smsc_mutation", ROOT / "tools" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


RUNNER = _runner()
MUTANTS = RUNNER.load()


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_each_catalogued_mutant_still_applies_to_exactly_one_place(mutant: object) -> None:
    assert RUNNER.problems(mutant) == []


def test_a_mutant_whose_text_is_gone_is_reported(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_y(): pass\n", encoding="utf-8")
    (tmp_path / "a.py").write_text("x = 1\nx = 1\n", encoding="utf-8")
    mutant = RUNNER.Mutant(
        name="n",
        file="a.py",
        find="x = 1",
        replace="x = 2",
        test="tests/test_x.py::test_z",
        source="t.json",
    )
    found = RUNNER.problems(mutant, tmp_path)
    assert any("occurs 2 times" in problem for problem in found)
    assert any("no test named test_z" in problem for problem in found)
