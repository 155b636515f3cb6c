"""``client.users``: sub-clients of the account (``users.php``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._hidden import HiddenText
from .._models.account import SubClientStats, SubClientType
from .._wire import users as wire
from . import _checks as check
from ._report_checks import check_period

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["SubClientBalance", "Users"]

SubClientBalance = Literal["all", "own", "main"]
"""Which sub-clients :meth:`Users.stats` covers: those with a balance of their own
(``"own"``, ``reseller=1``), those on the main account's balance (``"main"``), or both."""

_MAX_ID = 2**31 - 1


def _type(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestValidationError("type must be a SubClientType", field="type")
    try:
        return int(SubClientType(value))
    except ValueError:
        raise RequestValidationError(
            "type must be a SubClientType (0 to 4)", field="type"
        ) from None


def _whole(value: object, field: str) -> int | None:
    return None if value is None else check.record_id(value, field)


def _optional_flag(value: object, field: str) -> bool | None:
    return None if value is None else check.flag(value, field)


class Users:
    """Sub-clients: add, change, top up, statistics.

    The service takes at most three adds or changes of the same sub-client a minute;
    a fourth answers :class:`~smsc.TooManyRequestsError`. A password given here is a secret:
    it appears in no log, ``repr``, error text or local variable of a raised error's frames.
    A new password must follow the service's rule (at least 8 characters, with 3 of: letters,
    digits, upper and lower case, symbols); one that does not is refused before any request.

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
        type: SubClientType | None = None,
        email: str | None = None,
        email2: str | None = None,
        phone2: str | None = None,
        forward_to_phone: bool | None = None,
        forward_to_email: bool | None = None,
        site_id: int | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int | None:
        """Create a sub-client; returns its record id when the service gives one.

        Args:
            login: the sub-client's login.
            password: its password (the service's rule, see the class).
            name: its name (``fio``); phone: its main phone; email: its main e-mail.
            type: its account type (the service's default is ``INDEPENDENT``).
            email2: the e-mail its incoming SMS are forwarded to.
            phone2: the phone its incoming SMS are forwarded to.
            forward_to_phone: forward incoming SMS to the phone (``fl[8]``).
            forward_to_email: forward incoming SMS to e-mail (``fl[9]``).
            site_id: the site that owns the sub-client.

        Raises:
            RequestValidationError: a malformed login, a password breaking the rule, a bad
                phone, e-mail, type or flag (nothing was sent).
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
            type=_type(type),
            email=None if email is None else check.email(email),
            email2=None if email2 is None else check.email(email2, "email2"),
            phone2=None if phone2 is None else check.one_phone(phone2, "phone2"),
            forward_to_phone=_optional_flag(forward_to_phone, "forward_to_phone"),
            forward_to_email=_optional_flag(forward_to_email, "forward_to_email"),
            site_id=_whole(site_id, "site_id"),
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
        current_password: str | None = None,
        type: SubClientType | None = None,
        email: str | None = None,
        email2: str | None = None,
        phone2: str | None = None,
        forward_to_phone: bool | None = None,
        forward_to_email: bool | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change a sub-client's settings (the given ones only).

        ``current_password`` is the sub-client's present password (``pswc``), for a change
        of ``password``; the new one follows the service's rule.
        """
        hidden = None if password is None else HiddenText(password)
        current = None if current_password is None else HiddenText(current_password)
        del password, current_password
        changes = (name, phone, new_login, hidden, type, email, email2, phone2)
        switches = (forward_to_phone, forward_to_email)
        if all(value is None for value in (*changes, *switches)):
            raise RequestValidationError(
                "give at least one setting to change (name, phone, new_login, password, ...)",
                field="name",
            )
        args = wire.SubClientArgs(
            login=check.login(login),
            password=None if hidden is None else check.password(hidden),
            current_password=(
                None if current is None else check.password(current, "current_password", new=False)
            ),
            name=None if name is None else check.name(name, required=False),
            phone=None if phone is None else check.one_phone(phone),
            new_login=None if new_login is None else check.login(new_login, "new_login"),
            type=_type(type),
            email=None if email is None else check.email(email),
            email2=None if email2 is None else check.email(email2, "email2"),
            phone2=None if phone2 is None else check.one_phone(phone2, "phone2"),
            forward_to_phone=_optional_flag(forward_to_phone, "forward_to_phone"),
            forward_to_email=_optional_flag(forward_to_email, "forward_to_email"),
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
        user_id: int | None = None,
        balance: SubClientBalance = "all",
        electronic_balance: bool = False,
        account_currency: bool = False,
        hide_deleted: bool = False,
        detailed: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> list[SubClientStats]:
        """Sub-clients' messages and money between two days.

        Args:
            start: the first day; end: the last day (included).
            login: one sub-client by login; user_id: one by its id (not both).
            balance: which sub-clients: ``"all"`` (the default: both kinds, two requests),
                ``"own"`` (a balance of their own, ``reseller=1``) or ``"main"`` (on the main
                account's balance). The service answers only the ``"main"`` ones when it is
                not told, so ``"all"`` asks for both. With ``login`` or ``user_id`` and
                ``"all"``, one request without ``reseller`` is made.
            electronic_balance: count the messages paid from the electronic balance
                (``balance2``).
            account_currency: figures in the main account's currency (``mycur``).
            hide_deleted: leave deleted sub-clients out (``hide_deleted``).
            detailed: the detailed statistics (``get_stat_all``).

        Raises:
            RequestValidationError: a bad period, login, id or option (nothing was sent).
        """
        first, last = check_period(start, end)
        if login is not None and user_id is not None:
            raise RequestValidationError("give login or user_id, not both", field="user_id")
        if balance not in ("all", "own", "main"):
            raise RequestValidationError('balance must be "all", "own" or "main"', field="balance")
        base = wire.SubClientArgs(
            login=None if login is None else check.login(login),
            user_id=_whole(user_id, "user_id"),
            start=first,
            end=last,
            electronic_balance=check.flag(electronic_balance, "electronic_balance"),
            account_currency=check.flag(account_currency, "account_currency"),
            hide_deleted=check.flag(hide_deleted, "hide_deleted"),
        )
        spec = wire.USERS_STATS_DETAILED if check.flag(detailed, "detailed") else wire.USERS_STATS
        one = login is not None or user_id is not None
        if balance == "all" and one:
            kinds: tuple[bool | None, ...] = (None,)
        elif balance == "all":
            kinds = (True, False)
        else:
            kinds = (balance == "own",)
        found: list[SubClientStats] = []
        for own in kinds:
            args = replace(base, own_balance=own)
            rows: list[SubClientStats] = await self._client._request(spec, args, timeout)
            found.extend(rows)
        return found
