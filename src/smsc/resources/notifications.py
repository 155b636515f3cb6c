"""``client.notifications``: event notifications of a task group (``ping.php``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._wire.notify import NOTIFY, Notification
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Notifications"]

_MAX_TEXT = 1000  # [INF]: the page gives no limit; a macro's value is a line of a message


def _text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise RequestValidationError(
            f"{field} must be text of at most {_MAX_TEXT} characters", field=field
        )
    return value


class Notifications:
    """Notifications through a task group of the web account (its texts, kinds of message
    and contacts are set there). Reached as ``client.notifications``.

    Example:
        ```python
        await client.notifications.send(12, name="db-1", host="10.0.0.5", info="disk full")
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def send(
        self,
        group_id: int,
        *,
        name: str | None = None,
        host: str | None = None,
        info: str | None = None,
        ok: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Have the service notify the contacts of task group ``group_id``.

        Args:
            group_id: the group's id (the "ID" column of the web account).
            name: fills the ``{NAME}`` macro (the rule or server).
            host: fills ``{HOST}`` (the address checked).
            info: fills ``{INFO}`` (more about the event).
            ok: True sends ``ok=1``: the group's other template (not the default event one).

        Raises:
            RequestValidationError: a bad id, text or flag (nothing was sent).
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                the contacts may have been notified).
        """
        args = Notification(
            group_id=check.record_id(group_id, "group_id"),
            name=_text(name, "name"),
            host=_text(host, "host"),
            info=_text(info, "info"),
            ok=check.flag(ok, "ok"),
        )
        await self._client._request(NOTIFY, args, timeout)
