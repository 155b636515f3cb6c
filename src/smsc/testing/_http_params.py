"""HTTP front end: reading request parameters the way the service does (query, form,
multipart, JSON).

Parameters are split as bytes first and decoded afterwards with the request's ``charset``
(protocol §1.6: ``utf-8``, ``koi8-r``, default ``windows-1251``).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from urllib.parse import unquote_to_bytes

__all__ = ["DEFAULT_CODEC", "RequestData", "codec_for", "parse_request"]

DEFAULT_CODEC = "cp1251"

_CODECS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "koi8-r": "koi8-r",
    "koi8r": "koi8-r",
    "windows-1251": "cp1251",
    "cp1251": "cp1251",
    "cp-1251": "cp1251",
}

Pairs = list[tuple[bytes, bytes]]


def codec_for(charset: str | None) -> str:
    """The Python codec for a ``charset`` parameter; unknown or absent means cp1251."""
    if not charset:
        return DEFAULT_CODEC
    return _CODECS.get(charset.strip().lower(), DEFAULT_CODEC)


def _urlencoded(raw: bytes) -> Pairs:
    pairs: Pairs = []
    for chunk in raw.split(b"&"):
        if not chunk:
            continue
        key, _, value = chunk.partition(b"=")
        pairs.append(
            (unquote_to_bytes(key.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" ")))
        )
    return pairs


def _multipart(body: bytes, content_type: str) -> Pairs:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    pairs: Pairs = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename():
            # Files (MMS, e-mail attachments) are accepted and ignored.
            continue
        payload = part.get_payload(decode=True)
        pairs.append((name.encode("utf-8"), payload if isinstance(payload, bytes) else b""))
    return pairs


def _json_body(body: bytes) -> Pairs:
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("a JSON object is expected")
    pairs: Pairs = []
    for key, value in data.items():
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, list):
            text = ",".join(str(item) for item in value)
        else:
            text = "" if value is None else str(value)
        pairs.append((str(key).encode("utf-8"), text.encode("utf-8")))
    pairs.append((b"charset", b"utf-8"))
    return pairs


class RequestData:
    """The decoded parameters of one request and the codec its answer is written in.

    Later occurrences of a parameter win over earlier ones; body parameters win over the
    query string. ``malformed`` is true when the body could not be read (error 1).
    """

    def __init__(self, params: dict[str, str], codec: str, *, malformed: bool = False) -> None:
        self.params = params
        self.codec = codec
        self.malformed = malformed

    def get(self, name: str, default: str | None = None) -> str | None:
        """The parameter ``name`` or ``default``."""
        return self.params.get(name, default)


def parse_request(
    query: bytes, body: bytes, content_type: str, *, json_body: bool = False
) -> RequestData:
    """Split and decode the parameters of a request (query string plus body)."""
    pairs = _urlencoded(query)
    malformed = False
    kind = content_type.split(";", 1)[0].strip().lower()
    try:
        if json_body:
            pairs += _json_body(body)
        elif kind == "multipart/form-data":
            pairs += _multipart(body, content_type)
        elif body:
            pairs += _urlencoded(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested deeper than the parser goes.
        malformed = True
    charset = None
    for key, value in pairs:
        if key == b"charset":
            charset = value.decode("latin-1")
    codec = codec_for(charset)
    params = {key.decode(codec, "replace"): value.decode(codec, "replace") for key, value in pairs}
    return RequestData(params, codec, malformed=malformed)
