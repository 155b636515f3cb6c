"""AsyncSMSCClient: one thin method per service command, on the base client's pipeline."""

from __future__ import annotations

import asyncio
import functools
import logging
import time as _time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

import httpx

from . import _wire as wire
from ._base_client import NOT_GIVEN, BaseClient, NotGiven, TimeoutArg
from ._config import SMSCConfig
from ._enums import MessageFormat, StatusDetail, Translit
from ._errors import (
    InvalidResponseError,
    LimitExceededError,
    RequestValidationError,
    SMSCError,
    StatusWaitTimeoutError,
    TooManyRequestsError,
)
from ._http.backends import HTTPBackend
from ._http.transport import FailoverEvent
from ._models.messages import Balance, CostResult, DeleteResult, MessageStatus, SendResult
from ._once import send_once
from ._options import ClientOptions
from ._privacy import mask_phones, mask_text
from ._rules.arguments import ExtraValue, check_seconds, message_keys, status_detail
from ._rules.send_request import TimeArg, build_send_request
from .events._bus import Hook

if TYPE_CHECKING:
    from pathlib import Path

    from typing_extensions import Unpack

    from ._bulk import BatchResult, BulkMessage, Campaign, MessageSource
    from ._bulk._sending import BatchOptions, CampaignOptions
    from ._limits import Limiter
    from ._smtp.sender import AsyncSMTPSender, SMTPSendResult

__all__ = ["NOT_GIVEN", "AsyncSMSCClient", "NotGiven"]

log = logging.getLogger("smsc")

# unasync: async-only
_P = ParamSpec("_P")


