"""``templates.php`` and ``op_templates.php``: message templates and operator templates
(protocol §11.7): list, add, change, delete. Both answer the same shapes; operator templates
are kept apart (:attr:`~.._directory.Directory.operator_templates`).
"""

from __future__ import annotations

from functools import partial

from ..._rules.recipients import MAX_MESSAGE_LENGTH
from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._directory import TemplateRecord
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Action, Refused, dispatch, id_param, text_param

__all__ = ["handle", "handle_operator"]

_NAME_LENGTH = 200


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """``templates.php``: the action the request's flag names (error 1 for none)."""
    return dispatch(_actions(operator=False), state, account, request)


def handle_operator(state: ServiceState, account: Account, request: Request) -> Answer:
    """``op_templates.php``: the action the request's flag names (error 1 for none)."""
    return dispatch(_actions(operator=True), state, account, request)


def _find(account: Account, request: Request, operator: bool) -> TemplateRecord:
    found = account.directory.template_store(operator).get(id_param(request))
    if found is None:
        raise Refused(1)
    return found


def _list(_: ServiceState, account: Account, request: Request, *, operator: bool) -> Answer:
    rows: tuple[Row, ...] = tuple(
        {"id": item.id, "name": item.name, "message": item.text}
        for item in account.directory.template_store(operator).values()
    )
    return TableAnswer(rows, "template", last=("message",))


def _add(_: ServiceState, account: Account, request: Request, *, operator: bool) -> Answer:
    name = text_param(request, "name", max_length=_NAME_LENGTH)
    text = text_param(request, "msg", max_length=MAX_MESSAGE_LENGTH)
    template = account.directory.add_template(name, text, operator=operator)
    return TableAnswer.one({"id": template.id})


def _change(_: ServiceState, account: Account, request: Request, *, operator: bool) -> Answer:
    template = _find(account, request, operator)
    if request.get("name") is None and request.get("msg") is None:
        raise Refused(1)
    if request.get("name") is not None:
        template.name = text_param(request, "name", max_length=_NAME_LENGTH)
    if request.get("msg") is not None:
        template.text = text_param(request, "msg", max_length=MAX_MESSAGE_LENGTH)
    return OkAnswer()


def _delete(_: ServiceState, account: Account, request: Request, *, operator: bool) -> Answer:
    del account.directory.template_store(operator)[_find(account, request, operator).id]
    return OkAnswer()


def _actions(*, operator: bool) -> dict[str, Action]:
    return {
        flag: partial(action, operator=operator)
        for flag, action in (("get", _list), ("add", _add), ("chg", _change), ("del", _delete))
    }
