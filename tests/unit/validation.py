"""Shared helper of the offline-rule tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smsc import RequestValidationError


def field_refused(call: Callable[[], object]) -> str | None:
    """The ``field`` of the RequestValidationError that ``call`` raises (fails if none)."""
    with pytest.raises(RequestValidationError) as caught:
        call()
    return caught.value.field
