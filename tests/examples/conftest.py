"""Run the example apps on loopback sockets, talking to the emulator's socket site.

Every test runs once per app (``fastapi`` with uvicorn, ``aiohttp`` with its own runner). The
emulator (``smsc_emulator`` / ``smsc_emulator_server`` from the SDK's pytest plugin) serves
the ``demo`` account on a free port and calls the app back at its ``/smsc/callback``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime

import httpx
import pytest
import uvicorn
from aiohttp import web

import aiohttp_app
import fastapi_app
from smsc import AsyncSMSCClient
from smsc.testing import DEMO_LOGIN, DEMO_PASSWORD, Site, SMSCEmulator

CALLBACK_SECRET = "callback-secret-for-tests"
POOL_LIMIT = 4
"""The app client's ``max_concurrency``: at most this many connections to the emulator."""


class CountingClientFactory:
    """Builds the app's ``AsyncSMSCClient`` for the emulator site and keeps every one built."""

    def __init__(self, base_url: str, clock: Callable[[], datetime]) -> None:
        self.base_url = base_url
        self.clock = clock  # the emulator's: the apps check the callbacks' freshness on it
        self.clients: list[AsyncSMSCClient] = []

    def __call__(self) -> AsyncSMSCClient:
        client = AsyncSMSCClient(
            login=DEMO_LOGIN,
            password=DEMO_PASSWORD,
            host=self.base_url,
            allow_http=True,
            max_concurrency=POOL_LIMIT,
        )
        self.clients.append(client)
        return client


AppRunner = Callable[[CountingClientFactory], AbstractAsyncContextManager[str]]
"""Starts an example app on a free loopback port and yields its base URL; stops it on exit."""


async def eventually(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition()`` holds, checking every few milliseconds for at most 5 s."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting until {what}")


@asynccontextmanager
async def run_fastapi(factory: CountingClientFactory) -> AsyncIterator[str]:
    """The FastAPI example under uvicorn."""
    app = fastapi_app.create_app(
        client_factory=factory, callback_secret=CALLBACK_SECRET, callback_clock=factory.clock
    )
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="on", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    try:
        await eventually(lambda: server.started or serving.done(), "uvicorn has started")
        assert server.started, "uvicorn did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@asynccontextmanager
async def run_aiohttp(factory: CountingClientFactory) -> AsyncIterator[str]:
    """The aiohttp example under ``web.AppRunner`` and a ``TCPSite``."""
    app = aiohttp_app.create_app(
        client_factory=factory, callback_secret=CALLBACK_SECRET, callback_clock=factory.clock
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


RUNNERS: dict[str, AppRunner] = {"fastapi": run_fastapi, "aiohttp": run_aiohttp}


@pytest.fixture(params=sorted(RUNNERS))
def app_runner(request: pytest.FixtureRequest) -> AppRunner:
    """Starts one of the example apps (the test runs for each)."""
    return RUNNERS[request.param]


@pytest.fixture
def client_factory(
    smsc_emulator_server: Site, smsc_emulator: SMSCEmulator
) -> CountingClientFactory:
    """Builds the app's client for the emulator's socket site, counting the clients built."""
    return CountingClientFactory(smsc_emulator_server.url, smsc_emulator.clock.datetime)


@pytest.fixture
async def app_url(
    app_runner: AppRunner, client_factory: CountingClientFactory, smsc_emulator: SMSCEmulator
) -> AsyncIterator[str]:
    """The running app's base URL; the ``demo`` account calls it back, signed."""
    async with app_runner(client_factory) as url:
        account = smsc_emulator.account(DEMO_LOGIN)
        account.callback_url = f"{url}/smsc/callback"
        account.callback_secret = CALLBACK_SECRET
        yield url


@pytest.fixture
async def app_http(app_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the running app (pooled enough for 100 requests at once)."""
    async with httpx.AsyncClient(base_url=app_url, timeout=10) as http:
        yield http
