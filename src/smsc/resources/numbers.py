"""``client.numbers``: dedicated numbers for receiving messages (``receive_phones.php``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base_client import NOT_GIVEN, TimeoutArg
from .._models.account import DedicatedNumber
from .._wire import receive_phones as wire
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Numbers"]


class Numbers:
    """Dedicated numbers that receive messages for the account: list the free ones, connect
    one (the service charges the rest of the month), choose whether it is renewed.

    Example:
        ```python
        free = await client.numbers.available()
        await client.numbers.buy(free[0].phone, renew=False)
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def available(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[DedicatedNumber]:
        """The dedicated numbers free to connect."""
        return await self._client._request(
            wire.RECEIVE_PHONES_LIST, wire.ReceivePhoneArgs(), timeout
        )

    async def buy(
        self, phone: str, *, renew: bool | None = None, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Connect the dedicated number ``phone`` to the login; the service charges it.

        ``renew=False`` asks for it not to be renewed next month (``noprolong=1``); not
        given, the service's default (renewed) applies.

        Raises:
            RequestValidationError: not one phone number, or ``renew`` not a bool.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                it is paid; look at :meth:`available` first).
        """
        args = wire.ReceivePhoneArgs(
            phone=check.one_phone(phone),
            renew=None if renew is None else check.flag(renew, "renew"),
        )
        await self._client._request(wire.RECEIVE_PHONES_BUY, args, timeout)

    async def set_renewal(
        self, phone: str, renew: bool, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Choose whether the connected number ``phone`` is renewed next month."""
        args = wire.ReceivePhoneArgs(phone=check.one_phone(phone), renew=check.flag(renew, "renew"))
        await self._client._request(wire.RECEIVE_PHONES_CHANGE, args, timeout)
