"""``users.php``: sub-clients of the account (protocol §11.3): add, change, top up, and
statistics; at most 3 adds or changes of the same sub-client a minute (§5.4).

A sub-client is an account of its own (it can log in and send); its parent's directory keeps
a :class:`~.._directory.SubClient` record of it. A top-up moves money from the parent.

As the sub-client pages say: a new password (``add``, or ``chg`` with ``password``) has at
least 8 characters and 3 of 4 kinds (letters, digits, both cases, symbols), else error 1;
``type`` is 0 to 4 (0, the default, and 1 have a balance of their own; 2, 3 and 4 use the
main account's); ``get_stat`` without ``reseller=1`` answers the sub-clients on the main
account's balance, with it those with their own balance; ``user``/``user_id`` pick one.
``get_stat_all`` answers as ``get_stat`` (its layout is not documented).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._directory import Payment, SubClient
from .._model import Account
from .._request import Request
from .._state import ServiceState
from .._values import money
from ._common import Action, Refused, dispatch, period, text_param
from .get import stat_row

__all__ = ["handle"]

_LOGIN_LENGTH = 64
_PASSWORD_LENGTH = 8
_OWN_BALANCE_TYPES = frozenset({0, 1})
_TYPES = range(5)


def _password(request: Request) -> str:
    """A new password by the service's rule (error 1 when it breaks it)."""
    value = text_param(request, "password", max_length=_LOGIN_LENGTH)
    kinds = (
        any(c.isalpha() for c in value),
        any(c.isdigit() for c in value),
        any(c.isupper() for c in value) and any(c.islower() for c in value),
        any(not c.isalnum() for c in value),
    )
    if len(value) < _PASSWORD_LENGTH or sum(kinds) < 3:
        raise Refused(1)
    return value


def _account_type(request: Request, default: int) -> int:
    raw = request.get("type")
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) not in _TYPES:
        raise Refused(1)
    return int(raw)


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Answer the action the request's flag names (error 1 for none)."""
    return dispatch(_ACTIONS, state, account, request)


def _limit(state: ServiceState, account: Account, user: str) -> None:
    key = ("subclient", account.login, user)
    if not state.guards.allow(key, state.limits.subclient_changes_per_minute):
        raise Refused(9)


def _subclient(state: ServiceState, account: Account, request: Request) -> SubClient:
    user = (request.get("user") or "").strip()
    record = account.directory.subclients.get(user)
    if record is None and (request.get("user_id") or "").strip().isdigit():
        wanted = int((request.get("user_id") or "").strip())
        record = next((s for s in account.directory.subclients.values() if s.id == wanted), None)
    if record is None or record.login not in state.accounts:
        raise Refused(1)
    return record


def _add(state: ServiceState, account: Account, request: Request) -> Answer:
    user = text_param(request, "user", max_length=_LOGIN_LENGTH)
    password = _password(request)
    kind = _account_type(request, 0)
    _limit(state, account, user)
    if user in state.accounts:
        raise Refused(1)
    state.add_account(
        Account(
            login=user,
            passwords=[password],
            balance=Decimal("0.00"),
            currency=account.currency,
            tariff=account.tariff,
            parent=account.login,
        )
    )
    record = account.directory.add_subclient(
        user, fio=(request.get("fio") or "").strip(), phone=(request.get("phone") or "").strip()
    )
    record.type = kind
    return TableAnswer.one({"id": record.id})


def _change(state: ServiceState, account: Account, request: Request) -> Answer:
    record = _subclient(state, account, request)
    _limit(state, account, record.login)
    sub = state.accounts[record.login]
    new_login = (request.get("new_login") or "").strip()
    if new_login and new_login != record.login:
        if new_login in state.accounts or len(new_login) > _LOGIN_LENGTH:
            raise Refused(1)
        state.rename_account(record.login, new_login)
        account.directory.subclients[new_login] = account.directory.subclients.pop(record.login)
        record.login = new_login
    if request.get("password"):
        sub.passwords = [_password(request)]
    record.type = _account_type(request, record.type)
    for name in ("fio", "phone"):
        if request.get(name) is not None:
            setattr(record, name, (request.get(name) or "").strip())
    return OkAnswer()


def _pay(state: ServiceState, account: Account, request: Request) -> Answer:
    record = _subclient(state, account, request)
    try:
        amount = money((request.get("sum") or "").strip())
    except (InvalidOperation, ValueError):
        raise Refused(1) from None
    if not amount.is_finite() or amount <= 0:
        raise Refused(1)
    if amount > account.funds:
        raise Refused(3)
    sub = state.accounts[record.login]
    account.balance = money(account.balance - amount)
    sub.balance = money(sub.balance + amount)
    sub.directory.payments.append(Payment(amount, state.clock.now()))
    return OkAnswer()


def _statistics(state: ServiceState, account: Account, request: Request) -> Answer:
    first, after_last = period(request, state.clock.now(), state.zone, max_months=None)
    if request.get("user") or request.get("user_id"):
        records = [_subclient(state, account, request)]
    else:
        own = request.flag("reseller")
        records = [
            r
            for r in account.directory.subclients.values()
            if (r.type in _OWN_BALANCE_TYPES) == own
        ]
    electronic = request.flag("balance2")
    rows: tuple[Row, ...] = tuple(
        stat_row(state, state.accounts[r.login], first, after_last, electronic=electronic)
        for r in records
        if r.login in state.accounts
    )
    return TableAnswer(rows, "user")


_ACTIONS: dict[str, Action] = {
    "add": _add,
    "chg": _change,
    "pay": _pay,
    "get_stat": _statistics,
    "get_stat_all": _statistics,
}
