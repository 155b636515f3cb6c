"""The base client: configuration -> connection pool, in-flight cap, and ONE request pipeline.

Every command of the service runs through :meth:`BaseClient._request` with its wire spec
(``smsc._wire.COMMANDS``) and its validated arguments::

    arguments -> spec.encode -> form -> [open check, in-flight slot, timeout, failover
    extensions] -> HTTP -> body -> spec.read -> result model | typed error

So a command is a thin method: check the caller's arguments into the spec's argument model,
then ``return await self._request(SPEC, args, timeout)``. The commands of the design card
(``send``, ``cost``, ``status``, ``balance``, ``delete``) are such methods on
:class:`~smsc.AsyncSMSCClient`. Further groups of commands go in ``src/smsc/resources/``, one
namespace class per group, in the openai-python style::

    # src/smsc/resources/senders.py
    class Senders:
        def __init__(self, client: BaseClient) -> None:
            self._client = client

        async def list(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[Sender]:
            return await self._client._request(wire.SENDERS_LIST, None, timeout)

    # on AsyncSMSCClient: self.senders = Senders(self)

The pipeline is the one place that maps failures (through ``smsc._http.failures``): a request
that provably never left is "not sent"; after it may have left, a command whose spec says it
may not be repeated ends in an :class:`OutcomeUnknownError` naming the command
(:class:`SendOutcomeUnknownError` for a send, with its id and phones), anything else in a
connection, timeout, server or invalid-answer error. Secrets a command carries besides the
account's (``spec.secrets``) are scrubbed like the account's own. On aiohttp it takes the
bytes path (``FailoverTransport.send_bytes``), else it builds an ``httpx.Request``. The slot
comes from one :class:`SlotSource`, ``_limiter``; a client's ``limiter`` also counts the
request against ``spec.limits``, taken back when it provably never left. With event hooks
(``smsc.events``) a call runs inside ``run_traced``; without them, nothing is built.
"""

from __future__ import annotations

import asyncio
import sys
import time as _time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import httpx
from httpx._client import UseClientDefault

from ._config import SMSCConfig
from ._errors import (
    ConfigurationError,
    InvalidResponseError,
    ServerError,
    SMSCError,
)
from ._http.backends import HTTPBackend, inner_transport
from ._http.body import ACCEPT_ENCODING, bounded, limited_check
from ._http.failover import CallPolicy
from ._http.failures import NEVER_LEFT, failure, outcome_unknown
from ._http.transport import (
    FailoverEvent,
    FailoverTransport,
    SiteStats,
    build_transport,
)
from ._http.warmup import open_connections
from ._options import ClientOverrides
from ._rules.arguments import check_timeout
from ._secrets import Credentials, FormBody, scrub, secret_forms
from ._version import __version__
from ._wire import COMMON_FIELDS, CommandSpec
from ._wire.bounds import OFF_LOOP_BYTES
from .events._bus import CallTrace, Events, Hook
from .events._facts import run_traced

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._limits import Hit, Limiter

__all__ = [
    "NOT_GIVEN",
    "USER_AGENT",
    "BaseClient",
    "InFlightCap",
    "NotGiven",
    "SlotSource",
    "TimeoutArg",
]

_A = TypeVar("_A")
_R = TypeVar("_R")
_Self = TypeVar("_Self", bound="BaseClient")


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
"""A per-call timeout: seconds, an ``httpx.Timeout``, ``None`` (no limit) or ``NOT_GIVEN``."""

_IMPLEMENTATIONS: Final = {"cpython": "CPython", "pypy": "PyPy"}
USER_AGENT: Final = (
    f"smsc-async/{__version__} httpx/{httpx.__version__} "
    # sys, not platform: the platform module costs more to import than the rest of this one.
    f"{_IMPLEMENTATIONS.get(sys.implementation.name, sys.implementation.name)}/"
    f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
)

_FORM_HEADERS: Final = {"Content-Type": "application/x-www-form-urlencoded"}


class SlotSource(Protocol):
    """What the pipeline takes an in-flight slot from (``smsc._limits.Limiter`` is one)."""

    def slot(self) -> AbstractAsyncContextManager[Any]:
        """Hold one in-flight slot while a request runs; waiters queue in FIFO order."""
        ...


class InFlightCap:
    """The default slot source: at most ``max_concurrency`` requests in flight, FIFO.

    The slot is the semaphore itself (no wrapper per request): this runs on every call.
    """

    __slots__ = ("_semaphore",)

    def __init__(self, max_concurrency: int) -> None:
        self._semaphore = asyncio.Semaphore(max_concurrency)

    def slot(self) -> asyncio.Semaphore:
        """The semaphore, used as ``async with cap.slot():``."""
        return self._semaphore


