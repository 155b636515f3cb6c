"""The e-mail to SMSC's SMTP gateway: its two encodings and its size limit.

The body text comes from the wire layer (``smsc._wire.smtp_body``); here it becomes an e-mail,
as raw 8-bit text or 7-bit clean for servers without 8BITMIME.
"""

from __future__ import annotations

import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from .._errors import ConfigurationError, RequestValidationError
from .._wire.smtp_body import GatewayBody

__all__ = ["SMTP_MAX_EMAIL_BYTES", "Encoded", "GatewayMail", "check_address", "compose_mail"]

SMTP_MAX_EMAIL_BYTES: int = 100 * 1024
"""The gateway's documented e-mail size limit (100 KB), counted over the whole encoded e-mail."""

# The body goes as raw UTF-8 text ("8bit"), as every official library sends it, when the server
# offers 8BITMIME (RFC 6152) and no line is longer than SMTP allows (998 octets, RFC 5321). Only
# otherwise is it composed 7-bit clean (quoted-printable or base64, whichever is shorter). On the
# wire with CRLF either way.
_COMPOSE_POLICY = email.policy.default.clone(cte_type="7bit")
_WIRE_POLICY = email.policy.SMTP
_MAX_LINE_OCTETS = 998


@dataclass(frozen=True)
class Encoded:
    """One encoding of the e-mail: its bytes and its ``Content-Transfer-Encoding``."""

    data: bytes = field(repr=False)
    transfer_encoding: str


@dataclass(frozen=True)
class GatewayMail:
    """A composed e-mail and what must never be echoed in an error text.

    Its repr shows neither the e-mail (which holds the credentials) nor the private values
    nor the phones: error trackers record the repr of every frame's locals.
    """

    message_id: int | str
    phones: tuple[str, ...] = field(repr=False)
    eight_bit: Encoded | None = field(repr=False)  # None: a line is too long for 8bit
    seven_bit: Encoded = field(repr=False)
    email_message_id: str
    private: tuple[str, ...] = field(repr=False)
    field_name: str = "message"

    def encoding_for(self, eight_bit_mime: bool) -> Encoded:
        """The form to send to a server that does (or does not) offer 8BITMIME."""
        if eight_bit_mime and self.eight_bit is not None:
            return self.eight_bit
        return self.seven_bit

    def check_size(self, encoded: Encoded) -> None:
        """Refuse an e-mail over the gateway's limit (nothing has been sent)."""
        if len(encoded.data) > SMTP_MAX_EMAIL_BYTES:
            raise RequestValidationError(
                f"the e-mail would be {len(encoded.data)} bytes; the SMTP gateway takes at "
                f"most {SMTP_MAX_EMAIL_BYTES}",
                field=self.field_name,
            )


def _encode(headers: Sequence[tuple[str, str]], body: str, cte: str | None) -> Encoded:
    """The e-mail as bytes; ``cte=None`` picks 7bit, quoted-printable or base64 as needed."""
    message = EmailMessage(policy=_COMPOSE_POLICY)
    for name, value in headers:
        message[name] = value
    message.set_content(body, charset="utf-8", cte=cte)
    return Encoded(message.as_bytes(policy=_WIRE_POLICY), str(message["Content-Transfer-Encoding"]))


def _encode_8bit(headers: Sequence[tuple[str, str]], body: str) -> Encoded | None:
    """The raw UTF-8 form, or ``None`` when a line is longer than SMTP carries unencoded."""
    lines = body.encode("utf-8").splitlines()
    if max((len(line) for line in lines), default=0) > _MAX_LINE_OCTETS:
        return None
    return _encode(headers, body, "7bit" if body.isascii() else "8bit")


def check_address(address: str, *, name: str) -> str:
    """``address`` when it is a plain ASCII e-mail address, else ``ConfigurationError``."""
    # aiosmtplib would raise a bare ValueError (or UnicodeEncodeError) for these.
    if (
        not address.isascii()
        or address.count("@") != 1
        or any(char.isspace() or char in '<>",;:' for char in address)
    ):
        raise ConfigurationError(f"{name} is not a plain ASCII e-mail address")
    return address


def compose_mail(
    body: GatewayBody,
    *,
    sender: str,
    recipient: str,
    message_id: int | str,
    phones: tuple[str, ...],
) -> GatewayMail:
    """The e-mail carrying ``body`` from ``sender`` to the gateway, in both encodings.

    Raises:
        RequestValidationError: the smaller encoding is over the gateway's size limit (the
            one a server without 8BITMIME needs is checked when the session knows it).
    """
    header_id = email.utils.make_msgid(domain=sender.rpartition("@")[2])
    headers = (
        ("From", sender),
        ("To", recipient),
        ("Date", email.utils.formatdate(usegmt=True)),
        ("Message-ID", header_id),
    )
    mail = GatewayMail(
        message_id,
        phones,
        _encode_8bit(headers, body.text),
        _encode(headers, body.text, None),
        header_id,
        body.private,
        body.field_name,
    )
    mail.check_size(mail.encoding_for(eight_bit_mime=True))
    return mail
