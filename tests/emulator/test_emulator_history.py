"""Conformance of ``get.php?get_messages=1`` (history) and ``get_answers=1`` (received)."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from smsc.testing import CallbackPolicy, SMSCEmulator

from .conftest import LOGIN, OTHER_PHONE, PHONE, call, call_json, send

HISTORY_KEYS = [
    "status",
    "last_date",
    "last_timestamp",
    "err",
    "send_date",
    "send_timestamp",
    "phone",
    "cost",
    "sender_id",
    "status_name",
    "message",
    "id",
    "int_id",
    "sms_cnt",
    "format",
    "crc",
    "mccmnc",
    "country",
    "operator",
    "region",
]


async def history(http: httpx.AsyncClient, **params: object) -> list[dict[str, object]]:
    answer = await call_json(http, "get", get_messages=1, **params)
    assert isinstance(answer, list), answer
    return answer


async def test_history_lists_the_messages_sent_newest_first(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.5: the history is what was sent, one row per recipient, with the documented keys."""
    await send(http, PHONE, "first")
    await send(http, f"{PHONE},{OTHER_PHONE}", "second, with a comma", sender="Shop")
    emulator.advance(10)
    rows = await history(http)
    assert [(row["message"], row["phone"]) for row in rows] == [
        ("second, with a comma", OTHER_PHONE),
        ("second, with a comma", PHONE),
        ("first", PHONE),
    ]
    newest = rows[0]
    assert list(newest) == HISTORY_KEYS
    assert newest["status"] == 1
    assert newest["status_name"] == "Доставлено"
    assert newest["cost"] == "1.80"
    assert newest["sender_id"] == "Shop"
    assert newest["id"] == 2
    assert [row["int_id"] for row in rows] == [3, 2, 1]
    assert newest["send_date"] == emulator.format_date(emulator.clock.now() - 10)


async def test_history_in_text_and_number_formats_keeps_the_text_last(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """fmt 0/1 (assumption): one line per message, the text last (it may hold commas), a
    newline in it written as ``\\n``."""
    await send(http, PHONE, "a, b\nc")
    numbers = await call(http, "get", get_messages=1, fmt=1)
    text = await call(http, "get", get_messages=1, fmt=0)
    assert numbers.startswith("-1,")
    assert numbers.endswith(",a, b\\nc")
    assert "\n" not in numbers
    assert text.startswith("status = -1, last_date = ")
    assert text.endswith(", region = г.Москва и Московская область, message = a, b\\nc")


async def test_history_in_xml_has_one_sms_element_per_message(
    http: httpx.AsyncClient,
) -> None:
    await send(http, f"{PHONE},{OTHER_PHONE}", "x < y")
    answer = await call(http, "get", get_messages=1, fmt=2)
    assert answer.startswith("<result><sms><status>-1</status>")
    assert answer.count("<sms>") == 2
    assert "<message>x &lt; y</message>" in answer


async def test_history_pages_backwards_by_prev_id(http: httpx.AsyncClient) -> None:
    """§11.5: ``cnt`` rows per page, the next page below the last ``int_id`` (``prev_id``)."""
    for number in range(7):
        await send(http, PHONE, f"text {number}")
    seen: list[object] = []
    prev_id = None
    while True:
        page = await history(http, cnt=3, prev_id=prev_id)
        if not page:
            break
        assert len(page) <= 3
        seen += [row["message"] for row in page]
        prev_id = page[-1]["int_id"]
    assert seen == [f"text {number}" for number in reversed(range(7))]


async def test_history_filters_by_phone_date_and_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    await send(http, PHONE, "old")
    emulator.advance(3 * 86400)
    await send(http, OTHER_PHONE, "new")
    await send(http, PHONE, "", hlr=1)
    today = emulator.format_date(emulator.clock.now())[:10]
    assert [r["message"] for r in await history(http, phone=OTHER_PHONE)] == ["new"]
    assert [r["message"] for r in await history(http, start="01.01.2024", end="01.01.2024")] == [
        "old"
    ]
    assert [r["format"] for r in await history(http, start=today)] == [4, 0]
    assert [r["message"] for r in await history(http, start="01.01.2024", end=today, format=0)] == [
        "new",
        "old",
    ]


async def test_history_filters_e_mail_messages_by_address(http: httpx.AsyncClient) -> None:
    await send(http, "ann@example.com", "Hello", mail=1, subj="Hi", sender="me@example.com")
    await send(http, PHONE, "sms")
    rows = await history(http, email="ANN@example.com")
    assert [(r["phone"], r["format"]) for r in rows] == [("ann@example.com", 8)]


async def test_history_shows_no_other_account_and_no_deleted_message(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.add_account("other", "pw")
    await http.post(
        "/sys/send.php", data={"login": "other", "psw": "pw", "phones": PHONE, "mes": "theirs"}
    )
    sent = await send(http, PHONE, "mine")
    assert [r["message"] for r in await history(http)] == ["mine"]
    assert emulator.delete_message(LOGIN, str(sent["id"]), PHONE)
    assert await history(http) == []
    assert await call(http, "get", get_messages=1, fmt=2) == "<result></result>"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "01.01.2024", "end": "02.07.2024"},  # over 6 months
        {"start": "02.01.2024", "end": "01.01.2024"},  # start after end
        {"start": "2024-01-01"},
        {"cnt": 1001},
        {"cnt": 0},
        {"prev_id": "x"},
        {"phone": "12"},
    ],
)
async def test_history_refuses_bad_parameters_with_error_1(
    http: httpx.AsyncClient, params: dict[str, object]
) -> None:
    assert await call_json(http, "get", get_messages=1, **params) == {
        "error": "parameters error",
        "error_code": 1,
    }


