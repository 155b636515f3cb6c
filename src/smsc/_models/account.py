"""Result models of the account-data commands: Sender IDs, contacts, templates, sub-clients.

Names, phones and texts of these records are the account's private data: they are left out
of ``repr`` (the fields are there; only the printed form hides them). Fields the SDK does not
model are kept in ``extra`` as the service sent them.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from pydantic import Field

from .messages import _Int, _Result

__all__ = [
    "BlacklistEntry",
    "Contact",
    "ContactGroup",
    "DedicatedNumber",
    "OperatorTemplate",
    "OperatorTemplateKind",
    "Sender",
    "SenderRegistration",
    "SubClientStats",
    "SubClientType",
    "Template",
]


class Sender(_Result):
    """A Sender ID of the account (``client.senders.list()``).

    Attributes:
        id: the record's id (for ``change``/``delete`` by id), when the service gives one.
        name: the Sender ID as it appears on the phone.
        comment: the comment given when it was added.
    """

    id: _Int | None = None
    name: str
    comment: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class Contact(_Result):
    """A contact of the account's phone book (``client.contacts.list()``).

    Attributes:
        phone: the contact's number (private: not in ``repr``).
        name: the contact's name (private: not in ``repr``).
        groups: the ids of the groups the contact belongs to.
        id: the record's id, when the service gives one.
    """

    phone: str = Field(repr=False)
    name: str | None = Field(default=None, repr=False)
    groups: tuple[_Int, ...] = ()
    id: _Int | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class ContactGroup(_Result):
    """A group of contacts (``client.contacts.groups()``); send to it as ``G<id>``.

    Attributes:
        id: the group's id.
        name: its name.
        count: how many contacts it holds, when the service says.
    """

    id: _Int
    name: str
    count: _Int | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class BlacklistEntry(_Result):
    """A number on the account's blacklist (sends to it are refused)."""

    phone: str = Field(repr=False)
    id: _Int | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class Template(_Result):
    """A message template (``client.templates`` or ``client.operator_templates``).

    Attributes:
        id: the template's id.
        name: its name.
        message: its text (private: not in ``repr``).
    """

    id: _Int
    name: str
    message: str = Field(default="", repr=False)
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class SenderRegistration(str, enum.Enum):
    """A registration of a Sender ID with an operator, asked for with ``senders.add``/
    ``change`` (one flag of ``senders.php`` each; the service's pages list the tariffs)."""

    MTS_PAID = "mts_paid"
    MEGAFON_PAID = "megafon_paid"
    BEELINE_PAID = "beeline_paid"
    TELE2_PAID = "tele2_paid"
    MOTIV_PAID = "motiv_paid"
    WIN_MOBILE_PAID = "win_mobile_paid"
    VOLNA_MOBILE_PAID = "volna_mobile_paid"
    SBER_MOBILE = "sber_mobile"
    TELE2_FREE = "tele2_free"
    """Tele2 on the tariff with free names."""
    MOTIV_FREE = "motiv_free"
    """Motiv on the tariff with free names."""
    MTS_COMMON_NAME = "mts_common_name"
    """Allow MTS to replace the name with a common one."""
    MEGAFON_COMMON_NAME = "megafon_common_name"
    """Allow MegaFon to replace the name with a common one."""
    MOTIV_COMMON_NAME = "motiv_common_name"
    """Allow Motiv to replace the name with a common one."""


class OperatorTemplateKind(str, enum.Enum):
    """An operator and the kind of template to register with it (``op_templates.php``).

    Service texts inform, authorization texts carry codes and passwords, transactional texts
    report a movement of money (the operators' rules are in the service's FAQ on templates).
    ``SOCIAL`` is the page's ``soc`` flag, read as the messages of ``MessageFormat.SOCIAL``.
    """

    MTS_SERVICE = "mts_service"
    MTS_AUTHORIZATION = "mts_authorization"
    MTS_TRANSACTIONAL = "mts_transactional"
    MEGAFON_SERVICE = "megafon_service"
    MEGAFON_AUTHORIZATION = "megafon_authorization"
    MEGAFON_TRANSACTIONAL = "megafon_transactional"
    MEGAFON_ADVERTISING = "megafon_advertising"
    BEELINE_SERVICE = "beeline_service"
    BEELINE_TRANSACTIONAL = "beeline_transactional"
    TELE2_SERVICE = "tele2_service"
    TELE2_TRANSACTIONAL = "tele2_transactional"
    MOTIV_SERVICE = "motiv_service"
    MOTIV_TRANSACTIONAL = "motiv_transactional"
    SOCIAL = "social"


class OperatorTemplate(_Result):
    """One registration of an operator template (``client.operator_templates.get()``).

    The page does not lay this answer out: ``id`` and ``name`` are read when the service
    gives them, and every field it sends is kept in ``extra`` (a named assumption, see
    "Operator templates" in the docs).

    Attributes:
        id: the registration's id, when given.
        name: the operator and kind it names, when given.
    """

    id: _Int | None = None
    name: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class DedicatedNumber(_Result):
    """A dedicated number for receiving messages (``client.numbers.available()``).

    Attributes:
        phone: the number.
        extra: every other field the service sends (its layout is not documented).
    """

    phone: str
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class SubClientType(enum.IntEnum):
    """The account type of a sub-client (``type`` of ``users.php``)."""

    INDEPENDENT = 0
    """Its own tariff and balance (the service's default)."""
    MAIN_TARIFF = 1
    """The main account's tariff, a balance of its own."""
    MAIN_TARIFF_AND_BALANCE = 2
    """The main account's tariff and balance."""
    MAIN_BALANCE = 3
    """The main account's balance, a tariff of its own."""
    EXTRA_LOGIN = 4
    """Another login of the main account."""


class SubClientStats(_Result):
    """One sub-client's statistics over a period (``client.users.stats()``).

    Attributes:
        login: the sub-client's login.
        messages: SMS sent in the period.
        spent: money spent on them, in ``currency``.
        income: money put on the sub-client's account in the period.
        currency: three letters (``"RUR"``), when the service says.
        extra: every other field, as received.
    """

    login: str
    messages: _Int | None = None
    spent: Decimal | None = None
    income: Decimal | None = None
    currency: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)
