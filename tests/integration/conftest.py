from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from smsc._http.backends import HTTPBackend

from . import backends
from .loopback import Servers


@pytest.fixture(params=backends.BACKENDS)
def http_backend(request: pytest.FixtureRequest) -> Iterator[HTTPBackend]:
    """Runs the test once on each transport under the failover layer."""
    backend: HTTPBackend = request.param
    backends.use(backend)
    yield backend
    backends.use("httpx")


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    """Loopback sites a test starts with the behaviour it needs; all closed at its end."""
    pool = Servers()
    yield pool
    await pool.close()
