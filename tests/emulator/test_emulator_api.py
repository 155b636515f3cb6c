"""The emulator's own Python API: typed errors, secrets, optional dependencies."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from smsc import ConfigurationError, RequestValidationError
from smsc.testing import EmulatorClock, SMSCEmulator, parse_mail

from .conftest import API_KEY, LOGIN, PASSWORD, form


def test_importing_the_emulator_and_plugin_does_not_load_aiosmtpd() -> None:
    """aiosmtpd is the optional ``testing`` extra: only the SMTP ingest imports it."""
    code = "import sys, smsc.testing, smsc.testing._pytest_plugin; print('aiosmtpd' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_unknown_final_status_is_a_configuration_error(emulator: SMSCEmulator) -> None:
    """Setting errors are SDK errors, never bare ValueError."""
    with pytest.raises(ConfigurationError):
        emulator.set_delivery_outcome("79991234567", 99)


def test_second_account_with_the_same_login_is_refused(emulator: SMSCEmulator) -> None:
    """Logins are unique."""
    with pytest.raises(ConfigurationError):
        emulator.add_account(LOGIN, "other")


def test_clock_never_goes_backwards() -> None:
    """The clock only moves forward."""
    clock = EmulatorClock(start=1000.0)
    with pytest.raises(ConfigurationError):
        clock.advance(-1)
    with pytest.raises(ConfigurationError):
        clock.set(999.0)


def test_account_repr_shows_no_secret(emulator: SMSCEmulator) -> None:
    """Passwords, API keys and the callback secret never appear in a repr."""
    account = emulator.account(LOGIN)
    account.callback_secret = "cb-secret-value"
    text = repr(account)
    assert (PASSWORD in text, API_KEY in text, "cb-secret-value" in text) == (False, False, False)


def test_mail_in_an_unknown_layout_is_a_validation_error() -> None:
    """``parse_mail`` refuses a body that is not ``login:psw:id:time:options:phones:mes``."""
    raw = b"Content-Type: text/plain\r\n\r\nhello there"
    with pytest.raises(RequestValidationError) as caught:
        parse_mail(raw)
    assert caught.value.field == "body"


async def test_answer_listener_hears_each_command_after_its_answer(
    emulator: SMSCEmulator,
) -> None:
    """``on_answer`` is called once per answered request, refused ones and unserved
    commands included, with the command's name."""
    heard: list[tuple[str, int]] = []
    emulator.on_answer(lambda command: heard.append((command, len(emulator.messages))))
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as http:
        await http.post("/sys/send.php", data=form(phones="79991234567", mes="Hi"))
        await http.post("/sys/balance.php", data={**form(), "psw": "wrong"})
        await http.post("/sys/unknown.php", data=form())
    assert heard == [("send", 1), ("balance", 1), ("", 1)]
