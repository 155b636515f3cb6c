"""AsyncSMTPSender: send messages as e-mails to SMSC's SMTP gateway (protocol reference §10).

The gateway reads one line of fields from the body of a plain-text e-mail (its layout is the
wire layer's, ``smsc._wire.smtp_body``). It takes no SMTP authentication and answers nothing
but the SMTP reply codes: no message id, no cost, no error code. So the sender assigns the id
itself and returns it, for ``status``.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Sequence

import aiosmtplib
from pydantic import BaseModel, ConfigDict

from .._config import SMSCConfig
from .._enums import MessageFormat, Translit
from .._errors import (
    RequestValidationError,
    SMTPConnectionError,
    SMTPGatewayError,
    SMTPOutcomeUnknownError,
    SMTPRejectedError,
    SMTPTemporaryRejectionError,
    SMTPTimeoutError,
)
from .._privacy import mask_phones
from .._rules.send_request import ListArg, TimeArg, build_list_lines, build_send_request
from .._wire.smtp_body import gateway_body
from .mail import SMTP_MAX_EMAIL_BYTES, Encoded, GatewayMail, check_address, compose_mail
from .session import STEPS, Session, is_clean, reply_excerpt

__all__ = ["SMTP_MAX_EMAIL_BYTES", "AsyncSMTPSender", "ListArg", "SMTPSendResult", "TimeArg"]

log = logging.getLogger("smsc.smtp")


class SMTPSendResult(BaseModel):
    """What a send through the SMTP gateway produced.

    The gateway answers nothing but "accepted": whether the message goes out, and what it
    costs, shows only in ``status`` for ``id`` (and the account's history).

    Attributes:
        id: the message id written into the e-mail (yours, or ``"s-<32 hex digits>"`` assigned by
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

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
        self._from = check_address(config.smtp_sender, name="smtp_sender")
        self._to = check_address(config.smtp_gateway_recipient, name="smtp_recipient")

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
                returns none, so when omitted the SDK assigns ``"s-<32 hex digits>"``
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
    ) -> GatewayMail:
        if lines is not None and phones is not None:
            raise RequestValidationError("give phones or list, not both", field="list")
        if lines is None and phones is None:
            raise RequestValidationError("give phones (with message) or list", field="phones")
        request = build_send_request(
            phones,
            message,
            translit=translit,
            time=time,
            tz=tz,
            message_id=message_id,
            format=format,
            sender=sender,
            assign_id=True,  # the gateway answers no id: the SDK always gives one
        )
        checked_lines = () if lines is None else build_list_lines(lines, request.format)
        body = gateway_body(self._config, request, lines=checked_lines, test=bool(test))
        assert request.id is not None  # assign_id
        return compose_mail(
            body,
            sender=self._from,
            recipient=self._to,
            message_id=request.id,
            phones=request.phones or tuple(p for line in checked_lines for p in line.phones),
        )

    # ------------------------------------------------------------------ delivering

    async def _deliver(self, mail: GatewayMail, timeout: float) -> tuple[bool, Encoded]:
        """Hand the e-mail over; whether the session used STARTTLS, and the form sent."""
        session = Session(
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
                cause = exc if is_clean(exc, mail.private) else None
        if failure is not None:
            # Raised outside the except block, so a withheld cause is not kept as context.
            raise failure from cause
        assert session.sent is not None  # "accepted" is reached only after DATA
        return session.tls, session.sent

    def _failure(
        self, exc: BaseException, step: str, mail: GatewayMail, timeout: float
    ) -> SMTPGatewayError:
        where = f"SMTP gateway {self._host}:{self._port}"
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            code = exc.code
            cls = SMTPTemporaryRejectionError if 400 <= code < 500 else SMTPRejectedError
            return cls(
                f"{where} refused {STEPS[step]} with code {code}"
                f"{reply_excerpt(exc.message, mail.private)}",
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
            text = f"{where}: no answer within {timeout:g} s during {STEPS[step]}"
            return SMTPTimeoutError(
                text, host=self._host, port=self._port, message_id=mail.message_id
            )
        return SMTPConnectionError(
            f"{where}: failed during {STEPS[step]}{reply_excerpt(str(exc), mail.private)}",
            host=self._host,
            port=self._port,
            message_id=mail.message_id,
        )
