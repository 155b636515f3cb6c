"""The testing recipes in ``examples/testing/`` pass when run as an application's tests are.

Each run is a separate ``pytest`` process with the recipes' own ``pytest.ini`` (as in an
application's repository), so the project's configuration does not help them along.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RECIPES = Path(__file__).resolve().parents[2] / "examples" / "testing"

pytestmark = pytest.mark.integration


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    """``pytest`` on the recipes with their own configuration; its output captured."""
    command = [sys.executable, "-m", "pytest", "-c", str(RECIPES / "pytest.ini")]
    command += ["-q", "-p", "no:cacheprovider", "--rootdir", str(RECIPES), *args]
    return subprocess.run(
        command, cwd=RECIPES, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_fastapi_and_aiohttp_recipes_pass_with_asyncio_mode_auto() -> None:
    result = run_pytest(str(RECIPES))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout


def test_the_aiohttp_recipe_also_passes_in_strict_mode_thanks_to_its_marks() -> None:
    result = run_pytest("-o", "asyncio_mode=strict", str(RECIPES / "test_aiohttp_app.py"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
