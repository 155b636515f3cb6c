"""`make demo` runs every reference example on the emulator and follows each message."""

from __future__ import annotations

import pytest

from smsc import DeliveryError, StatusCode
from smsc.testing.demo import CALLS, main, run_demo

pytestmark = pytest.mark.integration


async def test_demo_runs_every_reference_call_to_a_final_status() -> None:
    rows = await run_demo(quiet=True)
    calls = [row.call for row in rows]
    assert calls == [
        "send, translit=1",
        "send, maxsms=3",
        "send, binary hex",
        "HLR request",
        "send, offline phone",
        "cost",
        "send by e-mail (SMTP)",
    ]
    final = {row.call: row.status for row in rows if row.message_id is not None}
    assert all(status is not None and status.is_final for status in final.values())
    offline = final["send, offline phone"]
    assert offline is not None
    assert offline.status is StatusCode.UNDELIVERABLE
    assert offline.error is DeliveryError.SUBSCRIBER_OFFLINE
    hlr = final["HLR request"]
    assert hlr is not None
    assert hlr.hlr is not None


def test_demo_command_exits_zero_and_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    printed = capsys.readouterr().out
    assert "every message followed to its final status" in printed
    assert "Impossible to deliver (Subscriber offline)" in printed
    # Each result is printed under the SDK call that produced it, as it ran.
    lines = printed.splitlines()
    for label, code in CALLS:
        assert f"await {code}" in lines, label
    assert 'await client.send(PHONE, "Ваш пароль: 123", translit=Translit.LATIN)' in lines
