"""The rules of ``send.php``, ``status.php`` and ``balance.php`` (protocol §2-§8).

Each command takes decoded parameters and returns an :mod:`._answers` answer; the ASGI app
writes it in the requested format. The emulator's state lives in :class:`SMSCEmulator`.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .._enums import DeliveryError, MessageFormat, MessageType, StatusCode
from .._errors import RequestValidationError
from ._answers import (
    Answer,
    BalanceAnswer,
    CostAnswer,
    DeleteAnswer,
    ErrorAnswer,
    FieldValue,
    SendAnswer,
    StatusAnswer,
    StatusRow,
)
from ._model import Account, DeliveryOutcome, HLRInfo, Message, money
from ._wire import RequestData

if TYPE_CHECKING:
    from ._emulator import SMSCEmulator

__all__ = ["Commands", "SendParams", "normalize_phone"]

_MINUTE = 60.0

# send.php flag -> (message type, library format)
_FLAGS: dict[str, tuple[MessageType, MessageFormat]] = {
    "flash": (MessageType.FLASH, MessageFormat.FLASH),
    "bin": (MessageType.BINARY, MessageFormat.BINARY),
    "push": (MessageType.WAP_PUSH, MessageFormat.PUSH),
    "hlr": (MessageType.HLR, MessageFormat.HLR),
    "ping": (MessageType.PING, MessageFormat.PING),
    "mms": (MessageType.MMS, MessageFormat.MMS),
    "mail": (MessageType.MAIL, MessageFormat.MAIL),
    "call": (MessageType.CALL, MessageFormat.CALL),
    "viber": (MessageType.VIBER, MessageFormat.VIBER),
    "soc": (MessageType.SOCIAL, MessageFormat.SOCIAL),
    "tg": (MessageType.SMS, MessageFormat.TELEGRAM),
}
_SEGMENTED = frozenset({MessageType.SMS, MessageType.FLASH, MessageType.WAP_PUSH})

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

_HEX = re.compile(r"[0-9A-Fa-f]*")


class _Refused(Exception):
    """Internal: the request ends with this error answer."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def normalize_phone(phone: str) -> str:
    """A number as the emulator stores it: digits only, without ``+`` or layout."""
    return re.sub(r"[^0-9A-Za-z@.#_-]", "", phone).lstrip("+")


def message_id_value(raw: str) -> int | str:
    """An id as answered: a number when it is a canonical integer, else the string."""
    if raw.isdigit() and str(int(raw)) == raw:
        return int(raw)
    return raw


