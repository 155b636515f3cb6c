"""``jobs.php``: server-side mailings (protocol §11.1): create, info, list, cancel, delete.

Creating a mailing is a send of its text to its phones with the mailing's id (every
``send.php`` option applies, and its errors), so its messages are followed with
``status.php`` like any other. Answers other than create's ``{"id": N}`` and the ``OK`` of
cancel and delete are not documented ([INF]): a mailing is an object with ``id``, ``name``,
``status`` (0 waiting, 1 running, 2 finished, 3 cancelled), ``created``, ``cnt`` (messages)
and ``stat`` (status code -> messages). An unknown mailing id is error 1 ([INF]).

Errors come from the mailing page's own table (1, 2, 3 = a record could not be saved, 4,
5 = a bad date, 9), never from the send table: a mailing the send rules refuse (no money,
a denied text, a bad or unreachable number: send errors 3, 6, 7, 8) is answered error 3
("error saving a record"), the emulator's reading of a table that has no other code for it.
``cost=1`` adds the mailing's cost to the answer (``{"id": N, "cost": "1.80"}``).
"""

from __future__ import annotations

from decimal import Decimal

from .._answers import Answer, ErrorAnswer, FieldValue, JobsAnswer, OkAnswer
from .._jobs import Job
from .._model import Account
from .._request import Request
from .._state import ServiceState
from . import send
from ._common import Refused, int_param, money_text

__all__ = ["handle"]

_NAME_MAX = 100
_PASSED_ON = frozenset({1, 2, 4, 5, 9})
"""Send errors the mailing table shares; any other one is answered 3 (record not saved)."""
_NOT_SAVED = 3
# Parameters of jobs.php itself; every other one is a send.php option of the mailing.
_OWN = frozenset({"add", "name", "id", "get", "get_all", "cancel", "del", "cost"})


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Create, show, list, cancel or delete the account's mailings."""
    try:
        if request.flag("add"):
            return _create(state, account, request)
        if request.flag("get_all"):
            return JobsAnswer(tuple(_row(state, job) for job in state.jobs.of(account.login)))
        job_id = int_param(request.get("id"), 0, 1, 2**31 - 1)
        job = state.jobs.get(account.login, job_id)
        if job is None:
            raise Refused(1)
        if request.flag("get"):
            return JobsAnswer((_row(state, job),), single=True)
        if request.flag("cancel"):
            job.cancel(state.clock.now())
            return OkAnswer()
        if request.flag("del"):
            state.jobs.delete(account.login, job_id)
            return OkAnswer()
        raise Refused(1)
    except Refused as refused:
        return ErrorAnswer.of(refused.code)


def _create(state: ServiceState, account: Account, request: Request) -> Answer:
    name = (request.get("name") or "").strip()
    if not name or len(name) > _NAME_MAX:
        raise Refused(1)
    with_cost = request.get("cost") not in (None, "", "0")
    if with_cost and request.get("cost") != "1":  # the mailing page documents cost=1 only
        raise Refused(1)
    job_id = state.next_message_id()
    params = {key: value for key, value in request.params.items() if key not in _OWN}
    params["id"] = str(job_id)
    first = len(state.messages)
    answer = send.handle(state, account, Request(params, request.ip, request.channel))
    if isinstance(answer, ErrorAnswer):
        if answer.code in _PASSED_ON:
            return ErrorAnswer.of(answer.code)
        return ErrorAnswer(_NOT_SAVED, "error saving a record")
    job = Job(job_id, name, account.login, state.clock.now())
    job.messages = [message for message in state.messages[first:] if message.id == job_id]
    state.jobs.add(job)
    if with_cost:
        cost = sum((message.cost for message in job.messages), Decimal("0.00"))
        return JobsAnswer(({"id": job_id, "cost": money_text(cost)},), single=True)
    return JobsAnswer(({"id": job_id},), single=True)


def _row(state: ServiceState, job: Job) -> dict[str, FieldValue | dict[str, int]]:
    return {
        "id": job.id,
        "name": job.name,
        "status": job.state,
        "created": state.format_date(job.created_at),
        "created_timestamp": int(job.created_at),
        "cnt": len([message for message in job.messages if not message.deleted]),
        "stat": job.counts(),
    }
