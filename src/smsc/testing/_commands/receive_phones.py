"""``receive_phones.php``: dedicated numbers for receiving messages.

``get=1`` lists the numbers free to connect, ``buy=1&phone=`` connects one to the login
(``noprolong=0/1`` optional), ``chg=1&phone=&noprolong=0/1`` sets whether a connected number
is renewed next month. The page does not lay the answers out; the emulator's: a list of
``{"phone": ...}`` for ``get``, ``{"result": "OK"}`` for ``buy`` and ``chg``. Error 1 for a
number that is not free (``buy``) or not connected (``chg``), or a ``noprolong`` other than
0 or 1. A number is not charged (the price is not documented). Free numbers are
:attr:`~.._directory.Directory.free_numbers`; connected ones
:attr:`~.._directory.Directory.dedicated_numbers`.
"""

from __future__ import annotations

from .._answers import Answer, OkAnswer, Row, TableAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState
from .._values import normalize_phone
from ._common import Refused, dispatch

__all__ = ["handle"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """``get``, ``buy`` or ``chg`` (error 1 for anything else)."""
    return dispatch({"get": _list, "buy": _buy, "chg": _change}, state, account, request)


def _phone(request: Request) -> str:
    phone = normalize_phone(request.get("phone") or "")
    if not phone:
        raise Refused(1)
    return phone


def _renew(request: Request, default: bool | None) -> bool:
    raw = request.get("noprolong")
    if raw is None or raw == "":
        if default is None:
            raise Refused(1)
        return default
    if raw not in ("0", "1"):
        raise Refused(1)
    return raw == "0"


def _list(_: ServiceState, account: Account, request: Request) -> Answer:
    rows: tuple[Row, ...] = tuple({"phone": phone} for phone in account.directory.free_numbers)
    return TableAnswer(rows, "phone")


def _buy(_: ServiceState, account: Account, request: Request) -> Answer:
    phone = _phone(request)
    renew = _renew(request, True)
    directory = account.directory
    if phone not in directory.free_numbers:
        raise Refused(1)
    directory.free_numbers.remove(phone)
    directory.dedicated_numbers[phone] = renew
    return OkAnswer()


def _change(_: ServiceState, account: Account, request: Request) -> Answer:
    phone = _phone(request)
    if phone not in account.directory.dedicated_numbers:
        raise Refused(1)
    account.directory.dedicated_numbers[phone] = _renew(request, None)
    return OkAnswer()
