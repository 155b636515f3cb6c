"""Spans and metrics made from a client's events (see :mod:`smsc.events`).

One handler per instrumented client. Spans are kept by the event's ``call_id`` (and, for an
attempt, by its number) until the call ends; a call that never ends (its task was garbage
collected mid-way) leaves at most one entry behind.
"""

from __future__ import annotations

from typing import Any, Final

from opentelemetry import context as otel_context
from opentelemetry import metrics, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from .._version import __version__
from ..events import (
    AttemptEnded,
    AttemptStarted,
    CampaignProgressed,
    Event,
    FailedOver,
    LimiterRefused,
    LimiterWaited,
    Paused,
    RequestAnswered,
    RequestFailed,
    RequestStarted,
    Retrying,
)

__all__ = ["SCOPE", "Telemetry"]

SCOPE: Final = "smsc"
"""The instrumentation scope's name of the SDK's tracer and meter."""

# The keys instrumentations read to stay quiet (opentelemetry-api's own; the HTTP one is
# newer, so it is optional).
_SUPPRESS_KEYS: Final = tuple(
    key
    for key in (
        getattr(otel_context, "_SUPPRESS_HTTP_INSTRUMENTATION_KEY", None),
        getattr(otel_context, "_SUPPRESS_INSTRUMENTATION_KEY", None),
    )
    if key is not None
)

# The commands that send messages: their recipients count into smsc.messages.sent.
_SENDS: Final = frozenset({"send", "send_list"})


def _host(site: str | None) -> str | None:
    """``host`` of ``scheme://host[:port]``."""
    if not site:
        return None
    rest = site.partition("://")[2]
    if rest.startswith("["):
        return rest[1 : rest.index("]")] if "]" in rest else rest
    return rest.rpartition(":")[0] if ":" in rest else rest


def _port(site: str) -> int:
    scheme, _, rest = site.partition("://")
    tail = rest.rpartition("]")[2] if rest.startswith("[") else rest
    if ":" in tail:
        digits = tail.rpartition(":")[2]
        if digits.isdigit():
            return int(digits)
    return 443 if scheme == "https" else 80


class _Call:
    __slots__ = ("attempts", "span", "token")

    def __init__(self, span: Span, token: object | None) -> None:
        self.span = span
        self.token = token
        self.attempts: dict[int, Span] = {}


