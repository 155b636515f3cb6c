"""``info.php?get_operator=1``: the operator, country, region, MCC, MNC and time zone of a
number (protocol §11.6), from the same per-number data as HLR requests
(:meth:`SMSCEmulator.set_hlr`); limits of §5.4.
"""

from __future__ import annotations

from .._answers import Answer, ErrorAnswer, Row, TableAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState
from ._common import Refused, phone_list
from .send import request_key

__all__ = ["handle"]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """The operator of ``phone`` (one record), or of each number of a list (a list)."""
    try:
        return _operator(state, account, request)
    except Refused as refused:
        if refused.code == 3:
            return ErrorAnswer(3, "operator not found")
        return ErrorAnswer.of(refused.code)


def _operator(state: ServiceState, account: Account, request: Request) -> Answer:
    if not request.flag("get_operator"):
        raise Refused(1)
    limits = state.limits
    guards = state.guards
    if not guards.allow(("operator", account.login), limits.operator_per_minute):
        raise Refused(9)
    identical = ("operator", account.login, request_key(request))
    if not guards.allow(identical, limits.operator_identical_per_minute):
        raise Refused(9)
    raw = request.get("phone") or ""
    phones = phone_list(raw)
    if not phones:
        raise Refused(1)
    rows: list[Row] = []
    for phone in phones:
        record = state.script.operator(phone)
        if record is None:
            raise Refused(3)
        rows.append(
            {
                "phone": phone,
                "country": record.country,
                "operator": record.operator,
                "region": record.region,
                "mcc": record.mcc,
                "mnc": record.mnc,
                "tz": record.tz,
            }
        )
    if len(rows) == 1 and "," not in raw and ";" not in raw:
        return TableAnswer.one(rows[0], "operator")
    return TableAnswer(tuple(rows), "operator")
