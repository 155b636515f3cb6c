"""Bad arguments of the account-data commands are refused before any request, naming the
field, without repeating the private value."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
import respx

from smsc import AsyncSMSCClient, RequestValidationError

Call = Callable[[AsyncSMSCClient], Awaitable[Any]]
D = date(2026, 1, 1)

BAD: list[tuple[str, Call, str]] = [
    ("empty sender", lambda c: c.senders.add(""), "sender"),
    ("unknown registration", lambda c: c.senders.add("Shop", register=["mts"]), "register"),  # type: ignore[list-item]
    ("registration as text", lambda c: c.senders.add("Shop", register="mts_paid"), "register"),  # type: ignore[arg-type]
    ("every as 1", lambda c: c.senders.list(every=1), "every"),  # type: ignore[arg-type]
    ("long sender", lambda c: c.senders.add("TwelveChars!"), "sender"),
    ("sender and id", lambda c: c.senders.delete("Shop", id=3), "sender"),
    ("neither sender nor id", lambda c: c.senders.delete(), "sender"),
    ("bad sender id", lambda c: c.senders.change(id=0, comment="x"), "id"),
    ("letters for a code", lambda c: c.senders.send_code("Shop"), "sender"),
    ("empty code", lambda c: c.senders.confirm("79991234567", " "), "code"),
    ("long comment", lambda c: c.senders.add("Shop", comment="x" * 1001), "comment"),
    ("bad phone", lambda c: c.contacts.add("12ab-secret"), "phone"),
    ("two phones", lambda c: c.contacts.add("79991234567,79991234568"), "phone"),
    ("group as phone", lambda c: c.contacts.delete("G5"), "phone"),
    ("bad new phone", lambda c: c.contacts.change("79991234567", new_phone="x"), "new_phone"),
    ("nothing to change", lambda c: c.contacts.change("79991234567"), "new_phone"),
    ("empty group name", lambda c: c.contacts.add_group("  "), "name"),
    ("long group name", lambda c: c.contacts.add_group("n" * 201), "name"),
    ("group id zero", lambda c: c.contacts.delete_group(0), "group"),
    ("group id bool", lambda c: c.contacts.list(group=True), "group"),
    ("group id text", lambda c: c.contacts.move_to_group("79991234567", "5"), "group"),  # type: ignore[arg-type]
    ("empty template", lambda c: c.templates.add("t", ""), "message"),
    ("empty template name", lambda c: c.templates.add("", "text"), "name"),
    ("template change of nothing", lambda c: c.templates.change(2), "name"),
    ("template id", lambda c: c.templates.delete(-1), "id"),
    ("template format", lambda c: c.templates.add("t", "x", format="tg"), "format"),  # type: ignore[arg-type]
    ("template signature", lambda c: c.templates.change(2, auto_signature=1), "auto_signature"),  # type: ignore[arg-type]
    ("template sender", lambda c: c.templates.add("t", "x", sender="x" * 12), "sender"),
    ("no operator kind", lambda c: c.operator_templates.add("Shop", "x", kinds=[]), "kinds"),
    (
        "unknown operator kind",
        lambda c: c.operator_templates.add("Shop", "x", kinds=["mts"]),  # type: ignore[list-item]
        "kinds",
    ),
    (
        "operator kinds as text",
        lambda c: c.operator_templates.add("Shop", "x", kinds="soc"),  # type: ignore[arg-type]
        "kinds",
    ),
    ("operator template sender", lambda c: c.operator_templates.get("", "x"), "sender"),
    ("operator template text", lambda c: c.operator_templates.get("Shop", ""), "message"),
    ("empty login", lambda c: c.users.add("", password="p"), "login"),
    ("login with space", lambda c: c.users.top_up("a b", 1), "login"),
    ("empty password", lambda c: c.users.add("sub", password=""), "password"),
    ("password with space", lambda c: c.users.add("sub", password="top secret"), "password"),
    ("nothing to change", lambda c: c.users.change("sub"), "name"),
    ("zero amount", lambda c: c.users.top_up("sub", 0), "amount"),
    ("NaN amount", lambda c: c.users.top_up("sub", "NaN"), "amount"),
    ("text amount", lambda c: c.users.top_up("sub", "ten"), "amount"),
    ("bad e-mail", lambda c: c.users.add("sub", password="Sub-pa55!", email="x"), "email"),
    ("bad phone2", lambda c: c.users.change("sub", phone2="12ab"), "phone2"),
    ("unknown type", lambda c: c.users.add("sub", password="Sub-pa55!", type=7), "type"),  # type: ignore[arg-type]
    ("flag as 1", lambda c: c.users.change("sub", forward_to_email=1), "forward_to_email"),  # type: ignore[arg-type]
    ("site id zero", lambda c: c.users.add("sub", password="Sub-pa55!", site_id=0), "site_id"),
    ("login and id", lambda c: c.users.stats(D, D, login="sub", user_id=3), "user_id"),
    ("unknown balance", lambda c: c.users.stats(D, D, balance="both"), "balance"),  # type: ignore[arg-type]
    ("mycur as text", lambda c: c.users.stats(D, D, account_currency="1"), "account_currency"),  # type: ignore[arg-type]
    ("reversed period", lambda c: c.users.stats(date(2026, 2, 1), date(2026, 1, 1)), "start"),
    ("text date", lambda c: c.users.stats("01.01.2026", date(2026, 1, 1)), "start"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("call", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
async def test_bad_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, call: Call, field: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await call(client)
    assert caught.value.field == field
    assert not wire.calls
    assert "secret" not in str(caught.value)
    assert "top secret" not in repr(caught.value)
