"""Signature checks of delivery callbacks: algorithms, key rotation, tampering, error texts."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import SecretStr

from smsc import CallbackSignatureError, ConfigurationError, MalformedCallbackError
from smsc.callbacks import compute_signature, parse_callback, verify_signature

SECRET = "s3cr3t-callback-key"
OLD_SECRET = "old-callback-key"
PHONE = "79991234567"


def unsigned(**changes: str) -> dict[str, str]:
    fields = {"id": "182", "phone": PHONE, "status": "1", "err": "0", "ts": "1629048442"}
    fields.update(changes)
    return fields


def digest(algorithm: str, text: str) -> str:
    """The signature computed here by hand, independently of the SDK's code."""
    return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()


def signed(secret: str = SECRET, *, algorithms: tuple[str, ...] = ("md5",)) -> dict[str, str]:
    fields = unsigned()
    text = f"{fields['id']}:{fields['phone']}:{fields['status']}:{secret}"
    for algorithm in algorithms:
        fields[algorithm] = digest(algorithm, text)
    return fields


@pytest.mark.parametrize("algorithm", ["md5", "sha1"])
def test_compute_signature_is_hex_digest_of_id_phone_status_secret(algorithm: str) -> None:
    expected = digest(algorithm, f"182:{PHONE}:1:{SECRET}")

    assert compute_signature(unsigned(), SECRET, algorithm=algorithm) == expected


def test_md5_signature_is_accepted() -> None:
    callback = parse_callback(signed(algorithms=("md5",)), secrets=SECRET)

    assert callback.id == 182


def test_sha1_signature_is_accepted() -> None:
    callback = parse_callback(signed(algorithms=("sha1",)), secrets=SECRET)

    assert callback.id == 182


def test_both_signatures_are_accepted() -> None:
    verify_signature(signed(algorithms=("md5", "sha1")), SECRET)


def test_upper_case_hex_signature_is_accepted() -> None:
    fields = signed()
    fields["md5"] = fields["md5"].upper()

    verify_signature(fields, SECRET)


def test_secret_str_is_accepted() -> None:
    verify_signature(signed(), SecretStr(SECRET))


@pytest.mark.parametrize("signing_secret", [OLD_SECRET, SECRET])
def test_any_of_the_rotated_secrets_is_accepted(signing_secret: str) -> None:
    verify_signature(signed(signing_secret), [SecretStr(OLD_SECRET), SECRET])


def test_wrong_secret_is_refused() -> None:
    with pytest.raises(CallbackSignatureError, match="does not match"):
        verify_signature(signed("another-secret"), SECRET)


@pytest.mark.parametrize(
    ("field", "value"), [("status", "20"), ("phone", "79990000000"), ("id", "183")]
)
def test_tampered_signed_field_is_refused(field: str, value: str) -> None:
    fields = signed()
    fields[field] = value

    with pytest.raises(CallbackSignatureError):
        parse_callback(fields, secrets=SECRET)


def test_one_matching_algorithm_is_enough_when_the_other_is_wrong() -> None:
    fields = signed(algorithms=("md5", "sha1"))
    fields["md5"] = "0" * 32

    verify_signature(fields, SECRET)


def test_missing_signature_is_refused() -> None:
    with pytest.raises(CallbackSignatureError, match="no signature"):
        parse_callback(unsigned(), secrets=SECRET)


def test_empty_signature_fields_count_as_missing() -> None:
    with pytest.raises(CallbackSignatureError, match="no signature"):
        verify_signature(unsigned(md5="", sha1=" "), SECRET)


def test_signature_of_an_unchecked_algorithm_counts_as_missing() -> None:
    with pytest.raises(CallbackSignatureError, match="no signature"):
        verify_signature(signed(algorithms=("md5",)), SECRET, algorithms=("sha1",))


def test_non_ascii_signature_is_refused_without_crashing() -> None:
    with pytest.raises(CallbackSignatureError):
        verify_signature(unsigned(md5="подпись"), SECRET)


def test_unsigned_callback_missing_status_is_refused_as_unsigned() -> None:
    fields = unsigned()
    del fields["status"]

    with pytest.raises(CallbackSignatureError):
        parse_callback(fields, secrets=SECRET)