def _int(value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise _Refused(1) from None
    if not low <= number <= high:
        raise _Refused(1)
    return number


_SWEEP_EVERY = 1024  # calls between sweeps of entries whose window has passed


class SlidingCounter:
    """Counts events per key within a sliding window of emulator time.

    Keys whose events have all left the window are swept now and then, so a long-running
    emulator (``python -m smsc.testing``) does not grow with every distinct request.
    """

    def __init__(self) -> None:
        self._events: dict[Hashable, deque[float]] = {}
        self._widest = 0.0
        self._calls = 0

    def __len__(self) -> int:
        return len(self._events)

    def allow(self, key: Hashable, now: float, window: float, limit: int) -> bool:
        """Record an event for ``key`` unless ``limit`` events already happened in ``window``."""
        self._widest = max(self._widest, window)
        self._calls += 1
        if self._calls % _SWEEP_EVERY == 0:
            self._sweep(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - window:
            events.popleft()
        if len(events) >= limit:
            return False
        events.append(now)
        return True

    def clear(self) -> None:
        """Forget every event."""
        self._events.clear()

    def _sweep(self, now: float) -> None:
        horizon = now - self._widest
        stale = [key for key, events in self._events.items() if not events or events[-1] <= horizon]
        for key in stale:
            del self._events[key]


@dataclass
class _IPState:
    auth_errors: deque[float]
    send_errors: int = 0
    first_send_error: float = 0.0
    blocked_until: float = 0.0


@dataclass(frozen=True)
class SendParams:
    """What a send request asks for after validation (internal to the emulator)."""

    lines: tuple[tuple[tuple[str, ...], str, str], ...]
    """(recipients, text, sender) per line of ``list`` (one line for ``phones``+``mes``)."""
    message_type: MessageType
    binary_hex: bool
    translit: int
    maxsms: int | None
    scheduled_at: float
    test: bool


class Commands:
    """Applies the service's rules to requests against one :class:`SMSCEmulator`."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self._emu = emulator
        self._ips: dict[str, _IPState] = {}
        self._duplicates: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._remembered = 0
        self._counter = SlidingCounter()

    def reset_limits(self) -> None:
        """Forget rate counters, duplicate windows and lock-outs."""
        self._ips.clear()
        self._duplicates.clear()
        self._counter.clear()

    # ------------------------------------------------------------------ auth and lock-out

    def _ip(self, ip: str) -> _IPState:
        return self._ips.setdefault(ip, _IPState(deque()))

    def is_blocked(self, ip: str) -> bool:
        """True when ``ip`` is locked out (error 4) at the current emulator time."""
        state = self._ips.get(ip)
        return state is not None and state.blocked_until > self._emu.clock.now()

    def blocked_until(self, ip: str) -> float | None:
        """Unix seconds when the lock-out of ``ip`` ends, ``None`` when it is not blocked."""
        return self._ips[ip].blocked_until if self.is_blocked(ip) else None

    def _allow_listed(self, ip: str) -> bool:
        return any(ip in account.allowed_ips for account in self._emu.accounts.values())

    def authenticate(self, data: RequestData, ip: str) -> Account | ErrorAnswer:
        """The account a request authenticates as, or error 4 / error 2."""
        if self.is_blocked(ip):
            return ErrorAnswer.of(4)
        account = self._find_account(data)
        if account is not None and account.allowed_ips and ip not in account.allowed_ips:
            account = None
        if account is None:
            self._auth_failed(ip)
            return ErrorAnswer.of(2)
        return account

    def _find_account(self, data: RequestData) -> Account | None:
        login = (data.get("login") or "").strip()
        psw = data.get("psw") or ""
        apikey = data.get("apikey") or ""
        if not login and not apikey and psw:
            apikey = psw
        accounts = self._emu.accounts
        if login:
            account = accounts.get(login)
            if account is not None and psw and account.check_password(psw):
                return account
            return None
        if apikey:
            for account in accounts.values():
                if apikey in account.api_keys:
                    return account
        return None

    def _auth_failed(self, ip: str) -> None:
        rules = self._emu.lockout
        if rules.auth_errors is None or self._allow_listed(ip):
            return
        now = self._emu.clock.now()
        state = self._ip(ip)
        state.auth_errors.append(now)
        while state.auth_errors and state.auth_errors[0] <= now - rules.auth_window:
            state.auth_errors.popleft()
        if len(state.auth_errors) >= rules.auth_errors:
            state.blocked_until = now + rules.auth_block
            state.auth_errors.clear()

    def record_send_result(self, ip: str, answer: Answer) -> None:
        """Count erroneous sends in a row for the lock-out rule (protocol §5.6)."""
        rules = self._emu.lockout
        if rules.send_errors is None or self._allow_listed(ip):
            return
        state = self._ip(ip)
        if not isinstance(answer, ErrorAnswer):
            state.send_errors = 0
            return
        if answer.code in (2, 4, 9):
            return
        now = self._emu.clock.now()
        if state.send_errors == 0 or state.first_send_error <= now - rules.send_window:
            state.send_errors = 0
            state.first_send_error = now
        state.send_errors += 1
        if state.send_errors >= rules.send_errors:
            state.blocked_until = now + rules.send_block
            state.send_errors = 0

    def _rate(self, key: Hashable, limit: int | None, window: float = _MINUTE) -> None:
        if limit is not None and not self._counter.allow(key, self._emu.clock.now(), window, limit):
            raise _Refused(9)

    # ------------------------------------------------------------------ send.php

    def send(self, account: Account, data: RequestData, *, channel: str = "http") -> Answer:
        """``send.php``: send, or with ``cost=1`` only price, a message (protocol §3, §4, §8)."""
        message_id: int | str | None = None
        cost_mode = 0
        try:
            cost_mode = _int(data.get("cost"), 0, 0, 3)
            given_id = self._given_id(data.get("id"))
            message_id = given_id
            params = self._send_params(data, channel)
            self._check_rates(account, data, cost_mode)
            if given_id is not None:
                message_id = given_id
            else:  # a cost query creates no message and takes no id
                message_id = 0 if cost_mode == 1 else self._emu.next_message_id()
            return self._do_send(account, data, params, cost_mode, message_id, channel)
        except _Refused as refused:
            if cost_mode == 1:
                # A cost query sends nothing: no message, no id used up; the libraries
                # document (0, -code) for it.
                return ErrorAnswer.of(refused.code)
            return ErrorAnswer.of(refused.code, self._id_for_error(refused.code, message_id))

    def _id_for_error(self, code: int, message_id: int | str | None) -> int | str | None:
        if code in (3, 6, 7, 8) and message_id is None:
            return self._emu.next_message_id()
        return message_id

    @staticmethod
    def _given_id(raw: str | None) -> int | str | None:
        if raw is None or raw.strip() in ("", "0"):
            return None
        raw = raw.strip()
        if raw.startswith("-"):
            # "-5,1,1.80,..." would read as error 5 to every official library (a leading "-"
            # in the first field is an error code): ids are 1..2147483647 or a string.
            raise _Refused(1)
        from .._recipients import validate_message_id

        try:
            validate_message_id(message_id_value(raw))
        except RequestValidationError:
            raise _Refused(1) from None
        return message_id_value(raw)

    def _send_params(self, data: RequestData, channel: str) -> SendParams:
        from .._recipients import validate_message

        flags = [name for name in _FLAGS if (data.get(name) or "0") not in ("", "0")]
        if len(flags) > 1:
            raise _Refused(1)
        message_type, library_format = (
            _FLAGS[flags[0]] if flags else (MessageType.SMS, MessageFormat.SMS)
        )
        binary_hex = message_type is MessageType.BINARY and data.get("bin") == "2"
        translit = _int(data.get("translit"), 0, 0, 2)
        maxsms_raw = data.get("maxsms")
        maxsms = None if not maxsms_raw else _int(maxsms_raw, 0, 1, 1000)
        self._check_valid(data.get("valid"))
        default_sender = data.get("sender") or ""
        lines = self._lines(data, default_sender, library_format)
        for _, text, sender in lines:
            self._check_sender(sender, library_format)
            try:
                validate_message(text, format=library_format)
            except RequestValidationError:
                raise _Refused(1) from None
            if binary_hex and (len(text) % 2 or not _HEX.fullmatch(text)):
                raise _Refused(1)
        scheduled = self._scheduled_at(data.get("time"), data.get("tz"))
        # Only the SMTP body has a test field (§10); HTTP has no per-request flag (§3.5).
        test = channel == "smtp" and (data.get("test") or "0") not in ("", "0")
        return SendParams(lines, message_type, binary_hex, translit, maxsms, scheduled, test)

    def _lines(
        self, data: RequestData, sender: str, library_format: MessageFormat
    ) -> tuple[tuple[tuple[str, ...], str, str], ...]:
        listing = data.get("list")
        if listing:
            lines = []
            for raw_line in listing.replace("\r\n", "\n").split("\n"):
                if not raw_line.strip():
                    continue
                head, separator, text = raw_line.partition(":")
                if not separator:
                    raise _Refused(1)
                line_sender = sender
                if "|" in head:
                    line_sender, _, head = head.partition("|")
                    line_sender = line_sender.split(",", 1)[0]
                text = text.replace("\\n", "\n")
                lines.append((self._recipients(head, library_format), text, line_sender))
            if not lines:
                raise _Refused(1)
            return tuple(lines)
        phones = data.get("phones")
        mes = data.get("mes")
        if mes is None and library_format in (MessageFormat.HLR, MessageFormat.PING):
            mes = ""  # §3: HLR and ping requests need no text
        if not phones or mes is None:
            raise _Refused(1)
        return ((self._recipients(phones, library_format), mes, sender),)

    @staticmethod
    def _recipients(phones: str, library_format: MessageFormat) -> tuple[str, ...]:
        items = [item.strip() for item in re.split(r"[,;]", phones) if item.strip()]
        if not items:
            raise _Refused(1)
        return tuple(items)

    def _check_sender(self, sender: str, library_format: MessageFormat) -> None:
        from .._recipients import validate_sender

        try:
            validate_sender(sender, format=library_format)
        except RequestValidationError:
            raise _Refused(1) from None

    @staticmethod
    def _check_valid(valid: str | None) -> None:
        from .._schedule import format_valid

        if valid:
            try:
                format_valid(valid)
            except RequestValidationError:
                raise _Refused(1) from None

    def _scheduled_at(self, raw: str | None, tz_raw: str | None) -> float:
        from .._schedule import resolve_time, validate_tz

        try:
            tz = validate_tz(int(tz_raw)) if tz_raw not in (None, "") else None
        except (ValueError, RequestValidationError):
            raise _Refused(5) from None
        raw = (raw or "").strip()
        if raw in ("", "0"):
            return self._emu.clock.now()
        try:
            return resolve_time(raw, now=self._emu.clock.datetime(), tz=tz).timestamp()
        except RequestValidationError:
            raise _Refused(5) from None

    def _check_rates(self, account: Account, data: RequestData, cost_mode: int) -> None:
        limits = self._emu.limits
        key = _request_key(data)
        now = self._emu.clock.now()
        if cost_mode == 1:
            self._rate(("cost", account.login, key), limits.identical_cost_per_minute)
            return
        window = limits.duplicate_send_window
        if window is None:
            return
        last = self._duplicates.get((account.login, key))
        if last is not None and now - last < window:
            raise _Refused(9)

    def _remember_send(self, account: Account, data: RequestData) -> None:
        if self._emu.limits.duplicate_send_window is None:
            return
        key = _request_key(data)
        now = self._emu.clock.now()
        self._duplicates[(account.login, key)] = now
        self._remembered += 1
        if self._remembered % _SWEEP_EVERY == 0:  # forget sends whose window has passed
            window = self._emu.limits.duplicate_send_window
            self._duplicates = {k: at for k, at in self._duplicates.items() if now - at < window}

    def _parts(self, text: str, params: SendParams) -> tuple[str, str, int]:
        """(text as sent, comment, parts) of one line."""
        from .._segments import segments, strip_comment, truncate_to_parts
        from .._translit import transliterate

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

    def _price(self, account: Account, phone: str, parts: int, params: SendParams) -> Decimal:
        tariff = account.tariff
        if params.message_type is MessageType.HLR:
            return money(tariff.hlr_price)
        if params.message_type is MessageType.PING:
            return money(tariff.ping_price)
        return tariff.part_price(phone) * parts

    def _do_send(
        self,
        account: Account,
        data: RequestData,
        params: SendParams,
        cost_mode: int,
        message_id: int | str,
        channel: str,
    ) -> Answer:
        from .._recipients import parse_phones

        emu = self._emu
        fmt_mail = params.message_type is MessageType.MAIL
        planned: list[tuple[str, str, str, str, int, Decimal]] = []
        report: list[dict[str, str]] = []
        bad = undeliverable = 0
        for recipients, text, sender in params.lines:
            if emu.is_denied(text, sender, account):
                raise _Refused(6)
            body, comment, parts = self._parts(text, params)
            for item in recipients:
                try:
                    (recipient,) = parse_phones(
                        item, format=MessageFormat.MAIL if fmt_mail else MessageFormat.SMS
                    )
                except (RequestValidationError, ValueError):
                    bad += 1
                    report.append(_bad_phone(item, StatusCode.INVALID_NUMBER, 249))
                    continue
                phone = recipient if fmt_mail else normalize_phone(recipient)
                if recipient.startswith("G") or emu.is_undeliverable(phone):
                    undeliverable += 1
                    report.append(_bad_phone(phone, StatusCode.UNAVAILABLE_NUMBER, 248))
                    continue
                fault = emu.take_send_fault(phone)
                if fault is not None:
                    raise _Refused(fault)
                price = self._price(account, phone, parts, params)
                planned.append((phone, body, comment, sender, parts, price))
                report.append({"phone": phone, "mccmnc": emu.mccmnc(phone), "cost": f"{price:.2f}"})
        if not planned:
            raise _Refused(7 if bad or not undeliverable else 8)
        count = sum(item[4] for item in planned)
        cost = sum((item[5] for item in planned), Decimal("0.00"))
        phones = self._phone_report(data, report)
        if cost_mode == 1:
            return CostAnswer(money(cost), count, phones)
        virtual = account.test_mode or params.test
        charged = Decimal("0.00") if virtual else money(cost)
        if charged > account.funds:
            raise _Refused(3)
        account.balance = money(account.balance - charged)
        for phone, body, comment, sender, parts, price in planned:
            emu.create_message(
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
                channel=channel,
                virtual=virtual,
            )
        self._remember_send(account, data)
        return SendAnswer(
            message_id,
            count,
            cost=money(cost) if cost_mode >= 2 else None,
            balance=account.balance if cost_mode == 3 else None,
            phones=phones,
        )

    @staticmethod
    def _phone_report(
        data: RequestData, report: list[dict[str, str]]
    ) -> tuple[dict[str, str], ...] | None:
        if (data.get("op") or "0") not in ("", "0"):
            return tuple(report)
        if (data.get("err") or "0") not in ("", "0"):
            return tuple(item for item in report if "error" in item)
        return None

    # ------------------------------------------------------------------ status.php

    def status(self, account: Account, data: RequestData) -> Answer:
        """``status.php``: status of one or several messages, or ``del=1`` (protocol §6)."""
        try:
            return self._status(account, data)
        except _Refused as refused:
            return ErrorAnswer.of(refused.code)

    def _status(self, account: Account, data: RequestData) -> Answer:
        raw_ids = data.get("id")
        raw_phones = data.get("phone")
        if not raw_ids or raw_phones is None:
            raise _Refused(1)
        multi = "," in raw_ids or "," in raw_phones
        ids = [item.strip() for item in raw_ids.split(",") if item.strip()]
        phones = [normalize_phone(item) for item in raw_phones.split(",") if item.strip()]
        if len(phones) == 1 and len(ids) > 1:
            phones *= len(ids)
        if not ids or len(ids) != len(phones):
            raise _Refused(1)
        detail = _int(data.get("all"), 0, 0, 2)
        limits = self._emu.limits
        if (data.get("del") or "0") not in ("", "0"):
            for message_id, phone in zip(ids, phones, strict=True):
                if not self._emu.delete_message(account.login, message_id, phone):
                    raise _Refused(5)
            return DeleteAnswer(len(ids))
        if multi:
            self._rate(("multi", account.login), limits.multi_status_per_minute)
        else:
            self._rate(("poll", account.login, ids[0], phones[0]), limits.status_polls_per_minute)
        rows = tuple(
            self._status_row(account, message_id, phone, detail, multi)
            for message_id, phone in zip(ids, phones, strict=True)
        )
        return StatusAnswer(rows, multi)

    def _status_row(
        self, account: Account, message_id: str, phone: str, detail: int, multi: bool
    ) -> StatusRow:
        message = self._emu.find_message(account.login, message_id, phone)
        fields: dict[str, FieldValue] = {}
        if message is None:
            fields["status"] = int(StatusCode.NOT_FOUND)
        else:
            fields.update(self._message_fields(message, detail))
        if multi:
            fields["id"] = message_id_value(message_id)
            fields["phone"] = phone if message is None else message.phone
        return StatusRow(fields, detail)

    def _message_fields(self, message: Message, detail: int) -> dict[str, FieldValue]:
        emu = self._emu
        fields: dict[str, FieldValue] = {
            "status": int(message.status),
            "last_date": emu.format_date(message.last_change),
            "last_timestamp": int(message.last_change),
            "flag": 0,
            "err": int(message.err),
        }
        if message.hlr is not None and message.status.is_final:
            fields.update(message.hlr.fields())
        if detail >= 2:  # before the all=1 fields, as in the comma rows (see _answers)
            info = emu.hlr_info(message.phone)
            fields.update(
                {"country": info.country, "operator": info.operator, "region": info.region}
            )
        if detail >= 1:
            fields.update(
                {
                    "send_date": emu.format_date(message.created_at),
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

    # ------------------------------------------------------------------ balance.php

    def balance(self, account: Account, data: RequestData) -> Answer:
        """``balance.php``: the account's balance, currency and credit (protocol §7)."""
        try:
            self._rate(("balance", account.login), self._emu.limits.balance_per_minute)
        except _Refused as refused:
            return ErrorAnswer.of(refused.code)
        with_currency = (data.get("cur") or "0") not in ("", "0")
        return BalanceAnswer(
            account.balance,
            currency=account.currency if with_currency else None,
            credit=account.credit if with_currency and account.credit else None,
        )


def _request_key(data: RequestData) -> tuple[tuple[str, str], ...]:
    """What makes two requests "identical" for error 9: every parameter but the credentials.

    Whether the service compares all parameters or only phones and text is not documented
    ([UNK], protocol §13.14); comparing all of them (``id`` included) is the assumption.
    """
    return tuple(
        sorted((k, v) for k, v in data.params.items() if k not in ("login", "psw", "apikey"))
    )


def _bad_phone(phone: str, status: StatusCode, err: int) -> dict[str, str]:
    return {
        "phone": phone,
        "mccmnc": "0",
        "cost": "0.00",
        "status": str(int(status)),
        "error": str(err),
    }


def virtual_outcome() -> DeliveryOutcome:
    """The outcome of a message sent in test mode: delivered, ``err=200`` ([INF])."""
    return DeliveryOutcome(StatusCode.DELIVERED, DeliveryError.VIRTUAL_SENDING)


def default_hlr() -> HLRInfo:
    """The HLR answer for numbers nobody configured."""
    return HLRInfo()
