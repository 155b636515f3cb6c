"""Segments: GSM 03.38 / UCS-2 encodings, SMS part counting, truncation, preview, comments.

Pure and cheap: the tables are built once at import and :func:`segments` runs in one pass over
the text, so the client can check every send before it leaves and the emulator can price what
it receives with exactly the same rules. Facts come from the protocol reference (§3.1, §3.2,
§8); where the reference marks a rule as an inference ([INF]) the docstring says so.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from .._enums import Translit
from .._errors import RequestValidationError
from .translit import transliterate

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "Encoding",
    "SegmentInfo",
    "is_gsm7",
    "preview_segments",
    "segments",
    "strip_comment",
    "truncate_to_parts",
]

# --------------------------------------------------------------------------- GSM 03.38 tables

GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039eÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The 127 characters of the GSM 03.38 default alphabet (one septet each; ESC excluded)."""

GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")
"""Characters of the GSM 03.38 extension table: ESC plus one septet, so two septets each."""

_GSM7_ALL: frozenset[str] = GSM7_BASIC | GSM7_EXTENSION

_GSM7_SINGLE, _GSM7_MULTI = 160, 153
_UCS2_SINGLE, _UCS2_MULTI = 70, 67

_COMMENT_SEPARATOR = "\n~~~\n"


class Encoding(str, enum.Enum):
    """How a text travels over the air."""

    GSM7 = "gsm7"
    """GSM 03.38 7-bit alphabet: 160 septets in one SMS, 153 per part of a long one."""
    UCS2 = "ucs2"
    """UCS-2 (UTF-16 code units): 70 units in one SMS, 67 per part of a long one."""


@dataclass(frozen=True)
class SegmentInfo:
    """How many SMS a text costs and how it would be split.

    Attributes:
        encoding: GSM-7 when every character is in the GSM 03.38 tables, else UCS-2.
        parts: number of SMS billed. An empty text is one part (operators bill a message,
            not its length); ``units`` is then 0.
        units: septets for GSM-7 (extension characters count 2), UTF-16 code units for
            UCS-2 (a character outside the Basic Multilingual Plane, e.g. an emoji, counts 2).
        part_size: units one part can hold: 160/70 when ``parts == 1``, else 153/67.
        remaining: units still free in the last part.
        part_texts: the text cut into its parts, in order; ``"".join(part_texts)`` is the
            text. A cut never falls inside an extension character's two septets or a
            surrogate pair, so a part may hold one unit less than ``part_size``.
    """

    encoding: Encoding
    parts: int
    units: int
    part_size: int
    remaining: int
    part_texts: tuple[str, ...]


# Width tests as C-level bound methods: they run once per character of long texts.
_is_astral: Callable[[str], bool] = "\uffff".__lt__
"""True for a character that takes two UTF-16 code units (a surrogate pair)."""
_is_escaped: Callable[[str], bool] = GSM7_EXTENSION.__contains__
"""True for a GSM-7 extension character (two septets)."""


