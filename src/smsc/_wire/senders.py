"""``senders.php``: the account's Sender IDs (protocol §11.4).

``get=1`` lists the approved names; ``add=1&sender=&cmt=``, ``chg=1&sender=&cmt=`` (or
``id=`` instead of ``sender=``) and ``del=1&sender=`` (or ``id=``) manage them;
``send_code=1&sender=`` and ``check_code=1&sender=&code=`` confirm a digital sender.
``get=1&all=1`` lists every name, not only the activated ones; ``add`` and ``chg`` take the
operator registration flags of the parameters page (``mts_step=1``, ...). The registrations
for Ukraine and Belarus (``ua_reg``, ``ua_int``, ``by_reg``) need a company's details in
more fields and are not offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .._models.account import Sender, SenderRegistration
from .errors import ACCOUNT_DATA_ERRORS
from .records import (
    action,
    created_id,
    done,
    extra_fields,
    opt,
    present,
    record_id,
    records,
    required_text,
)
from .values import text

__all__ = [
    "SENDERS_ADD",
    "SENDERS_CHANGE",
    "SENDERS_CHECK_CODE",
    "SENDERS_DELETE",
    "SENDERS_LIST",
    "SENDERS_SEND_CODE",
    "SENDER_COMMANDS",
    "SENDER_REGISTRATION_FLAGS",
    "SenderArgs",
]

_PATH: Final = "/sys/senders.php"
_KNOWN = ("id", "sender", "name", "cmt")


@dataclass(frozen=True, slots=True)
class SenderArgs:
    """Checked arguments of a ``senders.php`` action (those it does not use stay ``None``)."""

    name: str | None = None
    id: int | None = None
    comment: str | None = None
    code: str | None = None
    every: bool = False
    """``all=1``: list every name, not only the activated ones."""
    registrations: frozenset[SenderRegistration] = frozenset()


SENDER_REGISTRATION_FLAGS: Final[Mapping[SenderRegistration, str]] = {
    SenderRegistration.MTS_PAID: "mts_step",
    SenderRegistration.MEGAFON_PAID: "mega_step",
    SenderRegistration.BEELINE_PAID: "bee_step",
    SenderRegistration.TELE2_PAID: "tele2_step",
    SenderRegistration.MOTIV_PAID: "motiv_step",
    SenderRegistration.WIN_MOBILE_PAID: "winmob_step",
    SenderRegistration.VOLNA_MOBILE_PAID: "volnamob_step",
    SenderRegistration.SBER_MOBILE: "sber_step",
    SenderRegistration.TELE2_FREE: "tele2",
    SenderRegistration.MOTIV_FREE: "motiv",
    SenderRegistration.MTS_COMMON_NAME: "mts_int",
    SenderRegistration.MEGAFON_COMMON_NAME: "mega_int",
    SenderRegistration.MOTIV_COMMON_NAME: "motiv_int",
}
"""Each registration -> its flag of ``senders.php`` (the parameters page)."""


def _fields(args: SenderArgs) -> dict[str, str]:
    form = present(
        {
            "sender": args.name,
            "id": opt(args.id),
            "cmt": args.comment,
            "code": args.code,
            "all": "1" if args.every else None,
        }
    )
    for registration in SenderRegistration:  # the enum's order: a stable form
        if registration in args.registrations:
            form[SENDER_REGISTRATION_FLAGS[registration]] = "1"
    return form


def _senders(data: Any, body: bytes, command: str) -> list[Sender]:
    return [
        Sender(
            id=record_id(item, command, body),
            name=required_text(item, ("sender", "name"), command, body),
            comment=text(item.get("cmt")),
            extra=extra_fields(item, _KNOWN),
        )
        for item in records(data, body, command)
    ]


SENDERS_LIST: Final = action(
    "senders.list", _PATH, "get", _fields, _senders, may_repeat=True, errors=ACCOUNT_DATA_ERRORS
)
"""The approved Sender IDs; a query, safe to repeat."""

SENDERS_ADD: Final = action(
    "senders.add", _PATH, "add", _fields, created_id, may_repeat=False, errors=ACCOUNT_DATA_ERRORS
)
"""Ask for a new Sender ID; repeating it could file the name twice."""

SENDERS_CHANGE: Final = action(
    "senders.change", _PATH, "chg", _fields, done, may_repeat=False, errors=ACCOUNT_DATA_ERRORS
)
"""Change a Sender ID's comment; a change is not repeated (§5.4 counts changes)."""

SENDERS_DELETE: Final = action(
    "senders.delete", _PATH, "del", _fields, done, may_repeat=False, errors=ACCOUNT_DATA_ERRORS
)
"""Delete a Sender ID; repeated after it took effect it would answer "not found"."""

SENDERS_SEND_CODE: Final = action(
    "senders.send_code",
    _PATH,
    "send_code",
    _fields,
    done,
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Have the service send a confirmation code to a digital sender; each request sends one."""

SENDERS_CHECK_CODE: Final = action(
    "senders.confirm",
    _PATH,
    "check_code",
    _fields,
    done,
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Confirm a digital sender with the code; repeated after it took effect it would fail."""

SENDER_COMMANDS: Final = (
    SENDERS_LIST,
    SENDERS_ADD,
    SENDERS_CHANGE,
    SENDERS_DELETE,
    SENDERS_SEND_CODE,
    SENDERS_CHECK_CODE,
)
