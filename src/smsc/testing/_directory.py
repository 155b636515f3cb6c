"""What one account keeps besides its messages: Sender IDs, contacts, groups, the blacklist,
templates, received messages and payments (``senders.php``, ``phones.php``, ``templates.php``,
``get.php?get_answers=1``, ``users.php``).

The commands change it over HTTP; a test sets it up directly through
:meth:`SMSCEmulator.directory`. It knows no HTTP.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from .._errors import ConfigurationError
from .._privacy import mask_phone, mask_text
from ._values import normalize_phone

__all__ = [
    "FREE_NUMBERS",
    "ContactGroupRecord",
    "ContactRecord",
    "Directory",
    "IncomingRecord",
    "NotificationRecord",
    "OperatorTemplateRecord",
    "Payment",
    "SenderID",
    "SubClient",
    "TemplateRecord",
]


FREE_NUMBERS = ("79000000701", "79000000702", "79000000703")
"""The dedicated numbers an account can connect until a test sets others."""


@dataclass(frozen=True)
class NotificationRecord:
    """A notification of a task group (``ping.php``): its group, macros and template."""

    group: int
    name: str
    host: str
    info: str
    ok: bool
    at: float


@dataclass
class SenderID:
    """A Sender ID of the account; a digital one (digits only) is usable once confirmed."""

    id: int
    name: str
    comment: str = ""
    confirmed: bool = True
    code: str | None = field(default=None, repr=False)
    """The confirmation code last "sent" by ``send_code=1`` (a test reads it here)."""

    @property
    def digital(self) -> bool:
        """True for a sender made of digits only (needs confirmation by code)."""
        return self.name.isdigit()


@dataclass
class ContactGroupRecord:
    """A contact group; ``G<id>`` as a recipient of a send means its members."""

    id: int
    name: str


@dataclass(repr=False)
class ContactRecord:
    """A contact: a number, a name and the groups it belongs to."""

    id: int
    phone: str
    name: str = ""
    groups: set[int] = field(default_factory=set)

    def __repr__(self) -> str:
        return (
            f"ContactRecord(id={self.id}, phone={mask_phone(self.phone)!r}, groups={self.groups})"
        )


@dataclass(repr=False)
class TemplateRecord:
    """A message template (``templates.php``): its name, text, and the documented options."""

    id: int
    name: str
    text: str
    format: str = ""
    sender: str = ""
    auto_signature: bool = False

    def __repr__(self) -> str:
        return f"TemplateRecord(id={self.id}, name={self.name!r}, text={mask_text(self.text)})"


@dataclass(repr=False)
class OperatorTemplateRecord:
    """A template registered for a Sender ID with some operators (``op_templates.php``).

    ``flags`` are the operator flags it was filed with (``mts_srv``, ...), in filing order.
    """

    id: int
    sender: str
    text: str
    flags: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"OperatorTemplateRecord(id={self.id}, sender={self.sender!r}, flags={self.flags})"


@dataclass(frozen=True, repr=False)
class IncomingRecord:
    """A message a subscriber sent to the account (``get.php?get_answers=1``).

    Attributes:
        id: server-assigned, increasing in the order messages arrive.
        phone: the subscriber's number (digits only).
        to_phone: the account's number it was sent to (digits only, may be empty).
        received_at: Unix seconds of emulator time.
    """

    id: int
    phone: str
    text: str
    to_phone: str
    received_at: float

    def __repr__(self) -> str:
        return (
            f"IncomingRecord(id={self.id}, phone={mask_phone(self.phone)!r}, "
            f"to_phone={mask_phone(self.to_phone)!r}, text={mask_text(self.text)})"
        )


@dataclass(repr=False)
class SubClient:
    """A sub-client made through ``users.php`` (its account is ``SMSCEmulator.account(login)``)."""

    id: int
    login: str
    fio: str = ""
    phone: str = ""
    type: int = 0
    """The account type (``type`` of ``users.php``; 0, the default, has its own balance)."""

    def __repr__(self) -> str:
        return f"SubClient(id={self.id}, login={self.login!r})"


@dataclass(frozen=True)
class Payment:
    """Money put on the account (a top-up by its parent through ``users.php?pay=1``)."""

    amount: Decimal
    at: float


class Directory:
    """The account's Sender IDs, contacts, groups, blacklist, templates and inbox.

    Numbers are kept normalized (digits only). Every ``add_*`` returns the record it made;
    records may be changed freely afterwards.
    """

    def __init__(self) -> None:
        self._ids = itertools.count(1)  # record ids of this account, never reused
        self.senders: dict[str, SenderID] = {}
        self.groups: dict[int, ContactGroupRecord] = {}
        self.contacts: dict[str, ContactRecord] = {}
        self.blacklist: dict[str, int] = {}
        """Blacklisted number -> its record id."""
        self.templates: dict[int, TemplateRecord] = {}
        self.operator_templates: dict[tuple[str, str], OperatorTemplateRecord] = {}
        """Operator templates by (Sender ID, text), the key ``op_templates.php`` looks up."""
        self.incoming: list[IncomingRecord] = []
        self.payments: list[Payment] = []
        self.subclients: dict[str, SubClient] = {}
        """Sub-clients of this account by login (``users.php``)."""
        self.free_numbers: list[str] = list(FREE_NUMBERS)
        """Dedicated numbers free to connect (``receive_phones.php?get=1``); a test may set them."""
        self.task_groups: set[int] = set()
        """Task groups ``ping.php`` may notify (a test adds their ids)."""
        self.notifications: list[NotificationRecord] = []
        """Notifications sent through ``ping.php``, oldest first."""
        self.dedicated_numbers: dict[str, bool] = {}
        """Connected dedicated numbers -> renewed next month (``receive_phones.php``)."""

    def __repr__(self) -> str:
        return (
            f"Directory(senders={len(self.senders)}, contacts={len(self.contacts)}, "
            f"groups={len(self.groups)}, blacklist={len(self.blacklist)}, "
            f"templates={len(self.templates)}, incoming={len(self.incoming)})"
        )

    def _next_id(self) -> int:
        return next(self._ids)

    # ------------------------------------------------------------------ Sender IDs

    def add_sender(self, name: str, comment: str = "", *, confirmed: bool = True) -> SenderID:
        """Register Sender ID ``name`` (usable in sends once ``confirmed``).

        Raises:
            ConfigurationError: the account has that sender already.
        """
        if name in self.senders:
            raise ConfigurationError(f"sender {name!r} exists already")
        sender = SenderID(self._next_id(), name, comment, confirmed)
        self.senders[name] = sender
        return sender

    def sender_by_id(self, sender_id: int) -> SenderID | None:
        """The sender with record id ``sender_id``."""
        return next((item for item in self.senders.values() if item.id == sender_id), None)

    def new_code(self, sender: SenderID) -> str:
        """Make and remember a confirmation code for ``sender``."""
        sender.code = f"{secrets.randbelow(1_000_000):06d}"
        return sender.code

    def may_use_sender(self, name: str) -> bool:
        """True when ``name`` is a confirmed Sender ID of this directory."""
        sender = self.senders.get(name)
        return sender is not None and sender.confirmed

    # ------------------------------------------------------------------ contacts and groups

    def add_group(self, name: str) -> ContactGroupRecord:
        """Create a contact group; recipients ``G<id>`` of a send mean its members."""
        group = ContactGroupRecord(self._next_id(), name)
        self.groups[group.id] = group
        return group

    def add_contact(
        self, phone: str, name: str = "", groups: tuple[int, ...] = ()
    ) -> ContactRecord:
        """Add a contact (in ``groups``, which must exist).

        Raises:
            ConfigurationError: the number is a contact already, or a group does not exist.
        """
        key = normalize_phone(phone)
        if key in self.contacts:
            raise ConfigurationError("that number is a contact already")
        missing = [group for group in groups if group not in self.groups]
        if missing:
            raise ConfigurationError(f"no contact group {missing[0]}")
        contact = ContactRecord(self._next_id(), key, name, set(groups))
        self.contacts[key] = contact
        return contact

    def members(self, group_id: int) -> list[str]:
        """The numbers of group ``group_id``, in the order they were added."""
        return [c.phone for c in self.contacts.values() if group_id in c.groups]

    def expand_recipients(self, items: tuple[str, ...]) -> list[str]:
        """Recipients with every ``G<id>`` of an existing group replaced by its members
        (an unknown group stays as it is and is refused as undeliverable)."""
        expanded: list[str] = []
        for item in items:
            group = item[1:] if item.startswith("G") and item[1:].isdigit() else None
            if group is not None and int(group) in self.groups:
                expanded += self.members(int(group))
            else:
                expanded.append(item)
        return expanded

    # ------------------------------------------------------------------ blacklist

    def block(self, phone: str) -> int:
        """Put ``phone`` on the blacklist (sends to it are refused); returns its record id."""
        key = normalize_phone(phone)
        if key not in self.blacklist:
            self.blacklist[key] = self._next_id()
        return self.blacklist[key]

    def unblock(self, phone: str) -> bool:
        """Take ``phone`` off the blacklist; False when it was not on it."""
        return self.blacklist.pop(normalize_phone(phone), None) is not None

    def is_blocked(self, phone: str) -> bool:
        """True when sends to ``phone`` are refused by the blacklist."""
        return normalize_phone(phone) in self.blacklist

    # ------------------------------------------------------------------ templates

    def add_template(self, name: str, text: str) -> TemplateRecord:
        """Add a message template (``templates.php``)."""
        template = TemplateRecord(self._next_id(), name, text)
        self.templates[template.id] = template
        return template

    def add_operator_template(
        self, sender: str, text: str, flags: list[str]
    ) -> OperatorTemplateRecord:
        """File ``text`` for ``sender`` with the operator ``flags`` (added to an earlier one)."""
        found = self.operator_templates.get((sender, text))
        if found is None:
            found = OperatorTemplateRecord(self._next_id(), sender, text)
            self.operator_templates[(sender, text)] = found
        found.flags.extend(flag for flag in flags if flag not in found.flags)
        return found

    # ------------------------------------------------------------------ sub-clients

    def add_subclient(self, login: str, *, fio: str = "", phone: str = "") -> SubClient:
        """Record sub-client ``login`` (its account is made by the caller)."""
        record = SubClient(self._next_id(), login, fio, phone)
        self.subclients[login] = record
        return record
