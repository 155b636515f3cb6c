"""Wire format: request models to form fields, ``fmt=3`` JSON answers to result models.

This is the only module that knows the service's parameter and field names (``mes``, ``psw``,
``cnt``, ``last_timestamp``...). Answers are decoded with ``Decimal`` for every amount, whether
the service sends it as a JSON string or number.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any, ParamSpec, TypeVar

from pydantic import ValidationError

from ._enums import DeliveryError, MessageType, StatusCode, StatusDetail
from ._errors import InvalidResponseError, api_error_for
from ._models import (
    Balance,
    CostResult,
    HLRInfo,
    MessageStatus,
    PhoneResult,
    SendRequest,
    SendResult,
)

__all__ = [
    "BALANCE_PATH",
    "COMMON_FIELDS",
    "MOSCOW",
    "RESERVED_FIELDS",
    "SEND_PATH",
    "STATUS_PATH",
    "balance_form",
    "body_is_complete",
    "decode_balance",
    "decode_cost",
    "decode_send",
    "decode_status",
    "send_form",
    "status_form",
]

SEND_PATH = "/sys/send.php"
STATUS_PATH = "/sys/status.php"
BALANCE_PATH = "/sys/balance.php"

COMMON_FIELDS: Mapping[str, str] = {"fmt": "3", "charset": "utf-8"}
"""Sent with every request: JSON answers, UTF-8 in both directions."""

RESERVED_FIELDS = frozenset(
    {"login", "psw", "apikey", "fmt", "charset", "cost", "phones", "mes", "id"}
)
"""Fields the SDK owns; ``extra`` may not set them."""

MOSCOW = timezone(timedelta(hours=3), "MSK")
"""The zone of the service's ``DD.MM.YYYY hh:mm:ss`` dates (an assumption, see §6.2)."""

SEND_COST_MODE = "3"  # send, and answer with the cost and the new balance
QUERY_COST_MODE = "1"  # compute the cost only, send nothing

_E = TypeVar("_E", bound=IntEnum)
_P = ParamSpec("_P")
_R = TypeVar("_R")


# ----------------------------------------------------------------------------- encoding


def send_form(request: SendRequest, *, cost_only: bool = False) -> dict[str, str]:
    """The form fields of a send (or, with ``cost_only``, of a cost query)."""
    form: dict[str, str] = {
        "phones": ",".join(request.phones),
        "mes": request.message,
        "cost": QUERY_COST_MODE if cost_only else SEND_COST_MODE,
    }
    flag = request.format.flag
    if flag is not None:
        form[flag[0]] = flag[1]
    if request.id is not None and not cost_only:
        form["id"] = str(request.id)
    if request.translit is not None:
        form["translit"] = str(int(request.translit))
    if request.time is not None:
        form["time"] = request.time
    if request.tz is not None:
        form["tz"] = str(request.tz)
    if request.sender is not None:
        form["sender"] = request.sender
    if request.valid is not None:
        form["valid"] = request.valid
    if request.maxsms is not None:
        form["maxsms"] = str(request.maxsms)
    if request.tinyurl is not None:
        form["tinyurl"] = "1" if request.tinyurl else "0"
    form.update(request.extra)
    return form


def status_form(
    pairs: Sequence[tuple[int | str, str]], detail: StatusDetail, *, multi: bool
) -> dict[str, str]:
    """The form fields of a status query; ``multi`` forces the list answer (trailing commas)."""
    ids = ",".join(str(message_id) for message_id, _ in pairs)
    phones = ",".join(phone for _, phone in pairs)
    if multi:
        ids += ","
        phones += ","
    form = {"id": ids, "phone": phones}
    if detail != StatusDetail.BASIC:
        form["all"] = str(int(detail))
    return form


def balance_form() -> dict[str, str]:
    """The form fields of a balance query (with the currency name)."""
    return {"cur": "1"}


# ----------------------------------------------------------------------------- decoding


