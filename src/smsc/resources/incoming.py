"""``client.incoming``: messages subscribers sent to the account (``get.php?get_answers=1``)."""

from __future__ import annotations

import builtins
import dataclasses
import logging
import warnings
from collections.abc import AsyncIterator

from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._errors import InvalidResponseError
from .._models.reports import IncomingMessage
from .._privacy import mask_phones
from .._wire.reports import INCOMING, INCOMING_MAX_HOURS, INCOMING_MAX_PAGE, IncomingQuery
from ._report_checks import PhonesArg, check_count, check_phones, check_record_id, check_timeout_arg
from .history import MAX_PAGES

__all__ = ["DEFAULT_PAGE_SIZE", "Incoming"]

log = logging.getLogger("smsc")

DEFAULT_PAGE_SIZE = 1000
"""Received messages per request unless ``page_size`` says otherwise (at most 10,000)."""


class Incoming:
    """Received messages (replies and inbound SMS), oldest first, paged by their ids.

    Reached as ``client.incoming``.
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def messages(
        self,
        *,
        hours: int | None = None,
        after_id: int | None = None,
        to_phones: PhonesArg = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncIterator[IncomingMessage]:
        """Every message received in the last ``hours`` hours, oldest first.

        Returns an async iterator that asks for one page at a time, only when the previous
        one is used up; breaking out of the loop sends no further request. Keep the ``id`` of
        the last message handled and pass it as ``after_id`` next time to get only newer
        ones. Arguments are checked here, before the first request.

        Args:
            hours: how far back, 1 to 168; ``None`` leaves it to the service (a day in the
                emulator; the service's default is not documented).
            after_id: only messages with a larger ``id``.
            to_phones: only messages sent to these numbers of the account.
            page_size: messages per request, 1 to 10,000.
            max_pages: the most pages to ask for (10,000 by default); a walk that would
                need more ends in :class:`InvalidResponseError`.
            timeout: override the client's timeout for each request.

        Every page is checked before any of its messages is yielded: each ``id`` above the
        ``after_id`` it was asked with, and once in the page. So no message is yielded twice,
        and a service whose pages overlap, repeat or never end is refused.

        Raises:
            RequestValidationError: a bad argument (nothing was sent).
            APIError: the service refused (a subclass per error code), while iterating.
            InvalidResponseError: a page cannot be read, or its ids do not grow (pages
                overlap or repeat), or there are more than ``max_pages``.
        """
        query = incoming_query(hours, after_id, to_phones, page_size)
        pages = check_count(max_pages, field="max_pages", low=1, high=10**9)
        check_timeout_arg(timeout)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "incoming hours=%s after_id=%s to=%s",
                query.hours,
                query.after,
                mask_phones(query.to_phones),
            )
        return self._walk(query, pages, timeout)

    async def page(
        self,
        *,
        hours: int | None = None,
        after_id: int | None = None,
        to_phones: PhonesArg = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> builtins.list[IncomingMessage]:
        """One page: up to ``page_size`` messages with an ``id`` above ``after_id``.

        Arguments mean the same as for :meth:`messages`; a page shorter than ``page_size`` is
        the last one for now.
        """
        query = incoming_query(hours, after_id, to_phones, page_size)
        return await self._client._request(INCOMING, query, timeout)

    def list(
        self,
        *,
        hours: int | None = None,
        after_id: int | None = None,
        to_phones: PhonesArg = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncIterator[IncomingMessage]:
        """Deprecated name of :meth:`messages` (``client.history.messages`` pages the same
        way); it warns and does the same."""
        warnings.warn(
            "client.incoming.list() is now client.incoming.messages()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.messages(
            hours=hours,
            after_id=after_id,
            to_phones=to_phones,
            page_size=page_size,
            timeout=timeout,
        )

    async def _walk(
        self, query: IncomingQuery, max_pages: int, timeout: TimeoutArg
    ) -> AsyncIterator[IncomingMessage]:
        for _ in range(max_pages):
            page = await self._client._request(INCOMING, query, timeout)
            highest = _check_page(page, query.after)
            for message in page:
                yield message
            if len(page) < query.count or highest is None:
                return
            query = dataclasses.replace(query, after=highest)
        raise InvalidResponseError(
            f"incoming: more than {max_pages} pages; the service's paging does not end"
        )


def _check_page(page: builtins.list[IncomingMessage], after: int | None) -> int | None:
    """The largest ``id`` of ``page`` (the next page's ``after_id``; ``None`` when empty),
    after checking that the page goes forward: every id above ``after``, once in the page."""
    ids = [message.id for message in page]
    if len(set(ids)) != len(ids):
        raise InvalidResponseError("incoming: a page holds the same message twice")
    if after is not None and ids and min(ids) <= after:
        # A page that does not go forward overlaps or repeats the one before it.
        raise InvalidResponseError("incoming: the next page does not go forward")
    return max(ids) if ids else None


def incoming_query(
    hours: object, after_id: object, to_phones: PhonesArg, page_size: object
) -> IncomingQuery:
    """The checked query of a received-messages request (see :meth:`Incoming.messages`)."""
    return IncomingQuery(
        hours=None
        if hours is None
        else check_count(hours, field="hours", low=1, high=INCOMING_MAX_HOURS),
        to_phones=check_phones(to_phones, field="to_phones"),
        count=check_count(page_size, field="page_size", low=1, high=INCOMING_MAX_PAGE),
        after=check_record_id(after_id, field="after_id"),
    )
