"""The entry point's own paths, in-process: registry, usage errors, Ctrl-C, missing extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from smsc.cli import main
from smsc.cli._app import COMMANDS, run
from smsc.cli.commands import segments


def test_every_registered_command_loads_and_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    listing = capsys.readouterr().out
    for name in COMMANDS:
        assert f"  {name} " in listing
    assert "Exit codes: 0 ok, 2 bad input" in listing


def test_an_unknown_command_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["mailout", "x.csv"]) == 2
    assert capsys.readouterr().err == (
        "smsc: error: No such command 'mailout'. (see `smsc --help`)\n"
    )


def test_a_registry_entry_that_is_not_a_command_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(COMMANDS, "broken", "smsc.cli._app:run")
    assert run(["broken"]) == 1
    assert "unexpected error TypeError" in capsys.readouterr().err


def test_ctrl_c_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(segments, "preview_segments", interrupted)
    assert run(["segments", "hi"]) == 130
    assert capsys.readouterr().err.endswith("\nsmsc: interrupted\n")


def test_without_the_cli_extra_one_line_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "click", None)
    monkeypatch.delitem(sys.modules, "smsc.cli._app")
    assert main(["balance"]) == 1
    assert capsys.readouterr().err == (
        "smsc: the command line needs the 'cli' extra (click is not installed): "
        "pip install 'smsc-async[cli]'\n"
    )


def test_importing_smsc_does_not_import_the_cli() -> None:
    # (httpx itself imports click and rich for its own CLI when they are installed.)
    code = "import sys, smsc; print('smsc.cli' in sys.modules, 'smsc.cli._app' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_debug_tracebacks_redact_the_secrets_the_command_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import logging

    from smsc import AsyncSMSCClient

    secret = "Pw-Secret-42"

    async def leaks(self: AsyncSMSCClient) -> None:
        raise RuntimeError(f"a buggy proxy echoed {secret} back")  # as an unforeseen bug would

    monkeypatch.setattr(AsyncSMSCClient, "balance", leaks)
    for name, value in {
        "SMSC_CONFIG": str(tmp_path / "absent.ini"),
        "SMSC_LOGIN": "me",
        "SMSC_PASSWORD": secret,
    }.items():
        monkeypatch.setenv(name, value)
    logger = logging.getLogger("smsc")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logger.level)
    assert run(["balance", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "RuntimeError" in err
    assert secret not in err
    assert "echoed [redacted] back" in err
