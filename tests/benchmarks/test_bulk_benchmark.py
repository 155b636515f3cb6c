"""The bulk benchmark runs every scenario briefly, so that none can rot (no timing asserted)."""

from __future__ import annotations

import pytest

from benchmarks import bulk

pytestmark = pytest.mark.integration


def test_the_bulk_benchmark_runs_its_scenarios_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = bulk.Settings(rtt=0.002, messages=300, sequential_sample=5, small=20, large=60)
    bulk.run(settings)
    out = capsys.readouterr().out
    for line in (
        "campaign: 300 messages in 2 requests",
        "one send() per message:",
        "extrapolated from 5 sent one by one",
        "wall-time ratio sequential / campaign",
        "client CPU per message",
        "     20 messages:",
        "     60 messages:",
        "growth:",
    ):
        assert line in out