def _via_smtp(
    send: Callable[Concatenate[AsyncSMTPSender, _P], Awaitable[SMTPSendResult]],
) -> Callable[Concatenate[AsyncSMSCClient, _P], Coroutine[Any, Any, SMTPSendResult]]:
    """``AsyncSMTPSender.send`` as a client method: the same arguments, typed once."""

    async def send_via_smtp(
        client: AsyncSMSCClient, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> SMTPSendResult:
        """Send through the e-mail gateway instead of HTTP (see :class:`AsyncSMTPSender`).

        Takes the arguments of :meth:`AsyncSMTPSender.send` and uses this client's
        credentials and ``smtp_*`` settings. The gateway answers nothing but acceptance: the
        result carries the id used (assigned when you give none), to be followed with
        :meth:`status`.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            SMTPGatewayError: the gateway refused, timed out or could not be reached.
        """
        return await send(client._smtp_sender(), *args, **kwargs)

    # inspect.signature (and so the API reference) shows the sender's parameters.
    return functools.update_wrapper(send_via_smtp, send, assigned=(), updated=())


class _SMTPMethod:
    """``send_via_smtp`` before its first use: the e-mail gateway (``smsc._smtp``, aiosmtplib)
    is imported on first access, then the real method takes this placeholder's place."""

    def __get__(self, client: object, owner: type) -> Any:
        from ._smtp.sender import AsyncSMTPSender

        method = _via_smtp(AsyncSMTPSender.send)
        owner.send_via_smtp = method  # type: ignore[attr-defined]
        return method.__get__(client, owner)


# unasync: end


class AsyncSMSCClient(BaseClient):
    """Asynchronous client of the SMSC HTTP API.

    Use it as an async context manager, or call :meth:`aclose` when done. One client is meant
    to live as long as the application and to be shared by all its tasks: it caps its own
    requests in flight (``max_concurrency``) and queues the rest.

    Args:
        login: account login (or ``SMSC_LOGIN``).
        password: API password (or ``SMSC_PASSWORD``).
        api_key: API key instead of login and password (or ``SMSC_API_KEY``).
        host: ``"smsc.ru"`` by default; ``"smscentre.com"``, ``"smsc.kz"``, ``"smsc.ua"``, any
            host, or a base URL (or ``SMSC_HOST``).
        allow_http: opt in to a plain ``http://`` base URL.
        config: a ready :class:`SMSCConfig`; keyword arguments given here override its fields.
        http_client: an ``httpx.AsyncClient`` the caller owns and keeps open. The SDK uses it as
            it is (no failover is added: wrap its transport with :func:`smsc.build_transport`).
        transport: an ``httpx`` transport to send through (for example
            ``httpx.ASGITransport(app=emulator.app)``); the SDK wraps it with its failover layer.
        http_backend: ``"httpx"`` (the default), ``"aiohttp"`` (``pip install
            "smsc-async[aiohttp]"``) or ``"httpx2"`` (``pip install "smsc-async[httpx2]"``):
            the library whose connection pool carries the requests, under the same failover
            layer (see the Performance guide).
        on_failover_event: called with a :class:`FailoverEvent` for every attempt, failure,
            switch of site and recovery (see :attr:`site_stats` for running counts).
        limiter: the per-login limits to keep, shared by every client given it: an
            :class:`InProcessLimiter` (one process) or a :class:`RedisLimiter` (every process
            on one Redis). It supplies the in-flight slots (its ``max_concurrency`` sizes the
            pool) and refuses a request over a window rule before it is written
            (:class:`LimitExceededError`). The client never closes it. Without one, the client
            caps its own requests in flight at ``max_concurrency``.
        hooks: plain functions called with every event of :mod:`smsc.events` (requests,
            attempts, retries, failovers, limiter waits, campaign progress and pauses); more
            can be added with ``client.events.on(hook, *kinds)``. A hook that raises is
            logged and ignored. No event carries a phone, a text or a secret (see the
            "Observability" guide).
        **options: any other :class:`SMSCConfig` field (``timeout``, ``max_concurrency``...).

    Raises:
        ConfigurationError: invalid or missing settings (checked here, before any request).

    Example:
        ```python
        async with AsyncSMSCClient(login="alex", password="...") as client:
            result = await client.send("79991234567", "Your code: 1234")
        ```
    """

    def __init__(
        self,
        *,
        login: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        host: str | None = None,
        allow_http: bool | None = None,
        config: SMSCConfig | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        on_failover_event: Callable[[FailoverEvent], None] | None = None,
        # unasync: async-only
        http_backend: HTTPBackend = "httpx",
        limiter: Limiter | None = None,
        hooks: Iterable[Hook] = (),
        # unasync: end
        **options: Unpack[ClientOptions],
    ) -> None:
        overrides: dict[str, Any] = {
            key: value
            for key, value in {
                "login": login,
                "password": password,
                "api_key": api_key,
                "host": host,
                "allow_http": allow_http,
                **options,
            }.items()
            if value is not None
        }
        if config is None:
            if {"login", "password", "api_key"} & overrides.keys():
                config = SMSCConfig(**overrides)
            else:
                config = SMSCConfig.from_env(**overrides)
        elif overrides:
            config = SMSCConfig(**{**dict(config), **overrides})
        super().__init__(
            config,
            http_client=http_client,
            transport=transport,
            on_failover_event=on_failover_event,
            # unasync: async-only
            http_backend=http_backend,
            limiter=limiter,
            hooks=hooks,
            # unasync: end
        )
        # unasync: async-only
        self._smtp: AsyncSMTPSender | None = None
        # unasync: end
        # Resource namespaces (src/smsc/resources/): account data. Imported with the first
        # client, not with smsc (see smsc/__init__).
        from .resources import (
            Account,
            Contacts,
            History,
            Incoming,
            Jobs,
            Notifications,
            Numbers,
            Operators,
            Senders,
            Templates,
            Users,
        )
        from .resources.templates import OperatorTemplates

        self.senders = Senders(self)
        self.contacts = Contacts(self)
        self.templates = Templates(self, wire.TEMPLATES)
        self.operator_templates = OperatorTemplates(self)
        self.users = Users(self)
        self.numbers = Numbers(self)
        """Dedicated numbers for receiving messages (:class:`~smsc.resources.Numbers`)."""
        self.notifications = Notifications(self)
        """Event notifications of a task group (:class:`~smsc.resources.Notifications`)."""
        self.history = History(self)
        """The sent history (:class:`~smsc.resources.History`)."""
        self.incoming = Incoming(self)
        """Messages received from subscribers (:class:`~smsc.resources.Incoming`)."""
        self.account = Account(self)
        """Statistics and prices (:class:`~smsc.resources.Account`)."""
        self.operators = Operators(self)
        """Operator lookups (:class:`~smsc.resources.Operators`)."""
        self.jobs = Jobs(self)
        """Server-side mailings (``jobs.php``): create, info, list, cancel, delete."""

    # ------------------------------------------------------------------ commands

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
    ) -> SendResult:
        """Send a message to one or more phones.

        Args:
            phones: a number, several numbers separated by ``,``/``;``, or a sequence.
            message: the text (up to 1000 characters; may be empty for HLR and ping).
            translit: transliterate Cyrillic (:class:`Translit`).
            time: when to send: the service's string forms (``"DDMMYYhhmm"``, ``"h1-h2"``,
                ``"+m"``, ``"0<ts>"``), an aware ``datetime`` (sent as a Unix time), a naive one
                (in ``tz`` or the account's zone), or a ``timedelta`` from now.
            tz: time zone of ``time`` in hours relative to Moscow.
            id: your message id (1..2147483647 or up to 40 of ``[A-Za-z0-9._-]``). When omitted
                the SDK assigns a unique one (``assign_ids``), returned in the result.
            format: :class:`MessageFormat` (SMS, flash, binary, HLR, ...).
            sender: sender id (up to 11 characters, or 15 digits).
            valid: validity in hours (1..24), ``"hh:mm"``, or a ``timedelta``.
            maxsms: the most SMS parts a long text may take; the service truncates the rest.
            tinyurl: replace links with short links.
            extra: any other documented ``send.php`` parameter (``{"op": 1}``,
                ``{"period": 0.5}``), passed through as it is; numbers are written in plain
                decimal notation. It may not repeat a parameter another argument sets, nor a
                message-type flag (use ``format``).
            timeout: override the client's timeout for this call.

        Returns:
            SendResult: id, SMS count, cost and the new balance.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            APIError: the service refused (a subclass per error code).
            SendOutcomeUnknownError: the request may have reached the service but no answer
                came back; check with :meth:`status` before sending again.
            APIConnectionError: no site could be reached (nothing was sent).
        """
        request = build_send_request(
            phones,
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
            assign_id=self._config.assign_ids,
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "send id=%s format=%s to %s: %s",
                request.id,
                request.format.value,
                mask_phones(request.phones),
                mask_text(request.message),
            )
        result = await self._request(wire.SEND, request, timeout)
        log.debug("send id=%s accepted: %d SMS", result.id, result.count)
        return result

    # unasync: async-only
    send_once = send_once  # at most one message per id: see smsc._once
    # unasync: end

    async def cost(
        self,
        phones: str | Sequence[str],
        message: str = "",
        *,
        translit: Translit | int | None = None,
        format: MessageFormat | str = MessageFormat.SMS,
        sender: str | None = None,
        maxsms: int | None = None,
        tinyurl: bool | None = None,
        extra: Mapping[str, ExtraValue] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> CostResult:
        """Ask what a message would cost, without sending it (``cost=1``).

        Arguments mean the same as for :meth:`send`.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            APIError: the service refused (a subclass per error code).
        """
        request = build_send_request(
            phones,
            message,
            translit=translit,
            format=format,
            sender=sender,
            maxsms=maxsms,
            tinyurl=tinyurl,
            extra=extra,
        )
        return await self._request(wire.COST, request, timeout)

    async def status(
        self,
        id: int | str,
        phone: str,
        *,
        detail: StatusDetail | int = StatusDetail.BASIC,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> MessageStatus:
        """The delivery status of message ``id`` sent to ``phone`` (also HLR results).

        ``phone`` is the recipient as the message was sent to it: a number, an e-mail
        address (``MessageFormat.MAIL``), a Telegram ``@nickname`` or ``#id``. A contact
        group (``G<id>``) has no status of its own: ask for each member's number.

        ``detail`` asks for the full record (:attr:`StatusDetail.FULL`) and the operator's
        country and region (:attr:`StatusDetail.FULL_WITH_OPERATOR`).

        An unknown id, **or a phone the message was not sent to** (written another way, a
        group instead of its member), answers with status :attr:`StatusCode.NOT_FOUND`: the
        service keeps one status per id and phone. It is not an error and says nothing about
        delivery: check the id and the phone (see the Service notes page of the docs).
        """
        query = wire.StatusQuery(message_keys([(id, phone)]), status_detail(detail))
        results = await self._request(wire.STATUS, query, timeout)
        if len(results) != 1:
            raise InvalidResponseError(f"status: expected one status, got {len(results)}")
        return results[0]

    async def status_many(
        self,
        messages: Iterable[tuple[int | str, str]],
        *,
        detail: StatusDetail | int = StatusDetail.BASIC,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> list[MessageStatus]:
        """Statuses of several messages in one request: ``[(id, phone), ...]``.

        The service allows one such request a minute per account (error 9 beyond).
        """
        keys = message_keys(list(messages))
        if not keys:
            raise RequestValidationError("give at least one (id, phone) pair", field="messages")
        query = wire.StatusQuery(keys, status_detail(detail), multi=True)
        return await self._request(wire.STATUS, query, timeout)

    async def balance(self, *, timeout: TimeoutArg = NOT_GIVEN) -> Balance:
        """The account balance, with its currency and credit limit where the service gives them."""
        return await self._request(wire.BALANCE, None, timeout)

    async def delete(
        self, id: int | str, phone: str, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> DeleteResult:
        """Delete message ``id`` sent to ``phone`` from the account (``status.php``, ``del=1``).

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            DeleteError: the service could not delete it (error 5: no such message, or one
                already deleted; after a failover repeat, possibly deleted by the first try).
            APIError: the service refused otherwise (a subclass per error code).
        """
        (key,) = message_keys([(id, phone)])
        return await self._request(wire.DELETE, key, timeout)

    # unasync: async-only
    if TYPE_CHECKING:
        send_via_smtp = _via_smtp(AsyncSMTPSender.send)
    else:
        send_via_smtp = _SMTPMethod()

    def _smtp_sender(self) -> AsyncSMTPSender:
        if self._closed:
            raise SMSCError("the client is closed")
        if self._smtp is None:
            from ._smtp.sender import AsyncSMTPSender

            self._smtp = AsyncSMTPSender(self._config)
        return self._smtp

    # unasync: end

    async def wait_for_status(
        self,
        id: int | str,
        phone: str,
        *,
        timeout: float = 600.0,
        detail: StatusDetail | int = StatusDetail.BASIC,
        first_poll: float = 1.0,
        max_interval: float = 60.0,
        polls_per_minute: int = 5,
        on_status: Callable[[MessageStatus], None] | None = None,
        clock: Callable[[], float] = _time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> MessageStatus:
        """Poll :meth:`status` until the message reaches a final status, and return it.

        Polls start ``first_poll`` seconds after the call and the pause doubles up to
        ``max_interval``; on top of that no more than ``polls_per_minute`` requests for this
        message fall in any 60-second window (the service answers error 9 to more than five).
        An error 9 answer pushes the next poll a minute later instead of failing, and a refusal
        of the client's ``limiter`` (:class:`LimitExceededError`, nothing sent) to
        ``retry_after`` later. Final
        statuses are those with :attr:`StatusCode.is_final` (delivered, read, expired,
        undeliverable, ...; also "not found", which usually means a wrong id or phone).

        ``on_status`` is called with each status read, the final one included (to show
        progress); an exception it raises ends the wait. ``clock`` and ``sleep`` let tests
        run the wait on a virtual clock.

        Raises:
            StatusWaitTimeoutError: no final status within ``timeout`` seconds.
            RequestValidationError: bad arguments (nothing was sent).
        """
        timeout = check_seconds(timeout, field="timeout")
        first_poll = check_seconds(first_poll, field="first_poll", allow_zero=True)
        max_interval = check_seconds(max_interval, field="max_interval")
        if (
            isinstance(polls_per_minute, bool)
            or not isinstance(polls_per_minute, int)
            or polls_per_minute < 1
        ):
            raise RequestValidationError(
                "polls_per_minute must be a whole number >= 1", field="polls_per_minute"
            )
        message_keys([(id, phone)])  # refuse bad arguments before waiting
        window = 60.0 + 0.5  # half a second of margin against clock skew with the service
        started = clock()
        deadline = started + timeout
        recent: deque[float] = deque(maxlen=polls_per_minute)
        delay = first_poll
        next_at = started + first_poll
        last: MessageStatus | None = None
        polls = 0
        while True:
            if len(recent) == polls_per_minute:
                next_at = max(next_at, recent[0] + window)
            if next_at > deadline:
                raise StatusWaitTimeoutError(
                    message_id=id, timeout=timeout, polls=polls, last_status=last
                )
            pause = next_at - clock()
            if pause > 0:
                await sleep(pause)
            recent.append(clock())
            polls += 1
            try:
                last = await self.status(id, phone, detail=detail)
            except TooManyRequestsError as exc:
                next_at = clock() + (exc.retry_after or window)
                continue
            except LimitExceededError as exc:
                # The client's limiter refused (workers sharing it polled this message):
                # nothing was sent, so this poll does not count; try when the window allows.
                recent.pop()
                polls -= 1
                next_at = clock() + max(exc.retry_after, 0.05)
                continue
            if on_status is not None:
                on_status(last)
            if last.is_final:
                return last
            delay = min(max(delay, 0.5) * 2, max_interval)
            next_at = clock() + delay

    # unasync: async-only
    # ------------------------------------------------------------------ campaigns

    def campaign(
        self,
        messages: MessageSource,
        *,
        journal: str | Path | None = None,
        **options: Unpack[CampaignOptions],
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
            **options: keywords of :class:`~smsc._bulk._sending.CampaignOptions`:

                - ``name``: the campaign's name, stored in the journal and checked on resume.
                - ``max_request_bytes``, ``max_lines``: the packing budget of one request
                  (see :class:`PackingLimits`).
                - ``per_number_costs``: ask for every number's cost (``op=1``) instead of
                  only the refused numbers.
                - ``settle_after`` (60 s): seconds after a request left before its unknown
                  messages are asked with ``status`` (the service may still be working on
                  it).
                - ``busy_pause`` (60 s): the longest pause after an error 9 (the service's
                  own hint is used when it is shorter), and after a request that reached no
                  site (pauses of 1, 2, 4, 8 s; the fifth such try in a row stops the
                  campaign).
                - ``on_progress``: called with a :class:`CampaignProgress` after every
                  answer.
                - ``sleep``, ``clock``: for tests on a virtual clock.

        Raises:
            JournalError: the journal belongs to another campaign or account, or is corrupt
                (nothing is sent).
            InsufficientFundsError, AuthenticationError, IPBlockedError, APIConnectionError:
                the campaign stopped; the messages of that request are planned again.
            TooManyRequestsError: error 9 persisted after several pauses.
        """
        from ._bulk import new_campaign
        from ._bulk._sending import ClientLink

        return new_campaign(ClientLink(self), messages, journal=journal, **options)

    async def send_batch(
        self,
        messages: Iterable[BulkMessage],
        *,
        journal: str | Path | None = None,
        **options: Unpack[BatchOptions],
    ) -> BatchResult:
        """Send a ready list of different messages in few requests; every outcome returned.

        The same as running :meth:`campaign` to the end (same arguments, same errors).
        """
        from ._bulk import run_batch

        return await run_batch(self.campaign(messages, journal=journal, **options))

    # unasync: end
