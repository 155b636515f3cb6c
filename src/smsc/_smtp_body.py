"""The body of an e-mail to SMSC's SMTP gateway (protocol reference §10): fields and encodings.

The checks that keep every argument inside its field of
``login:psw:id:time,tz:translit,format,sender,test:phones:mes``, the ``list`` lines, and the
two forms of the e-mail (raw 8-bit text, or 7-bit clean for servers without 8BITMIME).
"""

from __future__ import annotations

import email.policy
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from ._config import SMSCConfig
from ._enums import MessageFormat, Translit
from ._errors import ConfigurationError, RequestValidationError
from ._privacy import mask_phone
from ._recipients import parse_phones, validate_message, validate_sender
from ._schedule import validate_time
from ._wire.forms import credential_fields, encode_time, library_code

__all__ = ["SMTP_MAX_EMAIL_BYTES", "ListArg", "TimeArg"]

SMTP_MAX_EMAIL_BYTES: int = 100 * 1024
"""The gateway's documented e-mail size limit (100 KB), counted over the whole encoded e-mail."""

# The body goes as raw UTF-8 text ("8bit"), as every official library sends it, when the server
# offers 8BITMIME (RFC 6152) and no line is longer than SMTP allows (998 octets, RFC 5321). Only
# otherwise is it composed 7-bit clean (quoted-printable or base64, whichever is shorter). On the
# wire with CRLF either way.
_COMPOSE_POLICY = email.policy.default.clone(cte_type="7bit")
_WIRE_POLICY = email.policy.SMTP
_MAX_LINE_OCTETS = 998

# The gateway reads a [text]...[/text] block, when there is one, as the whole payload (§10).
# Spaces inside the brackets and any letter case are refused too: what the gateway accepts is
# not documented, so everything it might read as a marker is kept out of the body.
_TEXT_MARKER = re.compile(r"\[\s*/?\s*text\s*\]", re.IGNORECASE)

_FIELD_BREAKERS = (":", "\r", "\n")
_SUBFIELD_BREAKERS = (*_FIELD_BREAKERS, ",")
ListArg = Mapping[str, str] | Sequence[tuple[str, str]]
TimeArg = str | datetime | timedelta | None


@dataclass(frozen=True)
class _Encoded:
    """One encoding of the e-mail: its bytes and its ``Content-Transfer-Encoding``."""

    data: bytes = field(repr=False)
    transfer_encoding: str


@dataclass(frozen=True)
class _GatewayMail:
    """A composed e-mail and what must never be echoed in an error text.

    Its repr shows neither the e-mail (which holds the credentials) nor the private values
    nor the phones: error trackers record the repr of every frame's locals.
    """

    message_id: int | str
    phones: tuple[str, ...] = field(repr=False)
    eight_bit: _Encoded | None = field(repr=False)  # None: a line is too long for 8bit
    seven_bit: _Encoded = field(repr=False)
    email_message_id: str
    private: tuple[str, ...] = field(repr=False)
    field_name: str = "message"

    def encoding_for(self, eight_bit_mime: bool) -> _Encoded:
        """The form to send to a server that does (or does not) offer 8BITMIME."""
        if eight_bit_mime and self.eight_bit is not None:
            return self.eight_bit
        return self.seven_bit

    def check_size(self, encoded: _Encoded) -> None:
        """Refuse an e-mail over the gateway's limit (nothing has been sent)."""
        if len(encoded.data) > SMTP_MAX_EMAIL_BYTES:
            raise RequestValidationError(
                f"the e-mail would be {len(encoded.data)} bytes; the SMTP gateway takes at "
                f"most {SMTP_MAX_EMAIL_BYTES}",
                field=self.field_name,
            )


def _new_message_id() -> str:
    # 34 characters of [a-z0-9-]: inside the service's 40-character id rule.
    return "s-" + uuid.uuid4().hex


def _refuse_breakers(value: str, *, field: str, what: str, subfield: bool = False) -> None:
    breakers = _SUBFIELD_BREAKERS if subfield else _FIELD_BREAKERS
    if any(char in value for char in breakers):
        listed = "':', ',' or a line break" if subfield else "':' or a line break"
        raise RequestValidationError(
            f"{what} contains {listed}, which the SMTP gateway's body layout cannot carry",
            field=field,
        )


def _refuse_text_markers(body: str, fields: Sequence[tuple[str, ...]]) -> None:
    """Refuse a body the gateway would read as a ``[text]`` block: it replaces the payload.

    ``fields`` are ``(field name, value, ...)`` rows, to say which argument holds the marker
    (values are never shown: one of them may be the password).
    """
    if _TEXT_MARKER.search(body) is None:
        return
    name = next(
        (row[0] for row in fields if any(_TEXT_MARKER.search(value) for value in row[1:])),
        fields[0][0],
    )
    raise RequestValidationError(
        f"{name} contains a [text] or [/text] marker: the SMTP gateway would read such a block "
        "as the whole e-mail and send what it holds instead; send this message over HTTP",
        field=name,
    )


