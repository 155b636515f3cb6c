"""Run the installed ``smsc`` console script against an emulator on a loopback socket."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, Lifecycle, Site, SMSCEmulator

SMSC = Path(sys.executable).with_name("smsc")
"""The console script pip installed beside the interpreter running the tests."""

_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "PYTHONPATH")
"""PYTHONPATH too: the script runs the code under test (the mutation audit's copy, say)."""


class SteppingEmulator(SMSCEmulator):
    """An emulator whose clock moves one second after every status answer.

    A waiting client then sees every step of the lifecycle (waiting, transferred, final)
    one poll after another, however fast or slow the machine is.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.on_answer(self._step)

    def _step(self, command: str) -> None:
        if command == "status":
            self.advance(1.0)


@dataclass(frozen=True)
class Result:
    """What one run of the console script gave."""

    code: int
    stdout: str
    stderr: str


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no SMSC_* or colour variables of the caller, a private config path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in _INHERITED or key.startswith("COVERAGE")  # coverage measures the runs too
    }
    env["SMSC_CONFIG"] = str(tmp_path / "absent.ini")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def demo_env(tmp_path: Path, site: Site) -> dict[str, str]:
    """:func:`base_env` with the demo account's credentials and ``site`` as the host."""
    return base_env(
        tmp_path,
        SMSC_LOGIN=DEMO_LOGIN,
        SMSC_PASSWORD=DEMO_PASSWORD,
        SMSC_HOST=site.url,
        SMSC_ALLOW_HTTP="1",
    )


async def run_smsc(
    *args: str, env: Mapping[str, str], stdin: str | None = None, timeout: float = 60
) -> Result:
    """Run ``smsc ARGS`` and wait for it; the event loop keeps serving the emulator meanwhile."""
    process = await asyncio.create_subprocess_exec(
        str(SMSC),
        *args,
        env=dict(env),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(
        process.communicate(None if stdin is None else stdin.encode()), timeout
    )
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


def run_in_pty(args: list[str], env: Mapping[str, str]) -> tuple[int, str]:
    """Run ``smsc ARGS`` with a pseudo-terminal as stdin, stdout and stderr; all it wrote."""
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [str(SMSC), *args], stdin=follower, stdout=follower, stderr=follower, env=dict(env)
        )
    finally:
        os.close(follower)
    chunks: list[bytes] = []
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: every copy of the follower end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode()


@dataclass(frozen=True)
class Service:
    """The emulator, its socket site, and an environment that points ``smsc`` at it."""

    emulator: SMSCEmulator
    site: Site
    env: dict[str, str]


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    """A stepping emulator with the demo account, served on 127.0.0.1 (any free port)."""
    emu = SteppingEmulator(lifecycle=Lifecycle(transfer_after=1.0, final_after=1.0))
    async with emu:
        emu.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=100)
        site = await emu.start_site(0)
        yield Service(emu, site, demo_env(tmp_path, site))


@pytest.fixture(autouse=True)
def _script_installed() -> None:
    assert SMSC.exists(), f"{SMSC} missing: run `make venv` (the dev extra installs the cli)"
