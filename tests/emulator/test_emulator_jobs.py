"""``jobs.php`` over raw HTTP: mailings whose messages are followed with status.php."""

from __future__ import annotations

from decimal import Decimal

import httpx

from smsc.testing import SMSCEmulator

from .conftest import LOGIN, OTHER_PHONE, PHONE, form


async def _create(http: httpx.AsyncClient, **params: object) -> dict[str, object]:
    response = await http.post(
        "/sys/jobs.php",
        data=form(
            add=1, name="sale", phones=f"{PHONE},{OTHER_PHONE}", mes="Sale!", fmt=3, **params
        ),
    )
    data = response.json()
    assert isinstance(data, dict)
    return data


async def test_a_mailing_sends_its_text_to_each_phone_under_its_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    created = await _create(http)
    assert list(created) == ["id"]
    job_id = created["id"]
    assert [(m.id, m.phone, m.text) for m in emulator.messages] == [
        (job_id, PHONE, "Sale!"),
        (job_id, OTHER_PHONE, "Sale!"),
    ]
    status = await http.post("/sys/status.php", data=form(id=job_id, phone=PHONE, fmt=3))
    assert status.json()["status"] == -1


async def test_info_and_list_count_the_messages_by_status(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    job_id = (await _create(http))["id"]
    info = (await http.post("/sys/jobs.php", data=form(get=1, id=job_id, fmt=3))).json()
    assert info["id"] == job_id
    assert info["name"] == "sale"
    assert info["status"] == 0
    assert info["cnt"] == 2
    assert info["stat"] == {"-1": 2}
    emulator.advance(3600)
    info = (await http.post("/sys/jobs.php", data=form(get=1, id=job_id, fmt=3))).json()
    assert info["status"] == 2
    assert info["stat"] == {"1": 2}
    listed = (await http.post("/sys/jobs.php", data=form(get_all=1, fmt=3))).json()
    assert [job["id"] for job in listed] == [job_id]


async def test_cancel_stops_the_messages_still_waiting(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    job_id = (await _create(http, time="+60"))["id"]
    answer = await http.post("/sys/jobs.php", data=form(cancel=1, id=job_id, fmt=3))
    assert answer.json() == {"result": "OK"}
    assert [m.status for m in emulator.messages] == [-2, -2]
    emulator.advance(7200)
    assert [m.status for m in emulator.messages] == [-2, -2]
    info = (await http.post("/sys/jobs.php", data=form(get=1, id=job_id, fmt=3))).json()
    assert (info["status"], info["stat"]) == (3, {"-2": 2})


async def test_delete_forgets_the_mailing_and_an_unknown_id_is_error_1(
    http: httpx.AsyncClient,
) -> None:
    job_id = (await _create(http))["id"]
    deleted = await http.post("/sys/jobs.php", data=form(**{"del": 1}, id=job_id, fmt=3))
    assert deleted.json() == {"result": "OK"}
    again = await http.post("/sys/jobs.php", data=form(get=1, id=job_id, fmt=3))
    assert again.json() == {"error": "parameters error", "error_code": 1}
    listed = await http.post("/sys/jobs.php", data=form(get_all=1, fmt=1))
    assert listed.text == ""


async def test_a_mailing_is_refused_as_a_send_would_be(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.deny_text("casino")
    refused = await http.post(
        "/sys/jobs.php", data=form(add=1, name="x", phones=PHONE, mes="casino", fmt=3)
    )
    # The mailing page's table has no 6: a refused mailing is 3, "error saving a record".
    assert refused.json() == {"error": "error saving a record", "error_code": 3}
    nameless = await http.post("/sys/jobs.php", data=form(add=1, phones=PHONE, mes="x", fmt=3))
    assert nameless.json()["error_code"] == 1
    assert emulator.messages == []


async def test_mailings_are_written_in_every_format(http: httpx.AsyncClient) -> None:
    job_id = (await _create(http))["id"]
    text = (await http.post("/sys/jobs.php", data=form(get=1, id=job_id))).text
    assert text.startswith(f"id = {job_id}, name = sale, status = 0, created = ")
    assert text.endswith("cnt = 2, stat = -1:2")
    numbers = (await http.post("/sys/jobs.php", data=form(get_all=1, fmt=1))).text
    assert numbers.startswith(f"{job_id},sale,0,")
    xml = (await http.post("/sys/jobs.php", data=form(get_all=1, fmt=2))).text
    assert xml.startswith(f"<result><job><id>{job_id}</id><name>sale</name>")


async def test_a_mailing_that_cannot_be_paid_is_error_3_of_the_mailing_table(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.account(LOGIN).balance = Decimal("0.00")
    refused = await http.post(
        "/sys/jobs.php", data=form(add=1, name="x", phones=PHONE, mes="Hi", fmt=3)
    )
    assert refused.json() == {"error": "error saving a record", "error_code": 3}
    bad_time = await http.post(
        "/sys/jobs.php", data=form(add=1, name="x", phones=PHONE, mes="Hi", time="99.99.99", fmt=3)
    )
    assert bad_time.json()["error_code"] == 5


async def test_a_mailing_with_cost_1_answers_its_id_and_cost(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    created = await _create(http, cost=1)
    assert list(created) == ["id", "cost"]
    assert created["cost"] == f"{sum(m.cost for m in emulator.messages):.2f}"
    refused = await http.post(
        "/sys/jobs.php", data=form(add=1, name="x", phones=PHONE, mes="Hi", cost=2, fmt=3)
    )
    assert refused.json()["error_code"] == 1
