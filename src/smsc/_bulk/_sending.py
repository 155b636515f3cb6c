"""One packed request from the journal to the service and back: its answer decides each row.

Rows arrive committed ``in_flight`` with their request's id. The answer moves each row to
its final state in the journal (accepted, refused, unknown) or back to planned when the
request provably created nothing; whole-request errors that end the campaign raise
:class:`Stop` after the rows are recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time as _time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Protocol, TypedDict

from .. import _wire as wire
from .._config import SMSCConfig
from .._enums import MessageFormat
from .._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    InsufficientFundsError,
    InvalidResponseError,
    IPBlockedError,
    MessageDeniedError,
    ParametersError,
    RequestValidationError,
    SendOutcomeUnknownError,
    SMSCError,
    TooManyRequestsError,
)
from .._models.messages import MessageStatus, SendResult
from .._rules.arguments import check_seconds
from .._wire import bulk as wire_bulk
from ..events._bus import CallTrace, Events
from ..events._kinds import CampaignPhase, CampaignProgressed, Paused, PauseReason
from ._journal import Journal, JournalRow, RowUpdate
from ._model import (
    DEFAULT_MAX_LINES,
    DEFAULT_MAX_REQUEST_BYTES,
    CampaignProgress,
    MessageOutcome,
    OutcomeState,
    PackingLimits,
)
from ._packing import phone_key

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = [
    "BatchOptions",
    "CampaignClient",
    "CampaignOptions",
    "ClientLink",
    "RequestRunner",
    "Settings",
    "Stop",
    "Tally",
    "outcome",
]

log = logging.getLogger("smsc.bulk")

BUSY_ATTEMPTS: Final = 5
"""Error 9 answers in a row for one request before the campaign stops."""
UNREACHED_ATTEMPTS: Final = 5
"""Tries of one request that could not reach any site (it never left) before the campaign
stops: a site marked down by one failure is re-tested by one request while the others fail
fast, so a campaign waits and tries again (pauses of 1, 2, 4, 8 s, each at most
``busy_pause``) before it gives up."""
# Whole-request refusals that concern one line of the request: split it to find that line.
_SPLIT: Final = (MessageDeniedError, ParametersError)
# Whole-request errors after which sending more makes no sense: the campaign stops.
_STOP: Final = (InsufficientFundsError, AuthenticationError, IPBlockedError)


class CampaignClient(Protocol):
    """What a campaign needs of a client: two requests and who the account is."""

    @property
    def config(self) -> SMSCConfig: ...

    async def status_of(self, request_id: str, phone: str) -> MessageStatus: ...

    async def send_list(self, request: wire_bulk.ListSend) -> SendResult: ...

    def account_identity(self) -> str: ...


class ClientLink:
    """:class:`CampaignClient` on a client's one pipeline, as the resource namespaces use it."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    @property
    def config(self) -> SMSCConfig:
        return self._client.config

    @property
    def events(self) -> Events:
        """The client's event hooks (the campaign tells its progress and pauses there)."""
        return self._client.events

    async def send_list(self, request: wire_bulk.ListSend) -> SendResult:
        return await self._client._request(wire.SEND_LIST, request)

    async def status_of(self, request_id: str, phone: str) -> MessageStatus:
        query = wire.StatusQuery(((request_id, phone),))
        results = await self._client._request(wire.STATUS, query)
        if len(results) != 1:
            raise InvalidResponseError(f"status: expected one status, got {len(results)}")
        return results[0]

    def account_identity(self) -> str:
        # Hashed here so that no frame below holds the key itself.
        config = self._client.config
        if config.api_key is not None:
            secret = "key:" + config.api_key.get_secret_value()
        else:
            secret = "login:" + (config.login or "")
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class BatchOptions(TypedDict, total=False):
    """The options of :meth:`~smsc.AsyncSMSCClient.send_batch` (documented on
    :meth:`~smsc.AsyncSMSCClient.campaign`); their defaults are in :meth:`Settings.of`."""

    name: str
    max_request_bytes: int
    max_lines: int
    per_number_costs: bool
    settle_after: float
    busy_pause: float
    on_progress: Callable[[CampaignProgress], None] | None


