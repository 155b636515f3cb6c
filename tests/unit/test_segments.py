"""Segments: encodings, part counting, truncation, comment stripping and the preview."""

from __future__ import annotations

import pytest

from smsc import Translit
from smsc._rules.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Encoding,
    is_gsm7,
    preview_segments,
    segments,
    strip_comment,
    truncate_to_parts,
)

from .validation import field_refused

CYR = "ж"
EMOJI = "\U0001f600"


@pytest.mark.parametrize(
    ("text", "encoding", "parts", "units", "part_size", "remaining"),
    [
        pytest.param("", Encoding.GSM7, 1, 0, 160, 160, id="empty-is-one-part"),
        pytest.param("a" * 160, Encoding.GSM7, 1, 160, 160, 0, id="160-plain-one-part"),
        pytest.param("a" * 161, Encoding.GSM7, 2, 161, 153, 145, id="161-plain-two-parts"),
        pytest.param("a" * 306, Encoding.GSM7, 2, 306, 153, 0, id="306-plain-two-parts"),
        pytest.param("a" * 307, Encoding.GSM7, 3, 307, 153, 152, id="307-plain-three-parts"),
        pytest.param("€", Encoding.GSM7, 1, 2, 160, 158, id="euro-two-septets"),
        pytest.param("[", Encoding.GSM7, 1, 2, 160, 158, id="bracket-two-septets"),
        pytest.param("\f", Encoding.GSM7, 1, 2, 160, 158, id="form-feed-two-septets"),
        pytest.param("a" * 158 + "€", Encoding.GSM7, 1, 160, 160, 0, id="euro-fills-one-part"),
        pytest.param("a" * 159 + "€", Encoding.GSM7, 2, 161, 153, 145, id="euro-overflows"),
        pytest.param("Ünïcode", Encoding.UCS2, 1, 7, 70, 63, id="non-gsm-accent-is-ucs2"),
        pytest.param("a" * 100 + CYR, Encoding.UCS2, 2, 101, 67, 33, id="one-cyrillic-70-67"),
        pytest.param(CYR * 70, Encoding.UCS2, 1, 70, 70, 0, id="70-cyrillic-one-part"),
        pytest.param(CYR * 71, Encoding.UCS2, 2, 71, 67, 63, id="71-cyrillic-two-parts"),
        pytest.param(CYR * 134, Encoding.UCS2, 2, 134, 67, 0, id="134-cyrillic-two-parts"),
        pytest.param(CYR * 135, Encoding.UCS2, 3, 135, 67, 66, id="135-cyrillic-three-parts"),
        pytest.param("Hi " + EMOJI, Encoding.UCS2, 1, 5, 70, 65, id="emoji-switches-to-ucs2"),
        pytest.param(EMOJI * 35, Encoding.UCS2, 1, 70, 70, 0, id="35-emoji-fill-one-part"),
        pytest.param("€" * 80, Encoding.GSM7, 1, 160, 160, 0, id="80-euros-one-part"),
    ],
)
def test_segments_counts_published_examples(
    text: str, encoding: Encoding, parts: int, units: int, part_size: int, remaining: int
) -> None:
    info = segments(text)
    assert (info.encoding, info.parts, info.units, info.part_size, info.remaining) == (
        encoding,
        parts,
        units,
        part_size,
        remaining,
    )


def test_gsm_basic_table_has_127_characters_and_extension_table_10() -> None:
    assert (len(GSM7_BASIC), len(GSM7_EXTENSION)) == (127, 10)


