"""The e-mail gateway (protocol §10), driven by aiosmtplib as any mail client would."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage

import aiosmtplib
import pytest

from smsc import AsyncSMTPSender, SMSCConfig
from smsc.testing import SMSCEmulator, SMTPIngest, parse_mail

from .conftest import API_KEY, LOGIN, OTHER_PHONE, PASSWORD, PHONE

pytestmark = pytest.mark.integration


@pytest.fixture
async def ingest(emulator: SMSCEmulator) -> SMTPIngest:
    """The gateway on a free loopback port (stopped with the emulator)."""
    return await emulator.start_smtp()


def mail(body: str, charset: str | None = "utf-8") -> bytes:
    """A plain-text e-mail to the gateway with ``body`` in ``charset`` (None: no header)."""
    head = "From: app@example.test\r\nTo: send@send.smsc.ru\r\nSubject: sms\r\n"
    if charset is not None:
        head += f'Content-Type: text/plain; charset="{charset}"\r\n'
    return (head + "\r\n").encode("ascii") + body.encode(charset or "koi8-r")


async def deliver(ingest: SMTPIngest, raw: bytes) -> tuple[int, str]:
    """Send ``raw`` to the gateway; the SMTP code and text of the DATA reply."""
    errors, reply = await aiosmtplib.send(
        raw,
        sender="app@example.test",
        recipients=["send@send.smsc.ru"],
        hostname=ingest.host,
        port=ingest.port,
    )
    assert errors == {}
    code, _, text = reply.partition(" ")
    return int(code) if code.isdigit() else 250, text


async def test_current_layout_creates_a_message(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§10: ``login:psw:id:time,tz:translit,format,sender,test:phones:mes``."""
    body = f"{LOGIN}:{PASSWORD}:42:,:0,0,Shop,0:{PHONE}:Hello: colons stay"
    await deliver(ingest, mail(body))
    message = emulator.message(42, PHONE)
    assert (message.text, message.sender, message.channel) == ("Hello: colons stay", "Shop", "smtp")


