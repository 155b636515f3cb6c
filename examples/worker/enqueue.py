"""Enqueue sends for the workers of ``sms_tasks.py``: ``python enqueue.py COUNT [PREFIX]``.

Each job carries its own message id (``PREFIX-N``): the id the service files the message
under, which is what lets a worker settle an unknown outcome through ``status``.
"""

from __future__ import annotations

import asyncio
import sys

from sms_tasks import broker, send_sms


def phone_of(number: int) -> str:
    """The recipient of job ``number`` (test numbers: one per job)."""
    return f"7999{number:07d}"


async def enqueue(count: int, prefix: str = "job") -> list[str]:
    """Enqueue ``count`` sends; returns their job (message) ids."""
    await broker.startup()
    try:
        jobs = []
        for number in range(count):
            job = f"{prefix}-{number}"
            await send_sms.kiq(job, phone_of(number), f"Your code is {number:06d}")
            jobs.append(job)
        return jobs
    finally:
        await broker.shutdown()


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    asyncio.run(enqueue(count, sys.argv[2] if len(sys.argv) > 2 else "job"))
    print(f"enqueued {count} sends")
