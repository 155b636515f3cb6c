"""Conformance of ``balance.php``, authentication, IP lock-out and concurrency rules."""

from __future__ import annotations

import asyncio
import hashlib
from decimal import Decimal

import httpx
import pytest

from smsc.testing import LockoutRules, RateLimits, SMSCEmulator

from .conftest import API_KEY, LOGIN, PASSWORD, PHONE, call, call_json

BALANCE_SHAPES = [
    (0, 0, "100.00"),
    (1, 0, "100.00"),
    (2, 0, "<balance>100.00</balance>"),
    (3, 0, '{"balance": "100.00"}'),
    (0, 1, "100.00 RUR"),
    (3, 1, '{"balance": "100.00", "currency": "RUR"}'),
]


@pytest.mark.parametrize(("fmt", "cur", "expected"), BALANCE_SHAPES)
async def test_balance_has_the_documented_shape(
    http: httpx.AsyncClient, fmt: int, cur: int, expected: str
) -> None:
    """§7: plain number for fmt 0/1, ``<balance>`` for 2, JSON for 3; ``cur=1`` adds currency."""
    assert await call(http, "balance", fmt=fmt, cur=cur) == expected


async def test_balance_with_currency_shows_a_credit_limit(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§7 [INF]: with ``cur=1`` and a non-zero credit the JSON answer adds ``credit``."""
    emulator.account(LOGIN).credit = Decimal("50")
    assert await call_json(http, "balance", cur=1) == {
        "balance": "100.00",
        "credit": "50.00",
        "currency": "RUR",
    }


async def test_eleventh_balance_request_in_a_minute_is_error_9(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.3: more than ten balance requests within a minute answer error 9."""
    answers = [await call_json(http, "balance") for _ in range(11)]
    emulator.advance(60)
    assert [a.get("error_code") for a in answers] == [None] * 10 + [9]
    assert await call_json(http, "balance") == {"balance": "100.00"}


async def test_rate_rules_can_be_switched_off() -> None:
    """Appendix A: every rate rule is a setting; ``RateLimits.off()`` disables them."""
    async with SMSCEmulator(limits=RateLimits.off()) as emulator:
        emulator.add_account(LOGIN, PASSWORD)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=emulator.app), base_url="http://smsc.test"
        ) as client:
            answers = [await call_json(client, "balance") for _ in range(30)]
    assert all(answer == {"balance": "100.00"} for answer in answers)


async def test_md5_of_the_password_is_accepted(http: httpx.AsyncClient) -> None:
    """§2 [LIB]: ``psw`` may be the lowercase MD5 hex of the password."""
    digest = hashlib.md5(PASSWORD.encode()).hexdigest()
    assert await call_json(http, "balance", psw=digest) == {"balance": "100.00"}


async def test_api_key_replaces_login_and_password(http: httpx.AsyncClient) -> None:
    """§2: ``apikey`` alone authenticates."""
    response = await http.post("/sys/balance.php", data={"apikey": API_KEY, "fmt": "3"})
    assert response.json() == {"balance": "100.00"}


async def test_empty_login_takes_the_password_as_api_key(http: httpx.AsyncClient) -> None:
    """§2: with an empty login, ``psw`` is read as the API key."""
    response = await http.post("/sys/balance.php", data={"login": "", "psw": API_KEY, "fmt": "3"})
    assert response.json() == {"balance": "100.00"}


async def test_wrong_password_is_error_2(http: httpx.AsyncClient) -> None:
    """§2, §5.3: bad credentials answer error 2."""
    assert await call_json(http, "balance", psw="nope") == {
        "error": "authorise error",
        "error_code": 2,
    }


async def test_request_from_outside_the_allow_list_is_error_2(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§2: an IP outside the account's allow-list gets error 2 even with the right password."""
    emulator.account(LOGIN).allowed_ips = {"10.1.2.3"}
    assert (await call_json(http, "balance"))["error_code"] == 2


async def test_five_auth_errors_block_the_ip_for_thirty_minutes(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.6: 5 authorisation errors in 30 minutes block the IP for 30 minutes (error 4)."""
    for _ in range(5):
        await call_json(http, "balance", psw="wrong")
    blocked = await call_json(http, "balance")
    emulator.advance(29 * 60)
    still = await call_json(http, "balance")
    emulator.advance(60)
    assert (blocked, still["error_code"]) == ({"error": "ip is blocked", "error_code": 4}, 4)
    assert await call_json(http, "balance") == {"balance": "100.00"}


async def test_auth_errors_spread_over_more_than_thirty_minutes_do_not_block(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.6: only errors within the 30-minute window count."""
    for _ in range(5):
        await call_json(http, "balance", psw="wrong")
        emulator.advance(8 * 60)
    assert await call_json(http, "balance") == {"balance": "100.00"}


async def test_allow_listed_ip_is_never_locked_out(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§2, §5.6: the lock-out does not apply to allow-listed IPs."""
    emulator.account(LOGIN).allowed_ips = {"127.0.0.1"}
    for _ in range(6):
        await call_json(http, "balance", psw="wrong")
    assert await call_json(http, "balance") == {"balance": "100.00"}


async def test_hundred_erroneous_sends_in_a_row_block_the_ip_for_ten_minutes(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.6: 100 erroneous sends in a row within 10 minutes block the IP for 10 minutes."""
    codes = [
        (await call_json(http, "send", phones="12", mes="x")).get("error_code") for _ in range(101)
    ]
    emulator.advance(10 * 60)
    assert (codes[:100] == [7] * 100, codes[100]) == (True, 4)
    assert "id" in await call_json(http, "send", phones=PHONE, mes="x")


async def test_a_good_send_resets_the_erroneous_send_count(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    """§5.6: the rule counts erroneous sends *in a row*."""
    for n in range(150):
        phones = PHONE if n == 90 else "12"
        await call_json(http, "send", phones=phones, mes=f"x{n}")
    assert (await call_json(http, "send", phones="12", mes="x"))["error_code"] == 7


async def test_lockout_thresholds_are_configurable() -> None:
    """§5.6 / Appendix A: thresholds are settings (here 2 auth errors)."""
    async with SMSCEmulator(lockout=LockoutRules(auth_errors=2)) as emulator:
        emulator.add_account(LOGIN, PASSWORD)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=emulator.app), base_url="http://smsc.test"
        ) as client:
            for _ in range(2):
                await call_json(client, "balance", psw="wrong")
            assert (await call_json(client, "balance"))["error_code"] == 4


async def test_fifteenth_simultaneous_request_is_error_9(emulator: SMSCEmulator) -> None:
    """§5.1: 15 or more simultaneous requests of one login answer error 9."""
    emulator.limits = RateLimits(balance_per_minute=None)
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as client:
        emulator.pause_responses()
        held = [asyncio.ensure_future(call_json(client, "balance")) for _ in range(14)]
        for _ in range(1000):
            if emulator.in_flight == 14:
                break
            await asyncio.sleep(0)
        # The fifteenth either is answered at once or joins the held ones: a limit set too
        # high shows as a fifteenth request in flight, not as a test that never ends.
        fifteenth = asyncio.ensure_future(call_json(client, "balance"))
        for _ in range(1000):
            if fifteenth.done() or emulator.in_flight > 14:
                break
            await asyncio.sleep(0)
        emulator.resume_responses()
        refused = await fifteenth
        answers = await asyncio.gather(*held)
    assert refused == {"error": "too many concurrent requests", "error_code": 9}
    assert all(answer == {"balance": "100.00"} for answer in answers)
    assert emulator.peak_in_flight == 14
