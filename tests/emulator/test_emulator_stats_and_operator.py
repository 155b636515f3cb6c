"""Conformance of ``get.php?get_stat=1``, ``get.php?get_price=1`` and ``info.php``."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from smsc.testing import HLRRecord, SMSCEmulator, Tariff

from .conftest import OTHER_PHONE, PHONE, call, call_json, send

# ------------------------------------------------------------------ statistics

STAT_SHAPES = [
    (0, "login = alex, cnt = 2, credit = 3.60, debit = 0.00, currency = RUR"),
    (1, "alex,2,3.60,0.00,RUR"),
    (2, "<result><login>alex</login><cnt>2</cnt><credit>3.60</credit><debit>0.00</debit>"
     "<currency>RUR</currency></result>"),
    (3, '{"login": "alex", "cnt": 2, "credit": "3.60", "debit": "0.00", "currency": "RUR"}'),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "expected"), STAT_SHAPES)
async def test_statistics_have_the_documented_shape(
    http: httpx.AsyncClient, fmt: int, expected: str
) -> None:
    """§11.5: login, messages sent, money spent and received, currency."""
    await send(http, f"{PHONE},{OTHER_PHONE}", "Hi")
    assert await call(http, "get", get_stat=1, fmt=fmt) == expected


async def test_statistics_count_only_the_period(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    await send(http, PHONE, "a" * 200)  # two parts
    emulator.advance(2 * 86400)
    await send(http, PHONE, "b")
    assert (await call_json(http, "get", get_stat=1))["cnt"] == 1
    whole = await call_json(http, "get", get_stat=1, start="01.01.2024", mycur=1)
    assert (whole["cnt"], whole["credit"]) == (3, "5.40")


async def test_statistics_of_the_electronic_balance_invent_no_balance_field(
    http: httpx.AsyncClient,
) -> None:
    """``balance2=1`` selects the messages paid from the electronic balance (none in the
    emulator, which pays every message from the account's balance); the page lists no
    ``balance`` field in the answer."""
    await send(http, PHONE, "a")
    whole = await call_json(http, "get", get_stat=1, start="01.01.2024", balance2=1)
    assert set(whole) == {"login", "cnt", "credit", "debit", "currency"}
    assert (whole["cnt"], whole["credit"]) == (0, "0.00")


@pytest.mark.parametrize(
    "params", [{"start": "32.01.2024"}, {"start": "02.01.2024", "end": "01.01.2024"}]
)
async def test_statistics_refuse_bad_dates_with_error_1(
    http: httpx.AsyncClient, params: dict[str, object]
) -> None:
    assert (await call_json(http, "get", get_stat=1, **params))["error_code"] == 1


# ------------------------------------------------------------------ tariffs


async def test_prices_list_one_zone_per_prefix_and_the_rest(emulator: SMSCEmulator) -> None:
    """§11.5: one zone per tariff prefix, then every other number; money as strings."""
    emulator.add_account("p", "pw", tariff=Tariff(prefix_prices={"380": Decimal("2.5")}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator.app), base_url="http://smsc.test"
    ) as http:
        data = {"login": "p", "psw": "pw", "get_price": "1"}
        answers = [
            (await http.post("/sys/get.php", data={**data, "fmt": str(fmt)})).text
            for fmt in range(4)
        ]
    zone_1 = {"zone": 1, "name": "+380", "hlr": "0.20", "ping": "0.20"}
    zone_1.update(dict.fromkeys(("api", "mass", "mms", "call"), "2.50"))
    zone_2 = {
        **zone_1,
        "zone": 2,
        "name": "*",
        **dict.fromkeys(("api", "mass", "mms", "call"), "1.80"),
    }
    assert json.loads(answers[3]) == {"zones": [zone_1, zone_2]}
    assert list(json.loads(answers[3])["zones"][0]) == [
        "zone", "name", "api", "mass", "mms", "call", "hlr", "ping"
    ]  # fmt: skip
    assert answers[0].splitlines() == [
        "zone = 1, name = +380, api = 2.50, mass = 2.50, mms = 2.50, call = 2.50, "
        "hlr = 0.20, ping = 0.20",
        "zone = 2, name = *, api = 1.80, mass = 1.80, mms = 1.80, call = 1.80, "
        "hlr = 0.20, ping = 0.20",
    ]
    assert answers[1].splitlines() == [
        "1,+380,2.50,2.50,2.50,2.50,0.20,0.20",
        "2,*,1.80,1.80,1.80,1.80,0.20,0.20",
    ]
    assert answers[2].startswith("<result><zones><zone><zone>1</zone><name>+380</name>")
    assert answers[2].endswith("<ping>0.20</ping></zone></zones></result>")


async def test_fourth_identical_price_request_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.4: more than 3 identical tariff requests within a minute (a request that differs,
    here by an undocumented parameter the lenient emulator accepts, is not identical)."""
    emulator.strict = False
    answers = [await call_json(http, "get", get_price=1) for _ in range(4)]
    assert [a.get("error_code") for a in answers] == [None, None, None, 9]
    another = await call_json(http, "get", get_price=1, start="01.01.2024")
    assert "zones" in another
    emulator.advance(60)
    assert "zones" in await call_json(http, "get", get_price=1)


async def test_prices_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    answer = await call_json(socket_http, "get", get_price=1)
    assert answer["zones"][0]["api"] == "1.80"


async def test_statistics_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    await send(socket_http, PHONE, "x")
    assert (await call_json(socket_http, "get", get_stat=1))["cnt"] == 1


# ------------------------------------------------------------------ operator lookup

OPERATOR_SHAPES = [
    (0, "phone = {p}, country = Россия, operator = МТС, region = г.Москва и Московская "
     "область, mcc = 250, mnc = 01, tz = 3"),
    (1, "{p},Россия,МТС,г.Москва и Московская область,250,01,3"),
    (2, "<result><phone>{p}</phone><country>Россия</country><operator>МТС</operator>"
     "<region>г.Москва и Московская область</region><mcc>250</mcc><mnc>01</mnc><tz>3</tz>"
     "</result>"),
    (3, '{{"phone": "{p}", "country": "Россия", "operator": "МТС", '
     '"region": "г.Москва и Московская область", "mcc": "250", "mnc": "01", "tz": 3}}'),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "expected"), OPERATOR_SHAPES)
