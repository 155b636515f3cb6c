"""Enumerations of the SMSC protocol: message formats, status codes, delivery errors."""

from __future__ import annotations

import enum

__all__ = [
    "DeliveryError",
    "MessageFormat",
    "MessageType",
    "StatusCode",
    "StatusDetail",
    "Translit",
]


class MessageFormat(str, enum.Enum):
    """Every kind of message ``send.php`` can produce (see "Service notes" in the docs)."""

    SMS = "sms"
    FLASH = "flash"
    PUSH = "push"
    HLR = "hlr"
    BINARY = "bin"
    BINARY_HEX = "bin_hex"
    PING = "ping"
    MMS = "mms"
    MAIL = "mail"
    CALL = "call"
    VIBER = "viber"
    SOCIAL = "soc"
    TELEGRAM = "tg"

    @property
    def needs_text(self) -> bool:
        """False for formats whose text is ignored by the service (HLR, ping)."""
        return self not in (MessageFormat.HLR, MessageFormat.PING)


class Translit(enum.IntEnum):
    """The ``translit`` parameter."""

    NONE = 0
    """Send the text as it is."""
    LATIN = 1
    """Transliterate Cyrillic to Latin ("translit")."""
    LOOKALIKE = 2
    """Transliterate to Latin letters and digits that look alike ("mpaHc/Ium")."""


class StatusDetail(enum.IntEnum):
    """How much ``status`` returns (the ``all`` parameter)."""

    BASIC = 0
    FULL = 1
    FULL_WITH_OPERATOR = 2


class StatusCode(enum.IntEnum):
    """Message status codes (their meanings: "Service notes" in the docs)."""

    NOT_FOUND = -3
    STOPPED = -2
    PENDING = -1
    TRANSFERRED = 0
    DELIVERED = 1
    READ = 2
    EXPIRED = 3
    LINK_CLICKED = 4
    UNDELIVERABLE = 20
    INVALID_NUMBER = 22
    PROHIBITED = 23
    INSUFFICIENT_FUNDS = 24
    UNAVAILABLE_NUMBER = 25

    @property
    def description(self) -> str:
        """A readable description of the status."""
        return _STATUS_DESCRIPTIONS[self]

    @property
    def is_final(self) -> bool:
        """True when the message will not change status any more (delivery ended)."""
        return self not in (StatusCode.STOPPED, StatusCode.PENDING, StatusCode.TRANSFERRED)

    @property
    def is_success(self) -> bool:
        """True for delivered, read and link-clicked."""
        return self in (StatusCode.DELIVERED, StatusCode.READ, StatusCode.LINK_CLICKED)


_STATUS_DESCRIPTIONS: dict[StatusCode, str] = {
    StatusCode.NOT_FOUND: "Not found: no message with this id for this phone",
    StatusCode.STOPPED: "Stopped (mailing paused before hand-off)",
    StatusCode.PENDING: "Waiting to be sent",
    StatusCode.TRANSFERRED: "Transferred to the operator",
    StatusCode.DELIVERED: "Delivered",
    StatusCode.READ: "Read",
    StatusCode.EXPIRED: "Expired",
    StatusCode.LINK_CLICKED: "Link clicked",
    StatusCode.UNDELIVERABLE: "Impossible to deliver",
    StatusCode.INVALID_NUMBER: "Invalid number",
    StatusCode.PROHIBITED: "Prohibited",
    StatusCode.INSUFFICIENT_FUNDS: "Insufficient funds",
    StatusCode.UNAVAILABLE_NUMBER: "Unavailable number",
}


