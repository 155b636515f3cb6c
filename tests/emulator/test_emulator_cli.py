"""``python -m smsc.testing``: the command line and a real run on a free port."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from smsc.testing import SMSCEmulator
from smsc.testing.__main__ import build_parser, run


def test_cli_defaults_to_port_8000_and_the_demo_account() -> None:
    """The documented defaults: ``--port 8000 --login demo --password demo``."""
    args = build_parser().parse_args([])
    assert (args.port, args.login, args.password, args.host) == (8000, "demo", "demo", "127.0.0.1")


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
