"""Keeping the account's secrets out of tracebacks and out of text taken from answers.

Error trackers (Sentry and the like) record the local variables of every frame of a raised
exception and of its causes. They scrub values by variable name (``password``, ``api_key``),
not by the service's field names, and render other objects with ``repr()``. So the request
body, which carries the password or API key, lives only inside a :class:`FormBody`: its
``repr`` hides the bytes and it keeps them in a slot, out of ``__dict__``/``vars()``. The
credentials are encoded once per client into a :class:`Credentials` object of the same kind,
so no request builds a dict holding them.

A server or proxy may echo the request back: :func:`redact` removes the secrets (plain, URL-
and JSON-encoded) from any text taken from an answer. Both the HTTP and the SMTP paths use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final
from urllib.parse import quote, quote_plus, urlencode

import httpx

from ._errors import RequestValidationError, SMSCError
from ._privacy import REDACTED
from ._wire.forms import credential_fields

if TYPE_CHECKING:
    from ._config import SMSCConfig

__all__ = [
    "MAX_REQUEST_BYTES",
    "REDACTED",
    "Credentials",
    "FormBody",
    "form_encode",
    "redact",
    "repeats",
    "scrub",
    "secret_forms",
]

MAX_REQUEST_BYTES = 1_048_576
"""The largest request body the SDK sends (1 MiB); a bigger one is refused before sending."""


def secret_forms(*values: str) -> tuple[str, ...]:
    """Each value in the forms an echo of the request may show it, longest first.

    Plain, URL-encoded as in a form body (``+`` for a space) and as in a path (``%20``), with
    upper- and lower-case hex digits, and JSON-escaped. Empty values are left out.
    """
    forms: set[str] = set()
    for value in values:
        if not value:
            continue
        encoded = (quote_plus(value, safe=""), quote(value, safe=""))
        forms.update((value, *encoded, *(_lower_hex(e) for e in encoded)))
        forms.add(json.dumps(value)[1:-1])
    return tuple(sorted(forms, key=len, reverse=True))


# Each byte (as the latin-1 character of the same code) -> how ``quote_plus`` writes it: the
# unreserved characters as they are, a space as ``+``, any other byte as ``%XX``. Encoding a
# value is then two C calls, whatever its length (it runs on every field of every request).
_FORM_BYTES: Final = {
    code: chr(code)
    if chr(code) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
    else "+"
    if code == 0x20
    else f"%{code:02X}"
    for code in range(256)
}


def _quoted(text: str) -> str:
    # UTF-8 bytes read as latin-1: one character per byte, mapped by the table above.
    return text.encode("utf-8").decode("latin-1").translate(_FORM_BYTES)


_NAMES: dict[str, str] = {}  # field name -> its quoted form ``name=`` (the wire's few names)


def _name(name: str) -> str:
    known = _NAMES.get(name)
    if known is None:
        known = f"{_quoted(name)}="
        if len(_NAMES) < 512:  # the wire's names, and a caller's few ``extra`` ones
            _NAMES[name] = known
    return known


def form_encode(fields: Mapping[str, str]) -> str:
    """``fields`` as ``urlencode`` writes them (a property test holds it to the same bytes)."""
    names, table = _NAMES, _FORM_BYTES
    return "&".join(
        [
            (names.get(name) or _name(name))
            + value.encode("utf-8").decode("latin-1").translate(table)
            for name, value in fields.items()
        ]
    )


def _lower_hex(text: str) -> str:
    parts = text.split("%")
    return parts[0] + "".join("%" + p[:2].lower() + p[2:] for p in parts[1:])


def repeats(text: str, values: Iterable[str]) -> bool:
    """True when ``text`` contains any of ``values``."""
    return any(value and value in text for value in values)


SHORT_SECRET = 8
"""Forms shorter than this are redacted only where they stand alone (see :func:`redact`)."""


def redact(text: str, forms: Sequence[str]) -> str:
    """``text`` with every occurrence of ``forms`` (from :func:`secret_forms`) replaced.

    A form of :data:`SHORT_SECRET` characters or more is replaced wherever it occurs. A shorter
    one is replaced only where it is not part of a longer word: no letter, digit or ``_`` right
    before its first character or right after its last one when those are themselves word
    characters. So a password ``p`` is redacted in ``key=p&``, ``"p"`` or ``password p`` but
    ``expected`` stays whole: a few characters inside an unrelated word say nothing about the
    secret, while anywhere it could stand as a value it is still replaced.
    """
    present = [form for form in forms if form and form in text]
    if not present:
        return text
    # One pass over the text, longest form first: a replacement is never scanned again (a
    # secret "[" must not eat into the "[redacted]" put in for its form "%5B").
    pattern = "|".join(_pattern(form) for form in sorted(present, key=len, reverse=True))
    return re.sub(pattern, REDACTED.replace("\\", "\\\\"), text)


def _pattern(form: str) -> str:
    if len(form) >= SHORT_SECRET:
        return re.escape(form)
    before = r"(?<!\w)" if _is_word_char(form[0]) else ""
    after = r"(?!\w)" if _is_word_char(form[-1]) else ""
    return before + re.escape(form) + after


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class FormBody(httpx.ByteStream):
    """An encoded form body whose bytes show in no ``repr`` and no ``vars()``.

    Replayable like :class:`httpx.ByteStream` (the failover transport sends it to another site
    as it is), so no layer copies it into ``request.content``.
    """

    __slots__ = ("_secret_body",)

    def __init__(self, body: bytes) -> None:
        self._secret_body = body

    def __len__(self) -> int:
        return len(self._secret_body)

    def __iter__(self) -> Iterator[bytes]:
        yield self._secret_body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._secret_body

    def __repr__(self) -> str:
        return f"<FormBody {len(self._secret_body)} bytes, credentials hidden>"


class Credentials:
    """The account's credentials, encoded once, for request bodies and for redaction.

    ``common`` are fields every request carries after the credentials (``fmt``, ...), encoded
    with them once.
    """

    __slots__ = ("_encoded", "_forms")

    def __init__(self, config: SMSCConfig, common: Mapping[str, str] | None = None) -> None:
        # Encoded in place, never bound to a local: this frame returns before any request.
        self._encoded = urlencode({**credential_fields(config), **(common or {})}).encode("ascii")
        secrets = (config.password, config.api_key)
        self._forms = secret_forms(*(s.get_secret_value() for s in secrets if s is not None))

    def __repr__(self) -> str:
        return "<Credentials hidden>"

    def body(self, fields: Mapping[str, str]) -> FormBody:
        """The request body: the credentials, the common fields, then ``fields``, as a form.

        Raises:
            RequestValidationError: the body would exceed :data:`MAX_REQUEST_BYTES`.
        """
        encoded = form_encode(fields).encode("ascii")
        size = len(self._encoded) + 1 + len(encoded)
        if size > MAX_REQUEST_BYTES:
            del fields, encoded  # a command's own secrets may be among them
            raise RequestValidationError(
                f"the request would be {size} bytes; the SDK sends at most {MAX_REQUEST_BYTES} "
                "(split the recipients or the text over several calls)"
            )
        return FormBody(self._encoded + b"&" + encoded if encoded else self._encoded)

    def redact(self, text: str) -> str:
        """``text`` without the password or API key in any of their encoded forms."""
        return redact(text, self._forms)

    def scrub(self, exc: BaseException) -> None:
        """Keep the secrets out of ``exc``'s chain, in place (see :func:`scrub`)."""
        scrub(exc, self._forms)


def scrub(exc: BaseException, forms: Sequence[str]) -> None:
    """Keep ``forms`` (from :func:`secret_forms`) out of ``exc``'s chain, in place.

    The texts of SDK errors are redacted. Another exception in the chain that repeats a
    secret (a JSON decoder's error holds the whole answer) is cut off the chain.
    """
    if not forms:
        return
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SMSCError):
            current.args = tuple(
                redact(a, forms) if isinstance(a, str) else a for a in current.args
            )
            for name, value in vars(current).items():
                if isinstance(value, str):
                    setattr(current, name, redact(value, forms))
        following = current.__cause__ or current.__context__
        if following is None:
            return
        if not isinstance(following, SMSCError) and _mentioned(following, forms):
            current.__cause__ = current.__context__ = None
            current.__suppress_context__ = True
            return
        current = following


def _mentioned(exc: BaseException, forms: Sequence[str]) -> bool:
    texts = [str(exc), *(a for a in exc.args if isinstance(a, str))]
    texts += (v for v in vars(exc).values() if isinstance(v, str))
    return any(repeats(text, forms) for text in texts)
