"""The failover core: sites, sticky health, and the retry loop that never repeats a send.

:class:`Failover` knows the sites and their health and runs one call as attempts through a
``send`` function it is given: it chooses the site, clamps the attempt's timeouts to the
call's deadline, judges the answer, keeps the health and the counters, and decides whether a
failed attempt may be repeated. How an attempt reaches a site is not its business: the
``httpx`` transport (:class:`smsc.FailoverTransport`) sends ``httpx`` requests through it,
and the SDK's own pipeline sends bytes through it (:meth:`FailoverTransport.send_bytes`), so
both ways share one policy and one set of sites.
"""

from __future__ import annotations

import asyncio
import logging
import random as _random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol, TypedDict, runtime_checkable

import httpx

from .._errors import ConfigurationError
from .._secrets import FormBody
from ..events._bus import CURRENT_CALL, CallTrace, Events
from .attempts import Got, Outcome, clamp, describe, inflates_off_loop, judge
from .failures import NEVER_LEFT
from .sites import EventKind, FailoverEvent, Health, Site, SiteStats, Wait

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "BytesTransport",
    "CallPolicy",
    "Failover",
    "FailoverOptions",
    "Send",
    "Timeouts",
    "bytes_path_of",
]

logger = logging.getLogger("smsc.transport")


Timeouts = Mapping[str, "float | None"]
"""httpx's four phase timeouts, ``{"connect": ..., "read": ..., "write": ..., "pool": ...}``."""

Send = Callable[[Site, Timeouts, "float | None"], Awaitable[Got]]
"""One attempt: the site, its (clamped) timeouts and the seconds left of the call's deadline
-> the answer read whole; raises ``httpx.TransportError`` (a ``ConnectError``,
``ConnectTimeout`` or ``PoolTimeout`` only when nothing was written)."""


@runtime_checkable
class BytesTransport(Protocol):
    """A transport that can POST a form without ``httpx`` request or response objects.

    It opts in by a class attribute ``smsc_bytes_path = True`` besides ``exchange`` (see
    :func:`bytes_path_of`): a transport that merely has a method of that name is not taken
    for one.
    """

    smsc_bytes_path: bool

    async def exchange(
        self,
        url: str,
        headers: Sequence[tuple[str, str]],
        body: FormBody,
        timeouts: Timeouts,
        total: float | None,
    ) -> tuple[int, str | None, bytes]:
        """POST ``body`` to ``url``: the status, the ``Content-Encoding`` and the raw body.

        ``total`` bounds the whole exchange (the deadline's backstop). Failures are raised as
        the ``httpx.TransportError`` saying whether the request may have left.
        """
        ...


def bytes_path_of(transport: object) -> BytesTransport | None:
    """``transport`` if it offers the bytes path (it declares ``smsc_bytes_path = True``)."""
    if getattr(transport, "smsc_bytes_path", False) is True and isinstance(
        transport, BytesTransport
    ):
        return transport
    return None


@dataclass(frozen=True)
class CallPolicy:
    """What one call asks of the failover loop, decided once per call by its caller.

    The SDK's pipeline builds one per call from the command's spec and hands it to
    :meth:`FailoverTransport.send_bytes`, or puts it on its ``httpx`` request as the
    ``smsc_policy`` extension. A request built elsewhere may give the same options as the
    documented ``smsc_*`` extensions instead (:meth:`of_extensions`).

    Args:
        may_repeat: repeating the call after it may have reached the service does no harm
            (a query). False: handled like a send, never repeated once it may have left.
        operation: the command's name, used only to label events and logs.
        deadline: absolute time (of the transport's ``deadline_clock``) by which the call
            must end; no attempt starts after it and each attempt's timeouts are clamped.
        max_retries: this call's extra attempts instead of the transport's (``None``).
        body_check: true for a well-formed answer; without it only an empty body is bad.
    """

    may_repeat: bool = False
    operation: str = "request"
    deadline: float | None = None
    max_retries: int | None = None
    body_check: Callable[[bytes], bool] | None = None

    def __post_init__(self) -> None:
        retries = self.max_retries
        if retries is not None and (
            isinstance(retries, bool) or not isinstance(retries, int) or retries < 0
        ):
            raise ConfigurationError("smsc_max_retries must be a whole number, 0 or more")

    @classmethod
    def of_extensions(cls, extensions: Mapping[str, Any]) -> CallPolicy:
        """The policy an ``httpx`` request carries: its ``smsc_policy``, or one read from the
        documented ``smsc_*`` extensions (``smsc_may_repeat``, ``smsc_operation``,
        ``smsc_deadline``, ``smsc_max_retries``, ``smsc_body_check``)."""
        given = extensions.get("smsc_policy")
        if isinstance(given, CallPolicy):
            return given
        operation = extensions.get("smsc_operation")
        deadline = extensions.get("smsc_deadline")
        body_check = extensions.get("smsc_body_check")
        return cls(
            may_repeat=extensions.get("smsc_may_repeat") is True,
            operation=operation if isinstance(operation, str) and operation else "request",
            deadline=None if deadline is None else float(deadline),
            max_retries=extensions.get("smsc_max_retries"),
            body_check=body_check if callable(body_check) else None,
        )

    def extensions(self) -> dict[str, Any]:
        """The documented ``smsc_*`` extensions saying the same (for a caller's own
        ``httpx`` client, whose transport may read them), with ``smsc_policy`` itself."""
        found: dict[str, Any] = {
            "smsc_policy": self,
            "smsc_operation": self.operation,
            "smsc_may_repeat": self.may_repeat,
            "smsc_deadline": self.deadline,
            "smsc_body_check": self.body_check,
        }
        if self.max_retries is not None:
            found["smsc_max_retries"] = self.max_retries
        return found


