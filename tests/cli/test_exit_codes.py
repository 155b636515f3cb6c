"""Each documented exit code of ``smsc``, from the real failure that causes it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from smsc.testing import Fault

from .conftest import Service, base_env, run_smsc

pytestmark = pytest.mark.integration

PHONE = "79991234567"


async def test_refused_by_the_service_exits_3_and_debug_hides_the_password(
    service: Service,
) -> None:
    secret = "wrong-secret-8f3a"
    result = await run_smsc(
        "balance", "--login", "demo", "--password-stdin", "--debug", "--json",
        env=service.env, stdin=secret + "\n",
    )  # fmt: skip
    document = json.loads(result.stdout)
    assert result.code == document["exit_code"] == 3
    assert document["api_code"] == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "AuthenticationError" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "smsc: error: refused by the service: balance: SMSC error 2: authorise error; "
        "check the login and password or API key, and the IP allow-list"
    )
    assert secret not in result.stdout + result.stderr


async def test_lost_answer_to_a_send_exits_4_and_says_how_to_check(service: Service) -> None:
    await service.site.set_fault(Fault.CLOSE_MID_ANSWER, times=1)
    result = await run_smsc("send", PHONE, "hi", "--id", "lost-1", env=service.env)
    assert result.code == 4
    assert result.stdout == ""
    assert "may or may not have gone through" in result.stderr
    assert "`smsc status lost-1 PHONE`" in result.stderr
    assert result.stderr.count("\n") == 1


async def test_no_connection_exits_5(service: Service) -> None:
    await service.site.set_fault(Fault.REFUSE)
    result = await run_smsc("send", PHONE, "hi", "--json", env=service.env)
    assert result.code == json.loads(result.stdout)["exit_code"] == 5
    assert "could not reach the service" in result.stderr
    assert "check --host" in result.stderr


async def test_bad_input_exits_2_before_anything_is_sent(service: Service, tmp_path: Path) -> None:
    no_credentials = base_env(tmp_path, SMSC_HOST=service.site.url, SMSC_ALLOW_HTTP="1")
    password_flag, missing, bad_phone, unknown_option = await asyncio.gather(
        run_smsc("send", PHONE, "hi", "--password", "hunter2", env=service.env),
        run_smsc("balance", env=no_credentials),
        run_smsc("cost", "12", "hi", "--json", env=service.env),
        run_smsc("balance", "--no-such-option", env=service.env),
    )
    assert {r.code for r in (password_flag, missing, bad_phone, unknown_option)} == {2}
    assert "never taken from the command line" in password_flag.stderr
    assert "hunter2" not in password_flag.stderr
    assert "credentials missing" in missing.stderr
    assert json.loads(bad_phone.stdout)["field"] == "phones"
    assert "No such option '--no-such-option'" in unknown_option.stderr
    for result in (password_flag, missing, bad_phone, unknown_option):
        assert result.stderr.count("\n") == 1, result.stderr
    assert service.emulator.messages == []
