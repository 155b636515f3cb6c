"""The service's commands as specs, and the registry :data:`COMMANDS`.

Adding a command: its arguments (a small frozen model), an ``encode`` and a ``decode``, and a
:class:`CommandSpec` registered in :data:`COMMANDS` with the command's error table; then one
thin method (or resource) that validates its arguments and runs the spec through the request
pipeline. See ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .._enums import StatusDetail
from .._errors import InvalidResponseError
from .._models.messages import (
    Balance,
    CostResult,
    DeleteResult,
    MessageStatus,
    SendRequest,
    SendResult,
)
from ._spec import CommandSpec, LimitKeys
from .answers import balance_result, cost_result, expect_object, send_result, status_results
from .bounds import answer_phones
from .bulk import SEND_LIST
from .errors import BALANCE_ERRORS, SEND_ERRORS, STATUS_ERRORS
from .forms import send_form
from .jobs import JOBS
from .notify import NOTIFY
from .phones import CONTACT_COMMANDS
from .receive_phones import RECEIVE_PHONES_COMMANDS
from .reports import REPORT_COMMANDS
from .senders import SENDER_COMMANDS
from .templates import OPERATOR_TEMPLATES, TEMPLATES
from .users import USER_COMMANDS
from .values import excerpt

ACCOUNT_DATA_COMMANDS: Final[tuple[CommandSpec[Any, Any], ...]] = (
    *SENDER_COMMANDS,
    *CONTACT_COMMANDS,
    *TEMPLATES.all(),
    *OPERATOR_TEMPLATES,
    *USER_COMMANDS,
    *RECEIVE_PHONES_COMMANDS,
    NOTIFY,
)
"""Sender IDs, contacts, templates and sub-clients (§11.2-§11.4, §11.7)."""

__all__ = [
    "BALANCE",
    "COMMANDS",
    "COST",
    "DELETE",
    "SEND",
    "STATUS",
    "MessageKey",
    "StatusQuery",
    "decode_balance",
    "decode_cost",
    "decode_send",
    "decode_status",
]

MessageKey = tuple[int | str, str]
"""A message as the service finds it: ``(id, phone)``."""


@dataclass(frozen=True, slots=True)
class StatusQuery:
    """A checked status query: messages, detail level and whether to force the list answer."""

    messages: tuple[MessageKey, ...]
    detail: StatusDetail = StatusDetail.BASIC
    multi: bool = False


# ----------------------------------------------------------------------------- send, cost


def _identical(request: SendRequest) -> str:
    # The service refuses the same phones and text again within a minute (§5.1).
    # Called only for a client given a limiter: smsc._limits is not imported before.
    from .._limits._base import fingerprint

    return fingerprint(",".join(request.phones), request.message)


def _send_limits(request: SendRequest) -> LimitKeys:
    return (("send.identical", _identical(request)),)


def _cost_limits(request: SendRequest) -> LimitKeys:
    return (("cost.identical", _identical(request)),)


def _send_answer(data: Any, body: bytes, request: SendRequest) -> SendResult:
    return send_result(data, body, request.id, answer_phones(request.phones) or None)


def _cost_form(request: SendRequest) -> dict[str, str]:
    return send_form(request, cost_only=True)


def _cost_answer(data: Any, body: bytes, request: SendRequest) -> CostResult:
    return cost_result(data, body, answer_phones(request.phones) or None)


SEND: Final = CommandSpec[SendRequest, SendResult](
    name="send",
    path="/sys/send.php",
    may_repeat=False,
    errors=SEND_ERRORS,
    encode=send_form,
    decode=_send_answer,
    limits=_send_limits,
)
"""Send a message (``send.php``, ``cost=3``: answer with the cost and the new balance)."""

COST: Final = CommandSpec[SendRequest, CostResult](
    name="cost",
    path="/sys/send.php",
    may_repeat=True,
    errors=SEND_ERRORS,
    encode=_cost_form,
    decode=_cost_answer,
    limits=_cost_limits,
)
"""Price a message without sending it (``send.php`` with ``cost=1``)."""


# ----------------------------------------------------------------------------- status


def _status_form(query: StatusQuery) -> dict[str, str]:
    # The list answer is forced with a trailing comma after the ids and the phones.
    tail = "," if query.multi else ""
    form = {
        "id": ",".join(str(key) for key, _ in query.messages) + tail,
        "phone": ",".join(phone for _, phone in query.messages) + tail,
    }
    if query.detail != StatusDetail.BASIC:
        form["all"] = str(int(query.detail))
    return form


def _status_limits(query: StatusQuery) -> LimitKeys:
    # At most five requests per message, and one multi-message request, a minute (§5.2).
    keys = [("status", f"{key}:{phone}") for key, phone in query.messages]
    return [("status.multi", ""), *keys] if query.multi else keys


def _status_answer(data: Any, body: bytes, query: StatusQuery) -> list[MessageStatus]:
    return status_results(data, body, query.messages)


STATUS: Final = CommandSpec[StatusQuery, list[MessageStatus]](
    name="status",
    path="/sys/status.php",
    may_repeat=True,
    errors=STATUS_ERRORS,
    encode=_status_form,
    decode=_status_answer,
    limits=_status_limits,
)
"""Status of one or several messages (``status.php``)."""


# ----------------------------------------------------------------------------- balance


def _balance_form(_: None) -> dict[str, str]:
    return {"cur": "1"}  # with the currency's name


def _balance_limits(_: None) -> LimitKeys:
    return (("balance", ""),)  # ten a minute per login (§5.3)


def _balance_answer(data: Any, body: bytes, _: None) -> Balance:
    return balance_result(data, body)


BALANCE: Final = CommandSpec[None, Balance](
    name="balance",
    path="/sys/balance.php",
    may_repeat=True,
    errors=BALANCE_ERRORS,
    encode=_balance_form,
    decode=_balance_answer,
    limits=_balance_limits,
)
"""The account's balance (``balance.php``)."""


