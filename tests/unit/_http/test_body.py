"""Undoing an answer's content coding within the size bound (``smsc._http.body``)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smsc._http.body import AnswerTooLarge, read_bounded, undo_coding


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@given(st.binary(max_size=5000))
def test_gzip_and_both_forms_of_deflate_decode_to_what_was_coded(body: bytes) -> None:
    assert undo_coding("gzip", gzip.compress(body)) == body
    assert undo_coding("x-gzip", gzip.compress(body)) == body
    assert undo_coding("deflate", zlib.compress(body)) == body
    assert undo_coding("deflate", _raw_deflate(body)) == body
    assert undo_coding("identity", body) == body
    assert undo_coding("deflate, gzip", gzip.compress(zlib.compress(body))) == body


@given(st.binary(max_size=2000), st.sampled_from(["gzip", "deflate", "br", "zstd", "gzip, br"]))
def test_any_bytes_decode_within_the_bound_or_raise_a_decoding_error(
    raw: bytes, coding: str
) -> None:
    try:
        out = undo_coding(coding, raw, limit=10_000)
    except (httpx.DecodingError, AnswerTooLarge):
        return  # the only two ways to fail: nothing else escapes
    assert isinstance(out, bytes)
    assert len(out) <= 10_000


def test_a_gzip_bomb_stops_at_the_bound() -> None:
    bomb = gzip.compress(b" " * (8 << 20))  # 8 KB that inflate to 8 MiB
    with pytest.raises(AnswerTooLarge):
        undo_coding("gzip", bomb, limit=1 << 20)
    assert undo_coding("gzip", gzip.compress(b"a" * 100), limit=100) == b"a" * 100
    with pytest.raises(AnswerTooLarge):
        undo_coding("gzip", gzip.compress(b"a" * 101), limit=100)


def test_a_coding_not_asked_for_is_refused() -> None:
    with pytest.raises(httpx.DecodingError, match="not asked for"):
        undo_coding("br", b"\x1b\x00")


async def test_reading_stops_once_past_the_bound_and_closes_the_iteration() -> None:
    closed: list[bool] = []

    async def chunks() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"x" * 1000
        finally:
            closed.append(True)

    with pytest.raises(AnswerTooLarge):
        await read_bounded(chunks(), limit=10_500)
    assert closed == [True]

    async def few() -> AsyncIterator[bytes]:
        for part in (b"ab", b"cd"):
            yield part

    assert await read_bounded(few(), limit=4) == b"abcd"


async def test_a_borrowed_client_answer_beyond_the_bound_is_refused() -> None:
    import smsc

    huge = b'{"balance": "1", "pad": "' + b" " * (33 << 20) + b'"}'
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=huge))
    async with httpx.AsyncClient(transport=transport) as http:
        client = smsc.AsyncSMSCClient(
            login="alice", password="secret", host="https://smsc.test", http_client=http
        )
        with pytest.raises(smsc.InvalidResponseError, match="larger than"):
            await client.balance()


async def test_a_compressed_answer_is_decoded_once_on_the_httpx_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import smsc
    import smsc._base_client
    import smsc._http.attempts

    calls: list[str] = []

    def counting(encoding: str, raw: bytes, limit: int = 1 << 25) -> bytes:
        calls.append(encoding)
        return undo_coding(encoding, raw, limit)

    # Every module that could decode an answer, patched alike (the old pipeline decoded again).
    monkeypatch.setattr(smsc._http.attempts, "undo_coding", counting)
    monkeypatch.setattr(smsc._base_client, "undo_coding", counting, raising=False)

    class Gzipped(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            packed = gzip.compress(b'{"balance": "12.50"}')
            return httpx.Response(
                200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(packed)
            )

    async with smsc.AsyncSMSCClient(
        login="alice", password="secret", host="https://smsc.test", transport=Gzipped()
    ) as client:
        balance = await client.balance()
    assert str(balance.amount) == "12.50"
    assert calls == ["gzip"]
