"""E-mail front end: the e-mail-to-SMS gateway of the emulator (protocol §10), on ``aiosmtpd``.

The body layouts are parsed here, independently of the SDK's SMTP sender:

- ``login:psw:id:time,tz:translit,format,sender,test:phones:mes``
- ``login:psw:id:time,tz:translit,format,sender,test::list`` (empty phones, then a ``list``)
- the older ``login:psw:id:time:translit,format,sender:phones:mes``

``aiosmtpd`` (the ``testing`` extra) is imported only when the ingest starts.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import Message as EmailMessage
from typing import Any

from .._errors import ConfigurationError, RequestValidationError
from .._wire.forms import format_flag, format_from_library_code
from ._answers import Answer, ErrorAnswer, SendAnswer
from ._http_params import codec_for
from ._request import Request

__all__ = ["MAX_MAIL_SIZE", "IngestedMail", "SMTPIngest", "SendHandler", "parse_mail"]

SendHandler = Callable[[Request], Awaitable[Answer]]
"""What the ingest hands each e-mail's send request to (the service's send command)."""

MAX_MAIL_SIZE = 100 * 1024
"""The service accepts e-mails up to 100 KB (protocol §10)."""

_DEFAULT_CHARSET = "koi8-r"
_LAYOUT = re.compile(
    r"(?P<login>[^:]*):(?P<psw>[^:]*):(?P<id>[^:]*):"
    r"(?P<time>\d{2}\.\d{2}\.\d{2} \d{1,2}:\d{2}(?:,[^:]*)?|[^:]*):"
    r"(?P<options>[^:]*):(?P<phones>[^:]*):(?P<mes>.*)",
    re.DOTALL,
)
_TEXT_BLOCK = re.compile(r"\[text\](.*?)\[/text\]", re.DOTALL | re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


class MailLayoutError(RequestValidationError):
    """The e-mail body is not in a layout the gateway knows."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="body")


@dataclass(frozen=True, repr=False)
class IngestedMail:
    """One e-mail the gateway received and what it did with it.

    Attributes:
        answer: what the same request over HTTP would have answered.
        params: the send parameters read from the body (``psw`` left out).
    """

    mail_from: str
    recipients: tuple[str, ...]
    params: dict[str, str]
    answer: Answer

    def __repr__(self) -> str:
        # params hold the phones and the text (private data): left out.
        return (
            f"IngestedMail(mail_from={self.mail_from!r}, ok={self.ok}, "
            f"message_id={self.message_id!r}, error_code={self.error_code!r})"
        )

    @property
    def ok(self) -> bool:
        """True when messages were created."""
        return isinstance(self.answer, SendAnswer)

    @property
    def message_id(self) -> int | str | None:
        """The id of the created messages (or of the refused request, when it has one)."""
        if isinstance(self.answer, (SendAnswer, ErrorAnswer)):
            return self.answer.message_id
        return None

    @property
    def error_code(self) -> int | None:
        """The service error code when the request was refused."""
        return self.answer.code if isinstance(self.answer, ErrorAnswer) else None


def _text_part(message: EmailMessage) -> tuple[bytes, str | None, bool]:
    """Payload, charset and "is HTML" of the first ``text/plain`` part (else any text part)."""
    parts = list(message.walk()) if message.is_multipart() else [message]
    leaves = [part for part in parts if not part.is_multipart()]
    chosen = next((p for p in leaves if p.get_content_type() == "text/plain"), None)
    if chosen is None:
        chosen = next((p for p in leaves if p.get_content_maintype() == "text"), None)
    if chosen is None:
        raise MailLayoutError("no text part")
    payload = chosen.get_payload(decode=True)
    charset = chosen.get_content_charset() if chosen.get("Content-Type") else None
    is_html = chosen.get_content_subtype() == "html"
    return (payload if isinstance(payload, bytes) else b""), charset, is_html


def _html_to_text(markup: str) -> str:
    """The text HTML shows: ``<br>`` a new line, other tags dropped, entities undone."""
    markup = re.sub(r"\s*\n\s*", " ", markup)
    markup = _BREAK.sub("\n", markup)
    return html.unescape(_TAG.sub("", markup))


