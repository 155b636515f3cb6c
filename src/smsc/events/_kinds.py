"""The event kinds: frozen dataclasses, one per thing that happens inside the client.

No event carries a phone number, a message text, a login, a password, an API key, a message
id or a callback's signature: only command names, sites (``scheme://host[:port]``), counts,
seconds, error classes and codes, and short reasons written by the SDK itself (never text
quoted from an answer). A test feeds planted values through every path and scans each event.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

__all__ = [
    "AttemptEnded",
    "AttemptStarted",
    "CampaignProgressed",
    "Event",
    "FailedOver",
    "LimiterRefused",
    "LimiterWaited",
    "Paused",
    "RequestAnswered",
    "RequestFailed",
    "RequestStarted",
    "Retrying",
]

FailureOutcome = Literal["not_sent", "unknown", "refused", "error", "cancelled"]
"""How a call failed: ``not_sent`` (provably never left: connection refused, a limiter's
refusal, a bad argument caught before the network), ``unknown`` (a send that may have
arrived: :class:`~smsc.OutcomeUnknownError`), ``refused`` (the service answered an error code),
``error`` (any other failure: a timeout of a query, an unreadable answer, HTTP 5xx),
``cancelled`` (the caller cancelled the call)."""

PauseReason = Literal["busy", "unreachable", "settle"]
"""Why a campaign waits: the service answered error 9 (``busy``), no site could be reached
(``unreachable``), or messages in doubt are asked about only ``settle_after`` seconds after
their request left (``settle``)."""

CampaignPhase = Literal["planning", "settling", "sending", "finished"]

_E = TypeVar("_E")


def _quick_init(cls: type[_E]) -> type[_E]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    A frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` for every
    field, which costs about five times as much: events are built on every call while hooks
    are set. The class stays frozen (assignment raises) and its signature is unchanged.
    """
    names: list[str] = []
    namespace: dict[str, Any] = {}
    lines = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        slot = next(
            klass.__dict__[field.name] for klass in cls.__mro__ if field.name in klass.__dict__
        )
        namespace[f"_set_{field.name}"] = slot.__set__
        if field.default is dataclasses.MISSING:
            names.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = field.default
            names.append(f"{field.name}=_default_{field.name}")
        lines.append(f"    _set_{field.name}(self, {field.name})")
    source = f"def __init__(self, {', '.join(names)}):\n" + "\n".join(lines)
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@_quick_init
@dataclass(frozen=True, slots=True)
class Event:
    """The base of every event.

    Attributes:
        call_id: a number of the SDK call the event belongs to (1, 2, ... per process;
            0 when it belongs to none). It only ties a call's events together: it is not a
            message id.
        command: the command's name (``"send"``, ``"status"``, ``"send_list"``,
            ``"campaign"``...).
    """

    call_id: int
    command: str


@_quick_init
@dataclass(frozen=True, slots=True)
class RequestStarted(Event):
    """An SDK call started (one per call, before the in-flight slot is taken).

    Attributes:
        message_format: the message format's name (``"sms"``, ``"flash"``...) of a send or
            a cost; ``None`` for other commands.
        recipients: how many phones the call names (``None`` for commands without phones).
    """

    message_format: str | None = None
    recipients: int | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class RequestAnswered(Event):
    """An SDK call ended with a result.

    Attributes:
        site: the site that answered (``scheme://host[:port]``), ``None`` when unknown (a
            borrowed ``httpx`` client).
        attempts: the attempts made (1 without a retry or failover).
        elapsed: seconds from the start of the call to its result.
        segments: SMS parts billed (a send or cost), when the answer says.
        cost: the price the service reported, when it did.
        message_format, recipients: as in :class:`RequestStarted`.
    """

    site: str | None = None
    attempts: int = 0
    elapsed: float = 0.0
    segments: int | None = None
    cost: Decimal | None = None
    message_format: str | None = None
    recipients: int | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class RequestFailed(Event):
    """An SDK call ended in an error.

    Attributes:
        site: the last site tried, ``None`` when none was.
        attempts: the attempts made.
        elapsed: seconds from the start of the call to the error.
        outcome: see :data:`FailureOutcome`.
        error_type: the exception's class name (``"TooManyRequestsError"``).
        error_code: the service's error code for an :class:`~smsc.APIError`, else ``None``.
        status_code: the HTTP status of an answer that failed the call (5xx), else ``None``.
        message_format, recipients: as in :class:`RequestStarted`.
    """

    site: str | None = None
    attempts: int = 0
    elapsed: float = 0.0
    outcome: FailureOutcome = "error"
    error_type: str = ""
    error_code: int | None = None
    status_code: int | None = None
    message_format: str | None = None
    recipients: int | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class AttemptStarted(Event):
    """One HTTP attempt of a call goes to ``site`` (``attempt`` counts from 1).

    Attributes:
        site: ``scheme://host[:port]``.
        path: the command's path on it (``"/sys/send.php"``); never a query.
        attempt: its number in the call (from 1).
        probe: it tests the health of a site that failed or was never tried.
    """

    site: str = ""
    path: str = ""
    attempt: int = 1
    probe: bool = False


