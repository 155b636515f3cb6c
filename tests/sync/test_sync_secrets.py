"""No frame of a failed sync call's exception chain holds the password or the API key.

The same tracker's view as tests/integration/test_secrets_in_tracebacks.py (every local of
every frame of the exception and its causes, rendered two levels deep), on SMSCClient; the
failures come from the emulator on a loopback socket (faults, error 2) or a refused port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from smsc import (
    APIConnectionError,
    AuthenticationError,
    InvalidResponseError,
    SendOutcomeUnknownError,
    ServerError,
    SMSCClient,
    SMSCError,
)
from smsc.testing import Fault, ThreadedEmulator
from tests.integration.test_secrets_in_tracebacks import API_KEY, PASSWORD, assert_no_secret

PHONE = "79991234567"


@pytest.fixture(scope="module")
def served() -> Iterator[ThreadedEmulator]:
    with ThreadedEmulator() as emulator:
        yield emulator


def _client(served: ThreadedEmulator, credential: str) -> SMSCClient:
    options = {"host": served.url, "allow_http": True, "max_retries": 0, "timeout": 2.0}
    if credential == "api_key":
        return SMSCClient(api_key=API_KEY, **options)  # type: ignore[arg-type]
    return SMSCClient(login="alex", password=PASSWORD, **options)  # type: ignore[arg-type]


def _call(client: SMSCClient, command: str) -> Callable[[], object]:
    if command == "send":
        return lambda: client.send(PHONE, "hello")
    return client.balance


CASES = [
    (None, "balance", AuthenticationError),  # the emulator knows neither secret: error 2
    (None, "send", AuthenticationError),
    (Fault.HTTP_500, "balance", ServerError),
    (Fault.HTTP_500, "send", SendOutcomeUnknownError),
    (Fault.GARBAGE, "balance", InvalidResponseError),
    (Fault.GARBAGE, "send", SendOutcomeUnknownError),
    (Fault.REFUSE, "balance", APIConnectionError),
    (Fault.REFUSE, "send", APIConnectionError),
]


@pytest.mark.parametrize("credential", ["password", "api_key"])
@pytest.mark.parametrize(("fault", "command", "expected"), CASES)
def test_no_frame_of_a_failed_sync_call_holds_the_credentials(
    served: ThreadedEmulator,
    credential: str,
    fault: Fault | None,
    command: str,
    expected: type[SMSCError],
) -> None:
    if fault is not None:
        served.set_fault(0, fault)
    try:
        with _client(served, credential) as client, pytest.raises(expected) as raised:
            _call(client, command)()
    finally:
        if fault is not None:
            served.clear_fault(0)
    assert_no_secret(raised.value)
