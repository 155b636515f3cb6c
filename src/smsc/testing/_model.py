"""The emulator's data: accounts, tariffs, messages and the rules' settings."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from .._enums import DeliveryError, MessageType, StatusCode
from .._privacy import mask_phone, mask_text
from ._directory import Directory
from ._values import money

__all__ = [
    "Account",
    "CallbackPolicy",
    "DeliveryOutcome",
    "HLRRecord",
    "Lifecycle",
    "LockoutRules",
    "Message",
    "RateLimits",
    "StatusChange",
    "Tariff",
]


@dataclass
class Tariff:
    """Prices of one account, per SMS part, by the longest matching number prefix.

    Args:
        sms_price: price of one SMS part when no prefix matches.
        prefix_prices: ``{"7": Decimal("1.80"), "380": Decimal("2.50")}``; the longest prefix
            of the normalized number (digits only) wins. Zones of the real tariff table map
            to prefixes here.
        hlr_price: price of one HLR request (``hlr=1``).
        ping_price: price of one ping SMS (``ping=1``).
    """

    sms_price: Decimal = Decimal("1.80")
    prefix_prices: dict[str, Decimal] = field(default_factory=dict)
    hlr_price: Decimal = Decimal("0.20")
    ping_price: Decimal = Decimal("0.20")

    def part_price(self, phone: str) -> Decimal:
        """The price of one SMS part to ``phone`` (digits, no ``+``)."""
        best = ""
        for prefix in self.prefix_prices:
            if phone.startswith(prefix) and len(prefix) > len(best):
                best = prefix
        return money(self.prefix_prices[best]) if best else money(self.sms_price)


@dataclass
class Account:
    """One client account of the emulated service.

    Passwords and API keys are kept as given and never shown in ``repr``. A request may
    authenticate with ``login`` and one of ``passwords`` (or its lowercase MD5 hex), with
    ``apikey``, or with an empty login and an API key in ``psw`` ([INF] the SMTP rule,
    applied to HTTP as well).

    Attributes:
        allowed_ips: when not empty, requests from other addresses get error 2, and these
            addresses are never locked out (protocol §2, §5.6).
        callback_url: where status changes are POSTed (protocol §9.1); ``None`` for none.
        callback_secret: the secret mixed into the callback signatures.
        senders: registered Sender IDs; ``None`` accepts any well-formed one, a set makes
            any other sender answer error 6.
        test_mode: "virtual sending": messages are not charged and end with ``err=200``.
        parent: the login of the account that created this one as a sub-client
            (``users.php``), ``None`` for a main account.
        directory: Sender IDs, contacts, groups, blacklist, templates and received messages
            (:class:`Directory`); the ``senders`` given at creation are registered in it.
    """

    login: str
    passwords: list[str] = field(default_factory=list, repr=False)
    api_keys: list[str] = field(default_factory=list, repr=False)
    balance: Decimal = Decimal("100.00")
    credit: Decimal = Decimal("0.00")
    currency: str = "RUR"
    allowed_ips: set[str] = field(default_factory=set)
    callback_url: str | None = None
    callback_secret: str = field(default="", repr=False)
    tariff: Tariff = field(default_factory=Tariff)
    senders: set[str] | None = None
    test_mode: bool = False
    parent: str | None = None
    directory: Directory = field(default_factory=Directory, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in sorted(self.senders or ()):
            if name not in self.directory.senders:
                self.directory.add_sender(name)

    def may_use_sender(self, sender: str) -> bool:
        """True when sends from ``sender`` are not refused as unregistered (error 6)."""
        if self.senders is None or sender in ("", ".") or sender in self.senders:
            return True
        return self.directory.may_use_sender(sender)

    def check_password(self, psw: str) -> bool:
        """True when ``psw`` is one of the passwords or the lowercase MD5 hex of one."""
        for password in self.passwords:
            if psw == password or psw == hashlib.md5(password.encode()).hexdigest():
                return True
        return False

    @property
    def funds(self) -> Decimal:
        """What a send may spend: balance plus credit."""
        return self.balance + self.credit


@dataclass(frozen=True)
class HLRRecord:
    """The emulated HLR's record of a number: what HLR requests and ``all=2`` report (§6.4).

    The service side of :class:`smsc.HLRInfo` (what the SDK decodes from an answer). The
    fields carry the service's own field names (``cn``, ``net``, ...), since the emulator
    writes them onto the wire as they are; ``country``, ``operator`` and ``region`` are the
    Russian names that ``all=2`` adds.
    """

    imsi: str = "250019876543210"
    msc: str = "79161000000"
    mcc: str = "250"
    mnc: str = "01"
    cn: str = "Russian Federation"
    net: str = "MTS"
    rcn: str = ""
    rnet: str = ""
    country: str = "Россия"
    operator: str = "МТС"
    region: str = "г.Москва и Московская область"
    tz: int = 3
    """The subscriber's time zone as hours from UTC (operator lookup, ``info.php``)."""

    def fields(self) -> dict[str, str]:
        """The eight HLR answer fields in wire order."""
        return {
            "imsi": self.imsi,
            "msc": self.msc,
            "mcc": self.mcc,
            "mnc": self.mnc,
            "cn": self.cn,
            "net": self.net,
            "rcn": self.rcn,
            "rnet": self.rnet,
        }