async def test_list_layout_sends_each_line(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§10: an empty phones field is followed by a ``list`` (§3.1)."""
    body = f"{LOGIN}:{PASSWORD}:7:,:0,0,,0::{PHONE}:First\n{OTHER_PHONE}:Second"
    await deliver(ingest, mail(body))
    texts = [emulator.message(7, phone).text for phone in (PHONE, OTHER_PHONE)]
    assert texts == ["First", "Second"]


async def test_older_short_layout_is_accepted(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§10 [LIB]: ``login:psw:id:time:translit,format,sender:phones:mes``."""
    await deliver(ingest, mail(f"{LOGIN}:{PASSWORD}:8:0:1,0,Shop:{PHONE}:Привет"))
    assert emulator.message(8, PHONE).text == "Privet"


async def test_dotted_time_with_colon_is_read_as_the_time(
    ingest: SMTPIngest, emulator: SMSCEmulator
) -> None:
    """§10, §3.2: ``DD.MM.YY hh:mm`` holds a colon; the layout still splits right."""
    await deliver(ingest, mail(f"{LOGIN}:{PASSWORD}:9:02.01.24 10:00,0:0,0,,0:{PHONE}:Later"))
    message = emulator.message(9, PHONE)
    assert message.scheduled_at == 1704178800  # 2024-01-02 10:00 Moscow time


async def test_text_without_charset_is_read_as_koi8r(
    ingest: SMTPIngest, emulator: SMSCEmulator
) -> None:
    """§10: without a declared charset the body is koi8-r."""
    await deliver(ingest, mail(f"{LOGIN}:{PASSWORD}:10:,:0,0,,0:{PHONE}:Привет", charset=None))
    assert emulator.message(10, PHONE).text == "Привет"


async def test_text_wrapper_is_unwrapped(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§10: a payload inside ``[text]...[/text]`` (e.g. in an HTML mail) is used."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.test", "send@send.smsc.ru", "x"
    message.set_content(
        f"<p>[text]{LOGIN}:{PASSWORD}:11:,:0,0,,0:{PHONE}:Wrapped[/text]</p>", subtype="html"
    )
    await deliver(ingest, bytes(message))
    assert emulator.message(11, PHONE).text == "Wrapped"


async def test_empty_login_takes_the_api_key(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§2, §10: with an empty login the ``psw`` field is the API key."""
    await deliver(ingest, mail(f":{API_KEY}:12:,:0,0,,0:{PHONE}:Keyed"))
    assert emulator.message(12, PHONE).login == LOGIN


async def test_refused_mail_is_recorded_with_its_error(ingest: SMTPIngest) -> None:
    """§10 [UNK]: errors are not reported to the sender by default, only recorded."""
    code, _ = await deliver(ingest, mail(f"{LOGIN}:wrong:13:,:0,0,,0:{PHONE}:Hi"))
    assert (code, ingest.received[0].error_code, ingest.received[0].ok) == (250, 2, False)


async def test_refused_mail_can_be_rejected_with_the_error(emulator: SMSCEmulator) -> None:
    """With ``reject_errors=True`` a refused request answers ``554 ERROR = N (...)``."""
    ingest = await emulator.start_smtp(reject_errors=True)
    with pytest.raises(aiosmtplib.SMTPDataError) as caught:
        await deliver(ingest, mail(f"{LOGIN}:wrong:14:,:0,0,,0:{PHONE}:Hi"))
    assert (caught.value.code, caught.value.message) == (554, "ERROR = 2 (authorise error)")


async def test_mail_over_100_kb_is_refused(ingest: SMTPIngest, emulator: SMSCEmulator) -> None:
    """§10: e-mails are limited to 100 KB."""
    body = f"{LOGIN}:{PASSWORD}:15:,:0,0,,0:{PHONE}:" + "x" * (101 * 1024)
    with pytest.raises(aiosmtplib.SMTPResponseException) as caught:
        await deliver(ingest, mail(body))
    assert (caught.value.code, emulator.messages) == (552, [])


def test_parse_mail_reads_every_field() -> None:
    """§10: the field layout, with format 3 (HLR) mapped to ``hlr=1``."""
    params = parse_mail(mail(f"{LOGIN}:{PASSWORD}:5:0101241200,2:1,3,Shop,1:{PHONE}:"))
    assert params == {
        "login": LOGIN,
        "psw": PASSWORD,
        "charset": "utf-8",
        "id": "5",
        "time": "0101241200",
        "tz": "2",
        "translit": "1",
        "sender": "Shop",
        "test": "1",
        "hlr": "1",
        "phones": PHONE,
        "mes": "",
    }


@pytest.mark.parametrize("encoding", ["8bit", "quoted-printable", "base64"])
async def test_every_transfer_encoding_of_the_body_is_read(
    ingest: SMTPIngest, emulator: SMSCEmulator, encoding: str
) -> None:
    """Raw UTF-8 (as the official libraries and the SDK send it) and both 7-bit encodings."""
    message = EmailMessage()
    message["From"], message["To"] = "a@b.test", "send@send.smsc.ru"
    body = f"{LOGIN}:{PASSWORD}:16:,:0,0,,0:{PHONE}:Ваш пароль: 123"
    message.set_content(body, charset="utf-8", cte=encoding)
    await deliver(ingest, message.as_bytes(policy=email.policy.SMTP))
    assert emulator.message(16, PHONE).text == "Ваш пароль: 123"


async def test_sdk_sender_reaches_the_ingest_in_8bit(
    ingest: SMTPIngest, emulator: SMSCEmulator
) -> None:
    """aiosmtpd offers 8BITMIME, so the SDK sends raw UTF-8 and the ingest reads it."""
    config = SMSCConfig(
        login=LOGIN, password=PASSWORD, smtp_host=ingest.host, smtp_port=ingest.port
    )
    result = await AsyncSMTPSender(config).send(PHONE, "Привет: мир", id=17)
    assert result.transfer_encoding == "8bit"
    assert emulator.message(17, PHONE).text == "Привет: мир"


def test_html_text_block_is_read_as_text() -> None:
    """§10: a ``[text]`` block in an HTML mail is HTML: entities and tags are undone."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.test", "send@send.smsc.ru", "x"
    message.set_content(
        f"<p>[text]{LOGIN}:{PASSWORD}:11:,:0,0,,0:<a href='tel:{PHONE}'>{PHONE}</a>:"
        "Tom &amp; Jerry &lt;3<br>bye[/text]</p>",
        subtype="html",
    )
    params = parse_mail(bytes(message))
    assert (params["phones"], params["mes"]) == (PHONE, "Tom & Jerry <3\nbye")
