"""SMSCClient against the emulator served on a loopback socket from a background thread."""

from __future__ import annotations

import pytest

from smsc import (
    AuthenticationError,
    Balance,
    InsufficientFundsError,
    MessageStatus,
    RequestValidationError,
    SendResult,
    SMSCClient,
    SMSCError,
    StatusCode,
    StatusWaitTimeoutError,
)
from smsc.testing import ThreadedEmulator

PHONE = "79991234567"


def test_send_is_accepted_and_recorded_by_the_emulator_once(
    smsc_sync_client: SMSCClient, smsc_sync_emulator: ThreadedEmulator
) -> None:
    result = smsc_sync_client.send(PHONE, "Your code: 1234")
    assert isinstance(result, SendResult)
    assert result.count == 1
    recorded = smsc_sync_emulator.call(smsc_sync_emulator.emulator.messages_to, PHONE)
    assert [message.text for message in recorded] == ["Your code: 1234"]


def test_status_of_a_sent_message_is_read(smsc_sync_client: SMSCClient) -> None:
    sent = smsc_sync_client.send(PHONE, "hello")
    status = smsc_sync_client.status(sent.id, PHONE)
    assert isinstance(status, MessageStatus)
    assert status.id == sent.id


def test_balance_falls_by_the_cost_of_a_send(smsc_sync_client: SMSCClient) -> None:
    before = smsc_sync_client.balance()
    sent = smsc_sync_client.send(PHONE, "hello")
    after = smsc_sync_client.balance()
    assert isinstance(after, Balance)
    assert sent.cost is not None
    assert after.amount == before.amount - sent.cost


def test_wrong_password_raises_the_same_error_as_the_async_client(
    smsc_sync_emulator: ThreadedEmulator,
) -> None:
    with (
        SMSCClient(
            login="demo", password="wrong", host=smsc_sync_emulator.url, allow_http=True
        ) as client,
        pytest.raises(AuthenticationError),
    ):
        client.balance()


def test_an_api_error_of_a_send_is_its_typed_subclass(
    smsc_sync_client: SMSCClient, smsc_sync_emulator: ThreadedEmulator
) -> None:
    smsc_sync_emulator.call(smsc_sync_emulator.emulator.fail_next_sends, PHONE, 3)
    with pytest.raises(InsufficientFundsError):
        smsc_sync_client.send(PHONE, "hello")


def test_bad_arguments_are_refused_before_any_request(
    smsc_sync_client: SMSCClient, smsc_sync_emulator: ThreadedEmulator
) -> None:
    with pytest.raises(RequestValidationError):
        smsc_sync_client.send("not a phone", "hello")
    assert smsc_sync_emulator.sites[0].requests == 0


def test_a_namespace_command_runs_on_the_sync_client(smsc_sync_client: SMSCClient) -> None:
    assert smsc_sync_client.senders.list() == smsc_sync_client.senders.list()
    assert isinstance(smsc_sync_client.senders.list(), list)


def test_wait_for_status_polls_until_final_on_an_injected_clock(
    smsc_sync_client: SMSCClient, smsc_sync_emulator: ThreadedEmulator
) -> None:
    sent = smsc_sync_client.send(PHONE, "hello")
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds
        smsc_sync_emulator.call(smsc_sync_emulator.emulator.advance, 600.0)

    final = smsc_sync_client.wait_for_status(
        sent.id, PHONE, timeout=3600, clock=lambda: now[0], sleep=sleep
    )
    assert final.status is StatusCode.DELIVERED
    assert slept  # it waited (on the fake clock) before polling


def test_wait_for_status_gives_up_at_its_timeout(smsc_sync_client: SMSCClient) -> None:
    sent = smsc_sync_client.send(PHONE, "hello")
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds  # the emulator's clock does not move: the status stays pending

    with pytest.raises(StatusWaitTimeoutError):
        smsc_sync_client.wait_for_status(
            sent.id, PHONE, timeout=30, clock=lambda: now[0], sleep=sleep
        )


def test_with_options_shares_the_pool_and_closing_it_keeps_the_parent_open(
    smsc_sync_client: SMSCClient,
) -> None:
    copy = smsc_sync_client.with_options(timeout=20.0)
    assert isinstance(copy, SMSCClient)
    assert copy.http_client is smsc_sync_client.http_client
    copy.balance()
    copy.close()
    smsc_sync_client.balance()


def test_a_closed_client_refuses_calls(smsc_sync_emulator: ThreadedEmulator) -> None:
    with SMSCClient(
        login="demo", password="demo", host=smsc_sync_emulator.url, allow_http=True
    ) as client:
        client.balance()
    with pytest.raises(SMSCError, match="closed"):
        client.balance()


def test_the_repr_hides_the_password(smsc_sync_emulator: ThreadedEmulator) -> None:
    with SMSCClient(
        login="demo", password="s3cret-pw", host=smsc_sync_emulator.url, allow_http=True
    ) as client:
        assert "s3cret-pw" not in repr(client)
        assert "s3cret-pw" not in repr(client.config)
