"""The account's data as the service reports it: ``get.php`` and ``info.php`` (§11.5, §11.6).

- ``get_messages=1``: the history of sent messages, newest first, paged back by ``prev_id``;
- ``get_answers=1``: messages received from subscribers, paged forward by ``after_id``;
- ``get_stat=1``: what the account sent and paid in a period;
- ``get_price=1``: the account's prices per zone;
- ``info.php?get_operator=1``: the operator serving a number.

Each answer is decoded by a bounded reader of ``values``: records that are not objects,
unreadable codes or amounts become an :class:`InvalidResponseError`, never another exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from .._enums import DeliveryError, MessageType, StatusCode
from .._errors import InvalidResponseError
from .._models.reports import IncomingMessage, OperatorInfo, PriceZone, SentMessage, Statistics
from ._spec import CommandSpec, LimitKeys
from .answers import expect_object
from .bounds import MAX_LIST_RECORDS
from .errors import GET_ERRORS, OPERATOR_ERRORS
from .values import decimal, enum_or_int, excerpt, integer, message_id, moment, required, text

__all__ = [
    "HISTORY",
    "HISTORY_MAX_PAGE",
    "HISTORY_TYPES",
    "INCOMING",
    "INCOMING_MAX_HOURS",
    "INCOMING_MAX_PAGE",
    "OPERATOR",
    "PRICES",
    "REPORT_COMMANDS",
    "STATISTICS",
    "HistoryQuery",
    "IncomingQuery",
    "OperatorQuery",
    "StatisticsQuery",
    "encode_day",
]

HISTORY_MAX_PAGE: Final = 1000
"""The most messages one history request answers (``cnt``, §11.5)."""
HISTORY_TYPES: Final[frozenset[MessageType]] = frozenset({MessageType.SMS, MessageType.MAIL})
"""The kinds of message the history page documents for ``format`` (0 SMS, 8 e-mail); no
other number is sent (issue 22: the page lists no other value)."""
INCOMING_MAX_PAGE: Final = 10_000
"""The most received messages one request answers (``cnt``, §11.5)."""
INCOMING_MAX_HOURS: Final = 168
"""How far back received messages can be asked for, in hours (``hour``, §11.5)."""


def encode_day(value: date) -> str:
    """A day as ``get.php`` reads it: ``dd.mm.yyyy``."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _records(data: Any, body: bytes, command: str, limit: int) -> list[Mapping[str, Any]]:
    """The objects of a list answer; one object counts as a list of one.

    More than ``limit`` records (a page's ``cnt``, the numbers looked up) are refused before
    any result is built from them.
    """
    items: list[Any] = data if isinstance(data, list) else [expect_object(data, command, body)]
    if len(items) > limit:
        wanted = "one record" if limit == 1 else f"at most {limit} records"
        raise InvalidResponseError(
            f"{command}: expected {wanted}, got {len(items)}", body_excerpt=excerpt(body)
        )
    if not all(isinstance(item, dict) for item in items):
        raise InvalidResponseError(
            f"{command}: expected a list of records", body_excerpt=excerpt(body)
        )
    return items


def _extra(item: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in known}


# ----------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """One page of the sent history: checked dates, filters, page size and paging mark."""

    start: date
    end: date
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    type: int | None = None
    count: int = HISTORY_MAX_PAGE
    before: int | None = None


def _history_form(query: HistoryQuery) -> dict[str, str]:
    form = {
        "get_messages": "1",
        "start": encode_day(query.start),
        "end": encode_day(query.end),
        "cnt": str(query.count),
    }
    if query.phones:
        form["phone"] = ",".join(query.phones)
    if query.emails:
        form["email"] = ",".join(query.emails)
    if query.type is not None:
        form["format"] = str(query.type)
    if query.before is not None:
        form["prev_id"] = str(query.before)
    return form


_SENT_KEYS: Final = frozenset(
    {"id", "int_id", "phone", "status", "status_name", "err", "last_date", "last_timestamp"}
    | {"send_date", "send_timestamp", "cost", "sender_id", "message", "sms_cnt", "format"}
    | {"crc", "mccmnc", "country", "operator", "region"}
)


def sent_message(item: Mapping[str, Any], body: bytes) -> SentMessage:
    """One record of a history answer."""
    status = enum_or_int(StatusCode, required(item, "status", "history", body))
    if status is None:
        raise InvalidResponseError("history: bad 'status'", body_excerpt=excerpt(body))
    return SentMessage(
        id=message_id(item.get("id"), "history", body),
        internal_id=integer(item.get("int_id")),
        phone=text(item.get("phone")),
        status=status,
        status_name=text(item.get("status_name")),
        error=enum_or_int(DeliveryError, item.get("err")),
        last_change=moment(item.get("last_timestamp"), item.get("last_date")),
        sent_at=moment(item.get("send_timestamp"), item.get("send_date")),
        cost=decimal(item.get("cost")),
        sender=text(item.get("sender_id")),
        message=text(item.get("message")),
        sms_count=integer(item.get("sms_cnt")),
        type=enum_or_int(MessageType, item.get("format")),
        crc=integer(item.get("crc")),
        mccmnc=text(item.get("mccmnc")),
        country=text(item.get("country")),
        operator=text(item.get("operator")),
        region=text(item.get("region")),
        extra=_extra(item, _SENT_KEYS),
    )