def test_signed_callback_missing_a_signed_field_is_malformed() -> None:
    fields = signed()
    del fields["phone"]

    with pytest.raises(MalformedCallbackError) as caught:
        parse_callback(fields, secrets=SECRET)

    assert caught.value.field == "phone"


def test_unsigned_callback_is_accepted_when_signature_not_required() -> None:
    callback = parse_callback(unsigned(), secrets=SECRET, require_signature=False)

    assert callback.status == 1


def test_wrong_signature_is_refused_even_when_not_required() -> None:
    fields = signed("another-secret")

    with pytest.raises(CallbackSignatureError):
        parse_callback(fields, secrets=SECRET, require_signature=False)


def test_no_secret_without_required_signature_skips_the_check() -> None:
    callback = parse_callback(signed("anything"), secrets=None, require_signature=False)

    assert callback.phone == PHONE


def test_no_secret_with_required_signature_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="require_signature=False"):
        parse_callback(signed(), secrets=None)


def test_custom_signature_format_is_used() -> None:
    layout = "{id}:{phone}:{status}:{err}:{secret}"
    fields = unsigned()
    fields["sha1"] = digest("sha1", f"182:{PHONE}:1:0:{SECRET}")

    verify_signature(fields, SECRET, signature_format=layout)


@pytest.mark.parametrize(
    "layout", ["{id}:{phone}:{status}", "{id.real}:{secret}", "{id!r}:{secret}"]
)
def test_unsafe_signature_format_is_a_configuration_error(layout: str) -> None:
    with pytest.raises(ConfigurationError):
        verify_signature(signed(), SECRET, signature_format=layout)


@pytest.mark.parametrize("algorithms", [(), ("crc32",), ("shake_128",)])
def test_unusable_algorithms_are_a_configuration_error(algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ConfigurationError):
        verify_signature(signed(), SECRET, algorithms=algorithms)


@pytest.mark.parametrize("secrets", [[], "", [SECRET, SecretStr("")]])
def test_empty_secrets_are_a_configuration_error(secrets: str | list[str | SecretStr]) -> None:
    with pytest.raises(ConfigurationError):
        verify_signature(signed(), secrets)


def test_signature_error_text_holds_no_secret_signature_or_phone() -> None:
    fields = signed(OLD_SECRET, algorithms=("md5", "sha1"))
    fields["status"] = "20"

    with pytest.raises(CallbackSignatureError) as caught:
        parse_callback(fields, secrets=[SECRET, SecretStr(OLD_SECRET)])

    text = f"{caught.value} {caught.value!r}"
    for private in (SECRET, OLD_SECRET, fields["md5"], fields["sha1"], PHONE):
        assert private not in text


def test_malformed_error_text_holds_no_secret_or_phone() -> None:
    fields = signed()
    fields["ts"] = "yesterday"

    with pytest.raises(MalformedCallbackError) as caught:
        parse_callback(fields, secrets=SECRET)

    assert SECRET not in str(caught.value)
    assert PHONE not in str(caught.value)


def test_configuration_error_text_holds_no_secret() -> None:
    with pytest.raises(ConfigurationError) as caught:
        verify_signature(signed(), SECRET, signature_format="{id}:{phone}:" + SECRET)

    assert SECRET not in str(caught.value)


signed_values = st.text(min_size=1, max_size=30)


@given(message_id=signed_values, phone=signed_values, status=signed_values, secret=signed_values)
def test_any_hand_signed_callback_verifies(
    message_id: str, phone: str, status: str, secret: str
) -> None:
    fields = {"id": message_id, "phone": phone, "status": status}
    fields["sha1"] = digest("sha1", f"{message_id}:{phone}:{status}:{secret}")

    verify_signature(fields, secret)


@given(status=st.integers(-3, 255), forged=st.integers(-3, 255), secret=signed_values)
def test_any_changed_status_fails_verification(status: int, forged: int, secret: str) -> None:
    assume(forged != status)
    fields = {"id": "7", "phone": PHONE, "status": str(status)}
    fields["md5"] = digest("md5", f"7:{PHONE}:{status}:{secret}")
    fields["status"] = str(forged)

    with pytest.raises(CallbackSignatureError):
        verify_signature(fields, secret)
