"""The campaign engine: plan into the journal, settle what is in doubt, send in packed requests.

A run goes through three steps, each driven by the journal alone:

1. **Plan** (or verify): every message of the source is checked and written to the journal
   as planned, and a fingerprint of the whole source is kept. On a resume the source is read
   again and must give the same fingerprint; nothing is sent before that.
2. **Settle**: rows left in flight or unknown by an earlier run are asked with ``status`` by
   request id and phone (after ``settle_after`` seconds from when their request left). A
   message the service has is accepted; one it does not know (``NOT_FOUND``) never arrived
   and is planned again.
3. **Send**: planned rows are packed into ``list`` requests; each request's rows are
   committed in flight with the request's own id before it leaves, and its answer decides
   each row: accepted, refused, or unknown.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time as _time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Protocol

from .._arguments import check_seconds
from .._config import SMSCConfig
from .._enums import MessageFormat, StatusCode
from .._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    InsufficientFundsError,
    InvalidTimeError,
    IPBlockedError,
    MessageDeniedError,
    ParametersError,
    RequestValidationError,
    SendOutcomeUnknownError,
    SMSCError,
    TooManyRequestsError,
)
from .._models import MessageStatus, SendResult
from .._wire import bulk as wire_bulk
from ._journal import Journal, JournalRow, RowUpdate
from ._model import (
    DEFAULT_MAX_LINES,
    DEFAULT_MAX_REQUEST_BYTES,
    BatchResult,
    CampaignProgress,
    JournalError,
    MessageOutcome,
    OutcomeState,
    PackingLimits,
)
from ._packing import Batch, Fingerprint, Packer, plan_message


class CampaignClient(Protocol):
    """What a campaign needs of :class:`~smsc.AsyncSMSCClient`."""

    @property
    def config(self) -> SMSCConfig: ...

    async def status(self, id: int | str, phone: str) -> MessageStatus: ...

    async def _send_list(self, request: wire_bulk.ListSend) -> SendResult: ...

    def _account_identity(self) -> str: ...


__all__ = ["BatchResult", "Campaign", "MessageSource", "new_campaign"]

log = logging.getLogger("smsc.bulk")

MessageSource = Iterable[Any] | AsyncIterable[Any]
"""Where a campaign's messages come from: :class:`BulkMessage` items, sync or async."""

_PLAN_CHUNK: Final = 1_000
_READ_CHUNK: Final = 2_000
_BUSY_ATTEMPTS: Final = 5
# Whole-request refusals that concern one line of the request: split it to find that line.
_SPLIT: Final = (MessageDeniedError, ParametersError)
# Whole-request refusals that concern every line alike: each row is refused.
_REFUSE_ALL: Final = (InvalidTimeError,)


def _request_id() -> str:
    # 34 characters of [a-z0-9-]: within the service's 40-character id rule, never reused.
    return "b-" + secrets.token_hex(16)


@dataclass
class Settings:
    name: str
    limits: PackingLimits
    per_number_costs: bool
    settle_after: float
    busy_pause: float
    on_progress: Callable[[CampaignProgress], None] | None
    sleep: Callable[[float], Awaitable[None]]
    clock: Callable[[], float]


class _Stop(Exception):
    """A whole-request error that ends the campaign once in-flight requests are answered."""

    def __init__(self, error: SMSCError) -> None:
        super().__init__(str(error))
        self.error = error


