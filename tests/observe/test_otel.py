"""smsc.otel: the spans and metrics of a run, what they never carry, and the httpx quiet."""

from __future__ import annotations

import logging
import random
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from smsc import AsyncSMSCClient
from smsc.otel import SCOPE, Telemetry, instrument
from smsc.testing import SMSCEmulator

from . import scenario


@dataclass
class Recorded:
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader
    tracer_provider: TracerProvider
    meter_provider: MeterProvider

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self) -> dict[str, list[Any]]:
        """Every data point by metric name."""
        data = self.metrics.get_metrics_data()
        found: dict[str, list[Any]] = {}
        assert data is not None
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    found.setdefault(metric.name, []).extend(metric.data.data_points)
        return found


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    yield Recorded(spans, reader, tracer_provider, meter_provider)
    tracer_provider.shutdown()
    meter_provider.shutdown()


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        yield emu


def _scope(span: ReadableSpan) -> str:
    return span.instrumentation_scope.name if span.instrumentation_scope else ""


def _strings(recorded: Recorded) -> list[str]:
    """Every name, attribute key and value, event and status text that was exported."""
    found: list[str] = []
    for span in recorded.finished():
        found += [span.name, str(span.status.description or "")]
        found += [f"{key}={value!s}" for key, value in (span.attributes or {}).items()]
        for event in span.events:
            found.append(event.name)
            found += [f"{key}={value!s}" for key, value in (event.attributes or {}).items()]
    for name, points in recorded.points().items():
        found.append(name)
        for point in points:
            found += [f"{key}={value}" for key, value in (point.attributes or {}).items()]
    return found


async def test_a_run_exports_the_calls_attempts_and_metrics(
    emulator: SMSCEmulator, recorded: Recorded, tmp_path: Path
) -> None:
    telemetry = Telemetry(recorded.tracer_provider, recorded.meter_provider)
    await scenario.run(emulator, tmp_path / "journal.sqlite", [telemetry])
    spans = recorded.finished()
    ours = [span for span in spans if _scope(span) == SCOPE]
    assert ours == spans
    calls = [span for span in spans if span.name.startswith("smsc ")]
    names = {span.name for span in calls}
    assert {"smsc send", "smsc balance", "smsc send_list", "smsc status", "smsc campaign"} <= names

    first = calls[0]
    assert first.name == "smsc send"
    attributes = dict(first.attributes or {})
    assert attributes["smsc.command"] == "send"
    assert attributes["smsc.message.format"] == "sms"
    assert attributes["smsc.recipients.count"] == 1
    assert attributes["smsc.message.segments"] == 1
    assert float(str(attributes["smsc.cost"])) > 0
    assert attributes["smsc.attempts"] == 1
    assert attributes["server.address"] == "primary.smsc.test"
    children = [
        span for span in spans if span.parent and span.parent.span_id == first.context.span_id
    ]
    assert [child.name for child in children] == ["POST"]
    child = dict(children[0].attributes or {})
    assert child["url.full"] == "https://primary.smsc.test/sys/send.php"
    assert child["http.request.method"] == "POST"
    assert child["http.response.status_code"] == 200
    assert child["server.address"] == "primary.smsc.test"

    failed_over = calls[1]
    assert dict(failed_over.attributes or {})["server.address"] == "mirror.smsc.test"
    assert dict(failed_over.attributes or {})["smsc.attempts"] == 2
    assert "smsc.failover" in [event.name for event in failed_over.events]
    errors = {dict(span.attributes or {}).get("error.type") for span in calls}
    assert {"InvalidPhoneError", "TooManyRequestsError", "IdenticalRequestError"} <= errors
    assert "SendOutcomeUnknownError" in errors
    campaign = [span for span in calls if span.name == "smsc campaign"]
    assert len(campaign) == 2
    assert any(event.name == "smsc.pause" for event in campaign[1].events)

    points = recorded.points()
    assert set(points) >= {
        "smsc.client.operation.duration",
        "smsc.messages.sent",
        "smsc.message.segments",
        "smsc.client.retries",
        "smsc.client.failovers",
        "smsc.limiter.wait",
        "smsc.campaign.in_doubt",
    }
    sent = {
        (
            dict(point.attributes)["smsc.outcome"],
            dict(point.attributes)["smsc.command"],
        ): point.value
        for point in points["smsc.messages.sent"]
    }
    assert sent[("accepted", "send")] == 2
    assert sent[("refused", "send")] == 2  # error 7 and error 9
    assert sent[("unknown", "send")] == 1
    assert sent[("not_sent", "send")] == 1  # the limiter's refusal
    assert sent[("accepted", "send_list")] >= 30
    assert sum(point.value for point in points["smsc.client.failovers"]) >= 1
    assert [point.value for point in points["smsc.campaign.in_doubt"]] == [0]


