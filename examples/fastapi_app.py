"""A FastAPI service that sends SMS through smsc and receives SMSC's delivery callbacks.

Run it (needs ``pip install "smsc-async[fastapi]"``)::

    export SMSC_LOGIN=... SMSC_PASSWORD=... SMSC_CALLBACK_SECRET=...
    python examples/fastapi_app.py
    # or, from examples/: uvicorn --factory fastapi_app:create_app --port 8000

and set ``https://<your host>/smsc/callback`` as the callback URL in the SMSC account.

Endpoints:

* ``POST /messages`` with ``{"phones": ["79991234567"], "text": "Hi"}``: send; answers the id.
* ``GET /messages/{id}?phone=79991234567``: the status, asked from SMSC through the SDK.
* ``POST /smsc/callback``: SMSC's delivery-status callback (form fields, signed).
* ``GET /messages/{id}/callbacks``: the callbacks recorded for a message.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field, SecretStr

from smsc import (
    AsyncSMSCClient,
    CallbackSignatureError,
    ConfigurationError,
    MalformedCallbackError,
    RequestValidationError,
    SMSCError,
)
from smsc.callbacks import (
    DeliveryStatusCallback,
    DuplicateCallbackError,
    MemoryDeduplicator,
    StaleCallbackError,
    accept_callback,
)

__all__ = ["CallbackLog", "ClientFactory", "create_app"]

ClientFactory = Callable[[], AsyncSMSCClient]
"""Builds the app's one client; the default, ``AsyncSMSCClient``, reads ``SMSC_*`` variables."""


# --8<-- [start:store]
class CallbackLog:
    """The callbacks the app accepted, each recorded once.

    In memory to keep the example short; in production use a table with a unique key on
    ``(id, phone, status)``: SMSC repeats a callback until it gets a 2xx answer.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[int | str, str, int], DeliveryStatusCallback] = {}

    def record(self, callback: DeliveryStatusCallback) -> bool:
        """Keep ``callback`` unless the same one was recorded already; True when it is new."""
        if callback.dedup_key in self._by_key:
            return False
        self._by_key[callback.dedup_key] = callback
        return True

    def for_message(self, message_id: str) -> list[DeliveryStatusCallback]:
        """The recorded callbacks of one message id, oldest first."""
        return [cb for cb in self._by_key.values() if str(cb.id) == message_id]


# --8<-- [end:store]


# ---------------------------------------------------------------------------- JSON shapes


class SendBody(BaseModel):
    """What ``POST /messages`` takes."""

    phones: list[str] = Field(min_length=1)
    text: str


class Sent(BaseModel):
    """What ``POST /messages`` answers."""

    id: int | str
    sms_count: int


class StatusView(BaseModel):
    """One message's status to one phone."""

    id: str
    phone: str
    status: int
    final: bool
    delivered: bool


class CallbackView(BaseModel):
    """One recorded callback."""

    phone: str
    status: int
    error: int | None
    time: datetime | None
    final: bool


class CallbacksView(BaseModel):
    """The callbacks recorded for one message, and its final status once one arrived."""

    id: str
    callbacks: list[CallbackView]
    final_status: int | None


# ---------------------------------------------------------------------------- dependencies


# --8<-- [start:dependencies]
def get_client(request: Request) -> AsyncSMSCClient:
    """The one client created at startup (see ``lifespan``)."""
    client: AsyncSMSCClient = request.app.state.smsc_client
    return client


def get_callback_log(request: Request) -> CallbackLog:
    """Where accepted callbacks are recorded."""
    log: CallbackLog = request.app.state.callback_log
    return log


def get_callback_secret(request: Request) -> SecretStr:
    """The callback secret set in the SMSC account."""
    secret: SecretStr = request.app.state.callback_secret
    return secret


SMSC = Annotated[AsyncSMSCClient, Depends(get_client)]
Callbacks = Annotated[CallbackLog, Depends(get_callback_log)]
CallbackSecret = Annotated[SecretStr, Depends(get_callback_secret)]
# --8<-- [end:dependencies]


# ---------------------------------------------------------------------------- handlers

router = APIRouter()


# --8<-- [start:messages]
@router.post("/messages")
async def send_message(body: SendBody, client: SMSC) -> Sent:
    """Send one text to the phones given."""
    result = await client.send(body.phones, body.text)
    return Sent(id=result.id, sms_count=result.count)


@router.get("/messages/{message_id}")
async def message_status(message_id: str, phone: str, client: SMSC) -> StatusView:
    """Ask SMSC for the message's status (SMSC allows five a minute per message)."""
    status = await client.status(message_id, phone)
    return StatusView(
        id=message_id,
        phone=phone,
        status=int(status.status),
        final=status.is_final,
        delivered=status.is_delivered,
    )


# --8<-- [end:messages]


# --8<-- [start:callback]
def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


CALLBACK_MAX_BYTES = 8192
"""A callback is a few hundred bytes of form fields; anything larger is refused unread."""

