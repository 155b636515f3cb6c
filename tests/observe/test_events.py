"""The client's event hooks (smsc.events): what they are told, and what they never carry."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from smsc import AsyncSMSCClient, CampaignProgress, ConfigurationError
from smsc.events import (
    AttemptEnded,
    AttemptStarted,
    CampaignProgressed,
    Event,
    FailedOver,
    LimiterRefused,
    LimiterWaited,
    Paused,
    RequestAnswered,
    RequestFailed,
    RequestStarted,
    Retrying,
)
from smsc.testing import SMSCEmulator

from . import scenario


@pytest.fixture
async def emulator() -> AsyncIterator[SMSCEmulator]:
    async with SMSCEmulator() as emu:
        yield emu


def _client(emulator: SMSCEmulator, **options: object) -> AsyncSMSCClient:
    if "shop" not in emulator.accounts:
        emulator.add_account("shop", "shop-pass", balance=1000)
    return AsyncSMSCClient(
        login="shop",
        password="shop-pass",
        host="https://emulator.test",
        transport=httpx.ASGITransport(app=emulator.app),
        **options,  # type: ignore[arg-type]
    )


async def test_a_send_tells_its_start_attempt_and_answer_under_one_call_id(
    emulator: SMSCEmulator,
) -> None:
    seen: list[Event] = []
    async with _client(emulator, hooks=[seen.append]) as client:
        await client.send("79991234567", "Hello")
    kinds = [type(event) for event in seen]
    assert kinds == [RequestStarted, LimiterWaited, AttemptStarted, AttemptEnded, RequestAnswered]
    assert {event.call_id for event in seen} == {seen[0].call_id}
    assert {event.command for event in seen} == {"send"}
    answered = seen[-1]
    assert isinstance(answered, RequestAnswered)
    assert answered.site == "https://emulator.test"
    assert answered.attempts == 1
    assert answered.segments == 1
    assert answered.cost is not None
    assert answered.cost > 0
    assert answered.message_format == "sms"
    assert answered.recipients == 1
    started = seen[2]
    assert isinstance(started, AttemptStarted)
    assert started.path == "/sys/send.php"
    ended = seen[3]
    assert isinstance(ended, AttemptEnded)
    assert ended.status_code == 200
    assert ended.failure == ""


async def test_a_hook_for_some_kinds_hears_only_those_and_can_be_removed(
    emulator: SMSCEmulator,
) -> None:
    seen: list[Event] = []
    async with _client(emulator) as client:
        remove = client.events.on(seen.append, RequestAnswered)
        await client.balance()
        remove()
        await client.balance()
        assert not client.events.active
    assert [type(event) for event in seen] == [RequestAnswered]


async def test_a_hook_that_raises_is_logged_and_the_send_goes_on(
    emulator: SMSCEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("hook bug")

    seen: list[Event] = []
    async with _client(emulator, hooks=[broken, seen.append]) as client:
        with caplog.at_level(logging.WARNING, logger="smsc.events"):
            result = await client.send("79991234567", "Hello")
    assert result.count == 1
    assert isinstance(seen[-1], RequestAnswered)  # the next hook still heard everything
    assert "an smsc event hook raised RuntimeError on RequestStarted" in caplog.text


async def test_an_async_hook_is_refused_when_it_is_registered(emulator: SMSCEmulator) -> None:
    async def hook(event: Event) -> None:
        pass

    with pytest.raises(ConfigurationError, match="not async def"):
        _client(emulator, hooks=[hook])
    with pytest.raises(ConfigurationError, match="a list of functions"):
        _client(emulator, hooks=print)
    async with _client(emulator) as client:
        with pytest.raises(ConfigurationError, match="not an event class"):
            client.events.on(print, int)  # type: ignore[arg-type]


async def test_with_options_copies_share_the_hooks(emulator: SMSCEmulator) -> None:
    seen: list[Event] = []
    async with _client(emulator, hooks=[seen.append]) as client:
        await client.with_options(timeout=5).balance()
    assert any(isinstance(event, RequestAnswered) for event in seen)


async def test_no_hook_means_no_event_is_built(
    emulator: SMSCEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smsc.events._bus as bus

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an event was built without a hook")

    monkeypatch.setattr(bus.CallTrace, "__init__", refuse)
    monkeypatch.setattr(bus.Events, "emit", refuse)
    async with _client(emulator) as client:
        await client.send("79991234567", "Hello")
        await client.balance()


async def test_the_scenario_tells_failover_retries_refusals_pauses_and_the_settle_phase(
    emulator: SMSCEmulator, tmp_path: Path
) -> None:
    seen: list[Event] = []
    await scenario.run(emulator, tmp_path / "journal.sqlite", [seen.append])

    switched = [event for event in seen if isinstance(event, FailedOver)]
    assert switched
    assert switched[0].from_site == scenario.PRIMARY
    assert switched[0].to_site == scenario.MIRROR
    assert switched[0].reason == "ConnectError"
    retries = [event for event in seen if isinstance(event, Retrying)]
    assert retries
    assert retries[0].attempt == 2
    never_left = [e for e in seen if isinstance(e, AttemptEnded) and e.never_left]
    assert never_left
    assert never_left[0].site == scenario.PRIMARY

    failed = {(e.outcome, e.error_type, e.error_code) for e in seen if isinstance(e, RequestFailed)}
    assert ("refused", "InvalidPhoneError", 7) in failed
    assert ("refused", "TooManyRequestsError", 9) in failed
    assert ("not_sent", "IdenticalRequestError", None) in failed
    assert ("unknown", "SendOutcomeUnknownError", None) in failed
    refused = [event for event in seen if isinstance(event, LimiterRefused)]
    assert refused
    assert refused[0].rule == "send.identical"
    assert refused[0].retry_after

    pauses = [event for event in seen if isinstance(event, Paused)]
    assert any(p.reason == "settle" and p.messages == 10 and 0 < p.seconds <= 5 for p in pauses)
    campaigns = [event for event in seen if isinstance(event, CampaignProgressed)]
    settling = [event for event in campaigns if event.phase == "settling"]
    lefts = [e.settle_seconds_left for e in settling if e.settle_seconds_left is not None]
    assert len(lefts) >= 4
    assert lefts == sorted(lefts, reverse=True)
    assert settling[-1].settled == 10
    assert settling[-1].in_doubt == 10
    assert campaigns[-1].phase == "finished"
    assert campaigns[-1].accepted == 40
    ends = [e for e in seen if isinstance(e, RequestAnswered) and e.command == "campaign"]
    assert len(ends) == 2


async def test_no_event_carries_a_phone_text_login_password_or_key(
    emulator: SMSCEmulator, tmp_path: Path
) -> None:
    seen: list[Event] = []
    await scenario.run(emulator, tmp_path / "journal.sqlite", [seen.append])
    assert len(seen) > 100
    values = [repr(event) for event in seen]
    values += [str(value) for event in seen for value in dataclasses.astuple(event)]
    leaks = {secret for secret in scenario.planted() for text in values if secret in text}
    assert leaks == set()


async def test_on_progress_counts_the_settle_wait_down(
    emulator: SMSCEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    progress: list[CampaignProgress] = []
    sleeps: list[float] = []
    with caplog.at_level(logging.INFO, logger="smsc.bulk"):
        await scenario.run(
            emulator, tmp_path / "journal.sqlite", [], on_progress=progress.append, sleeps=sleeps
        )
    waiting = [p for p in progress if p.settle_seconds_left is not None]
    lefts = [p.settle_seconds_left or 0.0 for p in waiting]
    assert len(waiting) >= 4
    assert all(p.phase == "settling" and p.in_doubt == 10 for p in waiting)
    assert lefts == sorted(lefts, reverse=True)
    assert all(step <= 1.0 for step in sleeps[-len(waiting) :])
    assert progress[-1].settled == 10
    assert progress[-1].phase == "finished"
    assert "10 messages in doubt from an earlier run; asking the service about them in" in (
        caplog.text
    )
    for secret in scenario.planted():
        assert secret not in caplog.text
