"""Async, typed SDK for the SMSC messaging gateway (smsc.ru, smscentre.com, ...)."""

import sys as _sys

if (_sys.argv[:1] == ["-m"] and _sys.orig_argv[-len(_sys.argv) :][:1] == ["smsc"]) or (
    _sys.argv and _sys.argv[0].replace("\\", "/").endswith(("/smsc", "/smsc.exe"))
):
    # `smsc` or `python -m smsc`: Ctrl-C before the imports below end exits quietly (130).
    from .cli._startup import quiet_start as _quiet_start

    _quiet_start()

from typing import TYPE_CHECKING, Any

from ._account_models import (
    BlacklistEntry,
    Contact,
    ContactGroup,
    DedicatedNumber,
    OperatorTemplate,
    OperatorTemplateKind,
    Sender,
    SenderRegistration,
    SubClientStats,
    SubClientType,
    Template,
)
from ._bulk import (
    BatchResult,
    BulkMessage,
    Campaign,
    CampaignProgress,
    JournalError,
    JournalWriteError,
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
    RecordNotSavedError,
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
from ._extras import MissingExtraError
from ._extras import raise_missing_extra as _raise_missing_extra
from ._job_models import JobCreated, JobInfo, JobState
from ._limits import DEFAULT_RULES, Hit, InProcessLimiter, Limiter, WindowRule, fingerprint
from ._logs import configure_from_env as _configure_logging_from_env
from ._models import (
    Balance,
    CostResult,
    DeleteResult,
    HLRInfo,
    MessageStatus,
    PhoneResult,
    SendResult,
)
from ._once import SendOnceResult
from ._recipients import MAX_MESSAGE_LENGTH, parse_phones, validate_sender
from ._report_models import IncomingMessage, OperatorInfo, PriceZone, SentMessage, Statistics
from ._schedule import resolve_time
from ._segments import (
    Encoding,
    SegmentInfo,
    is_gsm7,
    preview_segments,
    segments,
    strip_comment,
    truncate_to_parts,
)
from ._smtp import SMTP_MAX_EMAIL_BYTES, AsyncSMTPSender, SMTPSendResult
from ._translit import transliterate
from ._transport import FailoverEvent, FailoverTransport, SiteStats, build_transport
from ._version import __version__

_configure_logging_from_env()

if TYPE_CHECKING:
    from ._aiohttp_transport import AiohttpTransport as AiohttpTransport
    from ._limits import RedisLimiter as RedisLimiter
    from ._limits import RedisSeenSet as RedisSeenSet


def __getattr__(name: str) -> Any:
    # AiohttpTransport needs the optional aiohttp: imported on first use, not with smsc.
    if name == "AiohttpTransport":
        try:
            from ._aiohttp_transport import AiohttpTransport
        except ModuleNotFoundError as exc:
            _raise_missing_extra(exc, "smsc.AiohttpTransport", "aiohttp")
        return AiohttpTransport
    # The Redis limiter and seen-set need the optional redis: imported on first use too.
    if name in ("RedisLimiter", "RedisSeenSet"):
        from . import _limits

        return getattr(_limits, name)
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
    "CallbackError",
    "CallbackSignatureError",
    "Campaign",
    "CampaignProgress",
    "ConfigurationError",
    "Contact",
    "ContactGroup",
    "CostResult",
    "DedicatedNumber",
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
    "JobCreated",
    "JobInfo",
    "JobState",
    "JournalError",
    "JournalWriteError",
    "LimitExceededError",
    "Limiter",
    "LimiterUnavailableError",
    "MalformedCallbackError",
    "MessageDeniedError",
    "MessageFormat",
    "MessageOutcome",
    "MessageStatus",
    "MessageType",
    "MissingExtraError",
    "NotGiven",
    "OperatorInfo",
    "OperatorNotFoundError",
    "OperatorTemplate",
    "OperatorTemplateKind",
    "OutcomeState",
    "OutcomeUnknownError",
    "PackingLimits",
    "ParametersError",
    "PhoneResult",
    "PriceZone",
    "RecordNotSavedError",
    "RedisLimiter",
    "RedisSeenSet",
    "RequestValidationError",
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
    "SendOnceResult",
    "SendOutcomeUnknownError",
    "SendResult",
    "Sender",
    "SenderRegistration",
    "SentMessage",
    "ServerError",
    "SiteStats",
    "Statistics",
    "StatusCode",
    "StatusDetail",
    "StatusWaitTimeoutError",
    "SubClientStats",
    "SubClientType",
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
