"""Hand-written sync twins of the few async I/O helpers whose sync form is not a rename.

The generated sync modules (``smsc._sync``, made by ``tools/unasync.py``) import these in
place of their async namesakes (see ``TWINS`` there). Each does what its twin does, on
``httpx``'s sync streams and pool.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import httpx

from .body import MAX_ANSWER_BYTES, AnswerTooLarge
from .pool import POOL_HEADROOM

__all__ = ["BodyWatch", "pooled_transport", "read_bounded", "replayable"]


class BodyWatch(httpx.SyncByteStream):
    """The request body, noting when the connection takes it to write (as the async one).

    Until the body is taken nothing the service could act on has left: a form POST is not
    processed without its body.
    """

    def __init__(self, body: httpx.SyncByteStream) -> None:
        self._body = body
        self.taken = False

    def __iter__(self) -> Iterator[bytes]:
        self.taken = True
        yield from self._body


def replayable(stream: object) -> httpx.SyncByteStream:
    """``stream`` as a sync byte stream that can be sent again (a ``ByteStream`` is)."""
    if not isinstance(stream, httpx.SyncByteStream):
        raise httpx.StreamError("the request body is not a sync stream")
    return stream


def read_bounded(chunks: Iterable[bytes], limit: int = MAX_ANSWER_BYTES) -> bytes:
    """The whole of ``chunks``, or :class:`AnswerTooLarge` once more than ``limit`` came."""
    parts: list[bytes] = []
    size = 0
    iterator = iter(chunks)
    try:
        for chunk in iterator:
            size += len(chunk)
            if size > limit:
                parts.clear()  # not kept alive by the exception's frame
                raise AnswerTooLarge(limit)
            parts.append(chunk)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    return b"".join(parts)


def pooled_transport(max_concurrency: int) -> httpx.HTTPTransport:
    """The sync client's I/O transport: a pool sized like the async one's.

    Up to ``max_concurrency + POOL_HEADROOM`` connections, at most ``max_concurrency`` kept
    idle, so the client's own cap is where calls queue. (The async pool's sweep of
    connections stranded by cancelled tasks has no sync counterpart: a blocking call is not
    cancelled half-way.)
    """
    return httpx.HTTPTransport(
        limits=httpx.Limits(
            max_connections=max_concurrency + POOL_HEADROOM,
            max_keepalive_connections=max_concurrency,
        )
    )
