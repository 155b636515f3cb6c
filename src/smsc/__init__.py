"""Async, typed SDK for the SMSC messaging gateway (smsc.ru, smscentre.com, ...).

Every public name is imported from its private module on first use (module ``__getattr__``):
``import smsc`` costs next to nothing, and ``from smsc import AsyncSMSCClient`` loads the
client and its pipeline but not campaigns (``smsc._bulk``), limiters (``smsc._limits``), the
e-mail gateway (``smsc._smtp``), the callbacks or the aiohttp transport until they are used.
The names stay where they were: ``from smsc import Campaign`` works as always, and type
checkers and editors read the imports below.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._logs import configure_from_env as _configure_logging_from_env
from ._version import __version__

_configure_logging_from_env()

if TYPE_CHECKING:
    from ._bulk import (
        BatchResult,
        BulkMessage,
        Campaign,
        CampaignProgress,
        MessageOutcome,
        OutcomeState,
        PackingLimits,
        read_csv,
    )
    from ._client import NOT_GIVEN, AsyncSMSCClient, NotGiven
    from ._config import SMSCConfig
    from ._enums import (
        DeliveryError,
        MessageFormat,
        MessageType,
        StatusCode,
        StatusDetail,
        Translit,
    )
    from ._errors import (
        APIConnectionError,
        APIError,
        APITimeoutError,
        AuthenticationError,
        CallbackError,
        CallbackSignatureError,
        ConfigurationError,
        DeleteError,
        DuplicateCallbackError,
        IdenticalRequestError,
        InsufficientFundsError,
        InvalidPhoneError,
        InvalidResponseError,
        InvalidTimeError,
        IPBlockedError,
        JournalError,
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
        StaleCallbackError,
        StatusWaitTimeoutError,
        TooManyRequestsError,
        TransportError,
        UndeliverableError,
    )
    from ._http.aiohttp_transport import AiohttpTransport
    from ._http.failover import CallPolicy
    from ._http.transport import FailoverEvent, FailoverTransport, SiteStats, build_transport
    from ._limits import (
        DEFAULT_RULES,
        Hit,
        InProcessLimiter,
        Limiter,
        RedisLimiter,
        RedisSeenSet,
        WindowRule,
        fingerprint,
    )
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

# The private module of each public name (imported on first use).
_MODULES: dict[str, tuple[str, ...]] = {
    "._client": (
        "NOT_GIVEN",
        "AsyncSMSCClient",
        "NotGiven",
    ),
    "._config": ("SMSCConfig",),
    "._enums": (
        "DeliveryError",
        "MessageFormat",
        "MessageType",
        "StatusCode",
        "StatusDetail",
        "Translit",
    ),
    "._errors": (
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "AuthenticationError",
        "CallbackError",
        "CallbackSignatureError",
        "ConfigurationError",
        "DeleteError",
        "DuplicateCallbackError",
        "IdenticalRequestError",
        "InsufficientFundsError",
        "InvalidPhoneError",
        "InvalidResponseError",
        "InvalidTimeError",
        "IPBlockedError",
        "JournalError",
        "LimiterUnavailableError",
        "LimitExceededError",
        "MalformedCallbackError",
        "MessageDeniedError",
        "OperatorNotFoundError",
        "OutcomeUnknownError",
        "ParametersError",
        "RequestValidationError",
        "SendOutcomeUnknownError",
        "ServerError",
        "SMSCError",
        "SMTPConnectionError",
        "SMTPGatewayError",
        "SMTPOutcomeUnknownError",
        "SMTPRejectedError",
        "SMTPStartTLSError",
        "SMTPTemporaryRejectionError",
        "SMTPTimeoutError",
        "StaleCallbackError",
        "StatusWaitTimeoutError",
        "TooManyRequestsError",
        "TransportError",
        "UndeliverableError",
    ),
    "._http.failover": ("CallPolicy",),
    "._http.transport": (
        "FailoverEvent",
        "FailoverTransport",
        "SiteStats",
        "build_transport",
    ),
    "._models.account": (
        "BlacklistEntry",
        "Contact",
        "ContactGroup",
        "Sender",
        "SubClientStats",
        "Template",
    ),
    "._models.jobs": (
        "JobInfo",
        "JobState",
    ),
    "._models.messages": (
        "Balance",
        "CostResult",
        "DeleteResult",
        "HLRInfo",
        "MessageStatus",
        "PhoneResult",
        "SendResult",
    ),
    "._models.reports": (
        "IncomingMessage",
        "OperatorInfo",
        "PriceZone",
        "SentMessage",
        "Statistics",
    ),
    "._rules.recipients": (
        "MAX_MESSAGE_LENGTH",
        "parse_phones",
        "validate_sender",
    ),
    "._rules.schedule": ("resolve_time",),
    "._rules.segments": (
        "Encoding",
        "SegmentInfo",
        "is_gsm7",
        "preview_segments",
        "segments",
        "strip_comment",
        "truncate_to_parts",
    ),
    "._rules.translit": ("transliterate",),
    "._bulk": (
        "BatchResult",
        "BulkMessage",
        "Campaign",
        "CampaignProgress",
        "MessageOutcome",
        "OutcomeState",
        "PackingLimits",
        "read_csv",
    ),
    "._http.aiohttp_transport": ("AiohttpTransport",),
    "._limits": (
        "DEFAULT_RULES",
        "Hit",
        "InProcessLimiter",
        "Limiter",
        "RedisLimiter",
        "RedisSeenSet",
        "WindowRule",
        "fingerprint",
    ),
    "._smtp.sender": (
        "SMTP_MAX_EMAIL_BYTES",
        "AsyncSMTPSender",
        "SMTPSendResult",
    ),
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smsc' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_RULES",
    "MAX_MESSAGE_LENGTH",
    "NOT_GIVEN",
    "SMTP_MAX_EMAIL_BYTES",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AiohttpTransport",
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
    "DuplicateCallbackError",
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
    "StaleCallbackError",
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
