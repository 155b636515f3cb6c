"""A FastAPI app run on several uvicorn workers, sharing one SMSC login through Redis.

    uvicorn sms_web:app --workers 4

Each worker process opens one ``AsyncSMSCClient`` in the app's lifespan, on the
``RedisLimiter`` every worker shares: together they stay under the login's cap, however many
requests arrive. Settings as in ``sms_tasks.py`` (``SMSC_*``, ``REDIS_URL``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel
from sms_tasks import client_config, shared_limiter

from smsc import AsyncSMSCClient, LimiterUnavailableError


class Notification(BaseModel):
    phone: str
    text: str


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    config = client_config()
    limiter = shared_limiter(config)
    async with AsyncSMSCClient(config=config, limiter=limiter) as client:
        app.state.smsc = client
        yield
    await limiter.aclose()  # the client never closes the limiter it was given


app = FastAPI(lifespan=lifespan)


def smsc_client(request: Request) -> AsyncSMSCClient:
    client: AsyncSMSCClient = request.app.state.smsc
    return client


@app.post("/notify")
async def notify(
    note: Notification, client: Annotated[AsyncSMSCClient, Depends(smsc_client)]
) -> dict[str, object]:
    try:
        sent = await client.send(note.phone, note.text)
    except LimiterUnavailableError:
        # Nothing was sent: the shared limiter is down and the app fails closed.
        raise HTTPException(503, "try again later") from None
    return {"id": sent.id, "worker": os.getpid()}
