"""The hook registry of a client, and the record of one call that its events are made from.

Hooks are plain (synchronous) callables, run inline where the event happens, in the task of
the call: they must be quick (queue anything slow). A hook that raises is logged at WARNING
with the exception's class and ignored: an event never changes what a call does. An ``async
def`` hook is refused when it is registered (a coroutine nobody awaits would be lost).

With no hook registered nothing is built: the pipeline reads one boolean (``active``) per
call and takes its usual path.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

from .._errors import (
    APIError,
    ConfigurationError,
    LimitExceededError,
    OutcomeUnknownError,
    ServerError,
    SMSCError,
)
from .._http.failures import NEVER_LEFT
from ._kinds import (
    AttemptEnded,
    AttemptStarted,
    Event,
    FailedOver,
    FailureOutcome,
    LimiterRefused,
    LimiterWaited,
    RequestAnswered,
    RequestFailed,
    RequestStarted,
    Retrying,
)

if TYPE_CHECKING:
    from .._http.attempts import Outcome

__all__ = ["CURRENT_CALL", "CallTrace", "Events", "Hook", "new_call_id", "short_reason"]

logger = logging.getLogger("smsc.events")

Hook = Callable[[Event], object]
"""A hook: called with each event it subscribed to; what it returns is ignored."""

_call_ids: Final = itertools.count(1)

CURRENT_CALL: ContextVar[CallTrace | None] = ContextVar("smsc_current_call", default=None)
"""The call running in this task, while hooks are registered (read by the failover layer)."""


def new_call_id() -> int:
    """The next call number of this process."""
    return next(_call_ids)


def short_reason(failure: str) -> str:
    """The SDK's words for a failure without any text quoted from elsewhere (an OS message)."""
    return failure.split(":", 1)[0]


class Events:
    """The hooks of a client: ``client.events.on(hook, RequestFailed, FailedOver)``.

    Shared by the copies of :meth:`~smsc.AsyncSMSCClient.with_options`.
    """

    __slots__ = ("_hooks", "active")

    def __init__(self, hooks: Iterable[Hook] = ()) -> None:
        # (hook, kinds): no kinds means every event.
        self._hooks: tuple[tuple[Hook, tuple[type[Event], ...]], ...] = ()
        self.active = False
        """True while at least one hook is registered (read on every call)."""
        if callable(hooks) or isinstance(hooks, (str, bytes)):
            raise ConfigurationError("hooks takes a list of functions: hooks=[hook]")
        for hook in hooks:
            self.on(hook)

    def on(self, hook: Hook, *kinds: type[Event]) -> Callable[[], None]:
        """Call ``hook`` with every event of ``kinds`` (every event when none is named).

        Returns:
            A function that removes the hook again.

        Raises:
            ConfigurationError: ``hook`` is not callable or is an ``async def`` function, or
                a kind is not an event class of :mod:`smsc.events`.
        """
        if not callable(hook):
            raise ConfigurationError("an event hook must be callable")
        if inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(
            getattr(hook, "__call__", None)  # noqa: B004 - an object with an async __call__
        ):
            raise ConfigurationError(
                "event hooks are called inline and must be plain functions, not async def "
                "(schedule a task from a plain hook if it must await)"
            )
        for kind in kinds:
            if not (isinstance(kind, type) and issubclass(kind, Event)):
                raise ConfigurationError(f"{kind!r} is not an event class of smsc.events")
        entry = (hook, kinds)
        self._hooks = (*self._hooks, entry)
        self.active = True

        def remove() -> None:
            self._hooks = tuple(item for item in self._hooks if item is not entry)
            self.active = bool(self._hooks)

        return remove

    def emit(self, event: Event) -> None:
        """Give ``event`` to every hook that subscribed to its kind."""
        for hook, kinds in self._hooks:
            if kinds and not isinstance(event, kinds):
                continue
            try:
                result = hook(event)
            except Exception as exc:
                logger.warning(
                    "an smsc event hook raised %s on %s; ignored",
                    type(exc).__name__,
                    type(event).__name__,
                )
                continue
            if result is not None and inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()
                logger.warning(
                    "an smsc event hook returned an awaitable on %s; hooks are not awaited",
                    type(event).__name__,
                )


