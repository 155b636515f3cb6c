"""How many examples a property test runs under the suite's Hypothesis profile."""

from __future__ import annotations

import os

DEEP = os.environ.get("SMSC_HYPOTHESIS", "quick") == "deep"


def examples(deep: int) -> int:
    """``deep`` examples under ``make test-deep``; an eighth of them (at least 10) otherwise."""
    return deep if DEEP else max(10, deep // 8)
