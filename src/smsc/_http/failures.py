"""How a failed exchange reads: the one mapping of transport failures onto the SDK's errors.

Used by the request pipeline (:mod:`smsc._base_client`): a request that provably never left is
"not sent"; after it may have left, a command that may not be repeated ends in an
:class:`OutcomeUnknownError` (:class:`SendOutcomeUnknownError` for a send); anything else in
a connection, timeout or invalid-answer error.
"""

from __future__ import annotations

from typing import Any

import httpx

from .._errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    OutcomeUnknownError,
    SendOutcomeUnknownError,
    SMSCError,
)
from .._wire import CommandSpec
from .body import AnswerTooLarge

__all__ = ["NEVER_LEFT", "failure", "outcome_unknown"]

# Failures after which the request provably never left: safe to report as "not sent".
NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def failure(
    spec: CommandSpec[Any, Any], args: object, exc: httpx.TransportError | httpx.DecodingError
) -> SMSCError:
    """The one mapping of a failed exchange to the SDK's error for ``spec``."""
    if isinstance(exc, NEVER_LEFT):
        return _connection_error(spec.name, exc)
    if not spec.may_repeat:
        # It may have been written, or an answer came (a bad Content-Encoding): it may have
        # acted, so it is neither "not sent" nor repeatable.
        return outcome_unknown(spec, args, _reason(exc))
    if isinstance(exc, AnswerTooLarge):
        return InvalidResponseError(f"{spec.name}: {exc}")
    if isinstance(exc, httpx.DecodingError):
        return InvalidResponseError(
            f"{spec.name}: the answer could not be decoded ({_reason(exc)})"
        )
    return _connection_error(spec.name, exc)


def outcome_unknown(spec: CommandSpec[Any, Any], args: object, reason: str) -> OutcomeUnknownError:
    # A command that sends messages names what it sent through its arguments' ``id`` and
    # ``phones`` (a SendRequest does), so the caller can check before sending again; any
    # other write names itself.
    if spec.sends:
        return SendOutcomeUnknownError(
            reason, message_id=getattr(args, "id", None), phones=getattr(args, "phones", ())
        )
    return OutcomeUnknownError(reason, command=spec.name)


def _reason(exc: httpx.RequestError) -> str:
    # The exception's class names the failure; its text may carry a URL, so it is not used.
    return type(exc).__name__


def _connection_error(command: str, exc: httpx.TransportError) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{command}: timed out ({_reason(exc)})")
    return APIConnectionError(f"{command}: could not reach the service ({_reason(exc)})")
