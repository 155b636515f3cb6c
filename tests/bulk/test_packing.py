"""Packing messages into list requests: budgets, one phone per request, the list layout."""

from __future__ import annotations

import urllib.parse

import pytest

from smsc import BulkMessage, MessageFormat, PackingLimits, RequestValidationError
from smsc._bulk._journal import JournalRow
from smsc._bulk._packing import Packer, plan_message
from smsc._wire import SEND_LIST
from smsc._wire.bulk import ListSend, list_line_size


def _rows(messages: list[BulkMessage]) -> list[JournalRow]:
    rows: list[JournalRow] = []
    for index, message in enumerate(messages):
        for planned in plan_message(index, message):
            rows.append(JournalRow(len(rows) + 1, *planned))
    return rows


def _pack(rows: list[JournalRow], limits: PackingLimits) -> list[list[JournalRow]]:
    packer = Packer(limits)
    batches = [batch for row in rows for batch in packer.add(row)]
    return [batch.rows for batch in batches + packer.flush()]


def _encoded_list(rows: list[JournalRow]) -> int:
    form = SEND_LIST.encode(ListSend("b-1", tuple((row.phone, row.text) for row in rows)))
    return len(urllib.parse.urlencode({"list": form["list"]}))


def test_requests_hold_at_most_the_line_budget() -> None:
    rows = _rows([BulkMessage(f"7999{n:07d}", f"text {n}") for n in range(450)])
    batches = _pack(rows, PackingLimits(max_lines=200))
    assert [len(batch) for batch in batches] == [200, 200, 50]
    assert sorted(row.row for batch in batches for row in batch) == [row.row for row in rows]


def test_requests_stay_under_the_byte_budget_as_encoded() -> None:
    text = "Заказ готов, заберите сегодня. " * 10  # Cyrillic: 6 bytes per letter encoded
    rows = _rows([BulkMessage(f"7999{n:07d}", text) for n in range(300)])
    limits = PackingLimits(max_request_bytes=40_000, max_lines=1000)
    batches = _pack(rows, limits)
    assert len(batches) > 1
    for batch in batches:
        assert _encoded_list(batch) <= limits.max_request_bytes
    assert sum(len(batch) for batch in batches) == 300


def test_a_phone_appears_at_most_once_per_request() -> None:
    repeated = [BulkMessage("+7 999 000-00-01", f"reminder {n}") for n in range(3)]
    others = [BulkMessage(f"7999{n:07d}", "x") for n in range(10, 14)]
    batches = _pack(_rows(repeated + others), PackingLimits())
    assert len(batches) == 3
    for batch in batches:
        digits = ["".join(ch for ch in row.phone if ch.isdigit()) for row in batch]
        assert len(digits) == len(set(digits))


def test_a_phone_given_twice_in_one_message_is_one_outcome() -> None:
    assert len(plan_message(0, BulkMessage("79990000001,+79990000001;79990000002", "x"))) == 2


def test_messages_with_other_sender_time_or_format_go_in_other_requests() -> None:
    batch_messages = [
        BulkMessage("79990000001", "a"),
        BulkMessage("79990000002", "b", sender="Shop"),
        BulkMessage("79990000003", "c", time="+60"),
        BulkMessage("79990000004", "d", format=MessageFormat.FLASH),
        BulkMessage("79990000005", "e"),
    ]
    batches = _pack(_rows(batch_messages), PackingLimits())
    assert sorted(len(batch) for batch in batches) == [1, 1, 1, 2]


def test_a_line_feed_is_written_as_backslash_n_and_lines_split_on_real_ones() -> None:
    form = SEND_LIST.encode(
        ListSend("b-7", (("79990000001", "one\ntwo: three"), ("79990000002", "x")))
    )
    assert form["list"] == "79990000001:one\\ntwo: three\n79990000002:x"
    assert form["id"] == "b-7"
    assert form["err"] == "1"
    assert "op" not in form


def test_per_number_costs_ask_for_every_number() -> None:
    form = SEND_LIST.encode(ListSend("b-7", (("79990000001", "x"),), per_number=True))
    assert form["op"] == "1"
    assert "err" not in form


def test_the_line_size_bound_covers_the_encoded_line() -> None:
    line = ("79990000001", "Ünïcødé & spaces: 100% \U0001f600\n")
    assert list_line_size(*line) >= _encoded_list([JournalRow(1, 0, *line, None, None, "sms", 1)])


@pytest.mark.parametrize(
    ("message", "field", "detail"),
    [
        (BulkMessage("79990000001:x", "text"), "phones", "phones"),
        (BulkMessage("79990000001", "C:\\new folder"), "text", "\\n"),
        (BulkMessage("79990000001", "line\r\nline"), "text", "carriage return"),
        (BulkMessage("G12", "text"), "phones", "contact group"),
        (BulkMessage("79990000001", "x", format=MessageFormat.HLR), "format", "send()"),
        (BulkMessage("79990000001", ""), "message", "empty"),
        (BulkMessage("79990000001", "x", sender="much too long a sender"), "sender", ""),
    ],
)
def test_a_message_that_would_break_the_list_layout_is_refused_with_its_position(
    message: BulkMessage, field: str, detail: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        plan_message(41, message)
    assert str(caught.value).startswith("message 41: ")
    assert detail in str(caught.value)
    assert caught.value.field == field
    assert "79990000001" not in str(caught.value)


def test_packing_limits_are_checked() -> None:
    with pytest.raises(RequestValidationError):
        PackingLimits(max_lines=0)
    with pytest.raises(RequestValidationError):
        PackingLimits(max_request_bytes=100)
    with pytest.raises(RequestValidationError):
        PackingLimits(max_request_bytes=2_000_000)


def test_a_ninth_open_group_sends_the_oldest_batch_instead_of_dropping_it() -> None:
    # Twelve senders interleaved: more groups open at once than the packer holds.
    messages = [
        BulkMessage(f"7999{n:07d}", f"text {n}", sender=f"Shop{n % 12}") for n in range(120)
    ]
    rows = _rows(messages)
    packer = Packer(PackingLimits(max_lines=200))
    evicted = [batch for row in rows for batch in packer.add(row)]
    assert evicted  # the bound on open groups was reached...
    batches = [batch.rows for batch in evicted + packer.flush()]
    sent = sorted(row.row for batch in batches for row in batch)
    assert sent == [row.row for row in rows]  # ...and every row still goes in a request
    for batch in batches:
        assert len({row.sender for row in batch}) == 1


def test_the_byte_budget_leaves_room_for_each_lines_separator() -> None:
    # Every byte of a line may take three characters encoded, and so may the line feed
    # between lines: the budget holds both, whatever the line.
    rows = _rows([BulkMessage(f"7999{n:07d}", "&" * 40) for n in range(200)])
    line = SEND_LIST.encode(ListSend("b-1", ((rows[0].phone, rows[0].text),)))["list"]
    worst = 3 * len(line.encode("utf-8"))  # one line, every byte escaped
    limits = PackingLimits(max_request_bytes=90 * worst, max_lines=1000)
    batches = _pack(rows, limits)
    assert len(batches) > 1  # the budget, not the line count, cut the requests
    for batch in batches:
        assert len(batch) * (worst + 3) <= limits.max_request_bytes
