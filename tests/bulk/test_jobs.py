"""client.jobs on the emulator: create, info, list, cancel, delete; the answers' decoding."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from smsc import (
    APIError,
    AsyncSMSCClient,
    AuthenticationError,
    InsufficientFundsError,
    InvalidResponseError,
    InvalidTimeError,
    IPBlockedError,
    JobCreated,
    JobState,
    MessageDeniedError,
    ParametersError,
    RecordNotSavedError,
    RequestValidationError,
    StatusCode,
    TooManyRequestsError,
)
from smsc._models.messages import SendRequest
from smsc._wire import JOB_CANCEL, JOB_CREATE, JOB_INFO, JOB_LIST
from smsc._wire.jobs import JobCreate
from smsc.testing import SMSCEmulator

PHONES = ["79990000001", "79990000002", "79990000003"]


async def test_a_mailing_is_created_followed_and_cancelled(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    job_id = await client.jobs.create("spring sale", PHONES, "Sale!", time="+30")
    info = await client.jobs.info(job_id)
    assert info.id == job_id
    assert info.name == "spring sale"
    assert info.state is JobState.WAITING
    assert info.total == 3
    assert info.statuses == {StatusCode.PENDING: 3}
    assert info.created is not None
    status = await client.status(job_id, PHONES[1])
    assert status.status is StatusCode.PENDING
    await client.jobs.cancel(job_id)
    info = await client.jobs.info(job_id)
    assert info.state is JobState.CANCELLED
    assert info.statuses == {StatusCode.STOPPED: 3}
    assert [job.id for job in await client.jobs.list()] == [job_id]
    await client.jobs.delete(job_id)
    assert await client.jobs.list() == []
    with pytest.raises(ParametersError):
        await client.jobs.info(job_id)


async def test_a_finished_mailing_counts_its_delivered_messages(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    job_id = await client.jobs.create("news", PHONES, "News")
    emulator.advance(3600)
    info = await client.jobs.info(job_id)
    assert info.state is JobState.FINISHED
    assert info.statuses == {StatusCode.DELIVERED: 3}


async def test_a_mailing_the_send_rules_refuse_is_a_record_not_saved(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    """The mailing page's table has no code 6: a denied text is error 3 (error saving a
    record), read with that table, never as the send table's ``InsufficientFundsError``."""
    emulator.deny_text("casino")
    with pytest.raises(RecordNotSavedError) as caught:
        await client.jobs.create("x", PHONES, "casino night")
    assert caught.value.code == 3
    assert not isinstance(caught.value, (InsufficientFundsError, MessageDeniedError))
    assert emulator.messages == []


async def test_a_mailing_created_with_cost_reports_its_cost(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    created = await client.jobs.create("costed", PHONES, "News", with_cost=True)
    assert isinstance(created, JobCreated)
    assert created.cost == sum((m.cost for m in emulator.messages), Decimal(0))
    assert created.cost > 0
    assert (await client.jobs.info(created.id)).total == len(PHONES)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (1, ParametersError),
        (2, AuthenticationError),
        (3, RecordNotSavedError),
        (4, IPBlockedError),
        (5, InvalidTimeError),
        (9, TooManyRequestsError),
    ],
)
def test_mailing_errors_are_read_with_the_mailing_table(code: int, cls: type[APIError]) -> None:
    body = json.dumps({"error": "x", "error_code": code}).encode()
    job = JobCreate("x", SendRequest(phones=("79991234567",), message="x"))
    reads: list[Callable[[], object]] = [
        lambda: JOB_CREATE.read(body, job),
        lambda: JOB_INFO.read(body, 7),
        lambda: JOB_CANCEL.read(body, 7),
    ]
    for read in reads:
        with pytest.raises(cls) as caught:
            read()
        assert type(caught.value) is cls
    assert dict(JOB_CREATE.errors) == dict(JOB_INFO.errors)
    assert set(JOB_CREATE.errors) == {1, 2, 3, 4, 5, 9}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.jobs.create("", PHONES, "x"), "name"),
        (lambda c: c.jobs.create("n" * 101, PHONES, "x"), "name"),
        (lambda c: c.jobs.create("n", ["123"], "x"), "phones"),
        (lambda c: c.jobs.info(0), "job_id"),
        (lambda c: c.jobs.cancel(True), "job_id"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, emulator: SMSCEmulator, call: object, field: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await call(client)  # type: ignore[operator]
    assert caught.value.field == field


def test_a_mailing_answer_with_unknown_fields_and_codes_is_read_as_far_as_it_goes() -> None:
    info = JOB_INFO.read(b'{"id": 7, "status": 9, "stat": {"1": 2, "x": 1, "-2": "no"}}', 7)
    assert info.state == 9
    assert info.statuses == {StatusCode.DELIVERED: 2}
    assert info.name is None
    assert info.total is None
    jobs = JOB_LIST.read(b'{"jobs": [{"id": 1}, {"id": 2}]}', None)
    assert [job.id for job in jobs] == [1, 2]


@pytest.mark.parametrize("body", [b"[]", b'{"name": "no id"}', b'{"id": "x"}', b'"text"', b"{"])
def test_a_mailing_answer_without_a_usable_id_is_invalid(body: bytes) -> None:
    with pytest.raises(InvalidResponseError):
        JOB_INFO.read(body, 1)


@pytest.mark.parametrize("body", [b'[{"id": -1}]', b'{"jobs": 5}', b"7", b'[{"id": 1}, 3]'])
def test_a_list_of_mailings_that_is_not_one_is_invalid(body: bytes) -> None:
    with pytest.raises(InvalidResponseError):
        JOB_LIST.read(body, None)
