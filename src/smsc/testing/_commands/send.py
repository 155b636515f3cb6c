"""``send.php``: send a message, or with ``cost=1`` only price it (protocol §3, §4, §8)."""

from __future__ import annotations

import math
from decimal import Decimal

from ..._enums import MessageFormat, MessageType, StatusCode
from ..._errors import RequestValidationError
from ..._rules.recipients import parse_phones
from ..._rules.segments import segments, strip_comment, truncate_to_parts
from ..._rules.translit import transliterate
from .._answers import Answer, CostAnswer, ErrorAnswer, SendAnswer
from .._model import Account
from .._request import Request
from .._state import ServiceState
from .._values import money, normalize_phone
from ._common import Refused, int_param
from ._send_params import SendParams, given_id, send_params

__all__ = ["handle", "request_key"]

_SEGMENTED = frozenset({MessageType.SMS, MessageType.FLASH, MessageType.WAP_PUSH})

# (phone, text as sent, comment, sender, parts, price) of one message to create
_Planned = tuple[str, str, str, str, int, Decimal]


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """Send the message(s) of ``request``, or price them for ``cost=1``."""
    message_id: int | str | None = None
    cost_mode = 0
    try:
        cost_mode = int_param(request.get("cost"), 0, 0, 3)
        message_id = given_id(request.get("id"))
        params = send_params(request, state.clock)
        _check_rates(state, account, request, cost_mode)
        if message_id is None:  # a cost query creates no message and takes no id
            message_id = 0 if cost_mode == 1 else state.next_message_id()
        return _send(state, account, request, params, cost_mode, message_id)
    except Refused as refused:
        if cost_mode == 1:
            # A cost query sends nothing: no message, no id used up; the libraries
            # document (0, -code) for it.
            return ErrorAnswer.of(refused.code)
        if refused.code in (3, 6, 7, 8) and message_id is None:
            message_id = state.next_message_id()
        return ErrorAnswer.of(refused.code, message_id)


def request_key(request: Request) -> tuple[tuple[str, str], ...]:
    """What makes two requests "identical" for error 9: every parameter but the credentials.

    Whether the service compares all parameters or only phones and text is not documented
    ([UNK], protocol §13.14); comparing all of them (``id`` included) is the assumption.
    """
    return tuple(
        sorted((k, v) for k, v in request.params.items() if k not in ("login", "psw", "apikey"))
    )


def _check_rates(state: ServiceState, account: Account, request: Request, cost_mode: int) -> None:
    key = request_key(request)
    if cost_mode == 1:
        limit = state.limits.identical_cost_per_minute
        if not state.guards.allow(("cost", account.login, key), limit):
            raise Refused(9)
        return
    if state.guards.is_duplicate(account.login, key, state.limits.duplicate_send_window):
        raise Refused(9)


def _parts(text: str, params: SendParams) -> tuple[str, str, int]:
    """(text as sent, comment, parts) of one line."""
    body = strip_comment(text)
    comment = text[len(body) + 5 :] if len(body) < len(text) else ""
    if params.message_type in (MessageType.HLR, MessageType.PING):
        return body, comment, 1
    if params.message_type is MessageType.BINARY:
        size = len(body) // 2 if params.binary_hex else len(body.encode("utf-8"))
        return body, comment, 1 if size <= 140 else math.ceil(size / 134)
    if params.message_type not in _SEGMENTED:
        return body, comment, 1
    body = transliterate(body, params.translit)
    if params.maxsms is not None:
        body = truncate_to_parts(body, params.maxsms)
    return body, comment, segments(body).parts


def _price(account: Account, phone: str, parts: int, params: SendParams) -> Decimal:
    tariff = account.tariff
    if params.message_type is MessageType.HLR:
        return money(tariff.hlr_price)
    if params.message_type is MessageType.PING:
        return money(tariff.ping_price)
    return tariff.part_price(phone) * parts


def _plan(
    state: ServiceState, account: Account, params: SendParams
) -> tuple[list[_Planned], list[dict[str, str]]]:
    """The messages to create and the per-phone report (``op=1``/``err=1``) of a send."""
    script = state.script
    fmt_mail = params.message_type is MessageType.MAIL
    planned: list[_Planned] = []
    report: list[dict[str, str]] = []
    bad = undeliverable = 0
    for recipients, text, sender in params.lines:
        if script.is_denied(text, sender, account):
            raise Refused(6)
        body, comment, parts = _parts(text, params)
        for item in account.directory.expand_recipients(recipients):  # G<group id>
            try:
                (recipient,) = parse_phones(
                    item, format=MessageFormat.MAIL if fmt_mail else MessageFormat.SMS
                )
            except (RequestValidationError, ValueError):
                bad += 1
                report.append(_bad_phone(item, StatusCode.INVALID_NUMBER, 249))
                continue
            phone = recipient if fmt_mail else normalize_phone(recipient)
            if recipient.startswith("G") or script.is_undeliverable(phone):
                undeliverable += 1
                report.append(_bad_phone(phone, StatusCode.UNAVAILABLE_NUMBER, 248))
                continue
            if account.directory.is_blocked(phone):  # phones.php add_black
                undeliverable += 1
                report.append(_bad_phone(phone, StatusCode.PROHIBITED, 250))
                continue
            fault = script.take_send_fault(phone)
            if fault is not None:
                raise Refused(fault)
            price = _price(account, phone, parts, params)
            planned.append((phone, body, comment, sender, parts, price))
            report.append({"phone": phone, "mccmnc": script.mccmnc(phone), "cost": f"{price:.2f}"})
    if not planned:
        raise Refused(7 if bad or not undeliverable else 8)
    return planned, report


def _send(
    state: ServiceState,
    account: Account,
    request: Request,
    params: SendParams,
    cost_mode: int,
    message_id: int | str,
) -> Answer:
    planned, report = _plan(state, account, params)
    count = sum(item[4] for item in planned)
    cost = sum((item[5] for item in planned), Decimal("0.00"))
    phones = _phone_report(request, report)
    if cost_mode == 1:
        return CostAnswer(money(cost), count, phones)
    virtual = account.test_mode or params.test
    charged = Decimal("0.00") if virtual else money(cost)
    if charged > account.funds:
        raise Refused(3)
    account.balance = money(account.balance - charged)
    for phone, body, comment, sender, parts, price in planned:
        state.create_message(
            account,
            message_id=message_id,
            phone=phone,
            text=body,
            comment=comment,
            sender=sender,
            message_type=params.message_type,
            parts=parts,
            cost=Decimal("0.00") if virtual else money(price),
            scheduled_at=params.scheduled_at,
            translit=params.translit,
            channel=request.channel,
            virtual=virtual,
        )
    window = state.limits.duplicate_send_window
    state.guards.remember_send(account.login, request_key(request), window)
    return SendAnswer(
        message_id,
        count,
        cost=money(cost) if cost_mode >= 2 else None,
        balance=account.balance if cost_mode == 3 else None,
        phones=phones,
    )


def _phone_report(
    request: Request, report: list[dict[str, str]]
) -> tuple[dict[str, str], ...] | None:
    if request.flag("op"):
        return tuple(report)
    if request.flag("err"):
        return tuple(item for item in report if "error" in item)
    return None


def _bad_phone(phone: str, status: StatusCode, err: int) -> dict[str, str]:
    return {
        "phone": phone,
        "mccmnc": "0",
        "cost": "0.00",
        "status": str(int(status)),
        "error": str(err),
    }
