"""``client.senders``: the account's Sender IDs (``senders.php``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._models.account import Sender, SenderRegistration
from .._wire import senders as wire
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Senders"]


def _target(sender: str | None, id: int | None) -> wire.SenderArgs:
    """A Sender ID named by its name or by its record id (exactly one of them)."""
    if (sender is None) == (id is None):
        raise RequestValidationError("give either sender or id", field="sender")
    if id is not None:
        return wire.SenderArgs(id=check.record_id(id, "id"))
    return wire.SenderArgs(name=check.sender_name(sender))


def _registrations(value: object) -> frozenset[SenderRegistration]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise RequestValidationError(
            "register must be a collection of SenderRegistration", field="register"
        )
    found = set()
    for item in value:
        try:
            found.add(SenderRegistration(item))
        except ValueError:
            allowed = ", ".join(kind.value for kind in SenderRegistration)
            raise RequestValidationError(
                f"register: {item!r} is not one of {allowed}", field="register"
            ) from None
    return frozenset(found)


class Senders:
    """The account's Sender IDs: list, add, change, delete, confirm a digital one by code.

    Example:
        ```python
        senders = await client.senders.list()
        new_id = await client.senders.add("MyShop", comment="shop notifications")
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def list(self, *, every: bool = False, timeout: TimeoutArg = NOT_GIVEN) -> list[Sender]:
        """The account's activated Sender IDs; with ``every=True`` (``all=1``) every name,
        those still waiting or refused included."""
        args = wire.SenderArgs(every=check.flag(every, "every"))
        return await self._client._request(wire.SENDERS_LIST, args, timeout)

    async def add(
        self,
        sender: str,
        *,
        comment: str = "",
        register: Iterable[SenderRegistration] = (),
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int:
        """Ask for a new Sender ID (the rules of a send's ``sender``) and return its record id.

        A letter name is then checked by the service and the operators; a digital one (a
        phone number) must be confirmed with :meth:`send_code` and :meth:`confirm`.
        ``register`` asks for its registration with operators (:class:`SenderRegistration`;
        the paid ones are charged by the service).

        Raises:
            RequestValidationError: an empty or malformed name, a comment over 1,000
                characters, a registration that is not a :class:`SenderRegistration`.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                check :meth:`list` first).
        """
        args = wire.SenderArgs(
            name=check.sender_name(sender),
            comment=check.comment(comment),
            registrations=_registrations(register),
        )
        return await self._client._request(wire.SENDERS_ADD, args, timeout)

    async def change(
        self,
        sender: str | None = None,
        *,
        id: int | None = None,
        comment: str,
        register: Iterable[SenderRegistration] = (),
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change the comment of a Sender ID, named by ``sender`` or by its record ``id``,
        and ask for the registrations in ``register``."""
        target = _target(sender, id)
        args = wire.SenderArgs(
            name=target.name,
            id=target.id,
            comment=check.comment(comment),
            registrations=_registrations(register),
        )
        await self._client._request(wire.SENDERS_CHANGE, args, timeout)

    async def delete(
        self, sender: str | None = None, *, id: int | None = None, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Delete a Sender ID, named by ``sender`` or by its record ``id``."""
        await self._client._request(wire.SENDERS_DELETE, _target(sender, id), timeout)

    async def send_code(self, sender: str, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Have the service send a confirmation code to a digital Sender ID (a phone number).

        Each call sends a new code, so a failed call is not repeated by the SDK.
        """
        args = wire.SenderArgs(name=check.digital_sender(sender))
        await self._client._request(wire.SENDERS_SEND_CODE, args, timeout)

    async def confirm(self, sender: str, code: str, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Confirm a digital Sender ID with the ``code`` it received (see :meth:`send_code`).

        Raises:
            ParametersError: the service refused the code (wrong, expired) or the sender.
        """
        args = wire.SenderArgs(name=check.digital_sender(sender), code=check.code(code))
        await self._client._request(wire.SENDERS_CHECK_CODE, args, timeout)
