"""Credentials from a profile file: used when private, refused with the fix when not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import Service, base_env, run_smsc

pytestmark = pytest.mark.integration


def _profile_file(path: Path, service: Service, mode: int) -> Path:
    path.write_text(
        "[default]\nlogin = nobody\npassword = nothing\n\n"
        f"[work]\nlogin = demo\npassword = demo\nhost = {service.site.url}\nallow_http = yes\n",
        encoding="utf-8",
    )
    path.chmod(mode)
    return path


async def test_a_private_profile_file_gives_the_credentials(
    service: Service, tmp_path: Path
) -> None:
    config = _profile_file(tmp_path / "config.ini", service, 0o600)
    env = base_env(tmp_path, SMSC_CONFIG=str(config))  # no SMSC_LOGIN: only the file
    result = await run_smsc("balance", "--profile", "work", "--json", env=env)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["amount"] == "100.00"


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
async def test_a_profile_file_others_can_read_is_refused_with_the_chmod_to_run(
    service: Service, tmp_path: Path
) -> None:
    config = _profile_file(tmp_path / "config.ini", service, 0o644)
    env = base_env(tmp_path, SMSC_CONFIG=str(config))
    result = await run_smsc("balance", "--profile", "work", env=env)
    assert result.code == 2
    assert result.stderr == (
        f"smsc: error: {config} can be read or changed by other users and may hold a "
        f"password; run `chmod 600 {config}` and try again\n"
    )
