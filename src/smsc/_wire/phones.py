"""``phones.php``: contacts, contact groups and the blacklist (protocol §11.2).

Contacts: ``get=1`` (``grp=`` for one group's), ``add=1&phone=&name=`` (+ ``grp=``),
``chg=1&phone=`` with ``new_phone=`` and/or ``name=``, ``del=1&phone=``. Groups:
``get_group=1``, ``add_group=1&name=``, ``chg_group=1&grp=&name=``, ``del_group=1&grp=``;
``move_group=1|2|3&grp=&phone=`` moves a contact into a group only, into it too, or out of it.
Blacklist: ``add_black=1&phone=``, ``del_black=1&phone=`` [3P], ``get_black=1`` ([INF]).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from .._errors import InvalidResponseError
from .._models.account import BlacklistEntry, Contact, ContactGroup
from ._spec import CommandSpec
from .errors import ACCOUNT_DATA_ERRORS
from .records import (
    action,
    created_id,
    done,
    extra_fields,
    group_ids,
    opt,
    present,
    record_id,
    records,
    required_text,
)
from .values import excerpt, integer, text

__all__ = ["CONTACT_COMMANDS", "ContactArgs"]

_PATH: Final = "/sys/phones.php"
_CONTACT_KEYS = ("id", "phone", "name", "grp")
_GROUP_KEYS = ("id", "name", "cnt")
_BLACKLIST_KEYS = ("id", "phone")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ContactArgs:
    """Checked arguments of a ``phones.php`` action (those it does not use stay ``None``)."""

    phone: str | None = None
    new_phone: str | None = None
    name: str | None = None
    group: int | None = None


def _fields(args: ContactArgs) -> dict[str, str]:
    return present(
        {
            "phone": args.phone,
            "new_phone": args.new_phone,
            "name": args.name,
            "grp": opt(args.group),
        }
    )


def _contacts(data: Any, body: bytes, command: str) -> list[Contact]:
    return [
        Contact(
            phone=required_text(item, ("phone",), command, body),
            name=text(item.get("name")),
            groups=group_ids(item.get("grp"), command, body),
            id=record_id(item, command, body),
            extra=extra_fields(item, _CONTACT_KEYS),
        )
        for item in records(data, body, command)
    ]


def _groups(data: Any, body: bytes, command: str) -> list[ContactGroup]:
    groups = []
    for item in records(data, body, command):
        group = record_id(item, command, body)
        if group is None:
            raise InvalidResponseError(
                f"{command}: a group without an id", body_excerpt=excerpt(body)
            )
        groups.append(
            ContactGroup(
                id=group,
                name=text(item.get("name")) or "",
                count=integer(item.get("cnt")),
                extra=extra_fields(item, _GROUP_KEYS),
            )
        )
    return groups


def _blacklist(data: Any, body: bytes, command: str) -> list[BlacklistEntry]:
    return [
        BlacklistEntry(
            phone=required_text(item, ("phone",), command, body),
            id=record_id(item, command, body),
            extra=extra_fields(item, _BLACKLIST_KEYS),
        )
        for item in records(data, body, command)
    ]


def _spec(
    name: str, flag: str, decode: Callable[[Any, bytes, str], _T], *, may_repeat: bool
) -> CommandSpec[ContactArgs, _T]:
    return action(
        f"contacts.{name}",
        _PATH,
        flag,
        _fields,
        decode,
        may_repeat=may_repeat,
        errors=ACCOUNT_DATA_ERRORS,
    )


# Lists and the moves between groups are safe to repeat (a move sets membership: doing it
# twice leaves the same state); an add would create a second record, and a change or a
# deletion repeated after it took effect answers "not found".
CONTACTS_LIST: Final = _spec("list", "get", _contacts, may_repeat=True)
CONTACTS_ADD: Final = _spec("add", "add", created_id, may_repeat=False)
CONTACTS_CHANGE: Final = _spec("change", "chg", done, may_repeat=False)
CONTACTS_DELETE: Final = _spec("delete", "del", done, may_repeat=False)
GROUPS_LIST: Final = _spec("groups", "get_group", _groups, may_repeat=True)
GROUPS_ADD: Final = _spec("add_group", "add_group", created_id, may_repeat=False)
GROUPS_RENAME: Final = _spec("rename_group", "chg_group", done, may_repeat=False)
GROUPS_DELETE: Final = _spec("delete_group", "del_group", done, may_repeat=False)
MOVE_ONLY: Final = _spec("move_to_group", "move_group=1", done, may_repeat=True)
MOVE_ALSO: Final = _spec("add_to_group", "move_group=2", done, may_repeat=True)
MOVE_OUT: Final = _spec("remove_from_group", "move_group=3", done, may_repeat=True)
BLACKLIST_LIST: Final = _spec("blacklist", "get_black", _blacklist, may_repeat=True)
BLACKLIST_ADD: Final = _spec("block", "add_black", created_id, may_repeat=False)
BLACKLIST_REMOVE: Final = _spec("unblock", "del_black", done, may_repeat=False)

CONTACT_COMMANDS: Final = (
    CONTACTS_LIST,
    CONTACTS_ADD,
    CONTACTS_CHANGE,
    CONTACTS_DELETE,
    GROUPS_LIST,
    GROUPS_ADD,
    GROUPS_RENAME,
    GROUPS_DELETE,
    MOVE_ONLY,
    MOVE_ALSO,
    MOVE_OUT,
    BLACKLIST_LIST,
    BLACKLIST_ADD,
    BLACKLIST_REMOVE,
)
