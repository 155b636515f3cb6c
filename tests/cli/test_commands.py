"""Every ``smsc`` command, run as the installed console script against a loopback emulator."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

from smsc.testing import DEMO_LOGIN

from .conftest import SMSC, Service, base_env, run_smsc

pytestmark = pytest.mark.integration

PHONE = "79991234567"


async def test_send_prints_id_parts_cost_and_balance_and_the_emulator_gets_it(
    service: Service,
) -> None:
    text, as_json = await asyncio.gather(
        run_smsc("send", PHONE, "Привет", "--id", "order-1", "--sender", "Shop", env=service.env),
        run_smsc(
            "send", "79990000001,79990000002", "Hello", "--format", "flash", "--translit",
            "latin", "--time", "+60", "--json", env=service.env,
        ),
    )  # fmt: skip
    assert (text.code, text.stderr) == (0, "")
    lines = dict(line.split(None, 1) for line in text.stdout.splitlines())
    assert lines["id"] == "order-1"
    assert lines["parts"] == "1"
    assert lines["cost"]
    assert lines["balance"]
    assert "\x1b" not in text.stdout
    document = json.loads(as_json.stdout)
    assert as_json.code == 0
    assert document["count"] == 2
    assert {m.phone for m in service.emulator.messages} == {PHONE, "79990000001", "79990000002"}
    assert service.emulator.message("order-1", PHONE).sender == "Shop"


async def test_dry_run_checks_offline_and_sends_nothing(service: Service) -> None:
    ok, bad = await asyncio.gather(
        run_smsc("send", f"{PHONE},79990000001", "Привет", "--dry-run", "--json", env=service.env),
        run_smsc("send", "12", "hi", "--dry-run", env=base_env(Path("/nonexistent"))),
    )
    assert ok.code == 0
    assert json.loads(ok.stdout) == {
        "dry_run": True,
        "recipients": 2,
        "encoding": "ucs2",
        "parts": 1,
        "total_parts": 2,
        "remaining": 64,
    }
    assert bad.code == 2
    assert bad.stderr.startswith("smsc: error: phones:")
    assert "nothing was sent" in bad.stderr
    assert bad.stderr.count("\n") == 1
    assert service.emulator.messages == []


async def test_cost_and_balance_in_text_and_json(service: Service) -> None:
    cost_json, balance_text = await asyncio.gather(
        run_smsc("cost", PHONE, "x" * 200, "--json", env=service.env),
        run_smsc("balance", env=service.env),
    )
    assert json.loads(cost_json.stdout)["count"] == 2
    assert balance_text.stdout.split()[:2] == ["balance", "100.00"]
    assert {cost_json.code, balance_text.code} == {0}
    assert service.emulator.messages == []


async def test_segments_is_offline_and_names_the_characters_forcing_ucs2(tmp_path: Path) -> None:
    env = base_env(tmp_path)  # no credentials, no service: nothing is needed
    text, as_json = await asyncio.gather(
        run_smsc("segments", "Hello, Мир", env=env),
        run_smsc("segments", "Привет " + "x" * 154, "--translit", "latin", "--json", env=env),
    )
    assert text.code == 0
    assert "UCS-2" in text.stdout
    assert "М (U+041C), и (U+0438), р (U+0440)" in text.stdout
    assert "left in last part  60" in text.stdout
    document = json.loads(as_json.stdout)
    assert (document["encoding"], document["parts"], document["remaining"]) == ("gsm7", 2, 145)
    assert document["ucs2_characters"] == []
    assert document["part_texts"][0].startswith("Privet xxx")


async def test_python_dash_m_smsc_is_the_same_command(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smsc", "--version",
        env=base_env(tmp_path), stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    assert process.returncode == 0
    assert out.decode().startswith("smsc, version ")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def test_emulator_command_serves_until_interrupted(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    process = await asyncio.create_subprocess_exec(
        str(SMSC), "emulator", "--port", "0", "--login", "shop", "--password", "pw",
        "--balance", "7.50", "--json",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        # A pytest-xdist worker ignores SIGINT and a child inherits that: Ctrl-C is restored
        # as a person's shell would leave it, or the emulator could never be interrupted.
        preexec_fn=_default_sigint,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        ready = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
        assert ready["event"] == "ready"
        assert ready["login"] == "shop"
        balance = await run_smsc(
            "balance", "--host", ready["urls"][0], "--allow-http", "--login", "shop",
            "--password-stdin", "--json", env=env, stdin="pw\n",
        )  # fmt: skip
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert json.loads(balance.stdout)["amount"] == "7.50"
    assert process.returncode == 0
    assert "listening on http://127.0.0.1:" in err.decode()  # text moves to stderr with --json


async def test_emulator_command_refuses_bad_options_in_one_line(tmp_path: Path) -> None:
    result = await run_smsc("emulator", "--port", "0", "--balance", "lots", env=base_env(tmp_path))
    assert result.code == 2
    assert result.stderr == "smsc: error: --balance must be a number, got 'lots'\n"
    assert DEMO_LOGIN not in result.stdout
