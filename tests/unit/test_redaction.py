"""Text an answer echoes back loses the account's secrets, in every form an echo may show."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from smsc import AsyncSMSCClient, ParametersError
from smsc._secrets import REDACTED, form_encode, redact, secret_forms

from .conftest import BALANCE_URL, LOGIN, json_response

PASSWORD = "p@ss wörd/+%"


def test_secret_forms_cover_plain_url_encoded_lower_hex_and_json_escaped() -> None:
    forms = secret_forms(PASSWORD, "")
    assert PASSWORD in forms
    assert quote_plus(PASSWORD, safe="") in forms
    assert "p%40ss%20w%c3%b6rd%2f%2b%25" in forms
    assert "p@ss w\\u00f6rd/+%" in forms
    assert "" not in forms
    assert redact(f"psw={quote_plus(PASSWORD)}&x=1", forms) == f"psw={REDACTED}&x=1"


async def test_an_error_description_echoing_the_password_is_redacted(
    wire: respx.MockRouter,
) -> None:
    echoed = f"bad request login={LOGIN}&psw={quote_plus(PASSWORD)}"
    wire.post(BALANCE_URL).mock(return_value=json_response({"error": echoed, "error_code": 1}))
    async with AsyncSMSCClient(login=LOGIN, password=PASSWORD, failover=False) as client:
        with pytest.raises(ParametersError) as info:
            await client.balance()
    error = info.value
    for text in (str(error), repr(error), error.description):
        assert quote_plus(PASSWORD) not in text
        assert REDACTED in text


# Text without lone surrogates (the service's encoders refuse those before this point).
_FORM_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@given(st.dictionaries(_FORM_TEXT, _FORM_TEXT, max_size=6))
def test_form_encoding_writes_exactly_what_urlencode_writes(fields: dict[str, str]) -> None:
    assert form_encode(fields) == urlencode(fields)


@pytest.mark.parametrize(
    ("secret", "text", "shown"),
    [
        ("p", "expected a number", "expected a number"),
        ("p", "psw=p&fmt=3", f"psw={REDACTED}&fmt=3"),
        ("p", 'password "p" is wrong', f'password "{REDACTED}" is wrong'),
        ("p", "p", REDACTED),
        ("p", "p, then p.", f"{REDACTED}, then {REDACTED}."),
        ("e1", "error e1: see e10 and ae1", f"error {REDACTED}: see e10 and ae1"),
        (".*", "a.*b and .* alone", f"a{REDACTED}b and {REDACTED} alone"),
        ("a b", "psw=a+b&x=a%20b", f"psw={REDACTED}&x={REDACTED}"),
        ("ö", "psw=%C3%B6 and Köln", f"psw={REDACTED} and Köln"),
        ("\\", 'json "\\\\" here', f'json "{REDACTED}" here'),
        ("[redacted]", "[redacted]", REDACTED),
    ],
)
def test_a_short_secret_is_redacted_where_it_stands_alone_not_inside_other_words(
    secret: str, text: str, shown: str
) -> None:
    assert redact(text, secret_forms(secret)) == shown


@given(
    secret=st.text(min_size=1, max_size=7),
    before=st.sampled_from(["psw=", '"', " ", "", "(", "\n"]),
    after=st.sampled_from(["&", '"', " ", "", ")", "\n"]),
)
def test_a_short_secret_standing_as_a_value_never_survives_redaction(
    secret: str, before: str, after: str
) -> None:
    for form in secret_forms(secret):
        shown = redact(f"{before}{form}{after}", secret_forms(secret))
        assert shown == f"{before}{REDACTED}{after}"


def test_a_long_secret_is_redacted_even_inside_a_word() -> None:
    assert redact("xxhunter2secretxx", secret_forms("hunter2secret")) == f"xx{REDACTED}xx"
