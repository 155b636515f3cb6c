"""Loopback HTTP servers that fail on demand, for the failover tests.

Every server listens on its own port of 127.0.0.1 and counts the requests it received in
full, so a test can prove that a send reached the servers together at most once.

* :class:`LoopbackServer` speaks just enough HTTP/1.1 (keep-alive, ``Content-Length``
  bodies). Its :class:`Behaviour` decides what a request gets: a good answer, HTTP 500, an
  empty body, garbage, a connection closed mid-body, or no answer at all. Until
  :meth:`LoopbackServer.listen` it only holds its port, so connections are refused.
* :class:`BlackholeServer` accepts no connection and keeps its backlog full, so a connect
  attempt hangs until the client's connect timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import gzip
import json
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx

from smsc._wire import COMMANDS

__all__ = [
    "Behaviour",
    "BlackholeServer",
    "FakeClock",
    "LoopbackServer",
    "RecordedRequest",
    "Servers",
    "is_json",
    "post",
    "smsc_answer",
]

_GARBAGE = b"<html><body>502 Bad Gateway</body></html>"


class Behaviour(enum.Enum):
    """What a :class:`LoopbackServer` does with a request it received."""

    OK = "ok"  # 200 with the answer of its ``answer`` function
    ERROR_500 = "500"  # HTTP 500 with a short text body
    EMPTY = "empty"  # 200 with an empty body
    GARBAGE = "garbage"  # 200 with an HTML page instead of JSON
    CLOSE_MID = "close mid-response"  # headers and half of the body, then the socket closes
    HANG = "hang"  # reads the request and never answers
    TRICKLE = "trickle"  # headers, then one byte of the body every 20 ms, never all of it
    HUGE = "huge"  # says Content-Length 96 MiB and sends zeros until the client hangs up
    ENDLESS = "endless"  # a chunked body of 1 MiB chunks that does not end (96 of them)
    GZIP_BOMB = "gzip bomb"  # 130 KB of gzip that inflate to 128 MiB of spaces


class RecordedRequest:
    """One request a server received in full: path and decoded form fields."""

    def __init__(self, path: str, body: bytes) -> None:
        self.path = path
        self.form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))

    def __repr__(self) -> str:
        return f"RecordedRequest({self.path!r}, id={self.form.get('id')!r})"


Answer = Callable[[RecordedRequest], bytes]


def smsc_answer(request: RecordedRequest) -> bytes:
    """A plausible ``fmt=3`` answer for the command in ``request.path``."""
    if request.path.endswith("/send.php") and request.form.get("cost") == "1":
        return json.dumps({"cost": "3.50", "cnt": 1}).encode()
    if request.path.endswith("/send.php"):
        return json.dumps({"id": request.form.get("id", "1"), "cnt": 1}).encode()
    if request.path.endswith("/status.php"):
        return json.dumps({"status": 1, "last_date": "01.01.2024 12:00:00"}).encode()
    return json.dumps({"balance": "100.50", "currency": "RUB"}).encode()


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1 whose behaviour a test sets (and may change)."""

    def __init__(self, behaviour: Behaviour = Behaviour.OK, answer: Answer = smsc_answer) -> None:
        self.behaviour = behaviour
        self.answer = answer
        self.received: list[RecordedRequest] = []
        self._sock: socket.socket | None = _bound_socket()
        self.port: int = self._sock.getsockname()[1]
        self._server: asyncio.Server | None = None
        self._release = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """The server's base URL, ``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def count(self) -> int:
        """How many requests arrived in full."""
        return len(self.received)

    async def listen(self) -> LoopbackServer:
        """Start accepting connections (before this, connecting is refused)."""
        assert self._sock is not None
        assert self._server is None
        sock, self._sock = self._sock, None
        # A deep accept queue: the kernel completes a crowd's handshakes even while a busy
        # machine runs this loop slowly (a full queue drops SYNs, and a 1 s connect times out).
        self._server = await asyncio.start_server(self._serve, sock=sock, backlog=1024)
        return self

    async def close(self) -> None:
        """Release hanging handlers, close every connection and the port."""
        self._release.set()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._handlers:
            await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            while await self._one_exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._handlers.discard(task)

    async def _one_exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Serve one request; False when the connection is to be closed."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length)
        request = RecordedRequest(path, body)
        self.received.append(request)
        behaviour = self.behaviour
        if behaviour is Behaviour.HANG:
            await self._release.wait()
            return False
        if behaviour is Behaviour.TRICKLE:
            # Each read gets a byte well within any read timeout: only a bound on the whole
            # exchange (the call's deadline) ends it.
            writer.write(_head(200, 1_000_000))
            while not self._release.is_set():
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(0.02)
            return False
        if behaviour in (Behaviour.HUGE, Behaviour.ENDLESS):
            endless = behaviour is Behaviour.ENDLESS
            writer.write(_head(200, None if endless else 96 << 20))
            chunk = b"0" * (1 << 20)
            for _ in range(96):  # until the client hangs up (ConnectionError), or 96 MiB
                writer.write(b"100000\r\n" + chunk + b"\r\n" if endless else chunk)
                await writer.drain()
            return False
        if behaviour is Behaviour.GZIP_BOMB:
            writer.write(_head(200, len(gzip_bomb()), encoding="gzip") + gzip_bomb())
            await writer.drain()
            return True
        if behaviour is Behaviour.CLOSE_MID:
            payload = self.answer(request)
            writer.write(_head(200, len(payload)) + payload[: len(payload) // 2])
            await writer.drain()
            return False
        status, payload = {
            Behaviour.OK: (200, b""),
            Behaviour.ERROR_500: (500, b"Internal Server Error"),
            Behaviour.EMPTY: (200, b""),
            Behaviour.GARBAGE: (200, _GARBAGE),
        }[behaviour]
        if behaviour is Behaviour.OK:
            payload = self.answer(request)
        writer.write(_head(status, len(payload)) + payload)
        await writer.drain()
        return True


def _head(status: int, length: int | None, *, encoding: str | None = None) -> bytes:
    reason = {200: "OK", 500: "Internal Server Error"}[status]
    size = "Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}"
    coding = f"Content-Encoding: {encoding}\r\n" if encoding else ""
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n{coding}"
        f"{size}\r\nConnection: keep-alive\r\n\r\n"
    ).encode("ascii")


@functools.cache
def gzip_bomb() -> bytes:
    """130 KB of gzip that inflate to 128 MiB (made once, when a test first asks)."""
    return gzip.compress(b" " * (128 << 20), compresslevel=9)


class BlackholeServer:
    """A listening port whose accept queue is full: connecting hangs (SYNs are dropped).

    Linux accepts ``backlog + 1`` pending connections; with a backlog of 0 one connection of
    our own fills the queue, and nothing is ever accepted.
    """

    def __init__(self) -> None:
        self._listener = _bound_socket()
        self._listener.listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._filler = socket.create_connection(("127.0.0.1", self.port), timeout=5)

    @property
    def url(self) -> str:
        """The server's base URL, ``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Close the filler connection and the port."""
        self._filler.close()
        self._listener.close()


