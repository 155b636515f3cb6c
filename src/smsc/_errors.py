"""The SDK's exception hierarchy.

Every exception raised out of the public API derives from :class:`SMSCError`. Each one says
whether repeating the same call can help (``retryable``). No message ever contains a password
or an API key: the texts are built only from codes, field names and masked values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ._models.messages import MessageStatus

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "CallbackError",
    "CallbackSignatureError",
    "ConfigurationError",
    "DeleteError",
    "DuplicateCallbackError",
    "IPBlockedError",
    "IdenticalRequestError",
    "InsufficientFundsError",
    "InvalidPhoneError",
    "InvalidResponseError",
    "InvalidTimeError",
    "JournalError",
    "LimitExceededError",
    "LimiterUnavailableError",
    "MalformedCallbackError",
    "MessageDeniedError",
    "OperatorNotFoundError",
    "OutcomeUnknownError",
    "ParametersError",
    "RecordNotSavedError",
    "RequestValidationError",
    "SMSCError",
    "SMTPConnectionError",
    "SMTPGatewayError",
    "SMTPOutcomeUnknownError",
    "SMTPRejectedError",
    "SMTPStartTLSError",
    "SMTPTemporaryRejectionError",
    "SMTPTimeoutError",
    "SendOutcomeUnknownError",
    "ServerError",
    "StaleCallbackError",
    "StatusWaitTimeoutError",
    "TooManyRequestsError",
    "TransportError",
    "UndeliverableError",
]


class SMSCError(Exception):
    """Base class of every error raised by the SDK."""

    retryable: ClassVar[bool] = False
    """True when repeating the same call later can succeed without changing it."""


# --------------------------------------------------------------------------- bad input


class RequestValidationError(SMSCError):
    """An argument was refused before anything was sent.

    ``field`` names the offending argument (``"phones"``, ``"sender"``, ...).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfigurationError(SMSCError):
    """The client configuration is incomplete or contradictory."""


# --------------------------------------------------------------------------- API errors


