"""read_csv: a campaign's messages from a CSV file, row by row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smsc import AsyncSMSCClient, BulkMessage, MessageFormat, RequestValidationError, read_csv
from smsc._wire import SEND_LIST
from smsc._wire.bulk import ListSend
from smsc.testing import SMSCEmulator


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_messages_with_optional_sender_and_time(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "c.csv",
        'Phones,text,sender,time\n79990000001,"Hello,\nworld",Shop,+60\n'
        "79990000002;79990000003,Bye,,\n\n",
    )
    assert list(read_csv(source, format=MessageFormat.FLASH)) == [
        BulkMessage("79990000001", "Hello,\nworld", "Shop", "+60", MessageFormat.FLASH),
        BulkMessage("79990000002;79990000003", "Bye", None, None, MessageFormat.FLASH),
    ]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("", "empty"),
        ("phone,text\n", "missing: phones"),
        ("phones,text,colour\n", "unknown: colour"),
        ("phones,text\n79990000001\n", "row 1 \\(line 2\\): 1 fields, expected 2"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(tmp_path: Path, content: str, detail: str) -> None:
    source = _write(tmp_path / "c.csv", content)
    with pytest.raises(RequestValidationError, match=detail):
        list(read_csv(source))


async def test_a_campaign_reads_a_csv_source(
    client: AsyncSMSCClient, emulator: SMSCEmulator, tmp_path: Path
) -> None:
    rows = "".join(f"7999{n:07d},Hi {n},Shop\n" for n in range(30))
    source = _write(tmp_path / "c.csv", "phones,text,sender\n" + rows)
    result = await client.send_batch(read_csv(source), journal=tmp_path / "j.sqlite")
    assert len(result.accepted) == 30
    assert {m.sender for m in emulator.messages} == {"Shop"}


def test_a_packed_request_carries_its_sender_time_and_format() -> None:
    form = SEND_LIST.encode(
        ListSend("b-2", (("79990000001", "x"),), "Shop", "+60", MessageFormat.FLASH)
    )
    assert (form["sender"], form["time"], form["flash"]) == ("Shop", "+60", "1")


def test_a_utf8_byte_order_mark_before_the_header_is_skipped(tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("phones,text\n79990000001,Hi\n".encode("utf-8-sig"))
    assert list(read_csv(source)) == [BulkMessage("79990000001", "Hi")]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("phones,text,text\n79990000001,a,b\n", "names text more than once"),
        (
            'phones,text\n79990000001,ok\n79990000002,"open\n79990000003,swallowed\n',
            r"row 2 \(line 3\): a quote opened here is never closed",
        ),
        (
            'phones,text\n79990000001,ok\n79990000002,"' + "x" * 140_000 + '"\n',
            r"row 2 \(line 3\): a field longer than 131,072 characters",
        ),
    ],
    ids=["repeated column", "unclosed quote", "field over the limit"],
)
def test_csv_edges_are_refused_naming_the_row_and_line(
    tmp_path: Path, content: str, detail: str
) -> None:
    source = _write(tmp_path / "c.csv", content)
    with pytest.raises(RequestValidationError, match=detail):
        list(read_csv(source))


def test_a_file_without_line_breaks_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    source = tmp_path / "zeros.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("phones,text\n")
        for _ in range(64):  # 64 MiB on one line: read whole, it would all be in memory
            handle.write("\0" * (1 << 20))
    reads: list[int] = []

    class Counting(io.TextIOWrapper):
        def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
            line = super().readline(size if size is not None else -1)
            reads.append(len(line))
            return line

    original = open

    def counting_open(file: object, *args: object, **kwargs: object) -> io.TextIOWrapper:
        binary = original(file, "rb")  # type: ignore[call-overload]
        return Counting(binary, encoding="utf-8", newline="")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("smsc._bulk._source.open", counting_open, raising=False)
        messages = read_csv(source)
        with pytest.raises(RequestValidationError, match="line 2: longer than 262,144"):
            list(messages)
    assert max(reads) <= 256 * 1024 + 1  # no line read past the bound