def _split(text: str, part_size: int, is_wide: Callable[[str], bool]) -> tuple[str, ...]:
    """Cut ``text`` greedily into parts of at most ``part_size`` units, never inside a char."""
    pieces: list[str] = []
    start = 0
    used = 0
    for index, char in enumerate(text):
        width = 2 if is_wide(char) else 1
        if used + width > part_size:
            pieces.append(text[start:index])
            start = index
            used = 0
        used += width
    pieces.append(text[start:])
    return tuple(pieces)


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM 03.38 basic or extension table.

    Such a text travels in 7-bit GSM encoding; any other character (Cyrillic, emoji, ``ç``,
    most accented letters) switches the whole message to UCS-2.
    """
    return _GSM7_ALL.issuperset(text)


def segments(text: str) -> SegmentInfo:
    """Count the SMS parts ``text`` takes, as sent (no transliteration, no truncation).

    GSM-7 when every character is in the GSM 03.38 tables (extension characters
    ``^{}\\[~]|€`` and form feed count two septets), otherwise UCS-2 counted in UTF-16 units.
    One SMS holds 160 septets or 70 units; a longer text is cut into parts of 153 or 67.

    The text is counted as given: a ``"\\n~~~\\n"`` comment tail is included (call
    :func:`strip_comment` first to leave it out). Texts longer than
    :data:`MAX_MESSAGE_LENGTH` are counted too; :func:`validate_message` refuses them.

    Example:
        >>> info = segments("Привет")
        >>> (info.encoding.value, info.parts, info.remaining)
        ('ucs2', 1, 64)
    """
    if _GSM7_ALL.issuperset(text):
        encoding = Encoding.GSM7
        units = len(text) + sum(map(text.count, GSM7_EXTENSION))
        single, multi, is_wide = _GSM7_SINGLE, _GSM7_MULTI, _is_escaped
    else:
        encoding = Encoding.UCS2
        units = len(text.encode("utf-16-le", "surrogatepass")) // 2
        single, multi, is_wide = _UCS2_SINGLE, _UCS2_MULTI, _is_astral
    if units <= single:
        return SegmentInfo(encoding, 1, units, single, single - units, (text,))
    if units == len(text):  # no two-unit character: plain slicing is the greedy cut
        pieces = tuple(text[start : start + multi] for start in range(0, len(text), multi))
        last_units = len(pieces[-1])
    else:
        pieces = _split(text, multi, is_wide)
        last_units = sum(2 if is_wide(char) else 1 for char in pieces[-1])
    return SegmentInfo(encoding, len(pieces), units, multi, multi - last_units, pieces)


def _fitting_length(
    text: str, maxsms: int, single: int, multi: int, is_wide: Callable[[str], bool]
) -> int:
    """Length of the longest prefix of ``text`` that fits ``maxsms`` parts in one encoding."""
    if maxsms == 1:
        used = 0
        for index, char in enumerate(text):
            used += 2 if is_wide(char) else 1
            if used > single:
                return index
        return len(text)
    parts = 1
    used = 0
    for index, char in enumerate(text):
        width = 2 if is_wide(char) else 1
        if used + width > multi:
            parts += 1
            if parts > maxsms:
                return index
            used = 0
        used += width
    return len(text)


def _check_maxsms(maxsms: int) -> int:
    if isinstance(maxsms, bool) or not isinstance(maxsms, int) or maxsms < 1:
        raise RequestValidationError("maxsms must be an integer >= 1", field="maxsms")
    return maxsms


def truncate_to_parts(text: str, maxsms: int) -> str:
    """The longest prefix of ``text`` that fits in ``maxsms`` SMS parts (``maxsms`` preview).

    ``maxsms=1`` allows one whole SMS (160 septets / 70 units); ``maxsms=k`` allows ``k``
    parts of 153/67. Each prefix is counted in its own encoding, so cutting off the first
    non-GSM character can bring the rest back to GSM-7. How the service itself truncates is
    not documented ([INF]); this is the cut that keeps the most text within the cap.

    Raises:
        RequestValidationError: ``maxsms`` is not an integer >= 1 (``field="maxsms"``).
    """
    _check_maxsms(maxsms)
    first_wide = next(
        (index for index, char in enumerate(text) if char not in _GSM7_ALL), len(text)
    )
    gsm_length = _fitting_length(text[:first_wide], maxsms, _GSM7_SINGLE, _GSM7_MULTI, _is_escaped)
    if gsm_length < first_wide or first_wide == len(text):
        return text[:gsm_length]
    ucs_length = _fitting_length(text, maxsms, _UCS2_SINGLE, _UCS2_MULTI, _is_astral)
    return text[: max(first_wide, ucs_length)]


def strip_comment(text: str) -> str:
    """``text`` without its ``"\\n~~~\\n"`` comment tail (protocol §3.6).

    Text after a line of three tildes is shown only in the sender's history. Whether the
    service bills the comment is not documented ([INF]: it does not); the client and the
    emulator decide whether to call this before :func:`segments`.
    """
    index = text.find(_COMMENT_SEPARATOR)
    return text if index < 0 else text[:index]


def preview_segments(
    text: str,
    *,
    translit: Translit | int = Translit.NONE,
    maxsms: int | None = None,
    strip_comments: bool = False,
) -> SegmentInfo:
    """Segments of ``text`` after the service's own transformations, as far as known.

    Applies, in order: :func:`strip_comment` (when ``strip_comments``), :func:`transliterate`
    (``translit``) and :func:`truncate_to_parts` (``maxsms``), then :func:`segments`. This is
    an estimate of what the service bills: its transliteration and truncation rules are
    inferred ([INF]).
    """
    if strip_comments:
        text = strip_comment(text)
    text = transliterate(text, translit)
    if maxsms is not None:
        text = truncate_to_parts(text, maxsms)
    return segments(text)
