"""``client.history``: the messages the account sent (``get.php?get_messages=1``)."""

from __future__ import annotations

import builtins
import dataclasses
import logging
from collections.abc import AsyncIterator
from datetime import date

from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._enums import MessageType
from .._errors import InvalidResponseError, RequestValidationError
from .._models.reports import SentMessage
from .._privacy import mask_phones
from .._wire.reports import HISTORY, HISTORY_MAX_PAGE, HISTORY_TYPES, HistoryQuery
from ._report_checks import (
    PhonesArg,
    check_count,
    check_emails,
    check_message_type,
    check_period,
    check_phones,
    check_record_id,
    check_timeout_arg,
)

__all__ = ["HISTORY_MAX_MONTHS", "MAX_PAGES", "History"]

log = logging.getLogger("smsc")

HISTORY_MAX_MONTHS = 6
"""The longest period one history request may cover, in calendar months (§11.5)."""

MAX_PAGES = 10_000
"""The most pages one walk asks for (10 million messages at 1,000 a page) unless
``max_pages`` says otherwise: a service whose pages never end cannot keep a walk going."""


class History:
    """The sent history: every message of a period, newest first, in pages of up to 1,000.

    Reached as ``client.history``.
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def messages(
        self,
        *,
        start: date,
        end: date,
        phones: PhonesArg = None,
        emails: PhonesArg = None,
        type: MessageType | int | None = None,
        page_size: int = HISTORY_MAX_PAGE,
        max_pages: int = MAX_PAGES,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncIterator[SentMessage]:
        """Every message sent from ``start`` to ``end`` (days, both included), newest first.

        Returns an async iterator that asks for one page at a time, only when the previous
        one is used up: ``async for m in client.history.messages(...)`` walks any history
        in the memory of one page, and breaking out of the loop sends no further request.
        Arguments are checked here, before the first request.

        Args:
            start: the first day (a ``date``; an aware ``datetime`` is read in Moscow time).
            end: the last day; at most 6 calendar months after ``start``.
            phones: only messages to these numbers.
            emails: only e-mail messages to these addresses.
            type: only messages of this kind: ``MessageType.SMS`` or ``MessageType.MAIL``,
                the two the service's history page documents (any other kind raises
                ``RequestValidationError`` before a request).
            page_size: messages per request, 1 to 1,000.
            max_pages: the most pages to ask for (:data:`MAX_PAGES` by default); a walk
                that would need more ends in :class:`InvalidResponseError`.
            timeout: override the client's timeout for each request.

        Every page is checked before any of its messages is yielded: each ``internal_id``
        positive, below the page before, and once in the page. So no message is yielded
        twice, and a service whose pages overlap, repeat or never end is refused.

        Raises:
            RequestValidationError: a bad argument (nothing was sent).
            APIError: the service refused (a subclass per error code), while iterating.
            InvalidResponseError: a page cannot be read, or the pages do not go back in time
                (they overlap or repeat), or there are more than ``max_pages``.
        """
        query = history_query(start, end, phones, emails, type, page_size)
        pages = check_count(max_pages, field="max_pages", low=1, high=10**9)
        check_timeout_arg(timeout)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "history %s..%s phones=%s emails=%d",
                query.start,
                query.end,
                mask_phones(query.phones),
                len(query.emails),
            )
        return self._walk(query, pages, timeout)

    async def page(
        self,
        *,
        start: date,
        end: date,
        phones: PhonesArg = None,
        emails: PhonesArg = None,
        type: MessageType | int | None = None,
        page_size: int = HISTORY_MAX_PAGE,
        before_id: int | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> builtins.list[SentMessage]:
        """One page of the history: up to ``page_size`` messages, newest first, older than
        the message whose ``internal_id`` is ``before_id`` (the newest when ``None``).

        Arguments mean the same as for :meth:`messages`. The next page starts before the
        smallest ``internal_id`` of this one; a page shorter than ``page_size`` is the last.
        """
        query = history_query(start, end, phones, emails, type, page_size)
        before = check_record_id(before_id, field="before_id")
        return await self._client._request(
            HISTORY, dataclasses.replace(query, before=before), timeout
        )

    async def _walk(
        self, query: HistoryQuery, max_pages: int, timeout: TimeoutArg
    ) -> AsyncIterator[SentMessage]:
        before: int | None = None
        for _ in range(max_pages):
            page = await self._client._request(
                HISTORY, dataclasses.replace(query, before=before), timeout
            )
            lowest = _check_page(page, before)
            for message in page:
                yield message
            if len(page) < query.count:
                return
            if lowest is None:
                raise InvalidResponseError(
                    "history: a message without int_id; the next page is unknown"
                )
            before = lowest
        raise InvalidResponseError(
            f"history: more than {max_pages} pages; the service's paging does not end"
        )


def _check_page(page: builtins.list[SentMessage], before: int | None) -> int | None:
    """The smallest ``internal_id`` of ``page`` (the next page's ``prev_id``), after checking
    that the page goes back: every id positive, below ``before``, once in the page.

    ``None``: a message of the page has no ``internal_id`` (the page cannot be followed).
    """
    marks = [message.internal_id for message in page]
    known = [mark for mark in marks if mark is not None]
    if len(set(known)) != len(known):
        raise InvalidResponseError("history: a page holds the same message twice")
    if known and min(known) < 1:
        raise InvalidResponseError("history: a message's int_id is not positive")
    if before is not None and known and max(known) >= before:
        # A page that does not go back overlaps or repeats the one before it.
        raise InvalidResponseError("history: the next page does not go back in time")
    return min(known) if known and len(known) == len(marks) else None


def _history_type(value: object) -> int | None:
    """A kind of message the history page documents for ``format`` (0 SMS, 8 e-mail)."""
    kind = check_message_type(value, field="type")
    if kind is not None and kind not in HISTORY_TYPES:
        allowed = " or ".join(f"MessageType.{t.name} ({t.value})" for t in sorted(HISTORY_TYPES))
        raise RequestValidationError(
            f"type must be {allowed}: the history page documents no other kind", field="type"
        )
    return kind


def history_query(
    start: object,
    end: object,
    phones: PhonesArg,
    emails: PhonesArg,
    type: object,
    page_size: object,
) -> HistoryQuery:
    """The checked query of a history request (see :meth:`History.messages`)."""
    first, last = check_period(start, end, max_months=HISTORY_MAX_MONTHS)
    return HistoryQuery(
        start=first,
        end=last,
        phones=check_phones(phones, field="phones"),
        emails=check_emails(emails, field="emails"),
        type=_history_type(type),
        count=check_count(page_size, field="page_size", low=1, high=HISTORY_MAX_PAGE),
    )
