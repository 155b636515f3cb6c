"""Result models returned by the client, and the typed request of a send or cost query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from .._enums import DeliveryError, MessageFormat, MessageType, StatusCode, Translit

__all__ = [
    "Balance",
    "CostResult",
    "DeleteResult",
    "HLRInfo",
    "MessageStatus",
    "PhoneResult",
    "SendRequest",
    "SendResult",
]


_Int = Annotated[int, Field(gt=-(10**19), lt=10**19)]
"""An id, count or code: at most 19 digits, so that ``repr`` and ``str`` of a result never fail
(Python refuses to print ints of more than 4,300 digits)."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class PhoneResult(_Result):
    """Per-number details of a send or cost answer (present with ``op=1`` or ``err=1``).

    The phone number is private data: it is left out of ``repr``.
    """

    phone: str = Field(repr=False)
    mccmnc: str | None = None
    cost: Decimal | None = None
    status: StatusCode | _Int | None = Field(default=None, union_mode="left_to_right")
    error: DeliveryError | _Int | None = Field(default=None, union_mode="left_to_right")


class SendResult(_Result):
    """What the service answered to a send.

    Attributes:
        id: the message id, to be used with ``status`` (the SDK's own id when it assigned one).
        count: number of SMS parts billed, over all recipients.
        cost: the price of the send, in the account's currency.
        balance: the account balance after the send.
        phones: per-number details when the answer carries them.
        code: for a phone confirmation by call, the calling number.
    """

    id: _Int | str
    count: _Int
    cost: Decimal | None = None
    balance: Decimal | None = None
    phones: tuple[PhoneResult, ...] = ()
    code: str | None = None


class CostResult(_Result):
    """The price of a message that was not sent."""

    cost: Decimal
    count: _Int
    phones: tuple[PhoneResult, ...] = ()


class HLRInfo(_Result):
    """The HLR lookup fields of a status answer."""

    imsi: str | None = Field(default=None, repr=False)
    msc: str | None = None
    mcc: str | None = None
    mnc: str | None = None
    country: str | None = None
    """Country of registration (``cn``)."""
    network: str | None = None
    """Home operator name (``net``)."""
    roaming_country: str | None = None
    """Roaming country (``rcn``), empty when at home."""
    roaming_network: str | None = None
    """Roaming operator (``rnet``), empty when at home."""


class MessageStatus(_Result):
    """The status of one message for one phone.

    ``status`` and ``error`` are enums for the documented codes and plain ints for codes the
    SDK does not know yet, so nothing the service says is lost. ``StatusCode.NOT_FOUND``
    means the service has no message with this id *for this phone*: a wrong id, a phone the
    message was not sent to, or a send that never arrived; it says nothing about delivery.

    Fields of the full answer (``detail=FULL``) are ``None`` for a basic answer. ``extra``
    keeps fields the SDK does not model. The phone number, the text and its comment are
    private data: they are left out of ``repr`` (so that logging a status does not log them).
    """

    id: _Int | str | None = None
    phone: str | None = Field(default=None, repr=False)
    status: StatusCode | _Int = Field(union_mode="left_to_right")
    last_change: datetime | None = None
    """When the status last changed (aware datetime)."""
    error: DeliveryError | _Int | None = Field(default=None, union_mode="left_to_right")
    flag: _Int | None = None
    sent_at: datetime | None = None
    cost: Decimal | None = None
    sender: str | None = None
    status_name: str | None = None
    message: str | None = Field(default=None, repr=False)
    comment: str | None = Field(default=None, repr=False)
    type: MessageType | _Int | None = Field(default=None, union_mode="left_to_right")
    sms_count: _Int | None = None
    country: str | None = None
    operator: str | None = None
    region: str | None = None
    hlr: HLRInfo | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)

    @property
    def is_final(self) -> bool:
        """True when the status will not change any more (delivered, failed, expired, ...)."""
        if isinstance(self.status, StatusCode):
            return self.status.is_final
        return False

    @property
    def is_delivered(self) -> bool:
        """True when the message reached the subscriber."""
        return isinstance(self.status, StatusCode) and self.status.is_success


class DeleteResult(_Result):
    """A message the service deleted (``client.delete``); the phone is left out of ``repr``."""

    id: _Int | str
    phone: str = Field(repr=False)


class Balance(_Result):
    """The account balance."""

    amount: Decimal
    currency: str | None = None
    credit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SendRequest:
    """A validated send or cost query, ready to be encoded (see ``smsc._wire``).

    Built from the caller's keyword arguments; every field already passed the offline rules
    of ``smsc._rules.recipients`` and ``smsc._rules.schedule``. Times are kept typed: the wire layer
    writes them.
    """

    phones: tuple[str, ...]
    message: str
    format: MessageFormat = MessageFormat.SMS
    id: int | str | None = None
    translit: Translit | None = None
    time: str | datetime | timedelta | None = None
    tz: int | None = None
    sender: str | None = None
    valid: int | str | timedelta | None = None
    maxsms: int | None = None
    tinyurl: bool | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
