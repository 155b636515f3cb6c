"""The campaign methods of the client: ``campaign``, ``send_batch`` and what they need."""

from __future__ import annotations

import asyncio
import hashlib
import time as _time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from .. import _wire as wire
from .._base_client import BaseClient
from .._errors import InvalidResponseError
from .._models.messages import MessageStatus, SendResult
from .._wire.bulk import ListSend
from ..resources.jobs import Jobs
from ._campaign import Campaign, MessageSource, new_campaign, run_batch
from ._model import (
    DEFAULT_MAX_LINES,
    DEFAULT_MAX_REQUEST_BYTES,
    BatchResult,
    BulkMessage,
    CampaignProgress,
)

__all__ = ["BulkMethods"]


class BulkMethods(BaseClient):
    """Campaigns on the base client's pipeline (mixed into :class:`~smsc.AsyncSMSCClient`)."""

    @property
    def jobs(self) -> Jobs:
        """Server-side mailings (``jobs.php``): create, info, list, cancel, delete."""
        return Jobs(self)

    def campaign(
        self,
        messages: MessageSource,
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
        """A campaign: many different messages packed into few requests, with a journal.

        Iterate it for each message's outcome as it comes (``async for outcome in
        client.campaign(messages, journal="march.sqlite")``) or ``await campaign.run()``.
        The messages are checked and written to the journal before anything is sent; a
        message that cannot be sent in a batch raises :class:`RequestValidationError`
        naming its position. See the "Sending in bulk" guide.

        Args:
            messages: :class:`BulkMessage` items, an iterable or an async iterable (read
                once, as a stream; :func:`smsc.read_csv` reads a CSV file).
            journal: the SQLite file holding the campaign's state; run again with the same
                file to resume (nothing is sent twice; a finished campaign sends nothing).
                ``None``: a temporary file, deleted at the end (no resume).
            name: the campaign's name, stored in the journal and checked on resume.
            max_request_bytes, max_lines: the packing budget of one request (see
                :class:`PackingLimits`).
            per_number_costs: ask for every number's cost (``op=1``) instead of only the
                refused numbers.
            settle_after: seconds after a request left before its unknown messages are asked
                with ``status`` (the service may still be working on it).
            busy_pause: the longest pause after an error 9 (the service's own hint is used
                when it is shorter), and after a request that reached no site (pauses of 1,
                2, 4, 8 s; the fifth such try in a row stops the campaign).
            on_progress: called with a :class:`CampaignProgress` after every answer.
            sleep, clock: for tests on a virtual clock.

        Raises:
            JournalError: the journal belongs to another campaign or account, or is corrupt
                (nothing is sent).
            InsufficientFundsError, AuthenticationError, IPBlockedError, APIConnectionError:
                the campaign stopped; the messages of that request are planned again.
            TooManyRequestsError: error 9 persisted after several pauses.
        """
        return new_campaign(
            self,
            messages,
            journal=journal,
            name=name,
            max_request_bytes=max_request_bytes,
            max_lines=max_lines,
            per_number_costs=per_number_costs,
            settle_after=settle_after,
            busy_pause=busy_pause,
            on_progress=on_progress,
            sleep=sleep,
            clock=clock,
        )

    async def send_batch(
        self,
        messages: Iterable[BulkMessage],
        *,
        journal: str | Path | None = None,
        name: str = "",
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        max_lines: int = DEFAULT_MAX_LINES,
        per_number_costs: bool = False,
        settle_after: float = 60.0,
        busy_pause: float = 60.0,
        on_progress: Callable[[CampaignProgress], None] | None = None,
    ) -> BatchResult:
        """Send a ready list of different messages in few requests; every outcome returned.

        The same as running :meth:`campaign` to the end (same arguments, same errors).
        """
        return await run_batch(
            self.campaign(
                messages,
                journal=journal,
                name=name,
                max_request_bytes=max_request_bytes,
                max_lines=max_lines,
                per_number_costs=per_number_costs,
                settle_after=settle_after,
                busy_pause=busy_pause,
                on_progress=on_progress,
            )
        )

    async def _send_list(self, request: ListSend) -> SendResult:
        return await self._request(wire.SEND_LIST, request)

    def _account_identity(self) -> str:
        # Hashed here so that no frame below holds the key itself.
        config = self._config
        if config.api_key is not None:
            secret = "key:" + config.api_key.get_secret_value()
        else:
            secret = "login:" + (config.login or "")
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    async def _status_of(self, request_id: str, phone: str) -> MessageStatus:
        query = wire.StatusQuery(((request_id, phone),))
        results = await self._request(wire.STATUS, query)
        if len(results) != 1:
            raise InvalidResponseError(f"status: expected one status, got {len(results)}")
        return results[0]