class CallTrace:
    """One SDK call while hooks are registered: its number, start, site and attempts."""

    __slots__ = (
        "attempts",
        "call_id",
        "command",
        "events",
        "message_format",
        "path",
        "recipients",
        "site",
        "started",
    )

    def __init__(
        self,
        events: Events,
        command: str,
        message_format: str | None = None,
        recipients: int | None = None,
        path: str = "",
    ) -> None:
        self.events = events
        self.path = path
        self.call_id = new_call_id()
        self.command = command
        self.message_format = message_format
        self.recipients = recipients
        self.started = time.monotonic()
        self.site: str | None = None
        self.attempts = 0

    def started_event(self) -> RequestStarted:
        return RequestStarted(self.call_id, self.command, self.message_format, self.recipients)

    def answered(self, segments: int | None = None, cost: Any = None) -> None:
        self.events.emit(
            RequestAnswered(
                self.call_id,
                self.command,
                site=self.site,
                attempts=self.attempts,
                elapsed=time.monotonic() - self.started,
                segments=segments,
                cost=cost,
                message_format=self.message_format,
                recipients=self.recipients,
            )
        )

    def failed(
        self,
        outcome: FailureOutcome,
        error: BaseException,
        error_code: int | None = None,
        status_code: int | None = None,
    ) -> None:
        self.events.emit(
            RequestFailed(
                self.call_id,
                self.command,
                site=self.site,
                attempts=self.attempts,
                elapsed=time.monotonic() - self.started,
                outcome=outcome,
                error_type=type(error).__name__,
                error_code=error_code,
                status_code=status_code,
                message_format=self.message_format,
                recipients=self.recipients,
            )
        )

    def failed_with(self, exc: BaseException) -> None:
        """Emit the call's failure as ``exc`` tells it (and a limiter's refusal first)."""
        outcome: FailureOutcome
        code: int | None = None
        status: int | None = None
        if isinstance(exc, (asyncio.CancelledError, GeneratorExit)):
            outcome = "cancelled"
        elif isinstance(exc, LimitExceededError):
            outcome = "not_sent"
            self.events.emit(
                LimiterRefused(
                    self.call_id, self.command, rule=exc.rule, retry_after=exc.retry_after
                )
            )
        elif isinstance(exc, OutcomeUnknownError):
            outcome = "unknown"
        elif isinstance(exc, APIError):
            outcome, code = "refused", exc.code
        elif isinstance(exc, SMSCError) and isinstance(exc.__cause__, NEVER_LEFT):
            outcome = "not_sent"
        else:
            outcome = "error"
            if isinstance(exc, ServerError):
                status = exc.status_code
        self.failed(outcome, exc, code, status)

    def waited(self, seconds: float) -> None:
        self.events.emit(LimiterWaited(self.call_id, self.command, seconds))

    # The failover layer's side: one attempt, a retry, a switch of site.

    def attempt_started(self, site: str, probe: bool) -> int:
        self.attempts += 1
        self.site = site
        self.events.emit(
            AttemptStarted(
                self.call_id,
                self.command,
                site=site,
                path=self.path,
                attempt=self.attempts,
                probe=probe,
            )
        )
        return self.attempts

    def attempt_ended(self, site: str, attempt: int, started: float, outcome: Outcome) -> None:
        got = outcome.got
        self.events.emit(
            AttemptEnded(
                self.call_id,
                self.command,
                site=site,
                attempt=attempt,
                elapsed=time.monotonic() - started,
                status_code=None if got is None else got.code,
                failure=short_reason(outcome.failure or ""),
                never_left=outcome.never_left,
            )
        )

    def retrying(self, delay: float, reason: str | None) -> None:
        self.events.emit(
            Retrying(
                self.call_id,
                self.command,
                attempt=self.attempts + 1,
                delay=delay,
                reason=short_reason(reason or ""),
            )
        )

    def failed_over(self, from_site: str, to_site: str, reason: str | None) -> None:
        self.events.emit(
            FailedOver(
                self.call_id,
                self.command,
                from_site=from_site,
                to_site=to_site,
                reason=short_reason(reason or ""),
            )
        )
