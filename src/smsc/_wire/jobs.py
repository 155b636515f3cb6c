"""``jobs.php``: server-side mailings (protocol §11.1) as specs.

Create takes every ``send.php`` option (applied to each message) and ``cost=1`` (the answer
then carries the mailing's cost too); info, list, cancel and delete take the mailing's id.
Every action reads errors with the mailing page's own table (:data:`~.errors.JOB_ERRORS`:
1, 2, 3 a record could not be saved, 4, 5 a bad date, 9), not the send table. The answers
of create (``{"id": N}``, with ``cost=1`` ``{"id": N, "cost": "..."}``), cancel and delete
(``{"result": "OK"}``) are from the reference; the layout of info and list is not documented
([UNK]) and is assumed as the emulator writes it: an object per mailing with ``id``,
``name``, ``status``, ``created`` (``DD.MM.YYYY hh:mm:ss``, Moscow time), ``cnt`` (its
messages) and ``stat`` (message status -> count). Fields missing from a real answer are
``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .._enums import StatusCode
from .._errors import InvalidResponseError
from .._models.jobs import JobCreated, JobInfo, JobState
from .._models.messages import SendRequest
from ._spec import CommandSpec
from .answers import expect_object
from .bounds import MAX_LIST_RECORDS
from .errors import JOB_ERRORS
from .forms import send_form
from .values import decimal, enum_or_int, excerpt, integer, moment, text

__all__ = [
    "JOBS",
    "JOB_CANCEL",
    "JOB_CREATE",
    "JOB_CREATE_WITH_COST",
    "JOB_DELETE",
    "JOB_INFO",
    "JOB_LIST",
    "JobCreate",
]

_PATH: Final = "/sys/jobs.php"
_MAX_STATUSES: Final = 64


@dataclass(frozen=True, slots=True)
class JobCreate:
    """A checked mailing: its name and the send it makes for each phone."""

    name: str
    send: SendRequest
    with_cost: bool = False


def _create_form(job: JobCreate) -> dict[str, str]:
    form = send_form(job.send)
    for own in ("cost", "id"):  # a mailing has its own id; its cost mode is cost=1 alone
        form.pop(own, None)
    if job.with_cost:
        form["cost"] = "1"
    return {"add": "1", "name": job.name, **form}


def _created(data: Any, body: bytes, _: JobCreate) -> int:
    job_id = integer(expect_object(data, "jobs", body).get("id"))
    if job_id is None or job_id <= 0:
        raise InvalidResponseError("jobs: no mailing id in the answer", body_excerpt=excerpt(body))
    return job_id


def _created_with_cost(data: Any, body: bytes, job: JobCreate) -> JobCreated:
    cost = decimal(expect_object(data, "jobs", body).get("cost"))
    if cost is None or cost < 0:
        raise InvalidResponseError("jobs: no cost in the answer", body_excerpt=excerpt(body))
    return JobCreated(id=_created(data, body, job), cost=cost)


def _ok(data: Any, body: bytes, _: int) -> None:
    if expect_object(data, "jobs", body).get("result") != "OK":
        raise InvalidResponseError("jobs: expected result OK", body_excerpt=excerpt(body))


def _id_form(action: str) -> Any:
    def form(job_id: int) -> dict[str, str]:
        return {action: "1", "id": str(job_id)}

    return form


def job_info(item: Any, body: bytes) -> JobInfo:
    """One mailing of an info or list answer."""
    obj = expect_object(item, "jobs", body)
    job_id = integer(obj.get("id"))
    if job_id is None or job_id <= 0:
        raise InvalidResponseError("jobs: a mailing without an id", body_excerpt=excerpt(body))
    raw = obj.get("stat")
    statuses: dict[StatusCode | int, int] = {}
    if isinstance(raw, dict):
        for code, count in list(raw.items())[:_MAX_STATUSES]:
            status = enum_or_int(StatusCode, code)
            number = integer(count)
            if status is not None and number is not None and number >= 0:
                statuses[status] = number
    return JobInfo(
        id=job_id,
        name=text(obj.get("name")),
        state=enum_or_int(JobState, obj.get("status")),
        created=moment(obj.get("created_timestamp"), obj.get("created")),
        total=integer(obj.get("cnt")),
        statuses=statuses,
    )


def _info(data: Any, body: bytes, _: int) -> JobInfo:
    return job_info(data, body)


def _list(data: Any, body: bytes, _: None) -> list[JobInfo]:
    if isinstance(data, dict) and "jobs" in data:
        data = data["jobs"]  # [INF] a wrapped list is read too
    if not isinstance(data, list):  # {} or an unrelated object is not an empty list
        raise InvalidResponseError("jobs: expected a list of mailings", body_excerpt=excerpt(body))
    if len(data) > MAX_LIST_RECORDS:  # refused, not cut: nothing is dropped silently
        raise InvalidResponseError("jobs: too many mailings", body_excerpt=excerpt(body))
    return [job_info(item, body) for item in data]


JOB_CREATE: Final = CommandSpec[JobCreate, int](
    name="job_create",
    path=_PATH,
    may_repeat=False,
    errors=JOB_ERRORS,
    encode=_create_form,
    decode=_created,
)
"""Create a mailing (``add=1``); the answer is its id."""

JOB_CREATE_WITH_COST: Final = CommandSpec[JobCreate, JobCreated](
    name="job_create_with_cost",
    path=_PATH,
    may_repeat=False,
    errors=JOB_ERRORS,
    encode=_create_form,
    decode=_created_with_cost,
)
"""Create a mailing and read its cost (``add=1&cost=1``)."""

JOB_INFO: Final = CommandSpec[int, JobInfo](
    name="job_info",
    path=_PATH,
    may_repeat=True,
    errors=JOB_ERRORS,
    encode=_id_form("get"),
    decode=_info,
)
"""A mailing and its messages' statuses (``get=1``)."""

JOB_LIST: Final = CommandSpec[None, list[JobInfo]](
    name="job_list",
    path=_PATH,
    may_repeat=True,
    errors=JOB_ERRORS,
    encode=lambda _: {"get_all": "1"},
    decode=_list,
)
"""Every mailing of the account (``get_all=1``)."""

JOB_CANCEL: Final = CommandSpec[int, None](
    name="job_cancel",
    path=_PATH,
    may_repeat=True,
    errors=JOB_ERRORS,
    encode=_id_form("cancel"),
    decode=_ok,
)
"""Stop a mailing's messages not yet handed over (``cancel=1``; repeating it is harmless)."""

JOB_DELETE: Final = CommandSpec[int, None](
    name="job_delete",
    path=_PATH,
    may_repeat=True,
    errors=JOB_ERRORS,
    encode=_id_form("del"),
    decode=_ok,
)
"""Delete a mailing (``del=1``)."""

JOBS: Final = (JOB_CREATE, JOB_CREATE_WITH_COST, JOB_INFO, JOB_LIST, JOB_CANCEL, JOB_DELETE)
"""The mailing commands."""