@_quick_init
@dataclass(frozen=True, slots=True)
class AttemptEnded(Event):
    """One HTTP attempt ended.

    Attributes:
        site: where it went.
        attempt: its number in the call (from 1).
        elapsed: seconds it took.
        status_code: the HTTP status of the answer, ``None`` when none came.
        failure: ``""`` for a good answer, else the SDK's words for what failed
            (``"ConnectError"``, ``"HTTP 502"``, ``"malformed body"``...).
        never_left: the failure proves the request never reached the service.
    """

    site: str = ""
    attempt: int = 1
    elapsed: float = 0.0
    status_code: int | None = None
    failure: str = ""
    never_left: bool = False


@_quick_init
@dataclass(frozen=True, slots=True)
class Retrying(Event):
    """Another attempt of the same call follows a failed one.

    Attributes:
        attempt: the number of the attempt about to start (2, 3, ...).
        delay: seconds of back-off before it (0 when it goes to another site at once).
        reason: what failed the previous attempt.
    """

    attempt: int = 2
    delay: float = 0.0
    reason: str = ""


@_quick_init
@dataclass(frozen=True, slots=True)
class FailedOver(Event):
    """The call moves from one site to another (``reason``: what failed on ``from_site``)."""

    from_site: str = ""
    to_site: str = ""
    reason: str = ""


@_quick_init
@dataclass(frozen=True, slots=True)
class LimiterWaited(Event):
    """The call waited ``seconds`` for an in-flight slot (emitted for every call)."""

    seconds: float = 0.0


@_quick_init
@dataclass(frozen=True, slots=True)
class LimiterRefused(Event):
    """The limiter refused the call before it was written (nothing was sent).

    Attributes:
        rule: the window rule that would be broken (``"status"``, ``"send_identical"``...).
        retry_after: seconds until the same request fits in the window again.
    """

    rule: str = ""
    retry_after: float | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class Paused(Event):
    """A campaign holds every request for ``seconds``.

    Attributes:
        reason: see :data:`PauseReason`.
        seconds: how long.
        messages: for ``settle``: the messages in doubt waiting to be asked about.
        error_code: for ``busy``: the service's code (9).
    """

    reason: PauseReason = "busy"
    seconds: float = 0.0
    messages: int = 0
    error_code: int | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class CampaignProgressed(Event):
    """A campaign's counts changed (after every answer, and each second of a settle wait).

    Attributes:
        phase: ``planning``, ``settling``, ``sending`` or ``finished``.
        total, planned, in_flight, accepted, refused, unknown: the journal's counts.
        in_doubt: messages left by an earlier run whose outcome is being settled.
        settled: messages of those settled so far in this run.
        settle_seconds_left: seconds before the messages in doubt are asked about, while
            the campaign waits for that; else ``None``.
        requests: requests sent by this run.
    """

    phase: CampaignPhase = "sending"
    total: int = 0
    planned: int = 0
    in_flight: int = 0
    accepted: int = 0
    refused: int = 0
    unknown: int = 0
    in_doubt: int = 0
    settled: int = 0
    settle_seconds_left: float | None = None
    requests: int = 0