class APIError(SMSCError):
    """The service answered with an error code.

    Attributes:
        code: the service's numeric error code (``error_code``).
        description: the service's own short description, as sent (English).
        message_id: the message id when the service reports one (codes 3, 6, 7, 8 on send).
        command: the command's name (``"send"``, ``"cost"``, ``"status"``...).
    """

    code: int
    default_description: ClassVar[str] = "error"

    def __init__(
        self,
        code: int,
        description: str | None = None,
        *,
        message_id: int | str | None = None,
        command: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.code = code
        self.description = description or self.default_description
        self.message_id = message_id
        self.command = command
        self.retry_after = retry_after
        text = f"SMSC error {code}: {self.description}"
        if command:
            text = f"{command}: {text}"
        if message_id is not None:
            text += f" (message id {message_id})"
        if retry_after is not None:
            text += f"; retry after {retry_after:g} s"
        super().__init__(text)


class ParametersError(APIError):
    """Error 1: the service refused the request's parameters."""

    default_description = "parameters error"


class AuthenticationError(APIError):
    """Error 2: wrong login, password or API key, or the IP is not in the allow-list."""

    default_description = "authorise error"


class InsufficientFundsError(APIError):
    """Error 3 on send: not enough money on the account."""

    default_description = "no money"


class RecordNotSavedError(APIError):
    """Error 3 on a mailing (``jobs.php``): the service could not save the record."""

    default_description = "error saving a record"


class IPBlockedError(APIError):
    """Error 4: the caller's IP is blocked for a while after too many errors.

    ``retry_after`` is the SDK's estimate (seconds) of how long the block lasts; the service
    documents 10 to 30 minutes depending on the rule that fired.
    """

    retryable = True
    default_description = "ip is blocked"


class InvalidTimeError(APIError):
    """Error 5 on send: the ``time`` parameter has a bad format."""

    default_description = "invalid date format"


class DeleteError(APIError):
    """Error 5 on status: the message could not be deleted."""

    default_description = "delete error"


class MessageDeniedError(APIError):
    """Error 6: the message was refused (text, sender id, or no contract for mass sends)."""

    default_description = "message is denied"


class InvalidPhoneError(APIError):
    """Error 7: a phone number has an invalid format."""

    default_description = "invalid number"


class UndeliverableError(APIError):
    """Error 8: the message cannot be delivered to this number."""

    default_description = "can't to deliver"


class OperatorNotFoundError(APIError):
    """Error 3 on an operator lookup: the service knows no operator for the number."""

    default_description = "operator not found"


class TooManyRequestsError(APIError):
    """Error 9: duplicate request, request-rate limit, or too many simultaneous requests.

    ``retry_after`` is how long to wait (seconds) before the same request can be accepted.
    A *send* answered with error 9 is never repeated by the SDK: an identical earlier request
    may already have been accepted.
    """

    retryable = True
    default_description = "duplicate request, wait a minute"


# --------------------------------------------------------------------------- transport


class TransportError(SMSCError):
    """The request did not get a usable answer from the service."""


class APIConnectionError(TransportError):
    """No connection could be made to any site (refused, DNS, TLS handshake).

    For a send this means the request provably never left the machine.
    """

    retryable = True


class APITimeoutError(APIConnectionError):
    """The call ran out of time before an answer arrived."""


class ServerError(TransportError):
    """The service answered with an HTTP error status (5xx or unexpected 4xx)."""

    retryable = True

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class InvalidResponseError(TransportError):
    """The service's answer could not be parsed (empty, truncated or garbage body).

    ``body_excerpt`` holds at most the first 200 characters of the body.
    """

    retryable = True

    def __init__(self, message: str, *, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.body_excerpt = body_excerpt


class OutcomeUnknownError(TransportError):
    """A command with an effect failed after the request may have reached the service.

    The service may or may not have acted (added the contact, topped up the sub-client...).
    The SDK does not repeat such a request; look (for example by listing) before repeating it.

    Attributes:
        command: the command's name (``"contacts.add"``, ``"users.top_up"``, ``"send"``).
        reason: what failed (an exception class name, ``"HTTP 502"``, ``"unreadable answer"``).
    """

    retryable = False

    def __init__(self, reason: str, *, command: str, message: str | None = None) -> None:
        self.reason = reason
        self.command = command
        super().__init__(
            message
            or f"{command}: outcome unknown ({reason}); the service may have acted, so check "
            "before repeating it"
        )


class SendOutcomeUnknownError(OutcomeUnknownError):
    """A send failed after the request may have reached the service.

    The message may or may not have been sent. The SDK does not repeat it, to avoid a
    duplicate SMS; check with ``await client.status(err.message_id, phone)`` for each of
    ``err.phones`` before sending again.
    """

    retryable = False

    def __init__(self, reason: str, *, message_id: int | str | None, phones: Sequence[str]) -> None:
        self.message_id = message_id
        self.phones = tuple(phones)
        super().__init__(
            reason,
            command="send",
            message=f"send outcome unknown ({reason}); check status of message id "
            f"{message_id!r} before sending again",
        )


# --------------------------------------------------------------------------- callbacks


class CallbackError(SMSCError):
    """A delivery-status callback was refused (see :mod:`smsc.callbacks`).

    The text names the reason and the field, never a secret, a signature or a phone number.
    """

    retryable = False


class CallbackSignatureError(CallbackError):
    """The callback carries no signature, or one that matches none of the configured secrets.

    A web handler answers it with HTTP 403.
    """


class MalformedCallbackError(CallbackError):
    """A callback field is missing or cannot be parsed; ``field`` names it.

    A web handler answers it with HTTP 400.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaleCallbackError(CallbackError):
    """The callback's time (``ts`` or ``time``) is outside the accepted window, or missing."""


class DuplicateCallbackError(CallbackError):
    """A callback with the same signed key (``id``, ``phone``, ``status``) was accepted before."""


# --------------------------------------------------------------------------- campaigns


class JournalError(SMSCError):
    """The journal cannot be used for this campaign: nothing was sent.

    It belongs to another campaign or another account, or it is not a campaign journal
    (corrupt, damaged, empty, or another file), or it cannot be written. The message says
    which and what to do.
    """


class JournalWriteError(JournalError):
    """The journal could not be written mid-run (disk full, a read-only file, ...).

    The failed commit is rolled back whole: every row keeps its last committed state, and
    messages left in flight are settled by ``status`` when the same campaign runs again.
    Fix the cause and run again; nothing is sent twice.
    """


# --------------------------------------------------------------------------- SMTP gateway


class SMTPGatewayError(TransportError):
    """The e-mail to the SMTP gateway was not accepted (see :class:`smsc.AsyncSMTPSender`).

    The text names the host, the step that failed and the server's reply code. It quotes the
    server's reply text only when that text repeats nothing of the request (no login, password,
    API key, phone or message text).

    Attributes:
        host: the gateway host.
        port: the gateway port.
        message_id: the id the send used; check it with ``status`` before sending again.
        smtp_code: the server's SMTP reply code, when it answered with one.
    """

    def __init__(
        self,
        message: str,
        *,
        host: str,
        port: int,
        message_id: int | str | None = None,
        smtp_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.host = host
        self.port = port
        self.message_id = message_id
        self.smtp_code = smtp_code


class SMTPConnectionError(SMTPGatewayError, APIConnectionError):
    """No SMTP session could be set up: refused, unreachable, dropped, or a failed TLS handshake.

    The e-mail was provably not handed over, so sending it again cannot duplicate it.
    """

    retryable = True


class SMTPTimeoutError(SMTPConnectionError, APITimeoutError):
    """The gateway did not answer in time, before the e-mail was handed over."""

    retryable = True


class SMTPStartTLSError(SMTPGatewayError):
    """STARTTLS is required (``smtp_starttls=True``) but the server does not offer it.

    Nothing was sent: the credentials in the body never travelled in clear text.
    """

    retryable = False


class SMTPRejectedError(SMTPGatewayError):
    """The server refused the session, the sender, the recipient or the message data (5xx).

    ``smtp_code`` holds the reply code. The e-mail was not accepted.
    """

    retryable = False


class SMTPTemporaryRejectionError(SMTPRejectedError):
    """The server refused with a temporary (4xx) reply code; the same send may succeed later."""

    retryable = True


class SMTPOutcomeUnknownError(SMTPGatewayError, SendOutcomeUnknownError):
    """The connection failed or timed out while the e-mail itself was being handed over.

    The gateway may or may not have taken it. Check ``status`` of ``message_id`` for each of
    ``phones`` before sending again.
    """

    retryable = False

    def __init__(
        self,
        reason: str,
        *,
        host: str,
        port: int,
        message_id: int | str,
        phones: Sequence[str],
        smtp_code: int | None = None,
    ) -> None:
        SendOutcomeUnknownError.__init__(self, reason, message_id=message_id, phones=phones)
        self.host = host
        self.port = port
        self.smtp_code = smtp_code


class StatusWaitTimeoutError(SMSCError):
    """``wait_for_status`` ran out of time before the message reached a final status.

    ``last_status`` is the last status read (``None`` if no poll succeeded); ``polls`` is how
    many status requests were made.
    """

    def __init__(
        self,
        *,
        message_id: int | str,
        timeout: float,
        polls: int,
        last_status: MessageStatus | None = None,
    ) -> None:
        self.message_id = message_id
        self.timeout = timeout
        self.polls = polls
        self.last_status = last_status
        state = "no status read" if last_status is None else f"last status {last_status.status!r}"
        super().__init__(
            f"message {message_id!r} not final after {timeout:g} s ({polls} polls, {state})"
        )


class LimiterUnavailableError(SMSCError):
    """The shared limiter (Redis) could not be reached, so the request was not sent.

    A limiter shared by several workers fails closed: without it, each worker would believe it
    owns the whole per-login budget and together they would hit error 9. Nothing was sent, so
    the same call can be repeated once the limiter is back. ``RedisLimiter(fail_open=True)``
    chooses per-process limits instead of this error.
    """

    retryable = True


class LimitExceededError(SMSCError):
    """A per-login limit would be broken by this request, so it was not sent.

    Raised by the client's limiter before the request is written (``AsyncSMSCClient(limiter=)``).
    ``rule`` names the rule (``"status"``, ``"balance"``...); ``retry_after`` is how many
    seconds until the same request fits in the window again.
    """

    retryable: ClassVar[bool] = True

    def __init__(self, rule: str, *, limit: int, window: float, retry_after: float) -> None:
        self.rule = rule
        self.limit = limit
        self.window = window
        self.retry_after = retry_after
        super().__init__(
            f"{rule}: at most {limit} requests per {window:g} s for this login; "
            f"not sent, retry after {retry_after:.3g} s"
        )


class IdenticalRequestError(LimitExceededError):
    """The same request (same phones and text, for a send) was made within the window.

    The service would answer error 9, and for a send an identical earlier request may already
    have been accepted: check its status instead of sending again.
    """

    retryable: ClassVar[bool] = False
