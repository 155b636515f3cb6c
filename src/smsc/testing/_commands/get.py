"""``get.php``: one path, four commands chosen by a flag (protocol §11.5): ``get_messages``
(history), ``get_answers`` (received messages), ``get_stat`` (statistics), ``get_price``
(tariffs). Statistics and tariffs are answered here; the other two in :mod:`.history`.
"""

from __future__ import annotations

from decimal import Decimal

from .._answers import Answer, ErrorAnswer, Row, TableAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Refused, money_text, period
from .history import handle_history, handle_incoming
from .send import request_key

__all__ = ["handle", "handle_price", "handle_stat", "stat_row"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Answer the ``get.php`` command the request's flag names (error 1 for none)."""
    try:
        if request.flag("get_messages"):
            return handle_history(state, account, request)
        if request.flag("get_answers"):
            return handle_incoming(state, account, request)
        if request.flag("get_stat"):
            return handle_stat(state, account, request)
        if request.flag("get_price"):
            return handle_price(state, account, request)
        raise Refused(1)
    except Refused as refused:
        return ErrorAnswer.of(refused.code)


def handle_stat(state: ServiceState, account: Account, request: Request) -> Answer:
    """What the account sent and paid between ``start`` and ``end`` (one record)."""
    first, after_last = period(request, state.clock.now(), state.zone, max_months=None)
    row = stat_row(state, account, first, after_last, electronic=request.flag("balance2"))
    return TableAnswer.one(row, "stat")


def stat_row(
    state: ServiceState, account: Account, first: float, after_last: float, *, electronic: bool
) -> Row:
    """One account's statistics: SMS sent (``cnt``), money spent (``credit``) and put on the
    account (``debit``) in ``first`` <= t < ``after_last``.

    ``balance2=1`` (``electronic``) asks for the messages paid from the electronic balance;
    the emulator pays every message from the account's one balance, so those figures are
    zero. ``mycur=1`` changes nothing: an account has one currency here. The answer has no
    ``balance`` field (the page lists ``login``, ``cnt``, ``credit``, ``debit``,
    ``currency``)."""
    count = 0
    spent = Decimal("0.00")
    income = Decimal("0.00")
    if not electronic:
        for message in state.messages:
            if message.login == account.login and first <= message.created_at < after_last:
                count += message.parts
                spent += message.cost
        income = sum(
            (item.amount for item in account.directory.payments if first <= item.at < after_last),
            Decimal("0.00"),
        )
    row: Row = {
        "login": account.login,
        "cnt": count,
        "credit": money_text(spent),
        "debit": money_text(income),
        "currency": account.currency,
    }
    return row


def handle_price(state: ServiceState, account: Account, request: Request) -> Answer:
    """The account's tariff: one zone per number prefix, then every other number (``*``)."""
    limit = state.limits.identical_price_per_minute
    if not state.guards.allow(("price", account.login, request_key(request)), limit):
        raise Refused(9)
    tariff = account.tariff
    zones = [(f"+{prefix}", tariff.part_price(prefix)) for prefix in sorted(tariff.prefix_prices)]
    zones.append(("*", tariff.part_price("")))
    rows: list[Row] = []
    for index, (name, price) in enumerate(zones, start=1):
        sms = money_text(price)
        rows.append(
            {
                "zone": index,
                "name": name,
                "api": sms,
                "mass": sms,
                "mms": sms,
                "call": sms,
                "hlr": money_text(tariff.hlr_price),
                "ping": money_text(tariff.ping_price),
            }
        )
    return TableAnswer(tuple(rows), "zone", wrapper="zones")
