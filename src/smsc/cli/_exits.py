"""Exit codes of ``smsc`` and the one-line message for every error a command can meet."""

from __future__ import annotations

import enum
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from smsc import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InsufficientFundsError,
    InvalidPhoneError,
    InvalidTimeError,
    IPBlockedError,
    JournalWriteError,
    MessageDeniedError,
    ParametersError,
    RequestValidationError,
    SendOutcomeUnknownError,
    SMSCError,
    StatusWaitTimeoutError,
    TooManyRequestsError,
    TransportError,
    UndeliverableError,
)

from .._secrets import redact, secret_forms
from ._words import status_words

__all__ = ["CommandError", "ExitCode", "Failure", "describe", "redacted_traceback"]


class ExitCode(enum.IntEnum):
    """What the exit status of ``smsc`` means (documented in ``docs/cli.md``)."""

    OK = 0
    """The command did what was asked."""
    INTERNAL = 1
    """An unexpected error (a bug, or the ``cli`` extra missing): rerun with ``--debug``."""
    BAD_INPUT = 2
    """Bad arguments, options, credentials or config file: nothing was sent."""
    REFUSED = 3
    """The service answered with an error (wrong password, no money, denied text, ...)."""
    OUTCOME_UNKNOWN = 4
    """The send may or may not have gone through, or the wait for a status ran out."""
    UNREACHABLE = 5
    """No usable answer: no connection, a timeout, an HTTP error or an unreadable answer."""
    NOT_DELIVERED = 6
    """``status --wait``: the message reached a final status other than delivered."""
    JOURNAL_UNWRITABLE = 7
    """``bulk``: the journal could not be written (disk full, read-only): fix it, run again."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C."""
    OUTPUT_CLOSED = 141
    """Standard output was closed early (``| head``); ``bulk`` stopped sending new requests."""


class CommandError(Exception):
    """A failure a command reports itself: its exit code and one line for the user."""

    def __init__(
        self,
        message: str,
        code: ExitCode = ExitCode.BAD_INPUT,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.details = dict(details or {})


@dataclass(frozen=True)
class Failure:
    """How an error ends the command: the exit code, one line, and machine-readable details."""

    code: ExitCode
    message: str
    details: dict[str, object]


_API_HINTS: tuple[tuple[type[APIError], str], ...] = (
    (AuthenticationError, "check the login and password or API key, and the IP allow-list"),
    (InsufficientFundsError, "top up the account"),
    (IPBlockedError, "too many errors from this IP: wait before trying again"),
    (
        TooManyRequestsError,
        "if this repeats a send, the first one may have gone through: check `smsc status`",
    ),
    (MessageDeniedError, "check the text, the sender id and the account's contract"),
    (InvalidPhoneError, "check the phone numbers"),
    (UndeliverableError, "this number cannot be reached; check it or try another"),
    (InvalidTimeError, "check --time"),
    (ParametersError, "check the options given"),
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe(exc: BaseException) -> Failure:
    """The exit code, the message and the details for an exception a command raised."""
    details: dict[str, object] = {"error": type(exc).__name__}
    if isinstance(exc, CommandError):
        return Failure(exc.code, _one_line(str(exc)), details | exc.details)
    if isinstance(exc, RequestValidationError):
        if exc.field:
            details["field"] = exc.field
        return Failure(ExitCode.BAD_INPUT, f"{_one_line(str(exc))} (nothing was sent)", details)
    if isinstance(exc, JournalWriteError):
        return Failure(ExitCode.JOURNAL_UNWRITABLE, _one_line(str(exc)), details)
    if isinstance(exc, ConfigurationError):
        return Failure(ExitCode.BAD_INPUT, _one_line(str(exc)), details)
    if isinstance(exc, SendOutcomeUnknownError):
        details["message_id"] = exc.message_id
        check = f"smsc status {exc.message_id} PHONE" if exc.message_id is not None else "status"
        return Failure(
            ExitCode.OUTCOME_UNKNOWN,
            f"the send may or may not have gone through ({exc.reason}); "
            f"check with `{check}` before sending again",
            details,
        )
    if isinstance(exc, StatusWaitTimeoutError):
        details["message_id"] = exc.message_id
        details["polls"] = exc.polls
        last = exc.last_status
        state = "no status read" if last is None else f"last status: {status_words(last.status)}"
        return Failure(
            ExitCode.OUTCOME_UNKNOWN,
            f"no final status after {exc.timeout:g} s ({state}); "
            "wait longer with --timeout, or ask again later",
            details,
        )
    if isinstance(exc, APIError):
        details["api_code"] = exc.code
        if exc.message_id is not None:
            details["message_id"] = exc.message_id
        if exc.retry_after is not None:
            details["retry_after"] = exc.retry_after
        hint = next((text for cls, text in _API_HINTS if isinstance(exc, cls)), None)
        message = f"refused by the service: {_one_line(str(exc))}"
        return Failure(ExitCode.REFUSED, f"{message}; {hint}" if hint else message, details)
    if isinstance(exc, APITimeoutError):
        return Failure(
            ExitCode.UNREACHABLE,
            f"{_one_line(str(exc))}; the service did not answer in time: "
            "try again, or raise --request-timeout",
            details,
        )
    if isinstance(exc, APIConnectionError):
        return Failure(
            ExitCode.UNREACHABLE,
            f"{_one_line(str(exc))}; check --host (or SMSC_HOST), the network and any proxy",
            details,
        )
    if isinstance(exc, TransportError):
        return Failure(
            ExitCode.UNREACHABLE,
            f"{_one_line(str(exc))}; the service is having trouble: try again later",
            details,
        )
    if isinstance(exc, SMSCError):
        return Failure(ExitCode.INTERNAL, _one_line(str(exc)), details)
    return Failure(
        ExitCode.INTERNAL,
        f"unexpected error {type(exc).__name__}: {_one_line(str(exc))} "
        "(rerun with --debug for the traceback)",
        details,
    )


def redacted_traceback(exc: BaseException, secrets: Iterable[str]) -> str:
    """The traceback of ``exc`` (no local variables) with every secret redacted.

    Each secret, in every encoded form an echo may show it, becomes ``[redacted]`` (the
    SDK's one privacy rule, ``smsc._privacy``).
    """
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return redact(text, secret_forms(*secrets))
