"""AsyncSMSCClient: one method per service command."""

from __future__ import annotations

import asyncio
import functools
import logging
import platform
import re
import secrets
import time as _time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

import httpx
from httpx._client import UseClientDefault

from . import _wire as wire
from ._arguments import ExtraValue, check_seconds, check_timeout, extra_fields
from ._backends import HTTPBackend, inner_transport
from ._config import SMSCConfig
from ._enums import MessageFormat, StatusDetail, Translit
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    InvalidResponseError,
    RequestValidationError,
    SendOutcomeUnknownError,
    ServerError,
    SMSCError,
    StatusWaitTimeoutError,
    TooManyRequestsError,
)
from ._models import Balance, CostResult, MessageStatus, SendRequest, SendResult
from ._privacy import mask_phones, mask_text
from ._recipients import parse_phones, validate_message, validate_message_id, validate_sender
from ._schedule import validate_time, validate_tz, validate_valid
from ._secrets import Credentials
from ._smtp import AsyncSMTPSender, ListArg, SMTPSendResult
from ._transport import FailoverEvent, FailoverTransport, SiteStats, build_transport
from ._version import __version__
from ._warmup import open_connections

__all__ = ["NOT_GIVEN", "AsyncSMSCClient", "NotGiven"]

log = logging.getLogger("smsc")

_T = TypeVar("_T")
_P = ParamSpec("_P")


