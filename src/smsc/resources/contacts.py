"""``client.contacts``: the phone book, contact groups and the blacklist (``phones.php``).

A group is a recipient of :meth:`~smsc.AsyncSMSCClient.send` as ``"G<group id>"``: the
service sends to every contact of the group.
"""

from __future__ import annotations

import builtins
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._models.account import BlacklistEntry, Contact, ContactGroup
from .._privacy import mask_phone
from .._wire import phones as wire
from .._wire._spec import CommandSpec
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Contacts"]

log = logging.getLogger("smsc")

_R = TypeVar("_R")


class Contacts:
    """Contacts, contact groups and the blacklist of the account.

    Example:
        ```python
        group = await client.contacts.add_group("Customers")
        await client.contacts.add("79991234567", name="Alex", group=group)
        await client.send(f"G{group}", "Our shop opens at 9:00 tomorrow")
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def _run(
        self, spec: CommandSpec[wire.ContactArgs, _R], args: wire.ContactArgs, timeout: TimeoutArg
    ) -> _R:
        if log.isEnabledFor(logging.DEBUG):
            shown: dict[str, Any] = {"group": args.group}
            if args.phone is not None:
                shown["phone"] = mask_phone(args.phone)
            log.debug("%s %s", spec.name, shown)
        return await self._client._request(spec, args, timeout)

    # ------------------------------------------------------------------ contacts

    async def list(
        self, *, group: int | None = None, timeout: TimeoutArg = NOT_GIVEN
    ) -> list[Contact]:
        """Every contact, or those of one ``group``."""
        args = wire.ContactArgs(group=None if group is None else check.record_id(group, "group"))
        return await self._run(wire.CONTACTS_LIST, args, timeout)

    async def add(
        self,
        phone: str,
        *,
        name: str = "",
        group: int | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int:
        """Add a contact (optionally into ``group``) and return its id.

        Raises:
            RequestValidationError: not one valid phone number, a name too long, a bad group id.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                check :meth:`list` first).
        """
        args = wire.ContactArgs(
            phone=check.one_phone(phone),
            name=check.name(name, required=False) or None,
            group=None if group is None else check.record_id(group, "group"),
        )
        return await self._run(wire.CONTACTS_ADD, args, timeout)

    async def change(
        self,
        phone: str,
        *,
        new_phone: str | None = None,
        name: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change a contact's number, name, or both."""
        if new_phone is None and name is None:
            raise RequestValidationError("give a new_phone or a name", field="new_phone")
        args = wire.ContactArgs(
            phone=check.one_phone(phone),
            new_phone=None if new_phone is None else check.one_phone(new_phone, "new_phone"),
            name=None if name is None else check.name(name, required=False),
        )
        await self._run(wire.CONTACTS_CHANGE, args, timeout)

    async def delete(self, phone: str, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Delete a contact."""
        await self._run(
            wire.CONTACTS_DELETE, wire.ContactArgs(phone=check.one_phone(phone)), timeout
        )

    # ------------------------------------------------------------------ groups

    async def groups(self, *, timeout: TimeoutArg = NOT_GIVEN) -> builtins.list[ContactGroup]:
        """Every contact group."""
        return await self._run(wire.GROUPS_LIST, wire.ContactArgs(), timeout)

    async def add_group(self, name: str, *, timeout: TimeoutArg = NOT_GIVEN) -> int:
        """Add a contact group and return its id (send to it as ``f"G{id}"``)."""
        return await self._run(wire.GROUPS_ADD, wire.ContactArgs(name=check.name(name)), timeout)

    async def rename_group(self, group: int, name: str, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Rename a contact group."""
        args = wire.ContactArgs(group=check.record_id(group, "group"), name=check.name(name))
        await self._run(wire.GROUPS_RENAME, args, timeout)

    async def delete_group(self, group: int, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Delete a contact group (its contacts stay in the phone book)."""
        args = wire.ContactArgs(group=check.record_id(group, "group"))
        await self._run(wire.GROUPS_DELETE, args, timeout)

    def _membership(self, phone: str, group: int) -> wire.ContactArgs:
        return wire.ContactArgs(phone=check.one_phone(phone), group=check.record_id(group, "group"))

    async def move_to_group(
        self, phone: str, group: int, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Make ``group`` the contact's only group."""
        await self._run(wire.MOVE_ONLY, self._membership(phone, group), timeout)

    async def add_to_group(
        self, phone: str, group: int, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Add the contact to ``group`` too (it stays in its other groups)."""
        await self._run(wire.MOVE_ALSO, self._membership(phone, group), timeout)

    async def remove_from_group(
        self, phone: str, group: int, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Take the contact out of ``group`` (it stays in the phone book)."""
        await self._run(wire.MOVE_OUT, self._membership(phone, group), timeout)

    # ------------------------------------------------------------------ blacklist

    async def blacklist(self, *, timeout: TimeoutArg = NOT_GIVEN) -> builtins.list[BlacklistEntry]:
        """The numbers on the blacklist (``get_black=1``: an assumption, see the docs)."""
        return await self._run(wire.BLACKLIST_LIST, wire.ContactArgs(), timeout)

    async def block(self, phone: str, *, timeout: TimeoutArg = NOT_GIVEN) -> int:
        """Put a number on the blacklist (sends to it are refused); returns the record id."""
        args = wire.ContactArgs(phone=check.one_phone(phone))
        return await self._run(wire.BLACKLIST_ADD, args, timeout)

    async def unblock(self, phone: str, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Take a number off the blacklist."""
        args = wire.ContactArgs(phone=check.one_phone(phone))
        await self._run(wire.BLACKLIST_REMOVE, args, timeout)
