"""``phones.php``: the account's contacts, contact groups and blacklist (protocol §11.2).

Contacts and groups take effect on sends (``G<group id>`` recipients), and so does the
blacklist (a blacklisted number is refused per number).
"""

from __future__ import annotations

from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._directory import ContactGroupRecord, ContactRecord
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Action, Refused, dispatch, id_param, phone_param, text_param

__all__ = ["handle"]

_NAME_LENGTH = 200


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Answer the action the request's flag names (error 1 for none)."""
    return dispatch(_ACTIONS, state, account, request)


def _contact(account: Account, request: Request) -> ContactRecord:
    found = account.directory.contacts.get(phone_param(request))
    if found is None:
        raise Refused(1)
    return found


def _group(account: Account, request: Request) -> ContactGroupRecord:
    found = account.directory.groups.get(id_param(request, "grp"))
    if found is None:
        raise Refused(1)
    return found


def _name(request: Request) -> str:
    name = (request.get("name") or "").strip()
    if len(name) > _NAME_LENGTH:
        raise Refused(1)
    return name


# ------------------------------------------------------------------ listing


def _contacts(_: ServiceState, account: Account, request: Request) -> Answer:
    directory = account.directory
    contacts = list(directory.contacts.values())
    if request.get("grp"):
        group = _group(account, request).id
        contacts = [contact for contact in contacts if group in contact.groups]
    rows: tuple[Row, ...] = tuple(
        {
            "id": contact.id,
            "phone": contact.phone,
            "grp": ";".join(str(group) for group in sorted(contact.groups)),
            "name": contact.name,
        }
        for contact in contacts
    )
    return TableAnswer(rows, "contact", last=("name",))


def _groups(_: ServiceState, account: Account, request: Request) -> Answer:
    directory = account.directory
    rows: tuple[Row, ...] = tuple(
        {"id": group.id, "cnt": len(directory.members(group.id)), "name": group.name}
        for group in directory.groups.values()
    )
    return TableAnswer(rows, "group", last=("name",))


def _blacklist(_: ServiceState, account: Account, request: Request) -> Answer:
    rows: tuple[Row, ...] = tuple(
        {"id": record, "phone": phone} for phone, record in account.directory.blacklist.items()
    )
    return TableAnswer(rows, "phone")


# ------------------------------------------------------------------ contacts and groups


def _add(_: ServiceState, account: Account, request: Request) -> Answer:
    phone = phone_param(request)
    directory = account.directory
    groups = (_group(account, request).id,) if request.get("grp") else ()
    if phone in directory.contacts:
        raise Refused(1)
    return TableAnswer.one({"id": directory.add_contact(phone, _name(request), groups).id})


def _add_group(_: ServiceState, account: Account, request: Request) -> Answer:
    name = text_param(request, "name", max_length=_NAME_LENGTH)
    return TableAnswer.one({"id": account.directory.add_group(name).id})


def _change(_: ServiceState, account: Account, request: Request) -> Answer:
    contact = _contact(account, request)
    contacts = account.directory.contacts
    if request.get("new_phone"):
        new_phone = phone_param(request, "new_phone")
        if new_phone != contact.phone and new_phone in contacts:
            raise Refused(1)
        del contacts[contact.phone]
        contact.phone = new_phone
        contacts[new_phone] = contact
    if request.get("name") is not None:
        contact.name = _name(request)
    return OkAnswer()


def _change_group(_: ServiceState, account: Account, request: Request) -> Answer:
    _group(account, request).name = text_param(request, "name", max_length=_NAME_LENGTH)
    return OkAnswer()


def _move(_: ServiceState, account: Account, request: Request) -> Answer:
    """``move_group=1``: into this group only; ``2``: into it too; ``3``: out of it."""
    contact = _contact(account, request)
    group = _group(account, request).id
    mode = request.get("move_group")
    if mode == "1":
        contact.groups = {group}
    elif mode == "2":
        contact.groups.add(group)
    elif mode == "3":
        contact.groups.discard(group)
    else:
        raise Refused(1)
    return OkAnswer()


def _delete(_: ServiceState, account: Account, request: Request) -> Answer:
    del account.directory.contacts[_contact(account, request).phone]
    return OkAnswer()


def _delete_group(_: ServiceState, account: Account, request: Request) -> Answer:
    group = _group(account, request).id
    directory = account.directory
    del directory.groups[group]
    for contact in directory.contacts.values():
        contact.groups.discard(group)
    return OkAnswer()


# ------------------------------------------------------------------ blacklist


def _block(_: ServiceState, account: Account, request: Request) -> Answer:
    return TableAnswer.one({"id": account.directory.block(phone_param(request))})


def _unblock(_: ServiceState, account: Account, request: Request) -> Answer:
    if not account.directory.unblock(phone_param(request)):
        raise Refused(1)
    return OkAnswer()


_ACTIONS: dict[str, Action] = {
    "get": _contacts,
    "get_group": _groups,
    "get_black": _blacklist,
    "add": _add,
    "add_group": _add_group,
    "chg": _change,
    "chg_group": _change_group,
    "move_group": _move,
    "del": _delete,
    "del_group": _delete_group,
    "add_black": _block,
    "del_black": _unblock,
}
