"""Suite-wide settings: the Hypothesis profiles.

``make test`` runs the property tests with the ``quick`` profile (a fraction of each test's
examples, no per-example deadline: a busy machine must not fail a test); ``make test-deep``
sets ``SMSC_HYPOTHESIS=deep`` and runs every example each test asks for (CI runs both).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("SMSC_HYPOTHESIS", "quick")
if PROFILE not in {"quick", "deep"}:
    raise RuntimeError(f"SMSC_HYPOTHESIS must be 'quick' or 'deep', not {PROFILE!r}")

for _name, _examples in (("quick", 25), ("deep", 300)):
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile(PROFILE)
