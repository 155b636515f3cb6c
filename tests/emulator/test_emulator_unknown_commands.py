"""Commands the emulator does not serve: an error of the service, never another command."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import SMSCEmulator, UnknownCommandAnswer

from .conftest import LOGIN, PASSWORD, form

UNSERVED = ("/sys/unknown.php", "/sys/nothing.php", "/sys/get_mnp.php")


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        (0, "ERROR = 1 (parameters error)"),
        (1, "0,-1"),
        (2, "<result><error>parameters error</error><error_code>1</error_code></result>"),
        (3, '{"error": "parameters error", "error_code": 1}'),
    ],
)
@pytest.mark.parametrize("path", UNSERVED)
async def test_unserved_command_answers_error_1_in_the_requested_format(
    http: httpx.AsyncClient, path: str, fmt: int, body: str
) -> None:
    """HTTP 200 and an error body every official library reads as an error of the service
    (not as a transport failure, as a 404 would be)."""
    response = await http.post(path, data=form(fmt=fmt))
    assert (response.status_code, response.text) == (200, body)


async def test_unserved_rest_command_answers_error_1(http: httpx.AsyncClient) -> None:
    response = await http.post("/rest/jobs/", json={**form(), "fmt": 3})
    assert response.json() == {"error": "parameters error", "error_code": 1}


async def test_unserved_command_checks_the_credentials_first(http: httpx.AsyncClient) -> None:
    response = await http.post("/sys/unknown.php", data={**form(fmt=3), "psw": "wrong"})
    assert response.json() == {"error": "authorise error", "error_code": 2}


async def test_unserved_command_changes_nothing(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """Not a send in disguise, nor a balance: no message, no charge."""
    await http.post("/sys/unknown.php", data=form(add=1, phones="79991234567", mes="Hi", fmt=3))
    assert (emulator.messages, str(emulator.account(LOGIN).balance)) == ([], "100.00")


async def test_unknown_command_name_is_error_1_not_balance(emulator: SMSCEmulator) -> None:
    """:meth:`SMSCEmulator.handle` with a name outside the route table answers error 1
    (it used to fall through to the balance command)."""
    answer = await emulator.handle("unknown", {"login": LOGIN, "psw": PASSWORD}, "127.0.0.1")
    assert getattr(answer, "code", None) == 1


async def test_path_outside_the_api_is_404(http: httpx.AsyncClient) -> None:
    """Only ``/sys/`` and ``/rest/`` hold commands; any other path is not the API."""
    response = await http.get("/favicon.ico")
    assert response.status_code == 404


async def test_unserved_command_can_answer_404_instead() -> None:
    async with SMSCEmulator(unknown_command=UnknownCommandAnswer.HTTP_404) as emulator:
        emulator.add_account(LOGIN, PASSWORD)
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as http:
            response = await http.post("/sys/unknown.php", data=form())
    assert response.status_code == 404
