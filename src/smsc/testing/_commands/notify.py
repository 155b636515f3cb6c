"""``ping.php``: event notifications through a task group of the account.

``id`` names the group (:attr:`~.._directory.Directory.task_groups`, set by a test; error 1
for another); ``name``, ``host`` and ``info`` fill the macros, ``ok`` is 0 or 1 (else error
1). The notification is recorded in :attr:`~.._directory.Directory.notifications` and
answered ``{"result": "OK"}`` (the page's answer layout is the emulator's choice).
"""

from __future__ import annotations

from .._answers import Answer, ErrorAnswer, OkAnswer
from .._directory import NotificationRecord
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Refused, int_param

__all__ = ["handle"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Record the notification of the task group ``id``."""
    try:
        group = int_param(request.get("id"), 0, 1, 2**31 - 1)
        if group not in account.directory.task_groups:
            raise Refused(1)
        ok = request.get("ok") or "0"
        if ok not in ("0", "1"):
            raise Refused(1)
        account.directory.notifications.append(
            NotificationRecord(
                group=group,
                name=request.get("name") or "",
                host=request.get("host") or "",
                info=request.get("info") or "",
                ok=ok == "1",
                at=state.clock.now(),
            )
        )
        return OkAnswer()
    except Refused as refused:
        return ErrorAnswer.of(refused.code)