def body_is_complete(body: bytes) -> bool:
    """Cheap check that a body is a whole JSON answer (used by the failover transport)."""
    stripped = body.strip()
    if not stripped:
        return False
    return (stripped[:1], stripped[-1:]) in ((b"{", b"}"), (b"[", b"]"))


def _total(command: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Last line of defence: a decoder ends in its result or an ``SMSCError``, nothing else.

    The converters below already refuse bad values with ``InvalidResponseError``; a model
    that still refuses a value (a bug, or a shape nobody foresaw) becomes one too.
    """

    def wrap(decoder: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(decoder)
        def decode(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return decoder(*args, **kwargs)
            except (ValidationError, ArithmeticError, ValueError, TypeError):
                raise InvalidResponseError(f"{command}: the answer holds unusable values") from None

        return decode

    return wrap


def _excerpt(body: bytes) -> str:
    return body[:200].decode("utf-8", "replace")


# Bounds of what an answer may hold (protocol reference §7: ids are 1..2147483647 or short
# text, counts and codes are small integers, amounts have a few decimals). Every number is
# checked against them BEFORE it is converted, so no answer can make the decoder spend more
# than a small, fixed amount of CPU or memory on one value.
MAX_NESTING = 32
"""Deepest JSON nesting an answer may have (real answers nest three levels)."""
_MAX_NUMBER_CHARS = 64  # a JSON number literal or a numeric string, longer ones are refused
_MAX_INT_DIGITS = 19  # ids, counts, codes, timestamps: 64-bit values at most
_MAX_AMOUNT_EXPONENT = 30  # amounts between 1e-30 and 1e30 (18+ significant digits kept)
_MAX_TEXT_IN_ERROR = 200
_INT_TEXT = re.compile(rf"[+-]?[0-9]{{1,{_MAX_INT_DIGITS}}}")
_NESTING_DELTA = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_JSON_STRING = re.compile(rb'"[^"]*"')


def _json_int(text: str) -> int:
    if len(text) > _MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return int(text)


def _json_float(text: str) -> Decimal:
    if len(text) > _MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return Decimal(text)  # exact: a balance of 12345678901234567.89 keeps every digit


def _json_constant(text: str) -> Any:
    raise ValueError(f"non-finite number {text}")


_JSON = json.JSONDecoder(  # built once: json.loads(parse_float=) builds one per call
    parse_float=_json_float, parse_int=_json_int, parse_constant=_json_constant
)


def _nesting(body: bytes) -> int:
    """The deepest bracket nesting of a JSON text, in C-speed passes (no recursion)."""
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return 0  # cannot be deeper than the limit: skip the scan
    # Escapes go first (a "\\" pair, then an escaped quote), then whole strings: what is left
    # are the brackets the JSON parser would recurse on.
    plain = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = _JSON_STRING.sub(b"", plain).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    steps = memoryview(brackets.translate(_NESTING_DELTA)).cast("b")
    return max(itertools.accumulate(steps))


def _load(body: bytes, command: str) -> Any:
    if not body.strip():
        raise InvalidResponseError(f"{command}: empty answer from the service")
    if _nesting(body) > MAX_NESTING:
        raise InvalidResponseError(
            f"{command}: the answer nests deeper than {MAX_NESTING} levels",
            body_excerpt=_excerpt(body),
        )
    try:
        return _JSON.decode(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidResponseError(
            f"{command}: the answer is not JSON", body_excerpt=_excerpt(body)
        ) from None


def _raise_for_error(data: Any, command: str, body: bytes) -> None:
    if isinstance(data, dict) and ("error_code" in data or "error" in data):
        code = _int(data.get("error_code"), 0)
        if code is None:
            raise InvalidResponseError(
                f"{command}: error answer with an unreadable code", body_excerpt=_excerpt(body)
            )
        description = data.get("error")
        raise api_error_for(
            command,
            code,
            str(description)[:_MAX_TEXT_IN_ERROR] if description is not None else None,
            message_id=_id(data.get("id"), command, body),
        )


def _expect_object(data: Any, command: str, body: bytes) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidResponseError(
            f"{command}: expected a JSON object", body_excerpt=_excerpt(body)
        )
    return data


def _bounded_decimal(value: Any) -> Decimal | None:
    """A finite Decimal of at most ``_MAX_NUMBER_CHARS`` characters, or None; never slow."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = Decimal(value)  # already bounded by _json_int
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > _MAX_NUMBER_CHARS:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    return value


def _int(value: Any, default: int | None = None) -> int | None:
    """An integer field; a value that cannot be one (or is out of range) gives None."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if abs(value) < 10**_MAX_INT_DIGITS else None
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    number = _bounded_decimal(value)
    # "1.0" or "1e3" are integers too; "1e999999999" is refused before int() is tried.
    if (
        number is None
        or number.adjusted() >= _MAX_INT_DIGITS
        or number != number.to_integral_value()
    ):
        return None
    return int(number)


def _decimal(value: Any) -> Decimal | None:
    """An amount; non-finite, too long or absurdly scaled values give None."""
    if value is None or value == "":
        return None
    number = _bounded_decimal(value)
    if number is None or not number or abs(number.adjusted()) <= _MAX_AMOUNT_EXPONENT:
        return number
    return None


def _id(value: Any, command: str, body: bytes) -> int | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if len(value) > _MAX_NUMBER_CHARS:
            raise InvalidResponseError(
                f"{command}: message id too long", body_excerpt=_excerpt(body)
            )
        return value
    number = _int(value)
    if number is None:
        raise InvalidResponseError(f"{command}: unreadable message id", body_excerpt=_excerpt(body))
    return number


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _enum(enum: type[_E], value: Any) -> _E | int | None:
    number = _int(value)
    if number is None:
        return None
    try:
        return enum(number)
    except ValueError:
        return number  # a code the SDK does not know yet: kept, not lost


def _required(data: Mapping[str, Any], key: str, command: str, body: bytes) -> Any:
    if key not in data:
        raise InvalidResponseError(
            f"{command}: field {key!r} missing from the answer", body_excerpt=_excerpt(body)
        )
    return data[key]


def _phones(data: Mapping[str, Any]) -> tuple[PhoneResult, ...]:
    items = data.get("phones")
    if not isinstance(items, list):
        return ()
    return tuple(
        PhoneResult(
            phone=str(item.get("phone", "")),
            mccmnc=_str(item.get("mccmnc")),
            cost=_decimal(item.get("cost")),
            status=_enum(StatusCode, item.get("status")),
            error=_enum(DeliveryError, item.get("error")),
        )
        for item in items
        if isinstance(item, dict)
    )


@_total("send")
def decode_send(body: bytes, *, sent_id: int | str | None = None) -> SendResult:
    """Decode the answer to a send; raise the typed API error it carries."""
    data = _load(body, "send")
    _raise_for_error(data, "send", body)
    obj = _expect_object(data, "send", body)
    message_id = _id(obj.get("id"), "send", body)
    if message_id is None:
        message_id = sent_id
    if message_id is None:
        raise InvalidResponseError("send: no message id in the answer", body_excerpt=_excerpt(body))
    count = _int(_required(obj, "cnt", "send", body))
    if count is None:
        raise InvalidResponseError("send: bad 'cnt' in the answer", body_excerpt=_excerpt(body))
    return SendResult(
        id=message_id,
        count=count,
        cost=_decimal(obj.get("cost")),
        balance=_decimal(obj.get("balance")),
        phones=_phones(obj),
        code=_str(obj.get("code")),
    )


@_total("cost")
def decode_cost(body: bytes) -> CostResult:
    """Decode the answer to a cost query (``cost=1``)."""
    data = _load(body, "cost")
    _raise_for_error(data, "cost", body)
    obj = _expect_object(data, "cost", body)
    cost = _decimal(_required(obj, "cost", "cost", body))
    count = _int(_required(obj, "cnt", "cost", body))
    if cost is None or count is None:
        raise InvalidResponseError("cost: bad 'cost' or 'cnt'", body_excerpt=_excerpt(body))
    return CostResult(cost=cost, count=count, phones=_phones(obj))


_HLR_KEYS = {
    "imsi": "imsi",
    "msc": "msc",
    "mcc": "mcc",
    "mnc": "mnc",
    "cn": "country",
    "net": "network",
    "rcn": "roaming_country",
    "rnet": "roaming_network",
}
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
        *_HLR_KEYS,
    }
)


def _moment(timestamp: Any, text: Any) -> datetime | None:
    seconds = _int(timestamp)
    if seconds is not None and seconds > 0:
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass  # not a real moment: the date text, if any, says more
    if isinstance(text, str) and text.strip():
        try:
            local = datetime.strptime(text.strip(), "%d.%m.%Y %H:%M:%S")
        except ValueError:
            return None
        return local.replace(tzinfo=MOSCOW).astimezone(timezone.utc)
    return None


def _status(item: Mapping[str, Any], command: str, body: bytes) -> MessageStatus:
    status = _enum(StatusCode, _required(item, "status", command, body))
    if status is None:
        raise InvalidResponseError(f"{command}: bad 'status'", body_excerpt=_excerpt(body))
    hlr = None
    if any(key in item for key in ("imsi", "msc", "mcc", "mnc")):
        hlr = HLRInfo(**{name: _str(item.get(key)) for key, name in _HLR_KEYS.items()})
    return MessageStatus(
        id=_id(item.get("id"), command, body),
        phone=_str(item.get("phone")),
        status=status,
        last_change=_moment(item.get("last_timestamp"), item.get("last_date")),
        error=_enum(DeliveryError, item.get("err")),
        flag=_int(item.get("flag")),
        sent_at=_moment(item.get("send_timestamp"), item.get("send_date")),
        cost=_decimal(item.get("cost")),
        sender=_str(item.get("sender_id")),
        status_name=_str(item.get("status_name")),
        message=_str(item.get("message")),
        comment=_str(item.get("comment")),
        type=_enum(MessageType, item.get("type")),
        sms_count=_int(item.get("sms_cnt")),
        country=_str(item.get("country")),
        operator=_str(item.get("operator")),
        region=_str(item.get("region")),
        hlr=hlr,
        extra={k: v for k, v in item.items() if k not in _STATUS_KEYS},
    )


@_total("status")
def decode_status(
    body: bytes, *, requested: Sequence[tuple[int | str, str]]
) -> list[MessageStatus]:
    """Decode a single (object) or multi (array) status answer into one status per message.

    ``requested`` fills in ``id`` and ``phone`` where the answer leaves them out (the single
    form does).
    """
    data = _load(body, "status")
    _raise_for_error(data, "status", body)
    items: list[Any] = data if isinstance(data, list) else [data]
    results = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidResponseError("status: expected JSON objects", body_excerpt=_excerpt(body))
        if index < len(requested) and ("id" not in item or "phone" not in item):
            message_id, phone = requested[index]
            item = {"id": message_id, "phone": phone, **item}
        results.append(_status(item, "status", body))
    return results


@_total("balance")
def decode_balance(body: bytes) -> Balance:
    """Decode a balance answer (``cur=1``; ``credit`` where the account has one)."""
    data = _load(body, "balance")
    _raise_for_error(data, "balance", body)
    obj = _expect_object(data, "balance", body)
    amount = _decimal(_required(obj, "balance", "balance", body))
    if amount is None:
        raise InvalidResponseError("balance: bad 'balance'", body_excerpt=_excerpt(body))
    currency = obj.get("currency")
    return Balance(
        amount=amount,
        currency=str(currency) if currency else None,
        credit=_decimal(obj.get("credit")),
    )
