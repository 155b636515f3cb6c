"""``users.php``: sub-clients of the account (protocol §11.3, limit in §5.4; checked
against the service's sub-client pages for issue 22).

``add=1&user=&password=`` and ``chg=1&user=`` (+ ``fio``, ``phone``, ``type``, ``email``,
``email2``, ``phone2``, ``fl[8]``, ``fl[9]``; ``site_id`` on add; ``new_login`` and ``pswc``
on change), ``pay=1&user=&sum=`` (a top-up from the account), and ``get_stat=1`` or
``get_stat_all=1`` with ``start=&end=`` (+ ``user=`` or ``user_id=``, ``reseller``,
``balance2``, ``mycur``, ``hide_deleted``). Without ``reseller=1`` the service answers only
the sub-clients on the main account's balance; with it, those with a balance of their own.
The service takes at most three adds or changes of the same sub-client a minute.

The password of a sub-client is a secret: it lives in a :class:`HiddenText` and is revealed
only into the request body; the spec's ``secrets`` keep it out of the command's errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from .._hidden import HiddenText
from .._models.account import SubClientStats
from ._spec import LimitKeys
from .errors import ACCOUNT_DATA_ERRORS, SUBCLIENT_PAYMENT_ERRORS
from .records import (
    action,
    created_id,
    day,
    done,
    extra_fields,
    opt,
    present,
    records,
    required_text,
)
from .values import decimal, integer, text

__all__ = [
    "USERS_ADD",
    "USERS_CHANGE",
    "USERS_STATS",
    "USERS_STATS_DETAILED",
    "USERS_TOP_UP",
    "USER_COMMANDS",
    "SubClientArgs",
]

_PATH: Final = "/sys/users.php"
_KNOWN = ("login", "cnt", "credit", "debit", "currency")


@dataclass(frozen=True, slots=True)
class SubClientArgs:
    """Checked arguments of a ``users.php`` action (those it does not use stay ``None``)."""

    login: str | None = None
    password: HiddenText | None = None
    new_login: str | None = None
    name: str | None = None
    phone: str | None = None
    amount: Decimal | None = None
    start: date | None = None
    end: date | None = None
    user_id: int | None = None
    current_password: HiddenText | None = None
    type: int | None = None
    email: str | None = None
    email2: str | None = None
    phone2: str | None = None
    forward_to_phone: bool | None = None
    forward_to_email: bool | None = None
    site_id: int | None = None
    own_balance: bool | None = None
    """True sends ``reseller=1`` (sub-clients with a balance of their own); False and None
    leave ``reseller`` out, which is how the page asks for those on the main account's
    balance (it documents the value 1 only, so ``reseller=0`` is never sent)."""
    electronic_balance: bool = False
    account_currency: bool = False
    hide_deleted: bool = False


def _bit(value: bool | None) -> str | None:
    return None if value is None else ("1" if value else "0")


def _on(value: bool) -> str | None:
    return "1" if value else None


def _fields(args: SubClientArgs) -> dict[str, str]:
    return present(
        {
            "user": args.login,
            "user_id": opt(args.user_id),
            "password": args.password.reveal() if args.password is not None else None,
            "pswc": (args.current_password.reveal() if args.current_password is not None else None),
            "new_login": args.new_login,
            "fio": args.name,
            "phone": args.phone,
            "type": opt(args.type),
            "email": args.email,
            "email2": args.email2,
            "phone2": args.phone2,
            "fl[8]": _bit(args.forward_to_phone),
            "fl[9]": _bit(args.forward_to_email),
            "site_id": opt(args.site_id),
            "sum": format(args.amount, "f") if args.amount is not None else None,
            "start": day(args.start) if args.start is not None else None,
            "end": day(args.end) if args.end is not None else None,
            "reseller": "1" if args.own_balance else None,
            "balance2": _on(args.electronic_balance),
            "mycur": _on(args.account_currency),
            "hide_deleted": _on(args.hide_deleted),
        }
    )


def _secrets(args: SubClientArgs) -> tuple[str, ...]:
    hidden = (args.password, args.current_password)
    return tuple(secret.reveal() for secret in hidden if secret is not None)


def _change_limits(args: SubClientArgs) -> LimitKeys:
    # At most three adds or changes of the same sub-client a minute (§5.4).
    return (("users.change", args.login or ""),)


def _added(data: Any, body: bytes, command: str) -> int | None:
    # The answer to an add is not documented: an id when it carries one, else an OK.
    if isinstance(data, dict) and "id" in data:
        return created_id(data, body, command)
    done(data, body, command)
    return None


def _stats(data: Any, body: bytes, command: str) -> list[SubClientStats]:
    rows = [data] if isinstance(data, dict) else data  # one sub-client may come as an object
    return [
        SubClientStats(
            login=required_text(item, ("login",), command, body),
            messages=integer(item.get("cnt")),
            spent=decimal(item.get("credit")),
            income=decimal(item.get("debit")),
            currency=text(item.get("currency")),
            extra=extra_fields(item, _KNOWN),
        )
        for item in records(rows, body, command)
    ]


USERS_ADD: Final = action(
    "users.add",
    _PATH,
    "add",
    _fields,
    _added,
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
    secrets=_secrets,
    limits=_change_limits,
)
"""Create a sub-client; repeated it would fail (the login is taken) or count against §5.4."""

USERS_CHANGE: Final = action(
    "users.change",
    _PATH,
    "chg",
    _fields,
    done,
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
    secrets=_secrets,
    limits=_change_limits,
)
"""Change a sub-client; not repeated (a renamed login is gone, and §5.4 counts changes)."""

USERS_TOP_UP: Final = action(
    "users.top_up",
    _PATH,
    "pay",
    _fields,
    done,
    may_repeat=False,
    errors=SUBCLIENT_PAYMENT_ERRORS,
)
"""Move money to a sub-client; repeated it would pay twice."""

USERS_STATS: Final = action(
    "users.stats", _PATH, "get_stat", _fields, _stats, may_repeat=True, errors=ACCOUNT_DATA_ERRORS
)
"""Sub-clients' statistics over a period; a query, safe to repeat."""

USERS_STATS_DETAILED: Final = action(
    "users.stats_detailed",
    _PATH,
    "get_stat_all",
    _fields,
    _stats,
    may_repeat=True,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Detailed statistics (``get_stat_all=1``); its answer is not laid out on the page and is
read as the records of ``get_stat`` (a named assumption: each record names its ``login``)."""

USER_COMMANDS: Final = (USERS_ADD, USERS_CHANGE, USERS_TOP_UP, USERS_STATS, USERS_STATS_DETAILED)
