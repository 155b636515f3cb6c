"""What the failover transport knows of its sites and reports about them.

The sites with their health, the events and counters handed to callers, what one attempt
produced and how a good answer is told from a bad one. Used by :mod:`smsc._transport`.
"""

from __future__ import annotations

import asyncio
import enum
import sys
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from ._errors import ConfigurationError

__all__ = [
    "BACKSTOP_GRACE",
    "RAW_BODY",
    "BodyWatch",
    "EventKind",
    "FailoverEvent",
    "Health",
    "Outcome",
    "Site",
    "SiteStats",
    "Wait",
    "aim",
    "describe",
    "judge",
    "replayable",
    "within",
]

EventKind = Literal["attempt", "failure", "switch", "recovered"]


@dataclass(frozen=True)
class FailoverEvent:
    """One thing the failover transport did, as passed to the ``on_event`` hook.

    Attributes:
        site: the site concerned, ``scheme://host[:port]`` only (never a path or query).
        operation: the command's name as the request gives it in ``smsc_operation``
            (``"send"``, ``"status"``...), or ``"request"`` when it names none.
        kind: ``"attempt"`` (a request is sent to ``site``), ``"failure"`` (that attempt
            failed), ``"switch"`` (the call moves to ``site`` after a failure elsewhere) or
            ``"recovered"`` (a site that had failed answered well again).
        reason: why: the failure, ``"probe"`` for an attempt that tests a site's health, or
            an empty string.
    """

    site: str
    operation: str
    kind: EventKind
    reason: str = ""


@dataclass(frozen=True)
class SiteStats:
    """Counters of one site: attempts sent to it and attempts that failed."""

    requests: int
    failures: int


class Health(enum.Enum):
    UNKNOWN = "unknown"  # never tried: the first request probes it, the others wait
    UP = "up"  # answered well last time
    DOWN = "down"  # failed; skipped until its cool-down ends, then probed


class Wait(enum.Enum):
    """Why no site was chosen for an attempt."""

    DEADLINE = "deadline"  # the call's deadline passed while waiting for a probe's verdict
    NO_SITE = "no site"  # every site is cooling down and already being re-tested


class Site:
    """One base URL and what the transport knows about its health."""

    def __init__(self, base_url: str) -> None:
        try:
            url = httpx.URL(base_url.strip())
        except httpx.InvalidURL:
            raise ConfigurationError("not a usable site URL") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"not a usable site URL: {url.scheme}://{url.host}")
        if url.userinfo:
            raise ConfigurationError("credentials must not be put in a site URL")
        self.scheme = url.scheme
        self.host = url.host
        self.port = url.port
        self.prefix = url.path.rstrip("/")
        port = f":{url.port}" if url.port is not None else ""
        self.label = f"{url.scheme}://{url.host}{port}"
        self.health = Health.UNKNOWN
        self.down_until = 0.0
        self.probe: asyncio.Event | None = None  # set while one request tests the site
        self.requests = 0
        self.failures = 0


@dataclass
class Outcome:
    """What one attempt produced."""

    site: Site
    response: httpx.Response | None = None
    error: httpx.TransportError | None = None
    failure: str | None = None  # None: a good answer
    never_left: bool = False


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
RAW_BODY = "smsc_raw_body"  # private extension: the body _exchange read, for judge


if sys.version_info >= (3, 11):

    async def within(seconds: float, work: Awaitable[httpx.Response]) -> httpx.Response:
        """``work``, cancelled after ``seconds`` (no extra task, unlike ``wait_for``)."""
        async with asyncio.timeout(seconds):
            return await work

else:  # pragma: no cover - Python 3.10

    async def within(seconds: float, work: Awaitable[httpx.Response]) -> httpx.Response:
        """``work``, cancelled after ``seconds``."""
        return await asyncio.wait_for(work, seconds)


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


def judge(response: httpx.Response, body_check: object) -> str | None:
    """Why ``response`` (fresh from :meth:`FailoverTransport._exchange`) is not usable."""
    raw = response.extensions.pop(RAW_BODY, b"")  # private: never handed to the caller
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    body = raw
    if response.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        try:
            # Decode (gzip, ...) a throw-away copy: the response itself stays unread.
            body = httpx.Response(200, headers=response.headers, content=raw).content
        except httpx.DecodingError:
            return "undecodable body"
    if not body.strip():
        return "empty body"
    if callable(body_check):
        try:
            good = bool(body_check(body))
        except Exception:
            good = False
        if not good:
            return "malformed body"
    return None


_TIMEOUT_KEYS = ("connect", "read", "write", "pool")


def aim(
    request: httpx.Request,
    extensions: dict[str, Any],
    site: Site,
    primary: str,
    remaining: float | None,
    watch: BodyWatch,
) -> tuple[httpx.Request, bool]:
    """``request`` aimed at ``site``, its timeouts clamped to ``remaining`` seconds; and
    whether any was clamped.

    ``primary`` is the primary site's path prefix. For the site the request already names
    (the primary, usually) the request itself is sent with new extensions: building a copy
    costs as much as the rest of the call. The caller puts the request's own extensions and
    stream back when the attempt ends.
    """
    timeout = dict(extensions.get("timeout") or {})
    clamped = False
    if remaining is not None:
        remaining = max(remaining, 0.001)
        for key in _TIMEOUT_KEYS:
            value = timeout.get(key)
            if value is None or value > remaining:
                timeout[key] = remaining
                clamped = True
    attempt_extensions = {**extensions, "timeout": timeout}
    url = request.url
    if (url.scheme, url.host, url.port) == (site.scheme, site.host, site.port) and (
        site.prefix == primary
    ):
        request.extensions = attempt_extensions
        request.stream = watch
        return request, clamped
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
    return sub, clamped
