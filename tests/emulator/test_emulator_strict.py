"""Strict mode (the default): requests and error answers held to the conformance corpus."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import ConformanceViolation, SMSCEmulator, _routes
from smsc.testing.__main__ import build_parser
from smsc.testing._answers import ErrorAnswer

from .conftest import PHONE, call_json, form


async def test_a_parameter_documented_for_another_action_is_refused(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """``mycur`` belongs to get.php's statistics, not to its history."""
    answer = await call_json(
        http, "get", get_messages=1, start="01.01.2024", end="01.01.2024", mycur=1
    )
    assert answer["error_code"] == 1
    assert [str(refusal) for refusal in emulator.strict_refusals] == [
        "/sys/get.php (history): undocumented mycur"
    ]


async def test_the_same_request_without_it_is_answered(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    answer = await call_json(http, "get", get_messages=1, start="01.01.2024", end="01.01.2024")
    assert not (isinstance(answer, dict) and "error_code" in answer)
    assert emulator.strict_refusals == []


async def test_a_value_outside_a_documented_set_is_refused(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """The status page lists ``all`` as 0, 1 or 2."""
    answer = await call_json(http, "status", id=1, phone=PHONE, all=3)
    assert answer["error_code"] == 1
    assert [str(refusal) for refusal in emulator.strict_refusals] == [
        "/sys/status.php (status): undocumented all=3"
    ]


async def test_a_request_naming_no_documented_action_is_refused(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    answer = await call_json(http, "senders", rename=1, sender="SHOP")
    assert answer["error_code"] == 1
    assert [str(refusal) for refusal in emulator.strict_refusals] == [
        "/sys/senders.php (no documented action): undocumented rename, sender"
    ]


@pytest.mark.parametrize("path", ["/rest/send/", "/rest/send"])
async def test_the_json_send_path_takes_the_send_pages_parameters_only(
    http: httpx.AsyncClient, emulator: SMSCEmulator, path: str
) -> None:
    good = form(phones=PHONE, mes="Hi", fmt=3)
    accepted = await http.post(path, json=good)
    refused = await http.post(path, json={**good, "mes": "Hi again", "priority": "1"})
    assert "id" in accepted.json()
    assert refused.json()["error_code"] == 1
    assert [str(refusal) for refusal in emulator.strict_refusals] == [
        "/rest/send/ (send): undocumented priority"
    ]


async def test_an_error_code_the_pages_do_not_list_is_a_conformance_violation(
    http: httpx.AsyncClient, emulator: SMSCEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """status.php documents 1, 2, 4, 5 and 9: answering 7 there is the emulator's defect."""
    answering_7 = _routes.Route("status", lambda state, account, request: ErrorAnswer.of(7))
    monkeypatch.setitem(_routes.ROUTES, "/sys/status.php", answering_7)
    with pytest.raises(ConformanceViolation, match=r"error 7 on /sys/status\.php"):
        await http.post("/sys/status.php", data=form(id=1, phone=PHONE, fmt=3))


async def test_a_lenient_emulator_answers_any_parameter_and_any_code(
    http: httpx.AsyncClient, emulator: SMSCEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.strict = False
    answering_7 = _routes.Route("status", lambda state, account, request: ErrorAnswer.of(7))
    monkeypatch.setitem(_routes.ROUTES, "/sys/status.php", answering_7)
    answer = await call_json(http, "status", id=1, phone=PHONE, priority=1)
    assert answer["error_code"] == 7
    assert emulator.strict_refusals == []


def test_strict_is_the_default_and_the_cli_offers_lenient() -> None:
    assert SMSCEmulator().strict
    assert not SMSCEmulator(strict=False).strict
    assert build_parser().parse_args([]).lenient is False
    assert build_parser().parse_args(["--lenient"]).lenient is True


@pytest.mark.parametrize(
    ("params", "refusal"),
    [
        (
            {"add": 1, "name": "otp", "msg": "Code %s"},
            "/sys/op_templates.php (add): undocumented name",
        ),
        (
            {"chg": 1, "id": 5, "msg": "Code %s"},
            "/sys/op_templates.php (no documented action): undocumented chg, id, msg",
        ),
        (
            {"del": 1, "id": 5},
            "/sys/op_templates.php (no documented action): undocumented del, id",
        ),
    ],
)
async def test_the_undocumented_operator_template_model_is_refused_without_allowance(
    http: httpx.AsyncClient, emulator: SMSCEmulator, params: dict[str, object], refusal: str
) -> None:
    """Issue 22 item 1: ``name``, ``chg=1`` and ``del=1`` were let through while the SDK still
    sent them; with the SDK on the documented model, strict mode refuses them like any other
    undocumented parameter."""
    answer = await call_json(http, "op_templates", **params)
    assert answer["error_code"] == 1
    assert [str(found) for found in emulator.strict_refusals] == [refusal]


@pytest.mark.parametrize("code", [6, 7, 8])
async def test_a_send_error_answered_on_jobs_is_a_conformance_violation(
    http: httpx.AsyncClient, emulator: SMSCEmulator, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Issue 22 item 4: the jobs page lists 1, 2, 3, 4, 5 and 9; send.php's 6, 7 and 8 are no
    longer let through there."""
    answering = _routes.Route("jobs", lambda state, account, request: ErrorAnswer.of(code))
    monkeypatch.setitem(_routes.ROUTES, "/sys/jobs.php", answering)
    with pytest.raises(ConformanceViolation, match=rf"error {code} on /sys/jobs\.php"):
        await http.post("/sys/jobs.php", data=form(add=1, name="m", phones=PHONE, mes="Hi", fmt=3))
