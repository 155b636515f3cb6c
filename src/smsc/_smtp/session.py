"""One SMTP conversation with the gateway, and how its failures may be quoted.

``Session.step`` says how far the conversation got, which decides what a failure means (see
``AsyncSMTPSender``): before DATA nothing was handed over; during DATA the outcome is unknown.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator, Mapping, Sequence

import aiosmtplib

from .._errors import SMTPStartTLSError
from .._secrets import repeats
from .mail import Encoded, GatewayMail

__all__ = ["STEPS", "Session", "is_clean", "reply_excerpt"]

_REPLY_EXCERPT = 200

STEPS: Mapping[str, str] = {
    "connect": "the connection",
    "hello": "the greeting (EHLO/HELO)",
    "starttls": "STARTTLS",
    "sender": "the sender address (MAIL FROM)",
    "recipient": "the recipient address (RCPT TO)",
    "data": "the message data",
}


class Session:
    """One SMTP conversation. ``step`` says how far it got, which decides what a failure means."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float,
        starttls: bool | None,
        tls_context: ssl.SSLContext | None,
        message_id: int | str,
    ) -> None:
        self._host = host
        self._port = port
        self._message_id = message_id
        self._timeout = timeout
        self._starttls_mode = starttls
        self._tls_context = tls_context
        self.step = "connect"
        self.tls = False
        self.sent: Encoded | None = None

    async def run(self, sender: str, recipient: str, mail: GatewayMail) -> None:
        """Connect, greet, maybe STARTTLS, then MAIL, RCPT and DATA; always close.

        The body goes as raw 8-bit text when the server offers 8BITMIME (announced with
        ``BODY=8BITMIME``), else in its 7-bit form.
        """
        client = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            timeout=self._timeout,
            start_tls=False,
            tls_context=self._tls_context,
        )
        try:
            await client.connect()
            await self._greet(client)
            if await self._starttls(client):
                await self._greet(client)  # RFC 3207: what the server offers is asked anew
            eight_bit_mime = client.supports_extension("8bitmime")
            encoded = mail.encoding_for(eight_bit_mime)
            mail.check_size(encoded)  # the 7-bit form may be larger than the one checked
            self.step = "sender"
            eight_bit = encoded.transfer_encoding == "8bit"
            await client.mail(sender, options=["BODY=8BITMIME"] if eight_bit else None)
            self.step = "recipient"
            await client.rcpt(recipient)
            if not client.is_connected:  # dropped after RCPT: the e-mail provably never left
                raise aiosmtplib.SMTPServerDisconnected("connection lost before DATA")
            self.step = "data"
            await client.data(encoded.data)
            self.sent = encoded
            self.step = "accepted"
            # The gateway has the e-mail: a failed goodbye changes nothing.
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()
        finally:
            client.close()

    async def _greet(self, client: aiosmtplib.SMTP) -> None:
        self.step = "hello"
        try:
            await client.ehlo()
        except aiosmtplib.SMTPHeloError:
            await client.helo()

    async def _starttls(self, client: aiosmtplib.SMTP) -> bool:
        """STARTTLS when wanted and offered; True when the session is now encrypted."""
        if self._starttls_mode is False:
            return False
        if not client.supports_extension("starttls"):
            if self._starttls_mode:
                raise SMTPStartTLSError(
                    f"SMTP gateway {self._host}:{self._port} does not offer STARTTLS, which "
                    "smtp_starttls=True requires; nothing was sent",
                    host=self._host,
                    port=self._port,
                    message_id=self._message_id,
                )
            return False
        self.step = "starttls"
        await client.starttls()
        self.tls = True
        return True


def _texts(exc: BaseException) -> Iterator[str]:
    """The texts of an exception and of every exception it chains to."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (str(arg) for arg in current.args)
        current = current.__cause__ or current.__context__


def is_clean(exc: BaseException, private: Sequence[str]) -> bool:
    """True when no text in the exception chain repeats a private value of the request."""
    return not any(repeats(text, private) for text in _texts(exc))


def reply_excerpt(text: str, private: Sequence[str]) -> str:
    """``": <server text>"`` for an error message, withheld when it repeats the request."""
    text = " ".join(text.split())
    if not text:
        return ""
    if repeats(text, private):
        return " (server text withheld: it repeats request data)"
    if len(text) > _REPLY_EXCERPT:
        text = text[:_REPLY_EXCERPT] + "..."
    return f": {text}"