async def test_history_accepts_exactly_six_months(http: httpx.AsyncClient) -> None:
    assert await history(http, start="31.08.2023", end="29.02.2024") == []
    answer = await call_json(http, "get", get_messages=1, start="31.08.2023", end="01.03.2024")
    assert answer["error_code"] == 1


async def test_get_without_a_command_flag_is_error_1_in_every_format(
    http: httpx.AsyncClient,
) -> None:
    answers = [await call(http, "get", fmt=fmt) for fmt in range(4)]
    assert answers == [
        "ERROR = 1 (parameters error)",
        "0,-1",
        "<result><error>parameters error</error><error_code>1</error_code></result>",
        '{"error": "parameters error", "error_code": 1}',
    ]


async def test_history_needs_the_credentials(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/sys/get.php", data={"login": LOGIN, "psw": "bad", "get_messages": 1, "fmt": 1}
    )
    assert response.text == "0,-2"


async def test_history_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await send(socket_http, PHONE, "over the wire")
    rows = await history(socket_http)
    assert [row["message"] for row in rows] == ["over the wire"]


# ------------------------------------------------------------------ received messages

INCOMING_SHAPES = [
    (0, "id = 1, received = 01.01.2024 13:00:00, phone = {p}, to_phone = 79001112233, "
     "sent = 1704103200, message = Yes, please"),
    (1, "1,01.01.2024 13:00:00,{p},79001112233,1704103200,Yes, please"),
    (2, "<result><sms><id>1</id><received>01.01.2024 13:00:00</received><phone>{p}</phone>"
     "<to_phone>79001112233</to_phone><sent>1704103200</sent><message>Yes, please</message>"
     "</sms></result>"),
    (3, '[{{"id": 1, "received": "01.01.2024 13:00:00", "phone": "{p}", '
     '"to_phone": "79001112233", "sent": 1704103200, "message": "Yes, please"}}]'),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "expected"), INCOMING_SHAPES)
async def test_received_message_has_the_documented_shape(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int, expected: str
) -> None:
    emulator.receive_message(LOGIN, "+" + PHONE, "Yes, please", to_phone="79001112233")
    answer = await call(http, "get", get_answers=1, fmt=fmt)
    assert answer == expected.format(p=PHONE)


