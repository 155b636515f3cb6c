"""``smsc status``: one read, or every change until a final status, in a pipe and in a pty."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from smsc import AsyncSMSCClient, DeliveryError, StatusCode
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD

from .conftest import Service, run_in_pty, run_smsc

pytestmark = pytest.mark.integration

PHONE = "79991234567"
FAST = ("--interval", "0.1")  # the emulator steps once per poll, so short pauses lose nothing


async def _sent(service: Service, message_id: str, *, time: str | None = None) -> None:
    """Send through the SDK in-process: only the command under test runs as a subprocess."""
    async with AsyncSMSCClient(
        login=DEMO_LOGIN, password=DEMO_PASSWORD, host=service.site.url, allow_http=True
    ) as client:
        await client.send(PHONE, "hi", id=message_id, time=time)


async def test_status_once_prints_the_current_status(service: Service) -> None:
    await _sent(service, "s-1")
    text = await run_smsc("status", "s-1", PHONE, env=service.env)  # the clock steps after it
    as_json = await run_smsc("status", "s-1", PHONE, "--json", env=service.env)
    assert text.code == 0
    assert [line.split(None, 1) for line in text.stdout.splitlines()[:2]] == [
        ["status", "Waiting to be sent (-1)"],
        ["final", "no"],
    ]
    document = json.loads(as_json.stdout)
    assert (document["status_text"], document["final"], as_json.code) == (
        "Transferred to the operator (0)",
        False,
        0,
    )


async def test_wait_in_a_pipe_prints_each_change_then_the_error_in_words(
    service: Service,
) -> None:
    service.emulator.set_delivery_outcome(
        PHONE, StatusCode.UNDELIVERABLE, DeliveryError.SUBSCRIBER_NOT_FOUND
    )
    await _sent(service, "s-2")
    result = await run_smsc("status", "s-2", PHONE, "--wait", *FAST, env=service.env)
    lines = result.stdout.splitlines()
    assert [line.split(None, 1)[1] for line in lines[:-1]] == [
        "Waiting to be sent (-1)",
        "Transferred to the operator (0)",
    ]
    assert lines[-1] == ("final: Impossible to deliver (20); Subscriber does not exist (error 1)")
    assert result.code == 6
    assert "\x1b" not in result.stdout + result.stderr


async def test_wait_with_json_streams_one_line_per_change(service: Service) -> None:
    await _sent(service, "s-3")
    result = await run_smsc("status", "s-3", PHONE, "--wait", "--json", *FAST, env=service.env)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["event"], e["status"]) for e in events] == [
        ("status", -1),
        ("status", 0),
        ("final", 1),
    ]
    assert events[-1]["status_text"] == "Delivered (1)"
    assert result.code == 0


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX pseudo-terminals")
async def test_wait_in_a_terminal_draws_a_live_line_and_prints_each_change(
    service: Service,
) -> None:
    await _sent(service, "s-4")
    env = {**service.env, "TERM": "xterm-256color", "COLUMNS": "100"}
    args = ["status", "s-4", PHONE, "--wait", *FAST]
    code, screen = await asyncio.to_thread(run_in_pty, args, env)
    assert code == 0
    assert "\x1b[" in screen  # the live line: cursor and erase sequences
    assert "Waiting to be sent (-1)" in screen
    assert "Transferred to the operator (0)" in screen
    assert "final: Delivered (1)" in screen


async def test_wait_that_runs_out_of_time_exits_4_with_the_last_status(service: Service) -> None:
    await _sent(service, "s-5", time="+600")  # scheduled: stays "waiting" for ten minutes
    result = await run_smsc(
        "status", "s-5", PHONE, "--wait", "--timeout", "0.5", *FAST, "--json", env=service.env
    )
    *changes, failure = (json.loads(line) for line in result.stdout.splitlines())
    assert [c["status"] for c in changes] == [-1]
    assert failure["exit_code"] == result.code == 4
    assert failure["error"] == "StatusWaitTimeoutError"
    assert "last status: Waiting to be sent (-1)" in result.stderr


async def test_status_of_a_message_the_service_does_not_know_is_an_error_with_exit_3(
    service: Service,
) -> None:
    await _sent(service, "s-known")
    once, waited, other_phone, as_json = await asyncio.gather(
        run_smsc("status", "nosuch", PHONE, env=service.env),
        run_smsc("status", "nosuch", PHONE, "--wait", *FAST, env=service.env),
        run_smsc("status", "s-known", "79997654321", env=service.env),
        run_smsc("status", "nosuch", PHONE, "--json", env=service.env),
    )

    for result in (once, waited, other_phone):
        assert result.code == 3, result
        assert result.stdout == ""  # no "status Not found (-3)", no "final yes"
        assert "knows no message" in result.stderr
        assert "check the id and that PHONE is the number it was sent to" in result.stderr
        assert "79997654321" not in result.stderr
    document = json.loads(as_json.stdout)
    assert (document["ok"], document["exit_code"], as_json.code) == (False, 3, 3)
    assert document["status"] == -3
