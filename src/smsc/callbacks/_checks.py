"""The checks every callback parser of :mod:`smsc.callbacks` runs: the signature recipe, the
options, the freshness."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import string
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr

from .._errors import (
    CallbackError,
    CallbackSignatureError,
    ConfigurationError,
    MalformedCallbackError,
)
from .._models.callbacks import DeliveryStatusCallback, IncomingMessageCallback
from .._wire.callback_fields import DEFAULT_ALGORITHMS, DEFAULT_SIGNATURE_FORMAT, shown
from ._replay import check_fresh, check_max_age

__all__ = ["checked", "compute_signature", "verify_signature"]

logger = logging.getLogger("smsc.callbacks")

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
        # A lone surrogate (from a decoder with surrogateescape, or a hostile test client)
        # cannot be signed or stored as UTF-8: refused here, not as a UnicodeEncodeError.
        if not _is_unicode_text(name):
            raise MalformedCallbackError("callback field names must be valid Unicode text")
        if not _is_unicode_text(value):
            raise MalformedCallbackError(
                f"callback field {shown(name)} is not valid Unicode text", field=name
            )


def _is_unicode_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_M = TypeVar("_M", DeliveryStatusCallback, IncomingMessageCallback)


def checked(
    fields: Mapping[str, str],
    build: Callable[[tzinfo, frozenset[str], frozenset[str] | None], _M],
    *,
    secrets: SecretStr | str | Sequence[SecretStr | str] | None,
    algorithms: Sequence[str],
    require_signature: bool,
    signature_format: str,
    tz: tzinfo | str,
    max_age: timedelta | None,
    clock: Callable[[], datetime],
    kind: str,
) -> _M:
    """The steps of every callback parser: check the options, the signature (when required
    or present), build the model, check its freshness; a refusal is logged at DEBUG.

    ``build`` gets the zone, the signature fields' names and the names the checked signature
    covers (``None`` when no signature was checked).
    """
    _check_text_values(fields)
    zone = _zone(tz)
    names: tuple[str, ...] = _algorithm_names(algorithms)
    check_max_age(max_age)
    if secrets is None and require_signature:
        raise ConfigurationError(
            "a callback secret is needed to check signatures; "
            "pass require_signature=False to accept unsigned callbacks"
        )
    signed: frozenset[str] | None = None
    try:
        if secrets is not None and (require_signature or any(fields.get(n) for n in names)):
            verify_signature(fields, secrets, algorithms=names, signature_format=signature_format)
            signed = frozenset(_placeholders(signature_format)) - {"secret"}
        model = build(zone, frozenset({*names, *DEFAULT_ALGORITHMS}), signed)
        if max_age is not None:
            check_fresh(model.time, max_age=max_age, clock=clock)
    except CallbackError as exc:
        logger.debug("%s refused: %s", kind, exc)
        raise
    return model
