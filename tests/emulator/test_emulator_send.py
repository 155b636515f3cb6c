"""Conformance of ``send.php``: answer shapes, segment counting, and the error rules.

Each test cites the protocol reference section (``/work/shared/smsc-protocol.md``) it checks.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from smsc import StatusCode
from smsc.testing import SMSCEmulator, Tariff

from .conftest import LOGIN, OTHER_PHONE, PHONE, call, call_json, form

SEND_SHAPES = [
    (0, 0, "OK - 1 SMS, ID - 1"),
    (0, 1, "COST - 1.80, SMS - 1"),
    (0, 2, "OK - 1 SMS, ID - 1, COST - 1.80"),
    (0, 3, "OK - 1 SMS, ID - 1, COST - 1.80, BALANCE - 98.20"),
    (1, 0, "1,1"),
    (1, 1, "1.80,1"),
    (1, 2, "1,1,1.80"),
    (1, 3, "1,1,1.80,98.20"),
    (2, 0, "<result><id>1</id><cnt>1</cnt></result>"),
    (2, 1, "<result><cost>1.80</cost><cnt>1</cnt></result>"),
    (2, 2, "<result><id>1</id><cnt>1</cnt><cost>1.80</cost></result>"),
    (2, 3, "<result><id>1</id><cnt>1</cnt><cost>1.80</cost><balance>98.20</balance></result>"),
    (3, 0, '{"id": 1, "cnt": 1}'),
    (3, 1, '{"cost": "1.80", "cnt": 1}'),
    (3, 2, '{"id": 1, "cnt": 1, "cost": "1.80"}'),
    (3, 3, '{"id": 1, "cnt": 1, "cost": "1.80", "balance": "98.20"}'),
]


@pytest.mark.parametrize(("fmt", "cost", "expected"), SEND_SHAPES)
async def test_send_answer_has_the_documented_shape(
    http: httpx.AsyncClient, fmt: int, cost: int, expected: str
) -> None:
    """§4.2 (fmt=0), §4.3 (fmt=1), §4.4 (fmt=2, [INF]), §4.5 (fmt=3) for every ``cost``."""
    assert await call(http, "send", phones=PHONE, mes="Hello", fmt=fmt, cost=cost) == expected


ERROR_WITHOUT_ID = [
    (0, "ERROR = 2 (authorise error)"),
    (1, "0,-2"),
    (2, "<result><error>authorise error</error><error_code>2</error_code></result>"),
    (3, '{"error": "authorise error", "error_code": 2}'),
]
ERROR_WITH_ID = [
    (0, "ERROR = 7 (invalid number), ID - 1"),
    (1, "1,-7"),
    (2, "<result><error>invalid number</error><error_code>7</error_code><id>1</id></result>"),
    (3, '{"error": "invalid number", "error_code": 7, "id": 1}'),
]


@pytest.mark.parametrize(("fmt", "expected"), ERROR_WITHOUT_ID)
async def test_error_without_message_has_no_id(
    http: httpx.AsyncClient, fmt: int, expected: str
) -> None:
    """§4.1: errors 1, 2, 4, 5, 9 carry no id, in every fmt."""
    data = form(phones=PHONE, mes="Hi", fmt=fmt, psw="wrong")
    assert (await http.post("/sys/send.php", data=data)).text == expected


@pytest.mark.parametrize(("fmt", "expected"), ERROR_WITH_ID)
async def test_error_about_a_message_carries_its_id(
    http: httpx.AsyncClient, fmt: int, expected: str
) -> None:
    """§4.1: errors 3, 6, 7, 8 carry the message id, in every fmt."""
    assert await call(http, "send", phones="12", mes="Hi", fmt=fmt) == expected


async def test_count_is_parts_times_recipients(http: httpx.AsyncClient) -> None:
    """§8 [INF]: cnt = parts x valid recipients; cost sums per recipient."""
    answer = await call_json(http, "send", phones=f"{PHONE},{OTHER_PHONE}", mes="x" * 200, cost=3)
    assert (answer["cnt"], answer["cost"]) == (4, "7.20")


async def test_cyrillic_text_is_split_into_parts_of_67(http: httpx.AsyncClient) -> None:
    """§8: 70 Cyrillic characters fit one SMS; 71 need two parts of 67."""
    one = await call_json(http, "send", phones=PHONE, mes="ж" * 70, cost=1)
    two = await call_json(http, "send", phones=PHONE, mes="ж" * 71, cost=1)
    assert (one["cnt"], two["cnt"]) == (1, 2)


async def test_maxsms_truncates_the_text(http: httpx.AsyncClient, emulator: SMSCEmulator) -> None:
    """§3.2, §8: ``maxsms`` caps the parts by cutting the text (2 x 153 GSM-7 septets)."""
    answer = await call_json(http, "send", phones=PHONE, mes="y" * 400, maxsms=2)
    assert answer["cnt"] == 2
    assert emulator.message(answer["id"], PHONE).text == "y" * 306


async def test_translit_moves_cyrillic_text_to_latin_parts(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.1, §8: ``translit=1`` rewrites Cyrillic in Latin, so 100 letters fit one SMS."""
    plain = await call_json(http, "send", phones=PHONE, mes="а" * 100, cost=1)
    latin = await call_json(http, "send", phones=PHONE, mes="а" * 100, translit=1)
    assert (plain["cnt"], latin["cnt"]) == (2, 1)
    assert emulator.message(latin["id"], PHONE).text == "a" * 100