def _history_answer(data: Any, body: bytes, query: HistoryQuery) -> list[SentMessage]:
    return [sent_message(item, body) for item in _records(data, body, "history", query.count)]


HISTORY: Final = CommandSpec[HistoryQuery, list[SentMessage]](
    name="history",
    path="/sys/get.php",
    may_repeat=True,
    errors=GET_ERRORS,
    encode=_history_form,
    decode=_history_answer,
)
"""One page of sent messages (``get.php?get_messages=1``)."""


# ----------------------------------------------------------------------------- incoming


@dataclass(frozen=True, slots=True)
class IncomingQuery:
    """One page of received messages: how far back, to which numbers, page and paging mark."""

    hours: int | None = None
    to_phones: tuple[str, ...] = ()
    count: int = INCOMING_MAX_PAGE
    after: int | None = None


def _incoming_form(query: IncomingQuery) -> dict[str, str]:
    form = {"get_answers": "1", "cnt": str(query.count)}
    if query.hours is not None:
        form["hour"] = str(query.hours)
    if query.after is not None:
        form["after_id"] = str(query.after)
    if query.to_phones:
        form["to_phone"] = ",".join(query.to_phones)
    return form


_INCOMING_KEYS: Final = frozenset({"id", "phone", "to_phone", "message", "sent", "received"})


def incoming_message(item: Mapping[str, Any], body: bytes) -> IncomingMessage:
    """One record of a received-messages answer; its ``id`` is required (pages go by it)."""
    number = integer(required(item, "id", "incoming", body))
    if number is None:
        raise InvalidResponseError("incoming: bad 'id'", body_excerpt=excerpt(body))
    return IncomingMessage(
        id=number,
        phone=text(item.get("phone")),
        to_phone=text(item.get("to_phone")) or None,
        message=text(item.get("message")),
        received_at=moment(item.get("sent"), item.get("received")),
        extra=_extra(item, _INCOMING_KEYS),
    )


def _incoming_answer(data: Any, body: bytes, query: IncomingQuery) -> list[IncomingMessage]:
    items = _records(data, body, "incoming", query.count)
    return [incoming_message(item, body) for item in items]


INCOMING: Final = CommandSpec[IncomingQuery, list[IncomingMessage]](
    name="incoming",
    path="/sys/get.php",
    may_repeat=True,
    errors=GET_ERRORS,
    encode=_incoming_form,
    decode=_incoming_answer,
)
"""One page of received messages (``get.php?get_answers=1``)."""


# ----------------------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class StatisticsQuery:
    """Statistics of a period (checked days).

    ``electronic_balance`` (``balance2=1``) asks for the messages paid from the electronic
    balance; ``account_currency`` (``mycur=1``) for the figures in the account's currency.
    """

    start: date
    end: date
    electronic_balance: bool = False
    account_currency: bool = False


def _statistics_form(query: StatisticsQuery) -> dict[str, str]:
    form = {"get_stat": "1", "start": encode_day(query.start), "end": encode_day(query.end)}
    if query.electronic_balance:
        form["balance2"] = "1"
    if query.account_currency:
        form["mycur"] = "1"
    return form


_STAT_KEYS: Final = frozenset({"login", "cnt", "credit", "debit", "currency"})
_STAT_FIGURES: Final = ("cnt", "credit", "debit")


def _statistics_answer(data: Any, body: bytes, _: StatisticsQuery) -> Statistics:
    items = _records(data, body, "statistics", 1)
    if len(items) != 1:
        raise InvalidResponseError(
            f"statistics: expected one record, got {len(items)}", body_excerpt=excerpt(body)
        )
    item = items[0]
    # Like a balance answer: the figures asked for must be there and readable ({} or an
    # unrelated object is not statistics with every figure unknown).
    figures = {key: item.get(key) for key in _STAT_FIGURES}
    if all(value is None for value in figures.values()):
        raise InvalidResponseError(
            "statistics: the answer holds none of 'cnt', 'credit', 'debit'",
            body_excerpt=excerpt(body),
        )
    count = integer(figures["cnt"])
    spent, income = decimal(figures["credit"]), decimal(figures["debit"])
    for key, value in (("cnt", count), ("credit", spent), ("debit", income)):
        if value is None and figures[key] is not None:
            raise InvalidResponseError(f"statistics: bad {key!r}", body_excerpt=excerpt(body))
    currency = text(item.get("currency"))
    return Statistics(
        login=text(item.get("login")),
        sms_count=count,
        spent=spent,
        income=income,
        currency=currency or None,
        extra=_extra(item, _STAT_KEYS),
    )


