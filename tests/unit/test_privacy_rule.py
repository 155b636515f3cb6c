"""The one privacy rule (``smsc._privacy``) and the places that must use it."""

from __future__ import annotations

import logging

import pytest

from smsc._privacy import REDACTED, mask_phone, mask_phones, mask_text
from smsc.callbacks import parse_callback
from smsc.cli._exits import redacted_traceback


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("79991234567", "7999***4567"),
        ("+79991234567", "+799***4567"),
        ("12345678", "12***78"),
        ("1234567", "***"),
        ("", "***"),
    ],
)
def test_mask_phone_hides_the_middle_and_short_inputs_entirely(phone: str, expected: str) -> None:
    assert mask_phone(phone) == expected


def test_mask_text_shows_only_the_length() -> None:
    assert mask_text("secret code 1234") == "<16 chars>"


def test_mask_phones_masks_each_recipient() -> None:
    assert mask_phones(["79991234567", "1234567"]) == "7999***4567,***"


def test_callback_debug_log_masks_the_phone_by_the_one_rule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="smsc.callbacks"):
        parse_callback(
            {"id": "1", "phone": "79991234567", "status": "1"},
            secrets=None,
            require_signature=False,
        )
    assert "phone=7999***4567 " in caplog.text


def test_cli_tracebacks_redact_secrets_with_the_one_marker() -> None:
    try:
        raise RuntimeError("login failed for p@ss word")
    except RuntimeError as exc:
        text = redacted_traceback(exc, ["p@ss word"])
    assert "p@ss" not in text
    assert f"login failed for {REDACTED}" in text
