"""The few facts of a call's arguments and result that events may carry: never a phone or text.

A format's name, how many phones, how many SMS parts and the cost; nothing else is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

from .._enums import MessageFormat
from .._models.messages import CostResult, SendRequest, SendResult
from .._wire.bulk import ListSend
from ._bus import CURRENT_CALL, CallTrace, Events

__all__ = ["request_facts", "result_facts", "run_traced"]

_R = TypeVar("_R")


async def run_traced(
    events: Events,
    command: str,
    path: str,
    args: object,
    run: Callable[[CallTrace], Awaitable[_R]],
) -> _R:
    """``run`` one SDK call with its events: started, then answered or failed.

    The call is the task's current one (:data:`CURRENT_CALL`) while it runs, so that the
    failover layer's attempts, retries and switches of site name it.
    """
    message_format, recipients = request_facts(args)
    trace = CallTrace(events, command, message_format, recipients, path)
    events.emit(trace.started_event())
    token = CURRENT_CALL.set(trace)
    try:
        result = await run(trace)
    except BaseException as exc:
        trace.failed_with(exc)
        raise
    finally:
        CURRENT_CALL.reset(token)
    trace.answered(*result_facts(result))
    return result


def request_facts(args: object) -> tuple[str | None, int | None]:
    """``(message format, number of phones)`` of a send, cost or packed send; else Nones."""
    if isinstance(args, SendRequest):
        return _format_name(args.format), len(args.phones)
    if isinstance(args, ListSend):
        return _format_name(args.format), len(args.lines)
    return None, None


def result_facts(result: object) -> tuple[int | None, Decimal | None]:
    """``(SMS parts billed, cost)`` of a send's or cost's result; else Nones."""
    if isinstance(result, (SendResult, CostResult)):
        return int(result.count), result.cost
    return None, None


def _format_name(value: object) -> str | None:
    return value.value if isinstance(value, MessageFormat) else None
