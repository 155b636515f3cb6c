"""The fields of a delivery-status callback (protocol reference §9.1) and how each is read.

Form fields are text: every reader here refuses a value it cannot read with
:class:`MalformedCallbackError` naming the field, and spends a small, fixed amount of work on
any input. Numbers and amounts follow the same bounds as the answers' readers
(:mod:`.values`); the HLR fields become the same :class:`HLRInfo` as a status answer's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any, Final, TypeVar

from .._enums import DeliveryError, MessageType, StatusCode
from .._errors import MalformedCallbackError
from .._models.messages import HLRInfo
from .answers import HLR_ANSWER_FIELDS
from .values import DATE_FORMAT, decimal, enum_or_int

__all__ = [
    "DEFAULT_ALGORITHMS",
    "DEFAULT_INCOMING_SIGNATURE_FORMAT",
    "DEFAULT_SIGNATURE_FORMAT",
    "HLR_FIELDS",
    "INCOMING_FIELDS",
    "SIGNED_BY_DEFAULT",
    "is_incoming",
    "read_fields",
    "read_incoming_fields",
    "shown",
]

DEFAULT_SIGNATURE_FORMAT: Final = "{id}:{phone}:{status}:{secret}"
"""The signed string as third-party reports describe it; ``{name}`` is the raw field value."""

DEFAULT_ALGORITHMS: Final[tuple[str, ...]] = ("md5", "sha1")
"""The hash algorithms checked by default; each one's digest arrives in a field of its name."""

SIGNED_BY_DEFAULT: Final[frozenset[str]] = frozenset({"id", "phone", "status"})
"""The fields the default signature covers; every other field can be rewritten in transit."""

HLR_FIELDS: Final[frozenset[str]] = frozenset(HLR_ANSWER_FIELDS)
"""Fields only an HLR lookup result carries."""

STATUS_FIELDS: Final = frozenset(
    {"id", "phone", "status", "err", "ts", "time", "cnt", "type", "cost", "sender", "message"}
    | {"country", "operator", "region"}
)
"""The fields of every status callback."""

DEFAULT_INCOMING_SIGNATURE_FORMAT: Final = "{id}:{phone}:{message}:{secret}"
"""The signed text of a received-message callback: an assumption (not documented), the same as
the emulator's."""

INCOMING_FIELDS: Final = frozenset({"id", "phone", "message", "to_phone", "sent", "received"})
"""The fields read from a received-message callback (those of a received-messages record)."""

# Integers of at most 18 digits: every code, count and Unix time fits, and no field can make
# int() slow or raise ValueError (Python refuses ints of more than 4,300 digits).
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_CANONICAL_ID = re.compile(r"0|[1-9][0-9]{0,17}")  # a longer id stays text
_MAX_NAME_IN_ERROR = 40

_E = TypeVar("_E", StatusCode, DeliveryError, MessageType)


def shown(name: str) -> str:
    """A field name fit for an error message: field names can come from the sender."""
    return repr(name[:_MAX_NAME_IN_ERROR])


def _text(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name)
    return value if value else None


def _required(fields: Mapping[str, str], name: str) -> str:
    value = fields.get(name)
    if value is None or not value.strip():
        raise MalformedCallbackError(f"callback field {shown(name)} is missing", field=name)
    return value


def _int(fields: Mapping[str, str], name: str, *, required: bool = False) -> int | None:
    raw = _required(fields, name) if required else _text(fields, name)
    if raw is None:
        return None
    if not _INTEGER.fullmatch(raw.strip()):
        raise MalformedCallbackError(f"callback field {shown(name)} is not an integer", field=name)
    return int(raw)


def _code(enum: type[_E], fields: Mapping[str, str], name: str, **options: bool) -> _E | int | None:
    number = _int(fields, name, **options)
    return None if number is None else enum_or_int(enum, number)


def _message_id(fields: Mapping[str, str]) -> int | str:
    raw = _required(fields, "id")
    # Only a canonical decimal becomes an int: "0123" stays text, or it would lose its zero.
    return int(raw) if _CANONICAL_ID.fullmatch(raw) else raw


def _amount(fields: Mapping[str, str], name: str) -> Decimal | None:
    raw = _text(fields, name)
    if raw is None:
        return None
    value = decimal(raw.strip())
    if value is None:
        raise MalformedCallbackError(f"callback field {shown(name)} is not a number", field=name)
    return value


def _event_time(
    fields: Mapping[str, str], zone: tzinfo, stamp_field: str = "ts", text_field: str = "time"
) -> datetime | None:
    """Unix seconds in ``stamp_field``, else the ``DD.MM.YYYY hh:mm:ss`` text of
    ``text_field`` read in ``zone``."""
    stamp = _int(fields, stamp_field)
    if stamp is not None:
        try:
            return datetime.fromtimestamp(stamp, zone)
        except (OverflowError, OSError, ValueError):
            raise MalformedCallbackError(
                f"callback field {stamp_field!r} is out of range", field=stamp_field
            ) from None
    text = _text(fields, text_field)
    if text is None:
        return None
    try:
        return datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise MalformedCallbackError(
            f"callback field {text_field!r} is not a DD.MM.YYYY hh:mm:ss time", field=text_field
        ) from None


def read_fields(fields: Mapping[str, str], zone: tzinfo) -> tuple[dict[str, Any], bool]:
    """The callback's values by model attribute, and whether it is an HLR lookup result.

    ``zone`` is the zone of the ``time`` text (and of the datetime made from ``ts``). An HLR
    result (``type`` 4, or any HLR field present, even empty) gets ``hlr``: an
    :class:`HLRInfo` whose empty fields are ``None``. Fields no attribute reads are left to
    the caller (``extra``).

    Raises:
        MalformedCallbackError: ``id``, ``phone`` or ``status`` is missing, or a field cannot
            be read; ``field`` names it.
    """
    message_type = _code(MessageType, fields, "type")
    values: dict[str, Any] = {
        "id": _message_id(fields),
        "phone": _required(fields, "phone"),
        "status": _code(StatusCode, fields, "status", required=True),
        "error": _code(DeliveryError, fields, "err"),
        "time": _event_time(fields, zone),
        "sms_count": _int(fields, "cnt"),
        "type": message_type,
        "cost": _amount(fields, "cost"),
        **{name: _text(fields, name) for name in ("sender", "message")},
        **{name: _text(fields, name) for name in ("country", "operator", "region")},
    }
    is_hlr = message_type == MessageType.HLR or not HLR_FIELDS.isdisjoint(fields)
    if is_hlr:
        values["hlr"] = HLRInfo(
            **{name: _text(fields, key) for key, name in HLR_ANSWER_FIELDS.items()}
        )
    return values, is_hlr


def is_incoming(fields: Mapping[str, str]) -> bool:
    """True for a callback that reports a received message: a ``message`` and no ``status``
    (an assumption: the service documents neither callback's field set)."""
    return "status" not in fields and "message" in fields


def read_incoming_fields(fields: Mapping[str, str], zone: tzinfo) -> dict[str, Any]:
    """A received-message callback's values by model attribute (``extra`` left to the caller).

    Raises:
        MalformedCallbackError: ``id`` or ``phone`` is missing, or ``sent``/``received`` is
            not a time; ``field`` names it.
    """
    return {
        "id": _message_id(fields),
        "phone": _required(fields, "phone"),
        "message": fields.get("message", ""),
        "to_phone": _text(fields, "to_phone"),
        "time": _event_time(fields, zone, "sent", "received"),
    }
