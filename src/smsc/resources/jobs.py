"""``client.jobs``: server-side mailings (``jobs.php``, protocol §11.1).

A mailing is one text to many phones that the service sends on its own schedule: the client
makes one request and need not stay open. Its messages carry the mailing's id, so each is
followed with ``client.status(job_id, phone)``; :meth:`Jobs.info` counts them by status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from .. import _wire as wire
from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._enums import MessageFormat, Translit
from .._errors import RequestValidationError
from .._models.jobs import JobInfo
from .._rules.arguments import ExtraValue
from .._rules.send_request import TimeArg, build_send_request
from .._wire.jobs import JobCreate

__all__ = ["Jobs"]

_MAX_NAME = 100  # [INF]: the reference gives no limit; a name is a label in the account


class Jobs:
    """Server-side mailings of the client's account."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

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
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int:
        """Create a mailing of ``message`` to ``phones`` (options as for ``send``).

        Returns:
            The mailing's id.

        Raises:
            RequestValidationError: bad arguments (nothing was sent).
            APIError: the service refused (the send error table: 3 no money, 6 denied...).
            SendOutcomeUnknownError: no answer came; look for it with :meth:`list` before
                creating it again.
        """
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
        return await self._client._request(wire.JOB_CREATE, JobCreate(name, request), timeout)

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
