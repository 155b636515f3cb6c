"""AsyncSMTPSender: send messages as e-mails to SMSC's SMTP gateway (protocol reference §10).

The gateway reads one line of colon-separated fields from the body of a plain-text e-mail::

    login:psw:id:time,tz:translit,format,sender,test:phones:mes
    login:psw:id:time,tz:translit,format,sender,test::<list>

It takes no SMTP authentication and answers nothing but the SMTP reply codes: no message id,
no cost, no error code. So the sender assigns the id itself and returns it, for ``status``.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import ssl
from collections.abc import Iterator, Mapping, Sequence

import aiosmtplib
from pydantic import BaseModel, ConfigDict

from ._config import SMSCConfig
from ._enums import MessageFormat, Translit
from ._errors import (
    RequestValidationError,
    SMTPConnectionError,
    SMTPGatewayError,
    SMTPOutcomeUnknownError,
    SMTPRejectedError,
    SMTPStartTLSError,
    SMTPTemporaryRejectionError,
    SMTPTimeoutError,
)
from ._privacy import mask_phones
from ._recipients import validate_message, validate_message_id
from ._schedule import validate_tz
from ._secrets import repeats
from ._smtp_body import (
    SMTP_MAX_EMAIL_BYTES,
    ListArg,
    TimeArg,
    _check_address,
    _credentials,
    _encode,
    _encode_8bit,
    _Encoded,
    _GatewayMail,
    _list_lines,
    _message_format,
    _new_message_id,
    _recipients,
    _refuse_text_markers,
    _sender_field,
    _time_field,
    _translit,
)

__all__ = ["SMTP_MAX_EMAIL_BYTES", "AsyncSMTPSender", "ListArg", "SMTPSendResult", "TimeArg"]

log = logging.getLogger("smsc.smtp")

_REPLY_EXCERPT = 200


class SMTPSendResult(BaseModel):
    """What a send through the SMTP gateway produced.

    The gateway answers nothing but "accepted": whether the message goes out, and what it
    costs, shows only in ``status`` for ``id`` (and the account's history).

    Attributes:
        id: the message id written into the e-mail (yours, or ``"s-<uuid4 hex>"`` assigned by
            the SDK); use it with ``status``.
        phones: every recipient of the e-mail, in order (from ``phones`` or from ``list``).
        host: the SMTP server the e-mail was handed to.
        port: its port.
        recipient: the gateway address the e-mail was sent to.
        tls: whether the session was encrypted with STARTTLS.
        size: the size of the e-mail in bytes, as sent.
        test: the ``test`` flag written into the body.
        email_message_id: the ``Message-ID`` header of the e-mail (for the mail server's logs).
        transfer_encoding: the body's ``Content-Transfer-Encoding``: ``"8bit"`` (raw UTF-8,
            when the server offers 8BITMIME), ``"7bit"`` (plain ASCII), or the fallbacks
            ``"quoted-printable"`` / ``"base64"``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | str
    phones: tuple[str, ...]
    host: str
    port: int
    recipient: str
    tls: bool
    size: int
    test: bool
    email_message_id: str
    transfer_encoding: str = "7bit"


class AsyncSMTPSender:
    """Send messages through SMSC's e-mail gateway (``send@send.smsc.ru`` and its siblings).

    Each :meth:`send` opens its own SMTP connection and closes it when done, so one sender
    can be shared by any number of tasks. Everything comes from the config: the gateway host
    (``smtp_host`` or ``send.<site>``), ``smtp_port`` (25), the From address
    (``smtp_sender``), the gateway address (``smtp_recipient`` or ``send@send.<site>``),
    ``smtp_timeout`` and ``smtp_starttls`` (``None``: STARTTLS when the server offers it;
    ``True``: required; ``False``: never).

    The gateway takes no SMTP authentication: the login and password (or API key) travel in
    the e-mail body, encrypted only when STARTTLS is used. Prefer the HTTP API unless you
    have a reason to send by e-mail; see the SMTP gateway guide.

    Args:
        config: the client configuration (credentials, site and the ``smtp_*`` settings).
        tls_context: the SSL context for STARTTLS. By default the system's trusted
            certificates are used and the host name is checked; a failed check fails the
            send (it never falls back to clear text).

    Raises:
        ConfigurationError: the From or gateway address is not a plain ASCII address.

    Example:
        ```python
        sender = AsyncSMTPSender(SMSCConfig(login="alex", password="..."))
        result = await sender.send("79999999999", "Ваш пароль: 123")
        status = await client.status(result.id, "79999999999")
        ```
    """

    def __init__(self, config: SMSCConfig, *, tls_context: ssl.SSLContext | None = None) -> None:
        self._config = config
        self._tls_context = tls_context
        self._host = config.smtp_gateway_host
        self._port = config.smtp_port
        self._from = _check_address(config.smtp_sender, name="smtp_sender")
        self._to = _check_address(config.smtp_gateway_recipient, name="smtp_recipient")

    def __repr__(self) -> str:
        return f"<AsyncSMTPSender {self._to} via {self._host}:{self._port}>"

    @property
    def config(self) -> SMSCConfig:
        """The configuration this sender was built from."""
        return self._config

    @property
    def host(self) -> str:
        """The SMTP server e-mails are handed to (``smtp_host`` or ``send.<site>``)."""
        return self._host

    @property
    def port(self) -> int:
        """The SMTP server's port (``smtp_port``)."""
        return self._port

    @property
    def recipient(self) -> str:
        """The gateway address (``smtp_recipient`` or ``send@send.<site>``)."""
        return self._to

    async def send(
        self,
        phones: str | Sequence[str] | None = None,
        message: str = "",
        *,
        list: ListArg | None = None,
        id: int | str | None = None,
        time: TimeArg = None,
        tz: int | None = None,
        translit: Translit | int = 0,
        format: MessageFormat | str = MessageFormat.SMS,
        sender: str | None = None,
        test: bool = False,
        timeout: float | None = None,
    ) -> SMTPSendResult:
        """Send one message (or one ``list``) as an e-mail to the gateway.

        Args:
            phones: a number, several separated by ``,``/``;``, or a sequence of them.
            message: the text; it may contain colons and line breaks (it is the last field).
                Line breaks go out as e-mail line breaks (``\\r\\n`` and ``\\r`` become
                ``\\n``).
            list: different texts to different numbers instead of ``phones`` and ``message``:
                a mapping or pairs of ``(phones, text)``. Line breaks inside a text are
                written as the two characters ``\\n``, as the gateway expects.
            id: your message id (1..2147483647 or up to 40 of ``[A-Za-z0-9._-]``). The gateway
                returns none, so when omitted the SDK assigns ``"s-<uuid4 hex>"``
                (whatever ``assign_ids`` says).
            time: when to send, as for the HTTP ``send`` (``"DD.MM.YY hh:mm"`` and naive
                datetimes are written as ``DDMMYYhhmm``, which has no colon).
            tz: time zone of ``time`` in hours relative to Moscow.
            translit: :class:`Translit` (0, 1 or 2).
            format: :class:`MessageFormat`; Telegram has no gateway code and is refused.
            sender: Sender ID (no ``:`` or ``,``); ``""`` switches the default one off.
            test: the body's test flag.
            timeout: seconds the whole SMTP conversation may take (default ``smtp_timeout``).

        Returns:
            SMTPSendResult: the id used, the recipients and the connection details.

        Raises:
            RequestValidationError: bad arguments, a field that would break the body layout,
                or an e-mail over 100 KB (nothing was sent).
            SMTPConnectionError: refused, unreachable or dropped before the e-mail was handed
                over (``SMTPTimeoutError`` when out of time); nothing was sent.
            SMTPStartTLSError: STARTTLS required but not offered; nothing was sent.
            SMTPRejectedError: the server refused the sender, recipient or data
                (``SMTPTemporaryRejectionError`` for 4xx codes); nothing was accepted.
            SMTPOutcomeUnknownError: the connection failed while the e-mail was handed over;
                check ``status`` of its ``message_id`` before sending again.
        """
        limit = self._config.smtp_timeout if timeout is None else timeout
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0:
            raise RequestValidationError("timeout must be a positive number", field="timeout")
        mail = self._compose(
            phones,
            message,
            lines=list,
            message_id=id,
            time=time,
            tz=tz,
            translit=translit,
            format=format,
            sender=sender,
            test=test,
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "smtp send id=%s to %s via %s:%d",
                mail.message_id,
                mask_phones(mail.phones),
                self._host,
                self._port,
            )
        tls, sent = await self._deliver(mail, float(limit))
        log.info(
            "SMTP gateway %s:%d accepted message id=%s for %d recipient(s) (%d bytes, %s)",
            self._host,
            self._port,
            mail.message_id,
            len(mail.phones),
            len(sent.data),
            sent.transfer_encoding,
        )
        return SMTPSendResult(
            id=mail.message_id,
            phones=mail.phones,
            host=self._host,
            port=self._port,
            recipient=self._to,
            tls=tls,
            size=len(sent.data),
            test=test,
            email_message_id=mail.email_message_id,
            transfer_encoding=sent.transfer_encoding,
        )

    # ------------------------------------------------------------------ composing

    def _compose(
        self,
        phones: str | Sequence[str] | None,
        message: str,
        *,
        lines: ListArg | None,
        message_id: int | str | None,
        time: TimeArg,
        tz: int | None,
        translit: Translit | int,
        format: MessageFormat | str,
        sender: str | None,
        test: bool,
    ) -> _GatewayMail:
        fmt, code = _message_format(format)
        login, secret = _credentials(self._config)
        if lines is not None:
            if phones is not None:
                raise RequestValidationError("give phones or list, not both", field="list")
            if message:
                raise RequestValidationError(
                    "message must be empty with list (each line has its own text)",
                    field="message",
                )
            recipients, rendered, texts = _list_lines(lines, fmt)
            phones_field, text = "", "\n".join(rendered)
        elif phones is None:
            raise RequestValidationError("give phones (with message) or list", field="phones")
        else:
            recipients = _recipients(phones, fmt)
            phones_field, text = ",".join(recipients), validate_message(message, format=fmt)
            texts = [text]
        used_id = _new_message_id() if message_id is None else validate_message_id(message_id)
        tz_field = "" if tz is None else str(validate_tz(tz))
        flags = f"{int(_translit(translit))},{code},{_sender_field(sender, fmt)},{int(bool(test))}"
        head = f"{login}:{secret}:{used_id}:{_time_field(time)},{tz_field}:{flags}"
        body = f"{head}:{phones_field}:{text}"

        field_name = "list" if lines is not None else "message"
        _refuse_text_markers(
            body,
            (
                (field_name, phones_field, *texts),
                ("sender", "" if sender is None else sender),
                ("api_key" if not login else "password", secret),
                ("login", login),
            ),
        )
        header_id = email.utils.make_msgid(domain=self._from.rpartition("@")[2])
        headers = (
            ("From", self._from),
            ("To", self._to),
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Message-ID", header_id),
        )
        mail = _GatewayMail(
            used_id,
            recipients,
            _encode_8bit(headers, body),
            _encode(headers, body, None),
            header_id,
            tuple(v for v in (secret, login, body, *texts, *recipients) if v),
            field_name,
        )
        # The smaller form must fit; the one a server without 8BITMIME needs is checked again
        # when the session knows it is needed.
        mail.check_size(mail.encoding_for(eight_bit_mime=True))
        return mail

    # ------------------------------------------------------------------ delivering

    async def _deliver(self, mail: _GatewayMail, timeout: float) -> tuple[bool, _Encoded]:
        """Hand the e-mail over; whether the session used STARTTLS, and the form sent."""
        session = _Session(
            self._host,
            self._port,
            timeout=timeout,
            starttls=self._config.smtp_starttls,
            tls_context=self._tls_context,
            message_id=mail.message_id,
        )
        failure: SMTPGatewayError | None = None
        cause: BaseException | None = None
        try:
            await asyncio.wait_for(session.run(self._from, self._to, mail), timeout)
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            if session.step != "accepted":
                failure = self._failure(exc, session.step, mail, timeout)
                cause = exc if _is_clean(exc, mail.private) else None
        if failure is not None:
            # Raised outside the except block, so a withheld cause is not kept as context.
            raise failure from cause
        assert session.sent is not None  # "accepted" is reached only after DATA
        return session.tls, session.sent

    def _failure(
        self, exc: BaseException, step: str, mail: _GatewayMail, timeout: float
    ) -> SMTPGatewayError:
        where = f"SMTP gateway {self._host}:{self._port}"
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            code = exc.code
            cls = SMTPTemporaryRejectionError if 400 <= code < 500 else SMTPRejectedError
            return cls(
                f"{where} refused {_STEPS[step]} with code {code}"
                f"{_reply(exc.message, mail.private)}",
                host=self._host,
                port=self._port,
                message_id=mail.message_id,
                smtp_code=code,
            )
        timed_out = isinstance(exc, asyncio.TimeoutError)
        if step == "data":
            return SMTPOutcomeUnknownError(
                f"{where}: {'timed out' if timed_out else 'connection lost'} while the e-mail "
                "was handed over",
                host=self._host,
                port=self._port,
                message_id=mail.message_id,
                phones=mail.phones,
            )
        if timed_out:
            text = f"{where}: no answer within {timeout:g} s during {_STEPS[step]}"
            return SMTPTimeoutError(
                text, host=self._host, port=self._port, message_id=mail.message_id
            )
        return SMTPConnectionError(
            f"{where}: failed during {_STEPS[step]}{_reply(str(exc), mail.private)}",
            host=self._host,
            port=self._port,
            message_id=mail.message_id,
        )


_STEPS: Mapping[str, str] = {
    "connect": "the connection",
    "hello": "the greeting (EHLO/HELO)",
    "starttls": "STARTTLS",
    "sender": "the sender address (MAIL FROM)",
    "recipient": "the recipient address (RCPT TO)",
    "data": "the message data",
}


class _Session:
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
        self.sent: _Encoded | None = None

    async def run(self, sender: str, recipient: str, mail: _GatewayMail) -> None:
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


def _is_clean(exc: BaseException, private: Sequence[str]) -> bool:
    """True when no text in the exception chain repeats a private value of the request."""
    return not any(repeats(text, private) for text in _texts(exc))


def _reply(text: str, private: Sequence[str]) -> str:
    """``": <server text>"`` for an error message, withheld when it repeats the request."""
    text = " ".join(text.split())
    if not text:
        return ""
    if repeats(text, private):
        return " (server text withheld: it repeats request data)"
    if len(text) > _REPLY_EXCERPT:
        text = text[:_REPLY_EXCERPT] + "..."
    return f": {text}"
