"""An ``httpx`` transport that does its I/O with aiohttp (the optional ``aiohttp`` extra).

``AsyncSMSCClient(http_backend="aiohttp")`` puts it under the failover layer in place of
``httpx.AsyncHTTPTransport``. It has two ways in: ``handle_async_request`` (httpx requests and
responses, for any httpx client) and ``exchange()``, the failover layer's bytes path, which the
SDK's own calls take (a form in, the status and body out, no httpx objects). It is thin on
purpose: it does only what the SDK needs (HTTP/1.1 POSTs and HEADs with small bodies, answers
read whole within the SDK's bound) and maps every aiohttp failure onto the ``httpx``
exception that says the same thing about whether the request may have left:

* the connection could not be made (refused, DNS, TLS handshake, connect timeout):
  ``httpx.ConnectError`` / ``httpx.ConnectTimeout``; no connection of the pool became free in
  time: ``httpx.PoolTimeout``. The failover layer may repeat these on a mirror: nothing was
  written;
* anything after the connection was made (a dropped connection, a read timeout, a truncated
  or malformed answer): ``httpx.ReadError`` / ``httpx.ReadTimeout`` /
  ``httpx.RemoteProtocolError``, after which a send is never repeated.

Messages are written here, never copied from aiohttp (whose texts hold URLs), and the aiohttp
exception is not chained. Importing :mod:`smsc` does not import this module or aiohttp.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterable, Mapping, Sequence
from typing import Any

import aiohttp
import httpx
from yarl import URL

from .._secrets import FormBody
from .attempts import raise_alone, within
from .body import MAX_ANSWER_BYTES, AnswerTooLarge, read_bounded

__all__ = ["AiohttpTransport"]


_NO_BODY = frozenset({"GET", "HEAD"})


def _request_body(stream: object) -> AsyncIterable[bytes]:
    """A request's body stream, as the async iterable aiohttp sends."""
    if not isinstance(stream, httpx.AsyncByteStream):
        raise httpx.StreamError("the request body is not an async stream")
    return stream


@functools.lru_cache(maxsize=64)
def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    """httpx's connect and read timeouts in aiohttp's terms (immutable: made once per pair).

    The wait for a free connection is the transport's own (``pool``, see ``_Slots``), so
    aiohttp never waits for one and its ``connect`` is the connect alone, TLS included.
    aiohttp has no write timeout: the failover layer's deadline bounds a stalled write.
    """
    return aiohttp.ClientTimeout(total=None, connect=connect, sock_connect=connect, sock_read=read)


@functools.lru_cache(maxsize=64)
def _one_timer(connect: float | None, total: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total, connect=connect, sock_connect=connect)


def _exchange_timeout(
    connect: float | None, read: float | None, backstop: float | None
) -> aiohttp.ClientTimeout:
    """The timeouts of one exchange on the bytes path: one timer for the whole of it.

    ``read`` is the SDK's ``timeout``, "overall seconds for reading an answer (and
    writing)": the exchange gets ``connect + read`` in all (or less, to end by the call's
    deadline, ``backstop``), measured by one timer, where per-read timeouts would start a
    timer per received chunk. Connecting keeps its own timeout, so that a connection that
    never came is told apart from an answer that never came.
    """
    bound = None if connect is None or read is None else connect + read
    if backstop is None or (bound is not None and bound <= backstop):
        return _one_timer(connect, bound)  # the usual case: made once per client
    return aiohttp.ClientTimeout(total=backstop, connect=connect, sock_connect=connect)


class _Slots:
    """The pool's size, counted here so that waiting for a connection is ``httpx.PoolTimeout``.

    aiohttp's own wait for a pooled connection shares its timeout with connecting; a local
    wait would then look like a site too slow to connect to, and mark a healthy site down.
    A slot is released after aiohttp has its connection back, so aiohttp never waits.
    """

    def __init__(self, size: int) -> None:
        self._free = asyncio.Semaphore(size)

    async def acquire(self, timeout: float | None, request: httpx.Request | None) -> None:
        if not self._free.locked() or timeout is None:
            await self._free.acquire()
            return
        try:
            await within(timeout, self._free.acquire())
        except asyncio.TimeoutError:
            raise httpx.PoolTimeout("no free connection in time", request=request) from None

    def release(self) -> None:
        self._free.release()