async def test_received_messages_page_forwards_by_after_id(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    for number in range(5):
        emulator.receive_message(LOGIN, PHONE, f"reply {number}")
    first = await call_json(http, "get", get_answers=1, cnt=2)
    rest = await call_json(http, "get", get_answers=1, after_id=first[-1]["id"])
    assert [r["message"] for r in first + rest] == [f"reply {n}" for n in range(5)]


async def test_received_messages_filter_by_hour_and_to_phone(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.receive_message(LOGIN, PHONE, "two days ago", to_phone="79001112233")
    emulator.advance(2 * 86400)
    emulator.receive_message(LOGIN, PHONE, "now", to_phone="79004445566")
    assert [r["message"] for r in await call_json(http, "get", get_answers=1)] == ["now"]
    week = await call_json(http, "get", get_answers=1, hour=168)
    assert [r["message"] for r in week] == ["two days ago", "now"]
    filtered = await call_json(http, "get", get_answers=1, hour=168, to_phone="79001112233")
    assert [r["message"] for r in filtered] == ["two days ago"]
    emulator.add_account("other", "pw")
    emulator.receive_message("other", PHONE, "not yours")
    assert len(await call_json(http, "get", get_answers=1, hour=168)) == 2


@pytest.mark.parametrize("params", [{"cnt": 10_001}, {"hour": 169}, {"hour": 0}, {"after_id": "a"}])
async def test_received_messages_refuse_bad_parameters_with_error_1(
    http: httpx.AsyncClient, params: dict[str, object]
) -> None:
    answer = await call_json(http, "get", get_answers=1, **params)
    assert answer["error_code"] == 1


async def test_no_received_message_is_an_empty_list(http: httpx.AsyncClient) -> None:
    assert await call_json(http, "get", get_answers=1) == []


async def test_received_message_is_posted_to_the_callback_url(
    emulator: SMSCEmulator,
) -> None:
    """§9.1: received messages go to the account's handler URL, signed (recipe [INF])."""
    posted: list[dict[str, str]] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        posted.append(dict(httpx.QueryParams(request.content.decode())))
        return httpx.Response(200)

    emulator.callbacks.use_transport(httpx.MockTransport(handler))
    account = emulator.account(LOGIN)
    account.callback_url = "http://shop.test/smsc"
    account.callback_secret = "s3cret"
    received = emulator.receive_message(LOGIN, PHONE, "Stop", to_phone="79001112233")
    deliveries = await emulator.deliver_callbacks()
    assert [d.delivered for d in deliveries] == [True]
    assert deliveries[0].status is None
    fields = posted[0]
    text = f"{received.id}:{PHONE}:Stop:s3cret".encode()
    assert fields == {
        "id": str(received.id),
        "received": "01.01.2024 13:00:00",
        "phone": PHONE,
        "to_phone": "79001112233",
        "sent": "1704103200",
        "message": "Stop",
        "md5": hashlib.md5(text).hexdigest(),
        "sha1": hashlib.sha1(text).hexdigest(),
    }


async def test_received_message_signature_recipe_is_a_setting() -> None:
    policy = CallbackPolicy(signatures=("md5",), incoming_signature="{id}:{secret}")
    async with SMSCEmulator(callbacks=policy) as emulator:
        emulator.add_account(LOGIN, "pw", callback_url="http://shop.test/", callback_secret="k")
        posted: list[str] = []

        async def handler(request: httpx.Request) -> httpx.Response:
            posted.append(request.content.decode())
            return httpx.Response(200)

        emulator.callbacks.use_transport(httpx.MockTransport(handler))
        emulator.receive_message(LOGIN, PHONE, "x")
        await emulator.deliver_callbacks()
    assert json.dumps(posted).count(hashlib.md5(b"1:k").hexdigest()) == 1


async def test_no_callback_without_a_callback_url(emulator: SMSCEmulator) -> None:
    emulator.receive_message(LOGIN, PHONE, "x")
    assert await emulator.deliver_callbacks() == []


async def test_received_messages_over_a_loopback_socket(
    socket_http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.receive_message(LOGIN, PHONE, "hello")
    answer = await call_json(socket_http, "get", get_answers=1)
    assert [row["message"] for row in answer] == ["hello"]