async def test_comment_after_tildes_is_neither_sent_nor_billed(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.6: text after a ``~~~`` line is a comment; §8 [INF]: it is not counted."""
    answer = await call_json(http, "send", phones=PHONE, mes="Hi\n~~~\n" + "c" * 300)
    message = emulator.message(answer["id"], PHONE)
    assert (answer["cnt"], message.text, message.comment) == (1, "Hi", "c" * 300)


async def test_list_sends_a_text_per_line_under_one_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.1: ``list`` lines ``phones:mes``; ``\\n`` inside a text is a newline."""
    listing = f"{PHONE}:Your code: 123\n{OTHER_PHONE}:Line one\\nline two"
    answer = await call_json(http, "send", list=listing)
    assert answer["cnt"] == 2
    assert emulator.message(answer["id"], PHONE).text == "Your code: 123"
    assert emulator.message(answer["id"], OTHER_PHONE).text == "Line one\nline two"


async def test_price_follows_the_longest_number_prefix(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§8: cost = sum over recipients of parts x tariff of the recipient's zone."""
    emulator.account(LOGIN).tariff = Tariff(prefix_prices={"380": Decimal("2.50")})
    answer = await call_json(http, "send", phones=f"{PHONE},380501234567", mes="Hi", cost=2)
    assert answer["cost"] == "4.30"


@pytest.mark.parametrize("missing", ["phones", "mes"])
async def test_send_without_phones_or_text_is_error_1(
    http: httpx.AsyncClient, missing: str
) -> None:
    """§3: ``phones`` and ``mes`` (or ``list``) are required; error 1 otherwise (§5.1)."""
    params = {"phones": PHONE, "mes": "Hi"}
    del params[missing]
    assert await call_json(http, "send", **params) == {
        "error": "parameters error",
        "error_code": 1,
    }


async def test_hlr_request_needs_no_text_and_costs_the_hlr_price(
    http: httpx.AsyncClient,
) -> None:
    """§3 / §3.3: ``hlr=1`` with an empty ``mes`` is accepted and billed as HLR."""
    answer = await call_json(http, "send", phones=PHONE, mes="", hlr=1, cost=2)
    assert (answer["cnt"], answer["cost"]) == (1, "0.20")


@pytest.mark.parametrize("bad_time", ["tomorrow", "32.01.24 10:00", "25-3"])
async def test_bad_time_is_error_5(http: httpx.AsyncClient, bad_time: str) -> None:
    """§3.2, §5.1: a ``time`` in none of the documented forms answers error 5 without id."""
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", time=bad_time)
    assert answer == {"error": "invalid date format", "error_code": 5}


async def test_scheduled_message_waits_for_its_time(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.2, §6.5: ``time=+10`` keeps the message at -1 until ten minutes have passed."""
    answer = await call_json(http, "send", phones=PHONE, mes="Later", time="+10")
    emulator.advance(9 * 60)
    assert emulator.message(answer["id"], PHONE).status is StatusCode.PENDING
    emulator.advance(60 + 10)
    assert emulator.message(answer["id"], PHONE).status is StatusCode.DELIVERED


async def test_insufficient_funds_is_error_3_with_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.1: not enough money answers error 3 with the id; nothing is charged."""
    emulator.account(LOGIN).balance = Decimal("1.00")
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", id=77)
    assert answer == {"error": "no money", "error_code": 3, "id": 77}
    assert emulator.account(LOGIN).balance == Decimal("1.00")


async def test_credit_lets_the_balance_go_below_zero(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§7: funds are balance plus credit; the balance may go negative within the credit."""
    account = emulator.account(LOGIN)
    account.balance, account.credit = Decimal("1.00"), Decimal("5.00")
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", cost=3)
    assert answer["balance"] == "-0.80"


async def test_denied_text_is_error_6_with_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.1: a message forbidden by its text answers error 6 with the id."""
    emulator.deny_text("casino")
    answer = await call_json(http, "send", phones=PHONE, mes="Best CASINO in town", id=5)
    assert answer == {"error": "message is denied", "error_code": 6, "id": 5}


async def test_unregistered_sender_is_error_6(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.1, §5.1: a Sender ID the account has not registered answers error 6."""
    emulator.account(LOGIN).senders = {"MyShop"}
    assert (await call_json(http, "send", phones=PHONE, mes="Hi", sender="Other"))[
        "error_code"
    ] == 6
    assert "id" in await call_json(http, "send", phones=PHONE, mes="Hi", sender="MyShop")


async def test_too_long_sender_is_error_1(http: httpx.AsyncClient) -> None:
    """§3.1: a sender is at most 11 characters or 15 digits; error 1 otherwise ([INF])."""
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", sender="TwelveChars!")
    assert answer["error_code"] == 1


async def test_only_valid_numbers_are_sent_and_counted(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§4.6 [INF]: bad numbers of a list are skipped; cnt counts the valid ones."""
    answer = await call_json(http, "send", phones=f"{PHONE},abc", mes="Hi")
    assert answer["cnt"] == 1
    assert len(emulator.messages) == 1


async def test_undeliverable_number_is_error_8_with_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.1: a number the message cannot reach answers error 8 with the id."""
    emulator.set_undeliverable(PHONE)
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", id=9)
    assert answer == {"error": "can't to deliver", "error_code": 8, "id": 9}


async def test_identical_send_within_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.1: a second identical send within one minute answers error 9 and sends nothing."""
    await call_json(http, "send", phones=PHONE, mes="Hi")
    again = await call_json(http, "send", phones=PHONE, mes="Hi")
    assert again == {"error": "duplicate request, wait a minute", "error_code": 9}
    assert len(emulator.messages) == 1


async def test_identical_send_after_a_minute_is_accepted(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.1: the duplicate window is 60 seconds."""
    await call_json(http, "send", phones=PHONE, mes="Hi")
    emulator.advance(60)
    assert "id" in await call_json(http, "send", phones=PHONE, mes="Hi")


async def test_sixth_identical_cost_request_in_a_minute_is_error_9(
    http: httpx.AsyncClient,
) -> None:
    """§5.1: more than five identical cost requests within a minute answer error 9."""
    answers = [await call_json(http, "send", phones=PHONE, mes="Hi", cost=1) for _ in range(6)]
    assert [answer.get("error_code") for answer in answers] == [None] * 5 + [9]


async def test_client_ids_are_echoed_as_given(http: httpx.AsyncClient) -> None:
    """§3.1: ``id`` is a number or a string of ``[A-Za-z0-9.-_]``; answers echo it."""
    numeric = await call_json(http, "send", phones=PHONE, mes="A", id=42)
    text = await call_json(http, "send", phones=PHONE, mes="B", id="s-0123abcd")
    assert (numeric["id"], text["id"]) == (42, "s-0123abcd")


async def test_malformed_client_id_is_error_1(http: httpx.AsyncClient) -> None:
    """§3.1: an id with characters outside ``[A-Za-z0-9.-_]`` is refused ([INF] error 1)."""
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", id="bad id!")
    assert answer["error_code"] == 1


@pytest.mark.parametrize("given", ["-5", "-1", "-0", "-abc"])
async def test_id_with_a_leading_minus_is_error_1(
    http: httpx.AsyncClient, emulator: SMSCEmulator, given: str
) -> None:
    """§3.1, §4.8: ``-5,1,1.80,...`` reads as error 5 to every official library; refused."""
    answer = await call(http, "send", phones=PHONE, mes="Hi", id=given, cost=3, fmt=1)
    assert (answer, emulator.messages) == ("0,-1", [])


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (0, "ERROR = 7 (invalid number)"),
        (1, "0,-7"),
        (2, "<result><error>invalid number</error><error_code>7</error_code></result>"),
        (3, '{"error": "invalid number", "error_code": 7}'),
    ],
)
async def test_cost_query_error_carries_no_id_and_uses_none_up(
    http: httpx.AsyncClient, fmt: int, expected: str
) -> None:
    """§12 [LIB]: a cost query sends nothing; its errors are ``(0, -code)``, ids untouched."""
    before = await call_json(http, "send", phones=PHONE, mes="Hi")
    assert await call(http, "send", cost=1, phones="123", mes="x", fmt=fmt) == expected
    after = await call_json(http, "send", phones=PHONE, mes="Hi again")
    assert after["id"] == before["id"] + 1  # the refused cost query used no id up


async def test_get_request_is_answered_like_post(http: httpx.AsyncClient) -> None:
    """§1.5: every command works by GET and by POST with the same parameters."""
    response = await http.get("/sys/send.php", params=form(phones=PHONE, mes="Hi", fmt=1))
    assert response.text == "1,1"


async def test_multipart_post_is_accepted(http: httpx.AsyncClient) -> None:
    """§1.5: POST bodies may be multipart (files are ignored by the emulator)."""
    response = await http.post(
        "/sys/send.php",
        data=form(phones=PHONE, mes="Hi", fmt=1, mms=1),
        files={"file0": ("a.txt", b"attachment", "text/plain")},
    )
    assert response.text == "1,1"


async def test_json_body_is_accepted_on_rest_send(http: httpx.AsyncClient) -> None:
    """§1.3: ``/rest/send/`` takes the parameters as a JSON object ([INF] field names)."""
    body = {**form(phones=PHONE, mes="Hi"), "fmt": 3}
    response = await http.post("/rest/send/", json=body)
    assert response.json() == {"id": 1, "cnt": 1}


async def test_koi8r_charset_is_used_both_ways(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§1.6: ``charset=koi8-r`` decodes the input and encodes the answer."""
    body = f"login=alex&psw=secret-pass&charset=koi8-r&fmt=3&phones={PHONE}&id=7&mes=".encode()
    body += "Привет".encode("koi8-r")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    await http.post("/sys/send.php", content=body, headers=headers)
    query = f"login=alex&psw=secret-pass&charset=koi8-r&fmt=3&phone={PHONE}&id=7&all=1"
    response = await http.post("/sys/status.php", content=query.encode(), headers=headers)
    assert emulator.messages[0].text == "Привет"
    assert response.headers["content-type"] == "application/json; charset=koi8-r"
    assert json.loads(response.content.decode("koi8-r"))["message"] == "Привет"


async def test_default_charset_is_windows_1251(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§1.6: without ``charset`` the text is read as windows-1251."""
    body = f"login=alex&psw=secret-pass&fmt=3&phones={PHONE}&mes=".encode()
    body += "Привет".encode("cp1251")
    await http.post(
        "/sys/send.php",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert emulator.messages[0].text == "Привет"


async def test_op_1_lists_every_number_with_its_cost(http: httpx.AsyncClient) -> None:
    """§4.6: ``op=1`` adds ``phones`` with per-number cost, and status/error for bad ones."""
    answer = await call_json(http, "send", phones=f"{PHONE},7999", mes="Hi", op=1)
    assert answer["phones"] == [
        {"phone": PHONE, "mccmnc": "25001", "cost": "1.80"},
        {"phone": "7999", "mccmnc": "0", "cost": "0.00", "status": "22", "error": "249"},
    ]


async def test_injected_send_failures_hit_only_the_next_sends(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """Fault injection: "the next N sends to this number fail with code K"."""
    emulator.fail_next_sends(PHONE, 8, times=2)
    codes = [
        (await call_json(http, "send", phones=PHONE, mes=f"try {n}")).get("error_code")
        for n in range(3)
    ]
    assert codes == [8, 8, None]


async def test_test_mode_account_is_not_charged_and_ends_with_err_200(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.5, §6.6: in test mode ("virtual sending") nothing is charged; ``err`` is 200."""
    emulator.account(LOGIN).test_mode = True
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", cost=3)
    emulator.advance(60)
    message = emulator.message(answer["id"], PHONE)
    assert (answer["balance"], message.status, message.err) == ("100.00", StatusCode.DELIVERED, 200)


@pytest.mark.parametrize("flag", ["hlr", "ping"])
async def test_hlr_and_ping_need_no_mes_parameter(http: httpx.AsyncClient, flag: str) -> None:
    """§3: for ``hlr=1`` and ``ping=1`` the text is not needed, so ``mes`` may be absent."""
    answer = await call(http, "send", phones=PHONE, fmt=3, **{flag: 1})
    assert '"cnt": 1' in answer


async def test_test_parameter_over_http_is_not_a_test_mode(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§3.5: HTTP has no documented per-request test flag (only the SMTP body has one), so
    the lenient emulator sends and charges a ``test=1`` request like any other."""
    emulator.strict = False
    await call(http, "send", phones=PHONE, mes="Hi", id=21, test=1)
    emulator.advance(60)
    message = emulator.message(21, PHONE)
    assert (message.err, emulator.account(LOGIN).balance) == (0, Decimal("98.20"))


async def test_strict_emulator_refuses_the_undocumented_test_parameter_over_http(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """Strict mode (the default): ``test`` is not on the send page, so error 1, nothing sent."""
    answer = await call_json(http, "send", phones=PHONE, mes="Hi", id=21, test=1)
    assert answer["error_code"] == 1
    assert emulator.messages == []
    assert [str(refusal) for refusal in emulator.strict_refusals] == [
        "/sys/send.php (send): undocumented test"
    ]