class Campaign:
    """A campaign run: iterate it for outcomes as they come, or ``await run()``.

    Built by :meth:`AsyncSMSCClient.campaign`; see that method and the "Sending in bulk"
    guide. One run per journal at a time; a finished campaign run again sends nothing.
    """

    def __init__(
        self,
        client: CampaignClient,
        source: MessageSource,
        *,
        journal: str | Path | None,
        settings: Settings,
    ) -> None:
        self._client = client
        self._source = source
        self._journal_path = journal
        self._settings = settings
        self._counts = dict.fromkeys(OutcomeState, 0)
        self._requests = 0
        self._cost = Decimal("0")
        self._sent = 0
        self._started = settings.clock()
        self._resume_at = 0.0
        self._used = False

    # ------------------------------------------------------------------ public

    @property
    def progress(self) -> CampaignProgress:
        """The campaign's state now."""
        counts = self._counts
        return CampaignProgress(
            total=sum(counts.values()),
            planned=counts[OutcomeState.PLANNED],
            in_flight=counts[OutcomeState.IN_FLIGHT],
            accepted=counts[OutcomeState.ACCEPTED],
            refused=counts[OutcomeState.REFUSED],
            unknown=counts[OutcomeState.UNKNOWN],
            requests=self._requests,
            cost=self._cost,
            elapsed=max(0.0, self._settings.clock() - self._started),
            sent_this_run=self._sent,
        )

    async def run(self) -> CampaignProgress:
        """Run to the end; returns the final progress (outcomes are in the journal)."""
        async for _ in self:
            pass
        return self.progress

    def __aiter__(self) -> AsyncIterator[MessageOutcome]:
        if self._used:
            raise RuntimeError("a Campaign runs once; create another to run again")
        self._used = True
        return self._run()

    # ------------------------------------------------------------------ the run

    async def _run(self) -> AsyncIterator[MessageOutcome]:
        journal = Journal(self._journal_path or _temporary_path())
        temporary = self._journal_path is None
        try:
            resumed = await journal.open(self._settings.name, self._client._account_identity())
            await self._plan(journal, resumed)
            self._counts = await journal.counts()
            self._started = self._settings.clock()
            self._report()
            async for outcome in self._settle(journal):
                yield outcome
            async for outcome in self._send_all(journal):
                yield outcome
        finally:
            await journal.close()
            if temporary:
                _remove(journal.path)

    async def _plan(self, journal: Journal, resumed: bool) -> None:
        fingerprint = Fingerprint(self._settings.name)
        if not resumed:
            await journal.restart_planning()
        chunk: list[Any] = []
        index = 0
        async for message in _iterate(self._source):
            rows = plan_message(index, message)
            fingerprint.update(rows)
            chunk.extend(rows)
            index += 1
            if len(chunk) >= _PLAN_CHUNK and not resumed:
                await journal.add(chunk)
                chunk = []
        if resumed:
            if await journal.fingerprint() != fingerprint.hexdigest():
                raise_mismatch(journal.path)
            return
        if chunk:
            await journal.add(chunk)
        await journal.finish_planning(fingerprint.hexdigest())

    # ------------------------------------------------------------------ settle

    async def _settle(self, journal: Journal) -> AsyncIterator[MessageOutcome]:
        after = 0
        while rows := await journal.in_doubt(after, _READ_CHUNK):
            after = rows[-1].row
            latest = max(row.sent_at or 0.0 for row in rows)
            wait = latest + self._settings.settle_after - _time.time()
            if wait > 0:
                await self._settings.sleep(wait)
            results = await asyncio.gather(*(self._status(row) for row in rows))
            updates = []
            planned = []
            outcomes = []
            for row, found in zip(rows, results, strict=True):
                state = OutcomeState(row.state or OutcomeState.UNKNOWN.value)
                if found:
                    updates.append(RowUpdate(row.row, OutcomeState.ACCEPTED))
                    outcomes.append(_outcome(row, OutcomeState.ACCEPTED))
                    self._move(state, OutcomeState.ACCEPTED)
                else:
                    planned.append(row.row)
                    self._move(state, OutcomeState.PLANNED)
            await journal.settle(updates)
            await journal.set_state(planned, OutcomeState.PLANNED)
            self._report()
            for outcome in outcomes:
                yield outcome

    async def _status(self, row: JournalRow) -> bool:
        """True when the service has the row's message, False when it never arrived."""
        for _ in range(_BUSY_ATTEMPTS):
            await self._wait_if_paused()
            try:
                self._requests += 1
                status = await self._client.status(row.request_id or "", row.phone)
            except TooManyRequestsError as exc:
                self._pause(exc)
                continue
            return status.status != StatusCode.NOT_FOUND
        raise TooManyRequestsError(9, "status checks kept being refused", command="status")

    # ------------------------------------------------------------------ send

    async def _send_all(self, journal: Journal) -> AsyncIterator[MessageOutcome]:
        window = max(1, self._client.config.max_concurrency)
        packer = Packer(self._settings.limits)
        ready: list[Batch] = []
        after = 0
        exhausted = False
        pending: set[asyncio.Task[list[MessageOutcome]]] = set()
        stop: _Stop | None = None
        try:
            while True:
                while stop is None and len(pending) < window:
                    if not ready and not exhausted:
                        rows = await journal.planned(after, _READ_CHUNK)
                        if rows:
                            after = rows[-1].row
                            for row in rows:
                                ready.extend(packer.add(row))
                        else:
                            exhausted = True
                            ready.extend(packer.flush())
                        continue
                    if not ready:
                        break
                    batch = ready.pop(0)
                    await self._send_out(journal, batch.rows, self._new_id())
                    self._move_all(batch.rows, OutcomeState.PLANNED, OutcomeState.IN_FLIGHT)
                    pending.add(asyncio.create_task(self._exchange(journal, batch.rows)))
                if not pending:
                    break
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    try:
                        outcomes = task.result()
                    except _Stop as exc:
                        stop = stop or exc
                        continue
                    for outcome in outcomes:
                        yield outcome
            if stop is not None:
                raise stop.error
        finally:
            for task in pending:
                task.cancel()  # their rows stay in flight: the next run settles them
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    def _new_id(self) -> str:
        return _request_id()

    async def _send_out(self, journal: Journal, rows: list[JournalRow], request_id: str) -> None:
        await journal.send_out((row.row for row in rows), request_id, _time.time())
        rows[:] = [_with_request(row, request_id) for row in rows]

    async def _exchange(self, journal: Journal, rows: list[JournalRow]) -> list[MessageOutcome]:
        """Send ``rows`` (already in flight with their request id) and record the answer."""
        attempts = 0
        while True:
            first = rows[0]
            request = wire_bulk.ListSend(
                id=first.request_id or "",
                lines=tuple((row.phone, row.text) for row in rows),
                sender=first.sender,
                time=first.time,
                format=MessageFormat(first.format),
                per_number=self._settings.per_number_costs,
            )
            try:
                await self._wait_if_paused()
                self._requests += 1
                result = await self._client._send_list(request)
            except TooManyRequestsError as exc:
                # Our ids are never repeated, so this is the service's rate or concurrency
                # rule: the request created nothing. Pause everyone, then send again.
                attempts += 1
                self._pause(exc)
                if attempts >= _BUSY_ATTEMPTS:
                    await self._replan(journal, rows)
                    raise _Stop(exc) from None
                await self._send_out(journal, rows, self._new_id())
                continue
            except SendOutcomeUnknownError:
                await journal.set_state((row.row for row in rows), OutcomeState.UNKNOWN)
                self._move_all(rows, OutcomeState.IN_FLIGHT, OutcomeState.UNKNOWN)
                self._report(len(rows))
                return [_outcome(row, OutcomeState.UNKNOWN) for row in rows]
            except (InsufficientFundsError, AuthenticationError, IPBlockedError) as exc:
                await self._replan(journal, rows)
                raise _Stop(exc) from None
            except APIConnectionError as exc:  # it never left: planned again
                await self._replan(journal, rows)
                raise _Stop(exc) from None
            except _SPLIT as exc:
                if len(rows) > 1:
                    return await self._split(journal, rows)
                return await self._refuse(journal, rows, exc)
            except APIError as exc:  # 5, 7, 8: every line of the request alike
                return await self._refuse(journal, rows, exc)
            return await self._accept(journal, rows, result)

    async def _split(self, journal: Journal, rows: list[JournalRow]) -> list[MessageOutcome]:
        # The request created nothing; find the refused line in halves, each a new request.
        middle = len(rows) // 2
        outcomes: list[MessageOutcome] = []
        for half in (rows[:middle], rows[middle:]):
            half = list(half)
            await self._send_out(journal, half, self._new_id())
            outcomes.extend(await self._exchange(journal, half))
        return outcomes

    async def _replan(self, journal: Journal, rows: list[JournalRow]) -> None:
        await journal.set_state((row.row for row in rows), OutcomeState.PLANNED)
        self._move_all(rows, OutcomeState.IN_FLIGHT, OutcomeState.PLANNED)
        self._report()

    async def _refuse(
        self, journal: Journal, rows: list[JournalRow], error: APIError
    ) -> list[MessageOutcome]:
        updates = [RowUpdate(row.row, OutcomeState.REFUSED, error_code=error.code) for row in rows]
        await journal.settle(updates)
        self._move_all(rows, OutcomeState.IN_FLIGHT, OutcomeState.REFUSED)
        self._report(len(rows))
        return [_outcome(row, OutcomeState.REFUSED, error_code=error.code) for row in rows]

    async def _accept(
        self, journal: Journal, rows: list[JournalRow], result: SendResult
    ) -> list[MessageOutcome]:
        reported = {item.phone: item for item in result.phones}
        updates: list[RowUpdate] = []
        outcomes: list[MessageOutcome] = []
        for row in rows:
            item = reported.get(row.phone)
            refused = item is not None and (item.error is not None or item.status is not None)
            if refused and item is not None:
                status = None if item.status is None else int(item.status)
                error = None if item.error is None else int(item.error)
                updates.append(
                    RowUpdate(row.row, OutcomeState.REFUSED, status=status, delivery_error=error)
                )
                outcomes.append(
                    _outcome(
                        row,
                        OutcomeState.REFUSED,
                        status=item.status,
                        delivery_error=item.error,
                    )
                )
                self._move(OutcomeState.IN_FLIGHT, OutcomeState.REFUSED)
            else:
                cost = item.cost if item is not None else None
                updates.append(RowUpdate(row.row, OutcomeState.ACCEPTED, cost=cost))
                outcomes.append(_outcome(row, OutcomeState.ACCEPTED, cost=cost))
                self._move(OutcomeState.IN_FLIGHT, OutcomeState.ACCEPTED)
        await journal.settle(updates)
        if result.cost is not None:
            self._cost += result.cost
        self._report(len(rows))
        return outcomes

    # ------------------------------------------------------------------ pause, counts

    def _pause(self, exc: APIError) -> None:
        pause = exc.retry_after or self._settings.busy_pause
        pause = min(pause, self._settings.busy_pause)
        self._resume_at = max(self._resume_at, self._settings.clock() + pause)
        log.info("bulk: the service is busy (error %s); pausing %.0f s", exc.code, pause)

    async def _wait_if_paused(self) -> None:
        while (left := self._resume_at - self._settings.clock()) > 0:
            await self._settings.sleep(left)

    def _move(self, old: OutcomeState, new: OutcomeState, count: int = 1) -> None:
        self._counts[old] -= count
        self._counts[new] += count

    def _move_all(self, rows: list[JournalRow], old: OutcomeState, new: OutcomeState) -> None:
        self._move(old, new, len(rows))

    def _report(self, answered: int = 0) -> None:
        self._sent += answered
        if self._settings.on_progress is not None:
            self._settings.on_progress(self.progress)


