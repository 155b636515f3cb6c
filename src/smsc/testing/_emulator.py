"""SMSCEmulator: one in-memory SMSC service behind an ASGI app, socket sites and SMTP."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import TracebackType

import httpx

from .._enums import DeliveryError, MessageType, StatusCode
from .._errors import ConfigurationError
from ._answers import Answer, ErrorAnswer
from ._app import EmulatorApp
from ._callbacks import CallbackDelivery, CallbackDispatcher, callback_signature
from ._clock import EmulatorClock
from ._commands import Commands, message_id_value, normalize_phone, virtual_outcome
from ._model import (
    Account,
    CallbackPolicy,
    DeliveryOutcome,
    HLRInfo,
    Lifecycle,
    LockoutRules,
    Message,
    RateLimits,
    StatusChange,
    Tariff,
    money,
)
from ._server import Site
from ._smtp import SMTPIngest
from ._wire import RequestData

__all__ = ["SMSCEmulator"]


class SMSCEmulator:
    """A local, in-memory SMSC service: accounts, tariffs, messages and the service's rules.

    Serve it in-process with ``httpx.ASGITransport(app=emulator.app)``, over real sockets
    with :meth:`serve` / :meth:`start_site` (several sites share this one model, like the
    service's mirrors), and by e-mail with :meth:`start_smtp`. Time is the emulator's own
    :attr:`clock`: nothing happens until a test calls :meth:`advance` (unless the clock was
    made with ``real_time=True``).

    Use it as an async context manager so that the callback sender, the sites and the SMTP
    ingest it started are closed::

        async with SMSCEmulator() as emulator:
            emulator.add_account("demo", "demo", balance=100)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator.app),
                                         base_url="http://smsc.test") as http:
                r = await http.post("/sys/send.php", data={"login": "demo", "psw": "demo",
                                    "phones": "79991234567", "mes": "Hi", "fmt": 3})
            emulator.advance(10)

    Args:
        clock: the clock to use (default: a manual :class:`EmulatorClock`).
        limits: error-9 rate rules (:class:`RateLimits`; ``RateLimits.off()`` for none).
        lockout: error-4 lock-out rules (:class:`LockoutRules`).
        lifecycle: delays of the status lifecycle (:class:`Lifecycle`).
        tariff: the tariff new accounts get unless they are given their own.
        callbacks: how status callbacks are built and retried (:class:`CallbackPolicy`).
        callback_transport: an ``httpx`` transport for callbacks (for example an
            ``httpx.ASGITransport`` of the app under test); default: real HTTP.
        utc_offset_hours: the zone of dates in answers (``last_date``; Moscow, +3, [INF]).
    """

    def __init__(
        self,
        *,
        clock: EmulatorClock | None = None,
        limits: RateLimits | None = None,
        lockout: LockoutRules | None = None,
        lifecycle: Lifecycle | None = None,
        tariff: Tariff | None = None,
        callbacks: CallbackPolicy | None = None,
        callback_transport: httpx.AsyncBaseTransport | None = None,
        utc_offset_hours: float = 3.0,
    ) -> None:
        self.clock = clock or EmulatorClock()
        self.limits = limits or RateLimits()
        self.lockout = lockout or LockoutRules()
        self.lifecycle = lifecycle or Lifecycle()
        self.tariff = tariff or Tariff()
        self._zone = timezone(timedelta(hours=utc_offset_hours))
        self.accounts: dict[str, Account] = {}
        self.messages: list[Message] = []
        self._index: dict[tuple[str, str, str], Message] = {}
        self._due: list[tuple[float, int, Message]] = []
        self._sequence = itertools.count()
        self._next_id = 1
        self._outcomes: dict[str, DeliveryOutcome] = {}
        self._outcomes_once: dict[str, list[DeliveryOutcome]] = defaultdict(list)
        self._send_faults: dict[str, list[int]] = defaultdict(list)
        self._hlr: dict[str, HLRInfo] = {}
        self._undeliverable: set[str] = set()
        self._denied_texts: list[str] = []
        self._denied_senders: set[str] = set()
        self._in_flight: dict[str, int] = defaultdict(int)
        self.in_flight = 0
        """Requests being handled right now (all logins)."""
        self.peak_in_flight = 0
        """The highest :attr:`in_flight` seen so far."""
        self._gate: asyncio.Event | None = None
        self.commands = Commands(self)
        self.app = EmulatorApp(self)
        """The ASGI application (``httpx.ASGITransport(app=emulator.app)``)."""
        self.callbacks = CallbackDispatcher(
            self.clock,
            callbacks or CallbackPolicy(),
            transport=callback_transport,
            on_wake=self.tick,
        )
        """The callback sender and its delivery log (:attr:`CallbackDispatcher.deliveries`)."""
        self.sites: list[Site] = []
        self.smtp: SMTPIngest | None = None
        self.clock.subscribe(self.tick)

    # ------------------------------------------------------------------ accounts

    def add_account(
        self,
        login: str,
        password: str | None = None,
        *,
        api_key: str | None = None,
        balance: Decimal | int | str = Decimal("100.00"),
        credit: Decimal | int | str = Decimal("0.00"),
        currency: str = "RUR",
        allowed_ips: Iterable[str] = (),
        callback_url: str | None = None,
        callback_secret: str = "",
        tariff: Tariff | None = None,
        senders: Iterable[str] | None = None,
        test_mode: bool = False,
    ) -> Account:
        """Create an account and return it (change its attributes freely afterwards).

        More passwords and keys can be appended to ``account.passwords`` / ``api_keys``.

        Raises:
            ConfigurationError: the login exists already, or neither password nor key given.
        """
        if login in self.accounts:
            raise ConfigurationError(f"account {login!r} exists already")
        if password is None and api_key is None:
            raise ConfigurationError("an account needs a password or an API key")
        account = Account(
            login=login,
            passwords=[password] if password is not None else [],
            api_keys=[api_key] if api_key is not None else [],
            balance=money(balance),
            credit=money(credit),
            currency=currency,
            allowed_ips=set(allowed_ips),
            callback_url=callback_url,
            callback_secret=callback_secret,
            tariff=tariff or self.tariff,
            senders=set(senders) if senders is not None else None,
            test_mode=test_mode,
        )
        self.accounts[login] = account
        return account

    def account(self, login: str) -> Account:
        """The account ``login``.

        Raises:
            ConfigurationError: no such account.
        """
        try:
            return self.accounts[login]
        except KeyError:
            raise ConfigurationError(f"no account {login!r}") from None

    # ------------------------------------------------------------------ behaviour per number

    def set_delivery_outcome(
        self,
        phone: str,
        status: StatusCode | int = StatusCode.DELIVERED,
        err: DeliveryError | int = DeliveryError.NONE,
        *,
        times: int | None = None,
    ) -> None:
        """How messages to ``phone`` end: final ``status`` (1-4, 20, 22-25) and ``err``.

        Read (2) and link clicked (4) are reached through delivered (1). With ``times`` only
        the next ``times`` messages to the number end so; afterwards the number's permanent
        outcome (default: delivered) applies again.

        Raises:
            ConfigurationError: an unknown or non-final status (-3, -2, -1, 0).
        """
        try:
            final = StatusCode(status)
        except ValueError:
            raise ConfigurationError(f"unknown status code {status!r}") from None
        if not final.is_final or final is StatusCode.NOT_FOUND:
            raise ConfigurationError(f"status {int(final)} is not a final delivery status")
        outcome = DeliveryOutcome(final, int(err))
        key = normalize_phone(phone)
        if times is None:
            self._outcomes[key] = outcome
        else:
            self._outcomes_once[key].extend([outcome] * times)

    def fail_next_sends(self, phone: str, code: int, *, times: int = 1) -> None:
        """The next ``times`` send requests including ``phone`` are answered error ``code``.

        Codes 3, 6, 7 and 8 carry the message id in the answer, as the service does.
        """
        if times < 1:
            raise ConfigurationError("times must be at least 1")
        self._send_faults[normalize_phone(phone)].extend([code] * times)

    def set_hlr(self, phone: str, info: HLRInfo) -> None:
        """What HLR requests (and ``all=2`` status) report for ``phone``."""
        self._hlr[normalize_phone(phone)] = info

    def set_undeliverable(self, phone: str, undeliverable: bool = True) -> None:
        """Sends to ``phone`` alone answer error 8 ("can't to deliver")."""
        key = normalize_phone(phone)
        if undeliverable:
            self._undeliverable.add(key)
        else:
            self._undeliverable.discard(key)

    def deny_text(self, fragment: str) -> None:
        """Sends whose text contains ``fragment`` (any case) answer error 6."""
        self._denied_texts.append(fragment.casefold())

    def deny_sender(self, sender: str) -> None:
        """Sends from Sender ID ``sender`` answer error 6."""
        self._denied_senders.add(sender)

    # used by Commands
    def hlr_info(self, phone: str) -> HLRInfo:
        """The HLR data of ``phone`` (configured, or a default Russian MTS subscriber)."""
        return self._hlr.get(phone, HLRInfo())

    def mccmnc(self, phone: str) -> str:
        """MCC and MNC of ``phone``'s operator, as ``op=1`` reports it."""
        info = self.hlr_info(phone)
        return f"{info.mcc}{info.mnc}"

    def is_undeliverable(self, phone: str) -> bool:
        """True when sends to ``phone`` answer error 8."""
        return phone in self._undeliverable

    def is_denied(self, text: str, sender: str, account: Account) -> bool:
        """True when ``text`` or ``sender`` makes the send answer error 6."""
        if sender in self._denied_senders:
            return True
        if account.senders is not None and sender not in ("", ".", *account.senders):
            return True
        folded = text.casefold()
        return any(fragment in folded for fragment in self._denied_texts)

    def take_send_fault(self, phone: str) -> int | None:
        """Consume and return an injected send error for ``phone``, if one is pending."""
        queue = self._send_faults.get(phone)
        return queue.pop(0) if queue else None

    def next_message_id(self) -> int:
        """A new server-assigned message id."""
        value = self._next_id
        self._next_id += 1
        return value

    # ------------------------------------------------------------------ messages

    def create_message(
        self,
        account: Account,
        *,
        message_id: int | str,
        phone: str,
        text: str,
        comment: str = "",
        sender: str = "",
        message_type: MessageType = MessageType.SMS,
        parts: int = 1,
        cost: Decimal = Decimal("0.00"),
        scheduled_at: float | None = None,
        translit: int = 0,
        channel: str = "http",
        virtual: bool = False,
    ) -> Message:
        """Record a sent message and plan its lifecycle (used by the send command)."""
        now = self.clock.now()
        queue = self._outcomes_once.get(phone)
        if virtual:
            outcome = virtual_outcome()
        elif queue:
            outcome = queue.pop(0)
        else:
            outcome = self._outcomes.get(phone, DeliveryOutcome())
        start = now if scheduled_at is None else max(now, scheduled_at)
        message = Message(
            id=message_id,
            phone=phone,
            login=account.login,
            text=text,
            comment=comment,
            sender=sender,
            type=message_type,
            parts=parts,
            cost=cost,
            created_at=now,
            scheduled_at=start,
            outcome=outcome,
            history=[StatusChange(StatusCode.PENDING, 0, now)],
            hlr=self.hlr_info(phone) if message_type is MessageType.HLR else None,
            translit=translit,
            channel=channel,
        )
        transfer_at = start + self.lifecycle.transfer_after
        if outcome.via_operator:
            final_at = transfer_at + self.lifecycle.final_after
            message.pending = [StatusChange(StatusCode.TRANSFERRED, 0, transfer_at)]
            if outcome.status in (StatusCode.READ, StatusCode.LINK_CLICKED):
                # Read and link-clicked follow delivered (protocol Appendix A: 1 -> 2/4).
                message.pending.append(StatusChange(StatusCode.DELIVERED, 0, final_at))
            message.pending.append(StatusChange(outcome.status, outcome.err, final_at))
        else:
            message.pending = [StatusChange(outcome.status, outcome.err, transfer_at)]
        self.messages.append(message)
        self._index[(account.login, str(message_id), phone)] = message
        self._schedule(message)
        self.tick()
        return message

    def _schedule(self, message: Message) -> None:
        if message.pending:
            heapq.heappush(self._due, (message.pending[0].at, next(self._sequence), message))

    def find_message(self, login: str, message_id: int | str, phone: str) -> Message | None:
        """The message ``message_id`` to ``phone`` of account ``login`` (``None``: not found)."""
        message = self._index.get((login, str(message_id), normalize_phone(phone)))
        return None if message is None or message.deleted else message

    def message(self, message_id: int | str, phone: str, *, login: str | None = None) -> Message:
        """The message ``message_id`` to ``phone`` (of ``login``, or of any account).

        Raises:
            ConfigurationError: no such message.
        """
        logins = [login] if login is not None else list(self.accounts)
        for candidate in logins:
            found = self.find_message(candidate, message_id, phone)
            if found is not None:
                return found
        raise ConfigurationError(f"no message {message_id!r} to that phone")

    def messages_to(self, phone: str) -> list[Message]:
        """Every message sent to ``phone``, oldest first."""
        key = normalize_phone(phone)
        return [message for message in self.messages if message.phone == key]

    def delete_message(self, login: str, message_id: str, phone: str) -> bool:
        """Delete a message (``status.php`` with ``del=1``); False when there is none."""
        message = self.find_message(login, message_id_value(message_id), phone)
        if message is None:
            return False
        message.deleted = True
        return True

    def format_date(self, timestamp: float) -> str:
        """``DD.MM.YYYY hh:mm:ss`` in the answers' zone (Moscow by default)."""
        return datetime.fromtimestamp(timestamp, tz=self._zone).strftime("%d.%m.%Y %H:%M:%S")

    # ------------------------------------------------------------------ time

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of emulator time pass (status changes and callbacks fall due)."""
        self.clock.advance(seconds)

    def tick(self) -> None:
        """Apply every status change due at the current emulator time."""
        now = self.clock.now()
        while self._due and self._due[0][0] <= now:
            _, _, message = heapq.heappop(self._due)
            if not message.pending or message.pending[0].at > now:
                self._schedule(message)
                continue
            change = message.pending.pop(0)
            message.history.append(change)
            self._notify(message, change)
            self._schedule(message)
        if self.callbacks.has_due():
            self.callbacks.wake()

    def _notify(self, message: Message, change: StatusChange) -> None:
        account = self.accounts.get(message.login)
        if account is None or not account.callback_url or message.deleted:
            return
        self.callbacks.enqueue(
            account.callback_url,
            self.callback_fields(message, change, account.callback_secret),
            message_id=message.id,
            phone=message.phone,
            status=int(change.status),
            at=change.at,
        )

    def callback_fields(
        self, message: Message, change: StatusChange, secret: str
    ) -> dict[str, str]:
        """The form a callback for ``change`` carries, per :attr:`CallbackPolicy.fields`."""
        policy = self.callbacks.policy
        values: dict[str, str] = {
            "id": str(message.id),
            "phone": message.phone,
            "status": str(int(change.status)),
            "err": str(int(change.err)),
            "ts": str(int(change.at)),
            "time": self.format_date(change.at),
            "cnt": str(message.parts),
            "type": str(int(message.type)),
            "sender": message.sender,
        }
        if message.hlr is not None and change.status.is_final:
            values.update(message.hlr.fields())
        fields = {name: values[name] for name in policy.fields if name in values}
        for algorithm in policy.signatures:
            fields[algorithm] = callback_signature(
                message.id, message.phone, int(change.status), secret, algorithm
            )
        return fields

    async def deliver_callbacks(self) -> list[CallbackDelivery]:
        """Send every callback due now, wait for the outcome; returns the whole log."""
        self.tick()
        await self.callbacks.drain()
        return self.callbacks.deliveries

    # ------------------------------------------------------------------ request handling

    def pause_responses(self) -> None:
        """Hold every request after authentication until :meth:`resume_responses`.

        Held requests count as in flight, which makes the concurrency rule testable.
        """
        if self._gate is None:
            self._gate = asyncio.Event()

    def resume_responses(self) -> None:
        """Release the requests held by :meth:`pause_responses`."""
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.set()

    def reset_limits(self) -> None:
        """Forget rate counters, duplicate windows and IP lock-outs."""
        self.commands.reset_limits()

    async def handle(
        self, command: str, data: RequestData, ip: str, *, channel: str = "http"
    ) -> Answer:
        """Answer one request of ``command`` (``send``, ``status``, ``balance``) from ``ip``."""
        self.tick()
        auth = self.commands.authenticate(data, ip)
        if isinstance(auth, ErrorAnswer):
            return auth
        account = auth
        limit = self.limits.max_concurrent
        if limit is not None and self._in_flight[account.login] + 1 >= limit:
            return ErrorAnswer(9, "too many concurrent requests")
        self._in_flight[account.login] += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self._gate is not None:
                await self._gate.wait()
            self.tick()
            if command == "send":
                answer = self.commands.send(account, data, channel=channel)
                self.commands.record_send_result(ip, answer)
            elif command == "status":
                answer = self.commands.status(account, data)
            else:
                answer = self.commands.balance(account, data)
        finally:
            self._in_flight[account.login] -= 1
            self.in_flight -= 1
        return answer

    # ------------------------------------------------------------------ servers

    async def start_site(self, port: int = 0, *, host: str = "127.0.0.1") -> Site:
        """Serve the emulator on ``host:port`` (0 picks a free port); returns the site."""
        site = Site(self.app, host=host, port=port, name=f"site{len(self.sites) + 1}")
        await site.start()
        self.sites.append(site)
        return site

    @asynccontextmanager
    async def serve(
        self, ports: Sequence[int] = (0,), *, host: str = "127.0.0.1"
    ) -> AsyncIterator[list[Site]]:
        """Serve on several ports at once (mirrors of one model); stops them on exit.

        Example:
            >>> async with emulator.serve(ports=[0, 0]) as (primary, mirror):  # doctest: +SKIP
            ...     await primary.set_fault(Fault.REFUSE)
        """
        sites = [await self.start_site(port, host=host) for port in ports]
        try:
            yield sites
        finally:
            for site in sites:
                await site.stop()
                if site in self.sites:
                    self.sites.remove(site)

    async def start_smtp(
        self, port: int = 0, *, host: str = "127.0.0.1", reject_errors: bool = False
    ) -> SMTPIngest:
        """Start the e-mail gateway on ``host:port`` (needs ``aiosmtpd``); returns it."""
        if self.smtp is not None:
            raise ConfigurationError("the SMTP ingest is running already")
        ingest = SMTPIngest(self, host=host, port=port, reject_errors=reject_errors)
        await ingest.start()
        self.smtp = ingest
        return ingest

    # ------------------------------------------------------------------ lifetime

    async def __aenter__(self) -> SMSCEmulator:
        self.callbacks.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop every site and the SMTP ingest, and close the callback sender."""
        self.resume_responses()
        for site in list(self.sites):
            await site.stop()
        self.sites.clear()
        if self.smtp is not None:
            await self.smtp.stop()
            self.smtp = None
        await self.callbacks.aclose()

    def __repr__(self) -> str:
        return (
            f"SMSCEmulator(accounts={len(self.accounts)}, messages={len(self.messages)}, "
            f"sites={len(self.sites)}, clock={self.clock!r})"
        )
