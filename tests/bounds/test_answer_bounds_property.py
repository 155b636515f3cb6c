"""Property (issue 23 item 1): any command's answer, however compressed, costs at most a few
MB beyond what the command may legitimately get, and never holds the event loop.

Each example sends one hostile answer (a shape built to cost many Python objects per byte,
repeated from once to four times the command's item bound, sent plain, gzip or deflate)
through the whole client pipeline of a command of ``COMMANDS`` with its sample arguments, and
measures:

- the traced memory peak of the call (tracemalloc, every thread), held to
  ``3 MiB + 4 x the decoded bytes kept + 400 B x the command's item bound``: the body is held
  about four times over at most (as inflated, its parts while inflating, as text, its
  strings), and an item costs at most ~110 B as a parsed value and ~340 B once in a model
  (measured per shape; the models are built only within the record bounds);
- the longest stretch of CPU time of the loop's own thread between two ticks of a ticker task
  (``time.thread_time``), held to 100 ms. CPU time, not wall time: a busy machine delays the
  ticker (wall time) but does not add CPU time to this thread, so the check does not flake on
  a loaded 2-core machine, and it still catches work done on the loop (parsing or inflating a
  large answer there costs its CPU time in the loop's thread, which a ticker cannot
  interrupt). What runs in a worker thread is not counted: the loop is free meanwhile.

``SMSC_BOUNDS_EXAMPLES`` sets the examples per command (default 6; the suite's normal run).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import time
import tracemalloc
import zlib
from collections.abc import Callable

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smsc
from smsc._wire import COMMANDS
from smsc._wire.bounds import AnswerBounds

from ..unit._wire.test_decoders_hostile import SAMPLE_ARGUMENTS

EXAMPLES = int(os.environ.get("SMSC_BOUNDS_EXAMPLES", "6"))
MAX_LOOP_CPU = 0.1

SHAPES: dict[str, Callable[[int], bytes]] = {
    "empty objects": lambda n: b"[" + b",".join([b"{}"] * n) + b"]",
    "decimals": lambda n: b"[" + b",".join([b"1.5"] * n) + b"]",
    "large integers": lambda n: b"[" + b",".join([b"123456789"] * n) + b"]",
    "strings": lambda n: b"[" + b",".join([b'"x"'] * n) + b"]",
    "wide object": lambda n: b"{" + b",".join(b'"k%d":1' % i for i in range(n)) + b"}",
    "statuses": lambda n: b"[" + b",".join([b'{"status":1,"id":1,"phone":"7"}'] * n) + b"]",
    "records": lambda n: (
        b"["
        + b",".join([b'{"status":1,"id":1,"int_id":5,"phone":"7","mcc":"1","login":"a"}'] * n)
        + b"]"
    ),
    "phones of a send": lambda n: (
        b'{"id":1,"cnt":1,"phones":[' + b",".join([b'{"phone":"7","status":1}'] * n) + b"]}"
    ),
    "nested lists": lambda n: b"[" * min(n, 30) + b"]" * min(n, 30),
}
CODINGS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda body: body,
    "gzip": lambda body: gzip.compress(body, 6),
    "deflate": lambda body: zlib.compress(body, 6),
}


class _Answer(httpx.AsyncBaseTransport):
    def __init__(self, packed: bytes, coding: str) -> None:
        self._packed = packed
        self._headers = {} if coding == "identity" else {"Content-Encoding": coding}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=self._headers, stream=httpx.ByteStream(self._packed))


async def _call(command: str, packed: bytes, coding: str) -> tuple[int, float]:
    """The traced peak of one call and the loop thread's longest CPU stretch during it."""
    longest = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal longest
        last = time.thread_time()
        while not done.is_set():
            await asyncio.sleep(0)
            now = time.thread_time()
            longest = max(longest, now - last)
            last = now

    async with smsc.AsyncSMSCClient(
        login="alice",
        password="secret-password",
        host="https://smsc.test",
        transport=_Answer(packed, coding),
        failover=False,
        max_retries=0,
    ) as client:
        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        tracemalloc.start()
        try:
            await client._request(COMMANDS[command], SAMPLE_ARGUMENTS[command])
        except smsc.SMSCError:
            pass
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            done.set()
            await tick
    return peak, longest


def ceiling(bounds: AnswerBounds, decoded: int) -> int:
    return (3 << 20) + 4 * min(decoded, bounds.bytes) + 400 * bounds.items


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    shape=st.sampled_from(sorted(SHAPES)),
    scale=st.floats(min_value=0.0, max_value=1.0),
    coding=st.sampled_from(sorted(CODINGS)),
)
def test_any_answer_costs_a_few_mb_beyond_its_bound_and_never_holds_the_loop(
    command: str, shape: str, scale: float, coding: str
) -> None:
    bounds = COMMANDS[command].answer_bounds(SAMPLE_ARGUMENTS[command])
    count = max(1, int((4 * bounds.items) ** scale))  # log-uniform up to 4x the bound
    body = SHAPES[shape](count)
    packed = CODINGS[coding](body)
    peak, loop_cpu = asyncio.run(_call(command, packed, coding))
    assert peak <= ceiling(bounds, len(body)), (shape, count, coding, peak)
    assert loop_cpu < MAX_LOOP_CPU, (shape, count, coding, loop_cpu)


def test_a_status_or_balance_answer_costs_a_few_mb_at_most() -> None:
    # The ceiling of the property above, for the commands of one small answer.
    for command in ("status", "balance", "delete", "job_info", "users.top_up"):
        bounds = COMMANDS[command].answer_bounds(SAMPLE_ARGUMENTS[command])
        assert ceiling(bounds, bounds.bytes) < 8 << 20, command
