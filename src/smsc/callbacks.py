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

import functools
import hashlib
import hmac
import logging
import string
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError

from ._callback_models import DeliveryStatusCallback, HLRCallback, SignedFields
from ._callback_replay import (
    CallbackDeduplicator,
    DuplicateCallbackError,
    MemoryDeduplicator,
    StaleCallbackError,
    check_fresh,
    check_max_age,
    utc_now,
)
from ._errors import (
    CallbackError,
    CallbackSignatureError,
    ConfigurationError,
    MalformedCallbackError,
)
from ._privacy import mask_phone
from ._wire.callback_fields import (
    DEFAULT_ALGORITHMS,
    DEFAULT_SIGNATURE_FORMAT,
    HLR_FIELDS,
    SIGNED_BY_DEFAULT,
    STATUS_FIELDS,
    read_fields,
    shown,
)
from ._wire.values import MOSCOW

__all__ = [
    "DEFAULT_ALGORITHMS",
    "DEFAULT_SIGNATURE_FORMAT",
    "DEFAULT_TIMEZONE",
    "HLR_FIELDS",
    "SIGNED_BY_DEFAULT",
    "CallbackDeduplicator",
    "CallbackError",
    "CallbackSignatureError",
    "DeliveryStatusCallback",
    "DuplicateCallbackError",
    "HLRCallback",
    "MalformedCallbackError",
    "MemoryDeduplicator",
    "SignedFields",
    "StaleCallbackError",
    "accept_callback",
    "compute_signature",
    "parse_callback",
    "verify_signature",
]

logger = logging.getLogger("smsc.callbacks")

DEFAULT_TIMEZONE: Final[tzinfo] = MOSCOW
"""Zone of the ``time`` text field when no ``ts`` is given: Moscow time, UTC+3 (an assumption)."""

_MAX_NAME_IN_ERROR = 40


# --------------------------------------------------------------------------- signature


def _secret_values(secrets: SecretStr | str | Sequence[SecretStr | str] | None) -> tuple[str, ...]:
    items: Sequence[object]
    if secrets is None:
        items = ()
    elif isinstance(secrets, (str, SecretStr)):
        items = (secrets,)
    else:
        items = tuple(secrets)
    values = []
    for item in items:
        value = item.get_secret_value() if isinstance(item, SecretStr) else item
        if not isinstance(value, str):
            raise ConfigurationError("a callback secret must be a str or a SecretStr")
        if not value:
            raise ConfigurationError("a callback secret is empty")
        values.append(value)
    if not values:
        raise ConfigurationError("no callback secret given to check the signature with")
    return tuple(values)


def _algorithm_names(algorithms: str | Sequence[str]) -> tuple[str, ...]:
    names = (algorithms,) if isinstance(algorithms, str) else tuple(algorithms)
    if not names:
        raise ConfigurationError("no signature algorithm given")
    for name in names:
        # shake_* digests need a length and have no fixed hex form: not usable here.
        if name not in hashlib.algorithms_guaranteed or name.startswith("shake_"):
            raise ConfigurationError(f"unsupported signature algorithm {name!r}")
    return names


@functools.lru_cache(maxsize=16)
def _placeholders(signature_format: str) -> tuple[str, ...]:
    """The field names a signature format refers to; checks that it uses the secret."""
    try:
        parsed = list(string.Formatter().parse(signature_format))
    except ValueError as exc:
        raise ConfigurationError(f"invalid callback signature format: {exc}") from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConfigurationError(
                "a callback signature format may hold only plain {field} placeholders"
            )
        names.append(name)
    if "secret" not in names:
        raise ConfigurationError("a callback signature format must contain {secret}")
    return tuple(names)


def _signed_text(fields: Mapping[str, str], signature_format: str, secret: str) -> str:
    values: dict[str, str] = {"secret": secret}
    for name in _placeholders(signature_format):
        if name == "secret":
            continue
        raw = fields.get(name)
        if not isinstance(raw, str):
            raise MalformedCallbackError(
                f"callback field {shown(name)} is missing (the signature covers it)", field=name
            )
        values[name] = raw
    return signature_format.format_map(values)


