"""A Redis outage: fail closed with a typed error, or fail open when asked to."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from typing import Any

import pytest
from redis.asyncio import Redis

from smsc import SMSCError
from smsc._errors import ConfigurationError, LimiterUnavailableError
from smsc._limits import LimitExceededError, RedisLimiter, RedisSeenSet

from .conftest import closed_port_url
from .redis_server import RedisServer

pytestmark = pytest.mark.integration


async def test_unreachable_redis_fails_closed_and_nothing_runs() -> None:
    ran = False
    async with RedisLimiter(closed_port_url(), login="alex", timeout=1.0) as limiter:
        with pytest.raises(LimiterUnavailableError, match="failing closed") as caught:
            async with limiter.slot():
                ran = True
        with pytest.raises(LimiterUnavailableError, match="Redis is unreachable"):
            await limiter.hit("balance")
    assert not ran
    assert isinstance(caught.value, SMSCError)
    assert caught.value.retryable
    assert "127.0.0.1" not in str(caught.value)  # the URL (maybe with a password) is not shown


async def test_redis_stopped_mid_run_fails_the_next_calls(own_redis_server: RedisServer) -> None:
    async with RedisLimiter(own_redis_server.url, login="alex", timeout=1.0) as limiter:
        async with limiter.slot():
            await limiter.hit("balance")
        own_redis_server.stop()
        with pytest.raises(LimiterUnavailableError):
            async with limiter.slot():
                pass
        with pytest.raises(LimiterUnavailableError):
            await limiter.hit("balance")


async def test_fail_open_falls_back_to_the_limits_of_this_process() -> None:
    async with RedisLimiter(
        closed_port_url(), login="alex", max_concurrency=2, fail_open=True, timeout=1.0
    ) as limiter:
        gate = asyncio.Event()
        inside = 0

        async def request() -> None:
            nonlocal inside
            async with limiter.slot():
                inside += 1
                await gate.wait()

        tasks = [asyncio.create_task(request()) for _ in range(3)]
        for _ in range(200):
            if inside == 2:
                break
            await asyncio.sleep(0.01)
        assert inside == 2  # still capped, by this process alone
        gate.set()
        await asyncio.gather(*tasks)
        hit = await limiter.hit("send.identical", "same")
        with pytest.raises(LimitExceededError):
            await limiter.hit("send.identical", "same")
        await limiter.undo(hit)
        await limiter.hit("send.identical", "same")


async def test_seen_set_fails_closed_when_redis_is_unreachable() -> None:
    async with RedisSeenSet(closed_port_url(), timeout=1.0) as seen:
        with pytest.raises(LimiterUnavailableError, match="callback duplicate check"):
            await seen.first_time("1234:79991234567:1")
        with pytest.raises(LimiterUnavailableError):
            await seen.forget("1234:79991234567:1")


def test_importing_smsc_does_not_import_redis() -> None:
    code = "import sys, smsc, smsc._limits; sys.exit('redis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


async def test_lease_renewal_failures_are_logged_not_raised(
    own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="smsc.limits")
    async with RedisLimiter(own_redis_server.url, login="alex", lease_ttl=0.3, timeout=1.0) as lim:
        hit = await lim.hit("balance")
        async with lim.slot():
            own_redis_server.stop()
            for _ in range(500):
                if "lease renewal failed" in caplog.text:
                    break
                await asyncio.sleep(0.01)
            assert "lease renewal failed (ConnectionError)" in caplog.text
        await lim.aclose()  # waits for the slot's give-back, which is not awaited at exit
        assert "could not give a slot back" in caplog.text
        await lim.undo(hit)  # logged, not raised: the window entry expires by itself
        assert "could not take a hit back" in caplog.text


async def test_a_lease_lost_while_in_use_is_logged(
    redis_url: str, login: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="smsc.limits")
    async with (
        Redis.from_url(redis_url) as redis,
        RedisLimiter(redis, login=login, lease_ttl=0.3) as limiter,
    ):
        async with limiter.slot():
            await redis.delete(f"smsc:{{{login}}}:slots")
            for _ in range(500):
                if "expired while in use" in caplog.text:
                    break
                await asyncio.sleep(0.01)
            assert "1 lease(s) expired while in use" in caplog.text
        assert limiter.lease_ttl == 0.3
        assert limiter.max_concurrency == 10
        await redis.ping()  # the limiter leaves a borrowed client open


@pytest.mark.parametrize(
    "options",
    [
        {"login": ""},
        {"login": "alex", "lease_ttl": 0},
        {"login": "alex", "waiter_ttl": 0.1},
        {"login": "alex", "poll_interval": (0.1, 0.01)},
    ],
)
def test_bad_limiter_options_are_configuration_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        RedisLimiter("redis://127.0.0.1:1/0", **options)
