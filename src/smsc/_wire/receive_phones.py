"""``receive_phones.php``: dedicated numbers for receiving messages (the service's
"connecting dedicated numbers" page, under its miscellaneous API).

``get=1`` lists the dedicated numbers free to connect; ``buy=1&phone=`` connects one to the
login (the service charges the rest of the current month), optionally with ``noprolong``;
``chg=1&phone=&noprolong=`` sets whether the number is renewed for the next month
(``noprolong=0``, the default: renewed; ``1``: not renewed).

The page does not lay the answers out. Named assumptions: the list is records (a list, or
one object read as a list of one) each naming its number in ``phone`` (or ``number``), every
field kept in ``extra``; ``buy`` and ``chg`` answer ``{"result": "OK"}`` (or an object with
an ``id``, read as done). The page's error table is not read either: the codes every command
shares (1, 2, 4, 9) are mapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .._errors import InvalidResponseError
from .._models.account import DedicatedNumber
from .errors import ACCOUNT_DATA_ERRORS
from .records import action, done, extra_fields, present, records
from .values import excerpt, text

__all__ = [
    "RECEIVE_PHONES_BUY",
    "RECEIVE_PHONES_CHANGE",
    "RECEIVE_PHONES_COMMANDS",
    "RECEIVE_PHONES_LIST",
    "ReceivePhoneArgs",
]

_PATH: Final = "/sys/receive_phones.php"
_KNOWN = ("phone", "number")


@dataclass(frozen=True, slots=True)
class ReceivePhoneArgs:
    """Checked arguments of a ``receive_phones.php`` action."""

    phone: str | None = None
    renew: bool | None = None
    """False sends ``noprolong=1`` (not renewed next month), True ``noprolong=0``."""


def _fields(args: ReceivePhoneArgs) -> dict[str, str]:
    renewal = None if args.renew is None else ("0" if args.renew else "1")
    return present({"phone": args.phone, "noprolong": renewal})


def _numbers(data: Any, body: bytes, command: str) -> list[DedicatedNumber]:
    rows = [data] if isinstance(data, dict) else data
    found = []
    for item in records(rows, body, command):
        phone = text(item.get("phone", item.get("number")))
        if not phone:
            raise InvalidResponseError(
                f"{command}: a number without its phone", body_excerpt=excerpt(body)
            )
        found.append(DedicatedNumber(phone=phone, extra=extra_fields(item, _KNOWN)))
    return found


def _done(data: Any, body: bytes, command: str) -> None:
    if isinstance(data, dict) and "id" in data and "error" not in data:
        return  # named assumption: an object with an id is a success too
    done(data, body, command)


RECEIVE_PHONES_LIST: Final = action(
    "numbers.available",
    _PATH,
    "get",
    _fields,
    _numbers,
    may_repeat=True,
    errors=ACCOUNT_DATA_ERRORS,
)
"""The dedicated numbers free to connect; a query."""

RECEIVE_PHONES_BUY: Final = action(
    "numbers.buy", _PATH, "buy", _fields, _done, may_repeat=False, errors=ACCOUNT_DATA_ERRORS
)
"""Connect (and pay for) a dedicated number; never repeated (it is charged)."""

RECEIVE_PHONES_CHANGE: Final = action(
    "numbers.set_renewal",
    _PATH,
    "chg",
    _fields,
    _done,
    may_repeat=True,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Set whether a connected number is renewed next month; setting it twice changes nothing."""

RECEIVE_PHONES_COMMANDS: Final = (RECEIVE_PHONES_LIST, RECEIVE_PHONES_BUY, RECEIVE_PHONES_CHANGE)
"""``client.numbers``: dedicated numbers for receiving messages."""