def new_campaign(
    client: CampaignClient,
    source: MessageSource,
    *,
    journal: str | Path | None = None,
    name: str = "",
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    max_lines: int = DEFAULT_MAX_LINES,
    per_number_costs: bool = False,
    settle_after: float = 60.0,
    busy_pause: float = 60.0,
    on_progress: Callable[[CampaignProgress], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = _time.monotonic,
) -> Campaign:
    """A campaign of ``client`` (see :meth:`AsyncSMSCClient.campaign`); checks the options."""
    if not isinstance(name, str):
        raise RequestValidationError("name must be a string", field="name")
    settings = Settings(
        name=name,
        limits=PackingLimits(max_request_bytes=max_request_bytes, max_lines=max_lines),
        per_number_costs=bool(per_number_costs),
        settle_after=check_seconds(settle_after, field="settle_after", allow_zero=True),
        busy_pause=check_seconds(busy_pause, field="busy_pause", allow_zero=True),
        on_progress=on_progress,
        sleep=sleep,
        clock=clock,
    )
    return Campaign(client, source, journal=journal, settings=settings)


async def run_batch(campaign: Campaign) -> BatchResult:
    """Run ``campaign`` to the end and collect its outcomes."""
    outcomes = [outcome async for outcome in campaign]
    return BatchResult(tuple(outcomes), campaign.progress)


def raise_mismatch(path: Path) -> None:
    """The source does not match the journal's campaign."""
    raise JournalError(
        f"the journal {path} was written for other messages (the source changed, or it is "
        "another campaign's journal): nothing was sent"
    )


def _with_request(row: JournalRow, request_id: str) -> JournalRow:
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
        _time.time(),
        row.state,
    )


def _outcome(row: JournalRow, state: OutcomeState, **fields: Any) -> MessageOutcome:
    return MessageOutcome(
        index=row.seq,
        phone=row.phone,
        state=state,
        request_id=row.request_id,
        parts=row.parts,
        **fields,
    )


async def _iterate(source: MessageSource) -> AsyncIterator[Any]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


def _temporary_path() -> Path:
    import tempfile

    folder = Path(tempfile.gettempdir())
    return folder / f"smsc-campaign-{secrets.token_hex(8)}.sqlite"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