def _digest(algorithm: str, text: str) -> str:
    return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()


def compute_signature(
    fields: Mapping[str, str],
    secret: SecretStr | str,
    *,
    algorithm: str = "md5",
    signature_format: str = DEFAULT_SIGNATURE_FORMAT,
) -> str:
    """The lowercase hex signature the service is reported to send for these fields.

    Useful to sign test callbacks. The signed text is ``signature_format`` filled with the raw
    field values and the secret, encoded as UTF-8.

    Raises:
        ConfigurationError: the secret is empty, or the algorithm or format is unusable.
        MalformedCallbackError: a field the format refers to is missing.
    """
    (value,) = _secret_values(secret)
    (name,) = _algorithm_names(algorithm)
    return _digest(name, _signed_text(fields, signature_format, value))


def verify_signature(
    fields: Mapping[str, str],
    secrets: SecretStr | str | Sequence[SecretStr | str],
    *,
    algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
    signature_format: str = DEFAULT_SIGNATURE_FORMAT,
) -> None:
    """Check a callback's signature; return quietly when it is genuine.

    The callback is accepted when the field of *any* algorithm in ``algorithms`` (``md5``,
    ``sha1``) holds the digest made with *any* of ``secrets``: list the old and the new secret
    while you rotate it. Hex digits are compared case-insensitively and in constant time.

    Raises:
        CallbackSignatureError: no signature field, or no signature matches.
        MalformedCallbackError: a field the signature covers (``id``, ``phone``, ``status``)
            is missing.
        ConfigurationError: no usable secret, algorithm or format was given.
    """
    values = _secret_values(secrets)
    names = _algorithm_names(algorithms)
    _placeholders(signature_format)
    _check_text_values(fields)
    given = {name: fields[name] for name in names if fields.get(name, "").strip()}
    if not given:
        expected = " or ".join(repr(name) for name in names)
        raise CallbackSignatureError(f"callback carries no signature (expected a {expected} field)")
    texts = [_signed_text(fields, signature_format, value) for value in values]
    matched = False
    for name, signature in given.items():
        received = signature.strip().lower().encode("utf-8", "replace")
        for text in texts:
            # Every pair is compared: the time taken does not tell which secret matched.
            matched |= hmac.compare_digest(_digest(name, text).encode("ascii"), received)
    if not matched:
        checked = ", ".join(sorted(given))
        raise CallbackSignatureError(
            f"callback signature does not match any configured secret (checked {checked})"
        )


# --------------------------------------------------------------------------- parsing


def _zone(tz: tzinfo | str) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(f"unknown time zone {tz[:_MAX_NAME_IN_ERROR]!r}") from None


def _check_text_values(fields: Mapping[str, str]) -> None:
    # A framework's form can hold uploaded files; a callback is plain text only.
    for name, value in fields.items():
        if not isinstance(name, str):
            raise MalformedCallbackError("callback field names must be text")
        if not isinstance(value, str):
            raise MalformedCallbackError(f"callback field {shown(name)} is not text", field=name)


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
    _check_text_values(fields)
    zone = _zone(tz)
    names = _algorithm_names(algorithms)
    check_max_age(max_age)
    if secrets is None and require_signature:
        raise ConfigurationError(
            "a callback secret is needed to check signatures; "
            "pass require_signature=False to accept unsigned callbacks"
        )
    signed: frozenset[str] = frozenset()
    try:
        if secrets is not None and (require_signature or any(fields.get(n) for n in names)):
            verify_signature(fields, secrets, algorithms=names, signature_format=signature_format)
            signed = frozenset(_placeholders(signature_format)) - {"secret"}
        callback = _build(fields, zone, {*names, *DEFAULT_ALGORITHMS}, signed)
        if max_age is not None:
            check_fresh(callback.time, max_age=max_age, clock=clock)
    except CallbackError as exc:
        logger.debug("callback refused: %s", exc)
        raise
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