class Servers:
    """Owns the servers a test starts and closes them all at the end."""

    def __init__(self) -> None:
        self._servers: list[LoopbackServer] = []
        self._blackholes: list[BlackholeServer] = []

    async def start(
        self, behaviour: Behaviour = Behaviour.OK, answer: Answer = smsc_answer
    ) -> LoopbackServer:
        """A listening server with ``behaviour``."""
        return await self.refusing(behaviour, answer).listen()

    def refusing(
        self, behaviour: Behaviour = Behaviour.OK, answer: Answer = smsc_answer
    ) -> LoopbackServer:
        """A server that refuses connections until its ``listen()`` is awaited."""
        server = LoopbackServer(behaviour, answer)
        self._servers.append(server)
        return server

    def blackhole(self) -> BlackholeServer:
        """A port where connecting hangs."""
        server = BlackholeServer()
        self._blackholes.append(server)
        return server

    async def close(self) -> None:
        """Close every server started through this object."""
        for server in self._servers:
            await server.close()
        for blackhole in self._blackholes:
            blackhole.close()


class FakeClock:
    """A monotonic clock that moves only when a test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


def is_json(body: bytes) -> bool:
    """The body check the SDK's client passes: a well-formed JSON document."""
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


async def post(
    client: httpx.AsyncClient,
    base_url: str,
    operation: str,
    form: dict[str, str] | None = None,
    *,
    deadline_in: float | None = None,
    timeout: httpx.Timeout | None = None,
) -> httpx.Response:
    """POST ``form`` to ``<base_url>/sys/<operation>.php`` the way the SDK's client does.

    ``deadline_in`` is the call's deadline in seconds from now.
    """
    extensions: dict[str, Any] = {
        "smsc_operation": operation,
        "smsc_may_repeat": operation in COMMANDS and COMMANDS[operation].may_repeat,
        "smsc_body_check": is_json,
    }
    if deadline_in is not None:
        extensions["smsc_deadline"] = time.monotonic() + deadline_in
    return await client.post(
        f"{base_url}/sys/{operation}.php",
        data={"login": "alice", "psw": "s3cret-password", **(form or {})},
        extensions=extensions,
        timeout=timeout if timeout is not None else httpx.Timeout(5.0),
    )