STATISTICS: Final = CommandSpec[StatisticsQuery, Statistics](
    name="statistics",
    path="/sys/get.php",
    may_repeat=True,
    errors=GET_ERRORS,
    encode=_statistics_form,
    decode=_statistics_answer,
)
"""What the account sent and paid in a period (``get.php?get_stat=1``)."""


# ----------------------------------------------------------------------------- prices


def _prices_form(_: None) -> dict[str, str]:
    return {"get_price": "1"}


_PRICE_KEYS: Final = frozenset({"zone", "name", "api", "mass", "mms", "call", "hlr", "ping"})


def _zone_id(value: Any) -> int | str | None:
    number = integer(value)
    return number if number is not None else text(value)


def _prices_answer(data: Any, body: bytes, _: None) -> list[PriceZone]:
    # fmt=3 wraps the zones in {"zones": [...]} ([3P]); a bare list is read too.
    if isinstance(data, dict) and "zones" in data:
        data = data["zones"]
    if not isinstance(data, list):
        raise InvalidResponseError("prices: expected a list of zones", body_excerpt=excerpt(body))
    return [
        PriceZone(
            zone=_zone_id(item.get("zone")),
            name=text(item.get("name")),
            sms=decimal(item.get("api")),
            sms_web=decimal(item.get("mass")),
            mms=decimal(item.get("mms")),
            call=decimal(item.get("call")),
            hlr=decimal(item.get("hlr")),
            ping=decimal(item.get("ping")),
            extra=_extra(item, _PRICE_KEYS),
        )
        for item in _records(data, body, "prices", MAX_LIST_RECORDS)
    ]


PRICES: Final = CommandSpec[None, list[PriceZone]](
    name="prices",
    path="/sys/get.php",
    may_repeat=True,
    errors=GET_ERRORS,
    encode=_prices_form,
    decode=_prices_answer,
    limits=lambda _: (("get.price.identical", ""),),  # three identical a minute (§5.4)
)
"""The account's prices per zone (``get.php?get_price=1``)."""


# ----------------------------------------------------------------------------- operator


@dataclass(frozen=True, slots=True)
class OperatorQuery:
    """An operator lookup of one or more checked numbers."""

    phones: tuple[str, ...]


def _operator_form(query: OperatorQuery) -> dict[str, str]:
    return {"get_operator": "1", "phone": ",".join(query.phones)}


_OPERATOR_KEYS: Final = frozenset({"phone", "country", "operator", "region", "mcc", "mnc", "tz"})
_OPERATOR_FACTS: Final = ("operator", "country", "region", "mcc", "mnc")


def _operator_limits(query: OperatorQuery) -> LimitKeys:
    # More than three identical lookups, or a hundred of any kind, a minute: error 9 (§5.4).
    return (("info.operator", ""), ("info.operator.identical", ",".join(query.phones)))


def _operator_answer(data: Any, body: bytes, query: OperatorQuery) -> list[OperatorInfo]:
    items = _records(data, body, "operator", len(query.phones))
    results = []
    for index, item in enumerate(items):
        if not any(item.get(key) not in (None, "") for key in _OPERATOR_FACTS):
            # {} or an unrelated object is not an operator with every fact unknown.
            raise InvalidResponseError(
                "operator: a record names no operator, country, region or network code",
                body_excerpt=excerpt(body),
            )
        phone = text(item.get("phone"))
        if phone is None and len(items) == len(query.phones):
            phone = query.phones[index]  # the single answer does not repeat the number
        results.append(
            OperatorInfo(
                phone=phone,
                country=text(item.get("country")),
                operator=text(item.get("operator")),
                region=text(item.get("region")),
                mcc=text(item.get("mcc")),
                mnc=text(item.get("mnc")),
                tz=integer(item.get("tz")),
                extra=_extra(item, _OPERATOR_KEYS),
            )
        )
    return results


OPERATOR: Final = CommandSpec[OperatorQuery, list[OperatorInfo]](
    name="operator",
    path="/sys/info.php",
    may_repeat=True,
    errors=OPERATOR_ERRORS,
    encode=_operator_form,
    decode=_operator_answer,
    limits=_operator_limits,
)
"""The operator of one or more numbers (``info.php?get_operator=1``)."""


REPORT_COMMANDS: Final = (HISTORY, INCOMING, STATISTICS, PRICES, OPERATOR)
"""The specs of this module, registered in :data:`smsc._wire.COMMANDS`."""
