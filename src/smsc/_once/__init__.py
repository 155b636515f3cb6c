"""At most one message per id: :meth:`smsc.AsyncSMSCClient.send_once`.

The service does not refuse a second message with an id it has seen (ids need not be
unique), so a web handler called twice for one order sends two SMS. ``send_once`` makes the
id a key: it asks the service for the status of ``(id, phone)`` first and sends only when the
service knows no such message. Calls for the same key on one client wait for each other, so
the second of two concurrent calls finds the first one's message instead of sending its own.
Across processes the shared limiter (``RedisLimiter``) refuses an identical send within a
minute, and the service answers error 9 to one (see the "Using smsc in FastAPI and aiohttp"
guide, section "Sending once per order", for what this covers and what it leaves to you).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from .._base_client import NOT_GIVEN, TimeoutArg
from .._enums import MessageFormat, StatusCode, StatusDetail, Translit
from .._errors import RequestValidationError
from .._models.messages import MessageStatus, SendResult
from .._rules.arguments import ExtraValue
from .._rules.send_request import TimeArg, build_send_request

__all__ = ["SendOnceResult", "send_once"]

log = logging.getLogger("smsc")


@dataclass(frozen=True, slots=True)
class SendOnceResult:
    """What :meth:`~smsc.AsyncSMSCClient.send_once` did.

    Attributes:
        id: the message id (yours).
        phone: the number, as the SDK sends it.
        sent: True when this call sent the message; False when the service already had a
            message with this id to this phone (an earlier call sent it) and nothing was sent.
        result: this call's answer when it sent, else ``None``.
        status: the earlier message's status when nothing was sent, else ``None``.
    """

    id: int | str
    phone: str
    sent: bool
    result: SendResult | None = None
    status: MessageStatus | None = None


class _Client(Protocol):
    """What ``send_once`` uses of :class:`~smsc.AsyncSMSCClient` (which it is a method of)."""

    async def send(
        self,
        phones: str | Sequence[str],
        message: str = "",
        *,
        translit: Translit | int | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        id: int | str | None = None,
        format: MessageFormat | str = MessageFormat.SMS,
        sender: str | None = None,
        valid: int | str | timedelta | None = None,
        maxsms: int | None = None,
        tinyurl: bool | None = None,
        extra: Mapping[str, ExtraValue] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> SendResult: ...

    async def status(
        self,
        id: int | str,
        phone: str,
        *,
        detail: StatusDetail | int = StatusDetail.BASIC,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> MessageStatus: ...


_Key = tuple[str, str]
_keys: weakref.WeakKeyDictionary[_Client, dict[_Key, tuple[asyncio.Lock, int]]] = (
    weakref.WeakKeyDictionary()
)
"""Per client: the ``(id, phone)`` keys a ``send_once`` is working on, with their lock and how
many calls hold or wait for it (the entry goes when the last one leaves)."""


@asynccontextmanager
async def _one_at_a_time(client: _Client, key: _Key) -> AsyncIterator[None]:
    keys = _keys.setdefault(client, {})
    lock, users = keys.get(key, (asyncio.Lock(), 0))
    keys[key] = (lock, users + 1)
    try:
        async with lock:
            yield
    finally:
        lock, users = keys[key]
        if users == 1:
            del keys[key]
        else:
            keys[key] = (lock, users - 1)


async def send_once(
    self: _Client,
    phone: str,
    message: str = "",
    *,
    id: int | str,
    translit: Translit | int | None = None,
    time: TimeArg = None,
    tz: int | None = None,
    format: MessageFormat | str = MessageFormat.SMS,
    sender: str | None = None,
    valid: int | str | timedelta | None = None,
    maxsms: int | None = None,
    tinyurl: bool | None = None,
    extra: Mapping[str, ExtraValue] | None = None,
    timeout: TimeoutArg = NOT_GIVEN,
) -> SendOnceResult:
    """Send a message with your ``id`` unless the service already has it: at most once.

    For a handler that may run twice for one order (a retried request, a double
    click): give an id made from the order (``id=f"order-{order.id}-shipped"``), the
    same on every call. The service is asked for the status of ``id`` to ``phone``
    first; when it knows the message, nothing is sent and the result carries its
    status (``sent=False``). Calls with the same id and phone on one client wait for
    each other. This is also how to settle a :class:`SendOutcomeUnknownError`: call
    again with the same id. See "Sending once per order" in the web apps guide for
    what it covers (and not: ids reused for other messages, processes without a
    shared limiter, a number the service rewrites).

    Args:
        phone: one number, in international format (``79991234567``), as the service
            keeps it: the status is looked up by id and number.
        message, translit, time, tz, format, sender, valid, maxsms, tinyurl, extra,
            timeout: as for :meth:`send`.
        id: your message id, required (1..2147483647 or up to 40 of
            ``[A-Za-z0-9._-]``); one id per message you mean to send once.

    Returns:
        SendOnceResult: ``sent`` and this call's ``result``, or the earlier ``status``.

    Raises:
        RequestValidationError: bad arguments, no id, or more than one phone (nothing
            was sent, no request made).
        APIError, SendOutcomeUnknownError, APIConnectionError: as for :meth:`status`
            and :meth:`send`.
        IdenticalRequestError: the limiter saw the same send within a minute (another
            process sending it now): nothing sent; call again later to read its status.
    """
    id_given: int | str | None = id
    if id_given is None:
        raise RequestValidationError(
            "send_once needs your own id, the same for every call about one message "
            '(id="order-123"); nothing was sent',
            field="id",
        )
    # Every argument is checked here, before the status request.
    request = build_send_request(
        phone,
        message,
        translit=translit,
        time=time,
        tz=tz,
        message_id=id,
        format=format,
        sender=sender,
        valid=valid,
        maxsms=maxsms,
        tinyurl=tinyurl,
        extra=extra,
    )
    if len(request.phones) != 1:
        raise RequestValidationError(
            "send_once takes one phone number (one status per id and phone tells whether it "
            "was sent); use a campaign with a journal for many",
            field="phone",
        )
    number = request.phones[0]
    async with _one_at_a_time(self, (str(id), number)):
        earlier = await self.status(id, number, timeout=timeout)
        if earlier.status is not StatusCode.NOT_FOUND:
            log.info("send_once id=%s: the service has it already; nothing sent", id)
            return SendOnceResult(id=id, phone=number, sent=False, status=earlier)
        result = await self.send(
            number,
            message,
            translit=translit,
            time=time,
            tz=tz,
            id=id,
            format=format,
            sender=sender,
            valid=valid,
            maxsms=maxsms,
            tinyurl=tinyurl,
            extra=extra,
            timeout=timeout,
        )
    return SendOnceResult(id=id, phone=number, sent=True, result=result)
