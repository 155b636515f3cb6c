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
import logging
import random as _random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from ._errors import ConfigurationError
from ._pool import pooled_transport
from ._sites import (
    BACKSTOP_GRACE,
    RAW_BODY,
    BodyWatch,
    EventKind,
    FailoverEvent,
    Health,
    Outcome,
    Site,
    SiteStats,
    Wait,
    aim,
    describe,
    judge,
    replayable,
    within,
)

if TYPE_CHECKING:
    from ._config import SMSCConfig

__all__ = [
    "FailoverEvent",
    "FailoverTransport",
    "SiteStats",
    "build_transport",
]

logger = logging.getLogger("smsc.transport")

# Failures after which the request provably never reached the service.
_NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


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
    * ``smsc_max_retries``: this request's ``max_retries`` (a whole number, 0 or more)
      instead of the transport's.

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
        parsed: list[Site] = []
        for base_url in sites:
            site = Site(base_url)
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

        attempts = 1 + _max_retries(request.extensions.get("smsc_max_retries"), self._max_retries)
        if not idempotent:
            attempts = min(attempts, len(self._sites))
        tried: set[Site] = set()
        rounds = 0
        last: Outcome | None = None
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
            if choice is Wait.DEADLINE:
                break
            if choice is Wait.NO_SITE:
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
    def _deliver(outcome: Outcome) -> httpx.Response:
        if outcome.error is not None:
            raise outcome.error
        assert outcome.response is not None
        return outcome.response

    # ------------------------------------------------------------------ site selection

    async def _acquire(self, tried: set[Site], deadline: float | None) -> tuple[Site, bool] | Wait:
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
                return Wait.DEADLINE
            try:
                await asyncio.wait_for(choice.wait(), remaining)
            except asyncio.TimeoutError:
                return Wait.DEADLINE

    def _choose(self, tried: set[Site]) -> tuple[Site, bool] | asyncio.Event | Wait:
        now = self._clock()
        pending: asyncio.Event | None = None
        for site in self._sites:
            if site in tried:
                continue
            if site.health is Health.UP:
                return site, False
            if site.probe is not None:
                # A first contact is in flight: wait for its verdict instead of sending a
                # crowd after it. A failed site being re-tested is simply skipped.
                if site.health is Health.UNKNOWN and pending is None:
                    pending = site.probe
                continue
            if pending is None and (site.health is Health.UNKNOWN or now >= site.down_until):
                return self._claim_probe(site), True
        if pending is not None:
            return pending
        # Every remaining site is cooling down: test the one that failed longest ago, one
        # request at a time, so that a lone site recovers as soon as it is back.
        idle = [site for site in self._sites if site not in tried and site.probe is None]
        if not idle:
            return Wait.NO_SITE
        return self._claim_probe(min(idle, key=lambda site: site.down_until)), True

    @staticmethod
    def _claim_probe(site: Site) -> Site:
        site.probe = asyncio.Event()
        return site

    @staticmethod
    def _release_probe(site: Site) -> None:
        if site.probe is not None:
            event, site.probe = site.probe, None
            event.set()

    # ------------------------------------------------------------------ one attempt

    async def _attempt(
        self,
        request: httpx.Request,
        extensions: dict[str, Any],
        site: Site,
        probe: bool,
        operation: str,
        deadline: float | None,
        *,
        first: bool,
    ) -> Outcome:
        site.requests += 1
        self._emit(site, operation, "attempt", "probe" if probe else "")
        body = request.stream
        watch = BodyWatch(replayable(body))
        remaining = None if deadline is None else deadline - self._deadline_clock()
        sub, clamped = aim(request, extensions, site, self._sites[0].prefix, remaining, watch)
        outcome = Outcome(site)
        try:
            if deadline is None:
                outcome.response = await self._exchange(sub, request)
            else:
                # Each phase's own timeout is clamped to the deadline (see aim) and names
                # the phase that ran out; this backstop, a moment later, bounds phases that
                # add up to more. Only httpx's own transport is known to take the body after
                # connecting: with any other, assume the request may have left.
                remaining = max(deadline - self._deadline_clock(), 0.0) + BACKSTOP_GRACE
                try:
                    outcome.response = await within(remaining, self._exchange(sub, request))
                except asyncio.TimeoutError:
                    left = watch.taken or not isinstance(self._inner, httpx.AsyncHTTPTransport)
                    kind = httpx.ReadTimeout if left else httpx.ConnectTimeout
                    raise kind("the call's deadline passed", request=request) from None
        except httpx.TransportError as exc:
            outcome.error = exc
            outcome.never_left = isinstance(exc, _NEVER_LEFT)
            outcome.failure = describe(exc)
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
        outcome.failure = judge(outcome.response, request.extensions.get("smsc_body_check"))
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
            if isinstance(stream, httpx.ByteStream):
                # Already in memory (the aiohttp transport reads answers whole): no I/O here.
                raw = b"".join(stream)
            elif not isinstance(stream, httpx.AsyncByteStream):
                raise httpx.StreamError("the wrapped transport returned a sync stream") from None
            else:
                try:
                    raw = b"".join([chunk async for chunk in stream])
                finally:
                    await stream.aclose()  # hands the connection back to the pool
                # The same response, unread, with the body held in memory: the caller's
                # client reads (and decodes) it as usual, and times and closes it as usual.
                response.stream = httpx.ByteStream(raw)
            response.extensions[RAW_BODY] = raw
            return response
        fresh = httpx.Response(
            response.status_code,
            headers=headers,
            stream=httpx.ByteStream(raw),
            extensions=dict(response.extensions),
            request=original,
        )
        fresh.extensions[RAW_BODY] = raw
        return fresh

    # ------------------------------------------------------------------ health bookkeeping

    def _record_success(self, site: Site, operation: str, probe: bool) -> None:
        if not probe:
            return  # a request started before the site failed says nothing new
        was = site.health
        site.health = Health.UP
        self._release_probe(site)
        if was is Health.DOWN:
            logger.warning("site %s recovered; requests go to it again", site.label)
            self._emit(site, operation, "recovered")

    def _record_failure(
        self, site: Site, operation: str, reason: str, probe: bool, *, blame: bool
    ) -> None:
        site.failures += 1
        self._emit(site, operation, "failure", reason)
        if blame and (probe or site.health is Health.UP):
            if site.health is not Health.DOWN:
                logger.warning(
                    "site %s failed (%s); skipping it for %g s", site.label, reason, self._cooldown
                )
            site.health = Health.DOWN
            site.down_until = self._clock() + self._cooldown
        if probe:
            self._release_probe(site)

    def _switch(self, operation: str, previous: Outcome, site: Site) -> None:
        reason = previous.failure or "failure"
        logger.warning(
            "%s: switching from %s to %s after %s",
            operation,
            previous.site.label,
            site.label,
            reason,
        )
        self._emit(site, operation, "switch", f"{previous.site.label}: {reason}")

    def _emit(self, site: Site, operation: str, kind: EventKind, reason: str = "") -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(FailoverEvent(site.label, operation, kind, reason))
        except Exception:
            logger.exception("the on_event hook of FailoverTransport raised; ignored")


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


def _max_retries(value: object, default: int) -> int:
    """A request's own ``smsc_max_retries``, or ``default`` when it gives none."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError("smsc_max_retries must be a whole number, 0 or more")
    return value