async def test_nothing_exported_or_logged_carries_a_phone_text_login_password_or_key(
    emulator: SMSCEmulator,
    recorded: Recorded,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    telemetry = Telemetry(recorded.tracer_provider, recorded.meter_provider)
    with caplog.at_level(logging.DEBUG, logger="smsc"):
        await scenario.run(emulator, tmp_path / "journal.sqlite", [telemetry])
    exported = _strings(recorded)
    assert len(exported) > 200
    logged = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    assert any("messages in doubt" in line for line in logged)
    leaks = {
        secret for secret in scenario.planted() for text in exported + logged if secret in text
    }
    assert leaks == set()


async def test_the_httpx_instrumentation_is_quiet_for_the_sdks_own_requests(
    emulator: SMSCEmulator, recorded: Recorded
) -> None:
    emulator.add_account("shop", "shop-pass", balance=100)
    site = await emulator.start_site()
    instrumentor = HTTPXClientInstrumentor()
    instrumentor.instrument(tracer_provider=recorded.tracer_provider)
    try:
        async with AsyncSMSCClient(
            login="shop", password="shop-pass", host=site.url, allow_http=True
        ) as client:
            stop = instrument(
                client,
                tracer_provider=recorded.tracer_provider,
                meter_provider=recorded.meter_provider,
            )
            await client.send("79991234567", "Hello")
            await client.balance()
            stop()
            # Not instrumented by smsc.otel any more: the generic instrumentation sees it.
            await client.balance()
    finally:
        instrumentor.uninstrument()
    spans = recorded.finished()
    generic = [dict(span.attributes or {}) for span in spans if _scope(span) != SCOPE]
    assert len(generic) == 1
    url = generic[0].get("url.full", generic[0].get("http.url"))
    assert str(url).endswith("/sys/balance.php")
    ours = sorted(span.name for span in spans if _scope(span) == SCOPE)
    assert ours == ["POST", "POST", "smsc balance", "smsc send"]


async def test_ten_thousand_sends_to_random_numbers_keep_the_metric_series_bounded(
    emulator: SMSCEmulator, recorded: Recorded
) -> None:
    emulator.add_account("shop", "shop-pass", balance=1_000_000)
    telemetry = Telemetry(recorded.tracer_provider, recorded.meter_provider)
    rng = random.Random(26)
    async with AsyncSMSCClient(
        login="shop",
        password="shop-pass",
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
        hooks=[telemetry],
    ) as client:
        for _ in range(10_000):
            await client.send(f"7999{rng.randrange(10**7):07d}", f"Code {rng.randrange(10**6)}")
    series = {name: len(points) for name, points in recorded.points().items()}
    assert series["smsc.messages.sent"] == 1
    assert series["smsc.message.segments"] == 1
    assert series["smsc.client.operation.duration"] == 1
    assert sum(series.values()) <= 5


def test_import_smsc_does_not_import_opentelemetry() -> None:
    code = (
        "import sys, smsc, smsc.events; "
        "print(sorted(name for name in sys.modules if name.startswith('opentelemetry')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
