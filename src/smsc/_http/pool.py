"""The SDK's own connection pool: sized above the request cap, proof against cancellation.

httpcore 1.0.x can strand a connection in its pool when a request is cancelled at the wrong
moment (encode/httpcore#1093); enough of them and every later request fails with
``PoolTimeout``. :func:`pooled_transport` builds the transport the client uses by default,
which finishes the pool's clean-up whenever a request ends abnormally.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

__all__ = ["POOL_HEADROOM", "pooled_transport"]

logger = logging.getLogger("smsc.transport")

POOL_HEADROOM = 4
"""Connections the SDK's own pool may hold beyond the client's request cap (see below)."""


class _StrandFreeTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, dropping the connections that cancelled requests leave stranded.

    httpcore 1.0.x can leave a connection in its pool that no live request will ever give
    back (encode/httpcore#1093): a request cancelled after the pool gave it a connection still
    being opened, or after the connection opened but before the request was written on it,
    or while its finished answer was being closed. Such a connection fills a pool slot for
    good; once every slot is filled so, each later request waits for the pool and fails with
    ``PoolTimeout``.

    Only a request that ends abnormally (cancelled, timed out, failed) can strand a
    connection, so on that path, and only there, this transport finishes the pool's clean-up:
    it forgets the request if the pool still lists it, then takes out and closes every
    connection that is neither idle nor closed and that no request in the pool holds. The
    normal path costs one thin stream wrapper per answer.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except BaseException:
            await self._sweep(None)
            raise
        stream = response.stream
        if isinstance(stream, httpx.AsyncByteStream):
            pool_request = getattr(getattr(stream, "_httpcore_stream", None), "_pool_request", None)
            response.stream = _SweptStream(stream, self, pool_request)
        return response

    async def _sweep(self, pool_request: object) -> None:
        requests = getattr(self._pool, "_requests", None)
        if pool_request is not None and isinstance(requests, list) and pool_request in requests:
            requests.remove(pool_request)  # its own clean-up was cut short
        stranded = _take_stranded(self._pool)
        if stranded:
            # Closing awaits; shielded so that a second cancellation cannot cut it short.
            await asyncio.shield(_close_all(stranded))


class _SweptStream(httpx.AsyncByteStream):
    """An answer's body; if reading or closing it ends abnormally, the pool is swept."""

    def __init__(
        self, stream: httpx.AsyncByteStream, transport: _StrandFreeTransport, pool_request: object
    ) -> None:
        self._stream = stream
        self._transport = transport
        self._pool_request = pool_request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except GeneratorExit:
            raise  # the reader stopped early (an answer too large): its aclose() follows
        except BaseException:
            await self._transport._sweep(self._pool_request)
            raise

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except BaseException:
            await self._transport._sweep(self._pool_request)
            raise


def _take_stranded(pool: object) -> list[Any]:
    """Remove and return the connections of ``pool`` that are busy and that no request holds.

    Reads httpcore's pool internals; anything of an unexpected shape is left alone.
    """
    connections = getattr(pool, "_connections", None)
    requests = getattr(pool, "_requests", None)
    if not isinstance(connections, list) or not isinstance(requests, list):
        return []
    held = {id(getattr(pool_request, "connection", None)) for pool_request in requests}
    stranded = []
    for connection in connections:
        try:
            busy = not connection.is_idle() and not connection.is_closed()
        except Exception:  # pragma: no cover - an unknown kind of connection
            continue
        if busy and id(connection) not in held:
            stranded.append(connection)
    for connection in stranded:
        connections.remove(connection)
    if stranded:
        logger.debug("dropped %d stranded connection(s) from the pool", len(stranded))
    return stranded


async def _close_all(connections: Sequence[Any]) -> None:
    for connection in connections:
        try:
            await connection.aclose()
        except Exception:  # pragma: no cover - closing a half-open socket may fail; it is gone
            logger.debug("closing a stranded connection failed; ignored", exc_info=True)


def pooled_transport(max_concurrency: int) -> httpx.AsyncHTTPTransport:
    """The SDK's default I/O transport for a client that caps its requests at ``max_concurrency``.

    The pool holds up to ``max_concurrency + POOL_HEADROOM`` connections (keeping at most
    ``max_concurrency`` idle), so the client's own cap, not the pool, is where calls queue:
    a request that reaches the pool never waits there. Connections stranded by cancelled
    requests are dropped (see :class:`_StrandFreeTransport`).
    """
    return _StrandFreeTransport(
        limits=httpx.Limits(
            max_connections=max_concurrency + POOL_HEADROOM,
            max_keepalive_connections=max_concurrency,
        )
    )
