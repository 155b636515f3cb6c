"""The emulator's ASGI app in-process: bodies it cannot read, clients that leave, faults."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from smsc import ConfigurationError
from smsc.testing import GARBAGE_BODY, Fault, SMSCEmulator

from .conftest import LOGIN, PASSWORD, PHONE, form


async def test_deeply_nested_json_body_is_error_1(http: httpx.AsyncClient) -> None:
    """A JSON body nested too deep for the parser is a parameters error, not a crash."""
    response = await http.post("/rest/send/", content=b"[" * 100_000)
    assert (response.status_code, response.text) == (200, "ERROR = 1 (parameters error)")


async def test_request_cut_off_by_a_disconnect_is_not_processed(emulator: SMSCEmulator) -> None:
    """ASGI servers report a client gone mid-body as ``http.disconnect``: nothing is sent."""
    events: list[dict[str, Any]] = [
        {
            "type": "http.request",
            "body": f"login={LOGIN}&psw={PASSWORD}&phones={PHONE}&mes=Hel".encode(),
            "more_body": True,
        },
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return events.pop(0)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/sys/send.php",
        "query_string": b"",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 5000),
    }
    await emulator.app(scope, receive, send)
    assert (emulator.messages, sent) == ([], [])


async def test_in_process_fault_answers_500_then_recovers(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """In-process faults: HTTP_500 for the next request only."""
    emulator.app.faults.set(Fault.HTTP_500, times=1)
    first = await http.post("/sys/balance.php", data=form(fmt=3))
    second = await http.post("/sys/balance.php", data=form(fmt=3))
    assert (first.status_code, second.json(), emulator.app.requests) == (
        500,
        {"balance": "100.00"},
        2,
    )


async def test_in_process_garbage_fault(http: httpx.AsyncClient, emulator: SMSCEmulator) -> None:
    """In-process faults: GARBAGE answers 200 with an unparseable body."""
    emulator.app.faults.set(Fault.GARBAGE)
    assert (await http.post("/sys/balance.php", data=form())).content == GARBAGE_BODY


def test_socket_only_faults_are_refused_in_process(emulator: SMSCEmulator) -> None:
    """REFUSE and CLOSE_MID_ANSWER need a socket site."""
    with pytest.raises(ConfigurationError):
        emulator.app.faults.set(Fault.REFUSE)