def parse_mail(raw: bytes) -> dict[str, str]:
    """The send parameters written in an e-mail to the gateway (protocol §10).

    The first ``text/plain`` part is read in its declared charset (default ``koi8-r``);
    a ``[text]...[/text]`` block, when present, holds the payload.

    Raises:
        MailLayoutError: no text part, or a body in none of the known layouts.
    """
    parsed = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    payload, charset, is_html = _text_part(parsed)
    text = payload.decode(codec_for(charset or _DEFAULT_CHARSET), "replace")
    block = _TEXT_BLOCK.search(text)
    if block is not None:
        text = block.group(1)
        if is_html:
            # The wrapper exists for mail clients that send HTML only; what they wrote is
            # the text the HTML shows ("Tom &amp; Jerry" is "Tom & Jerry").
            text = _html_to_text(text)
    match = _LAYOUT.fullmatch(text.strip().replace("\r\n", "\n"))
    if match is None:
        raise MailLayoutError("the body is not login:psw:id:time:options:phones:mes")
    params = {"login": match["login"], "psw": match["psw"], "charset": "utf-8"}
    if match["id"]:
        params["id"] = match["id"]
    time, _, tz = match["time"].partition(",")
    if time:
        params["time"] = time
    if tz:
        params["tz"] = tz
    options = match["options"].split(",")
    names = ("translit", "format", "sender", "test")
    for name, value in zip(names, options, strict=False):
        if value:
            params[name] = value
    library_format = params.pop("format", "0")
    try:
        flag = format_flag(format_from_library_code(int(library_format)))
    except ValueError:
        raise MailLayoutError(f"unknown format {library_format!r}") from None
    if flag is not None:
        params[flag[0]] = flag[1]
    if match["phones"]:
        params["phones"] = match["phones"]
        params["mes"] = match["mes"]
    else:
        params["list"] = match["mes"]
    return params


class _Handler:
    """The aiosmtpd handler: every DATA becomes a send request."""

    def __init__(self, ingest: SMTPIngest) -> None:
        self._ingest = ingest

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Called by aiosmtpd for each received e-mail."""
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode("utf-8")
        peer = session.peer[0] if isinstance(session.peer, tuple) else "127.0.0.1"
        return await self._ingest.receive(
            raw, mail_from=envelope.mail_from or "", recipients=envelope.rcpt_tos, ip=peer
        )


class SMTPIngest:
    """The e-mail gateway on a loopback port; create it with :meth:`SMSCEmulator.start_smtp`.

    By default every e-mail is accepted with ``250`` and its outcome recorded in
    :attr:`received` (the real gateway's error reporting is not documented [UNK]); with
    ``reject_errors=True`` a refused request is answered ``554 ERROR = N (description)``.
    """

    def __init__(
        self,
        send: SendHandler,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        reject_errors: bool = False,
    ) -> None:
        self._send = send
        self.host = host
        self.port = port
        self.reject_errors = reject_errors
        self.received: list[IngestedMail] = []
        self._server: asyncio.Server | None = None
        self._protocols: list[asyncio.BaseProtocol] = []

    async def start(self) -> None:
        """Start listening.

        Raises:
            ConfigurationError: ``aiosmtpd`` is not installed (``pip install smsc-async[testing]``).
        """
        try:
            from aiosmtpd.smtp import SMTP
        except ImportError:
            raise ConfigurationError(
                "the SMTP ingest needs aiosmtpd: pip install 'smsc-async[testing]'"
            ) from None
        loop = asyncio.get_running_loop()
        handler = _Handler(self)

        def factory() -> asyncio.BaseProtocol:
            protocol: asyncio.BaseProtocol = SMTP(
                handler,
                data_size_limit=MAX_MAIL_SIZE,
                hostname="send.smsc.emulator",
                loop=loop,
            )
            self._protocols.append(protocol)
            return protocol

        self._server = await loop.create_server(factory, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and drop open sessions."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for protocol in self._protocols:
            transport = getattr(protocol, "transport", None)
            if transport is not None and not transport.is_closing():
                transport.close()
        self._protocols.clear()
        await server.wait_closed()
        await asyncio.sleep(0)

    async def receive(self, raw: bytes, *, mail_from: str, recipients: list[str], ip: str) -> str:
        """Turn one e-mail into a send; returns the SMTP reply line."""
        try:
            params = parse_mail(raw)
        except MailLayoutError:
            params = {}
            answer: Answer = ErrorAnswer.of(1)
        else:
            answer = await self._send(Request(params, ip, "smtp"))
        shown = {key: value for key, value in params.items() if key != "psw"}
        self.received.append(IngestedMail(mail_from, tuple(recipients), shown, answer))
        if self.reject_errors and isinstance(answer, ErrorAnswer):
            return f"554 ERROR = {answer.code} ({answer.description})"
        return "250 OK"

    def __repr__(self) -> str:
        return f"SMTPIngest({self.host}:{self.port}, received={len(self.received)})"