async def test_operator_lookup_has_the_documented_shape(
    http: httpx.AsyncClient, fmt: int, expected: str
) -> None:
    """§11.6: country, operator, region, MCC, MNC and time zone of one number."""
    answer = await call(http, "info", get_operator=1, phone="+" + PHONE, fmt=fmt)
    assert answer == expected.format(p=PHONE)


async def test_operator_lookup_reports_the_numbers_hlr_data(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    emulator.set_hlr(OTHER_PHONE, HLRRecord(operator="МегаФон", mnc="02", region="Сибирь", tz=7))
    rows = await call_json(http, "info", get_operator=1, phone=f"{PHONE},{OTHER_PHONE}")
    assert [(r["phone"], r["operator"], r["mnc"], r["tz"]) for r in rows] == [
        (PHONE, "МТС", "01", 3),
        (OTHER_PHONE, "МегаФон", "02", 7),
    ]


async def test_unknown_operator_is_error_3_in_every_format(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§11.6 [OBS]: ``ERROR = 3 (operator not found)``."""
    emulator.set_operator_unknown(PHONE)
    answers = [await call(http, "info", get_operator=1, phone=PHONE, fmt=f) for f in range(4)]
    assert answers == [
        "ERROR = 3 (operator not found)",
        "0,-3",
        "<result><error>operator not found</error><error_code>3</error_code></result>",
        '{"error": "operator not found", "error_code": 3}',
    ]
    emulator.set_operator_unknown(PHONE, False)
    assert (await call_json(http, "info", get_operator=1, phone=PHONE))["mcc"] == "250"


@pytest.mark.parametrize("params", [{"phone": "123"}, {"phone": ""}, {"get_operator": 0}])
async def test_operator_lookup_refuses_bad_parameters_with_error_1(
    http: httpx.AsyncClient, params: dict[str, object]
) -> None:
    query = {"get_operator": 1, "phone": PHONE, **params}
    assert (await call_json(http, "info", **query))["error_code"] == 1


async def test_fourth_identical_operator_lookup_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.4: more than 3 identical lookups within a minute."""
    answers = [await call_json(http, "info", get_operator=1, phone=PHONE) for _ in range(4)]
    assert [a.get("error_code") for a in answers] == [None, None, None, 9]
    other = await call_json(http, "info", get_operator=1, phone=OTHER_PHONE)
    assert other["phone"] == OTHER_PHONE
    emulator.advance(60)
    assert (await call_json(http, "info", get_operator=1, phone=PHONE))["phone"] == PHONE


async def test_101st_operator_lookup_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.4: more than 100 lookups of any kind within a minute."""
    phones = [f"7999000{n:04d}" for n in range(101)]
    answers = [await call_json(http, "info", get_operator=1, phone=p) for p in phones]
    assert [a.get("error_code") for a in answers] == [None] * 100 + [9]
    emulator.advance(60)
    assert "error_code" not in await call_json(http, "info", get_operator=1, phone=phones[0])


async def test_operator_lookup_over_a_loopback_socket(socket_http: httpx.AsyncClient) -> None:
    answer = await call_json(socket_http, "info", get_operator=1, phone=PHONE)
    assert answer["operator"] == "МТС"
