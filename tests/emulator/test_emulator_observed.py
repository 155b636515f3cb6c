"""The emulator as an observable service: its statistics in-process, over HTTP and on exit."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from smsc.testing import RateLimits, SMSCEmulator
from smsc.testing.__main__ import build_parser

LOGIN, PASSWORD = "shop", "shop-pass"


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator(limits=RateLimits(max_concurrent=2)) as emu:
        emu.add_account(LOGIN, PASSWORD, balance=1000)
        emu.add_account("other", "other-pass", balance=10)
        yield emu


def _http(emulator: SMSCEmulator) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator.app), base_url="https://emulator.test"
    )


async def _send(http: httpx.AsyncClient, **fields: str) -> dict[str, object]:
    form = {"login": LOGIN, "psw": PASSWORD, "fmt": "3", **fields}
    answer: dict[str, object] = (await http.post("/sys/send.php", data=form)).json()
    return answer


async def test_the_stats_count_requests_error_9_causes_peaks_and_repeated_ids(
    emulator: SMSCEmulator,
) -> None:
    async with _http(emulator) as http:
        await _send(http, phones="79990000001", mes="one", id="order-1")
        again = await _send(http, phones="79990000001", mes="one", id="order-1")
        await _send(http, phones="79990000002", mes="two", id="order-1")
        await _send(http, phones="79990000002", mes="once", id="order-2")  # sent once: no repeat
        emulator.fail_next_sends("79990000003", 9)
        scripted = await _send(http, phones="79990000003", mes="three")
        for _ in range(11):
            await http.post("/sys/balance.php", data={"login": LOGIN, "psw": PASSWORD})
        await http.post("/sys/balance.php", data={"login": "other", "psw": "wrong"})
        # Two at once where the limit is 2: the second is refused for concurrency.
        emulator.pause_responses()
        held = asyncio.ensure_future(_send(http, phones="79990000004", mes="four"))
        while emulator.in_flight < 1:  # noqa: ASYNC110 - this loop's own task, not a time
            await asyncio.sleep(0)
        refused = await _send(http, phones="79990000005", mes="five")
        emulator.resume_responses()
        await held
        served = (await http.get("/emulator/stats")).json()
    assert again["error_code"] == 9
    assert scripted["error_code"] == 9
    assert refused["error_code"] == 9
    figures = emulator.stats()
    assert served == json.loads(json.dumps(figures))
    assert figures["requests_by_command"]["send"] == {LOGIN: 7}
    assert figures["requests_by_command"]["balance"] == {LOGIN: 11, "(not authenticated)": 1}
    assert figures["error_9_by_cause"] == {
        "concurrency": 1,
        "duplicate send": 1,
        "rate: balance": 1,
        "scripted": 1,
    }
    assert figures["peak_in_flight_by_login"] == {LOGIN: 2}
    assert figures["duplicate_ids"] == {"sends": 2, "by_login": {LOGIN: {"order-1": 3}}}
    assert figures["callbacks"] == {"delivered": 0, "failed": 0, "attempts": 0}
    text = json.dumps(figures)
    for secret in (PASSWORD, "other-pass", "wrong", "79990000001", "7999000000"):
        assert secret not in text


def test_help_shows_every_default() -> None:
    text = " ".join(build_parser().format_help().split())  # argparse wraps to the terminal
    assert "(default: 1000.00" in text  # the balance
    assert "(default: 4.0)" in text  # the delivery time
    assert "max concurrent 15" in text  # the rate rules
    assert "balance per minute 10" in text
    assert "/emulator/stats" in text


@pytest.mark.integration
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
async def test_python_m_smsc_testing_prints_what_it_saw_on_exit() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "smsc.testing",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        url = re.search(r"(http://\S+?)/sys/send\.php", first)
        assert url is not None, first
        async with httpx.AsyncClient(base_url=url.group(1), timeout=10) as http:
            for _ in range(3):
                await http.post("/sys/balance.php", data={"login": "demo", "psw": "demo"})
            stats = (await http.get("/emulator/stats")).json()
        assert stats["requests_by_command"] == {"balance": {"demo": 3}}
        os.kill(process.pid, signal.SIGINT)
        out, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = out.decode()
    assert "what the emulator saw:" in text
    assert "requests: 3" in text
    assert "  balance: demo 3" in text
    assert "error 9: none" in text
    assert "peak in flight: 1 (demo 1)" in text