class CampaignOptions(BatchOptions, total=False):
    """The options of :meth:`~smsc.AsyncSMSCClient.campaign`: those of a batch, and a clock."""

    sleep: Callable[[float], Awaitable[None]]
    clock: Callable[[], float]


_OPTION_NAMES: Final = CampaignOptions.__required_keys__ | CampaignOptions.__optional_keys__


def events_of(client: object) -> Events | None:
    """The client's event hooks, when it has any (a test's stand-in client may not)."""
    events = getattr(client, "events", None)
    return events if isinstance(events, Events) else None


@dataclass
class Settings:
    """A campaign's options, checked."""

    name: str
    limits: PackingLimits
    per_number_costs: bool
    settle_after: float
    busy_pause: float
    on_progress: Callable[[CampaignProgress], None] | None
    sleep: Callable[[float], Awaitable[None]]
    clock: Callable[[], float]

    @classmethod
    def of(cls, options: CampaignOptions) -> Settings:
        """``options`` checked, with the defaults of the options not given."""
        unknown = sorted(options.keys() - _OPTION_NAMES)
        if unknown:
            raise TypeError(f"unexpected campaign option: {', '.join(unknown)}")
        name = options.get("name", "")
        if not isinstance(name, str):
            raise RequestValidationError("name must be a string", field="name")
        return cls(
            name=name,
            limits=PackingLimits(
                max_request_bytes=options.get("max_request_bytes", DEFAULT_MAX_REQUEST_BYTES),
                max_lines=options.get("max_lines", DEFAULT_MAX_LINES),
            ),
            per_number_costs=bool(options.get("per_number_costs", False)),
            settle_after=check_seconds(
                options.get("settle_after", 60.0), field="settle_after", allow_zero=True
            ),
            busy_pause=check_seconds(
                options.get("busy_pause", 60.0), field="busy_pause", allow_zero=True
            ),
            on_progress=options.get("on_progress"),
            sleep=options.get("sleep", asyncio.sleep),
            clock=options.get("clock", _time.monotonic),
        )


class Stop(Exception):
    """A whole-request error that ends the campaign once in-flight requests are answered."""

    def __init__(self, error: SMSCError) -> None:
        super().__init__(str(error))
        self.error = error


def new_request_id() -> str:
    """A request id never used before: 34 characters of ``[a-z0-9-]`` (the service allows 40)."""
    return "b-" + secrets.token_hex(16)


def outcome(row: JournalRow, state: OutcomeState, **fields: Any) -> MessageOutcome:
    """The outcome of ``row`` in ``state``."""
    return MessageOutcome(
        index=row.seq,
        phone=row.phone,
        state=state,
        request_id=row.request_id,
        parts=row.parts,
        **fields,
    )