def test_gsm_tables_do_not_overlap() -> None:
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_every_extension_character_counts_two_septets(char: str) -> None:
    assert segments("a" + char).units == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world! @£$¥", True),
        ("{braces} and [brackets] ~ | ^ € \\", True),
        ("ΔΦΓΛΩΠΨΣΘΞ", True),
        ("ç", False),
        ("Привет", False),
        ("`backtick`", False),
        (EMOJI, False),
        ("", True),
    ],
)
def test_is_gsm7_accepts_only_the_gsm_tables(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


def test_extension_char_at_position_153_moves_to_the_second_part() -> None:
    text = "a" * 152 + "€" + "a" * 10
    info = segments(text)
    assert info.part_texts == ("a" * 152, "€" + "a" * 10)


def test_extension_char_kept_whole_can_cost_an_extra_part() -> None:
    # 306 septets would fit two parts of 153 if the ESC pair could be cut; it cannot.
    info = segments("a" * 152 + "€" + "a" * 152)
    assert (info.units, info.parts, info.remaining) == (306, 3, 152)


def test_extension_char_ending_first_part_exactly_keeps_two_parts() -> None:
    info = segments("a" * 151 + "€" + "a" * 153)
    assert (info.parts, info.part_texts[0]) == (2, "a" * 151 + "€")


def test_surrogate_pair_at_part_boundary_moves_to_the_next_part() -> None:
    text = CYR * 66 + EMOJI + CYR * 10
    info = segments(text)
    assert info.part_texts == (CYR * 66, EMOJI + CYR * 10)


def test_single_part_keeps_the_whole_text() -> None:
    assert segments("short").part_texts == ("short",)


def test_segments_counts_a_comment_tail_as_given() -> None:
    text = "a" * 150 + "\n~~~\n" + "note" * 5
    assert segments(text).parts == 2


@pytest.mark.parametrize(
    ("text", "maxsms", "expected"),
    [
        pytest.param("a" * 200, 1, "a" * 160, id="one-part-is-160"),
        pytest.param("a" * 400, 2, "a" * 306, id="two-parts-is-306"),
        pytest.param(CYR * 100, 1, CYR * 70, id="one-cyrillic-part-is-70"),
        pytest.param(CYR * 200, 2, CYR * 134, id="two-cyrillic-parts-is-134"),
        pytest.param("a" * 10, 1, "a" * 10, id="short-text-unchanged"),
        pytest.param("a" * 159 + "€", 1, "a" * 159, id="extension-char-not-half-kept"),
        pytest.param("a" * 165 + CYR, 1, "a" * 160, id="cut-before-cyrillic-returns-to-gsm"),
        pytest.param("a" * 60 + CYR + "a" * 20, 1, "a" * 60 + CYR + "a" * 9, id="ucs2-cut"),
        pytest.param(CYR * 69 + EMOJI, 1, CYR * 69, id="surrogate-pair-not-half-kept"),
    ],
)
def test_truncate_to_parts_keeps_the_longest_fitting_prefix(
    text: str, maxsms: int, expected: str
) -> None:
    assert truncate_to_parts(text, maxsms) == expected


@pytest.mark.parametrize("maxsms", [0, -1, True, 1.5])
def test_truncate_to_parts_refuses_a_bad_maxsms(maxsms: int) -> None:
    assert field_refused(lambda: truncate_to_parts("text", maxsms)) == "maxsms"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code 1234\n~~~\norder 42", "Code 1234"),
        ("no comment here", "no comment here"),
        ("a\n~~~\nb\n~~~\nc", "a"),
        ("tilde ~~~ inline", "tilde ~~~ inline"),
    ],
)
def test_strip_comment_removes_the_tail_after_the_separator_line(text: str, expected: str) -> None:
    assert strip_comment(text) == expected


def test_preview_segments_applies_translit_before_counting() -> None:
    info = preview_segments("Привет", translit=Translit.LATIN)
    assert (info.encoding, info.units) == (Encoding.GSM7, 6)


def test_preview_segments_applies_maxsms() -> None:
    assert preview_segments("a" * 1000, maxsms=2).parts == 2


def test_preview_segments_leaves_the_comment_out_when_asked() -> None:
    info = preview_segments("hi\n~~~\n" + CYR * 100, strip_comments=True)
    assert (info.encoding, info.units) == (Encoding.GSM7, 2)
