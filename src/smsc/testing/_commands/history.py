"""``get.php?get_messages=1`` (the history of sent messages) and ``get.php?get_answers=1``
(messages received from subscribers) (protocol §11.5).

The history is the messages actually sent to the emulator, newest first, paged backwards by
``int_id`` (``prev_id``); received messages are those a test injected with
:meth:`SMSCEmulator.receive_message`, oldest first, paged forwards by ``after_id``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from .._answers import Answer, Row, TableAnswer
from .._directory import IncomingRecord
from .._model import Account, Message
from .._request import Request
from .._state import ServiceState
from ._common import int_param, money_text, period, phone_list
from .status import STATUS_NAMES

__all__ = [
    "HISTORY_MAX_MONTHS",
    "HISTORY_PAGE",
    "INCOMING_DEFAULT_HOURS",
    "INCOMING_MAX",
    "handle_history",
    "handle_incoming",
]

HISTORY_PAGE = 1000
"""The most (and default) messages of one history page (``cnt``)."""
HISTORY_MAX_MONTHS = 6
"""The longest ``start``..``end`` range of a history request, in calendar months."""
INCOMING_MAX = 10_000
"""The most (and default) received messages of one answer (``cnt``)."""
INCOMING_MAX_HOURS = 168
INCOMING_DEFAULT_HOURS = 24
"""How far back received messages are answered without ``hour`` ([INF])."""


def handle_history(state: ServiceState, account: Account, request: Request) -> Answer:
    """A page of sent messages, newest first (``int_id`` below ``prev_id`` when given)."""
    first, after_last = period(
        request, state.clock.now(), state.zone, max_months=HISTORY_MAX_MONTHS
    )
    count = int_param(request.get("cnt"), HISTORY_PAGE, 1, HISTORY_PAGE)
    before = int_param(request.get("prev_id"), 0, 0, 2**63)
    phones = set(phone_list(request.get("phone")))
    emails = {item.strip().lower() for item in (request.get("email") or "").split(",")}
    emails.discard("")
    kind = request.get("format")
    wanted_type = int_param(kind, 0, 0, 99) if kind not in (None, "") else None
    rows: list[Row] = []
    for message in _newest_first(state, account.login, before):
        if not first <= message.created_at < after_last:
            continue
        if phones and message.phone not in phones:
            continue
        if emails and message.phone.lower() not in emails:
            continue
        if wanted_type is not None and int(message.type) != wanted_type:
            continue
        rows.append(_history_row(state, message))
        if len(rows) == count:
            break
    return TableAnswer(tuple(rows), "sms", last=("message",))


def _newest_first(state: ServiceState, login: str, before: int) -> Iterator[Message]:
    messages = state.messages
    # int_id is the position in state.messages plus one: start right below prev_id.
    top = len(messages) if before == 0 else min(before - 1, len(messages))
    for index in range(top - 1, -1, -1):
        message = messages[index]
        if message.login == login and not message.deleted:
            yield message


def _history_row(state: ServiceState, message: Message) -> Row:
    operator = state.script.hlr_record(message.phone)
    return {
        "status": int(message.status),
        "last_date": state.format_date(message.last_change),
        "last_timestamp": int(message.last_change),
        "err": int(message.err),
        "send_date": state.format_date(message.created_at),
        "send_timestamp": int(message.created_at),
        "phone": message.phone,
        "cost": money_text(message.cost),
        "sender_id": message.sender,
        "status_name": STATUS_NAMES.get(int(message.status), ""),
        "message": message.text,
        "id": message.id,
        "int_id": message.int_id,
        "sms_cnt": message.parts,
        "format": int(message.type),
        "crc": zlib.crc32(message.text.encode("utf-8")),
        "mccmnc": f"{operator.mcc}{operator.mnc}",
        "country": operator.country,
        "operator": operator.operator,
        "region": operator.region,
    }


def handle_incoming(state: ServiceState, account: Account, request: Request) -> Answer:
    """Received messages of the last ``hour`` hours, oldest first, after ``after_id``."""
    count = int_param(request.get("cnt"), INCOMING_MAX, 1, INCOMING_MAX)
    hours = int_param(request.get("hour"), INCOMING_DEFAULT_HOURS, 1, INCOMING_MAX_HOURS)
    after = int_param(request.get("after_id"), 0, 0, 2**63)
    to_phones = set(phone_list(request.get("to_phone")))
    since = state.clock.now() - hours * 3600.0
    rows: list[Row] = []
    for received in account.directory.incoming:
        if received.id <= after or received.received_at < since:
            continue
        if to_phones and received.to_phone not in to_phones:
            continue
        rows.append(incoming_row(state, received))
        if len(rows) == count:
            break
    return TableAnswer(tuple(rows), "sms", last=("message",))


def incoming_row(state: ServiceState, received: IncomingRecord) -> Row:
    """One received message as ``get_answers`` (and the received-message callback) show it."""
    return {
        "id": received.id,
        "received": state.format_date(received.received_at),
        "phone": received.phone,
        "to_phone": received.to_phone,
        "sent": int(received.received_at),
        "message": received.text,
    }