class BaseClient:
    """A pooled, capped connection to the service and the pipeline every command runs through.

    Built from a finished :class:`SMSCConfig`; :class:`~smsc.AsyncSMSCClient` adds the
    keyword-argument constructor and the commands.
    """

    def __init__(
        self,
        config: SMSCConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        on_failover_event: Callable[[FailoverEvent], None] | None = None,
        # unasync: async-only
        http_backend: HTTPBackend = "httpx",
        limiter: Limiter | None = None,
        hooks: Iterable[Hook] | Events = (),
        # unasync: end
    ) -> None:
        # unasync: async-only
        if http_backend != "httpx" and (http_client is not None or transport is not None):
            raise ConfigurationError(
                "http_backend cannot be combined with http_client or transport"
            )
        # unasync: end
        if http_client is not None and (transport is not None or on_failover_event is not None):
            raise ConfigurationError(
                "http_client cannot be combined with transport or on_failover_event: "
                "build the failover transport into your own client (smsc.build_transport)"
            )
        self._config = config
        self._credentials = Credentials(config, COMMON_FIELDS)
        # unasync: async-only
        self._events = hooks if isinstance(hooks, Events) else Events(hooks)
        # unasync: end
        # A limiter handed in sets the cap (it may be shared by several processes); the
        # client never closes it. Without one, a bare semaphore caps this client alone.
        # unasync: async-only
        cap = config.max_concurrency if limiter is None else limiter.max_concurrency
        # unasync: end
        # unasync: sync-only
        # cap = config.max_concurrency
        # unasync: end
        self._owns_http = http_client is None
        self._failover: FailoverTransport | None = None
        if http_client is None:
            # A pool larger than the cap, that drops connections stranded by cancelled
            # requests: see inner_transport and pooled_transport (docs/guarantees.md).
            # unasync: async-only
            inner = transport or inner_transport(http_backend, cap)
            # unasync: end
            # unasync: sync-only
            # inner = transport or pooled_transport(cap)
            # unasync: end
            failover = build_transport(config, inner=inner, on_event=on_failover_event)
            self._failover = failover
            # unasync: async-only
            failover._events = self._events
            # unasync: end
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
        # unasync: async-only
        self._limiter: SlotSource = InFlightCap(cap) if limiter is None else limiter
        self._rules: Limiter | None = limiter
        # unasync: end
        # unasync: sync-only
        # self._limiter: SlotSource = InFlightCap(cap)
        # # The process that made the pool: a forked child must not use its connections.
        # self._pid = os.getpid()
        # unasync: end
        self._closed = False
        # For the SDK's own pool: what every request to a command's URL carries, made once
        # (see _send_direct). A with_options copy borrows the SDK-built client: same headers.
        self._send_headers = httpx.Headers(self._http.headers)
        self._send_headers.update(
            {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **_FORM_HEADERS}
        )
        self._targets: dict[str, tuple[httpx.URL, httpx.Headers]] = {}
        # The same headers on the bytes path, less what its transport writes by itself
        # (Host, Content-Length, ``Accept: */*``) and what HTTP/1.1 implies (keep-alive).
        self._bytes_headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in self._send_headers.raw
            if name.lower() not in (b"accept", b"connection")
        )
        self._timeouts = config.http_timeout.as_dict()

    # ------------------------------------------------------------------ lifecycle

    @property
    def config(self) -> SMSCConfig:
        """The client's immutable configuration (secrets hidden in its repr)."""
        return self._config

    # unasync: async-only
    @property
    def events(self) -> Events:
        """The event hooks (:mod:`smsc.events`), shared with :meth:`with_options` copies."""
        return self._events

    @property
    def limiter(self) -> Limiter | None:
        """The limiter given to the client (``None``: this client's own in-flight cap only)."""
        return self._rules

    # unasync: end
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

    async def __aenter__(self: _Self) -> _Self:
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

    # unasync: async-only
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

    # unasync: end

    def with_options(self: _Self, **options: Unpack[ClientOverrides]) -> _Self:
        """A client with some settings changed that shares this one\'s pool, cap and limiter.

        Settings applied per request (``timeout``, ``connect_timeout``, ``retry_deadline``,
        ``max_retries``, credentials, ``assign_ids``, ``smtp_*``) can change. The request cap
        (``max_concurrency``) and, when the SDK built the pool, the sites and their health
        (``host``, ``mirrors``, ``failover``, ``mirror_cooldown``) belong to the shared pool:
        changing them raises :class:`ConfigurationError` (create another client instead).
        Closing the copy does not close the shared pool.
        """
        config = SMSCConfig(**{**dict(self._config), **options})
        fixed = ["max_concurrency"]
        if self._failover is not None:
            fixed += ["host", "mirrors", "failover", "mirror_cooldown"]
        changed = [name for name in fixed if getattr(config, name) != getattr(self._config, name)]
        if changed:
            raise ConfigurationError(
                f"with_options cannot change {', '.join(changed)}: shared with the parent "
                "client's connection pool; create another AsyncSMSCClient instead"
            )
        copy = self._sharing_pool(config)
        copy._limiter = self._limiter
        # unasync: async-only
        copy._rules = self._rules
        # unasync: end
        copy._failover = self._failover
        # unasync: sync-only
        # copy._pid = self._pid  # the pool's process, not this one (see _check_open)
        # unasync: end
        # unasync: async-only
        copy._events = self._events
        # unasync: end
        return copy

    def _sharing_pool(self: _Self, config: SMSCConfig) -> _Self:
        """A new client of this class on ``config`` that borrows this one's ``httpx`` client."""
        return type(self)(config=config, http_client=self._http)

    def __repr__(self) -> str:
        who = self._config.login if self._config.login else "api_key"
        return f"<{type(self).__name__} {who}@{self._config.base_url}>"

    def _check_open(self) -> None:
        # A borrowed httpx client may be closed by its owner, and a with_options copy's
        # pool by its parent: both read as this client being closed.
        if self._closed or self._http.is_closed:
            raise SMSCError("the client is closed")
        # unasync: sync-only
        # if os.getpid() != self._pid:
        #     raise SMSCError(
        #         "this client was created in another process, before os.fork(); its "
        #         "connections belong to that process. Create the client in the child process "
        #         "(for example in Celery's worker_process_init signal or gunicorn's post_fork "
        #         "hook), or create it lazily on first use"
        #     )
        # unasync: end

    # ------------------------------------------------------------------ the pipeline

    async def _request(
        self,
        spec: CommandSpec[_A, _R],
        args: _A,
        timeout: TimeoutArg = NOT_GIVEN,
        trace: CallTrace | None = None,
    ) -> _R:
        """Run ``spec`` with its checked ``args``: the one way any command reaches the service.

        Raises:
            APIError: the service answered an error code (the spec's table says which class).
            OutcomeUnknownError: a command that may not be repeated failed after it may
                have reached the service (:class:`SendOutcomeUnknownError` for a send).
            APIConnectionError, APITimeoutError, ServerError, InvalidResponseError: as named.
            SMSCError: the client is closed.
        """
        # unasync: async-only
        if trace is None and self._events.active:  # with its events (see smsc.events)
            run = lambda new: self._request(spec, args, timeout, new)  # noqa: E731
            return await run_traced(self._events, spec.name, spec.path, args, run)
        # unasync: end
        try:
            body = await self._round_trip(spec, args, timeout, trace)
            try:
                # unasync: async-only
                if len(body) > OFF_LOOP_BYTES:
                    # A large answer is parsed in a worker thread: the loop stays free.
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(None, spec.read, body, args)
                # unasync: end
                return spec.read(body, args)
            except InvalidResponseError as exc:
                if spec.may_repeat:
                    raise
                # The service took the request but its answer is unreadable: it may have acted.
                raise outcome_unknown(spec, args, "unreadable answer") from exc
        except SMSCError as exc:
            # No error text may quote the account's secrets, even from an echoed answer.
            self._credentials.scrub(exc)
            if spec.secrets is not None:
                scrub(exc, secret_forms(*spec.secrets(args)))
            raise

    async def _round_trip(
        self, spec: CommandSpec[_A, Any], args: _A, timeout: TimeoutArg, trace: CallTrace | None
    ) -> bytes:
        # No local of this frame (nor of httpx's, below it) holds the password or API key:
        # they travel inside a FormBody, whose repr and vars() hide them (see _secrets).
        self._check_open()
        request_timeout = (
            self._default_timeout if isinstance(timeout, NotGiven) else check_timeout(timeout)
        )
        body = self._credentials.body(spec.encode(args))
        queued = _time.monotonic()
        policy = CallPolicy(
            may_repeat=spec.may_repeat,
            operation=spec.name,
            deadline=queued + self._config.retry_deadline,
            max_retries=self._config.max_retries,
            # The answer's content coding is undone within what the command's answer may hold.
            body_check=limited_check(spec.check, spec.answer_bounds(args).bytes),
        )
        # unasync: async-only
        hits: tuple[Hit, ...] = ()
        # unasync: end
        try:
            # unasync: async-only
            # Counted once the slot is held, right before the request is written: the windows
            # start when the service sees the request, not while it queues, and a worker that
            # dies in the queue leaves no count behind. (A Redis limiter does both in one
            # round trip.)
            if self._rules is None:
                slot: AbstractAsyncContextManager[Any] = self._limiter.slot()
            else:
                from ._limits._base import admission  # only with a limiter: see smsc/__init__

                slot = admission(self._rules, spec.limits(args))
            # unasync: end
            # unasync: sync-only
            # slot = self._limiter.slot()
            # unasync: end
            async with slot as counted:
                if trace is not None:
                    trace.waited(_time.monotonic() - queued)
                # unasync: async-only
                hits = counted or ()
                # unasync: end
                try:
                    failover = self._failover
                    # unasync: sync-only
                    # if failover is not None:
                    # unasync: end
                    # unasync: async-only
                    if failover is not None and failover.has_bytes_path:
                        # The transport under it has a bytes path (aiohttp's): no httpx
                        # request or response objects per call.
                        status_code, content = await failover.send_bytes(
                            spec.path,
                            self._bytes_headers,
                            body,
                            self._timeouts
                            if isinstance(request_timeout, UseClientDefault)
                            else httpx.Timeout(request_timeout).as_dict(),
                            policy,
                        )
                    elif failover is not None:
                        # unasync: end
                        status_code, content = await self._send_direct(
                            failover, spec, body, request_timeout, {"smsc_policy": policy}
                        )
                    else:
                        # A caller's own client: its transport may read the documented keys.
                        status_code, content = await self._send_borrowed(
                            spec, body, request_timeout, policy.extensions()
                        )
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    raise failure(spec, args, exc) from exc
        # unasync: async-only
        except SMSCError as exc:
            # Never left (the connection was refused): the counts are taken back so that
            # the same call may be made again.
            if hits and isinstance(exc.__cause__, NEVER_LEFT):
                from ._limits._base import take_back

                await take_back(self._rules, hits)
            raise
        # unasync: end
        # unasync: sync-only
        # except SMSCError:
        #     raise  # (the sync client has no limiter yet: no counts to take back)
        # unasync: end
        if status_code < 400:
            return content
        del content  # it may echo the request: keep it out of this frame's locals
        if not spec.may_repeat:
            raise outcome_unknown(spec, args, f"HTTP {status_code}")
        raise ServerError(
            f"{spec.name}: the service answered HTTP {status_code}", status_code=status_code
        )

    async def _send_direct(
        self,
        failover: FailoverTransport,
        spec: CommandSpec[Any, Any],
        body: FormBody,
        timeout: httpx.Timeout | UseClientDefault | None,
        extensions: dict[str, Any],
    ) -> tuple[int, bytes]:
        """The SDK's own pool on httpx: an ``httpx.Request`` straight to the failover transport.

        ``httpx.AsyncClient.send`` adds nothing the SDK's client uses (no auth, redirects,
        cookies or event hooks; the headers and timeouts are set here, as it would set them)
        and costs CPU on every call. (On aiohttp the pipeline takes the bytes path instead.)
        """
        target = self._targets.get(spec.path)
        if target is None:
            url = httpx.URL(self._config.base_url + spec.path)
            headers = httpx.Headers({"Host": url.netloc.decode("ascii")})
            headers.update(self._send_headers)
            target = self._targets[spec.path] = (url, headers)
        extensions["timeout"] = (
            self._timeouts
            if isinstance(timeout, UseClientDefault)
            else httpx.Timeout(timeout).as_dict()
        )
        # The body stream is replayable as it is: no layer copies it into request.content.
        request = httpx.Request(
            "POST", target[0], headers=target[1], stream=body, extensions=extensions
        )
        request.headers["Content-Length"] = str(len(body))
        # Read whole, judged and decoded once by the failover layer, within the size bound.
        return await failover.send_request(request)

    async def _send_borrowed(
        self,
        spec: CommandSpec[Any, Any],
        body: FormBody,
        timeout: httpx.Timeout | UseClientDefault | None,
        extensions: dict[str, Any],
    ) -> tuple[int, bytes]:
        """A caller's own ``httpx`` client: through its ``send``, with the SDK's headers."""
        request = self._http.build_request(
            "POST",
            self._config.base_url + spec.path,
            content=body,
            headers={
                **(self._headers or {}),
                "Accept-Encoding": ACCEPT_ENCODING,
                **_FORM_HEADERS,
                "Content-Length": str(len(body)),
            },
            timeout=timeout,
            extensions=extensions,
        )
        request.stream = body  # replayable as it is: no layer copies it into request.content
        response = await self._http.send(request)
        # Read (and decoded) by the caller's client, which knows no bound: held to it here.
        return response.status_code, bounded(response.content)
