from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsc._backends import HTTPBackend

from . import backends


@pytest.fixture(params=backends.BACKENDS)
def http_backend(request: pytest.FixtureRequest) -> Iterator[HTTPBackend]:
    """Runs the test once on each transport under the failover layer."""
    backend: HTTPBackend = request.param
    backends.use(backend)
    yield backend
    backends.use("httpx")
