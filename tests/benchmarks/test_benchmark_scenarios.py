"""Every ``make bench`` scenario, run briefly so that none can rot (no timing is asserted)."""

from __future__ import annotations

import pytest
from benchmarks._server import far_side

from benchmarks import latency, loopback

pytestmark = pytest.mark.integration


def test_every_benchmark_scenario_runs_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = latency.Settings(
        rtt=0.002, sequential_calls=2, parallel_calls=6, rounds=1, in_flight=3, first_call_rounds=1
    )
    with far_side(settings.rtt) as far:
        loopback.run(loopback.Settings(calls=4, rounds=1, in_flight=(1, 2)), far.ports.http)
        latency.run(settings, far)
    out = capsys.readouterr().out
    for line in (
        "httpx, 1 in flight",
        "aiohttp, 2 in flight",
        "worst wall-time ratio",
        "the SDK's own layers alone",
        "urllib, new TLS connection per call",
        "smsc on aiohttp / seed pattern (urllib)",
        "smsc on its fastest transport / raw aiohttp",
        "smsc on httpx / raw httpx (CPU per request)",
        "smsc on aiohttp  cold",
    ):
        assert line in out
