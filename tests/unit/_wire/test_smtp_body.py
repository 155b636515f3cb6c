"""AsyncSMTPSender without sockets: the body it writes, and what it refuses before connecting.

``aiosmtplib.SMTP`` is replaced by a recorder, so every test sees the exact bytes that would
go on the wire, or proves that no connection was attempted.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from typing import Any, ClassVar

import aiosmtplib
import pytest

from smsc import (
    SMTP_MAX_EMAIL_BYTES,
    AsyncSMTPSender,
    ConfigurationError,
    MessageFormat,
    RequestValidationError,
    SMSCConfig,
)
from smsc._rules.recipients import validate_message_id

LOGIN = "alex"
PASSWORD = "Pa55-w0rd-very-secret"


class RecordingSMTP:
    """Stands in for ``aiosmtplib.SMTP``: accepts everything and keeps what it was given."""

    sessions: ClassVar[list[RecordingSMTP]] = []
    extensions: ClassVar[set[str]] = set()  # what the server "offers" in its EHLO answer
    is_connected = True

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.envelope: list[str] = []
        self.mail_options: list[str] = []
        self.message = b""
        RecordingSMTP.sessions.append(self)

    async def connect(self) -> None:
        pass

    async def ehlo(self) -> None:
        pass

    async def helo(self) -> None:
        pass

    def supports_extension(self, name: str) -> bool:
        return name.lower() in self.extensions

    async def mail(self, sender: str, options: list[str] | None = None) -> None:
        self.envelope.append(sender)
        self.mail_options = list(options or [])

    async def rcpt(self, recipient: str) -> None:
        self.envelope.append(recipient)

    async def data(self, message: bytes) -> None:
        self.message = message

    async def quit(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def wire(monkeypatch: pytest.MonkeyPatch) -> list[RecordingSMTP]:
    RecordingSMTP.sessions = []
    RecordingSMTP.extensions = set()
    monkeypatch.setattr(aiosmtplib, "SMTP", RecordingSMTP)
    return RecordingSMTP.sessions


def make_sender(**options: Any) -> AsyncSMTPSender:
    credentials: dict[str, Any] = {"login": LOGIN, "password": PASSWORD}
    if "api_key" in options or "login" in options:
        credentials = {}
    return AsyncSMTPSender(SMSCConfig(**credentials, **options))


def body_of(session: RecordingSMTP) -> str:
    """The decoded text/plain body, without the line break every e-mail body ends with."""
    mail = BytesParser(policy=policy.default).parsebytes(session.message)
    content = mail.get_content().replace("\r\n", "\n")
    assert content.endswith("\n")
    return str(content[:-1])


async def sent_body(*args: Any, via: AsyncSMTPSender | None = None, **kwargs: Any) -> str:
    """Send through the recorder and return the body it got."""
    await (via or make_sender()).send(*args, **kwargs)
    return body_of(RecordingSMTP.sessions[-1])


# --------------------------------------------------------------------------- the body


async def test_body_fields_follow_the_documented_layout() -> None:
    body = await sent_body("79991234567", "Hi", id=5)

    assert body == f"{LOGIN}:{PASSWORD}:5:0,:0,0,,0:79991234567:Hi"


async def test_every_option_lands_in_its_field() -> None:
    body = await sent_body(
        ["79991234567", "+7 (888) 123-45-67"],
        "Hi",
        id="x.1",
        time="+30",
        tz=3,
        translit=1,
        format=MessageFormat.FLASH,
        sender="Shop",
        test=True,
    )

    assert body == f"{LOGIN}:{PASSWORD}:x.1:+30,3:1,1,Shop,1:79991234567,+78881234567:Hi"


async def test_format_may_be_given_by_its_value() -> None:
    body = await sent_body("79991234567", "Hi", id=1, format="ping")

    assert body.split(":")[4] == "0,6,,0"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("01.02.30 10:45", "0102301045"),
        (datetime(2030, 2, 1, 10, 45), "0102301045"),
        (datetime(2030, 2, 1, 10, 45, tzinfo=timezone.utc), "01896173100"),
        (timedelta(minutes=90), "+90"),
        ("9-21", "9-21"),
    ],
    ids=["dotted-string", "naive-datetime", "aware-datetime", "timedelta", "hour-window"],
)
async def test_time_is_written_without_a_colon(value: str | datetime, field: str) -> None:
    body = await sent_body("79991234567", "Hi", id=1, time=value)

    assert body.split(":")[3] == f"{field},"


async def test_empty_sender_switches_the_default_sender_off() -> None:
    body = await sent_body("79991234567", "Hi", id=1, sender="")

    assert body.split(":")[4] == "0,0,.,0"


async def test_api_key_leaves_the_login_field_empty() -> None:
    body = await sent_body("79991234567", "Hi", id=1, via=make_sender(api_key="k-123"))

    assert body.startswith(":k-123:1:")


async def test_list_newlines_of_every_kind_become_backslash_n() -> None:
    body = await sent_body(list={"79991234567": "a\r\nb\rc\nd"}, id=1)

    assert body.endswith("::79991234567:a\\nb\\nc\\nd")


async def test_list_pairs_keep_their_order_and_repeats() -> None:
    body = await sent_body(
        list=[("79991234567", "one"), ("78881234567", "two"), ("79991234567", "three")], id=1
    )

    assert body.split("::", 1)[1].split("\n") == [
        "79991234567:one",
        "78881234567:two",
        "79991234567:three",
    ]


async def test_plain_text_line_breaks_are_sent_as_line_breaks() -> None:
    body = await sent_body("79991234567", "a\r\nb\rc", id=1)

    assert body.endswith(":79991234567:a\nb\nc")


async def test_text_may_be_empty_for_hlr() -> None:
    body = await sent_body("79991234567", "", id=1, format=MessageFormat.HLR)

    assert body.endswith(":0,3,,0:79991234567:")


# --------------------------------------------------------------------------- the e-mail


async def test_email_is_seven_bit_clean_when_the_server_offers_no_8bitmime() -> None:
    result = await make_sender().send("79991234567", "Ваш пароль: 123")

    session = RecordingSMTP.sessions[0]
    mail = BytesParser(policy=policy.default).parsebytes(session.message)
    assert session.message.isascii()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    assert result.transfer_encoding == mail["Content-Transfer-Encoding"]
    assert session.mail_options == []  # no BODY=8BITMIME to a server that did not offer it


async def test_email_is_raw_utf8_text_when_the_server_offers_8bitmime() -> None:
    RecordingSMTP.extensions = {"8bitmime"}

    result = await make_sender().send("79991234567", "Ваш пароль: 123", id=7)

    session = RecordingSMTP.sessions[0]
    head, _, body = session.message.partition(b"\r\n\r\n")
    assert b"Content-Transfer-Encoding: 8bit" in head
    assert b'charset="utf-8"' in head
    assert body == f"{LOGIN}:{PASSWORD}:7:0,:0,0,,0:79991234567:Ваш пароль: 123\r\n".encode()
    assert session.mail_options == ["BODY=8BITMIME"]
    assert (result.transfer_encoding, result.size) == ("8bit", len(session.message))


async def test_ascii_email_is_plain_7bit_and_announces_no_8bit_body() -> None:
    RecordingSMTP.extensions = {"8bitmime"}

    result = await make_sender().send("79991234567", "Code 4321")

    session = RecordingSMTP.sessions[0]
    assert b"Content-Transfer-Encoding: 7bit" in session.message
    assert session.mail_options == []
    assert result.transfer_encoding == "7bit"


async def test_line_longer_than_smtp_allows_falls_back_to_a_7bit_encoding() -> None:
    # RFC 5321 limits a line to 998 octets even with 8BITMIME: 500 "Я" are 1000 octets.
    RecordingSMTP.extensions = {"8bitmime"}

    result = await make_sender().send("79991234567", "Я" * 500)

    session = RecordingSMTP.sessions[0]
    assert session.message.isascii()
    assert max(len(line) for line in session.message.split(b"\r\n")) <= 998
    assert result.transfer_encoding in ("quoted-printable", "base64")
    assert session.mail_options == []
    assert body_of(session).endswith(":79991234567:" + "Я" * 500)


async def test_envelope_and_headers_use_the_configured_addresses() -> None:
    await make_sender(smtp_sender="app@example.com").send("79991234567", "Hi")

    session = RecordingSMTP.sessions[0]
    mail = BytesParser(policy=policy.default).parsebytes(session.message)
    assert session.envelope == ["app@example.com", "send@send.smsc.ru"]
    assert (mail["From"], mail["To"]) == ("app@example.com", "send@send.smsc.ru")


async def test_result_carries_the_email_size_and_message_id_header() -> None:
    result = await make_sender().send("79991234567", "Hi")

    raw = RecordingSMTP.sessions[0].message
    assert result.size == len(raw)
    assert BytesParser(policy=policy.default).parsebytes(raw)["Message-ID"] == (
        result.email_message_id
    )


async def test_assigned_id_is_a_valid_unique_message_id() -> None:
    sender = make_sender()

    first = await sender.send("79991234567", "Hi")
    second = await sender.send("79991234567", "Hi")

    assert isinstance(first.id, str)
    assert re.fullmatch(r"s-[0-9a-f]{32}", first.id)
    assert validate_message_id(first.id) == first.id
    assert first.id != second.id


async def test_given_numeric_id_is_kept_as_a_number() -> None:
    result = await make_sender().send("79991234567", "Hi", id=42)

    assert result.id == 42


@pytest.mark.parametrize(
    ("call_timeout", "expected"), [(None, 7.0), (1.5, 1.5)], ids=["config", "per-call"]
)
async def test_timeout_comes_from_the_call_or_the_config(
    call_timeout: float | None, expected: float
) -> None:
    await make_sender(smtp_timeout=7.0).send("79991234567", "Hi", timeout=call_timeout)

    assert RecordingSMTP.sessions[0].options["timeout"] == expected


# --------------------------------------------------------------------------- sites


@pytest.mark.parametrize(
    ("site", "host", "recipient"),
    [
        ("smsc.ru", "send.smsc.ru", "send@send.smsc.ru"),
        ("smscentre.com", "send.smscentre.com", "send@send.smscentre.com"),
        ("smsc.kz", "send.smsc.kz", "send@send.smsc.kz"),
    ],
)
def test_gateway_defaults_follow_the_site(site: str, host: str, recipient: str) -> None:
    sender = make_sender(host=site)

    assert (sender.host, sender.port, sender.recipient) == (host, 25, recipient)


def test_repr_names_the_gateway_and_hides_credentials() -> None:
    text = repr(make_sender())

    assert "send@send.smsc.ru" in text
    assert PASSWORD not in text
    assert LOGIN not in text


async def test_composed_mail_in_a_failed_sends_frames_shows_no_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Error trackers (Sentry, rich tracebacks) record the repr of every frame's locals.
    async def broken(self: RecordingSMTP, message: bytes) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(RecordingSMTP, "data", broken)
    with pytest.raises(RuntimeError) as caught:
        await make_sender().send("79991234567", "Code 1234")
    shown = [
        repr(entry.frame.f_locals["mail"])
        for entry in caught.traceback
        if "mail" in entry.frame.f_locals
    ]
    assert shown
    assert not [text for text in shown if PASSWORD in text or "79991234567" in text]


def test_non_ascii_from_address_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        make_sender(smtp_sender="отправитель@example.com")


# --------------------------------------------------------------------------- refusals


REFUSALS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("colon-in-login", {"login": "al:ex", "password": "p"}, {}, "login"),
    ("newline-in-login", {"login": "al\nex", "password": "p"}, {}, "login"),
    ("colon-in-password", {"login": "alex", "password": "se:cret"}, {}, "password"),
    ("colon-in-api-key", {"api_key": "k:1"}, {}, "api_key"),
    ("colon-in-sender", {}, {"sender": "Shop:1"}, "sender"),
    ("comma-in-sender", {}, {"sender": "Shop,1"}, "sender"),
    (
        "colon-in-mail-recipient",
        {},
        {"phones": "a:b@example.com", "format": MessageFormat.MAIL},
        "phones",
    ),
    ("no-phones-no-list", {}, {"phones": None}, "phones"),
    ("empty-phones", {}, {"phones": ""}, "phones"),
    ("phones-and-list", {}, {"list": {"79991234567": "Hi"}}, "list"),
    ("message-with-list", {}, {"phones": None, "list": {"79991234567": "Hi"}}, "message"),
    ("empty-list", {}, {"phones": None, "message": "", "list": {}}, "list"),
    ("bad-list-item", {}, {"phones": None, "message": "", "list": ["79991234567"]}, "list"),
    ("bad-phone-in-list", {}, {"phones": None, "message": "", "list": {"12": "Hi"}}, "list"),
    ("telegram", {}, {"format": MessageFormat.TELEGRAM}, "format"),
    ("unknown-format", {}, {"format": "fax"}, "format"),
    ("bad-translit", {}, {"translit": 7}, "translit"),
    ("bad-id", {}, {"id": "no spaces"}, "id"),
    ("bad-tz", {}, {"tz": 30}, "tz"),
    ("bad-time", {}, {"time": "tomorrow"}, "time"),
    ("zero-timeout", {}, {"timeout": 0}, "timeout"),
    ("empty-sms-text", {}, {"message": ""}, "message"),
]


@pytest.mark.parametrize(
    ("config", "call", "field"),
    [refusal[1:] for refusal in REFUSALS],
    ids=[refusal[0] for refusal in REFUSALS],
)
async def test_bad_input_is_refused_before_connecting(
    wire: list[RecordingSMTP], config: dict[str, Any], call: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {"phones": "79991234567", "message": "Hi", **call}

    with pytest.raises(RequestValidationError) as caught:
        await make_sender(**config).send(**arguments)

    assert caught.value.field == field
    assert wire == []


async def test_refusal_of_a_password_does_not_show_it() -> None:
    with pytest.raises(RequestValidationError) as caught:
        await make_sender(login="alex", password="top:secret").send("79991234567", "Hi")

    assert "top:secret" not in str(caught.value)
    assert "secret" not in str(caught.value)


async def test_email_over_100_kb_is_refused(wire: list[RecordingSMTP]) -> None:
    text = "x" * SMTP_MAX_EMAIL_BYTES

    with pytest.raises(RequestValidationError) as caught:
        await make_sender().send("user@example.com", text, format=MessageFormat.MAIL)

    assert caught.value.field == "message"
    assert wire == []


async def test_list_over_100_kb_is_refused(wire: list[RecordingSMTP]) -> None:
    lines = [(f"7999{n:07d}", "Я" * 1000) for n in range(60)]

    with pytest.raises(RequestValidationError) as caught:
        await make_sender().send(list=lines)

    assert caught.value.field == "list"
    assert wire == []


async def test_email_just_under_the_limit_is_sent(wire: list[RecordingSMTP]) -> None:
    # Plain ASCII lines go out as they are; leave room for the headers.
    text = "\n".join(["x" * 70] * 1410)

    result = await make_sender().send("user@example.com", text, format=MessageFormat.MAIL)

    assert SMTP_MAX_EMAIL_BYTES - 2000 < result.size <= SMTP_MAX_EMAIL_BYTES


async def test_logs_mask_phones_and_never_hold_credentials_or_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="smsc")

    await make_sender().send("79991234567", "Secret code 4321")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "7999***4567" in logged
    for private in ("79991234567", "Secret code 4321", PASSWORD):
        assert private not in logged
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert info
    assert not any("7999" in message for message in info)


# --------------------------------------------------------------------------- [text] blocks

SMUGGLED = "alex:pw:77:0,:0,0,,0:79990000777:x"


@pytest.mark.parametrize(
    "text",
    [
        f"hi [text]{SMUGGLED}[/text]",
        f"hi [TEXT]{SMUGGLED}[/Text]",
        f"hi [ text ]{SMUGGLED}[ / text ]",
        f"hi [\ttext\t]{SMUGGLED}",
        "only a closing marker [/text]",
    ],
    ids=["lower", "mixed-case", "spaced", "tab-and-no-end", "closing-only"],
)
async def test_text_block_markers_in_the_message_are_refused(
    wire: list[RecordingSMTP], text: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await make_sender().send("79990000002", text)

    assert caught.value.field == "message"
    assert "[text]" in str(caught.value)
    assert wire == []


async def test_text_block_markers_in_a_list_text_are_refused(wire: list[RecordingSMTP]) -> None:
    lines = {"79990000002": "fine", "79990000003": f"[text]{SMUGGLED}[/text]"}

    with pytest.raises(RequestValidationError) as caught:
        await make_sender().send(list=lines)

    assert caught.value.field == "list"
    assert wire == []


async def test_text_block_marker_in_the_password_is_refused_without_showing_it(
    wire: list[RecordingSMTP],
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await make_sender(login="alex", password="pw[text]secret").send("79990000002", "Hi")

    assert caught.value.field == "password"
    assert "secret" not in str(caught.value)
    assert wire == []


async def test_brackets_and_the_word_text_alone_are_sent() -> None:
    body = await sent_body("79990000002", "see [context] and the text [1]", id=1)

    assert body.endswith(":79990000002:see [context] and the text [1]")
