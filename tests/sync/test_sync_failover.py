"""The sync client's failover: the same sites, health and never-send-twice rule as the async one.

Two sites of one emulator on loopback sockets, served from a background thread.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsc import FailoverEvent, SendOutcomeUnknownError, SMSCClient
from smsc.testing import Fault, ThreadedEmulator

PHONE = "79991234567"


@pytest.fixture
def served() -> Iterator[ThreadedEmulator]:
    with ThreadedEmulator(sites=2) as emulator:
        yield emulator


def _client(served: ThreadedEmulator, events: list[FailoverEvent], **options: float) -> SMSCClient:
    return SMSCClient(
        login="demo",
        password="demo",
        host=served.urls[0],
        mirrors=(served.urls[1],),
        allow_http=True,
        on_failover_event=events.append,
        **options,  # type: ignore[arg-type]
    )


def test_a_send_goes_to_the_mirror_when_the_primary_refuses_connections(
    served: ThreadedEmulator,
) -> None:
    served.set_fault(0, Fault.REFUSE)
    events: list[FailoverEvent] = []
    with _client(served, events) as client:
        result = client.send(PHONE, "hello")
    assert served.sites[0].requests == 0
    assert served.sites[1].requests == 1
    assert [m.id for m in served.call(served.emulator.messages_to, PHONE)] == [result.id]
    assert any(event.kind == "switch" for event in events)
    assert client.site_stats[served.urls[1]].requests == 1


def test_a_send_is_not_repeated_on_the_mirror_when_the_primary_hangs_after_connecting(
    served: ThreadedEmulator,
) -> None:
    served.set_fault(0, Fault.HANG)
    events: list[FailoverEvent] = []
    with (
        _client(served, events, timeout=1.0, retry_deadline=10.0) as client,
        pytest.raises(SendOutcomeUnknownError) as raised,
    ):
        client.send(PHONE, "hello", id="order-17")
    assert raised.value.message_id == "order-17"
    assert served.sites[0].requests == 1  # the primary read the whole request...
    assert served.sites[1].requests == 0  # ...so the mirror never got it
    assert not any(event.kind == "switch" for event in events)


def test_a_query_is_repeated_on_the_mirror_after_the_primary_hangs(
    served: ThreadedEmulator,
) -> None:
    served.set_fault(0, Fault.HANG)
    events: list[FailoverEvent] = []
    with _client(served, events, timeout=1.0, retry_deadline=20.0) as client:
        balance = client.balance()
    assert balance.currency == "RUR"
    assert served.sites[1].requests == 1
    assert any(event.kind == "switch" for event in events)


def test_a_query_is_repeated_after_http_500(served: ThreadedEmulator) -> None:
    served.set_fault(0, Fault.HTTP_500, times=1)
    events: list[FailoverEvent] = []
    with _client(served, events) as client:
        client.balance()
    assert served.sites[0].requests + served.sites[1].requests == 2
