"""The emulated service's state: accounts, messages and their lifecycle on the emulator clock.

It knows no HTTP and no SMTP: front ends turn what they receive into a :class:`~._request.Request`
and the command handlers of :mod:`._commands` read and change this state. Status changes are
announced to listeners (the callback sender is one), never pushed to a front end directly.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from .._enums import MessageType, StatusCode
from .._errors import ConfigurationError
from ._clock import EmulatorClock
from ._directory import IncomingRecord
from ._guards import Guards
from ._jobs import JobBook
from ._model import (
    Account,
    Lifecycle,
    LockoutRules,
    Message,
    RateLimits,
    StatusChange,
    Tariff,
)
from ._script import Script
from ._values import message_id_value, normalize_phone

__all__ = ["IncomingListener", "ServiceState", "StatusListener"]

StatusListener = Callable[[Message, StatusChange], None]
"""Called with a message and the status change just applied to it."""
IncomingListener = Callable[[Account, IncomingRecord], None]
"""Called with an account and a message a subscriber just sent to it."""


class ServiceState:
    """Accounts, messages, the message scheduler, scripted outcomes and the rules' counters.

    Attributes:
        limits, lockout, lifecycle, tariff: the rules' settings (replace them at any time).
        script: per-number behaviour set up by a test (:class:`~._script.Script`).
        guards: lock-out, rate and duplicate counters (:class:`~._guards.Guards`).
    """

    def __init__(
        self,
        *,
        clock: EmulatorClock,
        limits: RateLimits,
        lockout: LockoutRules,
        lifecycle: Lifecycle,
        tariff: Tariff,
        utc_offset_hours: float,
    ) -> None:
        self.clock = clock
        self.limits = limits
        self.lockout = lockout
        self.lifecycle = lifecycle
        self.tariff = tariff
        self.script = Script()
        self.guards = Guards(clock)
        self.jobs = JobBook()
        self.accounts: dict[str, Account] = {}
        self.messages: list[Message] = []
        self._zone = timezone(timedelta(hours=utc_offset_hours))
        self._index: dict[tuple[str, str, str], Message] = {}
        self._due: list[tuple[float, int, Message]] = []
        self._sequence = itertools.count()
        self._next_id = 1
        self._next_incoming_id = 1
        self._status_listeners: list[StatusListener] = []
        self._incoming_listeners: list[IncomingListener] = []
        self._tick_listeners: list[Callable[[], None]] = []

    def on_status_change(self, listener: StatusListener) -> None:
        """Call ``listener(message, change)`` for every status change as it is applied."""
        self._status_listeners.append(listener)

    def on_incoming(self, listener: IncomingListener) -> None:
        """Call ``listener(account, message)`` for every message received from a subscriber."""
        self._incoming_listeners.append(listener)

    def on_tick(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` at the end of every :meth:`tick`."""
        self._tick_listeners.append(listener)

    # ------------------------------------------------------------------ accounts

    def add_account(self, account: Account) -> Account:
        """Add ``account`` to the service.

        Raises:
            ConfigurationError: its login exists already.
        """
        if account.login in self.accounts:
            raise ConfigurationError(f"account {account.login!r} exists already")
        self.accounts[account.login] = account
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

    def rename_account(self, login: str, new_login: str) -> None:
        """Give account ``login`` the login ``new_login``, with its messages (``users.php``).

        Raises:
            ConfigurationError: no account ``login``, or ``new_login`` exists already.
        """
        if new_login in self.accounts:
            raise ConfigurationError(f"account {new_login!r} exists already")
        account = self.account(login)
        self.accounts[new_login] = self.accounts.pop(login)
        account.login = new_login
        for key in [key for key in self._index if key[0] == login]:
            message = self._index.pop(key)
            message.login = new_login
            self._index[(new_login, key[1], key[2])] = message

    def is_allow_listed(self, ip: str) -> bool:
        """True when ``ip`` is in some account's allow-list (never locked out, §5.6)."""
        return any(ip in account.allowed_ips for account in self.accounts.values())

    # ------------------------------------------------------------------ messages

    def next_message_id(self) -> int:
        """A new server-assigned message id."""
        value = self._next_id
        self._next_id += 1
        return value

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
        outcome = self.script.next_outcome(phone, virtual=virtual)
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
            hlr=self.script.hlr_record(phone) if message_type is MessageType.HLR else None,
            translit=translit,
            channel=channel,
            int_id=len(self.messages) + 1,
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
        """See :meth:`SMSCEmulator.message`."""
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

    def receive(
        self, login: str, phone: str, text: str, *, to_phone: str = "", at: float | None = None
    ) -> IncomingRecord:
        """See :meth:`SMSCEmulator.receive_message`."""
        account = self.account(login)
        received = IncomingRecord(
            id=self._next_incoming_id,
            phone=normalize_phone(phone),
            text=text,
            to_phone=normalize_phone(to_phone),
            received_at=self.clock.now() if at is None else at,
        )
        self._next_incoming_id += 1
        account.directory.incoming.append(received)
        for listener in self._incoming_listeners:
            listener(account, received)
        return received

    @property
    def zone(self) -> timezone:
        """The zone of dates in answers and requests (Moscow by default)."""
        return self._zone

    def format_date(self, timestamp: float) -> str:
        """``DD.MM.YYYY hh:mm:ss`` in the answers' zone (Moscow by default)."""
        return datetime.fromtimestamp(timestamp, tz=self._zone).strftime("%d.%m.%Y %H:%M:%S")

    # ------------------------------------------------------------------ time

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
            for listener in self._status_listeners:
                listener(message, change)
            self._schedule(message)
        for tick_listener in self._tick_listeners:
            tick_listener()
