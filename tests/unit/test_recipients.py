"""Recipient and message rules: phones, e-mail/Telegram recipients, sender, id and text."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from smsc import MessageFormat, RequestValidationError
from smsc._rules.recipients import (
    MAX_MESSAGE_LENGTH,
    parse_phones,
    validate_message,
    validate_message_id,
    validate_sender,
)

from .validation import field_refused

# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        pytest.param("79991234567", ("79991234567",), id="plain"),
        pytest.param("+79991234567", ("+79991234567",), id="plus-kept"),
        pytest.param("89991234567", ("89991234567",), id="leading-8-not-rewritten"),
        pytest.param("+7 (999) 123-45-67", ("+79991234567",), id="layout-removed"),
        pytest.param(
            "79991234567, +79991234568; 89991234569",
            ("79991234567", "+79991234568", "89991234569"),
            id="comma-and-semicolon",
        ),
        pytest.param("79991234567,,79991234568,", ("79991234567", "79991234568"), id="empties"),
        pytest.param("G123", ("G123",), id="group"),
        pytest.param("G5, 79991234567", ("G5", "79991234567"), id="group-and-number"),
        pytest.param(
            ["79991234567", "+1 (202) 555-0100"], ("79991234567", "+12025550100"), id="list"
        ),
        pytest.param(
            ("79991234567;79991234568",), ("79991234567", "79991234568"), id="tuple-split"
        ),
        pytest.param("79991234567,79991234567", ("79991234567", "79991234567"), id="repeats-kept"),
        pytest.param("1234567", ("1234567",), id="seven-digits"),
        pytest.param("123456789012345", ("123456789012345",), id="fifteen-digits"),
        pytest.param("7\u00a0999\t123 45 67", ("79991234567",), id="other-spaces"),
    ],
)
def test_parse_phones_accepts_number_forms(
    phones: str | Sequence[str], expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones) == expected


@pytest.mark.parametrize(
    "phones",
    [
        pytest.param("", id="empty"),
        pytest.param(" , ; ", id="only-separators"),
        pytest.param([], id="empty-list"),
        pytest.param("123456", id="too-short"),
        pytest.param("1234567890123456", id="too-long"),
        pytest.param("7999abc4567", id="letters"),
        pytest.param("++79991234567", id="double-plus"),
        pytest.param("7999+1234567", id="inner-plus"),
        pytest.param("7.999.123.45.67", id="dots"),
        pytest.param("G", id="group-without-id"),
        pytest.param("g123", id="lowercase-group"),
        pytest.param("Gabc", id="group-with-letters"),
        pytest.param("someone@example.com", id="email-for-sms"),
        pytest.param("@nickname", id="nickname-for-sms"),
    ],
)
def test_parse_phones_refuses_what_cannot_be_a_number(phones: str | Sequence[str]) -> None:
    assert field_refused(lambda: parse_phones(phones)) == "phones"


def test_parse_phones_error_masks_the_offending_number() -> None:
    with pytest.raises(RequestValidationError) as caught:
        parse_phones("79991234567, 79991234xyz")
    assert "79991234xyz" not in str(caught.value)
    assert "item 2" in str(caught.value)


@pytest.mark.parametrize("phones", [12345678901, [79991234567], None])
def test_parse_phones_refuses_non_strings(phones: object) -> None:
    assert field_refused(lambda: parse_phones(phones)) == "phones"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        ("a@example.com", ("a@example.com",)),
        ("a@example.com, b.c+d@mail.example.org", ("a@example.com", "b.c+d@mail.example.org")),
    ],
)
def test_parse_phones_accepts_email_addresses_for_mail(
    phones: str, expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones, format=MessageFormat.MAIL) == expected


@pytest.mark.parametrize(
    "phones", ["79991234567", "a@localhost", "a b@example.com", "@example.com"]
)
def test_parse_phones_refuses_non_addresses_for_mail(phones: str) -> None:
    assert field_refused(lambda: parse_phones(phones, format=MessageFormat.MAIL)) == "phones"


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        ("durov", ("durov",)),
        ("@some_user", ("@some_user",)),
        ("#123456789", ("#123456789",)),
        ("+7 999 123 45 67, #42", ("+79991234567", "#42")),
    ],
)
def test_parse_phones_accepts_nicknames_and_ids_for_telegram(
    phones: str, expected: tuple[str, ...]
) -> None:
    assert parse_phones(phones, format=MessageFormat.TELEGRAM) == expected


@pytest.mark.parametrize("phones", ["#", "#12a", "1nick", "bad nick", "x" * 33])
def test_parse_phones_refuses_bad_telegram_recipients(phones: str) -> None:
    assert field_refused(lambda: parse_phones(phones, format=MessageFormat.TELEGRAM)) == "phones"


# --------------------------------------------------------------------------- sender


@pytest.mark.parametrize(
    "sender",
    [
        "",
        ".",
        "SMSC.RU",
        "My Shop",
        "ABCDEFGHIJK",
        "Shop-24!",
        "79991234567",
        "123456789012345",
        "+79991234567",
    ],
)
def test_validate_sender_accepts_valid_names_and_numbers(sender: str) -> None:
    assert validate_sender(sender) == sender


@pytest.mark.parametrize(
    "sender",
    [
        pytest.param("ABCDEFGHIJKL", id="12-chars"),
        pytest.param("1234567890123456", id="16-digits"),
        pytest.param("Магазин", id="cyrillic"),
        pytest.param("   ", id="only-spaces"),
        pytest.param("--", id="only-punctuation"),
        pytest.param("Shop\n", id="newline"),
    ],
)
def test_validate_sender_refuses_invalid_names(sender: str) -> None:
    assert field_refused(lambda: validate_sender(sender)) == "sender"


def test_validate_sender_accepts_an_email_for_mail() -> None:
    assert validate_sender("news@example.com", format=MessageFormat.MAIL) == "news@example.com"


def test_validate_sender_refuses_a_name_for_mail() -> None:
    assert field_refused(lambda: validate_sender("MyShop", format=MessageFormat.MAIL)) == "sender"


def test_validate_sender_refuses_non_string() -> None:
    assert field_refused(lambda: validate_sender(123)) == "sender"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- id


@pytest.mark.parametrize(
    "value", [1, 2_147_483_647, "order-42", "a.b_c-D9", "x" * 40, "007", "2147483648"]
)
def test_validate_message_id_accepts_and_keeps_valid_ids(value: int | str) -> None:
    result = validate_message_id(value)
    assert (result, type(result)) == (value, type(value))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(0, id="zero"),
        pytest.param(-5, id="negative"),
        pytest.param(2_147_483_648, id="above-int32"),
        pytest.param(True, id="bool"),
        pytest.param("", id="empty-string"),
        pytest.param("x" * 41, id="41-chars"),
        pytest.param("order 42", id="space"),
        pytest.param("заказ", id="cyrillic"),
        pytest.param(1.5, id="float"),
    ],
)
def test_validate_message_id_refuses_invalid_ids(value: int | str) -> None:
    assert field_refused(lambda: validate_message_id(value)) == "id"


@pytest.mark.parametrize("value", ["-5", "-1", "-order", "-"])
def test_validate_message_id_refuses_a_string_with_a_leading_minus(value: str) -> None:
    # "-5,..." in an answer's first field reads as error 5 to every official library.
    assert field_refused(lambda: validate_message_id(value)) == "id"


# --------------------------------------------------------------------------- message


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("Hello", MessageFormat.SMS),
        ("x" * MAX_MESSAGE_LENGTH, MessageFormat.SMS),
        ("", MessageFormat.HLR),
        ("", MessageFormat.PING),
        ("x" * 5000, MessageFormat.MAIL),
    ],
)
def test_validate_message_accepts_valid_texts(text: str, format: MessageFormat) -> None:
    assert validate_message(text, format=format) == text


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("", MessageFormat.SMS),
        ("", MessageFormat.VIBER),
        ("x" * (MAX_MESSAGE_LENGTH + 1), MessageFormat.SMS),
        ("x" * (MAX_MESSAGE_LENGTH + 1), MessageFormat.FLASH),
    ],
)
def test_validate_message_refuses_empty_or_too_long_texts(text: str, format: MessageFormat) -> None:
    assert field_refused(lambda: validate_message(text, format=format)) == "message"


def test_validate_message_error_does_not_echo_the_text() -> None:
    text = "secret " * 200
    with pytest.raises(RequestValidationError) as caught:
        validate_message(text)
    assert "secret" not in str(caught.value)
