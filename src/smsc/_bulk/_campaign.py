"""The campaign engine: plan into the journal, settle what is in doubt, send in packed requests.

A run goes through three steps, each driven by the journal alone:

1. **Plan** (or verify): every message of the source is checked and written to the journal
   as planned, and a fingerprint of the whole source is kept. On a resume the source is read
   again and must give the same fingerprint; nothing is sent before that.
2. **Settle**: rows left in flight or unknown by an earlier run are asked with ``status`` by
   request id and phone (``settle_after`` seconds after their request left at the
   earliest). A message the service has is accepted; one it does not know (``NOT_FOUND``)
   never arrived and is planned again.
3. **Send**: planned rows are packed into ``list`` requests; each request's rows are
   committed in flight with the request's own id before it leaves, and its answer decides
   each row: accepted, refused, or unknown (see :mod:`._sending`).
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import tempfile
import time as _time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Iterable,
)
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .._enums import StatusCode
from .._errors import TooManyRequestsError
from ..events._bus import CallTrace
from ._journal import Journal, JournalRow, PlannedRow, RowUpdate
from ._model import (
    BatchResult,
    CampaignProgress,
    JournalError,
    MessageOutcome,
    OutcomeState,
)
from ._packing import Batch, Fingerprint, Packer, plan_message
from ._sending import (
    BUSY_ATTEMPTS,
    CampaignClient,
    CampaignOptions,
    RequestRunner,
    Settings,
    Stop,
    Tally,
    events_of,
    outcome,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

log = logging.getLogger("smsc.bulk")

__all__ = ["Campaign", "MessageSource", "new_campaign", "run_batch"]

MessageSource = Iterable[Any] | AsyncIterable[Any]
"""Where a campaign's messages come from: :class:`BulkMessage` items, sync or async."""

