"""Every SDK error maps to one documented exit code and one line a person can act on."""

from __future__ import annotations

import pytest

from smsc import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InsufficientFundsError,
    InvalidResponseError,
    JournalWriteError,
    MessageDeniedError,
    RequestValidationError,
    SendOutcomeUnknownError,
    ServerError,
    SMSCError,
    StatusWaitTimeoutError,
    TooManyRequestsError,
)
from smsc.cli._exits import CommandError, ExitCode, describe, redacted_traceback


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (RequestValidationError("sender: too long", field="sender"), 2, "nothing was sent"),
        (ConfigurationError("credentials missing"), 2, "credentials missing"),
        (CommandError("no profile"), 2, "no profile"),
        (AuthenticationError(2, command="send"), 3, "check the login and password"),
        (InsufficientFundsError(3, command="send", message_id=7), 3, "top up the account"),
        (MessageDeniedError(6, command="send"), 3, "check the text, the sender id"),
        (TooManyRequestsError(9, command="send", retry_after=60), 3, "retry after 60 s"),
        (
            SendOutcomeUnknownError("timeout", message_id="a-1", phones=["79991234567"]),
            4,
            "`smsc status a-1 PHONE`",
        ),
        (
            SendOutcomeUnknownError("timeout", message_id=None, phones=["79991234567"]),
            4,
            "check with `status` before sending again",
        ),
        (JournalWriteError("cannot write the journal j (disk full)"), 7, "disk full"),
        (
            StatusWaitTimeoutError(message_id="a-1", timeout=5, polls=3),
            4,
            "no final status after 5 s (no status read)",
        ),
        (APITimeoutError("status: timed out"), 5, "raise --request-timeout"),
        (APIConnectionError("send: could not reach"), 5, "check --host"),
        (ServerError("HTTP 502", status_code=502), 5, "try again later"),
        (InvalidResponseError("garbage"), 5, "try again later"),
        (SMSCError("the client is closed"), 1, "the client is closed"),
        (ValueError("boom\nsecond line"), 1, "unexpected error ValueError: boom second line"),
    ],
)
def test_each_error_has_its_exit_code_and_one_line(
    error: BaseException, code: int, words: str
) -> None:
    failure = describe(error)
    assert failure.code == ExitCode(code)
    assert words in failure.message
    assert "\n" not in failure.message
    assert failure.details["error"] == type(error).__name__


def test_api_error_details_carry_the_service_code_and_message_id() -> None:
    failure = describe(InsufficientFundsError(3, command="send", message_id=7))
    assert failure.details == {"error": "InsufficientFundsError", "api_code": 3, "message_id": 7}


def test_tracebacks_hide_every_secret_even_inside_longer_ones() -> None:
    try:
        raise RuntimeError("login failed for pw-123 / pw-1234")
    except RuntimeError as exc:
        text = redacted_traceback(exc, ["pw-123", "pw-1234", ""])
    assert "pw-12" not in text
    assert "login failed for [redacted] / [redacted]" in text
