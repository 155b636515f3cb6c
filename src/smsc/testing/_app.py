"""The emulator as an ASGI application: ``/sys/send.php``, ``/sys/status.php``, ...

Use it in-process with ``httpx.ASGITransport(app=emulator.app)``; the socket sites of
:mod:`._server` serve the same application.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ._answers import ErrorAnswer, content_type, render
from ._faults import GARBAGE_BODY, Fault, FaultSwitch
from ._wire import parse_request

if TYPE_CHECKING:
    from ._emulator import SMSCEmulator

__all__ = ["ROUTES", "EmulatorApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

ROUTES: dict[str, str] = {
    "/sys/send.php": "send",
    "/sys/status.php": "status",
    "/sys/balance.php": "balance",
    "/rest/send": "send",
    "/rest/send/": "send",
}
"""Path -> command. Any other path answers HTTP 404."""

_IN_PROCESS_FAULTS = frozenset({Fault.HANG, Fault.HTTP_500, Fault.GARBAGE, Fault.EMPTY})


class EmulatorApp:
    """ASGI application serving one :class:`~smsc.testing.SMSCEmulator`.

    Attributes:
        requests: HTTP requests received in-process (sites count their own).
        faults: faults for in-process use: ``HANG``, ``HTTP_500``, ``GARBAGE``, ``EMPTY``
            (``REFUSE`` and ``CLOSE_MID_ANSWER`` need a socket site).
    """

    def __init__(self, emulator: SMSCEmulator) -> None:
        self._emulator = emulator
        self.requests = 0
        self.faults = FaultSwitch(_IN_PROCESS_FAULTS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        self.requests += 1
        fault = self.faults.take()
        await self.serve(scope, receive, send, fault=fault)

    async def serve(
        self, scope: Scope, receive: Receive, send: Send, *, fault: Fault | None = None
    ) -> None:
        """Answer one HTTP request, showing ``fault`` when given."""
        body = await _read_body(receive)
        if body is None:
            return  # the client left before its request was complete: nothing to answer
        if fault is Fault.HANG:
            await asyncio.Event().wait()
        if fault is Fault.HTTP_500:
            await _respond(send, 500, b"<html><body>500 Internal Server Error</body></html>")
            return
        if fault is Fault.GARBAGE:
            await _respond(send, 200, GARBAGE_BODY)
            return
        if fault is Fault.EMPTY:
            await _respond(send, 200, b"")
            return
        command = ROUTES.get(scope["path"])
        if command is None:
            await _respond(send, 404, b"<html><body>404 Not Found</body></html>")
            return
        if scope["method"] not in ("GET", "POST"):
            await _respond(send, 405, b"<html><body>405 Method Not Allowed</body></html>")
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        data = parse_request(
            scope.get("query_string", b""),
            body,
            headers.get("content-type", b"").decode("latin-1"),
            json_body=scope["path"].startswith("/rest/"),
        )
        fmt = _fmt(data.get("fmt"))
        client = scope.get("client")
        ip = str(client[0]) if client else "127.0.0.1"
        if data.malformed:
            answer: Any = ErrorAnswer.of(1)
        else:
            answer = await self._emulator.handle(command, data, ip)
        charset = {"cp1251": "windows-1251"}.get(data.codec, data.codec)
        payload = render(answer, fmt).encode(data.codec, errors="replace")
        await _respond(send, 200, payload, content_type(fmt, charset))


def _fmt(raw: str | None) -> int:
    if raw is not None and raw.strip() in ("0", "1", "2", "3"):
        return int(raw.strip())
    return 0


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; ``None`` when the client disconnected before its end."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(
    send: Send, status: int, body: bytes, media_type: str = "text/html; charset=utf-8"
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media_type.encode("latin-1")),
                (b"content-length", str(len(body)).encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