class NotGiven:
    """Sentinel type: an argument that was not passed (distinct from ``None``)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutArg = float | httpx.Timeout | None | NotGiven
TimeArg = str | datetime | timedelta | None

USER_AGENT = (
    f"smsc-async/{__version__} httpx/{httpx.__version__} "
    f"{platform.python_implementation()}/{platform.python_version()}"
)


def _redacting(
    method: Callable[Concatenate[AsyncSMSCClient, _P], Coroutine[Any, Any, _T]],
) -> Callable[Concatenate[AsyncSMSCClient, _P], Coroutine[Any, Any, _T]]:
    """A command whose errors never quote the account's secrets, even from an echoed answer."""

    @functools.wraps(method)
    async def command(client: AsyncSMSCClient, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return await method(client, *args, **kwargs)
        except SMSCError as exc:
            client._credentials.scrub(exc)
            raise

    return command


def _new_message_id() -> str:
    # 34 characters of [a-z0-9-] (128 random bits): inside the service's 40-character id rule.
    return "s-" + secrets.token_hex(16)


class AsyncSMSCClient:
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
        http_backend: ``"httpx"`` (the default) or ``"aiohttp"`` (``pip install
            "smsc-async[aiohttp]"``): the library whose connection pool carries the requests,
            under the same failover layer (see the Performance guide).
        on_failover_event: called with a :class:`FailoverEvent` for every attempt, failure,
            switch of site and recovery (see :attr:`site_stats` for running counts).
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
        http_backend: HTTPBackend = "httpx",
        **options: Any,
    ) -> None:
        overrides = {
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
        if http_backend != "httpx" and (http_client is not None or transport is not None):
            raise ConfigurationError(
                "http_backend cannot be combined with http_client or transport"
            )
        if http_client is not None and (transport is not None or on_failover_event is not None):
            raise ConfigurationError(
                "http_client cannot be combined with transport or on_failover_event: "
                "build the failover transport into your own client (smsc.build_transport)"
            )
        self._config = config
        self._credentials = Credentials(config)
        self._owns_http = http_client is None
        self._failover: FailoverTransport | None = None
        if http_client is None:
            # A pool larger than the cap, that drops connections stranded by cancelled
            # requests: see inner_transport and pooled_transport (docs/guarantees.md).
            inner = transport or inner_transport(http_backend, config.max_concurrency)
            failover = build_transport(config, inner=inner, on_event=on_failover_event)
            self._failover = failover
            http_client = httpx.AsyncClient(
                transport=failover,
                timeout=config.http_timeout,
                headers={"User-Agent": USER_AGENT},
            )
        self._http = http_client
        # An owned client already carries the SDK's headers and timeout; a borrowed one gets
        # them per request (merging them costs time on every call, so only when needed).
        self._headers: dict[str, str] | None = (
            None if self._owns_http else {"User-Agent": USER_AGENT}
        )
        self._default_timeout: httpx.Timeout | UseClientDefault = (
            httpx.USE_CLIENT_DEFAULT if self._owns_http else config.http_timeout
        )
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._closed = False
        self._smtp: AsyncSMTPSender | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def config(self) -> SMSCConfig:
        """The client's immutable configuration (secrets hidden in its repr)."""
        return self._config

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The underlying ``httpx.AsyncClient``."""
        return self._http

    @property
    def site_stats(self) -> Mapping[str, SiteStats]:
        """Requests and failures per site (``scheme://host[:port]``) since the client started.

        Empty when the client uses a borrowed ``httpx`` client.
        """
        return self._failover.stats if self._failover is not None else {}

    async def __aenter__(self) -> AsyncSMSCClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, unless the caller owns the ``httpx`` client."""
        if self._closed:
            return
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def warm_up(self, connections: int = 1) -> int:
        """Open ``connections`` connections to the primary site before the first call.

        A first call otherwise pays the TCP and TLS handshakes (about two round trips) on top
        of its own. Each connection is opened by a ``HEAD`` request for the site's root (no
        credentials, no command); failures are ignored, so the first call then connects as
        usual. At most ``max_concurrency`` connections are opened; call it before traffic.

        Returns:
            How many connections answered (0 with a borrowed ``http_client``).
        """
        if self._failover is None:
            return 0
        count = max(1, min(connections, self._config.max_concurrency))
        return await open_connections(
            self._failover._inner, self._config.base_url, count, self._config.http_timeout
        )

    def with_options(self, **options: Any) -> AsyncSMSCClient:
        """A client with some settings changed that shares this one's pool and request cap.

        Settings applied per request (``timeout``, ``connect_timeout``, ``retry_deadline``,
        credentials, ``assign_ids``, ``smtp_*``) can change. The request cap
        (``max_concurrency``) and, when the SDK built the pool, the sites and failover
        settings (``host``, ``mirrors``, ``failover``, ``max_retries``, ``mirror_cooldown``)
        belong to the shared pool: changing them raises :class:`ConfigurationError` (create
        another client instead). Closing the copy does not close the shared pool.
        """
        config = SMSCConfig(**{**dict(self._config), **options})
        fixed = ["max_concurrency"]
        if self._failover is not None:
            fixed += ["host", "mirrors", "failover", "max_retries", "mirror_cooldown"]
        changed = [name for name in fixed if getattr(config, name) != getattr(self._config, name)]
        if changed:
            raise ConfigurationError(
                f"with_options cannot change {', '.join(changed)}: shared with the parent "
                "client's connection pool; create another AsyncSMSCClient instead"
            )
        copy = AsyncSMSCClient(config=config, http_client=self._http)
        copy._slots = self._slots
        copy._failover = self._failover
        return copy

    def __repr__(self) -> str:
        who = self._config.login if self._config.login else "api_key"
        return f"<AsyncSMSCClient {who}@{self._config.base_url}>"

    # ------------------------------------------------------------------ commands

    @_redacting
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
        request = self._send_request(
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
        body = await self._post(
            wire.SEND,
            wire.SEND.encode(request),
            timeout,
            message_id=request.id,
            phones=request.phones,
        )
        try:
            result = wire.SEND.read(body, request)
        except InvalidResponseError as exc:
            # The service took the request but its answer is unreadable: it may have sent.
            raise SendOutcomeUnknownError(
                "unreadable answer", message_id=request.id, phones=request.phones
            ) from exc
        log.debug("send id=%s accepted: %d SMS", result.id, result.count)
        return result

    @_redacting
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
        request = self._send_request(
            phones,
            message,
            translit=translit,
            time=None,
            tz=None,
            message_id=None,
            format=format,
            sender=sender,
            valid=None,
            maxsms=maxsms,
            tinyurl=tinyurl,
            extra=extra,
            assign_id=False,
        )
        body = await self._post(wire.COST, wire.COST.encode(request), timeout)
        return wire.COST.read(body, request)

    @_redacting
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
        country and region (:attr:`StatusDetail.FULL_WITH_OPERATOR`). An unknown id answers
        with status :attr:`StatusCode.NOT_FOUND`; it is not an error.
        """
        query = wire.StatusQuery(tuple(self._status_pairs([(id, phone)])), self._detail(detail))
        body = await self._post(wire.STATUS, wire.STATUS.encode(query), timeout)
        results = wire.STATUS.read(body, query)
        if len(results) != 1:
            raise InvalidResponseError(f"status: expected one status, got {len(results)}")
        return results[0]

    @_redacting
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
        pairs = self._status_pairs(list(messages))
        if not pairs:
            raise RequestValidationError("give at least one (id, phone) pair", field="messages")
        query = wire.StatusQuery(tuple(pairs), self._detail(detail), multi=True)
        body = await self._post(wire.STATUS, wire.STATUS.encode(query), timeout)
        return wire.STATUS.read(body, query)

    @_redacting
    async def balance(self, *, timeout: TimeoutArg = NOT_GIVEN) -> Balance:
        """The account balance, with its currency and credit limit where the service gives them."""
        body = await self._post(wire.BALANCE, wire.BALANCE.encode(None), timeout)
        return wire.BALANCE.read(body, None)

    async def send_via_smtp(
        self,
        phones: str | Sequence[str] | None = None,
        message: str = "",
        *,
        list: ListArg | None = None,
        id: int | str | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        translit: Translit | int = 0,
        format: MessageFormat | str = MessageFormat.SMS,
        sender: str | None = None,
        test: bool = False,
        timeout: float | None = None,
    ) -> SMTPSendResult:
        """Send through the e-mail gateway instead of HTTP (see :class:`AsyncSMTPSender`).

        Uses this client's credentials and ``smtp_*`` settings. The gateway answers nothing
        but acceptance: the result carries the id used (assigned when you give none), to be
        followed with :meth:`status`.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            SMTPGatewayError: the gateway refused, timed out or could not be reached.
        """
        if self._closed:
            raise SMSCError("the client is closed")
        if self._smtp is None:
            self._smtp = AsyncSMTPSender(self._config)
        return await self._smtp.send(
            phones,
            message,
            list=list,
            id=id,
            time=time,
            tz=tz,
            translit=translit,
            format=format,
            sender=sender,
            test=test,
            timeout=timeout,
        )

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
        clock: Callable[[], float] = _time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> MessageStatus:
        """Poll :meth:`status` until the message reaches a final status, and return it.

        Polls start ``first_poll`` seconds after the call and the pause doubles up to
        ``max_interval``; on top of that no more than ``polls_per_minute`` requests for this
        message fall in any 60-second window (the service answers error 9 to more than five).
        An error 9 answer pushes the next poll a minute later instead of failing. Final
        statuses are those with :attr:`StatusCode.is_final` (delivered, read, expired,
        undeliverable, ...; also "not found", which usually means a wrong id or phone).

        ``clock`` and ``sleep`` let tests run the wait on a virtual clock.

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
        self._status_pairs([(id, phone)])  # refuse bad arguments before waiting
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
            if last.is_final:
                return last
            delay = min(max(delay, 0.5) * 2, max_interval)
            next_at = clock() + delay

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        # A borrowed httpx client may be closed by its owner, and a with_options copy's
        # pool by its parent: both read as this client being closed.
        if self._closed or self._http.is_closed:
            raise SMSCError("the client is closed")

    @staticmethod
    def _detail(detail: StatusDetail | int) -> StatusDetail:
        try:
            return StatusDetail(detail)
        except ValueError:
            raise RequestValidationError("detail must be 0, 1 or 2", field="detail") from None

    @staticmethod
    def _status_pairs(
        messages: Sequence[tuple[int | str, str]],
    ) -> list[tuple[int | str, str]]:
        pairs = []
        for item in messages:
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise RequestValidationError(
                    "give each message as an (id, phone) pair", field="messages"
                )
            message_id, phone = item
            pairs.append((validate_message_id(message_id), _one_phone(phone)))
        return pairs

    @staticmethod
    def _send_request(
        phones: str | Sequence[str],
        message: str,
        *,
        translit: Translit | int | None,
        time: TimeArg,
        tz: int | None,
        message_id: int | str | None,
        format: MessageFormat | str,
        sender: str | None,
        valid: int | str | timedelta | None,
        maxsms: int | None,
        tinyurl: bool | None,
        extra: Mapping[str, ExtraValue] | None,
        assign_id: bool,
    ) -> SendRequest:
        fmt = _message_format(format)
        if not isinstance(message, str):
            raise RequestValidationError("message must be a string", field="message")
        if translit is not None:
            try:
                translit = Translit(translit)
            except ValueError:
                raise RequestValidationError(
                    "translit must be 0, 1 or 2", field="translit"
                ) from None
        if maxsms is not None and (
            isinstance(maxsms, bool) or not isinstance(maxsms, int) or maxsms < 1
        ):
            raise RequestValidationError("maxsms must be a whole number >= 1", field="maxsms")
        if tinyurl is not None and tinyurl not in (True, False):
            raise RequestValidationError("tinyurl must be True or False", field="tinyurl")
        if message_id is not None:
            message_id = validate_message_id(message_id)
        elif assign_id:
            message_id = _new_message_id()
        return SendRequest(
            phones=parse_phones(phones, format=fmt),
            message=validate_message(message, format=fmt),
            format=fmt,
            id=message_id,
            translit=translit,
            time=validate_time(time) if time is not None else None,
            tz=validate_tz(tz) if tz is not None else None,
            sender=validate_sender(sender, format=fmt) if sender is not None else None,
            valid=validate_valid(valid) if valid is not None else None,
            maxsms=maxsms,
            tinyurl=tinyurl,
            extra=extra_fields(
                extra,
                given={
                    name
                    for name, value in (
                        ("translit", translit),
                        ("time", time),
                        ("tz", tz),
                        ("sender", sender),
                        ("valid", valid),
                        ("maxsms", maxsms),
                        ("tinyurl", tinyurl),
                    )
                    if value is not None
                },
            ),
        )

    async def _post(
        self,
        spec: wire.CommandSpec[Any, Any],
        form: dict[str, str],
        timeout: TimeoutArg,
        *,
        message_id: int | str | None = None,
        phones: Sequence[str] = (),
    ) -> bytes:
        # No local of this frame (nor of httpx's, below it) holds the password or API key:
        # they travel inside a FormBody, whose repr and vars() hide them (see _secrets).
        self._check_open()
        request_timeout = self._default_timeout if isinstance(timeout, NotGiven) else timeout
        command = spec.name
        body = self._credentials.body({**wire.COMMON_FIELDS, **form})
        request = self._http.build_request(
            "POST",
            self._config.base_url + spec.path,
            content=body,
            headers={**(self._headers or {}), **_FORM_HEADERS, "Content-Length": str(len(body))},
            timeout=check_timeout(request_timeout),
            extensions={
                "smsc_operation": command,
                "smsc_may_repeat": spec.may_repeat,
                "smsc_deadline": _time.monotonic() + self._config.retry_deadline,
                "smsc_body_check": spec.check,
            },
        )
        request.stream = body  # replayable as it is: no layer copies it into request.content
        is_send = command == "send"
        async with self._slots:
            try:
                response = await self._http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Nothing was written: safe to report as "not sent" even for a send.
                raise _connection_error(command, exc) from exc
            except httpx.TransportError as exc:
                if is_send:
                    raise SendOutcomeUnknownError(
                        _reason(exc), message_id=message_id, phones=phones
                    ) from exc
                raise _connection_error(command, exc) from exc
            except httpx.DecodingError as exc:
                # An answer came (a bad Content-Encoding): for a send, it may have been taken.
                if is_send:
                    raise SendOutcomeUnknownError(
                        _reason(exc), message_id=message_id, phones=phones
                    ) from exc
                raise InvalidResponseError(
                    f"{command}: the answer could not be decoded ({_reason(exc)})"
                ) from exc
        status_code = response.status_code
        if status_code < 400:
            return response.content
        del response  # its body may echo the request: keep it out of this frame's locals
        if is_send:
            raise SendOutcomeUnknownError(
                f"HTTP {status_code}", message_id=message_id, phones=phones
            )
        raise ServerError(
            f"{command}: the service answered HTTP {status_code}", status_code=status_code
        )


_FORM_HEADERS: Final = {"Content-Type": "application/x-www-form-urlencoded"}


def _reason(exc: httpx.RequestError) -> str:
    # The exception's class names the failure; its text may carry a URL, so it is not used.
    return type(exc).__name__


def _connection_error(command: str, exc: httpx.TransportError) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{command}: timed out ({_reason(exc)})")
    return APIConnectionError(f"{command}: could not reach the service ({_reason(exc)})")


def _one_phone(phone: str) -> str:
    # Status is asked by the recipient the message went to: a number, the address of an
    # e-mail, the nickname or #id of a Telegram user. Not by a contact group: the service
    # keeps one status per member's number.
    if not isinstance(phone, str):
        raise RequestValidationError("phone must be a string", field="phone")
    is_mail = "@" in phone.strip()[1:]
    try:
        numbers = parse_phones(
            phone, format=MessageFormat.MAIL if is_mail else MessageFormat.TELEGRAM
        )
    except RequestValidationError as exc:
        raise RequestValidationError(str(exc), field="phone") from None
    if len(numbers) != 1:
        raise RequestValidationError("give exactly one phone per message id", field="phone")
    if _GROUP.fullmatch(numbers[0]):
        raise RequestValidationError(
            "status is kept per number, not per contact group: ask for each member's number",
            field="phone",
        )
    return numbers[0]


_GROUP = re.compile(r"G[0-9]+")


def _message_format(value: MessageFormat | str) -> MessageFormat:
    try:
        return MessageFormat(value)
    except ValueError:
        known = ", ".join(f.value for f in MessageFormat)
        raise RequestValidationError(
            f"unknown message format {value!r}; known: {known}", field="format"
        ) from None
