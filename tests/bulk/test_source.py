"""read_csv: a campaign's messages from a CSV file, row by row."""

from __future__ import annotations

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
        ("phones,text\n79990000001\n", "line 2: 1 fields, expected 2"),
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
