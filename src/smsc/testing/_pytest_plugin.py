"""pytest plugin registered through the ``pytest11`` entry point.

Fixtures (async; they need pytest-asyncio, which the SDK's own test suite uses):

- ``smsc_emulator``: a fresh :class:`~smsc.testing.SMSCEmulator` with the account
  ``demo`` / ``demo`` (API key ``demo-api-key``, balance 1000.00 RUR), closed after the test.
  Mark a test ``@pytest.mark.smsc_service_time(0.02, 0.08)`` (or one number) for a real
  service time per request (:class:`~smsc.testing.ServiceTime`).
- ``smsc_client``: an :class:`~smsc.AsyncSMSCClient` logged in as ``demo`` and talking to
  ``smsc_emulator`` in-process (no sockets), closed after the test.
- ``smsc_client_factory``: builds such clients, one per call, for an app that creates its
  own client (``create_app(client_factory=smsc_client_factory)``); whoever calls it closes
  what it built.
- ``smsc_emulator_server``: the :class:`~smsc.testing.Site` serving ``smsc_emulator`` on a
  free loopback port (``site.url``), stopped after the test.

Fixtures for synchronous code (plain ``def`` tests; no pytest-asyncio needed):

- ``smsc_sync_emulator``: a :class:`~smsc.testing.ThreadedEmulator`: the emulator with the
  ``demo`` account on a free loopback port, answered from a background thread.
- ``smsc_sync_client``: an :class:`~smsc.SMSCClient` logged in as ``demo`` on
  ``smsc_sync_emulator`` over the socket, closed after the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx
import pytest

from .._client import AsyncSMSCClient
from ._defaults import (
    DEMO_API_KEY,
    DEMO_BALANCE,
    DEMO_LOGIN,
    DEMO_PASSWORD,
    EMULATOR_BASE_URL,
)
from ._emulator import SMSCEmulator
from ._server import Site
from ._service import ServiceTime
from ._threaded import ThreadedEmulator

if TYPE_CHECKING:
    from .._sync import SMSCClient

__all__ = [
    "DEMO_API_KEY",
    "DEMO_BALANCE",
    "DEMO_LOGIN",
    "DEMO_PASSWORD",
    "EMULATOR_BASE_URL",
    "smsc_client",
    "smsc_client_factory",
    "smsc_emulator",
    "smsc_emulator_server",
    "smsc_sync_client",
    "smsc_sync_emulator",
]


_F = TypeVar("_F")

try:
    import pytest_asyncio

    _fixture: Any = pytest_asyncio.fixture
except ImportError:  # pragma: no cover - pytest then reports that the fixtures need it
    _fixture = pytest.fixture


def _async_fixture(function: _F) -> _F:
    """Register an async fixture with pytest-asyncio (whatever the project's asyncio mode)."""
    return cast(_F, _fixture(function))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "smsc_service_time(low, high=None): real seconds each request to smsc_emulator takes",
    )


def _service_time(request: pytest.FixtureRequest) -> ServiceTime | None:
    marker = request.node.get_closest_marker("smsc_service_time")
    return None if marker is None else ServiceTime(*marker.args, **marker.kwargs)


@_async_fixture
async def smsc_emulator(request: pytest.FixtureRequest) -> AsyncIterator[SMSCEmulator]:
    """A fresh emulator with the ``demo`` account, closed after the test."""
    async with SMSCEmulator(service_time=_service_time(request)) as emulator:
        emulator.add_account(DEMO_LOGIN, DEMO_PASSWORD, api_key=DEMO_API_KEY, balance=DEMO_BALANCE)
        yield emulator


@pytest.fixture
def smsc_client_factory(smsc_emulator: SMSCEmulator) -> Callable[[], AsyncSMSCClient]:
    """Builds an ``AsyncSMSCClient`` for ``demo``, in-process on ``smsc_emulator``, per call."""

    def build() -> AsyncSMSCClient:
        return AsyncSMSCClient(
            login=DEMO_LOGIN,
            password=DEMO_PASSWORD,
            host=EMULATOR_BASE_URL,
            transport=httpx.ASGITransport(app=smsc_emulator.app),
        )

    return build


@_async_fixture
async def smsc_client(
    smsc_client_factory: Callable[[], AsyncSMSCClient],
) -> AsyncIterator[AsyncSMSCClient]:
    """An ``AsyncSMSCClient`` for the ``demo`` account, in-process on ``smsc_emulator``."""
    async with smsc_client_factory() as client:
        yield client


@_async_fixture
async def smsc_emulator_server(smsc_emulator: SMSCEmulator) -> AsyncIterator[Site]:
    """``smsc_emulator`` served on a free loopback port; the fixture's value is the site."""
    async with smsc_emulator.serve(ports=[0]) as sites:
        yield sites[0]


@pytest.fixture
def smsc_sync_emulator(request: pytest.FixtureRequest) -> Iterator[ThreadedEmulator]:
    """The emulator (``demo`` account) on a loopback port, served from a background thread."""
    with ThreadedEmulator(service_time=_service_time(request)) as served:
        yield served


@pytest.fixture
def smsc_sync_client(smsc_sync_emulator: ThreadedEmulator) -> Iterator[SMSCClient]:
    """A synchronous ``SMSCClient`` for ``demo`` on ``smsc_sync_emulator``'s socket."""
    from .._sync import SMSCClient  # the sync face is loaded only by those who use it

    with SMSCClient(
        login=DEMO_LOGIN, password=DEMO_PASSWORD, host=smsc_sync_emulator.url, allow_http=True
    ) as client:
        yield client
