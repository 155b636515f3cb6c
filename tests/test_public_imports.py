"""The public import paths survive moves inside the package (issue 24).

Every name ``smsc.__all__`` listed before the families became packages, and every
``smsc.<module>`` path the docs name, still imports. A move that breaks a user's import
fails here, not in their code.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import smsc

DOCS = Path(__file__).resolve().parent.parent / "docs"

# smsc.__all__ as it stood before the move into packages (issue 24); a name may be added to
# smsc.__all__ later, never taken from this list.
OLD_ALL = (
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
)

# Dotted words in the docs that are not module paths: site hosts and loggers' names.
NOT_MODULES = {"smsc.ru", "smsc.kz", "smsc.ua", "smsc.test", "smsc.transport", "smsc.limits"}
# The Observability guide names OpenTelemetry attributes, metrics and event names that share
# the prefix (smsc.command, smsc.client.retries, ...), and the logger smsc.bulk.
NOT_MODULES |= {
    "smsc.attempts", "smsc.bulk", "smsc.campaign.in_doubt", "smsc.client.failovers",
    "smsc.client.operation.duration", "smsc.client.retries", "smsc.command", "smsc.cost",
    "smsc.error.code", "smsc.failover", "smsc.limiter.rule", "smsc.limiter.wait",
    "smsc.message.format", "smsc.message.segments", "smsc.messages.sent", "smsc.outcome",
    "smsc.pause", "smsc.recipients.count", "smsc.retry",
}  # fmt: skip
DOTTED = re.compile(r"\bsmsc(?:\.[A-Za-z_][A-Za-z_0-9]*)+")


def documented_paths() -> list[str]:
    """Every ``smsc.x.y`` the docs name, hosts and loggers' names left out."""
    found: set[str] = set()
    for page in DOCS.glob("*.md"):
        found.update(DOTTED.findall(page.read_text(encoding="utf-8")))
    return sorted(found - NOT_MODULES)


def resolve(path: str) -> object:
    """``path`` as a module, or as an attribute of the longest importable module before it."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(path)


@pytest.mark.parametrize("name", OLD_ALL)
def test_every_name_of_the_old_public_list_still_imports_from_smsc(name: str) -> None:
    assert getattr(smsc, name) is not None
    assert name in smsc.__all__


def test_the_docs_name_module_paths() -> None:
    # The scan below must have something to check.
    assert {"smsc.callbacks", "smsc.testing", "smsc.cli.commands"} <= set(documented_paths())


@pytest.mark.parametrize("path", documented_paths())
def test_every_module_path_the_docs_name_imports(path: str) -> None:
    assert resolve(path) is not None


def test_a_path_that_does_not_exist_is_not_resolved() -> None:
    with pytest.raises((ModuleNotFoundError, AttributeError)):
        resolve("smsc._no_such_module.thing")


def test_every_name_of_the_public_list_resolves_from_its_module() -> None:
    # smsc imports its names on first use from one table: a name added to __all__ but not
    # to that table (or the other way round) fails here, not in a user's import.
    table = smsc._LAZY
    assert set(table) == set(smsc.__all__) - {"__version__"}
    for name in smsc.__all__:
        assert getattr(smsc, name) is not None, name
