"""Reading an answer's body within bounds: its size, and undoing its content coding.

The service's answers are small (a page of history is well under a megabyte), but the bytes
are hostile: a broken proxy or a compromised mirror can send an endless body, or a few
kilobytes of gzip that inflate to gigabytes. Every answer the SDK reads is held to
:data:`MAX_ANSWER_BYTES`, as received and once decoded; beyond it the read stops and
:class:`AnswerTooLarge` is raised (the request may have reached the service: a send whose
answer is too large has an unknown outcome). The SDK asks for ``gzip`` and ``deflate`` only
(:data:`ACCEPT_ENCODING`) and undoes them itself, with the same bound.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import AsyncIterable, Callable
from typing import Final

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "MAX_ANSWER_BYTES",
    "AnswerTooLarge",
    "LimitedCheck",
    "bounded",
    "decoding_limit",
    "limited_check",
    "read_bounded",
    "reading_limit",
    "undo_coding",
]

MAX_ANSWER_BYTES: Final = 32 * 1024 * 1024
"""The largest answer the SDK reads (32 MiB), as received and once decoded."""

ACCEPT_ENCODING: Final = "gzip, deflate"
"""The content codings the SDK asks for (and decodes within the bound)."""


class AnswerTooLarge(httpx.RemoteProtocolError):
    """The answer is larger than :data:`MAX_ANSWER_BYTES`, as received or once decoded."""

    def __init__(self, limit: int = MAX_ANSWER_BYTES) -> None:
        super().__init__(f"the answer is larger than {limit} bytes")
        self.limit = limit


class LimitedCheck:
    """A command's body check that also carries its answer's size bound.

    The failover layer undoes an answer's content coding within ``limit`` (the command's
    ``AnswerBounds.bytes``) instead of :data:`MAX_ANSWER_BYTES`: a status answer inflates to
    at most a few dozen kilobytes before the inflating stops.
    """

    __slots__ = ("check", "limit")

    def __init__(self, check: Callable[[bytes], bool], limit: int) -> None:
        self.check = check
        self.limit = min(limit, MAX_ANSWER_BYTES)

    def __call__(self, body: bytes) -> bool:
        return self.check(body)


@functools.lru_cache(maxsize=256)
def limited_check(check: Callable[[bytes], bool], limit: int) -> LimitedCheck:
    """The (shared) :class:`LimitedCheck` of ``check`` and ``limit``: one per command and
    bound, not one per request."""
    return LimitedCheck(check, limit)


def decoding_limit(body_check: object) -> int:
    """The bound to undo a content coding within: the check's own, else the SDK's."""
    return body_check.limit if isinstance(body_check, LimitedCheck) else MAX_ANSWER_BYTES


def reading_limit(body_check: object) -> int:
    """The bound to read an answer's bytes within, as received: the check's own bound with
    room for a content coding's framing (gzip and deflate never grow a body by more than a
    few bytes per 64 KiB block), else the SDK's."""
    if not isinstance(body_check, LimitedCheck):
        return MAX_ANSWER_BYTES
    return min(body_check.limit + body_check.limit // 1024 + 1024, MAX_ANSWER_BYTES)


def bounded(raw: bytes, limit: int = MAX_ANSWER_BYTES) -> bytes:
    """``raw`` (an answer already in memory) when it is within ``limit`` bytes.

    Raises:
        AnswerTooLarge: it is not.
    """
    if len(raw) > limit:
        raise AnswerTooLarge(limit)
    return raw


async def read_bounded(chunks: AsyncIterable[bytes], limit: int = MAX_ANSWER_BYTES) -> bytes:
    """The whole of ``chunks``, or :class:`AnswerTooLarge` once more than ``limit`` came."""
    parts: list[bytes] = []
    size = 0
    iterator = aiter(chunks)
    try:
        async for chunk in iterator:
            size += len(chunk)
            if size > limit:
                parts.clear()  # not kept alive by the exception's frame
                raise AnswerTooLarge(limit)
            parts.append(chunk)
    finally:
        # Stopped early: the iteration is closed now, not whenever it is garbage-collected.
        close = getattr(iterator, "aclose", None)
        if close is not None:
            await close()
    return b"".join(parts)


def undo_coding(encoding: str, raw: bytes, limit: int = MAX_ANSWER_BYTES) -> bytes:
    """``raw`` without its ``Content-Encoding`` (codings listed in the order applied).

    Raises:
        httpx.DecodingError: a coding other than gzip, deflate or identity, or bytes that do
            not decode.
        AnswerTooLarge: the decoded body would be larger than ``limit``.
    """
    body = raw
    for coding in reversed(encoding.lower().split(",")):
        coding = coding.strip()
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip"):
            body = _inflate(body, zlib.MAX_WBITS | 16, limit)
        elif coding == "deflate":
            try:
                body = _inflate(body, zlib.MAX_WBITS, limit)  # zlib-wrapped, as the RFC says
            except httpx.DecodingError:
                body = _inflate(body, -zlib.MAX_WBITS, limit)  # raw deflate, as some send
        else:
            raise httpx.DecodingError(f"content coding {coding[:20]!r} was not asked for")
    return body


_STEP: Final = 1 << 20  # bytes of output per step of inflating


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    # Inflated a step at a time, so that a gzip bomb stops at the bound, and so that the
    # output is never held twice beyond it (one growing buffer would be copied at the end).
    inflater = zlib.decompressobj(wbits)
    parts: list[bytes] = []
    size = 0
    pending = data
    try:
        while True:
            chunk = inflater.decompress(pending, _STEP)
            pending = inflater.unconsumed_tail
            if not pending:
                chunk += inflater.flush()
            size += len(chunk)
            if size > limit:
                parts.clear()  # not kept alive by the exception's frame
                raise AnswerTooLarge(limit)
            parts.append(chunk)
            if not pending:
                return b"".join(parts)
    except zlib.error:
        raise httpx.DecodingError("the answer's content coding could not be undone") from None
