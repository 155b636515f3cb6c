"""Result models of the account-data commands: Sender IDs, contacts, templates, sub-clients.

Names, phones and texts of these records are the account's private data: they are left out
of ``repr`` (the fields are there; only the printed form hides them). Fields the SDK does not
model are kept in ``extra`` as the service sent them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field

from .messages import _Int, _Result

__all__ = [
    "BlacklistEntry",
    "Contact",
    "ContactGroup",
    "Sender",
    "SubClientStats",
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


class SubClientStats(_Result):
    """One sub-client's statistics over a period (``client.users.stats()``).

    Attributes:
        login: the sub-client's login.
        messages: SMS sent in the period.
        spent: money spent on them, in ``currency``.
        income: money put on the sub-client's account in the period.
        currency: three letters (``"RUR"``), when the service says.
        balance: the sub-client's balance now (asked with ``with_balance=True``).
    """

    login: str
    messages: _Int | None = None
    spent: Decimal | None = None
    income: Decimal | None = None
    currency: str | None = None
    balance: Decimal | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)