def _encode(headers: Sequence[tuple[str, str]], body: str, cte: str | None) -> _Encoded:
    """The e-mail as bytes; ``cte=None`` picks 7bit, quoted-printable or base64 as needed."""
    message = EmailMessage(policy=_COMPOSE_POLICY)
    for name, value in headers:
        message[name] = value
    message.set_content(body, charset="utf-8", cte=cte)
    return _Encoded(
        message.as_bytes(policy=_WIRE_POLICY), str(message["Content-Transfer-Encoding"])
    )


def _encode_8bit(headers: Sequence[tuple[str, str]], body: str) -> _Encoded | None:
    """The raw UTF-8 form, or ``None`` when a line is longer than SMTP carries unencoded."""
    lines = body.encode("utf-8").splitlines()
    if max((len(line) for line in lines), default=0) > _MAX_LINE_OCTETS:
        return None
    return _encode(headers, body, "7bit" if body.isascii() else "8bit")


def _credentials(config: SMSCConfig) -> tuple[str, str]:
    """The body's login and psw fields: an empty login means psw is the API key."""
    form = credential_fields(config)
    if "apikey" in form:
        key = form["apikey"]
        _refuse_breakers(key, field="api_key", what="the API key")
        return "", key
    login, password = form["login"], form["psw"]
    _refuse_breakers(login, field="login", what="the login")
    _refuse_breakers(password, field="password", what="the password (use an API key)")
    return login, password


def _check_address(address: str, *, name: str) -> str:
    # aiosmtplib would raise a bare ValueError (or UnicodeEncodeError) for these.
    if (
        not address.isascii()
        or address.count("@") != 1
        or any(char.isspace() or char in '<>",;:' for char in address)
    ):
        raise ConfigurationError(f"{name} is not a plain ASCII e-mail address")
    return address


def _message_format(value: MessageFormat | str) -> tuple[MessageFormat, int]:
    try:
        fmt = MessageFormat(value)
    except ValueError:
        raise RequestValidationError("unknown message format", field="format") from None
    code = library_code(fmt)
    if code is None:
        raise RequestValidationError(
            f"the SMTP gateway has no format code for {fmt.value} messages; send them over HTTP",
            field="format",
        )
    return fmt, code


def _translit(value: Translit | int) -> Translit:
    try:
        return Translit(value)
    except ValueError:
        raise RequestValidationError("translit must be 0, 1 or 2", field="translit") from None


def _time_field(value: TimeArg) -> str:
    if value is None:
        return "0"  # "send now", as the official libraries write it
    text = encode_time(validate_time(value))
    # "DD.MM.YY hh:mm" is the one accepted form with a colon: write it as DDMMYYhhmm.
    return text.replace(".", "").replace(" ", "").replace(":", "") if ":" in text else text


def _sender_field(sender: str | None, fmt: MessageFormat) -> str:
    if sender is None:
        return ""
    checked = validate_sender(sender, format=fmt)
    _refuse_breakers(checked, field="sender", what="the sender", subfield=True)
    # An empty field means "not given" in the body; "." switches the default Sender ID off.
    return checked or "."


def _recipients(phones: str | Sequence[str], fmt: MessageFormat) -> tuple[str, ...]:
    result = parse_phones(phones, format=fmt)
    for position, item in enumerate(result, start=1):
        if any(char in item for char in _FIELD_BREAKERS):
            raise RequestValidationError(
                f"phones: item {position} ({mask_phone(item)}) contains ':', which the SMTP "
                "gateway's body layout cannot carry",
                field="phones",
            )
    return result


def _list_entries(lines: ListArg) -> Iterator[tuple[str, str]]:
    entries = lines.items() if isinstance(lines, Mapping) else lines
    if isinstance(entries, str):
        raise RequestValidationError("list must map phones to texts", field="list")
    for entry in entries:
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise RequestValidationError("list items must be (phones, text) pairs", field="list")
        yield entry


def _list_lines(lines: ListArg, fmt: MessageFormat) -> tuple[tuple[str, ...], list[str], list[str]]:
    """All recipients, the ``phones:mes`` lines (newlines written as ``\\n``), and the texts."""
    everyone: list[str] = []
    rendered: list[str] = []
    texts: list[str] = []
    for number, (phones, text) in enumerate(_list_entries(lines), start=1):
        try:
            recipients = _recipients(phones, fmt)
            text = validate_message(text, format=fmt)
        except RequestValidationError as exc:
            raise RequestValidationError(f"list line {number}: {exc}", field="list") from None
        everyone.extend(recipients)
        texts.append(text)
        flat = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        rendered.append(f"{','.join(recipients)}:{flat}")
    if not rendered:
        raise RequestValidationError("list is empty", field="list")
    return tuple(everyone), rendered, texts