# ----------------------------------------------------------------------------- delete


def _delete_form(key: MessageKey) -> dict[str, str]:
    message_id, phone = key
    return {"del": "1", "id": str(message_id), "phone": phone}


def _delete_answer(data: Any, body: bytes, key: MessageKey) -> DeleteResult:
    if expect_object(data, "delete", body).get("result") != "OK":
        raise InvalidResponseError("delete: expected result OK", body_excerpt=excerpt(body))
    return DeleteResult(id=key[0], phone=key[1])


DELETE: Final = CommandSpec[MessageKey, DeleteResult](
    name="delete",
    path="/sys/status.php",
    may_repeat=True,
    errors=STATUS_ERRORS,
    encode=_delete_form,
    decode=_delete_answer,
)
"""Delete a sent message (``status.php`` with ``del=1``; error 5 when it cannot be deleted).

May be repeated: deleting twice removes nothing more. A repeat after a first attempt whose
answer was lost reads error 5 (the message is already gone), so :class:`DeleteError` after a
failover can mean the message was deleted by the first attempt.
"""


_CORE: Final[tuple[CommandSpec[Any, Any], ...]] = (
    SEND,
    COST,
    STATUS,
    BALANCE,
    DELETE,
    SEND_LIST,
)

COMMANDS: Final[Mapping[str, CommandSpec[Any, Any]]] = {
    spec.name: spec for spec in (*_CORE, *JOBS, *ACCOUNT_DATA_COMMANDS, *REPORT_COMMANDS)
}
"""Every command the SDK speaks, by name."""


# ----------------------------------------------------------------------------- for tests


def decode_send(body: bytes, *, sent_id: int | str | None = None) -> SendResult:
    """Decode the answer to a send (see :data:`SEND`)."""
    return SEND.read(body, SendRequest(phones=(), message="", id=sent_id))


def decode_cost(body: bytes) -> CostResult:
    """Decode the answer to a cost query (see :data:`COST`)."""
    return COST.read(body, SendRequest(phones=(), message=""))


def decode_status(body: bytes, *, requested: Sequence[MessageKey]) -> list[MessageStatus]:
    """Decode a status answer for the ``requested`` ``(id, phone)`` pairs."""
    return STATUS.read(body, StatusQuery(tuple(requested)))


def decode_balance(body: bytes) -> Balance:
    """Decode a balance answer (see :data:`BALANCE`)."""
    return BALANCE.read(body, None)