_PLAN_CHUNK: Final = 1_000
_READ_CHUNK: Final = 2_000


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
        self._tally = Tally(settings)
        self._run_generator: AsyncGenerator[MessageOutcome, None] | None = None
        self._stopping = False

    @property
    def progress(self) -> CampaignProgress:
        """The campaign's state now (counts over the whole journal, figures of this run)."""
        return self._tally.progress()

    async def run(self) -> CampaignProgress:
        """Run to the end; returns the final progress (outcomes are in the journal)."""
        async for _ in self:
            pass
        return self.progress

    def __aiter__(self) -> AsyncIterator[MessageOutcome]:
        if self._run_generator is not None:
            raise RuntimeError("a Campaign runs once; create another to run again")
        self._run_generator = self._run()
        return self._run_generator

    def stop(self) -> None:
        """Send no new request: the run ends once the requests already sent are answered.

        Unlike :meth:`aclose` (or ``break``), which cancels requests in flight and leaves
        their messages for the next run to settle, ``stop()`` lets every request that left
        finish and records its answer, so the journal is left with messages accepted,
        refused, unknown or planned (not yet sent), and the same campaign resumes later.
        Safe to call from ``on_progress`` or any code on the run's event loop.
        """
        self._stopping = True

    async def aclose(self) -> None:
        """End a run left before its end (``break``): requests in flight are cancelled (their
        messages stay in flight in the journal, settled by the next run) and the journal is
        closed. ``async with client.campaign(...) as campaign:`` calls it on exit."""
        if self._run_generator is not None:
            await self._run_generator.aclose()

    async def __aenter__(self) -> Campaign:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ the run

    async def _run(self) -> AsyncGenerator[MessageOutcome, None]:
        journal = Journal(self._journal_path or _temporary_path())
        tally = self._tally
        events = events_of(self._client)
        trace = tally.trace = (
            None if events is None or not events.active else CallTrace(events, "campaign")
        )
        if trace is not None:
            trace.events.emit(trace.started_event())
        try:
            resumed = await journal.open(self._settings.name, self._client.account_identity())
            await self._plan(journal, resumed)
            tally.counts = await journal.counts()
            tally.started = self._settings.clock()
            tally.in_doubt = (
                tally.counts[OutcomeState.IN_FLIGHT] + tally.counts[OutcomeState.UNKNOWN]
            )
            tally.phase = "settling" if tally.in_doubt else "sending"
            tally.report()
            async for item in self._settle(journal):
                yield item
            tally.phase = "sending"
            async for item in self._send_all(journal):
                yield item
            tally.phase = "finished"
            tally.report()
        except BaseException as exc:
            if trace is not None:
                trace.attempts = tally.requests
                trace.failed_with(exc)
            raise
        else:
            if trace is not None:
                trace.attempts = tally.requests
                trace.answered(cost=tally.cost)
        finally:
            await journal.close()
            if self._journal_path is None:
                _remove(journal.path)

    async def _plan(self, journal: Journal, resumed: bool) -> None:
        fingerprint = Fingerprint(self._settings.name)
        if not resumed:
            await journal.restart_planning()  # a planning cut short sent nothing
        chunk: list[PlannedRow] = []
        index = 0
        async for message in _iterate(self._source):
            rows = plan_message(index, message)
            fingerprint.update(rows)
            index += 1
            if resumed:
                continue
            chunk.extend(rows)
            if len(chunk) >= _PLAN_CHUNK:
                await journal.add(chunk)
                chunk = []
        if resumed:
            if await journal.fingerprint() != fingerprint.hexdigest():
                raise JournalError(
                    f"the journal {journal.path} was written for other messages (the source "
                    "changed, or it is another campaign's journal): nothing was sent"
                )
            return
        if chunk:
            await journal.add(chunk)
        await journal.finish_planning(fingerprint.hexdigest())

    # ------------------------------------------------------------------ settle

    async def _settle(self, journal: Journal) -> AsyncIterator[MessageOutcome]:
        tally = self._tally
        after = 0
        while not self._stopping and (rows := await journal.in_doubt(after, _READ_CHUNK)):
            after = rows[-1].row
            latest = max(row.sent_at or 0.0 for row in rows)
            wait = latest + self._settings.settle_after - _time.time()
            if wait > 0:
                await self._settle_wait(wait, len(rows))
            found = await asyncio.gather(*(self._known(row) for row in rows))
            accepted: list[JournalRow] = []
            planned: list[int] = []
            for row, known in zip(rows, found, strict=True):
                state = OutcomeState(row.state or OutcomeState.UNKNOWN.value)
                if known:
                    accepted.append(row)
                    tally.move(state, OutcomeState.ACCEPTED)
                else:
                    planned.append(row.row)
                    tally.move(state, OutcomeState.PLANNED)
            await journal.settle([RowUpdate(row.row, OutcomeState.ACCEPTED) for row in accepted])
            await journal.set_state(planned, OutcomeState.PLANNED)
            tally.settled += len(rows)
            tally.report(len(accepted))
            for row in accepted:
                yield outcome(row, OutcomeState.ACCEPTED)

    async def _settle_wait(self, seconds: float, messages: int) -> None:
        """Wait ``seconds`` before asking about ``messages`` in doubt, counting down aloud.

        Progress is reported about once a second (``settle_seconds_left``) in steps of the
        campaign's own ``sleep``, so a virtual clock in tests counts down too.
        """
        tally = self._tally
        log.info(
            "bulk: %d messages in doubt from an earlier run; asking the service about them "
            "in %.0f s (settle_after: their request left less than %g s ago)",
            messages,
            seconds,
            self._settings.settle_after,
        )
        tally.paused("settle", seconds, messages=messages)
        left = seconds
        try:
            while left > 0:
                tally.settle_left = math.ceil(left * 10) / 10
                tally.report()
                step = min(1.0, left)
                await self._settings.sleep(step)
                left -= step
        finally:
            tally.settle_left = None
        log.info("bulk: asking the service about %d messages in doubt", messages)

    async def _known(self, row: JournalRow) -> bool:
        """True when the service has the row's message; False: it never arrived."""
        tally = self._tally
        for _ in range(BUSY_ATTEMPTS):
            await tally.wait_if_paused()
            try:
                tally.requests += 1
                status = await self._client.status_of(row.request_id or "", row.phone)
            except TooManyRequestsError as exc:
                tally.pause(exc)
                continue
            return status.status != StatusCode.NOT_FOUND
        raise TooManyRequestsError(9, "status checks kept being refused", command="status")

    # ------------------------------------------------------------------ send

    async def _send_all(self, journal: Journal) -> AsyncIterator[MessageOutcome]:
        runner = RequestRunner(self._client, journal, self._tally)
        window = max(1, self._client.config.max_concurrency)
        batches = _Batches(journal, Packer(self._settings.limits))
        pending: set[asyncio.Task[list[MessageOutcome]]] = set()
        stop: Stop | None = None
        try:
            while True:
                while stop is None and not self._stopping and len(pending) < window:
                    batch = await batches.next()
                    if batch is None:
                        break
                    await runner.send_out(batch.rows)  # committed before it leaves
                    self._tally.move(OutcomeState.PLANNED, OutcomeState.IN_FLIGHT, len(batch.rows))
                    pending.add(asyncio.create_task(runner.send_rows(batch.rows)))
                if not pending:
                    break
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    try:
                        outcomes = task.result()
                    except Stop as exc:
                        stop = stop or exc
                        continue
                    for item in outcomes:
                        yield item
            if stop is not None:
                raise stop.error
        finally:
            for task in pending:
                task.cancel()  # their rows stay in flight: the next run settles them
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)


class _Batches:
    """Planned rows from the journal, a chunk at a time, packed into batches."""

    def __init__(self, journal: Journal, packer: Packer) -> None:
        self._journal = journal
        self._packer = packer
        self._ready: list[Batch] = []
        self._after = 0
        self._exhausted = False

    async def next(self) -> Batch | None:
        while not self._ready and not self._exhausted:
            rows = await self._journal.planned(self._after, _READ_CHUNK)
            if rows:
                self._after = rows[-1].row
                for row in rows:
                    self._ready.extend(self._packer.add(row))
            else:
                self._exhausted = True
                self._ready.extend(self._packer.flush())
        return self._ready.pop(0) if self._ready else None


def new_campaign(
    client: CampaignClient,
    source: MessageSource,
    *,
    journal: str | Path | None = None,
    **options: Unpack[CampaignOptions],
) -> Campaign:
    """A campaign of ``client`` (see :meth:`AsyncSMSCClient.campaign`); checks the options."""
    return Campaign(client, source, journal=journal, settings=Settings.of(options))


async def run_batch(campaign: Campaign) -> BatchResult:
    """Run ``campaign`` to the end and collect its outcomes."""
    outcomes = [item async for item in campaign]
    return BatchResult(tuple(outcomes), campaign.progress)


async def _iterate(source: MessageSource) -> AsyncIterator[Any]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


def _temporary_path() -> Path:
    return Path(tempfile.gettempdir()) / f"smsc-campaign-{secrets.token_hex(8)}.sqlite"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
