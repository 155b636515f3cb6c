"""``fmt=3`` answers to result models: send, cost, status and balance.

Each decoder gets the answer's JSON value after :meth:`CommandSpec.read` checked it is not an
error answer, the raw body (for error excerpts) and the command's arguments. Amounts are
``Decimal`` whether the service sends them as JSON strings or numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._enums import DeliveryError, MessageType, StatusCode
from .._errors import InvalidResponseError
from .._models.messages import Balance, CostResult, HLRInfo, MessageStatus, PhoneResult, SendResult
from .values import (
    decimal,
    enum_or_int,
    excerpt,
    integer,
    message_id,
    moment,
    required,
    text,
)

__all__ = [
    "HLR_ANSWER_FIELDS",
    "balance_result",
    "cost_result",
    "expect_object",
    "send_result",
    "status_results",
]


def expect_object(data: Any, command: str, body: bytes) -> dict[str, Any]:
    """``data`` when it is a JSON object, else an ``InvalidResponseError``."""
    if not isinstance(data, dict):
        raise InvalidResponseError(f"{command}: expected a JSON object", body_excerpt=excerpt(body))
    return data


def _phones(data: Mapping[str, Any], body: bytes, sent: int | None) -> tuple[PhoneResult, ...]:
    """The ``phones`` of a send or cost answer: at most the ``sent`` phones of the request
    (checked before any result is built; ``None``: the request is not known)."""
    items = data.get("phones")
    if not isinstance(items, list):
        return ()
    if sent is not None and len(items) > sent:
        raise InvalidResponseError(
            f"answer lists {len(items)} phones for {sent} sent", body_excerpt=excerpt(body)
        )
    return tuple(
        PhoneResult(
            phone=str(item.get("phone", "")),
            mccmnc=text(item.get("mccmnc")),
            cost=decimal(item.get("cost")),
            status=enum_or_int(StatusCode, item.get("status")),
            error=enum_or_int(DeliveryError, item.get("error")),
        )
        for item in items
        if isinstance(item, dict)
    )


def send_result(
    data: Any, body: bytes, sent_id: int | str | None, sent: int | None = None
) -> SendResult:
    """The answer to a send; ``sent_id`` is the id the request carried, ``sent`` the number
    of its phones (``None``: not known)."""
    obj = expect_object(data, "send", body)
    found = message_id(obj.get("id"), "send", body)
    if found is None:
        found = sent_id
    if found is None:
        raise InvalidResponseError("send: no message id in the answer", body_excerpt=excerpt(body))
    count = integer(required(obj, "cnt", "send", body))
    if count is None:
        raise InvalidResponseError("send: bad 'cnt' in the answer", body_excerpt=excerpt(body))
    # Only the fields present are passed: a default is not validated again (every send).
    fields: dict[str, Any] = {"id": found, "count": count}
    for name, value in (
        ("cost", decimal(obj.get("cost"))),
        ("balance", decimal(obj.get("balance"))),
        ("code", text(obj.get("code"))),
    ):
        if value is not None:  # an amount of 0 is kept
            fields[name] = value
    phones = _phones(obj, body, sent)
    if phones:
        fields["phones"] = phones
    return SendResult(**fields)


def cost_result(data: Any, body: bytes, sent: int | None = None) -> CostResult:
    """The answer to a cost query (``cost=1``) of ``sent`` phones (``None``: not known)."""
    obj = expect_object(data, "cost", body)
    cost = decimal(required(obj, "cost", "cost", body))
    count = integer(required(obj, "cnt", "cost", body))
    if cost is None or count is None:
        raise InvalidResponseError("cost: bad 'cost' or 'cnt'", body_excerpt=excerpt(body))
    return CostResult(cost=cost, count=count, phones=_phones(obj, body, sent))


HLR_ANSWER_FIELDS: Mapping[str, str] = {
    "imsi": "imsi",
    "msc": "msc",
    "mcc": "mcc",
    "mnc": "mnc",
    "cn": "country",
    "net": "network",
    "rcn": "roaming_country",
    "rnet": "roaming_network",
}
"""The HLR fields of a status answer or callback (§6.4) -> :class:`HLRInfo` attributes."""

_STATUS_KEYS = frozenset(
    {
        "status",
        "last_date",
        "last_timestamp",
        "flag",
        "err",
        "send_date",
        "send_timestamp",
        "phone",
        "cost",
        "sender_id",
        "status_name",
        "message",
        "comment",
        "type",
        "sms_cnt",
        "country",
        "operator",
        "region",
        "id",
        *HLR_ANSWER_FIELDS,
    }
)


def hlr_info(fields: Mapping[str, Any]) -> HLRInfo:
    """The HLR fields of a status answer or a callback as the one :class:`HLRInfo` model."""
    return HLRInfo(**{name: text(fields.get(key)) for key, name in HLR_ANSWER_FIELDS.items()})


def _status(item: Mapping[str, Any], command: str, body: bytes) -> MessageStatus:
    status = enum_or_int(StatusCode, required(item, "status", command, body))
    if status is None:
        raise InvalidResponseError(f"{command}: bad 'status'", body_excerpt=excerpt(body))
    hlr = None
    if any(key in item for key in ("imsi", "msc", "mcc", "mnc")):
        hlr = hlr_info(item)
    return MessageStatus(
        id=message_id(item.get("id"), command, body),
        phone=text(item.get("phone")),
        status=status,
        last_change=moment(item.get("last_timestamp"), item.get("last_date")),
        error=enum_or_int(DeliveryError, item.get("err")),
        flag=integer(item.get("flag")),
        sent_at=moment(item.get("send_timestamp"), item.get("send_date")),
        cost=decimal(item.get("cost")),
        sender=text(item.get("sender_id")),
        status_name=text(item.get("status_name")),
        message=text(item.get("message")),
        comment=text(item.get("comment")),
        type=enum_or_int(MessageType, item.get("type")),
        sms_count=integer(item.get("sms_cnt")),
        country=text(item.get("country")),
        operator=text(item.get("operator")),
        region=text(item.get("region")),
        hlr=hlr,
        extra={k: v for k, v in item.items() if k not in _STATUS_KEYS},
    )


def status_results(
    data: Any, body: bytes, requested: Sequence[tuple[int | str, str]]
) -> list[MessageStatus]:
    """A single (object) or multi (array) status answer, one status per message.

    ``requested`` fills in ``id`` and ``phone`` where the answer leaves them out (the single
    form does).
    """
    items: list[Any] = data if isinstance(data, list) else [data]
    if requested and len(items) > len(requested):
        # Checked before any status is built: one status per message asked about.
        raise InvalidResponseError(
            f"status: {len(items)} statuses for {len(requested)} messages",
            body_excerpt=excerpt(body),
        )
    results = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidResponseError("status: expected JSON objects", body_excerpt=excerpt(body))
        if index < len(requested) and ("id" not in item or "phone" not in item):
            known_id, phone = requested[index]
            item = {"id": known_id, "phone": phone, **item}
        results.append(_status(item, "status", body))
    return results


def balance_result(data: Any, body: bytes) -> Balance:
    """A balance answer (``cur=1``; ``credit`` where the account has one)."""
    obj = expect_object(data, "balance", body)
    amount = decimal(required(obj, "balance", "balance", body))
    if amount is None:
        raise InvalidResponseError("balance: bad 'balance'", body_excerpt=excerpt(body))
    currency = obj.get("currency")
    return Balance(
        amount=amount,
        currency=str(currency) if currency else None,
        credit=decimal(obj.get("credit")),
    )
