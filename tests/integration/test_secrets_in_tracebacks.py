"""No frame of a failed call's exception chain holds the password or the API key.

Error trackers record the locals of every frame of an exception and of its causes and
contexts. Each local is rendered here as a tracker would: its ``repr``, the items of dicts,
lists, tuples and sets, bytes decoded, and the attributes (``vars()``) of objects two levels
deep. The failures come from a real loopback server (HTTP 500, a garbage body, error 2, an
answer that never comes) or a closed port (connection refused).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from smsc import (
    APIConnectionError,
    APITimeoutError,
    AsyncSMSCClient,
    AuthenticationError,
    InvalidResponseError,
    OutcomeUnknownError,
    RequestValidationError,
    SendOutcomeUnknownError,
    ServerError,
    SMSCError,
)

from .backends import current

PASSWORD = "Pa55 w0rd/très&secret"
API_KEY = "apikey-4c1d+9f/e0-very-secret"
SUB_PASSWORD = "Sub-pa55/très&hidden"  # a sub-client's password (users.add / users.change)
PHONE = "79991234567"


def _forms(secret: str) -> list[str]:
    return [secret, quote_plus(secret, safe=""), quote(secret, safe="")]


SECRET_FORMS = [*_forms(PASSWORD), *_forms(API_KEY), *_forms(SUB_PASSWORD)]


def _render(value: object, out: list[str], seen: set[int], depth: int = 0) -> None:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        out.append(value)
        return
    if isinstance(value, (bytes, bytearray, memoryview)):
        out.append(bytes(value).decode("utf-8", "replace"))
        return
    with contextlib.suppress(Exception):  # a tracker shows a placeholder for a failing repr
        out.append(repr(value))
    if isinstance(value, dict):
        for key, item in list(value.items()):
            _render(key, out, seen, depth)
            _render(item, out, seen, depth)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value):
            _render(item, out, seen, depth)
    elif depth < 2 and hasattr(value, "__dict__") and not isinstance(value, type):
        try:
            attributes = dict(vars(value))
        except TypeError:
            return
        for item in attributes.values():
            _render(item, out, seen, depth + 1)


def tracker_view(exc: BaseException) -> Iterator[tuple[str, str]]:
    """(where, text) for every exception, frame local and attribute a tracker would record."""
    pending: list[BaseException | None] = [exc]
    done: set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in done:
            continue
        done.add(id(current))
        texts: list[str] = []
        _render(current, texts, set())
        texts.append(str(current))
        for text in texts:
            yield f"{type(current).__name__}", text
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            where = f"{frame.f_code.co_filename}:{frame.f_code.co_name}"
            for name, value in dict(frame.f_locals).items():
                rendered: list[str] = []
                _render(value, rendered, set())
                for text in rendered:
                    yield f"{where} local {name}", text
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]


def assert_no_secret(exc: BaseException) -> None:
    leaks = [
        where for where, text in tracker_view(exc) if any(form in text for form in SECRET_FORMS)
    ]
    assert not leaks, f"secret found in: {sorted(set(leaks))}"


# --------------------------------------------------------------------------- the server

ANSWERS: dict[str, bytes] = {
    "http500": b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!",
    "garbage": b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n<html>no!",
    "error2": b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s",
}
ERROR_2 = json.dumps({"error": "authorise error", "error_code": 2}).encode()


async def _serve(mode: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        body = await reader.readexactly(length)
        if mode == "hang":
            await asyncio.Event().wait()
        elif mode == "echo":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        elif mode == "error2":
            writer.write(ANSWERS["error2"] % (len(ERROR_2), ERROR_2))
        else:
            writer.write(ANSWERS[mode])
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def site() -> AsyncIterator[Callable[[str], str]]:
    servers: list[asyncio.Server] = []
    handlers: set[asyncio.Task[None]] = set()

    async def handle(mode: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        await _serve(mode, reader, writer)

    async def start(mode: str) -> str:
        server = await asyncio.start_server(lambda r, w: handle(mode, r, w), "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()
    # A "hang" handler waits forever: ended here, so that its connection is closed now and
    # not reported as unclosed when the loop goes (Python 3.10 does not wait for handlers).
    for task in handlers:
        task.cancel()
    await asyncio.gather(*handlers, return_exceptions=True)
    for server in servers:
        await server.wait_closed()


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _client(base: str, credential: str) -> AsyncSMSCClient:
    options: dict[str, Any] = {"host": base, "allow_http": True, "failover": False}
    options.update(max_retries=0, timeout=0.3, retry_deadline=5.0, http_backend=current())
    if credential == "api_key":
        return AsyncSMSCClient(api_key=API_KEY, **options)
    return AsyncSMSCClient(login="alex", password=PASSWORD, **options)


CASES = [
    ("http500", "balance", ServerError),
    ("http500", "send", SendOutcomeUnknownError),
    ("garbage", "balance", InvalidResponseError),
    ("garbage", "send", SendOutcomeUnknownError),
    ("error2", "balance", AuthenticationError),
    ("error2", "send", AuthenticationError),
    ("hang", "balance", APITimeoutError),
    ("hang", "send", SendOutcomeUnknownError),
    ("refused", "balance", APIConnectionError),
    ("refused", "send", APIConnectionError),
    ("http500", "users.add", OutcomeUnknownError),
    ("garbage", "users.add", OutcomeUnknownError),
    ("error2", "users.add", AuthenticationError),
    ("hang", "users.change", OutcomeUnknownError),
    ("refused", "users.change", APIConnectionError),
]


async def _fail(client: AsyncSMSCClient, command: str) -> SMSCError:
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "send": lambda: client.send(PHONE, "hello"),
        "balance": client.balance,
        "users.add": lambda: client.users.add("sub", password=SUB_PASSWORD),
        "users.change": lambda: client.users.change("sub", password=SUB_PASSWORD),
    }
    call = calls[command]()
    with pytest.raises(SMSCError) as info:
        await call
    return info.value


@pytest.mark.usefixtures("http_backend")
@pytest.mark.parametrize("credential", ["password", "api_key"])
@pytest.mark.parametrize(("mode", "command", "expected"), CASES)
async def test_no_frame_of_a_failed_call_holds_the_credentials(
    site: Callable[[str], object],
    mode: str,
    command: str,
    expected: type[SMSCError],
    credential: str,
) -> None:
    base = _closed_port() if mode == "refused" else await site(mode)  # type: ignore[misc]
    async with _client(base, credential) as client:
        exc = await _fail(client, command)
    assert isinstance(exc, expected)
    assert_no_secret(exc)


async def test_the_tracker_view_finds_a_password_held_in_a_frame() -> None:
    # The check itself: a password in a local dict, in bytes, or one attribute down is seen.
    class Holder:
        def __init__(self) -> None:
            self.body = f"psw={quote_plus(PASSWORD)}".encode()

    def fail(form: dict[str, str], holder: Holder) -> None:
        raise ValueError("boom")

    for args in (({"psw": PASSWORD}, Holder()), ({}, Holder())):
        try:
            fail(*args)
        except ValueError as exc:
            with pytest.raises(AssertionError):
                assert_no_secret(exc)


@pytest.mark.parametrize("credential", ["password", "api_key"])
@pytest.mark.parametrize("command", ["balance", "send", "users.add"])
async def test_an_echoed_request_is_redacted_from_error_texts(
    site: Callable[[str], object], command: str, credential: str
) -> None:
    async with _client(await site("echo"), credential) as client:  # type: ignore[misc]
        exc = await _fail(client, command)
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    invalid = [e for e in chain if isinstance(e, InvalidResponseError)]
    assert invalid, "the echo is read as an unreadable answer"
    assert "[redacted]" in invalid[0].body_excerpt
    for error in chain:
        texts = [str(error), repr(error), *(str(v) for v in vars(error).values())]
        assert not any(form in text for text in texts for form in SECRET_FORMS)


async def test_a_refused_sub_client_password_is_in_no_frame_of_the_error() -> None:
    # The password is refused (it holds a space) before any request: the check reads it
    # through its hidden holder, so neither the message nor a frame repeats it.
    async with _client(_closed_port(), "password") as client:
        with pytest.raises(RequestValidationError) as caught:
            await client.users.add("sub", password=SUB_PASSWORD + " x")
    leaks = [where for where, text in tracker_view(caught.value) if SUB_PASSWORD in text]
    assert not leaks, f"password found in: {sorted(set(leaks))}"
