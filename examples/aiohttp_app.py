"""An aiohttp service that sends SMS through smsc and receives SMSC's delivery callbacks.

Run it (needs ``pip install "smsc-async[aiohttp]"``)::

    export SMSC_LOGIN=... SMSC_PASSWORD=... SMSC_CALLBACK_SECRET=...
    python examples/aiohttp_app.py

and set ``https://<your host>/smsc/callback`` as the callback URL in the SMSC account.

Endpoints (the same as ``fastapi_app.py``):

* ``POST /messages`` with ``{"phones": ["79991234567"], "text": "Hi"}``: send; answers the id.
* ``GET /messages/{id}?phone=79991234567``: the status, asked from SMSC through the SDK.
* ``POST /smsc/callback``: SMSC's delivery-status callback (form fields, signed).
* ``GET /messages/{id}/callbacks``: the callbacks recorded for a message.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import BaseModel, Field, SecretStr, ValidationError

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

__all__ = [
    "CALLBACK_LOG",
    "CALLBACK_SECRET",
    "CALLBACK_SEEN",
    "SMSC_CLIENT",
    "CallbackLog",
    "create_app",
]

ClientFactory = Callable[[], AsyncSMSCClient]
"""Builds the app's one client; the default, ``AsyncSMSCClient``, reads ``SMSC_*`` variables."""


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


class SendBody(BaseModel):
    """What ``POST /messages`` takes."""

    phones: list[str] = Field(min_length=1)
    text: str


# --8<-- [start:keys]
# Typed app keys: ``request.app[SMSC_CLIENT]`` is an ``AsyncSMSCClient`` for mypy too.
SMSC_CLIENT = web.AppKey("smsc_client", AsyncSMSCClient)
CALLBACK_SECRET = web.AppKey("smsc_callback_secret", SecretStr)
CALLBACK_LOG = web.AppKey("smsc_callback_log", CallbackLog)
CALLBACK_SEEN = web.AppKey("smsc_callback_seen", MemoryDeduplicator)
CALLBACK_CLOCK: web.AppKey[Callable[[], datetime]] = web.AppKey("smsc_callback_clock")
# --8<-- [end:keys]

routes = web.RouteTableDef()


# --8<-- [start:messages]
@routes.post("/messages")
async def send_message(request: web.Request) -> web.Response:
    """Send one text to the phones given."""
    try:
        body = SendBody.model_validate_json(await request.read())
    except ValidationError as exc:
        return web.json_response(
            {"detail": exc.errors(include_input=False, include_url=False)}, status=422
        )
    result = await request.app[SMSC_CLIENT].send(body.phones, body.text)
    return web.json_response({"id": result.id, "sms_count": result.count})


@routes.get("/messages/{message_id}")
async def message_status(request: web.Request) -> web.Response:
    """Ask SMSC for the message's status (SMSC allows five a minute per message)."""
    message_id = request.match_info["message_id"]
    phone = request.query.get("phone")
    if not phone:
        return web.json_response({"detail": "the phone query parameter is required"}, status=422)
    status = await request.app[SMSC_CLIENT].status(message_id, phone)
    return web.json_response(
        {
            "id": message_id,
            "phone": phone,
            "status": int(status.status),
            "final": status.is_final,
            "delivered": status.is_delivered,
        }
    )


# --8<-- [end:messages]


# --8<-- [start:callback]
def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


CALLBACK_MAX_BYTES = 8192
"""A callback is a few hundred bytes of form fields; anything larger is refused unread."""

CALLBACK_MAX_AGE = timedelta(hours=24)
"""Refuse a callback whose time is further from now (a replay from 2020); allow the retries."""


