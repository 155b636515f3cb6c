"""``python -m smsc.testing``: the command line and a real run on a free port."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest

from smsc.testing import SMSCEmulator
from smsc.testing.__main__ import build_parser, run


def test_cli_defaults_to_port_8000_and_the_demo_account() -> None:
    """The documented defaults: ``--port 8000 --login demo --password demo``."""
    args = build_parser().parse_args([])
    assert (args.port, args.login, args.password, args.host) == (8000, "demo", "demo", "127.0.0.1")


def test_help_shows_every_default_the_emulator_starts_with() -> None:
    # A 300-worker test ran out of the default balance that --help did not show.
    result = subprocess.run(
        [sys.executable, "-m", "smsc.testing", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    shown = " ".join(result.stdout.split("options:", 1)[1].split())  # argparse wraps lines

    defaults = build_parser().parse_args([])
    for option, value in [
        ("--host", defaults.host),
        ("--port", defaults.port),
        ("--login", defaults.login),
        ("--password", defaults.password),
        ("--balance", defaults.balance),
        ("--delivery-seconds", defaults.delivery_seconds),
    ]:
        assert f"(default: {value}" in shown, option
    assert "(default: 1000.00" in shown
    for option in ("--smtp-port", "--api-key", "--callback-url", "--callback-secret"):
        help_text = shown.split(f"{option} ", 1)[1].split(" --", 1)[0]
        assert "(default: " in help_text, option


@pytest.mark.integration
async def test_cli_serves_the_account_until_cancelled() -> None:
    """``run`` listens, answers with the real clock, and closes everything when cancelled."""
    args = build_parser().parse_args(
        ["--port", "0", "--login", "shop", "--password", "pw", "--balance", "12.50"]
    )
    started: asyncio.Future[SMSCEmulator] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(run(args, on_ready=started.set_result))
    emulator = await asyncio.wait_for(started, timeout=10)
    site = emulator.sites[0]
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            f"{site.url}/sys/balance.php", data={"login": "shop", "psw": "pw", "fmt": "3"}
        )
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert response.json() == {"balance": "12.50"}
    assert (emulator.clock.real_time, site.running) == (True, False)
