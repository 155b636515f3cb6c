"""``tools/unasync.py --check`` (``make generate-check``) fails when the sync face drifts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = Path("src/smsc/_sync/_client.py")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tools", root / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "tools" / "unasync.py"), "--check", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_committed_sync_face_is_what_the_generator_makes(copy: Path) -> None:
    result = _check(copy)
    assert result.returncode == 0, result.stderr


def test_the_check_fails_when_a_generated_file_is_edited_by_hand(copy: Path) -> None:
    path = copy / GENERATED
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("def balance(", "def balance_(", 1), encoding="utf-8")
    try:
        result = _check(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "src/smsc/_sync/_client.py differs" in result.stderr
    assert "make generate" in result.stderr


def test_the_check_fails_when_an_async_source_changes_without_regenerating(copy: Path) -> None:
    path = copy / "src" / "smsc" / "_client.py"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace('"""The account balance,', '"""The balance of the account,', 1),
        encoding="utf-8",
    )
    try:
        result = _check(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "src/smsc/_sync/_client.py differs" in result.stderr


def test_a_marker_block_left_open_is_an_error_of_the_generator(copy: Path) -> None:
    path = copy / "src" / "smsc" / "_client.py"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "# unasync: async-only\n", encoding="utf-8")
    try:
        result = _check(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 2
    assert "not closed" in result.stderr
