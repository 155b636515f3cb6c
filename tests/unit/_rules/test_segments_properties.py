"""Property tests: segment splitting and maxsms truncation hold for any text."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from smsc._rules.segments import GSM7_BASIC, GSM7_EXTENSION, Encoding, segments, truncate_to_parts

from ...properties import examples

_GSM = sorted(GSM7_BASIC)
_EXT = sorted(GSM7_EXTENSION)
_OTHER = ["ж", "Я", "ç", "`", "\u00a0", "\U0001f600", "\U0001f44d", "中"]

gsm_texts = st.text(alphabet=st.sampled_from(_GSM + _EXT), max_size=1100)
any_texts = st.one_of(
    gsm_texts,
    st.text(alphabet=st.sampled_from(_GSM + _EXT + _OTHER), max_size=1100),
    st.text(max_size=400),
)
maxsms_values = st.integers(min_value=1, max_value=8)


def _units(text: str, encoding: Encoding) -> int:
    """Independent count: septets for GSM-7, UTF-16 code units for UCS-2."""
    if encoding is Encoding.GSM7:
        return sum(2 if char in GSM7_EXTENSION else 1 for char in text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@settings(max_examples=examples(200))
@given(any_texts)
def test_every_part_fits_its_part_size(text: str) -> None:
    info = segments(text)
    assert all(_units(part, info.encoding) <= info.part_size for part in info.part_texts)


@settings(max_examples=examples(200))
@given(any_texts)
def test_parts_reassemble_to_the_text(text: str) -> None:
    info = segments(text)
    assert ("".join(info.part_texts), len(info.part_texts)) == (text, info.parts)


@settings(max_examples=examples(200))
@given(any_texts)
def test_units_match_an_independent_count(text: str) -> None:
    info = segments(text)
    assert info.units == _units(text, info.encoding)


@settings(max_examples=examples(200))
@given(any_texts)
def test_encoding_is_gsm7_exactly_when_every_char_is_in_the_tables(text: str) -> None:
    all_gsm = all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)
    assert (segments(text).encoding is Encoding.GSM7) is all_gsm


@settings(max_examples=examples(200))
@given(any_texts)
def test_single_part_exactly_when_units_fit_one_sms(text: str) -> None:
    info = segments(text)
    single = 160 if info.encoding is Encoding.GSM7 else 70
    assert (info.parts == 1) is (info.units <= single)


@settings(max_examples=examples(200))
@given(any_texts)
def test_remaining_is_the_free_space_of_the_last_part(text: str) -> None:
    info = segments(text)
    assert info.remaining == info.part_size - _units(info.part_texts[-1], info.encoding) >= 0


@settings(max_examples=examples(200))
@given(any_texts)
def test_every_part_but_the_last_is_filled_as_far_as_possible(text: str) -> None:
    info = segments(text)
    for part, following in pairwise(info.part_texts):
        assert _units(part + following[0], info.encoding) > info.part_size


@settings(max_examples=examples(300))
@given(any_texts, maxsms_values)
def test_truncation_fits_the_part_cap(text: str, maxsms: int) -> None:
    assert segments(truncate_to_parts(text, maxsms)).parts <= maxsms


@settings(max_examples=examples(300))
@given(any_texts, maxsms_values)
def test_truncation_is_a_prefix_of_the_text(text: str, maxsms: int) -> None:
    assert text.startswith(truncate_to_parts(text, maxsms))


@settings(max_examples=examples(300))
@given(any_texts, maxsms_values)
def test_truncation_is_maximal(text: str, maxsms: int) -> None:
    kept = truncate_to_parts(text, maxsms)
    if kept != text:
        assert segments(text[: len(kept) + 1]).parts > maxsms
    else:
        assert segments(text).parts <= maxsms
