"""One SMSCClient shared by threads: its cap holds, and failover works for all of them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from smsc import SMSCClient
from smsc.testing import Fault, ServiceTime, ThreadedEmulator

PHONES = [f"7999123{n:04d}" for n in range(24)]


def test_threads_sharing_a_client_never_exceed_its_cap() -> None:
    with (
        ThreadedEmulator(service_time=ServiceTime(0.02, 0.05)) as served,
        SMSCClient(
            login="demo", password="demo", host=served.url, allow_http=True, max_concurrency=2
        ) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        results = list(pool.map(lambda phone: client.send(phone, "hello"), PHONES))
        peak = served.call(served.emulator.peak_in_flight_for, "demo")
    assert len({result.id for result in results}) == len(PHONES)
    assert 1 <= peak <= 2


def test_threads_fail_over_together_and_each_message_is_sent_once() -> None:
    with ThreadedEmulator(sites=2) as served:
        served.set_fault(0, Fault.REFUSE)
        with (
            SMSCClient(
                login="demo",
                password="demo",
                host=served.urls[0],
                mirrors=(served.urls[1],),
                allow_http=True,
                max_concurrency=4,
            ) as client,
            ThreadPoolExecutor(max_workers=8) as pool,
        ):
            results = list(pool.map(lambda phone: client.send(phone, "hello"), PHONES))
        for phone, result in zip(PHONES, results, strict=True):
            recorded = served.call(served.emulator.messages_to, phone)
            assert [message.id for message in recorded] == [result.id]
        assert served.sites[1].requests == len(PHONES)
