"""The wire layer: the only part of the SDK that knows the service's vocabulary.

Paths, parameter and field names (``mes``, ``psw``, ``apikey``, ``cnt``...), format flags,
time and validity strings, Moscow time, error codes per command, the SMTP gateway's body
layout and the callback fields all live here. Everything above it works with typed request
and result models.

- :mod:`._spec`: :class:`CommandSpec`, what a command is.
- :mod:`.commands`: send, cost, status, balance, delete, and the registry :data:`COMMANDS`
  gathering the specs of every module below.
- :mod:`.bulk`: the ``list`` send of campaigns; :mod:`.jobs`: server-side mailings.
- :mod:`.senders`, :mod:`.phones`, :mod:`.templates`, :mod:`.users`: account data.
- :mod:`.reports`: history, received messages, statistics, prices, operator lookups.
- :mod:`.records`: the shared shape of commands that answer records.
- :mod:`.forms`: credentials, common fields, format flags, time and validity encoders.
- :mod:`.answers`, :mod:`.values`: bounded decoders of answers and of single values.
- :mod:`.errors`: the error-code table of each command.
- :mod:`.smtp_body`: the e-mail gateway's body layout.
- :mod:`.callback_fields`: the fields of a delivery-status callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._spec import CommandSpec
from .bulk import SEND_LIST
from .commands import BALANCE, COMMANDS, COST, DELETE, SEND, STATUS, MessageKey, StatusQuery
from .errors import ErrorTable
from .forms import COMMON_FIELDS, RESERVED_FIELDS
from .jobs import (
    JOB_CANCEL,
    JOB_CREATE,
    JOB_CREATE_WITH_COST,
    JOB_DELETE,
    JOB_INFO,
    JOB_LIST,
)
from .templates import OPERATOR_TEMPLATES, TEMPLATES
from .values import MOSCOW

__all__ = [
    "BALANCE",
    "COMMANDS",
    "COMMON_FIELDS",
    "COST",
    "DELETE",
    "ERROR_TABLES",
    "JOB_CANCEL",
    "JOB_CREATE",
    "JOB_CREATE_WITH_COST",
    "JOB_DELETE",
    "JOB_INFO",
    "JOB_LIST",
    "MOSCOW",
    "OPERATOR_TEMPLATES",
    "RESERVED_FIELDS",
    "SEND",
    "SEND_LIST",
    "STATUS",
    "TEMPLATES",
    "CommandSpec",
    "MessageKey",
    "StatusQuery",
]

ERROR_TABLES: Final[Mapping[str, ErrorTable]] = {
    name: spec.errors for name, spec in COMMANDS.items()
}
"""Each command's error-code table, from its spec."""
