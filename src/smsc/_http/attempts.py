"""One attempt of the failover loop: where it is aimed, its clamped timeouts, what it brought
back and how a good answer is told from a bad one. Used by :mod:`smsc._http.failover` and
:mod:`smsc._http.transport`; the sites themselves are :mod:`smsc._http.sites`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any, NoReturn, TypeVar

import httpx

from .body import AnswerTooLarge, decoding_limit, undo_coding
from .sites import Site

__all__ = [
    "BACKSTOP_GRACE",
    "BodyWatch",
    "Got",
    "Outcome",
    "aim",
    "clamp",
    "describe",
    "judge",
    "raise_alone",
    "replayable",
    "within",
]

_T = TypeVar("_T")


class Got:
    """The answer one attempt brought back, read whole.

    ``response`` is the transport's ``httpx.Response`` (unread, its body held in memory) on
    the httpx path, ``None`` on the bytes path; ``body`` is ``raw`` without its content coding,
    set by :func:`judge` (``None``: it could not be decoded, ``error`` says why).
    """

    __slots__ = ("body", "code", "encoding", "error", "raw", "response")

    def __init__(
        self,
        code: int,
        encoding: str | None,
        raw: bytes,
        response: httpx.Response | None = None,
    ) -> None:
        self.code = code  # the HTTP status code
        self.encoding = encoding
        self.raw = raw
        self.response = response
        self.body: bytes | None = raw
        self.error: httpx.TransportError | httpx.DecodingError | None = None  # why no body


class Outcome:
    """What one attempt produced."""

    __slots__ = ("error", "failure", "got", "never_left", "site")

    def __init__(self, site: Site) -> None:
        self.site = site
        self.got: Got | None = None
        self.error: httpx.TransportError | None = None
        self.failure: str | None = None  # None: a good answer
        self.never_left = False


class BodyWatch(httpx.AsyncByteStream):
    """The request body, noting when the connection takes it to write.

    httpcore writes the request line and headers, then iterates the body. Until the body is
    taken nothing the service could act on has left: a form POST is not processed without
    its body. This costs one iteration per attempt, unlike a trace hook awaited on every
    connection event.
    """

    def __init__(self, body: httpx.AsyncByteStream) -> None:
        self._body = body
        self.taken = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.taken = True
        async for chunk in self._body:
            yield chunk


BACKSTOP_GRACE = 0.05  # seconds: lets a phase's own (clamped) timeout fire first


if sys.version_info >= (3, 11):

    async def within(seconds: float, work: Awaitable[_T]) -> _T:
        """``work``, cancelled after ``seconds`` (no extra task, unlike ``wait_for``)."""
        async with asyncio.timeout(seconds):
            return await work

else:  # pragma: no cover - Python 3.10

    async def within(seconds: float, work: Awaitable[_T]) -> _T:
        """``work``, cancelled after ``seconds``."""
        return await asyncio.wait_for(work, seconds)


def raise_alone(failure: httpx.TransportError) -> NoReturn:
    """Raise ``failure`` (a transport's own mapping of its library's error) with nothing
    chained to it: no other library's exception, whose text may hold a URL.

    It is raised outside the ``except`` block that mapped it, yet Python 3.10 can still chain
    the error the coroutine was handling a moment before (its exception state outlives the
    handler there): the context is cut once raised, and the exception raised again as it is.
    """
    try:
        raise failure
    except httpx.TransportError as raised:
        raised.__context__ = None
        raise


def replayable(stream: object) -> httpx.AsyncByteStream:
    # handle_async_request made the body a ByteStream (or read it into one).
    if not isinstance(stream, httpx.AsyncByteStream):
        raise httpx.StreamError("the request body is not an async stream")
    return stream


def describe(exc: httpx.TransportError) -> str:
    """A short, secret-free reason: the httpx class and, for connect errors, the OS text."""
    name = type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).strip()
        if text and "://" not in text:
            return f"{name}: {text[:120]}"
    return name


INLINE_CODED_BYTES = 4096
"""A compressed answer up to this size is undone on the event loop: gzip and deflate inflate
at most ~1,032 times, so it is at most ~4 MiB (milliseconds); a larger one goes to a thread."""


def inflates_off_loop(got: Got) -> bool:
    """Whether ``got`` carries a content coding and enough bytes to inflate for long."""
    encoding = got.encoding
    return (
        encoding is not None
        and len(got.raw) > INLINE_CODED_BYTES
        and encoding.strip().lower() not in ("", "identity")
    )


def judge(got: Got, body_check: object) -> str | None:
    """Why ``got`` is not a usable answer (``None``: it is); sets ``got.body``."""
    if got.code >= 500:
        return f"HTTP {got.code}"
    body = got.raw
    encoding = got.encoding
    if encoding is not None and encoding.strip().lower() not in ("", "identity"):
        try:
            # A copy (an httpx response itself stays unread), within the command's bound.
            body = undo_coding(encoding, body, decoding_limit(body_check))
        except (httpx.DecodingError, AnswerTooLarge) as exc:
            got.body, got.error = None, exc
            return "answer too large" if isinstance(exc, AnswerTooLarge) else "undecodable body"
        got.body = body
    if not body or body.isspace():
        return "empty body"
    if callable(body_check):
        try:
            good = bool(body_check(body))
        except Exception:
            good = False
        if not good:
            return "malformed body"
    return None


def clamp(
    timeouts: Mapping[str, float | None], remaining: float
) -> tuple[Mapping[str, float | None], bool]:
    """``timeouts`` (httpx's four phases) with none longer than ``remaining`` seconds; and
    whether any had to be shortened. The dict given is returned as it is when none had."""
    remaining = max(remaining, 0.001)
    for key in _TIMEOUT_KEYS:
        value = timeouts.get(key)
        if value is None or value > remaining:
            break
    else:
        return timeouts, False
    clamped = dict(timeouts)
    for key in _TIMEOUT_KEYS:
        value = clamped.get(key)
        if value is None or value > remaining:
            clamped[key] = remaining
    return clamped, True


_TIMEOUT_KEYS = ("connect", "read", "write", "pool")


def aim(
    request: httpx.Request,
    extensions: dict[str, Any],
    timeouts: Mapping[str, float | None],
    site: Site,
    primary: str,
    watch: httpx.AsyncByteStream | httpx.SyncByteStream,
) -> httpx.Request:
    """``request`` aimed at ``site`` with the attempt's ``timeouts``.

    ``primary`` is the primary site's path prefix. For the site the request already names
    (the primary, usually) the request itself is sent with new extensions: building a copy
    costs as much as the rest of the call. The caller puts the request's own extensions and
    stream back when the attempt ends.
    """
    attempt_extensions = {**extensions, "timeout": timeouts}
    url = request.url
    if (url.scheme, url.host, url.port) == (site.scheme, site.host, site.port) and (
        site.prefix == primary
    ):
        request.extensions = attempt_extensions
        request.stream = watch
        return request
    url = url.copy_with(scheme=site.scheme, host=site.host, port=site.port)
    if site.prefix != primary:
        path = url.path
        if primary and (path == primary or path.startswith(primary + "/")):
            path = path[len(primary) :]
        url = url.copy_with(path=site.prefix + path)
    headers = request.headers.copy()
    headers["Host"] = url.netloc.decode("ascii")
    if "Transfer-Encoding" in headers:
        del headers["Transfer-Encoding"]
        headers["Content-Length"] = str(len(request.content))
    # The body stream is handed on as it is (read once, replayable): nothing is re-encoded.
    sub = httpx.Request(
        request.method, url, headers=headers, stream=request.stream, extensions=attempt_extensions
    )
    sub.stream = watch
    return sub
