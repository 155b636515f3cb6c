"""The four wire formats of an answer: text (``fmt=0``), comma numbers (``fmt=1``), XML
(``fmt=2``) and JSON (``fmt=3``) (protocol §4, §6, §7). Front ends call :func:`render`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from xml.sax.saxutils import escape

from ._answers import (
    Answer,
    BalanceAnswer,
    CostAnswer,
    ErrorAnswer,
    JobsAnswer,
    Row,
    SendAnswer,
    StatusAnswer,
    StatusRow,
    TableAnswer,
)

__all__ = ["HLR_KEYS", "answer_format", "content_type", "render"]

_CONTENT_TYPES = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}


def answer_format(raw: str | None) -> int:
    """The ``fmt`` a request asked for: 0, 1, 2 or 3; anything else is 0 (text)."""
    if raw is not None and raw.strip() in ("0", "1", "2", "3"):
        return int(raw.strip())
    return 0


def content_type(fmt: int, charset: str) -> str:
    """The Content-Type header of an answer in ``fmt`` ([INF]: not documented)."""
    return f"{_CONTENT_TYPES.get(fmt, 'text/plain')}; charset={charset}"


def render(answer: Answer, fmt: int) -> str:
    """``answer`` written in answer format ``fmt`` (0 text, 1 numbers, 2 XML, 3 JSON)."""
    if isinstance(answer, ErrorAnswer):
        return _error(answer, fmt)
    if isinstance(answer, SendAnswer):
        return _send(answer, fmt)
    if isinstance(answer, CostAnswer):
        return _cost(answer, fmt)
    if isinstance(answer, StatusAnswer):
        return _status(answer, fmt)
    if isinstance(answer, BalanceAnswer):
        return _balance(answer, fmt)
    if isinstance(answer, TableAnswer):
        return _table(answer, fmt)
    if isinstance(answer, JobsAnswer):
        return _jobs(answer, fmt)
    return _ok(fmt)  # DeleteAnswer, OkAnswer


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _xml(pairs: Mapping[str, object]) -> str:
    return "".join(f"<{key}>{escape(str(value))}</{key}>" for key, value in pairs.items())


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


# --------------------------------------------------------------------------- errors §4.1


def _error(answer: ErrorAnswer, fmt: int) -> str:
    mid = answer.message_id
    if fmt == 1:
        return f"{mid if mid is not None else 0},-{answer.code}"
    if fmt == 2:
        tail = f"<id>{escape(str(mid))}</id>" if mid is not None else ""
        return (
            f"<result><error>{escape(answer.description)}</error>"
            f"<error_code>{answer.code}</error_code>{tail}</result>"
        )
    if fmt == 3:
        data: dict[str, object] = {"error": answer.description, "error_code": answer.code}
        if mid is not None:
            data["id"] = mid
        return _json(data)
    text = f"ERROR = {answer.code} ({answer.description})"
    return text if mid is None else f"{text}, ID - {mid}"


# --------------------------------------------------------------------------- send §4.2-4.6


def _send(answer: SendAnswer, fmt: int) -> str:
    extras: dict[str, str] = {}
    if answer.cost is not None:
        extras["cost"] = _money(answer.cost)
    if answer.balance is not None:
        extras["balance"] = _money(answer.balance)
    if fmt == 1:
        return ",".join([str(answer.message_id), str(answer.count), *extras.values()])
    if fmt == 2:
        return f"<result>{_xml({'id': answer.message_id, 'cnt': answer.count, **extras})}</result>"
    if fmt == 3:
        data: dict[str, object] = {"id": answer.message_id, "cnt": answer.count, **extras}
        if answer.phones is not None:
            data["phones"] = list(answer.phones)
        return _json(data)
    text = f"OK - {answer.count} SMS, ID - {answer.message_id}"
    for key, value in extras.items():
        text += f", {key.upper()} - {value}"
    return text


def _cost(answer: CostAnswer, fmt: int) -> str:
    cost = _money(answer.cost)
    if fmt == 1:
        return f"{cost},{answer.count}"
    if fmt == 2:
        return f"<result>{_xml({'cost': cost, 'cnt': answer.count})}</result>"
    if fmt == 3:
        data: dict[str, object] = {"cost": cost, "cnt": answer.count}
        if answer.phones is not None:
            data["phones"] = list(answer.phones)
        return _json(data)
    return f"COST - {cost}, SMS - {answer.count}"


# --------------------------------------------------------------------------- status §6

HLR_KEYS = ("imsi", "msc", "mcc", "mnc", "cn", "net", "rcn", "rnet")
# all=2 fields come BEFORE the all=1 fields in every format: the official PHP and C# libraries
# find the HLR row's sender at index 17 with all=2 (14 with all=1), and split all=1 rows into
# 9 fields and all=2 rows into 12, so the text stays last ([LIB], exact place [INF]).
_OPERATOR_KEYS = ("country", "operator", "region")
_FULL_KEYS = ("send_timestamp", "phone", "cost", "sender_id", "status_name", "message")
_TEXT_KEYS_FULL = (
    "send_date",
    "phone",
    "cost",
    "sender_id",
    "status_name",
    "message",
    "comment",
    "type",
)


# A message the service does not know has only its status (-3): in fmt=1 its numeric fields
# are written 0, never empty. The official Python library reads the second field as a number
# and, when it is empty, logs an error for what is a status ([LIB]; the page's fmt=1 shape is
# "<status>,<last_timestamp>,<err>", and "0,-N" is kept for real errors).
_NUMERIC_KEYS = frozenset({"last_timestamp", "err", "send_timestamp", "cost"})


def _comma_row(row: StatusRow, multi: bool) -> str:
    values = row.fields
    keys: list[str] = ["status", "last_timestamp", "err"]
    if "imsi" in values:
        keys += HLR_KEYS
    if row.detail >= 2:
        keys += _OPERATOR_KEYS
    if row.detail >= 1:
        keys += _FULL_KEYS
    if multi:
        keys += ["id"] if row.detail >= 1 else ["id", "phone"]
    fields = [str(values.get(key, "0" if key in _NUMERIC_KEYS else "")) for key in keys]
    if multi:  # one line per message: a line feed in the text is written \n, as in history
        fields = [_line_value(field) for field in fields]
    return ",".join(fields)


def _text_row(row: StatusRow, multi: bool) -> str:
    values = row.fields
    parts = [f"Status = {values['status']}"]
    if "last_date" in values:
        parts += [f"check_time = {values['last_date']}", f"err = {values['err']}"]
    if "imsi" in values:
        parts += [f"{key} = {values[key]}" for key in HLR_KEYS]
    if row.detail >= 1 and "send_date" in values:
        keys = (*_OPERATOR_KEYS, *_TEXT_KEYS_FULL) if row.detail >= 2 else _TEXT_KEYS_FULL
        parts += [f"{key} = {values[key]}" for key in keys]
    if multi:
        parts.append(f"id = {values['id']}")
        if row.detail == 0 or "send_date" not in values:
            parts.append(f"phone = {values['phone']}")
        return ", ".join(_line_value(part) for part in parts)
    return ", ".join(parts)


def _status(answer: StatusAnswer, fmt: int) -> str:
    if fmt == 1:
        return "\n".join(_comma_row(row, answer.multi) for row in answer.rows)
    if fmt == 2:
        body = "".join(f"<sms>{_xml(row.fields)}</sms>" for row in answer.rows)
        return f"<result>{body}</result>" if answer.multi else body
    if fmt == 3:
        if answer.multi:
            return _json([row.fields for row in answer.rows])
        return _json(answer.rows[0].fields)
    return "\n".join(_text_row(row, answer.multi) for row in answer.rows)


def _ok(fmt: int) -> str:
    if fmt == 3:
        return _json({"result": "OK"})
    if fmt == 2:
        return "<result>OK</result>"
    return "OK"


# --------------------------------------------------------------------------- balance §7


def _balance(answer: BalanceAnswer, fmt: int) -> str:
    balance = _money(answer.balance)
    if fmt == 3:
        data: dict[str, str] = {"balance": balance}
        if answer.credit is not None:
            data["credit"] = _money(answer.credit)
        if answer.currency is not None:
            data["currency"] = answer.currency
        return _json(data)
    if fmt == 2:
        if answer.currency is None:
            return f"<balance>{balance}</balance>"
        pairs: dict[str, str] = {"balance": balance}
        if answer.credit is not None:
            pairs["credit"] = _money(answer.credit)
        pairs["currency"] = answer.currency
        return f"<result>{_xml(pairs)}</result>"
    if answer.currency is not None:
        return f"{balance} {answer.currency}"
    return balance


# --------------------------------------------------------------------------- tables §11


def _line_value(value: object) -> str:
    # fmt 0/1 are line formats: a newline inside a value is written as the two characters \n.
    return str(value).replace("\r\n", "\n").replace("\n", "\\n")


def _line_keys(row: Row, last: tuple[str, ...]) -> list[str]:
    return [key for key in row if key not in last] + [key for key in last if key in row]


def _table(answer: TableAnswer, fmt: int) -> str:
    rows = answer.rows
    if fmt == 3:
        if answer.single:
            return _json(rows[0] if rows else {})
        listed = [dict(row) for row in rows]
        return _json({answer.wrapper: listed} if answer.wrapper else listed)
    if fmt == 2:
        if answer.single:
            return f"<result>{_xml(rows[0] if rows else {})}</result>"
        body = "".join(f"<{answer.element}>{_xml(row)}</{answer.element}>" for row in rows)
        if answer.wrapper:
            body = f"<{answer.wrapper}>{body}</{answer.wrapper}>"
        return f"<result>{body}</result>"
    lines = []
    for row in rows:
        keys = _line_keys(row, answer.last)
        if fmt == 1:
            lines.append(",".join(_line_value(row[key]) for key in keys))
        else:
            lines.append(", ".join(f"{key} = {_line_value(row[key])}" for key in keys))
    return "\n".join(lines)


# --------------------------------------------------------------------------- jobs §11.1


def _job_value(value: object) -> str:
    if isinstance(value, dict):
        return ";".join(f"{code}:{count}" for code, count in value.items())
    return str(value).replace("\n", "\\n")


def _jobs(answer: JobsAnswer, fmt: int) -> str:
    # [INF]: only create's {"id": N} is documented; the rest is the emulator's choice.
    rows = answer.rows
    if fmt == 3:
        return _json(rows[0] if answer.single and rows else list(rows))
    if fmt == 2:

        def xml(row: dict[str, object]) -> str:
            return "".join(
                f"<{key}>{escape(_job_value(value))}</{key}>" for key, value in row.items()
            )

        if answer.single:
            return f"<result>{xml(dict(rows[0])) if rows else ''}</result>"
        return "<result>" + "".join(f"<job>{xml(dict(row))}</job>" for row in rows) + "</result>"
    if fmt == 1:
        return "\n".join(",".join(_job_value(v) for v in row.values()) for row in rows)
    return "\n".join(
        ", ".join(f"{key} = {_job_value(value)}" for key, value in row.items()) for row in rows
    )
