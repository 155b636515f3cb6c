"""Async, typed SDK for the SMSC messaging gateway (smsc.ru, smscentre.com, ...).

Every public name is imported from its private module on first use (module ``__getattr__``):
``import smsc`` costs next to nothing, and ``from smsc import AsyncSMSCClient`` loads the
client and its pipeline but not campaigns (``smsc._bulk``), limiters (``smsc._limits``), the
e-mail gateway (``smsc._smtp``), the callbacks or the aiohttp transport until they are used.
The names stay where they were: ``from smsc import Campaign`` works as always, and type
checkers and editors read the imports below.
"""

import sys as _sys

if (_sys.argv[:1] == ["-m"] and _sys.orig_argv[-len(_sys.argv) :][:1] == ["smsc"]) or (
    _sys.argv and _sys.argv[0].replace("\\", "/").endswith(("/smsc", "/smsc.exe"))
):
    # `smsc` or `python -m smsc`: Ctrl-C before the imports below end exits quietly (130).
    from .cli._startup import quiet_start as _quiet_start

    _quiet_start()

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
        JournalWriteError,
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
        StaleCallbackError,
        StatusWaitTimeoutError,
        TooManyRequestsError,
        TransportError,
        UndeliverableError,
    )
    from ._extras import MissingExtraError
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
        DedicatedNumber,
        OperatorTemplate,
        OperatorTemplateKind,
        Sender,
        SenderRegistration,
        SubClientStats,
        SubClientType,
        Template,
    )
    from ._models.jobs import JobCreated, JobInfo, JobState
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
    from ._once import SendOnceResult
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
    from ._sync import SMSCClient

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
        "JournalWriteError",
        "LimiterUnavailableError",
        "LimitExceededError",
        "MalformedCallbackError",
        "MessageDeniedError",
        "OperatorNotFoundError",
        "OutcomeUnknownError",
        "ParametersError",
        "RecordNotSavedError",
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
    "._extras": ("MissingExtraError",),
    "._models.account": (
        "BlacklistEntry",
        "Contact",
        "ContactGroup",
        "DedicatedNumber",
        "OperatorTemplate",
        "OperatorTemplateKind",
        "Sender",
        "SenderRegistration",
        "SubClientStats",
        "SubClientType",
        "Template",
    ),
    "._once": ("SendOnceResult",),
    "._models.jobs": (
        "JobCreated",
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
    "._sync": ("SMSCClient",),
    "._smtp.sender": (
        "SMTP_MAX_EMAIL_BYTES",
        "AsyncSMTPSender",
        "SMTPSendResult",
    ),
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


# The names whose module needs an optional extra: a missing extra is named with its install line.
_EXTRAS = {"AiohttpTransport": "aiohttp", "RedisLimiter": "redis", "RedisSeenSet": "redis"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smsc' has no attribute {name!r}")
    try:
        value = getattr(import_module(module, __name__), name)
    except ModuleNotFoundError as exc:
        extra = _EXTRAS.get(name)
        if extra is None:
            raise
        from ._extras import raise_missing_extra

        raise_missing_extra(exc, f"smsc.{name}", extra)
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
    "DedicatedNumber",
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
    "SendOnceResult",
    "SendOutcomeUnknownError",
    "SendResult",
    "Sender",
    "SenderRegistration",
    "SentMessage",
    "ServerError",
    "SiteStats",
    "StaleCallbackError",
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
