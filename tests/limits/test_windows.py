"""Window rules (status, balance, identical sends, per-command budgets) in both limiters.

Each test runs on the in-process limiter and on the Redis limiter against a real server, so
the two keep the same semantics.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from smsc._errors import ConfigurationError
from smsc._limits import (
    DEFAULT_RULES,
    Hit,
    IdenticalRequestError,
    InProcessLimiter,
    Limiter,
    LimitExceededError,
    RedisLimiter,
    WindowRule,
    fingerprint,
)
from smsc._limits._base import admission, count_all

Factory = Callable[..., Limiter]


@pytest.fixture(params=["in-process", "redis"])
async def make_limiter(
    request: pytest.FixtureRequest, redis_url: str, login: str
) -> AsyncIterator[Factory]:
    made: list[Limiter] = []

    def make(**options: object) -> Limiter:
        limiter: Limiter
        if request.param == "redis":
            limiter = RedisLimiter(redis_url, login=login, **options)  # type: ignore[arg-type]
        else:
            limiter = InProcessLimiter(**options)  # type: ignore[arg-type]
        made.append(limiter)
        return limiter

    yield make
    for limiter in made:
        await limiter.aclose()


async def test_both_limiters_implement_the_protocol(make_limiter: Factory) -> None:
    assert isinstance(make_limiter(), Limiter)


async def test_the_eleventh_balance_request_in_a_minute_is_refused(make_limiter: Factory) -> None:
    limiter = make_limiter()
    for _ in range(10):
        await limiter.hit("balance")
    with pytest.raises(LimitExceededError) as caught:
        await limiter.hit("balance")
    assert caught.value.rule == "balance"
    assert 0 < caught.value.retry_after <= DEFAULT_RULES["balance"].window
    assert caught.value.retryable


async def test_status_budget_is_per_message(make_limiter: Factory) -> None:
    limiter = make_limiter()
    for _ in range(5):
        await limiter.hit("status", "1234:79991234567")
    with pytest.raises(LimitExceededError):
        await limiter.hit("status", "1234:79991234567")
    await limiter.hit("status", "1235:79991234567")  # another message has its own budget


async def test_identical_send_within_the_window_is_caught_before_the_request(
    make_limiter: Factory,
) -> None:
    limiter = make_limiter()
    await limiter.hit("send.identical", fingerprint("79991234567", "Your code: 1234"))
    with pytest.raises(IdenticalRequestError) as caught:
        await limiter.hit("send.identical", fingerprint("79991234567", "Your code: 1234"))
    assert not caught.value.retryable
    assert "79991234567" not in str(caught.value)
    await limiter.hit("send.identical", fingerprint("79991234567", "Your code: 5678"))


async def test_an_undone_hit_lets_the_same_request_through(make_limiter: Factory) -> None:
    limiter = make_limiter()
    hit = await limiter.hit("send.identical", "same")
    await limiter.undo(hit)
    await limiter.hit("send.identical", "same")


async def test_a_refused_request_is_not_counted(make_limiter: Factory) -> None:
    rules = {"tiny": WindowRule("tiny", 2, window=0.3)}
    limiter = make_limiter(rules=rules)
    await limiter.hit("tiny")
    await limiter.hit("tiny")
    for _ in range(3):
        with pytest.raises(LimitExceededError):
            await limiter.hit("tiny")


async def test_data_driven_rules_count_each_key_apart(make_limiter: Factory) -> None:
    rules = {"users.change": DEFAULT_RULES["users.change"]}
    limiter = make_limiter(rules=rules)
    for _ in range(3):
        await limiter.hit("users.change", "sub-1")
    with pytest.raises(LimitExceededError, match=r"users\.change: at most 3"):
        await limiter.hit("users.change", "sub-1")
    await limiter.hit("users.change", "sub-2")


async def test_a_request_fits_again_once_the_window_has_passed(make_limiter: Factory) -> None:
    limiter = make_limiter(rules={"short": WindowRule("short", 1, window=0.2)})
    await limiter.hit("short")
    with pytest.raises(LimitExceededError) as caught:
        await limiter.hit("short")
    await asyncio.sleep(caught.value.retry_after + 0.05)
    await limiter.hit("short")


async def test_an_unknown_rule_is_a_configuration_error(make_limiter: Factory) -> None:
    with pytest.raises(ConfigurationError, match="no limiter rule named 'nope'"):
        await make_limiter().hit("nope")


async def test_redis_limiters_share_the_balance_budget(redis_url: str, login: str) -> None:
    async with (
        RedisLimiter(redis_url, login=login) as one,
        RedisLimiter(redis_url, login=login) as two,
    ):
        for _ in range(5):
            await one.hit("balance")
            await two.hit("balance")
        with pytest.raises(LimitExceededError):
            await two.hit("balance")
    async with RedisLimiter(redis_url, login=login + "-other") as other_login:
        await other_login.hit("balance")


async def test_redis_keys_hold_no_phone_or_text(redis_url: str, redis: Redis, login: str) -> None:
    async with RedisLimiter(redis_url, login=login) as limiter:
        await limiter.hit("send.identical", "79991234567 Your code: 1234")
        await limiter.hit("status", "1234:79991234567")
    keys = [key async for key in redis.scan_iter(match=f"smsc:{{{login}}}:*")]
    assert len(keys) == 2
    assert all(b"7999" not in key and b"code" not in key for key in keys)


async def test_scripts_are_loaded_again_after_a_script_flush(
    redis_url: str, redis: Redis, login: str
) -> None:
    async with RedisLimiter(redis_url, login=login) as limiter:
        await limiter.hit("balance")
        await redis.script_flush()
        await limiter.hit("balance")  # EVALSHA answers NOSCRIPT; EVAL runs and caches it
        async with limiter.slot():
            pass


def test_in_process_windows_use_the_given_clock() -> None:
    now = [100.0]
    limiter = InProcessLimiter(clock=lambda: now[0])

    async def scenario() -> None:
        for _ in range(5):
            await limiter.hit("status", "1")
        with pytest.raises(LimitExceededError) as caught:
            await limiter.hit("status", "1")
        assert caught.value.retry_after == pytest.approx(61.0)
        now[0] += 61.0
        await limiter.hit("status", "1")

    asyncio.run(scenario())


def test_in_process_limiter_forgets_windows_that_have_passed() -> None:
    now = [0.0]
    limiter = InProcessLimiter(clock=lambda: now[0])

    async def scenario() -> None:
        for n in range(2000):
            now[0] += 1.0
            await limiter.hit("status", str(n))

    asyncio.run(scenario())
    assert len(limiter._windows) < 1100  # swept every 1024 hits; each window lasts 61 s


async def test_in_process_slots_cap_requests_in_flight() -> None:
    limiter = InProcessLimiter(max_concurrency=2)
    gate = asyncio.Event()
    peak = 0

    async def request() -> None:
        nonlocal peak
        async with limiter.slot():
            peak = max(peak, limiter.in_flight)
            await gate.wait()

    tasks = [asyncio.create_task(request()) for _ in range(5)]
    for _ in range(10):
        await asyncio.sleep(0)
    assert limiter.in_flight == 2
    gate.set()
    await asyncio.gather(*tasks)
    assert (peak, limiter.in_flight) == (2, 0)


@pytest.mark.parametrize(
    "arguments",
    [{"name": "", "limit": 1}, {"name": "x", "limit": 0}, {"name": "x", "limit": 1, "window": 0}],
)
def test_a_bad_window_rule_is_a_configuration_error(arguments: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        WindowRule(**arguments)  # type: ignore[arg-type]


def test_fingerprint_parts_do_not_run_together() -> None:
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint("79991234567", "hi") == fingerprint("79991234567", "hi")


async def test_undoing_a_hit_twice_or_of_an_unknown_window_is_harmless() -> None:
    limiter = InProcessLimiter()
    hit = await limiter.hit("balance")
    await limiter.undo(hit)
    await limiter.undo(hit)
    await limiter.undo(type(hit)("status", "never-counted", "0"))
    for _ in range(10):
        await limiter.hit("balance")


class _StallingLimiter(InProcessLimiter):
    """Counts as usual, but a hit of ``stall_rule`` waits until the test cancels it."""

    def __init__(self, stall_rule: str) -> None:
        super().__init__()
        self.stall_rule = stall_rule
        self.stalled = asyncio.Event()

    async def hit(self, rule: str, key: str = "") -> Hit:
        if rule == self.stall_rule:
            self.stalled.set()
            await asyncio.Event().wait()  # until cancelled
        return await super().hit(rule, key)


async def test_counts_taken_before_a_cancellation_are_taken_back() -> None:
    limiter = _StallingLimiter("balance")
    counting = asyncio.create_task(
        count_all(limiter, [("send.identical", "same"), ("balance", "")])
    )
    await limiter.stalled.wait()
    counting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await counting
    await limiter.hit("send.identical", "same")  # the first count was taken back


async def test_an_admission_cancelled_while_counting_gives_its_slot_and_counts_back() -> None:
    limiter = _StallingLimiter("balance")
    limiter_slots = limiter.max_concurrency

    async def admitted() -> None:
        async with admission(limiter, [("send.identical", "same"), ("balance", "")]):
            pass

    task = asyncio.create_task(admitted())
    await limiter.stalled.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert limiter.in_flight == 0 < limiter_slots
    await limiter.hit("send.identical", "same")
