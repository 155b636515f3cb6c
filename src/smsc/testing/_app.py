"""The HTTP front end: the emulator as an ASGI application (``/sys/send.php``, ...).

Use it in-process with ``httpx.ASGITransport(app=emulator.app)``; the socket sites of
:mod:`._server` serve the same application. It finds the command in the route table, decodes
the parameters, hands a :class:`~._request.Request` to the :class:`~._service.Service` and
writes the answer in the requested format.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from ._answers import Answer, ErrorAnswer
from ._faults import GARBAGE_BODY, Fault, FaultSwitch
from ._formats import answer_format, content_type, render
from ._http_params import parse_request
from ._request import Request
from ._routes import ROUTES, UnknownCommandAnswer, is_command_path
from ._service import Service
from ._stats import STATS_PATH

__all__ = ["ASGIEvent", "EmulatorApp"]

Scope = MutableMapping[str, Any]
ASGIEvent = MutableMapping[str, Any]
"""One ASGI event dict (``http.request``, ``http.response.start``, ...)."""
Receive = Callable[[], Awaitable[ASGIEvent]]
Send = Callable[[ASGIEvent], Awaitable[None]]

_IN_PROCESS_FAULTS = frozenset({Fault.HANG, Fault.HTTP_500, Fault.GARBAGE, Fault.EMPTY})


class EmulatorApp:
    """ASGI application serving one :class:`~smsc.testing.SMSCEmulator`.

    Attributes:
        requests: HTTP requests received in-process (sites count their own).
        faults: faults for in-process use: ``HANG``, ``HTTP_500``, ``GARBAGE``, ``EMPTY``
            (``REFUSE`` and ``CLOSE_MID_ANSWER`` need a socket site).
        unknown_command: what a ``/sys/`` or ``/rest/`` path outside the route table answers.
    """

    def __init__(
        self,
        service: Service,
        *,
        unknown_command: UnknownCommandAnswer = UnknownCommandAnswer.PARAMETERS_ERROR,
        stats: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self._service = service
        self._stats = stats
        self.requests = 0
        self.faults = FaultSwitch(_IN_PROCESS_FAULTS)
        self.unknown_command = UnknownCommandAnswer(unknown_command)

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
        path = scope["path"]
        if path == STATS_PATH and self._stats is not None:
            figures = json.dumps(self._stats(), indent=2).encode("utf-8")
            await _respond(send, 200, figures, "application/json")
            return
        route = ROUTES.get(path)
        if route is None and (
            not is_command_path(path) or self.unknown_command is UnknownCommandAnswer.HTTP_404
        ):
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
            json_body=path.startswith("/rest/"),
        )
        fmt = answer_format(data.get("fmt"))
        client = scope.get("client")
        ip = str(client[0]) if client else "127.0.0.1"
        if data.malformed:
            answer: Answer = ErrorAnswer.of(1)
        else:
            answer = await self._service.handle(route, Request(data.params, ip, "http", path))
        charset = {"cp1251": "windows-1251"}.get(data.codec, data.codec)
        payload = render(answer, fmt).encode(data.codec, errors="replace")
        await _respond(send, 200, payload, content_type(fmt, charset))


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