@dataclass(frozen=True)
class DeliveryOutcome:
    """How messages to one number end.

    ``status`` is the final status (1 delivered, 3 expired, 20, 22, 23, 24, 25) and ``err`` the
    per-message error code (§6.6). A failure with 3 or 20 is reached through "transferred"
    (0); 22, 23, 24 and 25 are reached straight from "waiting" (-1), since such messages
    never reach the operator ([INF]).
    """

    status: StatusCode = StatusCode.DELIVERED
    err: int = DeliveryError.NONE

    @property
    def via_operator(self) -> bool:
        """True when the message passes status 0 on its way to this outcome."""
        return self.status in (
            StatusCode.DELIVERED,
            StatusCode.READ,
            StatusCode.LINK_CLICKED,
            StatusCode.EXPIRED,
            StatusCode.UNDELIVERABLE,
        )


@dataclass(frozen=True)
class StatusChange:
    """One step of a message's status history."""

    status: StatusCode
    err: int
    at: float


@dataclass(repr=False)
class Message:
    """One message to one recipient (a send to three numbers makes three, sharing ``id``)."""

    id: int | str
    phone: str
    login: str
    text: str
    comment: str
    sender: str
    type: MessageType
    parts: int
    cost: Decimal
    created_at: float
    scheduled_at: float
    outcome: DeliveryOutcome
    history: list[StatusChange] = field(default_factory=list)
    hlr: HLRRecord | None = None
    translit: int = 0
    channel: str = "http"
    deleted: bool = False
    int_id: int = 0
    """The service's internal row number (history pages go backwards by it, ``prev_id``)."""
    pending: list[StatusChange] = field(default_factory=list, repr=False)
    """Changes planned for the future, applied as the clock passes their time."""

    def __repr__(self) -> str:
        # Phones and texts are private data (the SDK's one masking rule), even in a test log.
        return (
            f"Message(id={self.id!r}, phone={mask_phone(self.phone)!r}, login={self.login!r}, "
            f"type={self.type.name}, parts={self.parts}, cost={self.cost}, "
            f"status={self.status.name}, err={self.err}, text={mask_text(self.text)}, "
            f"channel={self.channel!r}{', deleted' if self.deleted else ''})"
        )

    @property
    def status(self) -> StatusCode:
        """The current status."""
        return self.history[-1].status

    @property
    def err(self) -> int:
        """The current per-message error code."""
        return self.history[-1].err

    @property
    def last_change(self) -> float:
        """Unix seconds of the last status change."""
        return self.history[-1].at

    @property
    def is_final(self) -> bool:
        """True when no further status change is planned."""
        return not self.pending


@dataclass(frozen=True)
class Lifecycle:
    """Delays of the status lifecycle -1 -> 0 -> final (seconds of emulator time).

    Args:
        transfer_after: from the scheduled send time to "transferred to operator" (0).
        final_after: from "transferred" to the final status (1 or a failure).
    """

    transfer_after: float = 1.0
    final_after: float = 4.0