def _map_error(exc: BaseException, request: httpx.Request | None) -> httpx.TransportError | None:
    """The httpx exception saying what ``exc`` says about the request having left."""
    # Before anything was written: the connection never came.
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

    smsc_bytes_path = True  # exchange() is the failover layer's bytes path

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
        self._slots = _Slots(max_connections)
        # aiohttp's form of the URLs seen: the SDK sends the same httpx.URL per command, and
        # the bytes path the same text.
        self._urls: dict[int, tuple[httpx.URL, URL]] = {}
        self._by_text: dict[str, URL] = {}

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
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        answer, raw = await self._fetch(
            request.method,
            self._url(request.url),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            # The body stream itself, iterated by aiohttp's writer once connected: its
            # bytes (credentials) never become a local of this frame.
            None if request.method in _NO_BODY else _request_body(request.stream),
            _client_timeout(timeouts.get("connect"), timeouts.get("read")),
            timeouts.get("pool"),
            request,
        )
        return httpx.Response(
            answer.status,
            headers=list(answer.raw_headers),
            stream=httpx.ByteStream(raw),  # read whole: the connection is back in the pool
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (answer.reason or "").encode("ascii", "replace"),
            },
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

        Returns:
            The status, the ``Content-Encoding`` header (``None`` without one) and the body.
        """
        yarl_url = self._by_text.get(url)
        if yarl_url is None:
            if len(self._by_text) >= 64:  # a caller sending to ever new URLs: stay bounded
                self._by_text.clear()
            yarl_url = self._by_text[url] = URL(url, encoded=True)
        answer, raw = await self._fetch(
            "POST",
            yarl_url,
            [*headers, ("Content-Length", str(len(body)))],
            # Iterated by aiohttp's writer: the bytes are no local of this frame. Given as a
            # payload, aiohttp takes it as it is (no search of its registry of body types).
            aiohttp.AsyncIterablePayload(body),
            _exchange_timeout(timeouts.get("connect"), timeouts.get("read"), total),
            timeouts.get("pool"),
            None,
        )
        return answer.status, answer.headers.get("Content-Encoding"), raw

    async def _fetch(
        self,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        data: AsyncIterable[bytes] | aiohttp.Payload | None,
        timeout: aiohttp.ClientTimeout,
        pool: float | None,
        request: httpx.Request | None,
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        """One request through the session, read whole; failures mapped (see the module)."""
        session = self._session or self._open()
        failure: httpx.TransportError | None = None
        await self._slots.acquire(pool, request)
        try:
            async with session.request(
                method, url, headers=headers, data=data, allow_redirects=False, timeout=timeout
            ) as answer:
                length = answer.content_length
                if method == "HEAD" or (length is not None and length <= MAX_ANSWER_BYTES):
                    raw = await answer.read()  # the parser reads no more than the length
                elif length is not None:
                    raise AnswerTooLarge()  # by its own header: not a byte of it is read
                else:
                    raw = await read_bounded(answer.content.iter_chunked(65536))
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            failure = _map_error(exc, request)
            if failure is None:  # pragma: no cover - every exception caught here is mapped
                raise
        finally:
            self._slots.release()
        if failure is not None:
            raise_alone(failure)
        return answer, raw

    def _url(self, url: httpx.URL) -> URL:
        # By identity (hashing an httpx.URL formats it): the entry keeps the URL alive, so
        # its id is not reused while cached.
        known = self._urls.get(id(url))
        if known is None or known[0] is not url:
            if len(self._urls) >= 64:  # a caller sending to ever new URLs: stay bounded
                self._urls.clear()
            known = self._urls[id(url)] = (url, URL(str(url), encoded=True))
        return known[1]

    async def aclose(self) -> None:
        """Close the session and its connections."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
