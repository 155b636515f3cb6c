"""Failover transport: sites, sticky health and a retry policy that never repeats a send.

:class:`FailoverTransport` is an :class:`httpx.AsyncBaseTransport` that wraps the real one, so
users' own httpx settings, proxies and respx mocks keep working. It sends each request to one
site of an ordered list (the primary first, then its mirrors) and decides, per request, whether
a failed attempt may be repeated, from the yes/no mark the request carries (it knows no
command names):

* a request marked ``smsc_may_repeat=True`` (a query: status, balance, cost) is retried after
  connect errors, timeouts, 5xx answers and empty, truncated or malformed bodies, with capped
  and jittered exponential back-off, inside the call's deadline.
* any other request (a send, or one that carries no mark) is repeated only when it provably
  never left the machine: the connection could not be made (refused, DNS, TLS handshake,
  connect timeout) or no pooled connection became free. After anything else the failure is
  handed back unchanged and the client reports an unknown outcome.

The transport never parses API error codes: a well-formed answer is returned as it is, so
errors 4 and 9 reach the client once and are never hammered.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random as _random
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ._errors import ConfigurationError
from ._pool import pooled_transport

if TYPE_CHECKING:
    from ._config import SMSCConfig

__all__ = [
    "FailoverEvent",
    "FailoverTransport",
    "SiteStats",
    "build_transport",
]

logger = logging.getLogger("smsc.transport")

EventKind = Literal["attempt", "failure", "switch", "recovered"]

_TIMEOUT_KEYS = ("connect", "read", "write", "pool")
# Failures after which the request provably never reached the service.
_NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class FailoverEvent:
    """One thing the failover transport did, as passed to the ``on_event`` hook.

    Attributes:
        site: the site concerned, ``scheme://host[:port]`` only (never a path or query).
        operation: the command's name as the request gives it in ``smsc_operation``
            (``"send"``, ``"status"``...), or ``"request"`` when it names none.
        kind: ``"attempt"`` (a request is sent to ``site``), ``"failure"`` (that attempt
            failed), ``"switch"`` (the call moves to ``site`` after a failure elsewhere) or
            ``"recovered"`` (a site that had failed answered well again).
        reason: why: the failure, ``"probe"`` for an attempt that tests a site's health, or
            an empty string.
    """

    site: str
    operation: str
    kind: EventKind
    reason: str = ""


@dataclass(frozen=True)
class SiteStats:
    """Counters of one site: attempts sent to it and attempts that failed."""

    requests: int
    failures: int


class _Health(enum.Enum):
    UNKNOWN = "unknown"  # never tried: the first request probes it, the others wait
    UP = "up"  # answered well last time
    DOWN = "down"  # failed; skipped until its cool-down ends, then probed


class _Wait(enum.Enum):
    """Why no site was chosen for an attempt."""

    DEADLINE = "deadline"  # the call's deadline passed while waiting for a probe's verdict
    NO_SITE = "no site"  # every site is cooling down and already being re-tested


class _Site:
    """One base URL and what the transport knows about its health."""

    def __init__(self, base_url: str) -> None:
        try:
            url = httpx.URL(base_url.strip())
        except httpx.InvalidURL:
            raise ConfigurationError("not a usable site URL") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"not a usable site URL: {url.scheme}://{url.host}")
        if url.userinfo:
            raise ConfigurationError("credentials must not be put in a site URL")
        self.scheme = url.scheme
        self.host = url.host
        self.port = url.port
        self.prefix = url.path.rstrip("/")
        port = f":{url.port}" if url.port is not None else ""
        self.label = f"{url.scheme}://{url.host}{port}"
        self.health = _Health.UNKNOWN
        self.down_until = 0.0
        self.probe: asyncio.Event | None = None  # set while one request tests the site
        self.requests = 0
        self.failures = 0


@dataclass
class _Outcome:
    """What one attempt produced."""

    site: _Site
    response: httpx.Response | None = None
    error: httpx.TransportError | None = None
    failure: str | None = None  # None: a good answer
    never_left: bool = False


class _BodyWatch(httpx.AsyncByteStream):
    """The request body, noting when the connection takes it to write.

    httpcore writes the request line and headers, then iterates the body. Until the body is
    taken nothing the service could act on has left: a form POST is not processed without
    its body. This costs one iteration per attempt, unlike a trace hook awaited on every
    connection event.
    """

    def __init__(self, body: httpx.AsyncByteStream) -> None:
        self._body = body
        self.taken = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.taken = True
        async for chunk in self._body:
            yield chunk


class FailoverTransport(httpx.AsyncBaseTransport):
    """Send each request to the first healthy site; repeat only what is safe to repeat.

    Args:
        inner: the transport that does the I/O (``httpx.AsyncHTTPTransport()``, a respx
            mock, ...). Closed by :meth:`aclose`.
        sites: base URLs in order of preference, e.g. ``["https://smsc.ru",
            "https://www2.smsc.ru"]``; ``sites[0]`` is the primary. A request's scheme, host
            and port (and the primary's path prefix) are replaced by the chosen site's.
        max_retries: extra attempts for a request marked ``smsc_may_repeat``. Any other
            request makes at most ``1 + max_retries`` attempts too, each on a different site,
            and only after failures that prove it never left.
        cooldown: seconds a failed site is skipped before one request probes it again.
        backoff_base: delay (seconds) before the first repeat of a full round of sites.
        backoff_cap: upper bound of any back-off delay.
        on_event: called with a :class:`FailoverEvent` for every attempt, failure, switch and
            recovery. Exceptions it raises are logged and ignored.
        clock: the monotonic clock of the cool-down (inject a fake one in tests).
        random: returns a float in ``[0, 1)``; the jitter source.
        sleep: awaited for back-off delays.
        deadline_clock: the clock of ``smsc_deadline`` values (``time.monotonic``).

    Per-request options, passed as httpx request extensions:

    * ``smsc_may_repeat``: ``True`` when repeating the request after it may have reached the
      service does no harm (a query). Anything else, or nothing, is handled like a send:
      never repeated once it may have left.
    * ``smsc_operation``: the command's name, used only to label events and logs.
    * ``smsc_deadline``: absolute ``time.monotonic()`` time by which the call must end. No
      attempt starts after it; each attempt's timeouts are clamped to what is left.
    * ``smsc_body_check``: ``Callable[[bytes], bool]``, true for a well-formed answer.
      Without it only an empty body counts as bad.

    The answering site is named in ``response.extensions["smsc_site"]``.

    Raises:
        ConfigurationError: no sites, or a site that is not an http(s) base URL.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        sites: Sequence[str],
        *,
        max_retries: int = 3,
        cooldown: float = 30.0,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
        on_event: Callable[[FailoverEvent], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = _random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        deadline_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(sites, str):
            sites = [sites]
        parsed: list[_Site] = []
        for base_url in sites:
            site = _Site(base_url)
            if all(site.label != known.label for known in parsed):
                parsed.append(site)
        if not parsed:
            raise ConfigurationError("FailoverTransport needs at least one site")
        if max_retries < 0 or cooldown < 0 or backoff_base < 0 or backoff_cap < 0:
            raise ConfigurationError("max_retries, cooldown and back-off must not be negative")
        self._inner = inner
        self._sites = tuple(parsed)
        self._max_retries = max_retries
        self._cooldown = cooldown
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._on_event = on_event
        self._clock = clock
        self._random = random
        self._sleep = sleep
        self._deadline_clock = deadline_clock

    # ------------------------------------------------------------------ public helpers

    @property
    def sites(self) -> tuple[str, ...]:
        """The sites in order of preference, as ``scheme://host[:port]``."""
        return tuple(site.label for site in self._sites)

    @property
    def max_retries(self) -> int:
        """Extra attempts allowed for one call."""
        return self._max_retries

    @property
    def cooldown(self) -> float:
        """Seconds a failed site is skipped."""
        return self._cooldown

    @property
    def stats(self) -> Mapping[str, SiteStats]:
        """A snapshot of per-site counters, keyed by ``scheme://host[:port]``."""
        return {site.label: SiteStats(site.requests, site.failures) for site in self._sites}

    def backoff_delay(self, retry: int) -> float:
        """The pause before repeat round ``retry`` (1, 2, ...): capped, with jitter.

        The un-jittered delay doubles from ``backoff_base`` up to ``backoff_cap``; the jitter
        keeps between half and all of it, so that clients failing together spread out.
        """
        ceiling = min(self._backoff_cap, self._backoff_base * 2.0 ** max(retry - 1, 0))
        return ceiling * (0.5 + 0.5 * self._random())

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()

    # ------------------------------------------------------------------ the request loop

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to a healthy site, repeating it only where that is safe."""
        operation = request.extensions.get("smsc_operation")
        idempotent = request.extensions.get("smsc_may_repeat") is True
        op_name = operation if isinstance(operation, str) and operation else "request"
        raw_deadline = request.extensions.get("smsc_deadline")
        deadline = None if raw_deadline is None else float(raw_deadline)
        if not isinstance(request.stream, httpx.ByteStream):
            # A streamed body must be replayable on another site. A ByteStream is already
            # (the SDK's carries the credentials and must not be copied into request.content).
            await request.aread()
        # As the caller gave them, for every attempt: an attempt on the caller's own request
        # swaps in its own extensions and puts these back when it ends (see _attempt).
        extensions = request.extensions

        attempts = 1 + self._max_retries
        if not idempotent:
            attempts = min(attempts, len(self._sites))
        tried: set[_Site] = set()
        rounds = 0
        last: _Outcome | None = None
        no_site = False
        for number in range(attempts):
            if number and len(tried) >= len(self._sites):
                # Every site failed once in this call: pause before going round again.
                rounds += 1
                delay = self.backoff_delay(rounds)
                if deadline is not None and self._deadline_clock() + delay >= deadline:
                    break
                await self._sleep(delay)
                tried.clear()
            if deadline is not None and self._deadline_clock() >= deadline:
                break
            choice = await self._acquire(tried, deadline)
            if choice is _Wait.DEADLINE:
                break
            if choice is _Wait.NO_SITE:
                # Every site failed recently and is being re-tested by another request:
                # fail fast (nothing was sent) instead of queueing behind its timeout.
                no_site = True
                if not idempotent:
                    break
                tried.update(self._sites)
                continue
            site, probe = choice
            if last is not None and last.site is not site:
                self._switch(op_name, last, site)
            tried.add(site)
            last = await self._attempt(
                request, extensions, site, probe, op_name, deadline, first=not number
            )
            if last.failure is None or not (idempotent or last.never_left):
                return self._deliver(last)
        if last is not None:
            return self._deliver(last)
        if no_site:
            raise httpx.ConnectError(
                "no site available: all failed recently and are being re-tested",
                request=request,
            )
        raise httpx.ConnectTimeout(
            "the call's deadline passed before any site could be tried", request=request
        )

    @staticmethod
    def _deliver(outcome: _Outcome) -> httpx.Response:
        if outcome.error is not None:
            raise outcome.error
        assert outcome.response is not None
        return outcome.response

    # ------------------------------------------------------------------ site selection

    async def _acquire(
        self, tried: set[_Site], deadline: float | None
    ) -> tuple[_Site, bool] | _Wait:
        """Pick a site (and whether this request probes it), waiting for a pending probe."""
        while True:
            choice = self._choose(tried)
            if not isinstance(choice, asyncio.Event):
                return choice
            if deadline is None:
                await choice.wait()
                continue
            remaining = deadline - self._deadline_clock()
            if remaining <= 0:
                return _Wait.DEADLINE
            try:
                await asyncio.wait_for(choice.wait(), remaining)
            except asyncio.TimeoutError:
                return _Wait.DEADLINE

    def _choose(self, tried: set[_Site]) -> tuple[_Site, bool] | asyncio.Event | _Wait:
        now = self._clock()
        pending: asyncio.Event | None = None
        for site in self._sites:
            if site in tried:
                continue
            if site.health is _Health.UP:
                return site, False
            if site.probe is not None:
                # A first contact is in flight: wait for its verdict instead of sending a
                # crowd after it. A failed site being re-tested is simply skipped.
                if site.health is _Health.UNKNOWN and pending is None:
                    pending = site.probe
                continue
            if pending is None and (site.health is _Health.UNKNOWN or now >= site.down_until):
                return self._claim_probe(site), True
        if pending is not None:
            return pending
        # Every remaining site is cooling down: test the one that failed longest ago, one
        # request at a time, so that a lone site recovers as soon as it is back.
        idle = [site for site in self._sites if site not in tried and site.probe is None]
        if not idle:
            return _Wait.NO_SITE
        return self._claim_probe(min(idle, key=lambda site: site.down_until)), True

    @staticmethod
    def _claim_probe(site: _Site) -> _Site:
        site.probe = asyncio.Event()
        return site

    @staticmethod
    def _release_probe(site: _Site) -> None:
        if site.probe is not None:
            event, site.probe = site.probe, None
            event.set()

    # ------------------------------------------------------------------ one attempt

    async def _attempt(
        self,
        request: httpx.Request,
        extensions: dict[str, Any],
        site: _Site,
        probe: bool,
        operation: str,
        deadline: float | None,
        *,
        first: bool,
    ) -> _Outcome:
        site.requests += 1
        self._emit(site, operation, "attempt", "probe" if probe else "")
        body = request.stream
        watch = _BodyWatch(_replayable(body))
        sub, clamped = self._rebuild(request, extensions, site, deadline, watch)
        outcome = _Outcome(site)
        try:
            if deadline is None:
                outcome.response = await self._exchange(sub, request)
            else:
                # Each phase's own timeout is clamped to the deadline (see _rebuild) and names
                # the phase that ran out; this backstop, a moment later, bounds phases that
                # add up to more. Only httpx's own transport is known to take the body after
                # connecting: with any other, assume the request may have left.
                remaining = max(deadline - self._deadline_clock(), 0.0) + _BACKSTOP_GRACE
                try:
                    outcome.response = await _within(remaining, self._exchange(sub, request))
                except asyncio.TimeoutError:
                    left = watch.taken or not isinstance(self._inner, httpx.AsyncHTTPTransport)
                    kind = httpx.ReadTimeout if left else httpx.ConnectTimeout
                    raise kind("the call's deadline passed", request=request) from None
        except httpx.TransportError as exc:
            outcome.error = exc
            outcome.never_left = isinstance(exc, _NEVER_LEFT)
            outcome.failure = _describe(exc)
            # A local pool wait says nothing about the site; nor does the timeout of a repeat
            # that got only the rest of the deadline. (A first attempt had the caller's whole
            # budget: a site that cannot answer within it is failing for this caller.)
            blame = not isinstance(exc, httpx.PoolTimeout) and not (
                clamped and not first and isinstance(exc, httpx.TimeoutException)
            )
            self._record_failure(site, operation, outcome.failure, probe, blame=blame)
            return outcome
        finally:
            request.extensions = extensions  # the caller's own, whatever the attempt did
            request.stream = body
            if probe and outcome.failure is None and outcome.response is None:
                self._release_probe(site)  # cancelled, or an unexpected exception

        outcome.response.extensions["smsc_site"] = site.label
        outcome.failure = _judge(outcome.response, request.extensions.get("smsc_body_check"))
        if outcome.failure is None:
            self._record_success(site, operation, probe)
        else:
            self._record_failure(site, operation, outcome.failure, probe, blame=True)
        return outcome

    async def _exchange(self, sub: httpx.Request, original: httpx.Request) -> httpx.Response:
        """Send ``sub`` and read the whole body, so that a bad body is seen here."""
        response = await self._inner.handle_async_request(sub)
        headers = response.headers
        try:
            # Some transports (httpx.MockTransport) hand back a response already read and
            # decoded: pass the decoded body on without its content coding.
            raw = response.content
            headers = headers.copy()
            headers.pop("Content-Encoding", None)
            headers["Content-Length"] = str(len(raw))
        except httpx.ResponseNotRead:
            stream = response.stream
            if not isinstance(stream, httpx.AsyncByteStream):
                raise httpx.StreamError("the wrapped transport returned a sync stream") from None
            try:
                raw = b"".join([chunk async for chunk in stream])
            finally:
                await stream.aclose()  # hands the connection back to the pool
            # The same response, unread, with the body held in memory: the caller's client
            # reads (and decodes) it as usual, and times and closes it as usual.
            response.stream = httpx.ByteStream(raw)
            response.extensions[_RAW_BODY] = raw
            return response
        fresh = httpx.Response(
            response.status_code,
            headers=headers,
            stream=httpx.ByteStream(raw),
            extensions=dict(response.extensions),
            request=original,
        )
        fresh.extensions[_RAW_BODY] = raw
        return fresh

    def _rebuild(
        self,
        request: httpx.Request,
        extensions: dict[str, Any],
        site: _Site,
        deadline: float | None,
        watch: _BodyWatch,
    ) -> tuple[httpx.Request, bool]:
        """``request`` aimed at ``site``, its timeouts clamped to the deadline.

        For the site the request already names (the primary, usually) the request itself is
        sent with new extensions: building a copy costs as much as the rest of the call.
        """
        timeout = dict(extensions.get("timeout") or {})
        clamped = False
        if deadline is not None:
            remaining = max(deadline - self._deadline_clock(), 0.001)
            for key in _TIMEOUT_KEYS:
                value = timeout.get(key)
                if value is None or value > remaining:
                    timeout[key] = remaining
                    clamped = True
        attempt_extensions = {**extensions, "timeout": timeout}
        url = request.url
        primary = self._sites[0].prefix
        if (url.scheme, url.host, url.port) == (site.scheme, site.host, site.port) and (
            site.prefix == primary
        ):
            request.extensions = attempt_extensions
            request.stream = watch  # put back by _attempt
            return request, clamped
        url = url.copy_with(scheme=site.scheme, host=site.host, port=site.port)
        if site.prefix != primary:
            path = url.path
            if primary and (path == primary or path.startswith(primary + "/")):
                path = path[len(primary) :]
            url = url.copy_with(path=site.prefix + path)
        headers = request.headers.copy()
        headers["Host"] = url.netloc.decode("ascii")
        if "Transfer-Encoding" in headers:
            del headers["Transfer-Encoding"]
            headers["Content-Length"] = str(len(request.content))
        # The body stream is handed on as it is (read once, replayable): nothing is re-encoded.
        sub = httpx.Request(
            request.method,
            url,
            headers=headers,
            stream=request.stream,
            extensions=attempt_extensions,
        )
        sub.stream = watch
        return sub, clamped

    # ------------------------------------------------------------------ health bookkeeping

    def _record_success(self, site: _Site, operation: str, probe: bool) -> None:
        if not probe:
            return  # a request started before the site failed says nothing new
        was = site.health
        site.health = _Health.UP
        self._release_probe(site)
        if was is _Health.DOWN:
            logger.warning("site %s recovered; requests go to it again", site.label)
            self._emit(site, operation, "recovered")

    def _record_failure(
        self, site: _Site, operation: str, reason: str, probe: bool, *, blame: bool
    ) -> None:
        site.failures += 1
        self._emit(site, operation, "failure", reason)
        if blame and (probe or site.health is _Health.UP):
            if site.health is not _Health.DOWN:
                logger.warning(
                    "site %s failed (%s); skipping it for %g s", site.label, reason, self._cooldown
                )
            site.health = _Health.DOWN
            site.down_until = self._clock() + self._cooldown
        if probe:
            self._release_probe(site)

    def _switch(self, operation: str, previous: _Outcome, site: _Site) -> None:
        reason = previous.failure or "failure"
        logger.warning(
            "%s: switching from %s to %s after %s",
            operation,
            previous.site.label,
            site.label,
            reason,
        )
        self._emit(site, operation, "switch", f"{previous.site.label}: {reason}")

    def _emit(self, site: _Site, operation: str, kind: EventKind, reason: str = "") -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(FailoverEvent(site.label, operation, kind, reason))
        except Exception:
            logger.exception("the on_event hook of FailoverTransport raised; ignored")


_BACKSTOP_GRACE = 0.05  # seconds: lets a phase's own (clamped) timeout fire first
_RAW_BODY = "smsc_raw_body"  # private extension: the body _exchange read, for _judge


if sys.version_info >= (3, 11):

    async def _within(seconds: float, work: Awaitable[httpx.Response]) -> httpx.Response:
        """``work``, cancelled after ``seconds`` (no extra task, unlike ``wait_for``)."""
        async with asyncio.timeout(seconds):
            return await work

else:  # pragma: no cover - Python 3.10

    async def _within(seconds: float, work: Awaitable[httpx.Response]) -> httpx.Response:
        """``work``, cancelled after ``seconds``."""
        return await asyncio.wait_for(work, seconds)


def _replayable(stream: object) -> httpx.AsyncByteStream:
    # handle_async_request made the body a ByteStream (or read it into one).
    if not isinstance(stream, httpx.AsyncByteStream):
        raise httpx.StreamError("the request body is not an async stream")
    return stream


def _describe(exc: httpx.TransportError) -> str:
    """A short, secret-free reason: the httpx class and, for connect errors, the OS text."""
    name = type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).strip()
        if text and "://" not in text:
            return f"{name}: {text[:120]}"
    return name


def _judge(response: httpx.Response, body_check: object) -> str | None:
    """Why ``response`` (fresh from :meth:`FailoverTransport._exchange`) is not usable."""
    raw = response.extensions.pop(_RAW_BODY, b"")  # private: never handed to the caller
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    body = raw
    if response.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        try:
            # Decode (gzip, ...) a throw-away copy: the response itself stays unread.
            body = httpx.Response(200, headers=response.headers, content=raw).content
        except httpx.DecodingError:
            return "undecodable body"
    if not body.strip():
        return "empty body"
    if callable(body_check):
        try:
            good = bool(body_check(body))
        except Exception:
            good = False
        if not good:
            return "malformed body"
    return None


def build_transport(
    config: SMSCConfig,
    inner: httpx.AsyncBaseTransport | None = None,
    on_event: Callable[[FailoverEvent], None] | None = None,
) -> FailoverTransport:
    """The SDK's transport for ``config``: failover over ``config.sites``.

    Args:
        config: supplies the sites, ``max_retries`` and ``mirror_cooldown``.
        inner: the transport doing the I/O; :func:`pooled_transport` when omitted.
        on_event: the :class:`FailoverEvent` hook.
    """
    return FailoverTransport(
        inner if inner is not None else pooled_transport(config.max_concurrency),
        config.sites,
        max_retries=config.max_retries,
        cooldown=config.mirror_cooldown,
        on_event=on_event,
    )
