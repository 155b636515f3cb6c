"""AsyncSMTPSender against real SMTP servers on loopback.

An aiosmtpd server plays the gateway: it receives the e-mail, and the test parses the body
back field by field, as the gateway would (protocol reference §10). Scripted asyncio servers
play the broken gateways (silent, or dropping the line during DATA).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.smtp import SMTP as SMTPServerProtocol

from smsc import (
    AsyncSMTPSender,
    MessageFormat,
    RequestValidationError,
    SendOutcomeUnknownError,
    SMSCConfig,
    SMTPConnectionError,
    SMTPOutcomeUnknownError,
    SMTPRejectedError,
    SMTPSendResult,
    SMTPStartTLSError,
    SMTPTemporaryRejectionError,
    SMTPTimeoutError,
    Translit,
)
from smsc._wire.forms import library_code

pytestmark = pytest.mark.integration

LOGIN = "alex"
PASSWORD = "Pa55-w0rd-very-secret"
API_KEY = "key-0123456789abcdef-secret"
SECRETS = (PASSWORD, API_KEY)
GATEWAY = "send@send.smsc.ru"
FROM = "app@example.com"


# --------------------------------------------------------------------------- gateway side


@dataclass(frozen=True)
class GatewayBody:
    """The fields of a gateway e-mail body, read the way the gateway reads them."""

    login: str
    psw: str
    id: str
    time: str
    tz: str
    translit: str
    format: str
    sender: str
    test: str
    phones: str
    text: str

    def list_lines(self) -> list[tuple[str, str]]:
        """The ``phones:mes`` lines of a list send."""
        pairs = []
        for line in self.text.split("\n"):
            phones, _, text = line.partition(":")
            pairs.append((phones, text))
        return pairs


@dataclass(frozen=True)
class Received:
    """One e-mail as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    tls: bool
    mail_options: list[str] = field(default_factory=list)

    def transfer_encoding(self) -> str:
        """The body's Content-Transfer-Encoding, as written."""
        mail = BytesParser(policy=policy.default).parsebytes(self.raw)
        return str(mail["Content-Transfer-Encoding"])

    def body(self) -> GatewayBody:
        """Decode the text/plain body and split it into the gateway's fields."""
        mail = BytesParser(policy=policy.default).parsebytes(self.raw)
        assert mail.get_content_type() == "text/plain"
        assert mail.get_content_charset() == "utf-8"
        content = mail.get_content().replace("\r\n", "\n")
        assert content.endswith("\n")  # every SMTP body ends with a line break
        login, psw, message_id, when, flags, phones, text = content[:-1].split(":", 6)
        time, tz = when.split(",")
        translit, fmt, sender, test = flags.split(",")
        return GatewayBody(
            login, psw, message_id, time, tz, translit, fmt, sender, test, phones, text
        )


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every e-mail and can refuse recipients or data."""

    rcpt_reply: str | None = None
    data_reply: str = "250 OK: queued"
    eight_bit_mime: bool = True  # aiosmtpd offers 8BITMIME unless this hook takes it out
    received: list[Received] = field(default_factory=list)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname  # what aiosmtpd does itself when no hook is set
        if self.eight_bit_mime:
            return responses
        return [line for line in responses if line[4:].upper() != "8BITMIME"]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.content,
                session.ssl,
                list(envelope.mail_options),
            )
        )
        return self.data_reply

    def only(self) -> Received:
        """The single e-mail received."""
        assert len(self.received) == 1
        return self.received[0]


@dataclass
class Gateway:
    """A running loopback SMTP server."""

    port: int
    inbox: Inbox

    def config(self, **options: Any) -> SMSCConfig:
        """A config that sends to this server."""
        credentials: dict[str, Any] = {"login": LOGIN, "password": PASSWORD}
        if "api_key" in options:
            credentials = {}
        return SMSCConfig(
            **credentials,
            smtp_host="127.0.0.1",
            smtp_port=self.port,
            smtp_sender=FROM,
            smtp_timeout=5.0,
            **options,
        )

    def sender(self, **options: Any) -> AsyncSMTPSender:
        """A sender aimed at this server."""
        return AsyncSMTPSender(self.config(**options))


ServerFactory = Callable[..., Awaitable[Gateway]]


@pytest.fixture
async def start_gateway() -> AsyncIterator[ServerFactory]:
    servers: list[asyncio.Server] = []

    async def start(inbox: Inbox | None = None, tls: ssl.SSLContext | None = None) -> Gateway:
        inbox = inbox or Inbox()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTPServerProtocol(
                inbox, hostname="gateway.test", tls_context=tls, require_starttls=False
            ),
            "127.0.0.1",
            0,
        )
        servers.append(server)
        return Gateway(server.sockets[0].getsockname()[1], inbox)

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def gateway(start_gateway: ServerFactory) -> Gateway:
    return await start_gateway()


Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
async def scripted() -> AsyncIterator[Callable[[Script], Awaitable[int]]]:
    """Start a raw asyncio server running ``script`` per connection; returns its port."""
    servers: list[asyncio.Server] = []
    tasks: set[asyncio.Task[None]] = set()

    async def start(script: Script) -> int:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            tasks.add(task)
            try:
                await script(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        servers.append(server)
        port: int = server.sockets[0].getsockname()[1]
        return port

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()
    await asyncio.gather(*tasks, return_exceptions=True)


def scripted_config(port: int, **options: Any) -> SMSCConfig:
    return SMSCConfig(
        login=LOGIN, password=PASSWORD, smtp_host="127.0.0.1", smtp_port=port, **options
    )


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()  # until the client gives up and closes


async def drop_during_data(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 gateway.test ESMTP\r\n")
    while line := await reader.readline():
        verb = line[:4].upper()
        if verb == b"DATA":
            writer.write(b"354 go ahead\r\n")
            await writer.drain()
            await reader.readuntil(b"\r\n.\r\n")
            return  # the message arrived; the line drops before any reply
        writer.write(b"250 OK\r\n")
        await writer.drain()


async def drop_at_rcpt(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 gateway.test ESMTP\r\n")
    while line := await reader.readline():
        if line[:4].upper() == b"RCPT":
            return  # the line drops before the recipient is answered
        writer.write(b"250 OK\r\n")
        await writer.drain()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command line tool."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command line tool is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def assert_no_secret(error: BaseException) -> None:
    """Neither the error nor anything it chains to mentions a credential or the body."""
    current: BaseException | None = error
    while current is not None:
        for text in (str(current), repr(current)):
            for secret in SECRETS:
                assert secret not in text
        current = current.__cause__ or current.__context__


# --------------------------------------------------------------------------- bodies


async def test_plain_message_arrives_with_every_field_in_place(gateway: Gateway) -> None:
    result = await gateway.sender().send("79991234567", "Your code is 4321")

    got = gateway.inbox.only()
    body = got.body()
    assert (body.login, body.psw) == (LOGIN, PASSWORD)
    assert body.id == result.id
    assert (body.time, body.tz) == ("0", "")
    assert (body.translit, body.format, body.sender, body.test) == ("0", "0", "", "0")
    assert (body.phones, body.text) == ("79991234567", "Your code is 4321")
    assert (got.mail_from, got.rcpt_tos) == (FROM, [GATEWAY])


async def test_reference_example_send_sms_mail(gateway: Gateway) -> None:
    # The official libraries' example: send_sms_mail("79999999999", "Ваш пароль: 123")
    await gateway.sender().send("79999999999", "Ваш пароль: 123")

    body = gateway.inbox.only().body()
    assert (body.phones, body.text) == ("79999999999", "Ваш пароль: 123")


async def test_cyrillic_message_survives_the_mail_encoding(gateway: Gateway) -> None:
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю. Ёж!"

    await gateway.sender().send("79991234567", text)

    assert gateway.inbox.only().body().text == text


async def test_cyrillic_goes_as_raw_utf8_when_the_server_offers_8bitmime(
    gateway: Gateway,
) -> None:
    text = "Ваш пароль: 123"

    result = await gateway.sender().send("79991234567", text, id=5)

    got = gateway.inbox.only()
    assert got.transfer_encoding() == result.transfer_encoding == "8bit"
    assert got.mail_options == ["BODY=8BITMIME"]
    line = f"{LOGIN}:{PASSWORD}:5:0,:0,0,,0:79991234567:{text}\r\n".encode()
    assert got.raw.endswith(b"\r\n\r\n" + line)  # the body as the official libraries send it
    assert got.body().text == text


async def test_cyrillic_falls_back_to_a_7bit_encoding_without_8bitmime(
    start_gateway: ServerFactory,
) -> None:
    gateway = await start_gateway(Inbox(eight_bit_mime=False))
    text = "Ваш пароль: 123"

    result = await gateway.sender().send("79991234567", text)

    got = gateway.inbox.only()
    assert got.raw.isascii()
    assert got.transfer_encoding() == result.transfer_encoding
    assert result.transfer_encoding in ("quoted-printable", "base64")
    assert got.mail_options == []
    assert got.body().text == text


async def test_text_block_in_the_message_is_refused_before_connecting(gateway: Gateway) -> None:
    smuggled = "hi [text]alex:pw:77:0,:0,0,,0:79990000777:x[/text]"

    with pytest.raises(RequestValidationError) as caught:
        await gateway.sender().send("79990000002", smuggled)

    assert caught.value.field == "message"
    assert gateway.inbox.received == []


async def test_colons_and_newlines_in_the_text_stay_in_the_text(gateway: Gateway) -> None:
    text = "Code: 12:34\nValid till 10:00\nBye: :)"

    await gateway.sender().send("79991234567", text)

    body = gateway.inbox.only().body()
    assert (body.phones, body.text) == ("79991234567", text)


async def test_list_send_has_an_empty_phones_field_and_one_line_per_entry(
    gateway: Gateway,
) -> None:
    result = await gateway.sender().send(
        list={
            "79999999999": "Ваш пароль: 123",
            "78888888888,+77777777777": "Line one\nline two: done",
        }
    )

    body = gateway.inbox.only().body()
    assert body.phones == ""
    assert body.list_lines() == [
        ("79999999999", "Ваш пароль: 123"),
        ("78888888888,+77777777777", "Line one\\nline two: done"),
    ]
    assert result.phones == ("79999999999", "78888888888", "+77777777777")


async def test_options_are_written_into_their_fields(gateway: Gateway) -> None:
    result = await gateway.sender().send(
        "79991234567; 78881234567",
        "Hi",
        id="order-17",
        time="01.02.30 10:45",
        tz=-1,
        translit=Translit.LOOKALIKE,
        sender="MyShop",
        test=True,
    )

    body = gateway.inbox.only().body()
    assert (body.id, body.time, body.tz) == ("order-17", "0102301045", "-1")
    assert (body.translit, body.sender, body.test) == ("2", "MyShop", "1")
    assert body.phones == "79991234567,78881234567"
    assert result.id == "order-17"


async def test_api_key_goes_in_the_password_field_with_an_empty_login(gateway: Gateway) -> None:
    await gateway.sender(api_key=API_KEY).send("79991234567", "Hi")

    body = gateway.inbox.only().body()
    assert (body.login, body.psw) == ("", API_KEY)


async def test_assigned_id_is_returned_and_differs_per_send(gateway: Gateway) -> None:
    sender = gateway.sender()

    first = await sender.send("79991234567", "one")
    second = await sender.send("79991234567", "two")

    assert [r.body().id for r in gateway.inbox.received] == [first.id, second.id]
    assert first.id != second.id


async def test_result_describes_the_delivery(gateway: Gateway) -> None:
    result = await gateway.sender().send("79991234567", "Hi", test=True)

    raw = gateway.inbox.only().raw
    assert result == SMTPSendResult(
        id=result.id,
        phones=("79991234567",),
        host="127.0.0.1",
        port=gateway.port,
        recipient=GATEWAY,
        tls=False,
        size=len(raw),
        test=True,
        email_message_id=BytesParser(policy=policy.default).parsebytes(raw)["Message-ID"],
    )


CODED_FORMATS = [f for f in MessageFormat if library_code(f) is not None]


@pytest.mark.parametrize("fmt", CODED_FORMATS, ids=[f.value for f in CODED_FORMATS])
async def test_each_format_is_sent_as_its_library_code(
    gateway: Gateway, fmt: MessageFormat
) -> None:
    phones = "user@example.com" if fmt is MessageFormat.MAIL else "79991234567"

    await gateway.sender().send(phones, "Hello", format=fmt)

    body = gateway.inbox.only().body()
    assert body.format == str(library_code(fmt))
    assert body.phones == phones


async def test_telegram_is_refused_before_connecting(gateway: Gateway) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await gateway.sender().send("79991234567", "1234", format=MessageFormat.TELEGRAM)

    assert caught.value.field == "format"
    assert gateway.inbox.received == []


# --------------------------------------------------------------------------- STARTTLS


def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return context


async def test_starttls_is_used_when_the_server_offers_it(
    start_gateway: ServerFactory, certificate: tuple[Path, Path]
) -> None:
    gateway = await start_gateway(tls=server_tls(certificate))
    sender = AsyncSMTPSender(gateway.config(), tls_context=client_tls(certificate))

    result = await sender.send("79991234567", "Привет")

    got = gateway.inbox.only()
    assert got.tls
    assert result.tls
    assert got.body().psw == PASSWORD
    # 8BITMIME is read from the greeting after STARTTLS (the one before it is forgotten).
    assert (got.transfer_encoding(), got.mail_options) == ("8bit", ["BODY=8BITMIME"])


async def test_starttls_is_skipped_when_disabled(
    start_gateway: ServerFactory, certificate: tuple[Path, Path]
) -> None:
    gateway = await start_gateway(tls=server_tls(certificate))

    result = await gateway.sender(smtp_starttls=False).send("79991234567", "Hi")

    assert not gateway.inbox.only().tls
    assert not result.tls


async def test_untrusted_certificate_fails_instead_of_falling_back_to_clear_text(
    start_gateway: ServerFactory, certificate: tuple[Path, Path]
) -> None:
    gateway = await start_gateway(tls=server_tls(certificate))

    with pytest.raises(SMTPConnectionError) as caught:
        await gateway.sender().send("79991234567", "Hi")  # system CAs do not know our cert

    assert "STARTTLS" in str(caught.value)
    assert gateway.inbox.received == []


async def test_required_starttls_not_offered_refuses_to_send(gateway: Gateway) -> None:
    with pytest.raises(SMTPStartTLSError) as caught:
        await gateway.sender(smtp_starttls=True).send("79991234567", "Hi", id="m-3")

    assert not caught.value.retryable
    assert caught.value.message_id == "m-3"
    assert gateway.inbox.received == []
    assert_no_secret(caught.value)


async def test_plain_session_is_used_when_starttls_is_not_offered(gateway: Gateway) -> None:
    result = await gateway.sender().send("79991234567", "Hi")

    assert not result.tls
    assert len(gateway.inbox.received) == 1


# --------------------------------------------------------------------------- failures


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_refused_connection_is_a_retryable_connection_error() -> None:
    sender = AsyncSMTPSender(scripted_config(closed_port()))

    with pytest.raises(SMTPConnectionError) as caught:
        await sender.send("79991234567", "Hi", id="m-1")

    assert caught.value.retryable
    assert caught.value.message_id == "m-1"
    assert_no_secret(caught.value)


async def test_rejected_recipient_is_a_permanent_rejection(start_gateway: ServerFactory) -> None:
    gateway = await start_gateway(Inbox(rcpt_reply="550 5.1.1 No such mailbox"))

    with pytest.raises(SMTPRejectedError) as caught:
        await gateway.sender().send("79991234567", "Hi")

    assert caught.value.smtp_code == 550
    assert not caught.value.retryable
    assert "No such mailbox" in str(caught.value)
    assert_no_secret(caught.value)


async def test_clean_smtp_error_is_kept_as_the_cause(start_gateway: ServerFactory) -> None:
    gateway = await start_gateway(Inbox(rcpt_reply="550 5.1.1 No such mailbox"))

    with pytest.raises(SMTPRejectedError) as caught:
        await gateway.sender().send("79991234567", "Hi")

    assert isinstance(caught.value.__cause__, aiosmtplib.SMTPRecipientRefused)


async def test_temporary_rejection_is_retryable(start_gateway: ServerFactory) -> None:
    gateway = await start_gateway(Inbox(rcpt_reply="450 4.2.0 Try again later"))

    with pytest.raises(SMTPTemporaryRejectionError) as caught:
        await gateway.sender().send("79991234567", "Hi")

    assert caught.value.smtp_code == 450
    assert caught.value.retryable


async def test_rejected_data_is_a_rejection(start_gateway: ServerFactory) -> None:
    gateway = await start_gateway(Inbox(data_reply="554 5.6.0 Message refused"))

    with pytest.raises(SMTPRejectedError) as caught:
        await gateway.sender().send("79991234567", "Hi")

    assert caught.value.smtp_code == 554
    assert_no_secret(caught.value)


async def test_server_text_echoing_a_secret_is_withheld(start_gateway: ServerFactory) -> None:
    gateway = await start_gateway(Inbox(rcpt_reply=f"550 refused for {LOGIN}:{PASSWORD}"))

    with pytest.raises(SMTPRejectedError) as caught:
        await gateway.sender().send("79991234567", "Hi")

    assert "withheld" in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert_no_secret(caught.value)


async def test_silent_server_times_out_with_a_typed_error(
    scripted: Callable[[Script], Awaitable[int]],
) -> None:
    sender = AsyncSMTPSender(scripted_config(await scripted(never_answer)))

    with pytest.raises(SMTPTimeoutError) as caught:
        await sender.send("79991234567", "Hi", timeout=0.3)

    assert caught.value.retryable
    assert "connection" in str(caught.value)
    assert_no_secret(caught.value)


async def test_line_dropped_before_data_is_a_retryable_connection_error(
    scripted: Callable[[Script], Awaitable[int]],
) -> None:
    sender = AsyncSMTPSender(scripted_config(await scripted(drop_at_rcpt)))

    with pytest.raises(SMTPConnectionError) as caught:
        await sender.send("79991234567", "Hi")

    assert not isinstance(caught.value, SendOutcomeUnknownError)
    assert caught.value.retryable
    assert "RCPT TO" in str(caught.value)


async def test_line_dropped_during_data_means_outcome_unknown(
    scripted: Callable[[Script], Awaitable[int]],
) -> None:
    sender = AsyncSMTPSender(scripted_config(await scripted(drop_during_data)))

    with pytest.raises(SMTPOutcomeUnknownError) as caught:
        await sender.send("79991234567", "Hi", id="m-2")

    assert isinstance(caught.value, SendOutcomeUnknownError)
    assert not caught.value.retryable
    assert (caught.value.message_id, caught.value.phones) == ("m-2", ("79991234567",))
    assert_no_secret(caught.value)
