"""Conformance of ``status.php``: lifecycle, answer shapes, multi-message, HLR, del, limits."""

from __future__ import annotations

import httpx
import pytest

from smsc import ConfigurationError, DeliveryError, StatusCode
from smsc.testing import HLRRecord, Lifecycle, SMSCEmulator

from .conftest import LOGIN, OTHER_PHONE, PHONE, call, call_json

# The emulator's default clock starts at 2024-01-01 10:00:00 UTC = 13:00:00 in Moscow.
SENT = 1704103200


async def send(
    http: httpx.AsyncClient, phone: str = PHONE, text: str = "Hello, world", **params: object
) -> int:
    """Send one message and return its id."""
    answer = await call_json(http, "send", phones=phone, mes=text, **params)
    message_id = answer["id"]
    assert isinstance(message_id, int)
    return message_id


async def test_status_goes_from_waiting_to_transferred_to_delivered(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.5, Appendix A: -1 -> 0 -> 1 as the clock passes the lifecycle delays."""
    message_id = await send(http)
    seen = []
    for step in (0, 1, 4):
        emulator.advance(step)
        seen.append((await call_json(http, "status", id=message_id, phone=PHONE))["status"])
    assert seen == [-1, 0, 1]


async def test_lifecycle_delays_are_configurable(http: httpx.AsyncClient) -> None:
    """Appendix A [INF]: the delays of the lifecycle are settings of the emulator."""
    async with SMSCEmulator(lifecycle=Lifecycle(transfer_after=0, final_after=0)) as quick:
        quick.add_account("q", "q")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=quick.app), base_url="http://smsc.test"
        ) as client:
            sent = await client.post(
                "/sys/send.php",
                data={"login": "q", "psw": "q", "phones": PHONE, "mes": "x", "fmt": "1"},
            )
            message_id = sent.text.split(",")[0]
            status = await client.post(
                "/sys/status.php",
                data={"login": "q", "psw": "q", "phone": PHONE, "id": message_id, "fmt": "1"},
            )
    assert status.text.split(",")[0] == "1"


@pytest.mark.parametrize(
    ("status", "err"),
    [
        (StatusCode.UNDELIVERABLE, DeliveryError.SUBSCRIBER_NOT_FOUND),
        (StatusCode.INVALID_NUMBER, DeliveryError.INVALID_NUMBER_FORMAT),
        (StatusCode.PROHIBITED, DeliveryError.SPAM_FILTER),
        (StatusCode.UNAVAILABLE_NUMBER, DeliveryError.NO_ROUTE),
    ],
)
async def test_configured_number_fails_with_its_status_and_err(
    http: httpx.AsyncClient, emulator: SMSCEmulator, status: StatusCode, err: DeliveryError
) -> None:
    """§6.5, §6.6: a number set to fail ends in that status with that ``err``."""
    emulator.set_delivery_outcome(PHONE, status, err)
    message_id = await send(http)
    emulator.advance(60)
    answer = await call_json(http, "status", id=message_id, phone=PHONE)
    assert (answer["status"], answer["err"]) == (int(status), int(err))


async def test_one_time_outcome_applies_to_the_next_message_only(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """Appendix A: configured failures can be limited to the next N messages."""
    emulator.set_delivery_outcome(PHONE, StatusCode.UNDELIVERABLE, 6, times=1)
    first, second = await send(http, text="Hello 1"), await send(http, text="Hello 2")
    emulator.advance(60)
    statuses = [emulator.message(mid, PHONE).status for mid in (first, second)]
    assert statuses == [StatusCode.UNDELIVERABLE, StatusCode.DELIVERED]


async def test_history_records_every_change_with_its_time(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.5: the emulator keeps each message's status history (for tests to read)."""
    message_id = await send(http)
    emulator.advance(600)
    history = emulator.message(message_id, PHONE).history
    assert [(change.status, change.at - SENT) for change in history] == [
        (StatusCode.PENDING, 0),
        (StatusCode.TRANSFERRED, 1),
        (StatusCode.DELIVERED, 5),
    ]


BASIC_SHAPES = [
    (0, "Status = 1, check_time = 01.01.2024 13:00:05, err = 0"),
    (1, f"1,{SENT + 5},0"),
    (
        2,
        "<sms><status>1</status><last_date>01.01.2024 13:00:05</last_date>"
        f"<last_timestamp>{SENT + 5}</last_timestamp><flag>0</flag><err>0</err></sms>",
    ),
    (
        3,
        '{"status": 1, "last_date": "01.01.2024 13:00:05", '
        f'"last_timestamp": {SENT + 5}, "flag": 0, "err": 0}}',
    ),
]


@pytest.mark.parametrize(("fmt", "expected"), BASIC_SHAPES)
async def test_single_status_has_the_documented_shape(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int, expected: str
) -> None:
    """§6.2 (all=0) in fmt 0, 1, 2 and 3; dates in Moscow time ([INF])."""
    message_id = await send(http)
    emulator.advance(60)
    assert await call(http, "status", id=message_id, phone=PHONE, fmt=fmt) == expected


async def test_full_status_adds_the_message_details(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.2: ``all=1`` adds send date, phone, cost, sender, status name, text, type."""
    message_id = await send(http, sender="MyShop")
    emulator.advance(60)
    answer = await call_json(http, "status", id=message_id, phone=PHONE, all=1)
    assert answer == {
        "status": 1,
        "last_date": "01.01.2024 13:00:05",
        "last_timestamp": SENT + 5,
        "flag": 0,
        "err": 0,
        "send_date": "01.01.2024 13:00:00",
        "send_timestamp": SENT,
        "phone": PHONE,
        "cost": "1.80",
        "sender_id": "MyShop",
        "status_name": "Доставлено",
        "message": "Hello, world",
        "comment": "",
        "type": 0,
    }


async def test_full_status_with_operator_adds_country_operator_region(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.2: ``all=2`` adds ``country``, ``operator`` and ``region``."""
    emulator.set_hlr(PHONE, HLRRecord(country="Россия", operator="МегаФон", region="Москва"))
    message_id = await send(http)
    answer = await call_json(http, "status", id=message_id, phone=PHONE, all=2)
    assert (answer["country"], answer["operator"], answer["region"]) == (
        "Россия",
        "МегаФон",
        "Москва",
    )


def split_as_the_php_library(row: str, all: int) -> list[str]:
    """How the official PHP library (3.8) splits a single ``fmt=1`` status row ([LIB]).

    It splits on every comma; when the row is not an HLR row (``HLR`` expected at index 14
    with all=1 and 17 with all=2) it splits again into at most 9 / 12 fields, so that commas
    in the message text survive.
    """
    fields = row.split(",")
    index = 14 if all == 1 else 17
    if all and len(fields) > 9 and (len(fields) <= index or fields[index] != "HLR"):
        fields = row.split(",", (9 if all == 1 else 12) - 1)
    return fields


@pytest.mark.parametrize(("detail", "hlr_index", "width"), [(1, 14, 17), (2, 17, 20)])
async def test_hlr_full_status_in_numbers_has_hlr_where_the_php_library_looks(
    http: httpx.AsyncClient, emulator: SMSCEmulator, detail: int, hlr_index: int, width: int
) -> None:
    """§6.4 [LIB]: the all=2 fields come before the all=1 fields, so HLR sits at 17."""
    emulator.set_hlr(PHONE, HLRRecord(country="Россия", operator="МТС", region="Москва"))
    answer = await call_json(http, "send", phones=PHONE, mes="", hlr=1)
    emulator.advance(60)
    row = await call(http, "status", id=answer["id"], phone=PHONE, fmt=1, all=detail)
    fields = split_as_the_php_library(row, detail)
    assert (len(fields), fields[hlr_index]) == (width, "HLR")
    if detail == 2:
        assert fields[11:15] == ["Россия", "МТС", "Москва", str(SENT)]


@pytest.mark.parametrize(("detail", "operator_fields"), [(1, []), (2, ["Россия", "МТС", "Москва"])])
async def test_full_status_in_numbers_keeps_the_text_last(
    http: httpx.AsyncClient, emulator: SMSCEmulator, detail: int, operator_fields: list[str]
) -> None:
    """§6.2 [LIB]: fmt=1 all=1/2 rows end with the text, so commas in it survive the split;
    all=2 puts country, operator, region before the all=1 fields."""
    emulator.set_hlr(PHONE, HLRRecord(country="Россия", operator="МТС", region="Москва"))
    message_id = await send(http)
    emulator.advance(60)
    row = await call(http, "status", id=message_id, phone=PHONE, fmt=1, all=detail)
    head = ["1", str(SENT + 5), "0"]
    full = [str(SENT), PHONE, "1.80", "", "Доставлено", "Hello, world"]
    assert split_as_the_php_library(row, detail) == head + operator_fields + full


@pytest.mark.parametrize(
    ("fmt", "country", "first_full_field"),
    [
        (0, "country = ", "send_date = "),
        (2, "<country>", "<send_date>"),
        (3, '"country"', '"send_date"'),
    ],
)
async def test_operator_fields_come_before_the_full_fields_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator, fmt: int, country: str, first_full_field: str
) -> None:
    """The all=2 order of the comma rows holds in the text, XML and JSON answers too."""
    message_id = await send(http)
    emulator.advance(60)
    text = await call(http, "status", id=message_id, phone=PHONE, fmt=fmt, all=2)
    assert -1 < text.index(country) < text.index(first_full_field)


async def test_trailing_comma_forces_the_multi_message_layout(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.1, §6.3: ``id=5,``/``phone=...,`` answer a JSON array with ``id`` and ``phone``."""
    message_id = await send(http)
    answer = await call_json(http, "status", id=f"{message_id},", phone=f"{PHONE},")
    assert answer == [
        {
            "status": -1,
            "last_date": "01.01.2024 13:00:00",
            "last_timestamp": SENT,
            "flag": 0,
            "err": 0,
            "id": message_id,
            "phone": PHONE,
        }
    ]


async def test_multi_status_lists_messages_in_request_order(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.3: one row per id/phone pair, in order; unknown ones answer status -3."""
    first = await send(http)
    second = await send(http, phone=OTHER_PHONE)
    emulator.advance(60)
    text = await call(
        http, "status", id=f"{first},{second},999", phone=f"{PHONE},{OTHER_PHONE},{PHONE}", fmt=1
    )
    assert text.split("\n") == [
        f"1,{SENT + 5},0,{first},{PHONE}",
        f"1,{SENT + 5},0,{second},{OTHER_PHONE}",
        f"-3,0,0,999,{PHONE}",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"id": 12345, "phone": PHONE}, "-3,0,0"),
        ({"id": 12345, "phone": PHONE, "all": 1}, "-3,0,0,0,,0,,,"),
        ({"id": "12345,", "phone": f"{PHONE},"}, f"-3,0,0,12345,{PHONE}"),
    ],
)
async def test_unknown_message_in_fmt_1_has_numeric_timestamps_not_empty_fields(
    http: httpx.AsyncClient, params: dict[str, object], expected: str
) -> None:
    """fmt=1 is ``<status>,<last_timestamp>,<err>``: an unknown message's empty timestamp
    made the official Python library report an error for what is a status (-3)."""
    text = await call(http, "status", fmt=1, **params)
    assert text == expected
    assert text.split(",")[1] == "0"