CALLBACK_MAX_AGE = timedelta(hours=24)
"""Refuse a callback whose time is further from now (a replay from 2020); allow the retries."""


async def callback_fields(request: Request) -> dict[str, str]:
    """The fields of a url-encoded callback, refusing other bodies before reading them.

    The route is public: a multipart upload or a huge body is answered 415 or 413 from its
    headers (Starlette's ``request.form()`` would first spool every upload to disk).
    """
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise HTTPException(status_code=415, detail="a callback is a url-encoded form")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > CALLBACK_MAX_BYTES):
        raise HTTPException(status_code=413, detail="callback too large")
    body = bytearray()
    async for chunk in request.stream():  # a chunked body: counted as it comes
        body += chunk
        if len(body) > CALLBACK_MAX_BYTES:
            raise HTTPException(status_code=413, detail="callback too large")
    # Strict UTF-8 (an invalid byte is a UnicodeDecodeError); a bounded number of fields.
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                      max_num_fields=100)  # fmt: skip
    return dict(pairs)


@router.post("/smsc/callback", response_class=PlainTextResponse)
async def smsc_callback(request: Request, secret: CallbackSecret, log: Callbacks) -> str:
    """Check and record one delivery-status callback from SMSC."""
    try:
        fields = await callback_fields(request)
        callback = await accept_callback(
            fields,
            seen=request.app.state.callback_seen,
            secrets=secret,
            max_age=CALLBACK_MAX_AGE,
            clock=request.app.state.callback_clock,
        )
    except DuplicateCallbackError:
        return "OK"  # a repeat: answered 200, or SMSC sends it again
    except CallbackSignatureError:
        raise HTTPException(status_code=403, detail="bad callback signature") from None
    except (MalformedCallbackError, StaleCallbackError, ValueError) as exc:
        # ValueError: invalid UTF-8 or too many fields in the body.
        raise HTTPException(status_code=400, detail=f"refused callback: {exc}") from None
    log.record(callback)
    return "OK"


# --8<-- [end:callback]


@router.get("/messages/{message_id}/callbacks")
async def message_callbacks(message_id: str, log: Callbacks) -> CallbacksView:
    """The callbacks recorded for a message, in the order they arrived."""
    recorded = log.for_message(message_id)
    # Callbacks can arrive out of order: a late "transferred" must not hide "delivered".
    final = [cb for cb in recorded if cb.is_final]
    return CallbacksView(
        id=message_id,
        callbacks=[
            CallbackView(
                phone=cb.phone,
                status=int(cb.status),
                error=None if cb.error is None else int(cb.error),
                time=cb.time,
                final=cb.is_final,
            )
            for cb in recorded
        ],
        final_status=int(final[-1].status) if final else None,
    )


async def _smsc_error(request: Request, exc: Exception) -> JSONResponse:
    # The SDK's error texts hold no password, key or full phone number: safe to return.
    status = 422 if isinstance(exc, RequestValidationError) else 502
    return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)


# ---------------------------------------------------------------------------- the app


# --8<-- [start:create_app]
def create_app(
    *,
    client_factory: ClientFactory | None = None,
    callback_secret: str | SecretStr | None = None,
    callback_clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """Build the app.

    Args:
        client_factory: builds the one ``AsyncSMSCClient`` at startup; by default
            ``AsyncSMSCClient()``, configured by ``SMSC_LOGIN``, ``SMSC_PASSWORD`` (or
            ``SMSC_API_KEY``) and ``SMSC_HOST``.
        callback_secret: the account's callback secret; by default ``SMSC_CALLBACK_SECRET``.
        callback_clock: the current time for the callbacks' freshness check (aware
            ``datetime``); by default the system's. Tests pass the emulator's clock.

    Raises:
        ConfigurationError: no callback secret.
    """
    secret = callback_secret or os.environ.get("SMSC_CALLBACK_SECRET")
    if not secret:
        raise ConfigurationError("set SMSC_CALLBACK_SECRET to the account's callback secret")
    factory = client_factory or AsyncSMSCClient

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # One client for the app's whole life, shared by every request: it keeps the
        # connection pool and caps the requests in flight below SMSC's limit.
        async with factory() as client:
            app.state.smsc_client = client
            yield
        # Leaving ``async with`` closed the client and its connections.

    app = FastAPI(title="smsc example", lifespan=lifespan)
    app.state.callback_secret = SecretStr(secret) if isinstance(secret, str) else secret
    app.state.callback_log = CallbackLog()
    # Remembers the callbacks accepted (one process; share a store such as RedisSeenSet
    # between workers): a repeat or a replay of one is not processed twice.
    app.state.callback_seen = MemoryDeduplicator()
    app.state.callback_clock = callback_clock or _utc_now
    app.include_router(router)
    app.add_exception_handler(SMSCError, _smsc_error)
    return app


# --8<-- [end:create_app]


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        create_app(),
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        # The access log would write phone numbers (``?phone=``) at INFO.
        access_log=False,
    )
