"""Transliteration preview (``translit=1`` / ``translit=2``)."""

from __future__ import annotations

import pytest

from smsc import Translit
from smsc._rules.segments import is_gsm7
from smsc._rules.translit import transliterate

from .validation import field_refused


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Привет, мир!", "Privet, mir!"),
        ("Съешь щей", "S'esh' schej"),
        ("Жёлтый Юг", "Zhyoltyj Yug"),
        ("ЩУКА", "SCHUKA"),
        ("Щука", "Schuka"),
        ("ЧАЙ!", "CHAJ!"),
        ("Hello, мир 123", "Hello, mir 123"),
        ("Київ і Ґанок", "Kiyiv i Ganok"),
        ("Қазақстан", "Qazaqstan"),
    ],
)
def test_transliterate_latin_spells_cyrillic_in_latin(text: str, expected: str) -> None:
    assert transliterate(text, Translit.LATIN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("транслит", "mpaHc/Ium"),
        ("ТОРТ", "TOPT"),
        ("жук", ">|<yk"),
        ("Hi, мама", "Hi, MaMa"),
    ],
)
def test_transliterate_lookalike_uses_similar_latin_shapes(text: str, expected: str) -> None:
    assert transliterate(text, Translit.LOOKALIKE) == expected


def test_transliterate_accepts_plain_integers() -> None:
    assert transliterate("мир", 1) == "mir"


def test_transliterate_none_returns_text_unchanged() -> None:
    assert transliterate("Привет 😀", Translit.NONE) == "Привет 😀"


def test_transliterate_keeps_characters_without_a_rule() -> None:
    assert transliterate("мир 😀", Translit.LATIN) == "mir 😀"


def test_transliterated_russian_fits_gsm7() -> None:
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю. ЁЖИК в ТУМАНЕ"
    assert is_gsm7(transliterate(text, Translit.LATIN))
    assert is_gsm7(transliterate(text, Translit.LOOKALIKE))


_COVERED_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўәғқңөұүһ"


@pytest.mark.parametrize("mode", [Translit.LATIN, Translit.LOOKALIKE])
@pytest.mark.parametrize("letter", _COVERED_CYRILLIC + _COVERED_CYRILLIC.upper())
def test_transliterate_turns_every_covered_cyrillic_letter_into_gsm7(
    letter: str, mode: Translit
) -> None:
    assert is_gsm7(transliterate(letter, mode))


@pytest.mark.parametrize("mode", [3, -1, True, "1"])
def test_transliterate_refuses_an_unknown_mode(mode: int) -> None:
    assert field_refused(lambda: transliterate("мир", mode)) == "translit"