async def test_multi_status_rows_escape_a_line_feed_in_the_text_as_history_does(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """One line per message: a line feed inside a text is written as the two characters
    ``\\n`` (as in the history answer), so a reader splitting rows on line feeds counts right."""
    first = (await call_json(http, "send", phones=PHONE, mes="two\nlines"))["id"]
    second = await send(http, phone=OTHER_PHONE)
    ids, phones = f"{first},{second}", f"{PHONE},{OTHER_PHONE}"
    text = await call(http, "status", id=ids, phone=phones, all=1, fmt=1)
    rows = text.split("\n")
    assert len(rows) == 2
    assert rows[0].endswith(f"two\\nlines,{first}")
    emulator.reset_limits()  # one multi-status a minute
    plain = await call(http, "status", id=ids, phone=phones, all=1, fmt=0)
    assert len(plain.split("\n")) == 2


async def test_unknown_message_has_status_minus_3(http: httpx.AsyncClient) -> None:
    """§6.5: no message for this id and phone answers status -3."""
    assert await call_json(http, "status", id=12345, phone=PHONE) == {"status": -3}


async def test_hlr_answer_carries_the_subscriber_fields(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.4: an HLR result adds imsi, msc, mcc, mnc, cn, net, rcn, rnet."""
    info = HLRRecord(imsi="250020000000001", msc="79230000000", mnc="02", net="MegaFon")
    emulator.set_hlr(PHONE, info)
    answer = await call_json(http, "send", phones=PHONE, mes="", hlr=1)
    emulator.advance(60)
    row = await call(http, "status", id=answer["id"], phone=PHONE, fmt=1)
    assert row == (
        f"1,{SENT + 5},0,250020000000001,79230000000,250,02,Russian Federation,MegaFon,,"
    )


async def test_hlr_full_status_names_hlr_as_sender(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.4 [LIB]: the Sender-ID field of an HLR row holds the literal ``HLR``."""
    answer = await call_json(http, "send", phones=PHONE, mes="", hlr=1)
    emulator.advance(60)
    status = await call_json(http, "status", id=answer["id"], phone=PHONE, all=1)
    assert (status["sender_id"], status["type"], status["imsi"]) == ("HLR", 4, "250019876543210")


async def test_delete_removes_the_message(http: httpx.AsyncClient, emulator: SMSCEmulator) -> None:
    """§6.1: ``del=1`` deletes a sent message; afterwards it is not found."""
    message_id = await send(http)
    assert await call_json(http, "status", id=message_id, phone=PHONE, **{"del": 1}) == {
        "result": "OK"
    }
    emulator.advance(60)
    assert (await call_json(http, "status", id=message_id, phone=PHONE))["status"] == -3


async def test_deleting_an_unknown_message_is_error_5(http: httpx.AsyncClient) -> None:
    """§5.2: error 5 is "error deleting a message"."""
    answer = await call_json(http, "status", id=404, phone=PHONE, **{"del": 1})
    assert answer["error_code"] == 5


async def test_status_without_id_is_error_1(http: httpx.AsyncClient) -> None:
    """§5.2, §6.1: ``id`` and ``phone`` are required."""
    assert (await call_json(http, "status", phone=PHONE))["error_code"] == 1


async def test_sixth_poll_of_one_message_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.2: more than five status requests for the same message within a minute."""
    message_id = await send(http)
    codes = [
        (await call_json(http, "status", id=message_id, phone=PHONE)).get("error_code")
        for _ in range(6)
    ]
    emulator.advance(60)
    after = await call_json(http, "status", id=message_id, phone=PHONE)
    assert (codes, "error_code" in after) == ([None] * 5 + [9], False)


async def test_second_multi_status_in_a_minute_is_error_9(http: httpx.AsyncClient) -> None:
    """§5.2: more than one multi-message status request within a minute."""
    first = await call_json(http, "status", id="1,2", phone=f"{PHONE},{PHONE}")
    second = await call_json(http, "status", id="1,2", phone=f"{PHONE},{PHONE}")
    assert (isinstance(first, list), second) == (
        True,
        {"error": "duplicate request, wait a minute", "error_code": 9},
    )


async def test_status_of_another_accounts_message_is_not_found(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§6.5: messages are looked up within the requesting account."""
    emulator.add_account("other", "pw")
    message_id = await send(http)
    response = await http.post(
        "/sys/status.php",
        data={"login": "other", "psw": "pw", "id": str(message_id), "phone": PHONE, "fmt": "3"},
    )
    assert response.json() == {"status": -3}
    assert emulator.message(message_id, PHONE, login=LOGIN).status is StatusCode.PENDING


@pytest.mark.parametrize("final", [StatusCode.READ, StatusCode.LINK_CLICKED])
async def test_read_and_clicked_pass_through_delivered(
    http: httpx.AsyncClient, emulator: SMSCEmulator, final: StatusCode
) -> None:
    """Appendix A, §6.5: -1 -> 0 -> 1 (-> 2/4): "read" and "clicked" follow "delivered"."""
    emulator.set_delivery_outcome(PHONE, final)
    await call(http, "send", phones=PHONE, mes="Hi", id=5)
    emulator.advance(60)
    statuses = [change.status for change in emulator.message(5, PHONE).history]
    assert statuses == [StatusCode.PENDING, StatusCode.TRANSFERRED, StatusCode.DELIVERED, final]


@pytest.mark.parametrize(
    "status",
    [StatusCode.NOT_FOUND, StatusCode.STOPPED, StatusCode.PENDING, StatusCode.TRANSFERRED],
)
def test_non_final_outcome_is_a_configuration_error(
    emulator: SMSCEmulator, status: StatusCode
) -> None:
    """A delivery outcome must be a final status; -3, -2, -1 and 0 are refused."""
    with pytest.raises(ConfigurationError):
        emulator.set_delivery_outcome(PHONE, status)
