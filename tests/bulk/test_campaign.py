"""Campaigns on the emulator: outcomes per message, whole-request errors, progress, resume."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from smsc import (
    AsyncSMSCClient,
    AuthenticationError,
    BulkMessage,
    CampaignProgress,
    DeliveryError,
    InsufficientFundsError,
    InvalidPhoneError,
    MessageDeniedError,
    OutcomeState,
    StatusCode,
    UndeliverableError,
)
from smsc.testing import SMSCEmulator

from .conftest import LOGIN, messages, receipts


class _Answers:
    """Counts the answers the emulator gives (one per request it serves)."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self.count = 0
        emulator.on_answer(self._heard)

    def _heard(self, _: str) -> None:
        self.count += 1


async def test_a_batch_is_sent_in_few_requests_and_every_message_is_accepted(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    answers = _Answers(emulator)
    result = await client.send_batch(messages(1000), journal=journal)
    assert answers.count == 5  # 200 lines per request by default
    assert len(result.accepted) == 1000
    assert result.progress.accepted == 1000
    assert result.progress.finished
    assert len({outcome.request_id for outcome in result.accepted}) == 5
    assert sorted(outcome.index for outcome in result.outcomes) == list(range(1000))
    assert set(receipts(emulator).values()) == {1}
    sample = result.accepted[0]
    status = await client.status(sample.request_id or "", sample.phone)
    assert status.status != StatusCode.NOT_FOUND
    assert emulator.messages[0].text == "Order 0 is ready.\nPick it up today."
    assert result.progress.cost == sum(m.cost for m in emulator.messages)


async def test_a_finished_campaign_run_again_sends_no_request(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    await client.send_batch(messages(300), journal=journal)
    answers = _Answers(emulator)
    again = await client.send_batch(messages(300), journal=journal)
    assert answers.count == 0
    assert again.outcomes == ()
    assert again.progress.accepted == 300
    assert again.progress.requests == 0


async def test_refused_numbers_are_reported_with_their_typed_error(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.set_undeliverable("79990000003")
    result = await client.send_batch(messages(10), journal=journal)
    (refused,) = result.refused
    assert refused.index == 3
    assert refused.request_id is not None
    assert refused.status == StatusCode.UNAVAILABLE_NUMBER
    assert refused.delivery_error == DeliveryError.NO_ROUTE
    assert isinstance(refused.error(), UndeliverableError)
    assert len(result.accepted) == 9
    assert "79990000003" not in repr(refused)


async def test_a_denied_text_is_found_by_halves_and_the_others_are_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.deny_text("casino")
    batch = messages(20)
    batch[13] = BulkMessage("79990000013", "Best casino in town")
    result = await client.send_batch(batch, journal=journal)
    (refused,) = result.refused
    assert refused.index == 13
    assert refused.error_code == 6
    assert isinstance(refused.error(), MessageDeniedError)
    assert len(result.accepted) == 19
    assert set(receipts(emulator).values()) == {1}


async def test_a_request_without_a_usable_number_refuses_each_line(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.fail_next_sends("79990000000", 7)
    result = await client.send_batch(messages(3), journal=journal, max_lines=1)
    assert [outcome.index for outcome in result.refused] == [0]
    assert isinstance(result.refused[0].error(), InvalidPhoneError)
    assert len(result.accepted) == 2


async def test_per_number_costs_give_each_message_its_cost(
    client: AsyncSMSCClient, journal: Path
) -> None:
    result = await client.send_batch(messages(5), journal=journal, per_number_costs=True)
    assert all(outcome.cost is not None and outcome.cost > 0 for outcome in result.accepted)
    assert sum(o.cost or 0 for o in result.accepted) == result.progress.cost


async def test_progress_is_reported_after_every_answer(
    client: AsyncSMSCClient, journal: Path
) -> None:
    seen: list[CampaignProgress] = []
    campaign = client.campaign(messages(450), journal=journal, on_progress=seen.append)
    outcomes = [outcome async for outcome in campaign]
    assert len(outcomes) == 450
    assert seen[0].planned == 450
    assert seen[0].done == 0
    done = [snapshot.done for snapshot in seen]
    assert done == sorted(done)
    assert done[-1] == 450
    assert seen[-1].finished
    assert seen[-1].eta == 0.0
    assert seen[-1].requests == 3
    assert campaign.progress.sent_this_run == 450


async def test_no_money_stops_the_campaign_and_a_later_run_sends_the_rest_once(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    emulator.fail_next_sends("79990000250", 3)  # the second request answers "no money"
    with pytest.raises(InsufficientFundsError):
        await client.campaign(messages(400), journal=journal, max_lines=100).run()
    assert len(emulator.messages) < 400
    result = await client.send_batch(messages(400), journal=journal, max_lines=100)
    assert result.progress.accepted == 400
    assert sorted(receipts(emulator).values()) == [1] * 400


async def test_an_authentication_error_stops_before_anything_is_sent(
    emulator: SMSCEmulator, journal: Path
) -> None:
    import httpx

    async with AsyncSMSCClient(
        login=LOGIN,
        password="wrong",
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
    ) as client:
        campaign = client.campaign(messages(10), journal=journal)
        with pytest.raises(AuthenticationError):
            await campaign.run()
        assert campaign.progress.planned == 10
    assert emulator.messages == []


async def test_error_9_pauses_the_campaign_and_it_goes_on(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    now = [0.0]
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    emulator.fail_next_sends("79990000005", 9, times=2)
    campaign = client.campaign(
        messages(10), journal=journal, busy_pause=30, sleep=sleep, clock=lambda: now[0]
    )
    progress = await campaign.run()
    assert progress.accepted == 10
    assert pauses == [30.0, 30.0]
    assert set(receipts(emulator).values()) == {1}


async def test_an_async_iterable_source_streams(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    async def source() -> AsyncIterator[BulkMessage]:
        for message in messages(250):
            yield message

    progress = await client.campaign(source(), journal=journal).run()
    assert progress.accepted == 250
    assert len(emulator.messages) == 250


async def test_a_bad_message_is_refused_before_any_request(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    from smsc import RequestValidationError

    batch = [*messages(500), BulkMessage("79990000001", "a\rb")]
    with pytest.raises(RequestValidationError, match="message 500"):
        await client.send_batch(batch, journal=journal)
    assert emulator.messages == []


async def test_without_a_journal_a_temporary_one_is_removed(
    client: AsyncSMSCClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = await client.send_batch(messages(3))
    assert len(result.accepted) == 3
    assert sorted(tmp_path.iterdir()) == []  # noqa: ASYNC240


def test_outcome_states_are_the_journal_words() -> None:
    assert [state.value for state in OutcomeState] == [
        "planned",
        "in_flight",
        "accepted",
        "refused",
        "unknown",
    ]


async def test_rows_in_doubt_are_settled_by_status_before_anything_is_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    import sqlite3
    from contextlib import closing

    emulator.fail_next_sends("79990000300", 3)  # stops after the first request of 200
    with pytest.raises(InsufficientFundsError):
        await client.campaign(messages(400), journal=journal, max_lines=200).run()
    with closing(sqlite3.connect(journal)) as db, db:  # as a killed run would leave them:
        # two that the service took but whose answer was lost...
        db.execute("UPDATE messages SET state='unknown' WHERE seq IN (3, 4)")
        # ...and two that were committed in flight but never left
        db.execute(
            "UPDATE messages SET state='in_flight', request_id='b-never', sent_at=0 "
            "WHERE seq IN (250, 251)"
        )
    campaign = client.campaign(messages(400), journal=journal, settle_after=0)
    outcomes = [outcome async for outcome in campaign]
    settled = [o for o in outcomes if o.index in (3, 4)]
    assert [o.state for o in settled] == [OutcomeState.ACCEPTED] * 2
    assert campaign.progress.accepted == 400
    assert sorted(receipts(emulator).values()) == [1] * 400


async def test_a_run_left_early_is_closed_and_the_next_run_finishes_it(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    async with client.campaign(messages(600), journal=journal, settle_after=0) as campaign:
        async for outcome in campaign:
            assert outcome.state is OutcomeState.ACCEPTED
            break  # leaves requests in flight; the journal is released on exit
    with pytest.raises(RuntimeError, match="runs once"):
        aiter(campaign)
    rest = await client.send_batch(messages(600), journal=journal, settle_after=0)
    assert rest.progress.accepted == 600
    assert sorted(receipts(emulator).values()) == [1] * 600


async def test_a_misspelt_campaign_option_is_refused_before_anything_is_sent(
    client: AsyncSMSCClient, emulator: SMSCEmulator, journal: Path
) -> None:
    answers = _Answers(emulator)
    options: dict[str, object] = {"max_line": 10}  # a typo of max_lines
    with pytest.raises(TypeError, match="max_line"):
        await client.send_batch(messages(3), journal=journal, **options)  # type: ignore[arg-type]
    assert answers.count == 0


def test_the_jobs_namespace_is_one_attribute_like_the_others(client: AsyncSMSCClient) -> None:
    assert client.jobs is client.jobs
    assert "jobs" in vars(client)
