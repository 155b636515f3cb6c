"""An ``httpx`` transport that does its I/O with ``httpx2`` (the optional ``httpx2`` extra).

``AsyncSMSCClient(http_backend="httpx2")`` puts it under the failover layer in place of
``httpx.AsyncHTTPTransport``. ``httpx2`` is the maintained fork of httpx (same API, its own
``httpcore2``); its classes are not httpx's, so it cannot be handed to ``httpx.AsyncClient``
as it is. This module adapts it, as :mod:`smsc._http.aiohttp_transport` adapts aiohttp, with two
ways in: ``handle_async_request`` (httpx requests and responses) and ``exchange()``, the
failover layer's bytes path that the SDK's own calls take (no httpx objects, and only
httpx2's transport, not its client: no cookies, redirects or auth hooks to run).

Every httpx2 failure is mapped onto the ``httpx`` exception that says the same thing about
whether the request may have left: ``ConnectError``, ``ConnectTimeout`` and ``PoolTimeout``
only when nothing was written (the failover layer may then repeat a send on a mirror);
anything later (a read or write failure, a timeout after connecting, a malformed answer) as
``ReadError``, ``ReadTimeout`` or ``RemoteProtocolError``, after which a send is never
repeated. Messages are written here; the httpx2 exception (whose text may hold a URL) is not
chained. Importing :mod:`smsc` does not import this module or httpx2.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence

import httpx
import httpx2

from .._secrets import FormBody
from .attempts import raise_alone, within
from .body import MAX_ANSWER_BYTES, AnswerTooLarge, read_bounded

__all__ = ["Httpx2Transport"]


class _Body(httpx2.AsyncByteStream):
    """A request body handed to httpx2 as a stream: its bytes stay out of this frame's locals
    (a ``FormBody`` holds the credentials and hides them from ``repr``)."""

    __slots__ = ("_source", "taken")

    def __init__(self, source: object) -> None:
        self._source = source
        self.taken = False  # set once httpx2 starts writing it: the request may have left

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.taken = True
        source = self._source
        if not isinstance(source, httpx.AsyncByteStream | FormBody):
            raise httpx.StreamError("the request body is not an async stream")
        async for chunk in source:
            yield chunk

    def __repr__(self) -> str:
        return "<request body, hidden>"


def _map_error(exc: httpx2.TransportError, request: httpx.Request | None) -> httpx.TransportError:
    """The httpx exception saying what ``exc`` says about the request having left."""
    # Nothing was written: the connection never came, or none was free in time.
    if isinstance(exc, httpx2.ConnectTimeout):
        return httpx.ConnectTimeout("timed out while connecting", request=request)
    if isinstance(exc, httpx2.ConnectError):
        return httpx.ConnectError("could not connect", request=request)
    if isinstance(exc, httpx2.PoolTimeout):
        return httpx.PoolTimeout("no free connection in time", request=request)
    # Connected: the request may have reached the service.
    if isinstance(exc, httpx2.TimeoutException):
        return httpx.ReadTimeout("timed out after connecting", request=request)
    if isinstance(exc, httpx2.ProtocolError):
        return httpx.RemoteProtocolError("malformed or truncated answer", request=request)
    return httpx.ReadError(
        f"connection lost after connecting ({type(exc).__name__})", request=request
    )


class Httpx2Transport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` over an ``httpx2.AsyncHTTPTransport`` of its own.

    Args:
        max_connections: the pool's size (connections open at once, all hosts together).
        ssl_context: how TLS is verified; by default httpx's (the ``certifi`` roots), so
            every backend trusts the same certificates.
        keepalive_expiry: seconds an idle connection is kept (httpx's default, 5).

    Proxies from the environment are not used; HTTP/2 is not offered. Answers are read whole
    within the SDK's bound (:data:`smsc._http.body.MAX_ANSWER_BYTES`).
    """

    smsc_bytes_path = True  # exchange() is the failover layer's bytes path
    # As httpx's own transport (httpcore2 is httpcore's fork), the body is read only once the
    # connection is made: a body not yet taken when a deadline ends the call never left.
    smsc_body_after_connect = True

    def __init__(
        self,
        *,
        max_connections: int = 10,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._pool = httpx2.AsyncHTTPTransport(
            verify=ssl_context if ssl_context is not None else httpx.create_ssl_context(),
            limits=httpx2.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=keepalive_expiry,
            ),
            trust_env=False,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and read its answer whole."""
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout") or {}
        status, headers, raw = await self._fetch(
            request.method,
            str(request.url),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            None if request.method in {"GET", "HEAD"} else _Body(request.stream),
            timeouts,
            None,
            request,
        )
        return httpx.Response(
            status,
            headers=headers,
            stream=httpx.ByteStream(raw),  # read whole: the connection is back in the pool
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def exchange(
        self,
        url: str,
        headers: Sequence[tuple[str, str]],
        body: FormBody,
        timeouts: Mapping[str, float | None],
        total: float | None,
    ) -> tuple[int, str | None, bytes]:
        """POST ``body`` to ``url`` without httpx objects (the failover layer's bytes path).

        One timer bounds the whole exchange, as on the aiohttp backend: ``connect + read``
        (the SDK's ``timeout`` reads the whole answer), or ``total`` (what is left of the
        call's deadline) when sooner; connecting keeps its own timeout.

        Returns:
            The status, the ``Content-Encoding`` header (``None`` without one) and the body.
        """
        connect, read = timeouts.get("connect"), timeouts.get("read")
        bound = None if connect is None or read is None else connect + read
        if total is not None and (bound is None or total < bound):
            bound = total
        status, answer_headers, raw = await self._fetch(
            "POST",
            url,
            [*headers, ("Content-Length", str(len(body)))],
            _Body(body),
            timeouts,
            bound,
            None,
        )
        coding = next((v for k, v in answer_headers if k.lower() == "content-encoding"), None)
        return status, coding, raw

    async def _fetch(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: _Body | None,
        timeouts: Mapping[str, float | None],
        total: float | None,
        request: httpx.Request | None,
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """One request through the pool, read whole within the bound; failures mapped."""
        target = httpx2.URL(url)
        if not any(name.lower() == "host" for name, _ in headers):
            # A request given its stream is not "prepared": nothing adds the Host header.
            headers = [("Host", target.netloc.decode("ascii")), *headers]
        outgoing = httpx2.Request(
            method,
            target,
            headers=headers,
            stream=body,
            extensions={"timeout": dict(timeouts)} if timeouts else {},
        )
        failure: httpx.TransportError | None = None
        try:
            status, answer_headers, raw = await self._timed(
                total, self._round_trip(outgoing, method)
            )
        except httpx2.TransportError as exc:
            failure = _map_error(exc, request)
        except asyncio.TimeoutError:
            # The whole-exchange timer. httpx2 writes the body only once connected: a body
            # not yet taken proves nothing was written.
            if body is not None and not body.taken:
                failure = httpx.ConnectTimeout("timed out while connecting", request=request)
            else:
                failure = httpx.ReadTimeout("timed out waiting for the answer", request=request)
        if failure is not None:
            raise_alone(failure)
        return status, answer_headers, raw

    @staticmethod
    async def _timed(
        seconds: float | None, work: Awaitable[tuple[int, list[tuple[str, str]], bytes]]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        return await (work if seconds is None else within(seconds, work))

    async def _round_trip(
        self, outgoing: httpx2.Request, method: str
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        answer = await self._pool.handle_async_request(outgoing)
        try:
            length = answer.headers.get("Content-Length") if method != "HEAD" else None
            if length is not None and length.isdigit() and int(length) > MAX_ANSWER_BYTES:
                raise AnswerTooLarge()  # by its own header: not a byte of it is read
            stream = answer.stream
            if not isinstance(stream, httpx2.AsyncByteStream):  # pragma: no cover - httpx2's own
                raise httpx.StreamError("the answer is not an async stream")
            # Read to its end even for HEAD (no body): only an answer read to its end leaves
            # the connection reusable; one closed unread is dropped.
            raw = await read_bounded(stream)
        except BaseException:
            # Left unread: closing drops the connection, and what that raises says nothing
            # more than the failure being raised.
            with contextlib.suppress(httpx2.TransportError):
                await answer.aclose()
            raise
        await answer.aclose()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers.raw]
        return answer.status_code, headers, raw

    async def aclose(self) -> None:
        """Close the pool and its connections."""
        await self._pool.aclose()
