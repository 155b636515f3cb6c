"""``client.users``: sub-clients of the account (``users.php``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._hidden import HiddenText
from .._models.account import SubClientStats
from .._wire import users as wire
from . import _checks as check
from ._report_checks import check_period

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Users"]


class Users:
    """Sub-clients: add, change, top up, statistics.

    The service takes at most three adds or changes of the same sub-client a minute;
    a fourth answers :class:`~smsc.TooManyRequestsError`. A password given here is a secret:
    it appears in no log, ``repr``, error text or local variable of a raised error's frames.

    Example:
        ```python
        await client.users.add("shop-2", password=new_password, name="Shop two")
        await client.users.top_up("shop-2", Decimal("500.00"))
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def add(
        self,
        login: str,
        *,
        password: str,
        name: str | None = None,
        phone: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int | None:
        """Create a sub-client; returns its record id when the service gives one.

        Raises:
            RequestValidationError: an empty or malformed login or password, a bad phone.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                the sub-client may exist; look at :meth:`stats` or log in as it).
        """
        hidden = HiddenText(password)
        del password  # from here on only the hidden copy is a local of this frame
        args = wire.SubClientArgs(
            login=check.login(login),
            password=check.password(hidden),
            name=None if name is None else check.name(name, required=False),
            phone=None if phone is None else check.one_phone(phone),
        )
        return await self._client._request(wire.USERS_ADD, args, timeout)

    async def change(
        self,
        login: str,
        *,
        name: str | None = None,
        phone: str | None = None,
        new_login: str | None = None,
        password: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change a sub-client's name, phone, login or password (the given ones only)."""
        hidden = None if password is None else HiddenText(password)
        del password
        if hidden is None and name is None and phone is None and new_login is None:
            raise RequestValidationError(
                "give at least one of name, phone, new_login, password", field="name"
            )
        args = wire.SubClientArgs(
            login=check.login(login),
            password=None if hidden is None else check.password(hidden),
            name=None if name is None else check.name(name, required=False),
            phone=None if phone is None else check.one_phone(phone),
            new_login=None if new_login is None else check.login(new_login, "new_login"),
        )
        await self._client._request(wire.USERS_CHANGE, args, timeout)

    async def top_up(
        self, login: str, amount: Decimal | int | str, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> None:
        """Move ``amount`` from the account's balance to the sub-client's.

        Never repeated by the SDK after it may have arrived (it would pay twice).

        Raises:
            InsufficientFundsError: the account lacks the amount.
            OutcomeUnknownError: no answer after the request may have arrived.
        """
        args = wire.SubClientArgs(login=check.login(login), amount=check.amount(amount))
        await self._client._request(wire.USERS_TOP_UP, args, timeout)

    async def stats(
        self,
        start: date,
        end: date,
        *,
        login: str | None = None,
        with_balance: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> list[SubClientStats]:
        """Each sub-client's (or one ``login``'s) messages and money between two days.

        ``with_balance=True`` also asks for each sub-client's balance.
        """
        first, last = check_period(start, end)
        if not isinstance(with_balance, bool):
            raise RequestValidationError("with_balance must be True or False", field="with_balance")
        args = wire.SubClientArgs(
            login=None if login is None else check.login(login),
            start=first,
            end=last,
            with_balance=with_balance,
        )
        return await self._client._request(wire.USERS_STATS, args, timeout)
