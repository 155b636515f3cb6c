"""client.notifications (``ping.php``): the form it sends, its answer, its checks."""

from __future__ import annotations

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient, OutcomeUnknownError, RequestValidationError

from .conftest import form_of, json_response

URL = "https://smsc.ru/sys/ping.php"
CREDENTIALS = {"login", "psw", "fmt", "charset"}


async def test_a_notification_sends_the_group_and_the_macros(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(URL).mock(return_value=json_response({"result": "OK"}))
    await client.notifications.send(12, name="db-1", host="10.0.0.5", info="disk full", ok=True)
    own = {k: v for k, v in form_of(route.calls.last.request).items() if k not in CREDENTIALS}
    assert own == {"id": "12", "name": "db-1", "host": "10.0.0.5", "info": "disk full", "ok": "1"}
    await client.notifications.send(12)
    own = {k: v for k, v in form_of(route.calls.last.request).items() if k not in CREDENTIALS}
    assert own == {"id": "12"}


async def test_a_notification_without_an_answer_is_not_repeated(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(URL).mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.notifications.send(12)
    assert caught.value.command == "notify"
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"group_id": 0}, "group_id"),
        ({"group_id": True}, "group_id"),
        ({"group_id": 1, "info": "x" * 1001}, "info"),
        ({"group_id": 1, "ok": 1}, "ok"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await client.notifications.send(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert not wire.calls
