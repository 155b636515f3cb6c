"""Issue 23 item 1: the four hostile answers, each in a process of its own.

Each was a few kilobytes of gzip that cost hundreds of megabytes to gigabytes and froze the
event loop for seconds. Now each is refused with a typed error for at most a few megabytes of
memory and a few milliseconds of the loop's CPU time (the loop's thread CPU between two ticks
of a ticker: robust to a busy machine, see ``shape_child``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Traced memory for one refused answer: a few MB, and for the history page the 8 MiB its
# text may legitimately take once decoded (the bytes are inflated before the items are
# counted) and its copy while inflating.
MAX_PEAK = {"balance": 4 << 20, "status": 4 << 20, "send_phones": 4 << 20, "history": 20 << 20}
MAX_LOOP_CPU = 0.1  # seconds of the loop thread's CPU without a tick


def run_shape(shape: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.bounds.shape_child", shape],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(result)
    return result


@pytest.mark.parametrize(
    ("shape", "outcome"),
    [
        ("balance", "InvalidResponseError"),  # [{},{},...]
        ("status", "InvalidResponseError"),  # 500,000 {"status":1}
        ("send_phones", "SendOutcomeUnknownError"),  # 300,000 phones for one sent
        ("history", "InvalidResponseError"),  # 99,999 records for a page of 1,000
    ],
)
def test_a_small_compressed_answer_is_refused_in_little_memory_and_loop_time(
    shape: str, outcome: str
) -> None:
    result = run_shape(shape)
    assert result["outcome"] == outcome
    assert result["peak"] < MAX_PEAK[shape]
    assert result["loop_cpu"] < MAX_LOOP_CPU
