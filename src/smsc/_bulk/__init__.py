"""Campaigns: many different messages in few ``list`` requests, journaled, resumable.

- :mod:`._model`: :class:`BulkMessage`, :class:`MessageOutcome`, :class:`CampaignProgress`,
  :class:`PackingLimits`, :class:`JournalError`.
- :mod:`._packing`: checking messages and packing them into requests.
- :mod:`._journal`: the SQLite journal, the campaign's only state.
- :mod:`._integrity`: the checks that a journal's file is whole before a run uses it.
- :mod:`._sending`: one packed request and its answer; the interface a campaign needs of a
  client (:class:`~._sending.CampaignClient`) and its options.
- :mod:`._campaign`: the engine (plan, settle, send) behind ``client.campaign()``.
- :mod:`._source`: a streaming CSV reader.

Server-side mailings (``jobs.php``) are ``client.jobs`` (:mod:`smsc.resources.jobs`).
"""

from __future__ import annotations

from ._campaign import Campaign, MessageSource, new_campaign, run_batch
from ._model import (
    DEFAULT_MAX_LINES,
    DEFAULT_MAX_REQUEST_BYTES,
    BatchResult,
    BulkMessage,
    CampaignProgress,
    JournalError,
    JournalWriteError,
    MessageOutcome,
    OutcomeState,
    PackingLimits,
)
from ._source import read_csv

__all__ = [
    "DEFAULT_MAX_LINES",
    "DEFAULT_MAX_REQUEST_BYTES",
    "BatchResult",
    "BulkMessage",
    "Campaign",
    "CampaignProgress",
    "JournalError",
    "JournalWriteError",
    "MessageOutcome",
    "MessageSource",
    "OutcomeState",
    "PackingLimits",
    "new_campaign",
    "read_csv",
    "run_batch",
]
