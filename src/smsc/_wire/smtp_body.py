"""The body of an e-mail to the SMTP gateway (protocol reference §10): its one-line layout.

The gateway reads one line of colon-separated fields from a plain-text e-mail::

    login:psw:id:time,tz:translit,format,sender,test:phones:mes
    login:psw:id:time,tz:translit,format,sender,test::<list>

An empty login means the second field is an API key. The request arrives checked (see
``smsc._rules.send_request``); this module writes it and refuses what the layout cannot carry (a
``:`` or line break inside a field, a ``,`` inside a sub-field, a ``[text]`` marker).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from .._enums import MessageFormat
from .._errors import RequestValidationError
from .._models.messages import SendRequest
from .._privacy import mask_phone
from .forms import credential_fields, encode_time, library_code

if TYPE_CHECKING:
    from .._config import SMSCConfig

__all__ = ["GatewayBody", "gateway_body"]

# The gateway reads a [text]...[/text] block, when there is one, as the whole payload (§10).
# Spaces inside the brackets and any letter case are refused too: what the gateway accepts is
# not documented, so everything it might read as a marker is kept out of the body.
_TEXT_MARKER: Final = re.compile(r"\[\s*/?\s*text\s*\]", re.IGNORECASE)

_FIELD_BREAKERS: Final = (":", "\r", "\n")
_SUBFIELD_BREAKERS: Final = (*_FIELD_BREAKERS, ",")


@dataclass(frozen=True)
class GatewayBody:
    """The body text of one gateway e-mail and what no error text may ever repeat.

    Its repr shows neither the text (which holds the credentials) nor the private values.
    """

    text: str = field(repr=False)
    private: tuple[str, ...] = field(repr=False)
    field_name: str = "message"


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


def _credentials(config: SMSCConfig) -> tuple[str, str]:
    """The body's first two fields: login and password, or an empty login and the API key."""
    fields = credential_fields(config)
    if "apikey" in fields:
        key = fields["apikey"]
        _refuse_breakers(key, field="api_key", what="the API key")
        return "", key
    login, password = fields["login"], fields["psw"]
    _refuse_breakers(login, field="login", what="the login")
    _refuse_breakers(password, field="password", what="the password (use an API key)")
    return login, password


def _format_code(fmt: MessageFormat) -> int:
    code = library_code(fmt)
    if code is None:
        raise RequestValidationError(
            f"the SMTP gateway has no format code for {fmt.value} messages; send them over HTTP",
            field="format",
        )
    return code


def _time_field(request: SendRequest) -> str:
    if request.time is None:
        return "0"  # "send now", as the official libraries write it
    text = encode_time(request.time)
    # "DD.MM.YY hh:mm" is the one accepted form with a colon: write it as DDMMYYhhmm.
    return text.replace(".", "").replace(" ", "").replace(":", "") if ":" in text else text


def _sender_field(sender: str | None) -> str:
    if sender is None:
        return ""
    _refuse_breakers(sender, field="sender", what="the sender", subfield=True)
    # An empty field means "not given" in the body; "." switches the default Sender ID off.
    return sender or "."


def _phones_field(phones: Sequence[str]) -> str:
    for position, item in enumerate(phones, start=1):
        if any(char in item for char in _FIELD_BREAKERS):
            raise RequestValidationError(
                f"phones: item {position} ({mask_phone(item)}) contains ':', which the SMTP "
                "gateway's body layout cannot carry",
                field="phones",
            )
    return ",".join(phones)


def _list_field(lines: Sequence[SendRequest]) -> str:
    """The ``phones:mes`` lines; a line break inside a text is written as the two chars ``\\n``."""
    rendered = []
    for number, line in enumerate(lines, start=1):
        try:
            phones = _phones_field(line.phones)
        except RequestValidationError as exc:
            raise RequestValidationError(f"list line {number}: {exc}", field="list") from None
        flat = line.message.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        rendered.append(f"{phones}:{flat}")
    return "\n".join(rendered)


def gateway_body(
    config: SMSCConfig, request: SendRequest, *, lines: Sequence[SendRequest] = (), test: bool
) -> GatewayBody:
    """The body of the e-mail sending ``request`` (or, with ``lines``, one text per line).

    Raises:
        RequestValidationError: a field the layout cannot carry; ``field`` names the argument.
    """
    code = _format_code(request.format)
    login, secret = _credentials(config)
    if lines:
        phones_field, text = "", _list_field(lines)
        texts = [line.message for line in lines]
        recipients = [phone for line in lines for phone in line.phones]
    else:
        phones_field, text = _phones_field(request.phones), request.message
        texts, recipients = [text], list(request.phones)
    tz_field = "" if request.tz is None else str(request.tz)
    translit = int(request.translit or 0)
    flags = f"{translit},{code},{_sender_field(request.sender)},{int(test)}"
    head = f"{login}:{secret}:{request.id}:{_time_field(request)},{tz_field}:{flags}"
    body = f"{head}:{phones_field}:{text}"
    field_name = "list" if lines else "message"
    _refuse_text_markers(
        body,
        (
            (field_name, phones_field, *texts),
            ("sender", "" if request.sender is None else request.sender),
            ("api_key" if not login else "password", secret),
            ("login", login),
        ),
    )
    private = tuple(v for v in (secret, login, body, *texts, *recipients) if v)
    return GatewayBody(body, private, field_name)
