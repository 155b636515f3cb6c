"""Transliteration preview: Cyrillic rewritten in Latin characters (``translit=1`` / ``2``).

The service does not publish its rules ([INF]); this is an estimate used by the client's
segment preview and by the emulator.
"""

from __future__ import annotations

from .._enums import Translit
from .._errors import RequestValidationError

__all__ = ["transliterate"]

_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "'", "ы": "y", "ь": "'", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ә": "a", "ғ": "g", "қ": "q",
    "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "ў": "u",
}  # fmt: skip

_LOOKALIKE_LOWER: dict[str, str] = {
    "а": "a", "б": "6", "в": "B", "г": "r", "д": "g", "е": "e", "ё": "e", "ж": ">|<",
    "з": "3", "и": "u", "й": "u", "к": "k", "л": "/I", "м": "M", "н": "H", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "m", "у": "y", "ф": "qp", "х": "x", "ц": "LL",
    "ч": "4", "ш": "LLI", "щ": "LLL", "ъ": "'b", "ы": "bI", "ь": "b", "э": "3", "ю": "I0",
    "я": "9I", "і": "i", "ї": "i", "є": "e", "ґ": "r", "ў": "y", "ә": "e", "ғ": "r",
    "қ": "k", "ң": "H", "ө": "o", "ұ": "y", "ү": "y", "һ": "h",
}  # fmt: skip

_LOOKALIKE_UPPER: dict[str, str] = {
    "А": "A", "Б": "6", "В": "B", "Г": "r", "Д": "D", "Е": "E", "Ё": "E", "Ж": ">|<",
    "З": "3", "И": "U", "Й": "U", "К": "K", "Л": "/I", "М": "M", "Н": "H", "О": "O",
    "П": "n", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Ф": "<|>", "Х": "X", "Ц": "U,",
    "Ч": "4", "Ш": "W", "Щ": "W,", "Ъ": "'b", "Ы": "bI", "Ь": "b", "Э": "3", "Ю": "I0",
    "Я": "9I", "І": "I", "Ї": "I", "Є": "E", "Ґ": "r", "Ў": "Y", "Ә": "E", "Ғ": "F",
    "Қ": "K", "Ң": "H", "Ө": "O", "Ұ": "Y", "Ү": "Y", "Һ": "h",
}  # fmt: skip

_LATIN_UPPER: dict[str, str] = {
    lower.upper(): latin.capitalize() for lower, latin in _LATIN.items() if lower.upper() != lower
}
_LOOKALIKE: dict[str, str] = {**_LOOKALIKE_LOWER, **_LOOKALIKE_UPPER}


def _latin_char(text: str, index: int) -> str:
    """Latin spelling of ``text[index]``; a capital in an all-caps word stays all-caps."""
    char = text[index]
    lower = _LATIN.get(char)
    if lower is not None:
        return lower
    latin = _LATIN_UPPER.get(char)
    if latin is None:
        return char
    if len(latin) > 1 and _neighbour_is_capital(text, index):
        return latin.upper()
    return latin


def _neighbour_is_capital(text: str, index: int) -> bool:
    after = text[index + 1 : index + 2]
    before = text[index - 1 : index] if index else ""
    if after.isalpha():
        return after.isupper()
    return before.isalpha() and before.isupper()


TRANSLIT_ERROR = (
    "translit must be a smsc.Translit: Translit.NONE (0), Translit.LATIN (1) or "
    "Translit.LOOKALIKE (2)"
)
"""The text of the error for a ``translit`` the service does not know (every channel)."""


def _translit_mode(mode: Translit | int) -> Translit:
    if isinstance(mode, bool) or not isinstance(mode, int):
        raise RequestValidationError(TRANSLIT_ERROR, field="translit")
    try:
        return Translit(mode)
    except ValueError:
        raise RequestValidationError(TRANSLIT_ERROR, field="translit") from None


def transliterate(text: str, mode: Translit | int) -> str:
    """Preview of ``translit=1`` / ``translit=2``: Cyrillic rewritten in Latin characters.

    This is an **estimate** of the service's rules, which are not published ([INF]):
    ``Translit.LATIN`` uses a common Russian scheme (``ж`` -> ``zh``, ``щ`` -> ``sch``,
    ``ъ``/``ь`` -> ``'``) plus Ukrainian, Belarusian and Kazakh letters; ``Translit.LOOKALIKE``
    uses Latin letters, digits and symbols that look like the Cyrillic ones
    (``транслит`` -> ``mpaHc/Ium``). Characters without a rule are kept, so the result may
    still need UCS-2. ``Translit.NONE`` returns the text unchanged.

    Raises:
        RequestValidationError: ``mode`` is not 0, 1 or 2 (``field="translit"``).
    """
    translit = _translit_mode(mode)
    if translit is Translit.NONE:
        return text
    if translit is Translit.LOOKALIKE:
        return "".join(_LOOKALIKE.get(char, char) for char in text)
    return "".join(_latin_char(text, index) for index in range(len(text)))
