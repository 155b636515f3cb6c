"""Bad arguments of history, incoming, statistics and operator lookups are refused before any
request, with a RequestValidationError naming the argument and no private data in its text."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import respx

from smsc import AsyncSMSCClient, MessageType, RequestValidationError

from .conftest import form_of

DAY = date(2024, 1, 1)
SECRET_PHONE = "7999123456789012345"  # too long: refused, and never shown whole

CASES: dict[str, tuple[Callable[[AsyncSMSCClient], Any], str]] = {
    "history start after end": (
        lambda c: c.history.messages(start=date(2024, 2, 1), end=DAY),
        "start",
    ),
    "history over six months": (
        lambda c: c.history.messages(start=DAY, end=date(2024, 7, 2)),
        "end",
    ),
    "history start not a date": (
        lambda c: c.history.messages(start="2024-01-01", end=DAY),  # type: ignore[arg-type]
        "start",
    ),
    "history end missing": (lambda c: c.history.messages(start=DAY, end=None), "end"),  # type: ignore[arg-type]
    "history page of zero": (
        lambda c: c.history.messages(start=DAY, end=DAY, page_size=0),
        "page_size",
    ),
    "history page over 1000": (
        lambda c: c.history.messages(start=DAY, end=DAY, page_size=1001),
        "page_size",
    ),
    "history page as text": (
        lambda c: c.history.messages(start=DAY, end=DAY, page_size="10"),  # type: ignore[arg-type]
        "page_size",
    ),
    "history page as bool": (
        lambda c: c.history.messages(start=DAY, end=DAY, page_size=True),
        "page_size",
    ),
    "history bad phone": (
        lambda c: c.history.messages(start=DAY, end=DAY, phones=SECRET_PHONE),
        "phones",
    ),
    "history group as phone": (
        lambda c: c.history.messages(start=DAY, end=DAY, phones="G12"),
        "phones",
    ),
    "history bad e-mail": (
        lambda c: c.history.messages(start=DAY, end=DAY, emails="not-an-address"),
        "emails",
    ),
    "history unknown type": (lambda c: c.history.messages(start=DAY, end=DAY, type=99), "type"),
    "history kind the page does not document (call)": (
        lambda c: c.history.messages(start=DAY, end=DAY, type=MessageType.CALL),
        "type",
    ),
    "history page of a kind the page does not document (viber)": (
        lambda c: c.history.page(start=DAY, end=DAY, type=MessageType.VIBER),
        "type",
    ),
    "history bad timeout": (
        lambda c: c.history.messages(start=DAY, end=DAY, timeout=math.nan),
        "timeout",
    ),
    "history page before zero": (
        lambda c: c.history.page(start=DAY, end=DAY, before_id=0),
        "before_id",
    ),
    "incoming zero hours": (lambda c: c.incoming.messages(hours=0), "hours"),
    "incoming over 168 hours": (lambda c: c.incoming.messages(hours=169), "hours"),
    "incoming page over 10000": (lambda c: c.incoming.messages(page_size=10_001), "page_size"),
    "incoming negative after_id": (lambda c: c.incoming.messages(after_id=-1), "after_id"),
    "incoming bad to_phones": (
        lambda c: c.incoming.messages(to_phones=[SECRET_PHONE]),
        "to_phones",
    ),
    "incoming page bad hours": (lambda c: c.incoming.page(hours=1.5), "hours"),  # type: ignore[arg-type]
    "statistics start after end": (
        lambda c: c.account.statistics(start=date(2024, 2, 1), end=DAY),
        "start",
    ),
    "statistics electronic_balance not bool": (
        lambda c: c.account.statistics(start=DAY, end=DAY, electronic_balance="yes"),  # type: ignore[arg-type]
        "electronic_balance",
    ),
    "statistics account_currency not bool": (
        lambda c: c.account.statistics(start=DAY, end=DAY, account_currency=1),  # type: ignore[arg-type]
        "account_currency",
    ),
    "operator bad phone": (lambda c: c.operators.lookup(SECRET_PHONE), "phone"),
    "operator two phones": (lambda c: c.operators.lookup("79991234567,79997654321"), "phone"),
    "operator phone not text": (lambda c: c.operators.lookup(79991234567), "phone"),  # type: ignore[arg-type]
    "operator group": (lambda c: c.operators.lookup("G5"), "phone"),
    "operator many empty": (lambda c: c.operators.lookup_many([]), "phones"),
}


async def attempt(call: Callable[[AsyncSMSCClient], Any], client: AsyncSMSCClient) -> None:
    result = call(client)
    if hasattr(result, "__anext__"):
        # A walk must refuse its arguments when it is made, not at its first page.
        pytest.fail("the arguments were accepted by the call itself")
    await result


@pytest.mark.parametrize("case", CASES)
async def test_bad_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, case: str
) -> None:
    call, field = CASES[case]
    route = wire.route().respond(200, json=[])
    with pytest.raises(RequestValidationError) as caught:
        await attempt(call, client)
    assert caught.value.field == field
    assert SECRET_PHONE not in str(caught.value)
    assert route.call_count == 0


async def test_a_period_of_exactly_six_months_is_accepted(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.route().respond(200, json=[])
    assert [
        m async for m in client.history.messages(start=date(2024, 8, 31), end=date(2025, 2, 28))
    ] == []
    assert route.call_count == 1
    with pytest.raises(RequestValidationError):
        client.history.messages(start=date(2024, 8, 31), end=date(2025, 3, 1))


@pytest.mark.parametrize(("kind", "sent"), [(MessageType.SMS, "0"), (MessageType.MAIL, "8")])
async def test_history_sends_the_two_documented_kinds_as_format(
    client: AsyncSMSCClient, wire: respx.MockRouter, kind: MessageType, sent: str
) -> None:
    route = wire.route().respond(200, json=[])
    assert await client.history.page(start=DAY, end=DAY, type=kind) == []
    assert form_of(route.calls.last.request)["format"] == sent
