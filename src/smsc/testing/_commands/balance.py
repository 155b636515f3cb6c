"""``balance.php``: the account's balance, currency and credit (protocol §7)."""

from __future__ import annotations

from .._answers import Answer, BalanceAnswer, ErrorAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState

__all__ = ["handle"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """The balance; with ``cur=1`` also the currency and a non-zero credit."""
    if not state.guards.allow(("balance", account.login), state.limits.balance_per_minute):
        return ErrorAnswer.of(9)
    with_currency = request.flag("cur")
    return BalanceAnswer(
        account.balance,
        currency=account.currency if with_currency else None,
        credit=account.credit if with_currency and account.credit else None,
    )
