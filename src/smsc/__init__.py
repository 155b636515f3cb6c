"""Async, typed SDK for the SMSC messaging gateway (smsc.ru, smscentre.com, ...)."""

from typing import TYPE_CHECKING, Any

from ._bulk import (
    BatchResult,
    BulkMessage,
    Campaign,
    CampaignProgress,
    JournalError,
    MessageOutcome,
    OutcomeState,
    PackingLimits,
    read_csv,
)
from ._client import NOT_GIVEN, AsyncSMSCClient, NotGiven
from ._config import SMSCConfig
from ._enums import DeliveryError, MessageFormat, MessageType, StatusCode, StatusDetail, Translit
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CallbackError,
    CallbackSignatureError,
    ConfigurationError,
    DeleteError,
    IdenticalRequestError,
    InsufficientFundsError,
    InvalidPhoneError,
    InvalidResponseError,
    InvalidTimeError,
    IPBlockedError,
    LimiterUnavailableError,
    LimitExceededError,
    MalformedCallbackError,
    MessageDeniedError,
    OperatorNotFoundError,
    OutcomeUnknownError,
    ParametersError,
    RequestValidationError,
    SendOutcomeUnknownError,
    ServerError,
    SMSCError,
    SMTPConnectionError,
    SMTPGatewayError,
    SMTPOutcomeUnknownError,
    SMTPRejectedError,
    SMTPStartTLSError,
    SMTPTemporaryRejectionError,
    SMTPTimeoutError,
    StatusWaitTimeoutError,
    TooManyRequestsError,
    TransportError,
    UndeliverableError,
)
from ._http.failover import CallPolicy
from ._http.transport import FailoverEvent, FailoverTransport, SiteStats, build_transport
from ._limits import DEFAULT_RULES, Hit, InProcessLimiter, Limiter, WindowRule, fingerprint
from ._logs import configure_from_env as _configure_logging_from_env
from ._models.account import (
    BlacklistEntry,
    Contact,
    ContactGroup,
    Sender,
    SubClientStats,
    Template,
)
from ._models.jobs import JobInfo, JobState
from ._models.messages import (
    Balance,
    CostResult,
    DeleteResult,
    HLRInfo,
    MessageStatus,
    PhoneResult,
    SendResult,
)
from ._models.reports import IncomingMessage, OperatorInfo, PriceZone, SentMessage, Statistics
from ._rules.recipients import MAX_MESSAGE_LENGTH, parse_phones, validate_sender
from ._rules.schedule import resolve_time
from ._rules.segments import (
    Encoding,
    SegmentInfo,
    is_gsm7,
    preview_segments,
    segments,
    strip_comment,
    truncate_to_parts,
)
from ._rules.translit import transliterate
from ._smtp.sender import SMTP_MAX_EMAIL_BYTES, AsyncSMTPSender, SMTPSendResult
from ._version import __version__

_configure_logging_from_env()

if TYPE_CHECKING:
    from ._http.aiohttp_transport import AiohttpTransport as AiohttpTransport
    from ._limits import RedisLimiter as RedisLimiter
    from ._limits import RedisSeenSet as RedisSeenSet
    from ._sync import SMSCClient as SMSCClient


def __getattr__(name: str) -> Any:
    # AiohttpTransport needs the optional aiohttp: imported on first use, not with smsc.
    if name == "AiohttpTransport":
        from ._http.aiohttp_transport import AiohttpTransport

        return AiohttpTransport
    # The Redis limiter and seen-set need the optional redis: imported on first use too.
    if name in ("RedisLimiter", "RedisSeenSet"):
        from . import _limits

        return getattr(_limits, name)
    # The synchronous client (generated, smsc._sync): loaded by those who use it only.
    if name == "SMSCClient":
        from ._sync import SMSCClient

        return SMSCClient
    raise AttributeError(f"module 'smsc' has no attribute {name!r}")


__all__ = [
    "DEFAULT_RULES",
    "MAX_MESSAGE_LENGTH",
    "NOT_GIVEN",
    "SMTP_MAX_EMAIL_BYTES",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncSMSCClient",
    "AsyncSMTPSender",
    "AuthenticationError",
    "Balance",
    "BatchResult",
    "BlacklistEntry",
    "BulkMessage",
    "CallPolicy",
    "CallbackError",
    "CallbackSignatureError",
    "Campaign",
    "CampaignProgress",
    "ConfigurationError",
    "Contact",
    "ContactGroup",
    "CostResult",
    "DeleteError",
    "DeleteResult",
    "DeliveryError",
    "Encoding",
    "FailoverEvent",
    "FailoverTransport",
    "HLRInfo",
    "Hit",
    "IPBlockedError",
    "IdenticalRequestError",
    "InProcessLimiter",
    "IncomingMessage",
    "InsufficientFundsError",
    "InvalidPhoneError",
    "InvalidResponseError",
    "InvalidTimeError",
    "JobInfo",
    "JobState",
    "JournalError",
    "LimitExceededError",
    "Limiter",
    "LimiterUnavailableError",
    "MalformedCallbackError",
    "MessageDeniedError",
    "MessageFormat",
    "MessageOutcome",
    "MessageStatus",
    "MessageType",
    "NotGiven",
    "OperatorInfo",
    "OperatorNotFoundError",
    "OutcomeState",
    "OutcomeUnknownError",
    "PackingLimits",
    "ParametersError",
    "PhoneResult",
    "PriceZone",
    "RedisLimiter",
    "RedisSeenSet",
    "RequestValidationError",
    "SMSCClient",
    "SMSCConfig",
    "SMSCError",
    "SMTPConnectionError",
    "SMTPGatewayError",
    "SMTPOutcomeUnknownError",
    "SMTPRejectedError",
    "SMTPSendResult",
    "SMTPStartTLSError",
    "SMTPTemporaryRejectionError",
    "SMTPTimeoutError",
    "SegmentInfo",
    "SendOutcomeUnknownError",
    "SendResult",
    "Sender",
    "SentMessage",
    "ServerError",
    "SiteStats",
    "Statistics",
    "StatusCode",
    "StatusDetail",
    "StatusWaitTimeoutError",
    "SubClientStats",
    "Template",
    "TooManyRequestsError",
    "Translit",
    "TransportError",
    "UndeliverableError",
    "WindowRule",
    "__version__",
    "build_transport",
    "fingerprint",
    "is_gsm7",
    "parse_phones",
    "preview_segments",
    "read_csv",
    "resolve_time",
    "segments",
    "strip_comment",
    "transliterate",
    "truncate_to_parts",
    "validate_sender",
]
