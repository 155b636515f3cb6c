"""Delivery-status callbacks: check the signature, then parse the fields into typed models.

SMSC can POST every status change of a message (and every HLR lookup result) to a URL set in
the account. The official documentation of that callback was not available; the field set and
the signature recipe here follow third-party reports (see "Service notes" in the docs), so
every part of the recipe is a parameter:

* the fields arrive as form or query fields: ``id``, ``phone``, ``status``, ``err``, ``ts`` and/or
  ``time``, ``cnt``, ``type``, ``cost``, ``sender``, ``message``, ``country``, ``operator``,
  ``region``, and for HLR lookups ``imsi``, ``msc``, ``mcc``, ``mnc``, ``cn``, ``net``, ``rcn``,
  ``rnet``; any other field is kept in ``extra``;
* the signature is the lowercase hex digest (``md5`` and/or ``sha1`` field) of the string
  ``"<id>:<phone>:<status>:<secret>"`` built from the raw field values, where the secret is the
  one set in the account.

Messages subscribers send to the account reach the same handler:
:func:`is_incoming_callback` tells them apart and :func:`parse_incoming_callback` checks and
parses them (their fields and signed text are assumptions too).

The module never looks at a web framework's request object: hand it a plain
``Mapping[str, str]``, for example ``dict(await request.form())``.

Example:
    ```python
    from smsc.callbacks import parse_callback

    callback = parse_callback(dict(await request.form()), secrets=settings.smsc_callback_secret)
    await store.record_once(callback.dedup_key, callback.status)
    ```
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final

from pydantic import SecretStr, ValidationError

from .._errors import (
    CallbackError,
    CallbackSignatureError,
    MalformedCallbackError,
)
from .._models.callbacks import (
    DeliveryStatusCallback,
    HLRCallback,
    IncomingMessageCallback,
    SignedFields,
)
from .._privacy import mask_phone
from .._wire.callback_fields import (
    DEFAULT_ALGORITHMS,
    DEFAULT_INCOMING_SIGNATURE_FORMAT,
    DEFAULT_SIGNATURE_FORMAT,
    HLR_FIELDS,
    INCOMING_FIELDS,
    SIGNED_BY_DEFAULT,
    STATUS_FIELDS,
    is_incoming,
    read_fields,
    read_incoming_fields,
)
from .._wire.values import MOSCOW
from ._checks import (
    checked,
    compute_signature,
    verify_signature,
)
from ._replay import (
    CallbackDeduplicator,
    DuplicateCallbackError,
    MemoryDeduplicator,
    StaleCallbackError,
    utc_now,
)

__all__ = [
    "DEFAULT_ALGORITHMS",
    "DEFAULT_INCOMING_SIGNATURE_FORMAT",
    "DEFAULT_SIGNATURE_FORMAT",
    "DEFAULT_TIMEZONE",
    "HLR_FIELDS",
    "INCOMING_FIELDS",
    "SIGNED_BY_DEFAULT",
    "CallbackDeduplicator",
    "CallbackError",
    "CallbackSignatureError",
    "DeliveryStatusCallback",
    "DuplicateCallbackError",
    "HLRCallback",
    "IncomingMessageCallback",
    "MalformedCallbackError",
    "MemoryDeduplicator",
    "SignedFields",
    "StaleCallbackError",
    "accept_callback",
    "accept_incoming_callback",
    "compute_signature",
    "is_incoming_callback",
    "parse_callback",
    "parse_incoming_callback",
    "verify_signature",
]

logger = logging.getLogger("smsc.callbacks")

DEFAULT_TIMEZONE: Final[tzinfo] = MOSCOW
"""Zone of the ``time`` text field when no ``ts`` is given: Moscow time, UTC+3 (an assumption)."""


def _build(
    fields: Mapping[str, str],
    zone: tzinfo,
    signature_fields: Collection[str],
    signed: frozenset[str],
) -> DeliveryStatusCallback:
    values, is_hlr = read_fields(fields, zone)
    known = STATUS_FIELDS | frozenset(signature_fields)
    model: type[DeliveryStatusCallback] = DeliveryStatusCallback
    if is_hlr:
        model = HLRCallback
        known |= HLR_FIELDS
    values["extra"] = {name: value for name, value in fields.items() if name not in known}
    received = frozenset(fields) - frozenset(signature_fields)
    values["signed_fields"] = received & signed
    values["unsigned_fields"] = received - signed
    if signed >= SIGNED_BY_DEFAULT:
        values["verified"] = SignedFields(
            id=values["id"], phone=values["phone"], status=values["status"]
        )
    try:
        return model.model_validate(values)
    except ValidationError as exc:  # pragma: no cover - the values above are already typed
        raise MalformedCallbackError("callback fields are inconsistent") from exc


def parse_callback(
    fields: Mapping[str, str],
    *,
    secrets: SecretStr | str | Sequence[SecretStr | str] | None,
    algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
    require_signature: bool = True,
    signature_format: str = DEFAULT_SIGNATURE_FORMAT,
    tz: tzinfo | str = DEFAULT_TIMEZONE,
    max_age: timedelta | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> DeliveryStatusCallback | HLRCallback:
    """Check a delivery-status callback's signature and parse it into a typed model.

    A good signature vouches only for the fields it covers (``id``, ``phone``, ``status`` by
    default): the model's ``verified`` holds those, ``unsigned_fields`` names the rest.

    Args:
        fields: the callback's form or query fields, e.g. ``dict(await request.form())``.
        secrets: the callback secret set in the account, or several during a rotation.
            ``None`` is allowed only with ``require_signature=False``.
        algorithms: the signature fields to check (see :func:`verify_signature`).
        require_signature: when False, a callback without any signature field is accepted
            unchecked; one that carries a signature is still checked when secrets are given.
        signature_format: the signed text (see :data:`DEFAULT_SIGNATURE_FORMAT`).
        tz: the zone of the ``time`` text field (a ``tzinfo`` or an IANA name); only used
            when the callback has no ``ts``. Default: Moscow time, UTC+3, an assumption.
        max_age: when given, refuse a callback whose time (``ts``, else ``time``) is missing
            or further than this from ``clock()``, in either direction. ``ts`` is not signed:
            this stops replays that keep the original time, not a rewritten one.
        clock: returns the current aware datetime (inject a fixed one in tests).

    Returns:
        An :class:`HLRCallback` when ``type`` is 4 (HLR) or any of the HLR fields
        (:data:`HLR_FIELDS`) is present, even empty; a :class:`DeliveryStatusCallback`
        otherwise. Both fields decide it are unsigned.

    Raises:
        CallbackSignatureError: the signature is missing (when required) or wrong.
        MalformedCallbackError: ``id``, ``phone`` or ``status`` is missing, or a field has
            an unparsable or out-of-range value (``status``, ``err``, ``ts``, ``time``,
            ``cnt``, ``type``, ``cost``).
        StaleCallbackError: ``max_age`` is given and the callback's time is outside it.
        ConfigurationError: the secrets, algorithms, format, time zone or max_age are unusable.
    """
    callback = checked(
        fields,
        lambda zone, names, signed: _build(fields, zone, names, signed or frozenset()),
        secrets=secrets,
        algorithms=algorithms,
        require_signature=require_signature,
        signature_format=signature_format,
        tz=tz,
        max_age=max_age,
        clock=clock,
        kind="callback",
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "callback accepted: id=%s phone=%s status=%s",
            callback.id,
            mask_phone(callback.phone),
            int(callback.status),
        )
    return callback


async def accept_callback(
    fields: Mapping[str, str],
    *,
    seen: CallbackDeduplicator,
    secrets: SecretStr | str | Sequence[SecretStr | str] | None,
    **options: Any,
) -> DeliveryStatusCallback | HLRCallback:
    """:func:`parse_callback`, then refuse a callback whose ``dedup_key`` was seen before.

    The key is recorded only after the signature and the fields passed, so forged callbacks
    never reach ``seen``. ``options`` are those of :func:`parse_callback` (``max_age=``...).

    Raises:
        DuplicateCallbackError: ``seen`` already holds this callback's key.
        CallbackError: as :func:`parse_callback`.
    """
    callback = parse_callback(fields, secrets=secrets, **options)
    if not await seen.first_seen(callback.dedup_key):
        logger.debug("callback refused: already accepted once")
        raise DuplicateCallbackError("callback already accepted (same id, phone and status)")
    return callback


# --------------------------------------------------------------------------- received messages


def is_incoming_callback(fields: Mapping[str, str]) -> bool:
    """True for a callback that reports a received message rather than a status: it has a
    ``message`` and no ``status`` field (an assumption: neither field set is documented)."""
    return is_incoming(fields)


def parse_incoming_callback(
    fields: Mapping[str, str],
    *,
    secrets: SecretStr | str | Sequence[SecretStr | str] | None,
    algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
    require_signature: bool = True,
    signature_format: str = DEFAULT_INCOMING_SIGNATURE_FORMAT,
    tz: tzinfo | str = DEFAULT_TIMEZONE,
    max_age: timedelta | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> IncomingMessageCallback:
    """Check a received-message callback's signature and parse it into a typed model.

    Arguments mean what they mean for :func:`parse_callback`; the signed text defaults to
    :data:`DEFAULT_INCOMING_SIGNATURE_FORMAT` (``id``, ``phone``, ``message``), and the time
    is read from ``sent`` (Unix seconds), else from the ``received`` text in ``tz``. Both the
    field set and the recipe are assumptions (the service does not document them).

    Raises:
        CallbackSignatureError: the signature is missing (when required) or wrong.
        MalformedCallbackError: ``id`` or ``phone`` is missing, or the time is unreadable.
        StaleCallbackError: ``max_age`` is given and the callback's time is outside it.
        ConfigurationError: the secrets, algorithms, format, time zone or max_age are unusable.
    """

    def build(
        zone: tzinfo, names: frozenset[str], signed: frozenset[str] | None
    ) -> IncomingMessageCallback:
        covered = signed or frozenset()
        received = frozenset(fields) - names
        values = read_incoming_fields(fields, zone)
        values["extra"] = {
            name: value for name, value in fields.items() if name in received - INCOMING_FIELDS
        }
        values["verified"] = signed is not None
        values["signed_fields"] = received & covered
        values["unsigned_fields"] = received - covered
        return IncomingMessageCallback.model_validate(values)

    callback = checked(
        fields,
        build,
        secrets=secrets,
        algorithms=algorithms,
        require_signature=require_signature,
        signature_format=signature_format,
        tz=tz,
        max_age=max_age,
        clock=clock,
        kind="received-message callback",
    )
    logger.debug("received-message callback accepted: id=%s", callback.id)
    return callback


async def accept_incoming_callback(
    fields: Mapping[str, str],
    *,
    seen: CallbackDeduplicator,
    secrets: SecretStr | str | Sequence[SecretStr | str] | None,
    **options: Any,
) -> IncomingMessageCallback:
    """:func:`parse_incoming_callback`, then refuse one whose ``dedup_key`` was seen before.

    Raises:
        DuplicateCallbackError: ``seen`` already holds this callback's key.
        CallbackError: as :func:`parse_incoming_callback`.
    """
    callback = parse_incoming_callback(fields, secrets=secrets, **options)
    if not await seen.first_seen(callback.dedup_key):
        logger.debug("received-message callback refused: already accepted once")
        raise DuplicateCallbackError("callback already accepted (same id and phone)")
    return callback