class FailoverOptions(TypedDict, total=False):
    """The keyword arguments of :class:`Failover` and :class:`smsc.FailoverTransport`
    (described there); their defaults are in :meth:`Failover.__init__`."""

    max_retries: int
    cooldown: float
    backoff_base: float
    backoff_cap: float
    on_event: Callable[[FailoverEvent], None] | None
    clock: Callable[[], float]
    random: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    deadline_clock: Callable[[], float]


_OPTION_NAMES: Final = FailoverOptions.__required_keys__ | FailoverOptions.__optional_keys__


class Failover:
    """The sites of one client, their health, and the loop that runs one call over them.

    See :class:`smsc.FailoverTransport` for the arguments.
    """

    def __init__(self, sites: Sequence[str], **options: Unpack[FailoverOptions]) -> None:
        unknown = sorted(options.keys() - _OPTION_NAMES)
        if unknown:
            raise TypeError(f"unexpected keyword argument: {', '.join(unknown)}")
        max_retries = options.get("max_retries", 3)
        cooldown = options.get("cooldown", 30.0)
        backoff_base = options.get("backoff_base", 0.25)
        backoff_cap = options.get("backoff_cap", 4.0)
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
        self._sites = tuple(parsed)
        self._max_retries = max_retries
        self._cooldown = cooldown
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._on_event = options.get("on_event")
        self._clock = options.get("clock", time.monotonic)
        self._random = options.get("random", _random.random)
        self._sleep = options.get("sleep", asyncio.sleep)
        self._deadline_clock = options.get("deadline_clock", time.monotonic)
        # The client's event hooks (set by the client that built this transport): attempts,
        # retries and switches of site go to the call running in the task (CURRENT_CALL).
        self._events: Events | None = None
        # unasync: sync-only
        # # Threads share the sites: one at a time looks at their health and claims a probe.
        # self._choosing = threading.Lock()
        # unasync: end

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

    # ------------------------------------------------------------------ the request loop

    async def _run(
        self,
        send: Send,
        timeouts: Timeouts,
        policy: CallPolicy,
    ) -> Outcome | Wait:
        """Attempts through ``send`` until one is good or may not be repeated.

        Returns:
            The last attempt's outcome; or why none was made: every site is cooling down
            and being re-tested (``Wait.NO_SITE``), or the deadline passed first.
        """
        may_repeat, operation, deadline = policy.may_repeat, policy.operation, policy.deadline
        body_check = policy.body_check
        max_retries = self._max_retries if policy.max_retries is None else policy.max_retries
        attempts = 1 + max_retries
        if not may_repeat:
            attempts = min(attempts, len(self._sites))
        tried: set[Site] = set()
        rounds = 0
        last: Outcome | None = None
        no_site = False
        events = self._events
        trace = CURRENT_CALL.get() if events is not None and events.active else None
        for number in range(attempts):
            delay = 0.0
            if number and len(tried) >= len(self._sites):
                # Every site failed once in this call: pause before going round again.
                rounds += 1
                delay = self.backoff_delay(rounds)
                if deadline is not None and self._deadline_clock() + delay >= deadline:
                    break
                if trace is not None and last is not None:
                    trace.retrying(delay, last.failure)
                await self._sleep(delay)
                tried.clear()
            if deadline is not None and self._deadline_clock() >= deadline:
                break
            # unasync: async-only
            choice = self._choose(tried)
            # unasync: end
            # unasync: sync-only
            # with self._choosing:
            #     choice = self._choose(tried)
            # unasync: end
            if isinstance(choice, asyncio.Event):
                choice = await self._wait_for_probe(choice, tried, deadline)
            if choice is Wait.DEADLINE:
                break
            if choice is Wait.NO_SITE:
                # Every site failed recently and is being re-tested by another request:
                # fail fast (nothing was sent) instead of queueing behind its timeout.
                no_site = True
                if not may_repeat:
                    break
                tried.update(self._sites)
                continue
            site, probe = choice
            if last is not None:
                if trace is not None and not delay:
                    trace.retrying(0.0, last.failure)
                if last.site is not site:
                    self._switch(operation, last, site, trace)
            tried.add(site)
            last = await self._attempt(
                send,
                timeouts,
                site,
                probe,
                operation,
                deadline,
                body_check,
                first=not number,
                trace=trace,
            )
            if last.failure is None or not (may_repeat or last.never_left):
                return last
        if last is not None:
            return last
        return Wait.NO_SITE if no_site else Wait.DEADLINE

    # ------------------------------------------------------------------ site selection

    async def _wait_for_probe(
        self, pending: asyncio.Event, tried: set[Site], deadline: float | None
    ) -> tuple[Site, bool] | Wait:
        """Wait for a pending probe's verdict, then pick a site (or another probe to wait for)."""
        choice: tuple[Site, bool] | asyncio.Event | Wait = pending
        while isinstance(choice, asyncio.Event):
            if deadline is None:
                await choice.wait()
            else:
                remaining = deadline - self._deadline_clock()
                if remaining <= 0:
                    return Wait.DEADLINE
                # unasync: async-only
                try:
                    await asyncio.wait_for(choice.wait(), remaining)
                except asyncio.TimeoutError:
                    return Wait.DEADLINE
                # unasync: end
                # unasync: sync-only
                # if not choice.wait(remaining):
                #     return Wait.DEADLINE
                # unasync: end
            # unasync: async-only
            choice = self._choose(tried)
            # unasync: end
            # unasync: sync-only
            # with self._choosing:
            #     choice = self._choose(tried)
            # unasync: end
        return choice

    def _choose(self, tried: set[Site]) -> tuple[Site, bool] | asyncio.Event | Wait:
        for site in self._sites:
            # The usual case first: the first untried site is up.
            if site not in tried:
                if site.health is Health.UP:
                    return site, False
                break
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
        send: Send,
        timeouts: Timeouts,
        site: Site,
        probe: bool,
        operation: str,
        deadline: float | None,
        body_check: object,
        *,
        first: bool,
        trace: CallTrace | None = None,
    ) -> Outcome:
        site.requests += 1
        if self._on_event is not None:
            self._emit(site, operation, "attempt", "probe" if probe else "")
        number, started = 0, 0.0
        if trace is not None:
            number = trace.attempt_started(site.label, probe)
            started = time.monotonic()
        remaining = None
        clamped = False
        if deadline is not None:
            remaining = deadline - self._deadline_clock()
            timeouts, clamped = clamp(timeouts, remaining)
        outcome = Outcome(site)
        try:
            outcome.got = await send(site, timeouts, remaining)
        except httpx.TransportError as exc:
            outcome.error = exc
            outcome.never_left = isinstance(exc, NEVER_LEFT)
            outcome.failure = describe(exc)
            # A local pool wait says nothing about the site; nor does the timeout of a repeat
            # that got only the rest of the deadline. (A first attempt had the caller's whole
            # budget: a site that cannot answer within it is failing for this caller.)
            blame = not isinstance(exc, httpx.PoolTimeout) and not (
                clamped and not first and isinstance(exc, httpx.TimeoutException)
            )
            self._record_failure(site, operation, outcome.failure, probe, blame=blame)
            if trace is not None:
                trace.attempt_ended(site.label, number, started, outcome)
            return outcome
        finally:
            if probe and outcome.failure is None and outcome.got is None:
                self._release_probe(site)  # cancelled, or an unexpected exception
        # unasync: async-only
        if inflates_off_loop(outcome.got):
            # A compressed answer that may inflate to megabytes is undone in a worker
            # thread (within the command's bound): the loop stays free meanwhile.
            try:
                outcome.failure = await asyncio.to_thread(judge, outcome.got, body_check)
            except BaseException:
                if probe:
                    self._release_probe(site)
                raise
        else:
            outcome.failure = judge(outcome.got, body_check)
        # unasync: end
        # unasync: sync-only
        # outcome.failure = judge(outcome.got, body_check)
        # unasync: end
        if outcome.failure is None:
            if probe:
                self._record_success(site, operation)
        else:
            self._record_failure(site, operation, outcome.failure, probe, blame=True)
        if trace is not None:
            trace.attempt_ended(site.label, number, started, outcome)
        return outcome

    # ------------------------------------------------------------------ health bookkeeping

    def _record_success(self, site: Site, operation: str) -> None:
        # Only a probe's success counts: a request started before the site failed says
        # nothing new.
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

    def _switch(
        self, operation: str, previous: Outcome, site: Site, trace: CallTrace | None = None
    ) -> None:
        reason = previous.failure or "failure"
        if trace is not None:
            trace.failed_over(previous.site.label, site.label, reason)
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
