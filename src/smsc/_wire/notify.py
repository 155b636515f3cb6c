"""``ping.php``: event notifications (the service's "event notifications" page).

A task group made in the web account holds the notification texts, the kinds of message and
the contacts; ``ping.php?id=<group>`` has the service notify them, with ``name``, ``host`` and
``info`` filling the ``{NAME}``, ``{HOST}`` and ``{INFO}`` macros of the text, and ``ok=1``
choosing the group's other template (``0``, the default, is the template of an event).

Named assumptions (the page's answer and error table were not read): the answer is
``{"result": "OK"}`` (an object with an ``id`` is read as done too); the codes every command
shares (1, 2, 4, 9) are mapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ._spec import CommandSpec
from .errors import ACCOUNT_DATA_ERRORS
from .records import done, present

__all__ = ["NOTIFY", "Notification"]


@dataclass(frozen=True, slots=True)
class Notification:
    """A checked notification: the task group and the macros' values."""

    group_id: int
    name: str | None = None
    host: str | None = None
    info: str | None = None
    ok: bool = False


def _form(args: Notification) -> dict[str, str]:
    return present(
        {
            "id": str(args.group_id),
            "name": args.name,
            "host": args.host,
            "info": args.info,
            "ok": "1" if args.ok else None,
        }
    )


def _answer(data: Any, body: bytes, _: Notification) -> None:
    if isinstance(data, dict) and "id" in data and "error" not in data:
        return
    done(data, body, "notify")


NOTIFY: Final = CommandSpec[Notification, None](
    name="notify",
    path="/sys/ping.php",
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
    encode=_form,
    decode=_answer,
    sends=False,  # an unknown outcome names the command (no message id or phones here)
)
"""Send a task group's notification; not repeated (its contacts would be notified twice)."""
