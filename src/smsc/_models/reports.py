"""Result models of the account's data: sent history, received messages, statistics, prices,
operator lookups (``get.php``, ``info.php``).

Money is ``Decimal``, times are aware ``datetime`` objects (UTC), codes the SDK does not know
stay plain ``int``, and every answer field the SDK does not model is kept in ``extra``. Phone
numbers and texts are private data: they are left out of ``repr``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .._enums import DeliveryError, MessageType, StatusCode

__all__ = ["IncomingMessage", "OperatorInfo", "PriceZone", "SentMessage", "Statistics"]

_Int = Annotated[int, Field(gt=-(10**19), lt=10**19)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SentMessage(_Record):
    """One message of the sent history (``get.php?get_messages=1``), to one recipient.

    Attributes:
        id: the message id given at send time (yours, or the SDK's/service's).
        internal_id: the service's row number of the message (``int_id``); history pages go
            backwards by it.
        phone: the recipient (a number, or an e-mail address for e-mail messages).
        status: the delivery status; ``error`` its per-message error code.
        last_change: when the status last changed; ``sent_at`` when the message was sent.
        cost: what the message cost, in the account's currency.
        sender: the Sender ID it was sent with.
        message: the text.
        sms_count: SMS parts billed.
        type: the kind of message (the answer's ``format`` field).
        crc: the service's checksum of the text.
        mccmnc, country, operator, region: the recipient's network, where known.
        extra: every other field of the record, as received.
    """

    id: _Int | str | None = None
    internal_id: _Int | None = None
    phone: str | None = Field(default=None, repr=False)
    status: StatusCode | _Int = Field(union_mode="left_to_right")
    status_name: str | None = None
    error: DeliveryError | _Int | None = Field(default=None, union_mode="left_to_right")
    last_change: AwareDatetime | None = None
    sent_at: AwareDatetime | None = None
    cost: Decimal | None = None
    sender: str | None = None
    message: str | None = Field(default=None, repr=False)
    sms_count: _Int | None = None
    type: MessageType | _Int | None = Field(default=None, union_mode="left_to_right")
    crc: _Int | None = None
    mccmnc: str | None = None
    country: str | None = None
    operator: str | None = None
    region: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class IncomingMessage(_Record):
    """A message a subscriber sent to the account (``get.php?get_answers=1``).

    Attributes:
        id: the service's id of the received message; later messages have larger ids.
        phone: the subscriber who sent it.
        to_phone: the account's number it was sent to, where the service says.
        message: the text.
        received_at: when it arrived.
        extra: every other field of the record, as received (the service's field set for
            received messages is not documented: see the Incoming messages page).
    """

    id: _Int
    phone: str | None = Field(default=None, repr=False)
    to_phone: str | None = Field(default=None, repr=False)
    message: str | None = Field(default=None, repr=False)
    received_at: AwareDatetime | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class Statistics(_Record):
    """What the account sent and paid in a period (``get.php?get_stat=1``).

    Attributes:
        login: the account the figures belong to.
        sms_count: SMS sent (``cnt``).
        spent: money spent on messages (``credit``), in ``currency``.
        income: money put on the account (``debit``), in ``currency``.
        currency: three letters (``"RUR"``), where the service says.
        extra: every other field, as received.

    The answer holds no balance: read it with ``client.balance()``.
    """

    login: str | None = None
    sms_count: _Int | None = None
    spent: Decimal | None = None
    income: Decimal | None = None
    currency: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class PriceZone(_Record):
    """The account's prices for one zone of numbers (``get.php?get_price=1``).

    Attributes:
        zone: the zone's number; ``name`` its name (a country, an operator, a prefix).
        sms: the price of an SMS sent through the API (``api``).
        sms_web: the price of an SMS sent from the web account (``mass``).
        mms, call, hlr, ping: the prices of those kinds of message.
        extra: every other price or field, as received.
    """

    zone: _Int | str | None = None
    name: str | None = None
    sms: Decimal | None = None
    sms_web: Decimal | None = None
    mms: Decimal | None = None
    call: Decimal | None = None
    hlr: Decimal | None = None
    ping: Decimal | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)


class OperatorInfo(_Record):
    """Which operator serves a number (``info.php?get_operator=1``).

    Attributes:
        phone: the number, where the answer names it.
        country, operator, region: names as the service writes them.
        mcc, mnc: mobile country and network codes (text: leading zeros matter).
        tz: the subscriber's time zone, in hours (an assumption: the reference does not say
            from what; the emulator counts from UTC).
        extra: every other field, as received.
    """

    phone: str | None = Field(default=None, repr=False)
    country: str | None = None
    operator: str | None = None
    region: str | None = None
    mcc: str | None = None
    mnc: str | None = None
    tz: _Int | None = None
    extra: dict[str, Any] = Field(default_factory=dict, repr=False)