async def callback_fields(request: web.Request) -> dict[str, str]:
    """The fields of a url-encoded callback, refusing other bodies before reading them.

    The route is public: a multipart upload or a huge body is answered 415 or 413 from its
    headers (``request.post()`` would first read a multipart body of up to 1 MiB).
    """
    if request.content_type != "application/x-www-form-urlencoded":
        raise web.HTTPUnsupportedMediaType(text="a callback is a url-encoded form")
    declared = request.content_length
    if declared is not None and declared > CALLBACK_MAX_BYTES:
        raise web.HTTPRequestEntityTooLarge(CALLBACK_MAX_BYTES, declared)
    body = bytearray()
    async for chunk in request.content.iter_any():  # a chunked body: counted as it comes
        body += chunk
        if len(body) > CALLBACK_MAX_BYTES:
            raise web.HTTPRequestEntityTooLarge(CALLBACK_MAX_BYTES, len(body))
    # Strict UTF-8 (an invalid byte is a UnicodeDecodeError); a bounded number of fields.
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                      max_num_fields=100)  # fmt: skip
    return dict(pairs)


@routes.post("/smsc/callback")
async def smsc_callback(request: web.Request) -> web.Response:
    """Check and record one delivery-status callback from SMSC."""
    try:
        fields = await callback_fields(request)
        callback = await accept_callback(
            fields,
            seen=request.app[CALLBACK_SEEN],
            secrets=request.app[CALLBACK_SECRET],
            max_age=CALLBACK_MAX_AGE,
            clock=request.app[CALLBACK_CLOCK],
        )
    except DuplicateCallbackError:
        return web.Response(text="OK")  # a repeat: answered 200, or SMSC sends it again
    except CallbackSignatureError:
        raise web.HTTPForbidden(text="bad callback signature") from None
    except (MalformedCallbackError, StaleCallbackError, ValueError) as exc:
        # ValueError: invalid UTF-8 or too many fields in the body.
        raise web.HTTPBadRequest(text=f"refused callback: {exc}") from None
    request.app[CALLBACK_LOG].record(callback)
    return web.Response(text="OK")


# --8<-- [end:callback]


@routes.get("/messages/{message_id}/callbacks")
async def message_callbacks(request: web.Request) -> web.Response:
    """The callbacks recorded for a message, in the order they arrived."""
    message_id = request.match_info["message_id"]
    recorded = request.app[CALLBACK_LOG].for_message(message_id)
    # Callbacks can arrive out of order: a late "transferred" must not hide "delivered".
    final = [cb for cb in recorded if cb.is_final]
    views: list[dict[str, Any]] = [
        {
            **cb.model_dump(mode="json", include={"phone", "status", "error", "time"}),
            "final": cb.is_final,
        }
        for cb in recorded
    ]
    return web.json_response(
        {
            "id": message_id,
            "callbacks": views,
            "final_status": int(final[-1].status) if final else None,
        }
    )


@web.middleware
async def smsc_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn the SDK's errors into JSON answers: 422 for bad input, 502 for the rest."""
    try:
        return await handler(request)
    except SMSCError as exc:
        # The SDK's error texts hold no password, key or full phone number: safe to return.
        status = 422 if isinstance(exc, RequestValidationError) else 502
        return web.json_response({"error": type(exc).__name__, "detail": str(exc)}, status=status)


# --8<-- [start:create_app]
def create_app(
    *,
    client_factory: ClientFactory | None = None,
    callback_secret: str | SecretStr | None = None,
    callback_clock: Callable[[], datetime] | None = None,
) -> web.Application:
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

    async def smsc_client(app: web.Application) -> AsyncIterator[None]:
        # One client for the app's whole life, shared by every request: it keeps the
        # connection pool and caps the requests in flight below SMSC's limit.
        async with factory() as client:
            app[SMSC_CLIENT] = client
            yield
        # Leaving ``async with`` at cleanup closed the client and its connections.

    app = web.Application(middlewares=[smsc_errors])
    app[CALLBACK_SECRET] = SecretStr(secret) if isinstance(secret, str) else secret
    app[CALLBACK_LOG] = CallbackLog()
    # Remembers the callbacks accepted (one process; share a store such as RedisSeenSet
    # between workers): a repeat or a replay of one is not processed twice.
    app[CALLBACK_SEEN] = MemoryDeduplicator()
    app[CALLBACK_CLOCK] = callback_clock or _utc_now
    app.cleanup_ctx.append(smsc_client)
    app.add_routes(routes)
    return app


# --8<-- [end:create_app]


if __name__ == "__main__":
    web.run_app(
        create_app(),
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8080")),
        # The access log would write phone numbers (``?phone=``) at INFO.
        access_log=None,
    )
