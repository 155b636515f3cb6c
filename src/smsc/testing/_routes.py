"""The route table: which path reaches which command handler.

Adding a command to the emulator is one handler module in :mod:`._commands` and one
:class:`Route` here (plus its paths in :data:`ROUTES`). Paths under :data:`COMMAND_PREFIXES`
that are not in the table are commands the emulator does not serve: they get the answer
:class:`UnknownCommandAnswer` chooses, never another command's.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ._answers import Answer
from ._commands import (
    balance,
    get,
    info,
    jobs,
    notify,
    phones,
    receive_phones,
    send,
    senders,
    status,
    templates,
    users,
)
from ._model import Account
from ._request import Request
from ._state import ServiceState

__all__ = [
    "COMMANDS",
    "COMMAND_PREFIXES",
    "ROUTES",
    "Handler",
    "Route",
    "UnknownCommandAnswer",
    "is_command_path",
]

Handler = Callable[[ServiceState, Account, Request], Answer]
"""A command handler: the service state, the authenticated account, the request."""


@dataclass(frozen=True)
class Route:
    """One command of the service and the handler that answers it.

    Attributes:
        command: the command's name (``"send"``), as :meth:`SMSCEmulator.handle` takes it.
        handler: the function answering it.
        counts_send_errors: its error answers count towards the lock-out after erroneous
            sends in a row (protocol §5.6).
    """

    command: str
    handler: Handler
    counts_send_errors: bool = False


SEND = Route("send", send.handle, counts_send_errors=True)
STATUS = Route("status", status.handle)
BALANCE = Route("balance", balance.handle)
GET = Route("get", get.handle)
"""``get.php``: history, received messages, statistics and tariffs, chosen by a flag."""
INFO = Route("info", info.handle)
SENDERS = Route("senders", senders.handle)
PHONES = Route("phones", phones.handle)
TEMPLATES = Route("templates", templates.handle)
OPERATOR_TEMPLATES = Route("op_templates", templates.handle_operator)
USERS = Route("users", users.handle)
RECEIVE_PHONES = Route("receive_phones", receive_phones.handle)
NOTIFY = Route("ping", notify.handle)
"""``ping.php``: event notifications of a task group."""
"""``receive_phones.php``: dedicated numbers for receiving messages."""
JOBS = Route("jobs", jobs.handle)
"""``jobs.php``: server-side mailings."""

COMMANDS: Mapping[str, Route] = {
    route.command: route
    for route in (
        SEND,
        STATUS,
        BALANCE,
        GET,
        INFO,
        SENDERS,
        PHONES,
        TEMPLATES,
        OPERATOR_TEMPLATES,
        USERS,
        RECEIVE_PHONES,
        NOTIFY,
        JOBS,
    )
}
"""Command name -> route."""

ROUTES: Mapping[str, Route] = {
    "/sys/send.php": SEND,
    "/rest/send/": SEND,
    "/rest/send": SEND,
    "/sys/status.php": STATUS,
    "/sys/balance.php": BALANCE,
    "/sys/get.php": GET,
    "/sys/info.php": INFO,
    "/sys/senders.php": SENDERS,
    "/sys/phones.php": PHONES,
    "/sys/templates.php": TEMPLATES,
    "/sys/op_templates.php": OPERATOR_TEMPLATES,
    "/sys/users.php": USERS,
    "/sys/jobs.php": JOBS,
    "/sys/receive_phones.php": RECEIVE_PHONES,
    "/sys/ping.php": NOTIFY,
}
"""Path -> route: every path the emulator serves."""

COMMAND_PREFIXES = ("/sys/", "/rest/")
"""Where the service's commands live (protocol §1.3); other paths are not the API."""


def is_command_path(path: str) -> bool:
    """True when ``path`` is where a command of the service would be (served or not)."""
    return path.startswith(COMMAND_PREFIXES)


class UnknownCommandAnswer(str, enum.Enum):
    """What a command path the emulator does not serve (``/sys/unknown.php``, ...) answers.

    The protocol reference does not say what the service answers for an unknown command
    (§1.3, §1.7, §13.9), so this is an assumption, and a setting.
    """

    PARAMETERS_ERROR = "parameters_error"
    """HTTP 200 with error 1 (``parameters error``) in the requested ``fmt``, after the
    credentials are checked as for every command (default): official libraries read it as
    an error of the service, not as a network failure."""
    HTTP_404 = "http_404"
    """HTTP 404 with a short HTML body (the emulator's answer before this setting existed)."""