class DeliveryError(enum.IntEnum):
    """Per-message error codes (the ``err`` field of a status or a callback)."""

    NONE = 0
    SUBSCRIBER_NOT_FOUND = 1
    SUBSCRIBER_OFFLINE = 6
    NO_SMS_SERVICE = 11
    HANDSET_ERROR = 12
    SUBSCRIBER_BLOCKED = 13
    SERVICE_NOT_SUPPORTED = 21
    VIRTUAL_SENDING = 200
    SIM_REPLACED = 219
    OPERATOR_QUEUE_OVERFLOW = 220
    FORBIDDEN_SENDER_IP = 239
    SUBSCRIBER_BUSY = 240
    CONVERSION_ERROR = 241
    ANSWERING_MACHINE = 242
    NO_CONTRACT = 243
    MAILING_FORBIDDEN = 244
    STATUS_NOT_RECEIVED = 245
    TIME_RESTRICTION = 246
    MESSAGE_LIMIT_EXCEEDED = 247
    NO_ROUTE = 248
    INVALID_NUMBER_FORMAT = 249
    NUMBER_FORBIDDEN_BY_SETTINGS = 250
    DAILY_LIMIT_EXCEEDED = 251
    NUMBER_FORBIDDEN = 252
    SPAM_FILTER = 253
    UNREGISTERED_SENDER = 254
    REJECTED_BY_OPERATOR = 255

    @property
    def description(self) -> str:
        """A readable description of the error."""
        return _ERROR_DESCRIPTIONS[self]


_ERROR_DESCRIPTIONS: dict[DeliveryError, str] = {
    DeliveryError.NONE: "No error",
    DeliveryError.SUBSCRIBER_NOT_FOUND: "Subscriber does not exist",
    DeliveryError.SUBSCRIBER_OFFLINE: "Subscriber offline",
    DeliveryError.NO_SMS_SERVICE: "No SMS service",
    DeliveryError.HANDSET_ERROR: "Handset error",
    DeliveryError.SUBSCRIBER_BLOCKED: "Subscriber blocked",
    DeliveryError.SERVICE_NOT_SUPPORTED: "Service not supported",
    DeliveryError.VIRTUAL_SENDING: "Virtual sending (test mode)",
    DeliveryError.SIM_REPLACED: "SIM card replaced",
    DeliveryError.OPERATOR_QUEUE_OVERFLOW: "Operator queue overflow",
    DeliveryError.FORBIDDEN_SENDER_IP: "Forbidden sender IP",
    DeliveryError.SUBSCRIBER_BUSY: "Subscriber busy",
    DeliveryError.CONVERSION_ERROR: "Conversion error / not all SMS parts were sent",
    DeliveryError.ANSWERING_MACHINE: "Answering machine detected",
    DeliveryError.NO_CONTRACT: "No contract",
    DeliveryError.MAILING_FORBIDDEN: "Mailing forbidden",
    DeliveryError.STATUS_NOT_RECEIVED: "Status not received",
    DeliveryError.TIME_RESTRICTION: "Time restriction",
    DeliveryError.MESSAGE_LIMIT_EXCEEDED: "Message limit exceeded",
    DeliveryError.NO_ROUTE: "No route",
    DeliveryError.INVALID_NUMBER_FORMAT: "Invalid number format",
    DeliveryError.NUMBER_FORBIDDEN_BY_SETTINGS: "Number forbidden by settings",
    DeliveryError.DAILY_LIMIT_EXCEEDED: "Daily per-number limit exceeded",
    DeliveryError.NUMBER_FORBIDDEN: "Number forbidden",
    DeliveryError.SPAM_FILTER: "Forbidden by spam filter",
    DeliveryError.UNREGISTERED_SENDER: "Unregistered Sender ID",
    DeliveryError.REJECTED_BY_OPERATOR: "Rejected by operator without a precise error code",
}


class MessageType(enum.IntEnum):
    """The ``type`` field of a full status answer."""

    SMS = 0
    FLASH = 1
    BINARY = 2
    WAP_PUSH = 3
    HLR = 4
    PING = 5
    MMS = 6
    CALL = 7
    MAIL = 8
    VIBER = 10
    SOCIAL = 12
