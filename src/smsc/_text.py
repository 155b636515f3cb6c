"""Offline message rules: segments, encodings, transliteration, and the ``send`` argument forms.

Everything here is pure (no I/O, no clock except where a caller passes a datetime) and cheap:
the tables are built once at import and :func:`segments` runs in one pass over the text, so
the client can validate every send before it leaves and the emulator can price what it
receives with exactly the same rules.

Facts come from the protocol reference (§3.1, §3.2, §8). Where the reference marks a rule as
an inference ([INF]) the docstring here says so; ``docs/messages.md`` lists every assumption.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ._enums import MessageFormat, Translit
from ._errors import RequestValidationError

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "MAX_MESSAGE_ID",
    "MAX_MESSAGE_LENGTH",
    "MOSCOW_UTC_OFFSET_HOURS",
    "PHONE_MAX_DIGITS",
    "PHONE_MIN_DIGITS",
    "Encoding",
    "SegmentInfo",
    "format_time",
    "format_valid",
    "is_gsm7",
    "mask_phone",
    "mask_text",
    "parse_phones",
    "preview_segments",
    "resolve_time",
    "segments",
    "strip_comment",
    "transliterate",
    "truncate_to_parts",
    "validate_freq",
    "validate_message",
    "validate_message_id",
    "validate_period",
    "validate_sender",
    "validate_tz",
]

MAX_MESSAGE_LENGTH: int = 1000
"""The longest ``mes`` the service accepts, in characters (code points; [INF] for emoji)."""

MAX_MESSAGE_ID: int = 2_147_483_647
"""The largest numeric message id (a signed 32-bit integer)."""

MOSCOW_UTC_OFFSET_HOURS: int = 3
"""Moscow time is UTC+3 all year; ``tz`` is counted from it."""

PHONE_MIN_DIGITS: int = 7
"""Fewest digits accepted as a phone number ([INF]: the shortest international numbers)."""

PHONE_MAX_DIGITS: int = 15
"""Most digits accepted as a phone number (the E.164 maximum)."""

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


# --------------------------------------------------------------------------- transliteration

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


def _translit_mode(mode: Translit | int) -> Translit:
    if isinstance(mode, bool) or not isinstance(mode, int):
        raise RequestValidationError("translit must be 0, 1 or 2", field="translit")
    try:
        return Translit(mode)
    except ValueError:
        raise RequestValidationError("translit must be 0, 1 or 2", field="translit") from None


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


# --------------------------------------------------------------------------- masking


def mask_phone(phone: str) -> str:
    """A recipient safe for DEBUG logs: ``"79991234567"`` -> ``"7999***4567"``.

    Ten characters or more keep four at each end, eight or nine keep two, anything shorter
    is hidden completely (``"***"``).
    """
    if len(phone) >= 10:
        return f"{phone[:4]}***{phone[-4:]}"
    if len(phone) >= 8:
        return f"{phone[:2]}***{phone[-2:]}"
    return "***"


def mask_text(text: str) -> str:
    """A message text safe for DEBUG logs: only its length, e.g. ``"<42 chars>"``."""
    return f"<{len(text)} chars>"


# --------------------------------------------------------------------------- recipients

_PHONE_SEPARATORS = re.compile(r"[,;]")
_PHONE_NOISE = str.maketrans("", "", " \t\u00a0-()")
_PHONE = re.compile(rf"\+?[0-9]{{{PHONE_MIN_DIGITS},{PHONE_MAX_DIGITS}}}")
_GROUP = re.compile(r"G[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_TELEGRAM = re.compile(r"@?[A-Za-z][A-Za-z0-9_]{0,31}|#[0-9]+")
_PHONE_HINT = (
    f"expected {PHONE_MIN_DIGITS}-{PHONE_MAX_DIGITS} digits with an optional leading '+', "
    "or a group reference G<id>"
)


def _items(phones: str | Sequence[str]) -> Iterator[str]:
    """Every non-empty recipient, in order, from a separated string or a sequence."""
    chunks: Sequence[str] = [phones] if isinstance(phones, str) else phones
    for chunk in chunks:
        if not isinstance(chunk, str):
            raise RequestValidationError("phones must be strings", field="phones")
        for item in _PHONE_SEPARATORS.split(chunk):
            stripped = item.strip()
            if stripped:
                yield stripped


def _normalise_number(item: str) -> str | None:
    """``item`` as a number or group reference with layout removed, ``None`` if it is neither."""
    if _GROUP.fullmatch(item):
        return item
    compact = item.translate(_PHONE_NOISE)
    return compact if _PHONE.fullmatch(compact) else None


def _recipient(item: str, format: MessageFormat) -> str | None:
    if format is MessageFormat.MAIL:
        return item if _EMAIL.fullmatch(item) else None
    number = _normalise_number(item)
    if number is None and format is MessageFormat.TELEGRAM and _TELEGRAM.fullmatch(item):
        return item
    return number


def parse_phones(
    phones: str | Sequence[str], *, format: MessageFormat = MessageFormat.SMS
) -> tuple[str, ...]:
    """Split and tidy the ``phones`` argument without changing what any number means.

    Accepts one string with items separated by ``,`` or ``;`` or a sequence of such strings.
    Inside a number, spaces, dashes and parentheses are removed; a leading ``+`` is kept
    (with it the service does not auto-correct the number); no digit is ever rewritten
    (``8...`` stays ``8...``). ``G<id>`` (a contact group) is kept as it is. Order and
    repeats are kept; empty items (``"a,,b"``, a trailing comma) are skipped.

    For ``MessageFormat.MAIL`` the items are e-mail addresses; for ``MessageFormat.TELEGRAM``
    a nickname (``name`` or ``@name``) or ``#<user id>`` is allowed besides a number.

    Raises:
        RequestValidationError: nothing to send to, or an item that cannot be a recipient
            (``field="phones"``; the item is shown masked).
    """
    if not isinstance(phones, (str, Sequence)):
        raise RequestValidationError("phones must be a string or a list", field="phones")
    result: list[str] = []
    for position, item in enumerate(_items(phones), start=1):
        recipient = _recipient(item, format)
        if recipient is None:
            expected = "an e-mail address" if format is MessageFormat.MAIL else _PHONE_HINT
            raise RequestValidationError(
                f"phones: item {position} ({mask_phone(item)}, {len(item)} characters) "
                f"is not a valid recipient; {expected}",
                field="phones",
            )
        result.append(recipient)
    if not result:
        raise RequestValidationError("phones: no recipient given", field="phones")
    return tuple(result)


# --------------------------------------------------------------------------- sender, id, text

_SENDER_NAME = re.compile(r"[A-Za-z0-9 !\"#$%&'()*+,\-./:;<=>?@_]{1,11}")
_SENDER_NUMBER = re.compile(r"\+?[0-9]{1,15}")
_MESSAGE_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FORMATS_WITHOUT_LIMIT = frozenset({MessageFormat.MAIL, MessageFormat.MMS})


def validate_sender(sender: str, *, format: MessageFormat = MessageFormat.SMS) -> str:
    """Check a Sender ID and return it unchanged.

    Up to 11 characters of Latin letters, digits, space and ASCII punctuation with at least
    one letter or digit, or up to 15 digits (optionally after ``+``). ``""`` and ``"."``
    are accepted: they switch the account's default Sender ID off. Which punctuation the
    service accepts is not documented ([INF]). For ``MessageFormat.MAIL`` the sender is the
    From e-mail address. The service also requires the name to be registered; that cannot
    be checked offline.

    Raises:
        RequestValidationError: the sender breaks these rules (``field="sender"``).
    """
    if not isinstance(sender, str):
        raise RequestValidationError("sender must be a string", field="sender")
    if sender in ("", "."):
        return sender
    if format is MessageFormat.MAIL:
        if _EMAIL.fullmatch(sender):
            return sender
        raise RequestValidationError("sender must be an e-mail address", field="sender")
    if _SENDER_NUMBER.fullmatch(sender):
        return sender
    if _SENDER_NAME.fullmatch(sender) and any(char.isalnum() for char in sender):
        return sender
    raise RequestValidationError(
        f"sender must be up to 11 Latin letters, digits, spaces or punctuation, or up to 15 "
        f"digits (got {len(sender)} characters)",
        field="sender",
    )


def validate_message_id(value: int | str) -> int | str:
    """Check a client message id and return it unchanged.

    An integer 1..2147483647, or a string of 1 to 40 characters from ``[A-Za-z0-9._-]``
    (a string of digits is kept as a string).

    Raises:
        RequestValidationError: the id breaks these rules (``field="id"``).
    """
    if isinstance(value, bool):
        raise RequestValidationError("id must be an integer or a string", field="id")
    if isinstance(value, int):
        if 1 <= value <= MAX_MESSAGE_ID:
            return value
        raise RequestValidationError(f"id must be between 1 and {MAX_MESSAGE_ID}", field="id")
    if isinstance(value, str) and _MESSAGE_ID.fullmatch(value):
        return value
    raise RequestValidationError(
        "id must be an integer or up to 40 characters of A-Z a-z 0-9 . _ -", field="id"
    )


def validate_message(text: str, *, format: MessageFormat = MessageFormat.SMS) -> str:
    """Check a message text and return it unchanged.

    The text may be empty only for formats that ignore it (HLR, ping). It may hold at most
    :data:`MAX_MESSAGE_LENGTH` characters (code points, a ``~~~`` comment included) except
    for e-mail and MMS, whose limits are those of their own channels ([INF]). A lone
    surrogate (half of an emoji cut in UTF-16) is refused: UTF-8 cannot carry it.

    Raises:
        RequestValidationError: the text breaks these rules (``field="message"``).
    """
    if not isinstance(text, str):
        raise RequestValidationError("message must be a string", field="message")
    if _LONE_SURROGATE.search(text):
        raise RequestValidationError(
            "message holds half of a surrogate pair (a cut emoji?): it cannot be sent as UTF-8",
            field="message",
        )
    if not text and format.needs_text:
        raise RequestValidationError(
            f"message must not be empty for {format.value} messages", field="message"
        )
    if len(text) > MAX_MESSAGE_LENGTH and format not in _TEXT_FORMATS_WITHOUT_LIMIT:
        raise RequestValidationError(
            f"message is {len(text)} characters; at most {MAX_MESSAGE_LENGTH} are allowed",
            field="message",
        )
    return text


# --------------------------------------------------------------------------- time, tz, valid

_TIME_COMPACT = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})")
_TIME_DOTTED = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2}) ([0-9]{2}):([0-9]{2})")
_TIME_HOURS = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")
_TIME_UNIX = re.compile(r"0[0-9]+")
_TIME_RELATIVE = re.compile(r"\+[0-9]+")
_VALID_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")
_VALID_HOURS = re.compile(r"[0-9]{1,2}")
_MINUTE = timedelta(minutes=1)


def _time_error(detail: str) -> RequestValidationError:
    return RequestValidationError(f"time: {detail}", field="time")


def _calendar_time(match: re.Match[str], zone: timezone | None = None) -> datetime | None:
    """The datetime a ``DDMMYYhhmm`` / ``DD.MM.YY hh:mm`` match names, ``None`` if none."""
    day, month, year, hour, minute = (int(group) for group in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None


def _check_time_string(value: str) -> str:
    calendar = _TIME_COMPACT.fullmatch(value) or _TIME_DOTTED.fullmatch(value)
    if calendar is not None:
        if _calendar_time(calendar) is not None:
            return value
        raise _time_error("not a real date and time (DDMMYYhhmm or DD.MM.YY hh:mm)")
    hours = _TIME_HOURS.fullmatch(value)
    if hours is not None:
        first, last = int(hours[1]), int(hours[2])
        if 0 <= first < last <= 24:
            return value
        raise _time_error("an hour window h1-h2 needs 0 <= h1 < h2 <= 24")
    if value == "0" or _TIME_UNIX.fullmatch(value) or _TIME_RELATIVE.fullmatch(value):
        return value
    raise _time_error(
        "expected DDMMYYhhmm, 'DD.MM.YY hh:mm', h1-h2, 0<unix seconds>, +<minutes> or 0"
    )


def _whole_minutes_up(delta: timedelta) -> int:
    """Minutes in ``delta``, a started minute counting as a whole one."""
    minutes, rest = divmod(delta, _MINUTE)
    return int(minutes) + (1 if rest else 0)


def format_time(value: str | datetime | timedelta) -> str:
    """The ``time`` (scheduled send) parameter from a string, a datetime or a delay.

    - ``str``: checked to be one of ``DDMMYYhhmm``, ``DD.MM.YY hh:mm``, ``h1-h2`` (hour
      window, ``0 <= h1 < h2 <= 24``), ``0<unix seconds>``, ``+<minutes>`` or ``0`` (now),
      and returned as given. Ten digits are read as ``DDMMYYhhmm``, a longer run of digits
      starting with ``0`` as a Unix time.
    - aware ``datetime``: ``"0<unix seconds>"`` (absolute, so ``tz`` does not matter).
    - naive ``datetime``: ``"DD.MM.YY hh:mm"`` (seconds dropped); the service reads it in
      the zone given by ``tz``, or the account's zone when ``tz`` is absent. Years must be
      2000..2099 (the format has two digits).
    - ``timedelta``: ``"+<minutes>"``, a started minute counted as a whole one; must be >= 0.

    Raises:
        RequestValidationError: anything else (``field="time"``).
    """
    if isinstance(value, str):
        return _check_time_string(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            seconds = math.floor(value.timestamp())
            if seconds < 0:
                raise _time_error("a time before 1970 cannot be sent")
            return f"0{seconds}"
        if not 2000 <= value.year <= 2099:
            raise _time_error("a naive datetime must fall in 2000..2099")
        return value.strftime("%d.%m.%y %H:%M")
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise _time_error("a delay must not be negative")
        return f"+{_whole_minutes_up(value)}"
    raise _time_error("expected a string, a datetime or a timedelta")


def validate_tz(tz: int) -> int:
    """Check a ``tz`` value (hours relative to Moscow) and return it unchanged.

    The accepted range, -12..+12, is an assumption ([INF]): the service documents only a
    signed number of hours relative to Moscow.

    Raises:
        RequestValidationError: not an integer in -12..12 (``field="tz"``).
    """
    if isinstance(tz, bool) or not isinstance(tz, int) or not -12 <= tz <= 12:
        raise RequestValidationError(
            "tz must be a whole number of hours from -12 to 12 relative to Moscow", field="tz"
        )
    return tz


def _time_in_zone(value: str, zone: timezone, now: datetime) -> datetime:
    """The moment a checked ``time`` string names, before clamping to ``now``."""
    calendar = _TIME_COMPACT.fullmatch(value) or _TIME_DOTTED.fullmatch(value)
    if calendar is not None:
        when = _calendar_time(calendar, zone)
        if when is None:  # unreachable after _check_time_string; kept for the type checker
            raise _time_error("not a real date and time")
        return when
    if value == "0":
        return now
    if value.startswith("+"):
        return now + timedelta(minutes=int(value[1:]))
    window = _TIME_HOURS.fullmatch(value)
    if window is not None:
        first, last = int(window[1]), int(window[2])
        local = now.astimezone(zone)
        opening = local.replace(hour=first, minute=0, second=0, microsecond=0)
        if local.hour < first:
            return opening
        return now if local.hour < last else opening + timedelta(days=1)
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise _time_error("the Unix time is out of range") from None


def resolve_time(value: str, *, now: datetime, tz: int | None = None) -> datetime:
    """When a message sent at ``now`` with ``time=value`` (and ``tz``) goes out.

    For the emulator and for previews: ``value`` is checked as :func:`format_time` checks it,
    then read the way the service documents it. Calendar forms and hour windows are read in
    Moscow time shifted by ``tz`` hours; without ``tz`` the service uses the account's zone,
    which is unknown offline, so Moscow time is assumed ([INF]; Moscow is UTC+3 all year).
    A time in the past means "now".

    Args:
        value: a ``time`` string in one of the documented forms.
        now: the current moment, an aware datetime.
        tz: hours relative to Moscow, -12..12.

    Raises:
        RequestValidationError: a malformed ``value`` (``field="time"``), a bad ``tz``
            (``field="tz"``) or a naive ``now`` (``field="now"``).
    """
    _check_time_string(value)
    if now.tzinfo is None or now.utcoffset() is None:
        raise RequestValidationError("now must be an aware datetime", field="now")
    shift = 0 if tz is None else validate_tz(tz)
    zone = timezone(timedelta(hours=MOSCOW_UTC_OFFSET_HOURS + shift))
    return max(_time_in_zone(value, zone, now), now)


def _valid_error() -> RequestValidationError:
    return RequestValidationError(
        "valid must be 1..24 hours or hh:mm from 00:01 to 24:00", field="valid"
    )


def format_valid(value: int | str | timedelta) -> str:
    """The ``valid`` (message lifetime) parameter: ``1``..``24`` hours or ``hh:mm``.

    An ``int`` must be 1..24; a ``str`` is checked (``"1"``..``"24"`` or ``"00:01"``..
    ``"24:00"``) and returned as given; a ``timedelta`` becomes ``"hh:mm"`` with a started
    minute counted as a whole one and must come to 00:01..24:00.

    Raises:
        RequestValidationError: out of range or malformed (``field="valid"``).
    """
    if isinstance(value, bool):
        raise _valid_error()
    if isinstance(value, int):
        if 1 <= value <= 24:
            return str(value)
        raise _valid_error()
    if isinstance(value, timedelta):
        minutes = _whole_minutes_up(value)
        if 1 <= minutes <= 24 * 60:
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        raise _valid_error()
    if isinstance(value, str):
        if _VALID_HOURS.fullmatch(value) and 1 <= int(value) <= 24:
            return value
        clock = _VALID_CLOCK.fullmatch(value)
        if clock is not None:
            hours, minutes = int(clock[1]), int(clock[2])
            if minutes < 60 and 1 <= hours * 60 + minutes <= 24 * 60:
                return value
    raise _valid_error()


def validate_period(hours: float) -> str:
    """The ``period`` parameter (spread a mass send over 0.1..720 hours) as sent.

    Whole numbers are written without a decimal point (``24`` -> ``"24"``).

    Raises:
        RequestValidationError: not a finite number in 0.1..720 (``field="period"``).
    """
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or not math.isfinite(hours)
        or not 0.1 <= hours <= 720
    ):
        raise RequestValidationError("period must be from 0.1 to 720 hours", field="period")
    number = float(hours)
    return str(int(number)) if number.is_integer() else repr(number)


def validate_freq(minutes: int) -> str:
    """The ``freq`` parameter (minutes between batches of a spread send, 1..1440) as sent.

    Raises:
        RequestValidationError: not an integer in 1..1440 (``field="freq"``).
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 1440:
        raise RequestValidationError("freq must be a whole number of minutes 1..1440", field="freq")
    return str(minutes)
