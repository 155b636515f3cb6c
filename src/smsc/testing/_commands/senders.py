"""``senders.php``: the account's Sender IDs (protocol §11.4): list, add, change, delete,
and the confirmation of a digital sender (digits only) by a code sent to that number.

Names added here take effect on sends: a confirmed sender of the account's
:class:`~.._directory.Directory` is accepted, a deleted one is refused (error 6) when the
account restricts its senders (``Account.senders``).
"""

from __future__ import annotations

from ..._errors import RequestValidationError
from ..._rules.recipients import validate_sender
from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._directory import SenderID
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Action, Refused, dispatch, id_param

__all__ = ["handle"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Answer the action the request's flag names (error 1 for none)."""
    return dispatch(_ACTIONS, state, account, request)


def _name(request: Request) -> str:
    name = (request.get("sender") or "").strip()
    try:
        if name in ("", "."):
            raise Refused(1)
        return validate_sender(name)
    except RequestValidationError:
        raise Refused(1) from None


def _find(account: Account, request: Request) -> SenderID:
    """The sender named by ``sender`` or, without it, by its record ``id``."""
    directory = account.directory
    if request.get("sender"):
        found = directory.senders.get((request.get("sender") or "").strip())
    else:
        found = directory.sender_by_id(id_param(request))
    if found is None:
        raise Refused(1)
    return found


def _row(sender: SenderID) -> Row:
    return {"id": sender.id, "sender": sender.name, "cmt": sender.comment}


def _list(_: ServiceState, account: Account, request: Request) -> Answer:
    """The activated names; ``all=1``: every name (digital ones awaiting their code too)."""
    every = request.flag("all")
    rows = tuple(_row(s) for s in account.directory.senders.values() if every or s.confirmed)
    return TableAnswer(rows, "sender", last=("cmt",))


def _add(_: ServiceState, account: Account, request: Request) -> Answer:
    name = _name(request)
    if name in account.directory.senders:
        raise Refused(1)
    sender = account.directory.add_sender(
        name, (request.get("cmt") or "").strip(), confirmed=not name.isdigit()
    )
    if sender.confirmed and account.senders is not None:
        account.senders.add(name)
    return TableAnswer.one({"id": sender.id})


def _change(_: ServiceState, account: Account, request: Request) -> Answer:
    sender = _find(account, request)
    sender.comment = (request.get("cmt") or "").strip()
    return OkAnswer()


def _delete(_: ServiceState, account: Account, request: Request) -> Answer:
    sender = _find(account, request)
    del account.directory.senders[sender.name]
    if account.senders is not None:
        account.senders.discard(sender.name)
    return OkAnswer()


def _send_code(_: ServiceState, account: Account, request: Request) -> Answer:
    sender = _find(account, request)
    if not sender.digital or sender.confirmed:
        raise Refused(1)
    account.directory.new_code(sender)
    return OkAnswer()


def _check_code(_: ServiceState, account: Account, request: Request) -> Answer:
    sender = _find(account, request)
    code = (request.get("code") or "").strip()
    if sender.confirmed or sender.code is None or code != sender.code:
        raise Refused(1)
    sender.confirmed = True
    sender.code = None
    if account.senders is not None:
        account.senders.add(sender.name)
    return OkAnswer()


_ACTIONS: dict[str, Action] = {
    "get": _list,
    "add": _add,
    "chg": _change,
    "del": _delete,
    "send_code": _send_code,
    "check_code": _check_code,
}
