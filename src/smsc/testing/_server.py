"""Socket front end: a small asyncio HTTP/1.1 server serving the emulator's ASGI app.

It speaks just enough HTTP/1.1 for SDK clients (keep-alive, ``Content-Length`` and chunked
request bodies) and can misbehave on purpose (:class:`~smsc.testing.Fault`).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import unquote

from .._errors import ConfigurationError
from ._app import ASGIEvent, EmulatorApp
from ._faults import GARBAGE_BODY, Fault, FaultSwitch

__all__ = ["Site"]

_MAX_HEAD = 64 * 1024
_MAX_BODY = 16 * 1024 * 1024
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


class _BadRequest(Exception):
    pass


class Site:
    """One emulated site (``host:port``) over real sockets; several sites share one model.

    Create sites with :meth:`SMSCEmulator.start_site` or :meth:`SMSCEmulator.serve`.

    Attributes:
        requests: HTTP requests this site received (faulted ones included).
        connections: TCP connections it accepted.
        faults: its :class:`FaultSwitch`; prefer :meth:`set_fault` / :meth:`clear_fault`.
    """

    def __init__(
        self, app: EmulatorApp, *, host: str = "127.0.0.1", port: int = 0, name: str = ""
    ) -> None:
        self._app = app
        self.host = host
        self.port = port
        self.name = name
        self.requests = 0
        self.connections = 0
        self.faults = FaultSwitch()
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self._started = False

    @property
    def url(self) -> str:
        """The base URL of the site, e.g. ``http://127.0.0.1:8123``."""
        return f"http://{self.host}:{self.port}"

    @property
    def fault(self) -> Fault | None:
        """The fault shown now, ``None`` when the site answers normally."""
        return self.faults.fault

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._started

    async def start(self) -> None:
        """Start listening; a port of 0 picks a free one (then :attr:`port` tells which)."""
        if self._stopping.is_set():
            # Restarted after stop(): a set event would end HANG and receive() at once.
            self._stopping = asyncio.Event()
        await self._listen()
        self._started = True

    async def _listen(self) -> None:
        # A deep accept queue (as uvicorn's 2048): with the default of 100, a crowd of clients
        # on a busy machine overflows it, dropped handshakes wait a second to be retried, and a
        # short connect timeout reads a healthy emulator as unreachable.
        self._server = await asyncio.start_server(
            self._handle, self.host, self.port, reuse_address=True, limit=_MAX_HEAD, backlog=2048
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def _stop_listening(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def set_fault(self, fault: Fault | str, *, times: int | None = None) -> None:
        """Make the site fail with ``fault`` from now on, or for the next ``times`` requests.

        ``Fault.REFUSE`` closes the listening socket (new connections are refused) until
        :meth:`clear_fault`; ``times`` does not apply to it.
        """
        chosen = self.faults.set(fault, times)
        if chosen is Fault.REFUSE:
            if times is not None:
                self.faults.clear()
                raise ConfigurationError("REFUSE lasts until clear_fault(); times is not used")
            self._stop_listening()

    async def clear_fault(self) -> None:
        """Answer normally again (and listen again after ``Fault.REFUSE``)."""
        refused = self.faults.fault is Fault.REFUSE
        self.faults.clear()
        if refused and self._started and self._server is None:
            await self._listen()

    async def stop(self) -> None:
        """Stop listening and close every open connection."""
        self._started = False
        self._stopping.set()
        server = self._server
        self._stop_listening()
        for task in list(self._handlers):
            task.cancel()
        if self._handlers:
            await asyncio.gather(*self._handlers, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    # ------------------------------------------------------------------ connections

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._stopping.is_set():
            # Accepted just before stop() but started after it: stop() did not see this task.
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            return
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.connections += 1
        try:
            await self._serve_connection(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # The site is stopping. Ending normally keeps asyncio's stream machinery from
            # reporting the cancelled connection task as an error.
            pass
        except _BadRequest:
            with contextlib.suppress(ConnectionError):
                writer.write(_response(400, b"bad request", "text/plain", keep_alive=False))
                await writer.drain()
        finally:
            self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        peer = writer.get_extra_info("peername") or ("127.0.0.1", 0)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            method, target, version, headers = _parse_head(head)
            body = await _read_body(reader, headers)
            self.requests += 1
            keep_alive = _keep_alive(version, headers)
            # A HEAD answer carries the headers of the body it leaves out (RFC 9110 §9.3.2);
            # a body after it would be read as the start of the next answer on the connection.
            head_only = method == "HEAD"
            fault = self.faults.take()
            if fault is Fault.HANG:
                await self._hang(reader)
                return
            if fault is Fault.HTTP_500:
                writer.write(
                    _response(
                        500,
                        b"<html>500 Internal Server Error</html>",
                        "text/html",
                        keep_alive,
                        head_only=head_only,
                    )
                )
            elif fault is Fault.GARBAGE:
                writer.write(
                    _response(200, GARBAGE_BODY, "text/html", keep_alive, head_only=head_only)
                )
            elif fault is Fault.EMPTY:
                writer.write(_response(200, b"", "text/plain", keep_alive))
            else:
                status, media_type, payload = await self._call_app(
                    method, target, headers, body, peer
                )
                answer = _response(status, payload, media_type, keep_alive, head_only=head_only)
                if fault is Fault.CLOSE_MID_ANSWER:
                    writer.write(answer[: len(answer) - max(1, len(payload) // 2)])
                    await writer.drain()
                    return
                writer.write(answer)
            await writer.drain()
            if not keep_alive:
                return

    async def _hang(self, reader: asyncio.StreamReader) -> None:
        """Never answer: wait until the client goes away or the site stops."""
        eof = asyncio.ensure_future(reader.read(1))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({eof, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (eof, stopping):
                waiter.cancel()
            await asyncio.gather(eof, stopping, return_exceptions=True)

    async def _call_app(
        self,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        peer: Any,
    ) -> tuple[int, str, bytes]:
        raw_path, _, query = target.partition("?")
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote(raw_path),
            "raw_path": raw_path.encode("latin-1"),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": headers,
            "client": (peer[0], peer[1]),
            "server": (self.host, self.port),
        }
        sent = False
        result: dict[str, Any] = {"status": 500, "type": "text/plain", "body": []}

        async def receive() -> ASGIEvent:
            nonlocal sent
            if sent:
                await self._stopping.wait()
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: ASGIEvent) -> None:
            if message["type"] == "http.response.start":
                result["status"] = message["status"]
                for key, value in message.get("headers", []):
                    if key.lower() == b"content-type":
                        result["type"] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                result["body"].append(message.get("body", b""))

        await self._app.serve(scope, receive, send)
        return result["status"], result["type"], b"".join(result["body"])

    def __repr__(self) -> str:
        state = "running" if self._started else "stopped"
        fault = f", fault={self.fault.value}" if self.fault else ""
        return f"Site({self.url}, {state}, requests={self.requests}{fault})"


def _parse_head(head: bytes) -> tuple[str, str, str, list[tuple[bytes, bytes]]]:
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError:
        raise _BadRequest from None
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        if not line:
            continue
        name, separator, value = line.partition(":")
        if not separator:
            raise _BadRequest
        headers.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
    return method.upper(), target, version.upper(), headers


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


async def _read_body(reader: asyncio.StreamReader, headers: list[tuple[bytes, bytes]]) -> bytes:
    if (_header(headers, b"transfer-encoding") or "").lower() == "chunked":
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest from None
            if size < 0 or sum(map(len, chunks)) + size > _MAX_BODY:
                raise _BadRequest
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length_text = _header(headers, b"content-length")
    if not length_text:
        return b""
    try:
        length = int(length_text)
    except ValueError:
        raise _BadRequest from None
    if not 0 <= length <= _MAX_BODY:
        raise _BadRequest
    return await reader.readexactly(length)


def _keep_alive(version: str, headers: list[tuple[bytes, bytes]]) -> bool:
    connection = (_header(headers, b"connection") or "").lower()
    if version == "HTTP/1.0":
        return connection == "keep-alive"
    return connection != "close"


def _response(
    status: int, body: bytes, media_type: str, keep_alive: bool, *, head_only: bool = False
) -> bytes:
    reason = _REASONS.get(status, "Internal Server Error" if status >= 500 else "Unknown")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {media_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "Server: smsc-emulator\r\n\r\n"
    )
    return head.encode("latin-1") + (b"" if head_only else body)
