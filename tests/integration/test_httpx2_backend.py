"""The httpx2 backend's own promises: what each failure says about the request having left.

The failover suites run on every backend (``backends.BACKENDS``); these are the cases only
the httpx2 adapter decides: its whole-exchange timer, and the mapping of httpx2's errors.
"""

from __future__ import annotations

import httpx
import httpx2
import pytest

from smsc._http.httpx2_transport import Httpx2Transport, _map_error
from smsc._secrets import FormBody

from .loopback import Behaviour, Servers

pytestmark = pytest.mark.integration

TIMEOUTS = {"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0}


async def test_a_deadline_that_ends_a_connect_in_progress_proves_the_request_never_left(
    servers: Servers,
) -> None:
    site = servers.blackhole()
    transport = Httpx2Transport()
    try:
        with pytest.raises(httpx.ConnectTimeout):
            await transport.exchange(
                site.url + "/sys/send.php", [], FormBody(b"a=1"), TIMEOUTS, total=0.3
            )
    finally:
        await transport.aclose()


async def test_a_deadline_that_ends_the_wait_for_an_answer_says_it_may_have_left(
    servers: Servers,
) -> None:
    site = await servers.start(Behaviour.HANG)
    transport = Httpx2Transport()
    try:
        with pytest.raises(httpx.ReadTimeout):
            await transport.exchange(
                site.url + "/sys/send.php", [], FormBody(b"a=1"), TIMEOUTS, total=0.3
            )
    finally:
        await transport.aclose()
    assert site.count == 1  # it did arrive


@pytest.mark.parametrize(
    ("raised", "mapped"),
    [
        (httpx2.ConnectTimeout("x"), httpx.ConnectTimeout),
        (httpx2.ConnectError("x"), httpx.ConnectError),
        (httpx2.PoolTimeout("x"), httpx.PoolTimeout),
        (httpx2.ReadTimeout("x"), httpx.ReadTimeout),
        (httpx2.WriteTimeout("x"), httpx.ReadTimeout),
        (httpx2.RemoteProtocolError("x"), httpx.RemoteProtocolError),
        (httpx2.LocalProtocolError("x"), httpx.RemoteProtocolError),
        (httpx2.ReadError("x"), httpx.ReadError),
        (httpx2.WriteError("x"), httpx.ReadError),
        (httpx2.CloseError("x"), httpx.ReadError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_only_failures_before_writing_map_to_errors_a_send_may_be_repeated_after(
    raised: httpx2.TransportError, mapped: type[httpx.TransportError]
) -> None:
    failure = _map_error(raised, None)
    assert type(failure) is mapped
    never_left = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
    assert isinstance(failure, never_left) == isinstance(
        raised, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.PoolTimeout
    )
