"""Sending SMS from a fleet of taskiq workers that share one SMSC login through Redis.

Run the workers (as many processes and machines as you like) and enqueue sends::

    taskiq worker sms_tasks:broker --workers 4
    python enqueue.py 1000

Each worker process opens ONE ``AsyncSMSCClient`` at start and closes it at shutdown. The
clients share a ``RedisLimiter``, so the whole fleet stays under the login's limits (at most
``max_concurrency`` requests in flight, never 15). A task retries only what the SDK marks
``retryable`` (nothing was sent); a send whose outcome is unknown (the request may have
reached the service) is never sent blindly again: it is settled through ``status`` once the
earlier attempt can no longer be in flight. A job is a Redis stream entry, acknowledged when
its task ends; entries of a worker killed with ``kill -9`` are given to the others after
``WORKER_RECLAIM_AFTER`` seconds, and settled the same way.

Settings (environment): ``SMSC_LOGIN``/``SMSC_PASSWORD`` (or ``SMSC_API_KEY``), ``SMSC_HOST``,
``SMSC_ALLOW_HTTP``, ``SMSC_TIMEOUT``, ``SMSC_CONNECT_TIMEOUT``; ``SMSC_MAX_CONCURRENCY`` (the
fleet's cap, default 10); ``SMSC_LEASE_TTL`` (seconds before a killed worker's slots come
back, default 30); ``REDIS_URL``; ``WORKER_QUEUE`` (the stream, default ``smsc:sends``);
``WORKER_RECLAIM_AFTER`` (seconds before a dead worker's jobs go to the others, default 60).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis
from taskiq import TaskiqEvents, TaskiqState
from taskiq_redis import RedisStreamBroker

from smsc import (
    AsyncSMSCClient,
    IdenticalRequestError,
    LimitExceededError,
    RedisLimiter,
    SendOutcomeUnknownError,
    SMSCConfig,
    SMSCError,
    StatusCode,
    TooManyRequestsError,
)

log = logging.getLogger("sms_tasks")

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = os.environ.get("WORKER_QUEUE", "smsc:sends")
RECLAIM_AFTER = float(os.environ.get("WORKER_RECLAIM_AFTER", "60"))
MAX_TRIES = 5
"""Attempts of a send refused with a retryable error (nothing was sent) before giving up."""

broker = RedisStreamBroker(
    url=REDIS_URL,
    queue_name=QUEUE,
    consumer_group_name=f"{QUEUE}:workers",
    idle_timeout=int(RECLAIM_AFTER * 1000),
    unacknowledged_lock_timeout=5.0,
    xread_count=10,  # fetch a few jobs at a time: the fleet's cap is what limits throughput
)


# ----------------------------------------------------------------------------- the ledger


class Ledger:
    """Per job, in Redis: when its current attempt began, and its final outcome.

    ``began`` is a token (time and a random part) set when an attempt starts; a job that has
    one and no outcome may have been sent. Only the holder of the current token sends: taking
    over (after settling) replaces the token atomically.
    """

    _TAKE_OVER = """
    if redis.call('HGET', KEYS[1], 'began') == ARGV[1] then
        redis.call('HSET', KEYS[1], 'began', ARGV[2])
        return 1
    end
    return 0
    """

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._take_over = redis.register_script(self._TAKE_OVER)

    @staticmethod
    def key(job: str) -> str:
        return f"{QUEUE}:job:{job}"

    @staticmethod
    def token() -> str:
        return f"{time.time():.3f}:{uuid.uuid4().hex[:8]}"

    async def outcome(self, job: str) -> str | None:
        value = await self.redis.hget(self.key(job), "outcome")
        return None if value is None else str(value)

    async def begin(self, job: str) -> str | None:
        """A token if this is the job's first attempt, else None (an attempt began before)."""
        token = self.token()
        first = await self.redis.hsetnx(self.key(job), "began", token)
        return token if first else None

    async def began(self, job: str) -> str:
        value = await self.redis.hget(self.key(job), "began")
        return "" if value is None else str(value)

    async def take_over(self, job: str, old: str) -> str | None:
        """A new token if the attempt ``old`` is still the current one, else None."""
        token = self.token()
        return token if await self._take_over(keys=[self.key(job)], args=[old, token]) else None

    async def settled(self, job: str, finding: str) -> None:
        """Note what ``status`` found of an earlier attempt: ``found`` or ``absent``."""
        await self.redis.hset(self.key(job), "settled", finding)

    async def finish(self, job: str, outcome: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key(job), "outcome", outcome)
            pipe.sadd(f"{QUEUE}:finished", job)
            pipe.expire(self.key(job), 7 * 86_400)
            await pipe.execute()

    async def note_unknown(self, job: str) -> None:
        await self.redis.hincrby(self.key(job), "unknown", 1)


# ----------------------------------------------------------------------------- the worker


@dataclass
class Worker:
    """What one worker process holds: its client, the shared limiter, the ledger."""

    client: AsyncSMSCClient
    limiter: RedisLimiter
    redis: Redis
    ledger: Ledger
    settle_after: float
    reclaimer: asyncio.Task[None]


_worker: Worker | None = None


# --8<-- [start:lifecycle]
@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def start_worker(state: TaskiqState) -> None:
    """One client per worker process, on the limiter the fleet shares."""
    global _worker
    config = client_config()
    limiter = shared_limiter(config)
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    _worker = Worker(
        client=AsyncSMSCClient(config=config, limiter=limiter),
        limiter=limiter,
        redis=redis,
        ledger=Ledger(redis),
        # An attempt that began this long ago is over, whatever happened to its worker.
        settle_after=config.timeout + config.connect_timeout + 1.0,
        reclaimer=asyncio.create_task(_reclaim_forever(redis)),
    )


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def stop_worker(state: TaskiqState) -> None:
    """Close what the worker opened (the client never closes the limiter it was given)."""
    global _worker
    if _worker is None:
        return
    worker, _worker = _worker, None
    worker.reclaimer.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker.reclaimer
    await worker.client.aclose()
    await worker.limiter.aclose()
    await worker.redis.aclose()


