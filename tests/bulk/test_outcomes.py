"""How answers decide rows, and how rows in doubt are settled (the guards of the audit)."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from smsc import (
    AsyncSMSCClient,
    OutcomeState,
    SendOutcomeUnknownError,
    StatusCode,
    TooManyRequestsError,
)
from smsc._bulk._sending import ClientLink
from smsc._models.messages import MessageStatus, PhoneResult, SendResult
from smsc._wire.bulk import ListSend
from smsc.testing import SMSCEmulator

from .conftest import messages, receipts


def _states(journal: Path) -> dict[str, int]:
    with closing(sqlite3.connect(journal)) as db, db:  # closed, not only committed
        return dict(db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall())


async def test_a_number_with_a_status_but_no_error_code_is_refused_not_accepted(
    client: AsyncSMSCClient, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_list = ClientLink.send_list

    async def with_a_bare_status(self: ClientLink, request: ListSend) -> SendResult:
        result = await send_list(self, request)
        phones = (PhoneResult(phone="79990000003", status=StatusCode.PROHIBITED),)
        return result.model_copy(update={"phones": phones})

    monkeypatch.setattr(ClientLink, "send_list", with_a_bare_status)
    result = await client.send_batch(messages(5), journal=journal)
    outcomes = {o.index: o for o in result.outcomes}
    assert outcomes[3].state is OutcomeState.REFUSED
    assert [outcomes[i].state for i in (0, 1, 2, 4)] == [OutcomeState.ACCEPTED] * 4


async def test_a_refused_number_written_with_a_plus_is_matched_to_its_row(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.set_undeliverable("79990000003")
    send_list = ClientLink.send_list

    async def with_plus_signs(self: ClientLink, request: ListSend) -> SendResult:
        result = await send_list(self, request)
        phones = tuple(
            item.model_copy(update={"phone": "+" + item.phone.lstrip("+")})
            for item in result.phones
        )
        assert phones  # the refused number is in the answer
        return result.model_copy(update={"phones": phones})

    monkeypatch.setattr(ClientLink, "send_list", with_plus_signs)
    result = await client.send_batch(messages(5), journal=journal)
    outcomes = {o.index: o for o in result.outcomes}
    assert outcomes[3].state is OutcomeState.REFUSED


def _in_doubt(journal: Path, sent_at: dict[int, float]) -> None:
    """Put rows back in flight as a killed run leaves them (its requests never arrived)."""
    with closing(sqlite3.connect(journal)) as db, db:
        for seq, when in sent_at.items():
            db.execute(
                "UPDATE messages SET state='in_flight', request_id=?, sent_at=? WHERE seq=?",
                (f"b-lost-{seq}", when, seq),
            )


async def test_settling_waits_for_the_latest_request_in_doubt_not_the_oldest(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    await client.send_batch(messages(10), journal=journal)
    now = time.time()
    _in_doubt(journal, {2: now - 1000, 7: now})
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    await client.campaign(messages(10), journal=journal, settle_after=60, sleep=sleep).run()
    # One wait, slept a second at a time so that progress is told through it (smsc.events).
    assert all(pause <= 1.0 for pause in pauses)
    assert 30 < sum(pauses) <= 60  # from the latest one's departure, not the oldest's


async def test_a_run_stores_when_each_request_left_so_a_resume_waits_for_it(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_list = ClientLink.send_list

    async def answer_lost(self: ClientLink, request: ListSend) -> SendResult:
        await send_list(self, request)  # it arrived, but its answer is lost
        raise SendOutcomeUnknownError("answer lost", message_id=request.id, phones=())

    monkeypatch.setattr(ClientLink, "send_list", answer_lost)
    progress = await client.campaign(messages(100), journal=journal, max_lines=50).run()
    assert progress.unknown == 100
    monkeypatch.undo()
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    progress = await client.campaign(
        messages(100), journal=journal, max_lines=50, settle_after=60, sleep=sleep
    ).run()
    assert progress.accepted == 100
    assert all(pause <= 1.0 for pause in pauses)  # one wait, told a second at a time
    assert 30 < sum(pauses) <= 60  # settle_after counted from when the requests left
    assert sorted(receipts(emulator).values()) == [1] * 100


async def test_error_9_while_settling_pauses_and_asks_again_never_resends(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.send_batch(messages(10), journal=journal)  # every one arrived...
    with closing(sqlite3.connect(journal)) as db, db:  # ...but their answers were lost
        db.execute("UPDATE messages SET state='unknown' WHERE seq IN (3, 4)")
    status_of = ClientLink.status_of
    busy = [2]

    async def busy_at_first(self: ClientLink, request_id: str, phone: str) -> MessageStatus:
        if busy[0] > 0:
            busy[0] -= 1
            raise TooManyRequestsError(9, "duplicate request, wait a minute", command="status")
        return await status_of(self, request_id, phone)

    monkeypatch.setattr(ClientLink, "status_of", busy_at_first)
    now = [0.0]
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    progress = await client.campaign(
        messages(10),
        journal=journal,
        settle_after=0,
        busy_pause=30,
        sleep=sleep,
        clock=lambda: now[0],
    ).run()
    assert progress.accepted == 10
    assert busy == [0]
    assert pauses  # it paused for the busy service...
    assert sorted(receipts(emulator).values()) == [1] * 10  # ...and sent nothing again