class Tally:
    """The run's counts (from the journal, kept current), requests, cost and busy pause."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.counts = dict.fromkeys(OutcomeState, 0)
        self.requests = 0
        self.cost = Decimal("0")
        self.answered = 0
        self.started = settings.clock()
        self._resume_at = 0.0
        self.phase: CampaignPhase = "planning"
        self.in_doubt = 0
        self.settled = 0
        self.settle_left: float | None = None
        # The campaign's call, while the client has event hooks (else None: no events).
        self.trace: CallTrace | None = None

    def progress(self) -> CampaignProgress:
        """A snapshot now."""
        counts = self.counts
        return CampaignProgress(
            total=sum(counts.values()),
            planned=counts[OutcomeState.PLANNED],
            in_flight=counts[OutcomeState.IN_FLIGHT],
            accepted=counts[OutcomeState.ACCEPTED],
            refused=counts[OutcomeState.REFUSED],
            unknown=counts[OutcomeState.UNKNOWN],
            requests=self.requests,
            cost=self.cost,
            elapsed=max(0.0, self.settings.clock() - self.started),
            sent_this_run=self.answered,
            phase=self.phase,
            in_doubt=self.in_doubt,
            settled=self.settled,
            settle_seconds_left=self.settle_left,
        )

    def move(self, old: OutcomeState, new: OutcomeState, count: int = 1) -> None:
        """``count`` rows went from ``old`` to ``new``."""
        self.counts[old] -= count
        self.counts[new] += count

    def report(self, answered: int = 0) -> None:
        """``answered`` more rows got an outcome: tell the progress listener."""
        self.answered += answered
        if self.settings.on_progress is not None:
            self.settings.on_progress(self.progress())
        trace = self.trace
        if trace is not None:
            counts = self.counts
            trace.events.emit(
                CampaignProgressed(
                    trace.call_id,
                    trace.command,
                    phase=self.phase,
                    total=sum(counts.values()),
                    planned=counts[OutcomeState.PLANNED],
                    in_flight=counts[OutcomeState.IN_FLIGHT],
                    accepted=counts[OutcomeState.ACCEPTED],
                    refused=counts[OutcomeState.REFUSED],
                    unknown=counts[OutcomeState.UNKNOWN],
                    in_doubt=self.in_doubt,
                    settled=self.settled,
                    settle_seconds_left=self.settle_left,
                    requests=self.requests,
                )
            )

    def paused(
        self, reason: PauseReason, seconds: float, messages: int = 0, code: int | None = None
    ) -> None:
        """Tell the hooks that every request waits ``seconds``."""
        trace = self.trace
        if trace is not None:
            trace.events.emit(
                Paused(
                    trace.call_id,
                    trace.command,
                    reason=reason,
                    seconds=seconds,
                    messages=messages,
                    error_code=code,
                )
            )

    def pause(self, exc: APIError) -> None:
        """The service is busy (error 9): every request waits (at most ``busy_pause``)."""
        pause = min(exc.retry_after or self.settings.busy_pause, self.settings.busy_pause)
        self._hold(pause)
        log.info(
            "bulk: the service is busy (error %s, %s); every request pauses %.0f s",
            exc.code,
            exc.command or "request",
            pause,
        )
        self.paused("busy", pause, code=exc.code)

    def unreached(self, attempt: int) -> None:
        """No site could be reached for the ``attempt``-th time: every request waits."""
        pause = min(2.0 ** (attempt - 1), self.settings.busy_pause)
        self._hold(pause)
        log.warning(
            "bulk: no site could be reached (nothing was sent; try %d of %d); every request "
            "pauses %.0f s",
            attempt,
            UNREACHED_ATTEMPTS,
            pause,
        )
        self.paused("unreachable", pause)

    def _hold(self, seconds: float) -> None:
        self._resume_at = max(self._resume_at, self.settings.clock() + seconds)

    async def wait_if_paused(self) -> None:
        """Return when no pause is running."""
        while (left := self._resume_at - self.settings.clock()) > 0:
            await self.settings.sleep(left)


class RequestRunner:
    """Sends packed requests of a campaign and records their answers in the journal."""

    def __init__(self, client: CampaignClient, journal: Journal, tally: Tally) -> None:
        self._client = client
        self._journal = journal
        self._tally = tally

    async def send_out(self, rows: list[JournalRow]) -> None:
        """Commit ``rows`` in flight under a new request id (before the request leaves)."""
        request_id = new_request_id()
        sent_at = _time.time()
        await self._journal.send_out((row.row for row in rows), request_id, sent_at)
        rows[:] = [_with_request(row, request_id, sent_at) for row in rows]

    async def send_rows(self, rows: list[JournalRow]) -> list[MessageOutcome]:
        """Send ``rows`` (in flight with their request id) and record the answer.

        Raises:
            Stop: an error that ends the campaign (the rows are planned again).
        """
        tally = self._tally
        attempts = unreached = 0
        while True:
            first = rows[0]
            request = wire_bulk.ListSend(
                id=first.request_id or "",
                lines=tuple((row.phone, row.text) for row in rows),
                sender=first.sender,
                time=first.time,
                format=MessageFormat(first.format),
                per_number=tally.settings.per_number_costs,
            )
            try:
                await tally.wait_if_paused()
                tally.requests += 1
                result = await self._client.send_list(request)
            except TooManyRequestsError as exc:
                # Our ids are never repeated, so this is the service's rate or concurrency
                # rule: the request created nothing. Pause everyone, then send again.
                attempts += 1
                tally.pause(exc)
                if attempts >= BUSY_ATTEMPTS:
                    await self._replan(rows)
                    raise Stop(exc) from None
                await self.send_out(rows)
                continue
            except SendOutcomeUnknownError:
                await self._journal.set_state((row.row for row in rows), OutcomeState.UNKNOWN)
                tally.move(OutcomeState.IN_FLIGHT, OutcomeState.UNKNOWN, len(rows))
                tally.report(len(rows))
                return [outcome(row, OutcomeState.UNKNOWN) for row in rows]
            except APIConnectionError as exc:
                # It never left (a send that may have left is an unknown outcome, above): the
                # sites are down or being re-tested. Pause everyone, then send it again.
                unreached += 1
                if unreached >= UNREACHED_ATTEMPTS:
                    await self._replan(rows)
                    raise Stop(exc) from None
                tally.unreached(unreached)
                await self.send_out(rows)
                continue
            except _STOP as exc:
                await self._replan(rows)
                raise Stop(exc) from None
            except _SPLIT as exc:
                if len(rows) > 1:
                    return await self._split(rows)
                return await self._refuse(rows, exc)
            except APIError as exc:  # 5, 7, 8: every line of the request alike
                return await self._refuse(rows, exc)
            return await self._accept(rows, result)

    async def _split(self, rows: list[JournalRow]) -> list[MessageOutcome]:
        # The request created nothing; find the refused line in halves, each a new request.
        middle = len(rows) // 2
        outcomes: list[MessageOutcome] = []
        for half in (rows[:middle], rows[middle:]):
            await self.send_out(half)
            outcomes.extend(await self.send_rows(half))
        return outcomes

    async def _replan(self, rows: list[JournalRow]) -> None:
        await self._journal.set_state((row.row for row in rows), OutcomeState.PLANNED)
        self._tally.move(OutcomeState.IN_FLIGHT, OutcomeState.PLANNED, len(rows))
        self._tally.report()

    async def _refuse(self, rows: list[JournalRow], error: APIError) -> list[MessageOutcome]:
        code = error.code
        await self._journal.settle(
            [RowUpdate(row.row, OutcomeState.REFUSED, error_code=code) for row in rows]
        )
        self._tally.move(OutcomeState.IN_FLIGHT, OutcomeState.REFUSED, len(rows))
        self._tally.report(len(rows))
        return [outcome(row, OutcomeState.REFUSED, error_code=code) for row in rows]

    async def _accept(self, rows: list[JournalRow], result: SendResult) -> list[MessageOutcome]:
        reported = {phone_key(item.phone): item for item in result.phones}
        updates: list[RowUpdate] = []
        outcomes: list[MessageOutcome] = []
        for row in rows:
            item = reported.get(phone_key(row.phone))
            if item is not None and (item.error is not None or item.status is not None):
                updates.append(
                    RowUpdate(
                        row.row,
                        OutcomeState.REFUSED,
                        status=None if item.status is None else int(item.status),
                        delivery_error=None if item.error is None else int(item.error),
                    )
                )
                outcomes.append(
                    outcome(
                        row, OutcomeState.REFUSED, status=item.status, delivery_error=item.error
                    )
                )
                self._tally.move(OutcomeState.IN_FLIGHT, OutcomeState.REFUSED)
            else:
                cost = item.cost if item is not None else None
                updates.append(RowUpdate(row.row, OutcomeState.ACCEPTED, cost=cost))
                outcomes.append(outcome(row, OutcomeState.ACCEPTED, cost=cost))
                self._tally.move(OutcomeState.IN_FLIGHT, OutcomeState.ACCEPTED)
        await self._journal.settle(updates)
        if result.cost is not None:
            self._tally.cost += result.cost
        self._tally.report(len(rows))
        return outcomes


def _with_request(row: JournalRow, request_id: str, sent_at: float) -> JournalRow:
    return JournalRow(
        row.row,
        row.seq,
        row.phone,
        row.text,
        row.sender,
        row.time,
        row.format,
        row.parts,
        request_id,
        sent_at,
        OutcomeState.IN_FLIGHT.value,
    )
