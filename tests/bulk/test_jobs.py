"""client.jobs on the emulator: create, info, list, cancel, delete; the answers' decoding."""

from __future__ import annotations

import pytest

from smsc import (
    AsyncSMSCClient,
    InvalidResponseError,
    JobState,
    MessageDeniedError,
    ParametersError,
    RequestValidationError,
    StatusCode,
)
from smsc._wire import JOB_INFO, JOB_LIST
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


async def test_a_mailing_is_refused_like_a_send(
    client: AsyncSMSCClient, emulator: SMSCEmulator
) -> None:
    emulator.deny_text("casino")
    with pytest.raises(MessageDeniedError):
        await client.jobs.create("x", PHONES, "casino night")
    assert emulator.messages == []


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
