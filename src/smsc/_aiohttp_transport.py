"""An ``httpx`` transport that does its I/O with aiohttp (the optional ``aiohttp`` extra).

``AsyncSMSCClient(http_backend="aiohttp")`` puts it under the failover layer in place of
``httpx.AsyncHTTPTransport``: httpx still builds the requests and reads the answers, aiohttp's
connection pool carries them. It is thin on purpose: it does only what the SDK needs (HTTP/1.1
POSTs and HEADs with small bodies, answers read whole) and maps every aiohttp failure onto the
``httpx`` exception that says the same thing about whether the request may have left:

* the connection could not be made (refused, DNS, TLS handshake, connect or pool timeout):
  ``httpx.ConnectError`` / ``httpx.ConnectTimeout``, which the failover layer may repeat on a
  mirror, because nothing was written;
* anything after the connection was made (a dropped connection, a read timeout, a truncated
  or malformed answer): ``httpx.ReadError`` / ``httpx.ReadTimeout`` /
  ``httpx.RemoteProtocolError``, after which a send is never repeated.

Messages are written here, never copied from aiohttp (whose texts hold URLs), and the aiohttp
exception is not chained. Importing :mod:`smsc` does not import this module or aiohttp.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
from yarl import URL

__all__ = ["AiohttpTransport"]


class _Body(httpx.AsyncByteStream):
    """An answer's body, already read whole (the connection is back in the pool)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._raw


def _client_timeout(timeouts: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """httpx's per-phase timeouts in aiohttp's terms.

    aiohttp's ``connect`` covers waiting for a pooled connection *and* connecting, so it gets
    the sum of httpx's ``pool`` and ``connect``; ``sock_connect`` is the connect alone.
    aiohttp has no write timeout: the failover layer's deadline bounds a stalled write.
    """
    connect = timeouts.get("connect")
    pool = timeouts.get("pool")
    either = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(
        total=None, connect=either, sock_connect=connect, sock_read=timeouts.get("read")
    )


def _map_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError | None:
    """The httpx exception saying what ``exc`` says about the request having left."""
    # Before anything was written: the connection (or a free slot in the pool) never came.
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout("timed out while connecting", request=request)
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ServerFingerprintMismatch):
        reason = exc.os_error if isinstance(exc, aiohttp.ClientConnectorError) else exc
        detail = f"[{type(reason).__name__}] {getattr(reason, 'strerror', None) or ''}"
        return httpx.ConnectError(f"could not connect: {detail.strip()}", request=request)
    # After the connection was made: the request may have reached the service.
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        return httpx.ReadTimeout("timed out while waiting for the answer", request=request)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError("malformed or truncated answer", request=request)
    if isinstance(exc, aiohttp.ClientError | OSError):
        return httpx.ReadError(
            f"connection lost after connecting ({type(exc).__name__})", request=request
        )
    return None


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` over an ``aiohttp.ClientSession`` of its own.

    Args:
        max_connections: the pool's size (connections open at once, all hosts together).
        ssl_context: how TLS is verified; by default httpx's (the ``certifi`` roots), so
            both backends trust the same certificates.
        keepalive_expiry: seconds an idle connection is kept (httpx's default, 5).

    The session is created on first use, inside the running event loop, and closed by
    :meth:`aclose`. Proxies from the environment are not used (aiohttp's ``trust_env`` is
    off); HTTP/2 is not offered.
    """

    def __init__(
        self,
        *,
        max_connections: int = 10,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._limit = max_connections
        self._ssl = ssl_context if ssl_context is not None else httpx.create_ssl_context()
        self._keepalive = keepalive_expiry
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limit, ssl=self._ssl, keepalive_timeout=self._keepalive
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # httpx decodes, as it does over its own transport
            skip_auto_headers=("Accept-Encoding", "User-Agent", "Content-Type"),
        )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and read its answer whole."""
        session = self._session or self._open()
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        failure: httpx.TransportError | None = None
        try:
            async with session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=request.headers.multi_items(),
                data=request.content or None,
                allow_redirects=False,
                timeout=_client_timeout(timeouts),
            ) as answer:
                raw = await answer.read()
                status, headers, reason = answer.status, answer.raw_headers, answer.reason
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            failure = _map_error(exc, request)
            if failure is None:  # pragma: no cover - every exception caught here is mapped
                raise
        if failure is not None:
            raise failure  # outside the handler: no aiohttp exception (or URL) chained to it
        return httpx.Response(
            status,
            headers=list(headers),
            stream=_Body(raw),
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (reason or "").encode("ascii", "replace"),
            },
        )

    async def aclose(self) -> None:
        """Close the session and its connections."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
