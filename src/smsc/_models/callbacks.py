"""The models of a parsed callback (see :mod:`smsc.callbacks`): a delivery status, an HLR
result, a received message."""

from __future__ import annotations

from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .._enums import DeliveryError, MessageType, StatusCode
from .messages import HLRInfo

__all__ = ["DeliveryStatusCallback", "HLRCallback", "IncomingMessageCallback", "SignedFields"]


class SignedFields(BaseModel):
    """The fields of a callback that its checked signature covers: nothing else.

    A replayed genuine callback keeps these, but its other fields (``err``, ``ts``, ``cost``,
    ``type``, the HLR fields, ...) can have been rewritten by whoever replays it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: int | str
    """The message id."""
    phone: str = Field(repr=False)
    """The recipient, exactly as the service sent it."""
    status: StatusCode | int = Field(union_mode="left_to_right")
    """The new status."""


class DeliveryStatusCallback(BaseModel):
    """One status change of one message to one phone, as the service reported it.

    The signature covers only some fields (by default ``id``, ``phone`` and ``status``):
    ``verified`` holds those, and only when a signature was checked; ``signed_fields`` and
    ``unsigned_fields`` name the received fields on each side. Every other attribute is the
    field as received: a replayed genuine callback can carry a rewritten ``err``, ``ts``,
    ``cost`` or ``type``, or HLR fields it never had (see docs, "Limits of the signature").

    ``status``, ``error`` and ``type`` are enums for the documented codes and plain ints for
    codes the SDK does not know, so nothing the service says is lost. Optional fields the
    callback did not carry (or carried empty) are ``None``; fields the SDK does not model are
    kept, as text, in ``extra``. The phone number, the message text and the IMSI are left out
    of ``repr`` because they are private data.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: int | str
    """The message id: an int when the field is a plain decimal number, else the text."""
    phone: str = Field(repr=False)
    """The recipient, exactly as the service sent it."""
    status: StatusCode | int = Field(union_mode="left_to_right")
    """The new status (``status``)."""
    error: DeliveryError | int | None = Field(default=None, union_mode="left_to_right")
    """The per-message error code (``err``)."""
    time: AwareDatetime | None = None
    """When the status changed: from ``ts`` (Unix seconds), else from the ``time`` text."""
    sms_count: int | None = None
    """Number of SMS parts (``cnt``)."""
    type: MessageType | int | None = Field(default=None, union_mode="left_to_right")
    """The kind of message (``type``): SMS, flash, HLR, ..."""
    cost: Decimal | None = None
    """What the message cost, in the account's currency."""
    sender: str | None = None
    """The sender id the message was sent with."""
    message: str | None = Field(default=None, repr=False)
    """The message text, when the service includes it."""
    country: str | None = None
    """The subscriber's country."""
    operator: str | None = None
    """The subscriber's operator."""
    region: str | None = None
    """The subscriber's region."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Every other field of the callback (signature fields excluded), as received."""
    verified: SignedFields | None = None
    """The signed fields, when a signature was checked and covers ``id``, ``phone`` and
    ``status``; ``None`` for a callback accepted unchecked (``require_signature=False``)."""
    signed_fields: frozenset[str] = frozenset()
    """Names of the received fields the checked signature covers (empty when unchecked)."""
    unsigned_fields: frozenset[str] = frozenset()
    """Names of the received fields no signature covers: treat their values as untrusted."""

    @property
    def dedup_key(self) -> tuple[int | str, str, int]:
        """``(id, phone, status)``: record a callback once even when it is delivered again."""
        return (self.id, self.phone, int(self.status))

    @property
    def is_final(self) -> bool:
        """True when the status will not change any more (delivered, failed, expired, ...).

        False for status codes the SDK does not know.
        """
        return isinstance(self.status, StatusCode) and self.status.is_final

    @property
    def is_delivered(self) -> bool:
        """True when the message reached the subscriber (delivered, read, link clicked)."""
        return isinstance(self.status, StatusCode) and self.status.is_success


class HLRCallback(DeliveryStatusCallback):
    """The result of an HLR lookup: a status callback plus the subscriber's network data.

    It is a :class:`DeliveryStatusCallback`, so test for ``HLRCallback`` first when a handler
    treats the two differently. The network data is ``hlr``, the same :class:`smsc.HLRInfo`
    a status answer carries (``MessageStatus.hlr``); its fields are ``None`` when absent or
    empty (``roaming_country`` and ``roaming_network`` are empty while the subscriber is at
    home). The flat attributes below read the same values.
    """

    hlr: HLRInfo
    """The subscriber's network data (``imsi``, ``msc``, ``mcc``, ``mnc``, ``cn``, ``net``,
    ``rcn``, ``rnet``)."""

    @property
    def imsi(self) -> str | None:
        """IMSI of the subscriber's SIM card (``hlr.imsi``)."""
        return self.hlr.imsi

    @property
    def msc(self) -> str | None:
        """Number of the mobile switching centre serving the subscriber (``hlr.msc``)."""
        return self.hlr.msc

    @property
    def mcc(self) -> str | None:
        """Mobile country code, as text: leading zeros matter (``hlr.mcc``)."""
        return self.hlr.mcc

    @property
    def mnc(self) -> str | None:
        """Mobile network code, as text: ``"02"`` and ``"2"`` differ (``hlr.mnc``)."""
        return self.hlr.mnc

    @property
    def home_country(self) -> str | None:
        """Country of registration (``hlr.country``)."""
        return self.hlr.country

    @property
    def home_network(self) -> str | None:
        """Home operator name (``hlr.network``)."""
        return self.hlr.network

    @property
    def roaming_country(self) -> str | None:
        """Roaming country (``hlr.roaming_country``)."""
        return self.hlr.roaming_country

    @property
    def roaming_network(self) -> str | None:
        """Roaming operator (``hlr.roaming_network``)."""
        return self.hlr.roaming_network


class IncomingMessageCallback(BaseModel):
    """A message a subscriber sent to the account, as the service POSTed it to your handler.

    The service's field set for received messages is not documented: the SDK reads the fields
    of a received-messages record (``id``, ``phone``, ``message``, ``to_phone``, and the time
    from ``sent`` (Unix seconds) or ``received`` (``DD.MM.YYYY hh:mm:ss``)) and keeps every
    other field in ``extra``. The signature covers the fields named in ``signed_fields``
    only; the phone numbers and the text are left out of ``repr``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: int | str
    """The service's id of the received message: an int for a plain decimal number."""
    phone: str = Field(repr=False)
    """The subscriber who sent it."""
    message: str = Field(default="", repr=False)
    """The text (empty when the callback carried none)."""
    to_phone: str | None = Field(default=None, repr=False)
    """The account's number it was sent to, when the callback says."""
    time: AwareDatetime | None = None
    """When it arrived: from ``sent`` (Unix seconds), else from the ``received`` text."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Every other field of the callback (signature fields excluded), as received."""
    verified: bool = False
    """True when a signature was checked (and matched)."""
    signed_fields: frozenset[str] = frozenset()
    """Names of the received fields the checked signature covers (empty when unchecked)."""
    unsigned_fields: frozenset[str] = frozenset()
    """Names of the received fields no signature covers: treat their values as untrusted."""

    @property
    def dedup_key(self) -> tuple[str, int | str, str]:
        """``("incoming", id, phone)``: record a received message once when it comes again."""
        return ("incoming", self.id, self.phone)