# --8<-- [end:lifecycle]


async def _reclaim_forever(redis: Redis) -> None:
    """Put back in the queue the jobs a dead worker had taken and never acknowledged.

    (The broker reclaims them too, but only when new jobs arrive; this runs when the queue is
    quiet as well.)
    """
    group = broker.consumer_group_name
    while True:
        await asyncio.sleep(RECLAIM_AFTER / 2)
        with contextlib.suppress(Exception):
            _, claimed, *_ = await redis.xautoclaim(
                QUEUE, group, f"reclaimer-{os.getpid()}", int(RECLAIM_AFTER * 1000), count=100
            )
            for entry_id, fields in claimed:
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.xadd(QUEUE, fields)
                    pipe.xack(QUEUE, group, entry_id)
                    await pipe.execute()


def client_config() -> SMSCConfig:
    """The client's settings: ``SMSC_*`` of the environment, with the fleet's cap."""
    numbers = {
        "max_concurrency": ("SMSC_MAX_CONCURRENCY", int),
        "timeout": ("SMSC_TIMEOUT", float),
        "connect_timeout": ("SMSC_CONNECT_TIMEOUT", float),
    }
    overrides = {
        field: convert(os.environ[name])
        for field, (name, convert) in numbers.items()
        if os.environ.get(name)
    }
    return SMSCConfig.from_env(**overrides)


def shared_limiter(config: SMSCConfig) -> RedisLimiter:
    """The limiter of the login, shared by every process that uses the same Redis."""
    return RedisLimiter(
        REDIS_URL,
        login=config.login or "api-key",
        max_concurrency=config.max_concurrency,
        lease_ttl=float(os.environ.get("SMSC_LEASE_TTL", "30")),
    )


def _worker_state() -> Worker:
    if _worker is None:
        raise RuntimeError("the worker has not started")
    return _worker


# ----------------------------------------------------------------------------- the task


# --8<-- [start:task]
@broker.task(task_name="send_sms")
async def send_sms(job: str, phone: str, text: str) -> str:
    """Send ``text`` to ``phone`` once, as message id ``job``; returns the outcome."""
    worker = _worker_state()
    outcome = await worker.ledger.outcome(job)
    if outcome is not None:
        return outcome  # a repeat of a finished job
    token = await worker.ledger.begin(job)
    if token is None:
        return await _settle(worker, job, phone, text)  # an earlier attempt may have sent it
    return await _attempt(worker, job, phone, text, token)


async def _attempt(
    worker: Worker, job: str, phone: str, text: str, token: str, *, absent: bool = False
) -> str:
    for tries in range(1, MAX_TRIES + 1):
        try:
            await worker.client.send(phone, text, id=job)
        except SendOutcomeUnknownError:
            await worker.ledger.note_unknown(job)
            return await _settle(worker, job, phone, text)
        except SMSCError as exc:
            # An identical send is refused because one may have been accepted; when status
            # proved that this job's earlier attempt never arrived, it is safe to wait it out.
            retryable = exc.retryable or (absent and isinstance(exc, IdenticalRequestError))
            if not retryable or tries == MAX_TRIES:
                log.warning("job %s failed: %s", job, type(exc).__name__)
                await worker.ledger.finish(job, f"failed:{type(exc).__name__}")
                return "failed"
            await asyncio.sleep(_retry_delay(exc, tries))
            # Nothing was sent; send again only while this attempt is still the job's own.
            renewed = await worker.ledger.take_over(job, token)
            if renewed is None:
                return await _settle(worker, job, phone, text)
            token = renewed
            continue
        await worker.ledger.finish(job, "accepted")
        return "accepted"
    raise AssertionError("unreachable")


async def _settle(worker: Worker, job: str, phone: str, text: str) -> str:
    """Find out through ``status`` whether an earlier attempt reached the service."""
    while True:
        began = await worker.ledger.began(job)
        started = float(began.split(":", 1)[0] or 0)
        await asyncio.sleep(max(0.0, started + worker.settle_after - time.time()))
        outcome = await worker.ledger.outcome(job)
        if outcome is not None:
            return outcome  # the other attempt finished meanwhile
        status = await _status(worker, job, phone)
        if status != StatusCode.NOT_FOUND:
            await worker.ledger.settled(job, "found")
            await worker.ledger.finish(job, "accepted")
            return "accepted"
        await worker.ledger.settled(job, "absent")
        token = await worker.ledger.take_over(job, began)
        if token is not None:  # it never reached the service: send it now
            return await _attempt(worker, job, phone, text, token, absent=True)


async def _status(worker: Worker, job: str, phone: str) -> int:
    for tries in range(1, 100):
        try:
            return (await worker.client.status(job, phone)).status
        except SMSCError as exc:
            if not exc.retryable:
                raise
            await asyncio.sleep(_retry_delay(exc, tries))
    raise RuntimeError(f"status of job {job} could not be read")


# --8<-- [end:task]


def _retry_delay(exc: SMSCError, tries: int) -> float:
    if isinstance(exc, LimitExceededError):
        return exc.retry_after
    if isinstance(exc, TooManyRequestsError) and exc.retry_after:
        return float(exc.retry_after)
    return min(0.2 * 2.0**tries, 10.0)
