"""``templates.php`` and ``op_templates.php``: message templates and operator templates.

``templates.php`` lists, adds, changes and deletes the account's templates; ``add`` and
``chg`` take ``format``, ``sender`` and ``fl[1]`` besides ``name`` and ``msg``.

``op_templates.php`` follows its own page: ``add=1`` files a text (``msg``) for a Sender ID
(``sender``) with the operator flags set (``mts_srv=1``, ...; at least one), ``get=1`` looks
that one template up by the same ``sender`` and ``msg``. Nothing else is documented, so
``chg``, ``del``, a ``name`` or a bare ``get`` are error 1. The answers are not laid out on
the page; the emulator's: ``{"id": N}`` to an add, and to a get one row per operator flag
the template was filed with (``{"id", "name": <flag>}``), an empty list for an unknown one.
"""

from __future__ import annotations

from ..._rules.recipients import MAX_MESSAGE_LENGTH
from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._directory import TemplateRecord
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Refused, dispatch, id_param, text_param

__all__ = ["OPERATOR_FLAGS", "handle", "handle_operator"]

_NAME_LENGTH = 200
_SENDER_LENGTH = 15
_FORMATS = frozenset({"", "sms", "flash", "bin", "push", "mms", "call", "mail", "viber"})

OPERATOR_FLAGS = (
    "mts_srv",
    "mts_auth",
    "mts_trn",
    "mega_srv",
    "mega_auth",
    "mega_trn",
    "mega_adv",
    "bee_srv",
    "bee_trn",
    "tele2_srv",
    "tele2_trn",
    "motiv_srv",
    "motiv_trn",
    "soc",
)
"""The operator flags of ``op_templates.php?add=1``, as its page lists them."""


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """``templates.php``: the action the request's flag names (error 1 for none)."""
    return dispatch(
        {"get": _list, "add": _add, "chg": _change, "del": _delete}, state, account, request
    )


def handle_operator(state: ServiceState, account: Account, request: Request) -> Answer:
    """``op_templates.php``: ``add`` or ``get`` (error 1 for anything else)."""
    return dispatch({"add": _operator_add, "get": _operator_get}, state, account, request)


# ----------------------------------------------------------------------------- templates.php


def _find(account: Account, request: Request) -> TemplateRecord:
    found = account.directory.templates.get(id_param(request))
    if found is None:
        raise Refused(1)
    return found


def _list(_: ServiceState, account: Account, request: Request) -> Answer:
    rows: tuple[Row, ...] = tuple(
        {
            "id": item.id,
            "name": item.name,
            "format": item.format,
            "sender": item.sender,
            "message": item.text,
        }
        for item in account.directory.templates.values()
    )
    return TableAnswer(rows, "template", last=("message",))


def _options(template: TemplateRecord, request: Request) -> None:
    """Apply the documented options ``format``, ``sender`` and ``fl[1]`` when given."""
    if (fmt := request.get("format")) is not None:
        if fmt.strip() not in _FORMATS:
            raise Refused(1)
        template.format = fmt.strip()
    if (sender := request.get("sender")) is not None:
        if len(sender.strip()) > _SENDER_LENGTH:
            raise Refused(1)
        template.sender = sender.strip()
    if (signature := request.get("fl[1]")) is not None:
        if signature not in ("0", "1"):
            raise Refused(1)
        template.auto_signature = signature == "1"


def _add(_: ServiceState, account: Account, request: Request) -> Answer:
    name = text_param(request, "name", max_length=_NAME_LENGTH)
    text = text_param(request, "msg", max_length=MAX_MESSAGE_LENGTH)
    template = TemplateRecord(0, name, text)
    _options(template, request)  # checked before anything is stored
    added = account.directory.add_template(name, text)
    added.format, added.sender = template.format, template.sender
    added.auto_signature = template.auto_signature
    return TableAnswer.one({"id": added.id})


def _change(_: ServiceState, account: Account, request: Request) -> Answer:
    template = _find(account, request)
    given = ("name", "msg", "format", "sender", "fl[1]")
    if all(request.get(key) is None for key in given):
        raise Refused(1)
    draft = TemplateRecord(template.id, template.name, template.text)
    draft.format, draft.sender = template.format, template.sender
    draft.auto_signature = template.auto_signature
    if request.get("name") is not None:
        draft.name = text_param(request, "name", max_length=_NAME_LENGTH)
    if request.get("msg") is not None:
        draft.text = text_param(request, "msg", max_length=MAX_MESSAGE_LENGTH)
    _options(draft, request)
    account.directory.templates[template.id] = draft
    return OkAnswer()


def _delete(_: ServiceState, account: Account, request: Request) -> Answer:
    del account.directory.templates[_find(account, request).id]
    return OkAnswer()


# ----------------------------------------------------------------------------- op_templates.php


def _operator_key(request: Request) -> tuple[str, str]:
    if request.get("name") is not None:  # not a parameter of op_templates.php
        raise Refused(1)
    sender = text_param(request, "sender", max_length=_SENDER_LENGTH)
    return sender, text_param(request, "msg", max_length=MAX_MESSAGE_LENGTH)


def _operator_add(_: ServiceState, account: Account, request: Request) -> Answer:
    sender, text = _operator_key(request)
    flags = [flag for flag in OPERATOR_FLAGS if request.flag(flag)]
    if not flags:
        raise Refused(1)
    template = account.directory.add_operator_template(sender, text, flags)
    return TableAnswer.one({"id": template.id})


def _operator_get(_: ServiceState, account: Account, request: Request) -> Answer:
    found = account.directory.operator_templates.get(_operator_key(request))
    rows: tuple[Row, ...] = (
        () if found is None else tuple({"id": found.id, "name": flag} for flag in found.flags)
    )
    return TableAnswer(rows, "template")