class Telemetry:
    """The hook: give it every event (``client.events.on(telemetry)``)."""

    def __init__(
        self,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer(SCOPE, __version__, tracer_provider=tracer_provider)
        meter = metrics.get_meter(SCOPE, __version__, meter_provider=meter_provider)
        self._duration = meter.create_histogram(
            "smsc.client.operation.duration",
            unit="s",
            description="Duration of an SDK call, from its start to its result or error.",
        )
        self._messages = meter.create_counter(
            "smsc.messages.sent",
            unit="{message}",
            description="Messages (one per phone) of sends, by format and outcome.",
        )
        self._segments = meter.create_counter(
            "smsc.message.segments",
            unit="{segment}",
            description="SMS parts the service billed for accepted sends, by format.",
        )
        self._retries = meter.create_counter(
            "smsc.client.retries", unit="{retry}", description="Repeated attempts of a call."
        )
        self._failovers = meter.create_counter(
            "smsc.client.failovers",
            unit="{failover}",
            description="Moves of a call from one site to another.",
        )
        self._limiter_wait = meter.create_histogram(
            "smsc.limiter.wait", unit="s", description="Time a call waited for an in-flight slot."
        )
        self._in_doubt = meter.create_gauge(
            "smsc.campaign.in_doubt",
            unit="{message}",
            description="Messages of a campaign whose outcome is being settled.",
        )
        self._calls: dict[int, _Call] = {}

    def __call__(self, event: Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, event)

    # ------------------------------------------------------------------ calls

    def _started(self, event: RequestStarted) -> None:
        attributes: dict[str, Any] = {"smsc.command": event.command}
        if event.message_format is not None:
            attributes["smsc.message.format"] = event.message_format
        if event.recipients is not None:
            attributes["smsc.recipients.count"] = event.recipients
        campaign = event.command == "campaign"
        span = self._tracer.start_span(
            f"smsc {event.command}",
            kind=SpanKind.INTERNAL if campaign else SpanKind.CLIENT,
            attributes=attributes,
        )
        token = None
        if not campaign:
            # The call's own requests run under its span, with the generic HTTP
            # instrumentations told to stay quiet: they would record the service's URLs and
            # bodies around us. (A campaign is an iterator: its context is the caller's.)
            ctx = trace.set_span_in_context(span)
            for key in _SUPPRESS_KEYS:
                ctx = otel_context.set_value(key, True, ctx)
            token = otel_context.attach(ctx)
        self._calls[event.call_id] = _Call(span, token)

    def _ended(self, event: RequestAnswered | RequestFailed) -> _Call | None:
        call = self._calls.pop(event.call_id, None)
        if call is None:
            return None
        if call.token is not None:
            otel_context.detach(call.token)  # type: ignore[arg-type]
        for span in call.attempts.values():
            span.end()
        span = call.span
        span.set_attribute("smsc.attempts", event.attempts)
        host = _host(event.site)
        if host is not None:
            span.set_attribute("server.address", host)
        return call

    def _answered(self, event: RequestAnswered) -> None:
        call = self._ended(event)
        attributes: dict[str, Any] = {"smsc.command": event.command}
        if event.message_format is not None:
            attributes["smsc.message.format"] = event.message_format
        self._duration.record(event.elapsed, {**attributes, "smsc.outcome": "answered"})
        if call is not None:
            span = call.span
            if event.segments is not None:
                span.set_attribute("smsc.message.segments", event.segments)
            if event.cost is not None:
                span.set_attribute("smsc.cost", float(event.cost))
            span.end()
        if event.command in _SENDS:
            sent = {**attributes, "smsc.outcome": "accepted"}
            if event.recipients:
                self._messages.add(event.recipients, sent)
            if event.segments:
                self._segments.add(event.segments, sent)

    def _failed(self, event: RequestFailed) -> None:
        call = self._ended(event)
        attributes: dict[str, Any] = {
            "smsc.command": event.command,
            "smsc.outcome": event.outcome,
            "error.type": event.error_type,
        }
        if event.message_format is not None:
            attributes["smsc.message.format"] = event.message_format
        self._duration.record(event.elapsed, attributes)
        if call is not None:
            span = call.span
            span.set_attribute("error.type", event.error_type)
            span.set_attribute("smsc.outcome", event.outcome)
            if event.error_code is not None:
                span.set_attribute("smsc.error.code", event.error_code)
            span.set_status(Status(StatusCode.ERROR, event.error_type))
            span.end()
        if event.command in _SENDS and event.recipients:
            self._messages.add(
                event.recipients,
                {
                    key: value
                    for key, value in attributes.items()
                    if key in ("smsc.command", "smsc.message.format", "smsc.outcome")
                },
            )

    # ------------------------------------------------------------------ attempts

    def _attempt_started(self, event: AttemptStarted) -> None:
        call = self._calls.get(event.call_id)
        if call is None:
            return
        attributes: dict[str, Any] = {
            "http.request.method": "POST",
            "server.address": _host(event.site) or "",
            "server.port": _port(event.site),
            # Scheme, host and path: never a query (the form travels in the body).
            "url.full": event.site + event.path,
            "smsc.command": event.command,
        }
        if event.attempt > 1:
            attributes["http.request.resend_count"] = event.attempt - 1
        call.attempts[event.attempt] = self._tracer.start_span(
            "POST",
            context=trace.set_span_in_context(call.span),
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )

    def _attempt_ended(self, event: AttemptEnded) -> None:
        call = self._calls.get(event.call_id)
        span = None if call is None else call.attempts.pop(event.attempt, None)
        if span is None:
            return
        if event.status_code is not None:
            span.set_attribute("http.response.status_code", event.status_code)
        if event.failure:
            error = (
                str(event.status_code)
                if event.status_code is not None and event.status_code >= 500
                else event.failure
            )
            span.set_attribute("error.type", error)
            span.set_status(Status(StatusCode.ERROR, error))
        span.end()

    def _retrying(self, event: Retrying) -> None:
        self._retries.add(1, {"smsc.command": event.command})
        call = self._calls.get(event.call_id)
        if call is not None:
            call.span.add_event(
                "smsc.retry",
                {
                    "smsc.attempt": event.attempt,
                    "smsc.delay": event.delay,
                    "smsc.reason": event.reason,
                },
            )

    def _failed_over(self, event: FailedOver) -> None:
        self._failovers.add(
            1, {"smsc.command": event.command, "server.address": _host(event.to_site) or ""}
        )
        call = self._calls.get(event.call_id)
        if call is not None:
            call.span.add_event(
                "smsc.failover",
                {
                    "smsc.from": _host(event.from_site) or "",
                    "smsc.to": _host(event.to_site) or "",
                    "smsc.reason": event.reason,
                },
            )

    # ------------------------------------------------------------------ limiter, campaigns

    def _waited(self, event: LimiterWaited) -> None:
        self._limiter_wait.record(event.seconds, {"smsc.command": event.command})

    def _refused(self, event: LimiterRefused) -> None:
        call = self._calls.get(event.call_id)
        if call is not None:
            call.span.set_attribute("smsc.limiter.rule", event.rule)

    def _progressed(self, event: CampaignProgressed) -> None:
        self._in_doubt.set(max(0, event.in_doubt - event.settled))
        call = self._calls.get(event.call_id)
        if call is not None:
            call.span.set_attribute("smsc.recipients.count", event.total)

    def _paused(self, event: Paused) -> None:
        call = self._calls.get(event.call_id)
        if call is not None:
            attributes: dict[str, Any] = {
                "smsc.pause.reason": event.reason,
                "smsc.pause.seconds": event.seconds,
            }
            if event.messages:
                attributes["smsc.pause.messages"] = event.messages
            call.span.add_event("smsc.pause", attributes)

    _handlers: Final[dict[type[Event], Any]] = {
        RequestStarted: _started,
        RequestAnswered: _answered,
        RequestFailed: _failed,
        AttemptStarted: _attempt_started,
        AttemptEnded: _attempt_ended,
        Retrying: _retrying,
        FailedOver: _failed_over,
        LimiterWaited: _waited,
        LimiterRefused: _refused,
        CampaignProgressed: _progressed,
        Paused: _paused,
    }