@dataclass(frozen=True)
class RateLimits:
    """The service's request-rate rules answering error 9 (protocol §5.1-§5.3).

    Every field can be set to ``None`` to switch that rule off (for tests that hammer the
    emulator); :meth:`off` switches all of them off.

    Attributes:
        duplicate_send_window: seconds in which an identical send is refused.
        identical_cost_per_minute: identical cost requests allowed per minute.
        status_polls_per_minute: status requests for one message allowed per minute.
        multi_status_per_minute: multi-message status requests allowed per minute.
        balance_per_minute: balance requests allowed per minute.
        max_concurrent: this many simultaneous requests of one login get error 9 ([INF] the
            limit is counted per login).
        operator_identical_per_minute: identical operator lookups allowed per minute (§5.4).
        operator_per_minute: operator lookups of any kind allowed per minute (§5.4).
        identical_price_per_minute: identical tariff requests allowed per minute (§5.4).
        subclient_changes_per_minute: adds or changes of one sub-client allowed per minute.
    """

    duplicate_send_window: float | None = 60.0
    identical_cost_per_minute: int | None = 5
    status_polls_per_minute: int | None = 5
    multi_status_per_minute: int | None = 1
    balance_per_minute: int | None = 10
    max_concurrent: int | None = 15
    operator_identical_per_minute: int | None = 3
    operator_per_minute: int | None = 100
    identical_price_per_minute: int | None = 3
    subclient_changes_per_minute: int | None = 3

    @classmethod
    def off(cls) -> RateLimits:
        """Limits with every rule switched off."""
        return cls(**{item.name: None for item in dataclasses.fields(cls)})


@dataclass(frozen=True)
class LockoutRules:
    """The IP lock-out rules answering error 4 (protocol §5.6); ``None`` switches one off.

    Attributes:
        auth_errors: authorisation errors within ``auth_window`` seconds that block the IP
            for ``auth_block`` seconds (IPs in an account's allow-list are exempt).
        send_errors: erroneous sends in a row within ``send_window`` seconds that block the
            IP for ``send_block`` seconds.
    """

    auth_errors: int | None = 5
    auth_window: float = 1800.0
    auth_block: float = 1800.0
    send_errors: int | None = 100
    send_window: float = 600.0
    send_block: float = 600.0

    @classmethod
    def off(cls) -> LockoutRules:
        """Rules with both lock-outs switched off."""
        return cls(auth_errors=None, send_errors=None)


DEFAULT_CALLBACK_FIELDS: tuple[str, ...] = (
    "id",
    "phone",
    "status",
    "err",
    "ts",
    "time",
    "cnt",
    "type",
    "sender",
    "imsi",
    "msc",
    "mcc",
    "mnc",
    "cn",
    "net",
    "rcn",
    "rnet",
)


@dataclass(frozen=True)
class CallbackPolicy:
    """How status callbacks are built and retried (protocol §9.1, third-party knowledge).

    Args:
        fields: the form fields to send, from ``id phone status err ts time cnt type sender``
            and the HLR fields ``imsi msc mcc mnc cn net rcn rnet`` (HLR fields only for HLR
            messages).
        signatures: which of ``"md5"`` and ``"sha1"`` to add; each is the lowercase hex digest
            of ``"<id>:<phone>:<status>:<secret>"``.
        backoff: seconds of emulator time before each retry; the last value repeats.
        max_attempts: attempts before a delivery is given up (``None``: never give up).
        timeout: seconds one HTTP attempt may take (wall time).
        incoming_signature: the text signed in a callback for a received message, with the
            form's fields and ``{secret}`` as placeholders ([INF]: the service's recipe for
            received messages is not documented).
    """

    fields: tuple[str, ...] = DEFAULT_CALLBACK_FIELDS
    signatures: tuple[str, ...] = ("md5", "sha1")
    backoff: tuple[float, ...] = (10.0, 30.0, 60.0, 300.0, 900.0)
    max_attempts: int | None = 20
    timeout: float = 5.0
    incoming_signature: str = "{id}:{phone}:{message}:{secret}"
