"""The answer bounds of every command (issue 23 item 1), piece by piece: the item pre-scan is
an upper bound of what the parser builds and runs before it, each bound is enforced where it
is cheapest, large answers leave the loop, and the guarantees page lists the bounds."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsc
import smsc._http.attempts
import smsc._http.body
import smsc._wire.values
from smsc import AsyncSMSCClient
from smsc._http.attempts import Got, judge
from smsc._http.body import LimitedCheck
from smsc._models.messages import SendRequest
from smsc._wire import COMMANDS, STATUS, StatusQuery
from smsc._wire.bounds import MAX_NESTING, ONE_OBJECT, AnswerBounds, count_items
from smsc._wire.commands import BALANCE, SEND
from smsc._wire.reports import HISTORY, HistoryQuery

from ..unit._wire.test_decoders_hostile import SAMPLE_ARGUMENTS

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2024, 1, 1)


def parsed_items(value: Any) -> int:
    """The values and keys the JSON parser builds for ``value``."""
    if isinstance(value, dict):
        return 1 + sum(1 + parsed_items(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(parsed_items(item) for item in value)
    return 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=',:[]{}"\\ aé\n'),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(',:[{"\\'), inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, ascii_only=st.booleans())
def test_the_item_count_is_an_upper_bound_of_the_values_parsed(
    value: Any, ascii_only: bool
) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    for limit in (0, 10**9):  # the cheap path and the string-free one
        counted, _ = count_items(body, limit)
        assert counted >= parsed_items(value)


def test_the_item_count_is_an_upper_bound_when_strings_span_the_scan_chunks() -> None:
    long_text = "x" * 70_000 + '\\"' + "y" * 70_000  # longer than a chunk of the pre-scan
    value = [long_text, *([7] * 5000), long_text, [1, 2, 3]]
    body = json.dumps(value).encode()
    counted, _ = count_items(body, 0)
    assert parsed_items(value) <= counted <= parsed_items(value) + 1


def test_separators_inside_strings_do_not_count_against_the_bound() -> None:
    body = json.dumps([{"message": "a, b: [c] {d}" * 200}] * 10).encode()
    counted, _ = count_items(body, 100)
    assert counted <= 100


def test_an_answer_beyond_its_item_bound_is_refused_before_any_object_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scanned: list[int] = []
    real = smsc._wire.values._SCAN

    def scan(text: str, index: int) -> Any:
        scanned.append(len(text))
        return real(text, index)

    monkeypatch.setattr(smsc._wire.values, "_SCAN", scan)
    body = b"[" + b",".join([b"{}"] * 1000) + b"]"  # 3 KB: within the bytes of one object
    with pytest.raises(smsc.InvalidResponseError, match="more than 512 items"):
        BALANCE.read(body, None)
    assert scanned == []
    assert str(BALANCE.read(b'{"balance": "1.5"}', None).amount) == "1.5"  # within: parsed
    assert len(scanned) == 1


def test_an_answer_beyond_its_byte_bound_is_refused() -> None:
    body = b'{"balance": "1", "pad": "' + b"x" * ONE_OBJECT.bytes + b'"}'
    with pytest.raises(smsc.InvalidResponseError, match="larger than"):
        BALANCE.read(body, None)


def test_an_answer_nesting_deeper_than_the_bound_is_refused() -> None:
    deep = b'{"balance": "1", "x": ' + b"[" * (MAX_NESTING + 1) + b"]" * (MAX_NESTING + 1) + b"}"
    with pytest.raises(smsc.InvalidResponseError, match="nests deeper"):
        BALANCE.read(deep, None)


def test_a_status_answer_with_more_statuses_than_messages_asked_is_refused() -> None:
    query = StatusQuery(((1, "79991234567"), (2, "79991234568")))
    three = json.dumps([{"status": 1}] * 3).encode()
    with pytest.raises(smsc.InvalidResponseError, match="3 statuses for 2 messages"):
        STATUS.read(three, query)
    assert len(STATUS.read(json.dumps([{"status": 1}] * 2).encode(), query)) == 2


def test_a_send_answer_listing_more_phones_than_sent_is_refused() -> None:
    request = SendRequest(phones=("79991234567",), message="x", id=1)
    phones = [{"phone": "79991234567", "status": 1}] * 2
    with pytest.raises(smsc.InvalidResponseError, match="2 phones for 1 sent"):
        SEND.read(json.dumps({"id": 1, "cnt": 1, "phones": phones}).encode(), request)
    ok = SEND.read(json.dumps({"id": 1, "cnt": 1, "phones": phones[:1]}).encode(), request)
    assert len(ok.phones) == 1


def test_a_history_page_longer_than_asked_is_refused() -> None:
    query = HistoryQuery(DAY, DAY, count=10)
    records = [{"status": 1, "int_id": n} for n in range(11)]
    with pytest.raises(smsc.InvalidResponseError, match="at most 10 records, got 11"):
        HISTORY.read(json.dumps(records).encode(), query)
    assert len(HISTORY.read(json.dumps(records[:10]).encode(), query)) == 10


def test_a_compressed_answer_is_inflated_no_further_than_its_command_bound() -> None:
    packed = gzip.compress(b" " * (1 << 20))  # 1 MiB of spaces
    got = Got(200, "gzip", packed)
    assert judge(got, LimitedCheck(lambda body: True, ONE_OBJECT.bytes)) == "answer too large"
    assert judge(Got(200, "gzip", packed), lambda body: True) == "empty body"  # 32 MiB bound


class _Answer(httpx.AsyncBaseTransport):
    def __init__(self, body: bytes, coding: str | None = None) -> None:
        self._body = gzip.compress(body) if coding == "gzip" else body
        self._headers = {"Content-Encoding": coding} if coding else {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=self._headers, stream=httpx.ByteStream(self._body))


def _client(body: bytes, coding: str | None = None) -> AsyncSMSCClient:
    return AsyncSMSCClient(
        login="alice",
        password="secret-password",
        host="https://smsc.test",
        transport=_Answer(body, coding),
        failover=False,
        max_retries=0,
    )


async def test_a_large_answer_is_decoded_off_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real = smsc._wire.values._SCAN

    def scan(text: str, index: int) -> Any:
        threads.append(threading.get_ident())
        return real(text, index)

    monkeypatch.setattr(smsc._wire.values, "_SCAN", scan)
    records = [{"status": 1, "int_id": n, "message": "m" * 100} for n in range(1000, 800, -1)]
    async with _client(json.dumps(records).encode()) as client:
        page = await client.history.page(start=DAY, end=DAY)
        assert len(page) == 200
        await asyncio.sleep(0)
    async with _client(b'{"balance": "1"}') as client:
        await client.balance()
    loop_thread = threading.get_ident()
    assert threads[0] != loop_thread  # 20+ KB: in a worker thread
    assert threads[1] == loop_thread  # a small answer: on the loop, no thread hop


async def test_a_large_compressed_answer_is_inflated_off_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []
    real = smsc._http.body.undo_coding

    def undo(encoding: str, raw: bytes, limit: int) -> bytes:
        threads.append(threading.get_ident())
        return real(encoding, raw, limit)

    monkeypatch.setattr(smsc._http.attempts, "undo_coding", undo)
    noise = json.dumps({"balance": "1", "pad": [str(n * 7919) for n in range(2000)]}).encode()
    async with _client(noise, "gzip") as client:  # over 4 KiB compressed
        with pytest.raises(smsc.InvalidResponseError):
            await client.balance()
    async with _client(b'{"balance": "1"}', "gzip") as client:
        await client.balance()
    assert threads[0] != threading.get_ident()
    assert threads[1] == threading.get_ident()


def test_every_command_has_bounds_from_its_arguments() -> None:
    for name, spec in COMMANDS.items():
        bounds = spec.answer_bounds(SAMPLE_ARGUMENTS[name])
        assert isinstance(bounds, AnswerBounds), name
        assert 0 < bounds.bytes <= smsc._http.body.MAX_ANSWER_BYTES, name
        assert bounds.items > 0, name


def test_bounds_follow_the_request() -> None:
    def status_bounds(count: int) -> AnswerBounds:
        keys = tuple((n, "79991234567") for n in range(count))
        return STATUS.answer_bounds(StatusQuery(keys))

    assert status_bounds(10).items > status_bounds(1).items
    page = HISTORY.answer_bounds(HistoryQuery(DAY, DAY, count=1000))
    assert page.items > HISTORY.answer_bounds(HistoryQuery(DAY, DAY, count=10)).items


# ----------------------------------------------------------------------------- the docs table

_ROW = re.compile(
    r"^\| `(?P<name>[^`]+)` \| (?P<args>[^|]*) \| (?P<bytes>[\d,]+) \| (?P<items>[\d,]+) \|"
)


def _documented() -> dict[str, tuple[int, int]]:
    text = (ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8")
    section = text.split("<!-- answer-bounds -->")[1]
    rows = {}
    for line in section.splitlines():
        match = _ROW.match(line)
        if match:
            rows[match["name"]] = (
                int(match["bytes"].replace(",", "")),
                int(match["items"].replace(",", "")),
            )
    return rows


def test_the_guarantees_page_lists_every_command_and_its_bounds() -> None:
    from .bounds_table import TABLE_ARGUMENTS

    rows = _documented()
    assert set(rows) == set(COMMANDS)
    for name, spec in COMMANDS.items():
        bounds = spec.answer_bounds(TABLE_ARGUMENTS[name][1])
        assert rows[name] == (bounds.bytes, bounds.items), name


def test_a_send_to_a_contact_group_may_list_its_members() -> None:
    request = SendRequest(phones=("G5", "79991234567"), message="x", id=1)
    phones = [{"phone": f"7999000{n:04d}", "status": 1} for n in range(300)]
    result = SEND.read(json.dumps({"id": 1, "cnt": 300, "phones": phones}).encode(), request)
    assert len(result.phones) == 300


async def test_a_plain_answer_is_read_no_further_than_its_command_bound_on_the_httpx_path() -> None:
    read: list[int] = []

    class Endless(httpx.AsyncByteStream):
        async def __aiter__(self) -> Any:
            while True:
                read.append(65536)
                yield b" " * 65536

    class Streaming(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=Endless())

    async with AsyncSMSCClient(
        login="alice",
        password="secret-password",
        host="https://smsc.test",
        transport=Streaming(),
        failover=False,
        max_retries=0,
    ) as client:
        with pytest.raises(smsc.InvalidResponseError, match="larger than"):
            await client.balance()
    assert sum(read) <= ONE_OBJECT.bytes + 2 * 65536  # not 32 MiB
