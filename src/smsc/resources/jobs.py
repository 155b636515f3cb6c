"""``client.jobs``: server-side mailings (``jobs.php``, protocol §11.1).

A mailing is one text to many phones that the service sends on its own schedule: the client
makes one request and need not stay open. Its messages carry the mailing's id, so each is
followed with ``client.status(job_id, phone)``; :meth:`Jobs.info` counts them by status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Literal, overload

from .. import _wire as wire
from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._enums import MessageFormat, Translit
from .._errors import RequestValidationError
from .._models.jobs import JobCreated, JobInfo
from .._rules.arguments import ExtraValue
from .._rules.send_request import TimeArg, build_send_request
from .._wire.jobs import JobCreate

__all__ = ["Jobs"]

_MAX_NAME = 100  # [INF]: the reference gives no limit; a name is a label in the account


class Jobs:
    """Server-side mailings of the client's account."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    @overload
    async def create(
        self,
        name: str,
        phones: str | Sequence[str],
        message: str,
        *,
        sender: str | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        translit: Translit | int | None = None,
        format: MessageFormat | str = MessageFormat.SMS,
        valid: int | str | timedelta | None = None,
        extra: Mapping[str, ExtraValue] | None = None,
        with_cost: Literal[False] = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int: ...

    @overload
    async def create(
        self,
        name: str,
        phones: str | Sequence[str],
        message: str,
        *,
        sender: str | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        translit: Translit | int | None = None,
        format: MessageFormat | str = MessageFormat.SMS,
        valid: int | str | timedelta | None = None,
        extra: Mapping[str, ExtraValue] | None = None,
        with_cost: Literal[True],
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> JobCreated: ...

    async def create(
        self,
        name: str,
        phones: str | Sequence[str],
        message: str,
        *,
        sender: str | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        translit: Translit | int | None = None,
        format: MessageFormat | str = MessageFormat.SMS,
        valid: int | str | timedelta | None = None,
        extra: Mapping[str, ExtraValue] | None = None,
        with_cost: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int | JobCreated:
        """Create a mailing of ``message`` to ``phones`` (options as for ``send``).

        Returns:
            The mailing's id; with ``with_cost=True`` (``cost=1``) a :class:`JobCreated`
            holding the id and the mailing's cost.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            APIError: the service refused, read with the mailing page's table: 1
                parameters, 2 login, 3 :class:`RecordNotSavedError` (the mailing could not
                be saved), 4 IP blocked, 5 a bad date, 9 too many requests.
            SendOutcomeUnknownError: no answer came; look for it with :meth:`list` before
                creating it again.
        """
        if not isinstance(with_cost, bool):
            raise RequestValidationError("with_cost must be True or False", field="with_cost")
        if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME:
            raise RequestValidationError(f"name must be 1..{_MAX_NAME} characters", field="name")
        request = build_send_request(
            phones,
            message,
            translit=translit,
            time=time,
            tz=tz,
            format=format,
            sender=sender,
            valid=valid,
            extra=extra,
        )
        job = JobCreate(name, request, with_cost)
        if with_cost:
            return await self._client._request(wire.JOB_CREATE_WITH_COST, job, timeout)
        return await self._client._request(wire.JOB_CREATE, job, timeout)

    async def info(self, job_id: int, *, timeout: TimeoutArg = NOT_GIVEN) -> JobInfo:
        """The mailing ``job_id`` and how many of its messages are in each status."""
        return await self._client._request(wire.JOB_INFO, _job_id(job_id), timeout)

    async def list(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[JobInfo]:
        """Every mailing of the account."""
        return await self._client._request(wire.JOB_LIST, None, timeout)

    async def cancel(self, job_id: int, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Stop the mailing: its messages not yet handed over get status -2 (stopped)."""
        await self._client._request(wire.JOB_CANCEL, _job_id(job_id), timeout)

    async def delete(self, job_id: int, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Delete the mailing."""
        await self._client._request(wire.JOB_DELETE, _job_id(job_id), timeout)


def _job_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise RequestValidationError("job_id must be a positive whole number", field="job_id")
    return value
