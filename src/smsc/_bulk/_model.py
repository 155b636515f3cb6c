"""The typed values of a campaign: a message, its outcome, progress and packing limits."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

from .._enums import DeliveryError, MessageFormat, StatusCode
from .._errors import APIError, JournalError, JournalWriteError, RequestValidationError
from .._privacy import mask_phone
from .._wire import bulk as wire_bulk
from .._wire.errors import SEND_ERRORS, api_error

__all__ = [
    "DEFAULT_MAX_LINES",
    "DEFAULT_MAX_REQUEST_BYTES",
    "BulkMessage",
    "CampaignProgress",
    "JournalError",
    "JournalWriteError",
    "MessageOutcome",
    "OutcomeState",
    "PackingLimits",
]

DEFAULT_MAX_REQUEST_BYTES: Final = 65_536
"""Default budget of one packed request's ``list`` field, URL-encoded (64 KiB).

No limit of the service is documented (protocol reference §1.5, §13.8); the SDK itself
sends at most 1 MiB, and the service's e-mail gateway takes at most 100 KB per e-mail.
64 KiB stays well below both."""

DEFAULT_MAX_LINES: Final = 200
"""Default number of lines (one per phone) in one packed request ([INF]: undocumented)."""


@dataclass(frozen=True, slots=True)
class BulkMessage:
    """One message of a campaign: its text to one or more phones.

    Attributes:
        phones: a number, several separated by ``,``/``;``, or a sequence. Each phone gets
            its own outcome. Contact groups (``G<id>``) are not allowed: status is kept
            per number.
        text: the message (up to 1000 characters). A line feed is carried; a carriage
            return and the two characters ``\\n`` are not (a ``list`` request would read
            them as a line break).
        sender: the Sender ID, ``None`` for the account's default.
        time: when to send it (the forms of :meth:`AsyncSMSCClient.send`'s ``time``).
        format: :attr:`MessageFormat.SMS` or :attr:`MessageFormat.FLASH` (what ``list``
            carries); other formats go through ``send``.
    """

    phones: str | Sequence[str]
    text: str
    sender: str | None = None
    time: str | datetime | timedelta | None = None
    format: MessageFormat = MessageFormat.SMS


class OutcomeState(str, enum.Enum):
    """Where a message to one phone stands, in the journal and in an outcome."""

    PLANNED = "planned"
    """Not sent yet."""
    IN_FLIGHT = "in_flight"
    """In a request that left (or was about to); its answer is awaited."""
    ACCEPTED = "accepted"
    """The service took it (its delivery is followed with ``status``)."""
    REFUSED = "refused"
    """The service refused it; nothing was sent to that phone."""
    UNKNOWN = "unknown"
    """Its request may have reached the service but no answer came back: settled with
    ``status`` by request id and phone at the next run, never resent blindly."""


@dataclass(frozen=True, slots=True)
class MessageOutcome:
    """What happened to one message for one phone.

    Attributes:
        index: the message's position in the source (0-based).
        phone: the phone (left out of ``repr``).
        state: accepted, refused or unknown.
        request_id: the id of the request that carried it (status is asked by it and the
            phone); ``None`` when it was refused before any request.
        parts: SMS parts of the text, as the SDK counts them (the service bills per part).
        cost: its cost when the service reported it per number (``per_number_costs``).
        error_code: for a refusal of the whole request, the service's error code
            (7 invalid number, 6 denied, ...); see :meth:`error`.
        status, delivery_error: for a refusal of this number inside an accepted request
            (``err=1``), the status and error code the service gave it.
    """

    index: int
    phone: str = field(repr=False)
    state: OutcomeState
    request_id: str | None = None
    parts: int | None = None
    cost: Decimal | None = None
    error_code: int | None = None
    status: StatusCode | int | None = None
    delivery_error: DeliveryError | int | None = None

    def error(self) -> APIError | None:
        """The typed error of a refusal (``None`` otherwise).

        A whole-request refusal maps its code through the send error table
        (:class:`InvalidPhoneError` for 7, ...); a per-number refusal is an
        :class:`InvalidPhoneError` or :class:`UndeliverableError` after its status.
        """
        if self.state is not OutcomeState.REFUSED:
            return None
        code = self.error_code
        if code is None:
            code = 7 if self.status == StatusCode.INVALID_NUMBER else 8
        detail = None
        if self.delivery_error is not None:
            detail = f"number refused (error {int(self.delivery_error)})"
        return api_error("send_list", SEND_ERRORS, code, detail, message_id=self.request_id)

    def __str__(self) -> str:
        return f"message {self.index} to {mask_phone(self.phone)}: {self.state.value}"


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    """A snapshot of a campaign, after each answer (a progress bar draws from it).

    Counts are per message and phone (a message to two phones counts twice), over the whole
    journal: a resumed campaign starts from what earlier runs did.

    Attributes:
        total: messages in the campaign.
        planned: not sent yet.
        in_flight: in requests awaiting their answer.
        accepted, refused, unknown: final so far (unknown until settled).
        requests: requests sent by this run (packed sends and status checks).
        cost: the cost the service reported for this run's accepted requests.
        elapsed: seconds since this run started.
        sent_this_run: messages that got an answer or became unknown in this run.
        done: (property) ``accepted + refused + unknown``, the messages the campaign is
            through with; ``done`` of ``total`` is a progress bar's position.
        rate: (property) messages per second in this run.
        eta: (property) seconds left at that rate, ``None`` before a rate is known.
        finished: (property) nothing planned or in flight.
        phase: ``"planning"``, ``"settling"`` (asking about messages an earlier run left in
            doubt), ``"sending"`` or ``"finished"``.
        in_doubt: messages an earlier run left in flight or unknown, being settled by this
            run (asked with ``status``); 0 when there were none.
        settled: of those, how many this run has settled so far.
        settle_seconds_left: while the campaign waits before asking about them
            (``settle_after`` seconds after their request left), the seconds left; reported
            about once a second through the wait. ``None`` otherwise.
    """

    total: int
    planned: int
    in_flight: int
    accepted: int
    refused: int
    unknown: int
    requests: int
    cost: Decimal
    elapsed: float
    sent_this_run: int
    phase: str = "sending"
    in_doubt: int = 0
    settled: int = 0
    settle_seconds_left: float | None = None

    @property
    def done(self) -> int:
        """Messages with a final state (accepted, refused) or unknown."""
        return self.accepted + self.refused + self.unknown

    @property
    def rate(self) -> float:
        """Messages per second in this run (0 before the first answer)."""
        return self.sent_this_run / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, ``None`` before a rate is known."""
        left = self.planned + self.in_flight
        if left == 0:
            return 0.0
        rate = self.rate
        return left / rate if rate > 0 else None

    @property
    def finished(self) -> bool:
        """True when nothing is planned or in flight."""
        return self.planned == 0 and self.in_flight == 0


@dataclass(frozen=True, slots=True)
class PackingLimits:
    """How much one packed request may carry.

    Attributes:
        max_request_bytes: budget of the URL-encoded ``list`` field (64 KiB by default; see
            :data:`DEFAULT_MAX_REQUEST_BYTES`).
        max_lines: lines (one per phone) per request.
    """

    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_lines: int = DEFAULT_MAX_LINES

    def __post_init__(self) -> None:
        if not isinstance(self.max_lines, int) or not 1 <= self.max_lines <= 10_000:
            raise RequestValidationError("max_lines must be 1..10000", field="max_lines")
        # One longest line must fit: 1000 characters of 4 UTF-8 bytes, URL-encoded.
        smallest = wire_bulk.list_line_size("+" + "9" * 15, "\U0001f600" * 1000)
        if not isinstance(self.max_request_bytes, int) or not (
            smallest <= self.max_request_bytes <= 1_000_000
        ):
            raise RequestValidationError(
                f"max_request_bytes must be {smallest}..1000000 (one longest line must fit, "
                "and the SDK sends at most 1 MiB)",
                field="max_request_bytes",
            )


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every outcome of :meth:`AsyncSMSCClient.send_batch`, in the order they came.

    Outcomes decided by an earlier run of the same journal are not repeated here; the
    progress counts them.
    """

    outcomes: tuple[MessageOutcome, ...]
    progress: CampaignProgress

    def _in(self, state: OutcomeState) -> list[MessageOutcome]:
        return [outcome for outcome in self.outcomes if outcome.state is state]

    @property
    def accepted(self) -> list[MessageOutcome]:
        """Messages the service took."""
        return self._in(OutcomeState.ACCEPTED)

    @property
    def refused(self) -> list[MessageOutcome]:
        """Messages the service refused (see :meth:`MessageOutcome.error`)."""
        return self._in(OutcomeState.REFUSED)

    @property
    def unknown(self) -> list[MessageOutcome]:
        """Messages whose request may have arrived: run the campaign again to settle them."""
        return self._in(OutcomeState.UNKNOWN)
