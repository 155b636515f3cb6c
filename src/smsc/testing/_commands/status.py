"""``status.php``: the status of one or several messages, HLR results, ``del=1`` (protocol §6)."""

from __future__ import annotations

from ..._enums import MessageType, StatusCode
from .._answers import Answer, DeleteAnswer, ErrorAnswer, FieldValue, StatusAnswer, StatusRow
from .._model import Account, Message
from .._request import Request
from .._state import ServiceState
from .._values import message_id_value, normalize_phone
from ._common import Refused, int_param

__all__ = ["STATUS_NAMES", "handle"]

STATUS_NAMES: dict[int, str] = {
    -3: "Сообщение не найдено",
    -2: "Остановлено",
    -1: "Ожидает отправки",
    0: "Передано оператору",
    1: "Доставлено",
    2: "Прочитано",
    3: "Просрочено",
    4: "Нажата ссылка",
    20: "Невозможно доставить",
    22: "Неверный номер",
    23: "Запрещено",
    24: "Недостаточно средств",
    25: "Недоступный номер",
}
"""Russian status names as ``status_name`` shows them ([3P])."""


def handle(state: ServiceState, account: Account, request: Request) -> Answer:
    """The status of the messages ``id`` to ``phone`` (both may be lists), or deletes them."""
    try:
        return _status(state, account, request)
    except Refused as refused:
        return ErrorAnswer.of(refused.code)


def _status(state: ServiceState, account: Account, request: Request) -> Answer:
    raw_ids = request.get("id")
    raw_phones = request.get("phone")
    if not raw_ids or raw_phones is None:
        raise Refused(1)
    multi = "," in raw_ids or "," in raw_phones
    ids = [item.strip() for item in raw_ids.split(",") if item.strip()]
    phones = [normalize_phone(item) for item in raw_phones.split(",") if item.strip()]
    if len(phones) == 1 and len(ids) > 1:
        phones *= len(ids)
    if not ids or len(ids) != len(phones):
        raise Refused(1)
    detail = int_param(request.get("all"), 0, 0, 2)
    limits = state.limits
    if request.flag("del"):
        for message_id, phone in zip(ids, phones, strict=True):
            if not state.delete_message(account.login, message_id, phone):
                raise Refused(5)
        return DeleteAnswer(len(ids))
    if multi:
        allowed = state.guards.allow(("multi", account.login), limits.multi_status_per_minute)
    else:
        key = ("poll", account.login, ids[0], phones[0])
        allowed = state.guards.allow(key, limits.status_polls_per_minute)
    if not allowed:
        raise Refused(9)
    rows = tuple(
        _status_row(state, account, message_id, phone, detail, multi)
        for message_id, phone in zip(ids, phones, strict=True)
    )
    return StatusAnswer(rows, multi)


def _status_row(
    state: ServiceState, account: Account, message_id: str, phone: str, detail: int, multi: bool
) -> StatusRow:
    message = state.find_message(account.login, message_id, phone)
    fields: dict[str, FieldValue] = {}
    if message is None:
        fields["status"] = int(StatusCode.NOT_FOUND)
    else:
        fields.update(_message_fields(state, message, detail))
    if multi:
        fields["id"] = message_id_value(message_id)
        fields["phone"] = phone if message is None else message.phone
    return StatusRow(fields, detail)


def _message_fields(state: ServiceState, message: Message, detail: int) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {
        "status": int(message.status),
        "last_date": state.format_date(message.last_change),
        "last_timestamp": int(message.last_change),
        "flag": 0,
        "err": int(message.err),
    }
    if message.hlr is not None and message.status.is_final:
        fields.update(message.hlr.fields())
    if detail >= 2:  # before the all=1 fields, as in the comma rows (see _formats)
        info = state.script.hlr_record(message.phone)
        fields.update({"country": info.country, "operator": info.operator, "region": info.region})
    if detail >= 1:
        fields.update(
            {
                "send_date": state.format_date(message.created_at),
                "send_timestamp": int(message.created_at),
                "phone": message.phone,
                "cost": f"{message.cost:.2f}",
                "sender_id": "HLR" if message.type is MessageType.HLR else message.sender,
                "status_name": STATUS_NAMES.get(int(message.status), ""),
                "message": message.text,
                "comment": message.comment,
                "type": int(message.type),
            }
        )
    return fields
