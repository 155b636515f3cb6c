"""Ctrl-C: quiet at any point of start-up; in ``smsc bulk``, a summary and how to resume."""

from __future__ import annotations

import asyncio
import csv
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, SMSCEmulator

from .conftest import SMSC, base_env, demo_env, run_smsc

pytestmark = pytest.mark.integration


def _default_sigint() -> None:
    # A pytest-xdist worker ignores SIGINT and a child inherits that: restore it as a
    # person's shell would leave it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# Modules that finish importing one after another while `smsc segments` starts: SIGINT is
# sent as soon as one of them is reported (PYTHONPROFILEIMPORTTIME), so it lands in the
# middle of the imports that follow, wherever they are on a fast or a slow machine.
_POINTS = ["typing_extensions", "pydantic_core", "httpx", "pydantic", "click"]


def _interrupted_after(command: list[str], after: str, tmp_path: Path) -> tuple[int, str]:
    """Start ``command``, send SIGINT once module ``after`` is imported; exit code, stderr."""
    env = base_env(tmp_path, PYTHONPROFILEIMPORTTIME="1")
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    ) as process:
        assert process.stderr is not None
        seen: list[str] = []
        for raw in process.stderr:
            line = raw.decode(errors="replace")
            seen.append(line)
            if line.rstrip().split("|")[-1].strip() == after:
                process.send_signal(signal.SIGINT)
                break
        else:
            pytest.fail(f"{after} was never imported:\n{''.join(seen)[-2000:]}")
        rest = process.stderr.read().decode(errors="replace")
        return process.wait(timeout=60), rest


@pytest.mark.parametrize("after", _POINTS)
def test_ctrl_c_during_start_up_exits_130_without_a_traceback(tmp_path: Path, after: str) -> None:
    code, rest = _interrupted_after([str(SMSC), "segments", "hello"], after, tmp_path)
    errors = [line for line in rest.splitlines() if not line.startswith("import time:")]
    assert "Traceback" not in rest, rest
    assert "PanicException" not in rest
    assert code in (0, 130), (code, errors)  # 0: it had finished when the signal came
    if code == 130:
        assert errors == ["smsc: interrupted"]


@pytest.mark.parametrize("after", ["pydantic", "click"])
def test_python_dash_m_smsc_is_also_quiet_at_start_up(tmp_path: Path, after: str) -> None:
    command = [sys.executable, "-m", "smsc", "segments", "hello"]
    code, rest = _interrupted_after(command, after, tmp_path)
    assert "Traceback" not in rest, rest
    assert code in (0, 130)


def _write_csv(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phones", "text"])
        for n in range(count):
            writer.writerow([f"7999{n:07d}", f"Order {n} is ready."])
    return path


async def test_ctrl_c_in_bulk_prints_the_summary_and_how_to_resume_then_exits_130(
    tmp_path: Path,
) -> None:
    async with SMSCEmulator() as emulator:
        emulator.add_account(DEMO_LOGIN, DEMO_PASSWORD, balance=1_000_000)
        env = demo_env(tmp_path, await emulator.start_site(0))
        source = _write_csv(tmp_path / "orders.csv", 2000)
        journal = str(tmp_path / "orders.journal")
        args = ("bulk", str(source), "--journal", journal, "--max-lines", "20")
        process = await asyncio.create_subprocess_exec(
            str(SMSC), *args, env=env, preexec_fn=_default_sigint,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        loop = asyncio.get_running_loop()
        end = loop.time() + 60
        while len(emulator.messages) < 200:
            assert loop.time() < end, "the campaign never got under way"
            await asyncio.sleep(0.01)
        emulator.pause_responses()  # requests are held at the service when Ctrl-C comes
        while emulator.in_flight < 1:
            assert loop.time() < end, "no request held"
            await asyncio.sleep(0.01)
        process.send_signal(signal.SIGINT)
        await asyncio.sleep(0.2)
        emulator.resume_responses()
        out, err = await asyncio.wait_for(process.communicate(), 60)
        stdout, stderr = out.decode(), err.decode()
        assert process.returncode == 130, stderr
        assert "Traceback" not in stderr
        assert "messages  2,000" in stdout  # the summary table
        assert "accepted" in stdout
        (line,) = stderr.splitlines()
        assert line.startswith("smsc: interrupted; ")
        assert "messages not sent yet" in line
        assert line.endswith("run the same command again to resume")

        again = await run_smsc(*args, "--settle-after", "0", env=env)
        assert again.code == 0, again.stderr
        receipts = Counter((m.phone, m.text) for m in emulator.messages)
        assert sorted(receipts.values()) == [1] * 2000
