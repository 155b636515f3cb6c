"""AsyncSMSCClient over a mocked wire: commands, flags, time forms, errors, validation."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
import respx

import smsc
from smsc import (
    AsyncSMSCClient,
    MessageFormat,
    RequestValidationError,
    SMSCConfig,
    StatusCode,
    StatusDetail,
)
from smsc._wire.forms import format_flag

from .conftest import (
    API_KEY,
    BALANCE_URL,
    LOGIN,
    PASSWORD,
    SEND_URL,
    STATUS_URL,
    form_of,
    json_response,
)

SENT = {"id": 7, "cnt": 1, "cost": "1.50", "balance": "10.00"}


# --------------------------------------------------------------------------- send


@pytest.mark.parametrize("fmt", list(MessageFormat))
async def test_every_message_format_sends_its_wire_flag(
    client: AsyncSMSCClient, wire: respx.MockRouter, fmt: MessageFormat
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    phones = "user@example.com" if fmt is MessageFormat.MAIL else "79991234567"
    await client.send(phones, "" if not fmt.needs_text else "0011", format=fmt, id=7)
    form = form_of(route.calls.last.request)
    flags = {"flash", "push", "hlr", "bin", "ping", "mms", "mail", "call", "viber", "soc", "tg"}
    sent_flags = {key: form[key] for key in flags & form.keys()}
    flag = format_flag(fmt)
    expected = {} if flag is None else {flag[0]: flag[1]}
    assert sent_flags == expected


async def test_format_can_be_given_by_its_name(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send("79991234567", "hi", format="flash")
    assert form_of(route.calls.last.request)["flash"] == "1"


@pytest.mark.parametrize(
    ("given", "wire_value"),
    [
        ("0101121000", "0101121000"),
        ("01.01.12 10:00", "01.01.12 10:00"),
        ("9-21", "9-21"),
        ("01700000000", "01700000000"),
        ("+30", "+30"),
        ("0", "0"),
        (datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "0" + str(1893553445)),
        (datetime(2030, 1, 2, 3, 4), "02.01.30 03:04"),
        (timedelta(minutes=90), "+90"),
    ],
)
async def test_every_time_form_reaches_the_wire(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    given: str | datetime | timedelta,
    wire_value: str,
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send("79991234567", "hi", time=given, tz=2)
    form = form_of(route.calls.last.request)
    assert (form["time"], form["tz"]) == (wire_value, "2")


async def test_send_options_are_encoded(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    await client.send(
        ["79991234567", "+79997654321"],
        "hi",
        sender="SMSC.RU",
        valid=3,
        maxsms=2,
        tinyurl=True,
        translit=2,
        id="order-15",
    )
    form = form_of(route.calls.last.request)
    assert {k: form[k] for k in ("phones", "sender", "valid", "maxsms", "tinyurl", "translit")} == {
        "phones": "79991234567,+79997654321",
        "sender": "SMSC.RU",
        "valid": "3",
        "maxsms": "2",
        "tinyurl": "1",
        "translit": "2",
    }
    assert form["id"] == "order-15"


async def test_send_assigns_a_unique_id_when_none_is_given(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response({"cnt": 1}))
    first = await client.send("79991234567", "a")
    second = await client.send("79991234567", "b")
    ids = [form_of(call.request)["id"] for call in route.calls]
    assert ids == [first.id, second.id]
    assert ids[0] != ids[1]
    assert all(len(i) <= 40 for i in ids)


async def test_send_without_assigned_ids_lets_the_service_choose(
    wire: respx.MockRouter,
) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response({"id": 991, "cnt": 1}))
    async with AsyncSMSCClient(login=LOGIN, password=PASSWORD, assign_ids=False) as client:
        result = await client.send("79991234567", "a")
    assert "id" not in form_of(route.calls.last.request)
    assert result.id == 991


async def test_send_with_api_key_sends_no_login_or_password(wire: respx.MockRouter) -> None:
    route = wire.post(SEND_URL).mock(return_value=json_response(SENT))
    async with AsyncSMSCClient(api_key=API_KEY) as client:
        await client.send("79991234567", "hi")
    form = form_of(route.calls.last.request)
    assert form["apikey"] == API_KEY
    assert "login" not in form
    assert "psw" not in form


async def test_send_parses_per_phone_details(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(SEND_URL).mock(
        return_value=json_response(
            {
                "id": 15,
                "cnt": 1,
                "cost": "3.50",
                "balance": "96.50",
                "phones": [
                    {"phone": "79991234567", "mccmnc": "25002", "cost": "3.50"},
                    {"phone": "7999", "mccmnc": "0", "cost": "0", "status": "22", "error": "249"},
                ],
            }
        )
    )
    result = await client.send("79991234567,79991234568", "hi", extra={"op": 1})
    assert [p.phone for p in result.phones] == ["79991234567", "7999"]
    assert result.phones[1].status is StatusCode.INVALID_NUMBER
    assert result.phones[1].error == smsc.DeliveryError.INVALID_NUMBER_FORMAT


async def test_per_call_timeout_overrides_the_client_timeout(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(BALANCE_URL).mock(return_value=json_response({"balance": "1"}))
    await client.balance(timeout=1.5)
    timeouts = route.calls.last.request.extensions["timeout"]
    assert timeouts["read"] <= 1.5


# --------------------------------------------------------------------------- status, balance


async def test_status_full_detail_parses_every_field(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(
        return_value=json_response(
            {
                "status": 20,
                "last_date": "26.05.2017 21:39:32",
                "last_timestamp": 1495823972,
                "flag": 0,
                "err": 1,
                "send_date": "26.05.2017 21:39:27",
                "send_timestamp": 1495823967,
                "phone": "79262138080",
                "cost": "1.20",
                "sender_id": "avto-disp",
                "status_name": "Невозможно доставить",
                "message": "test, with, commas",
                "comment": "",
                "type": 0,
                "sms_cnt": 1,
                "mccmnc": "25002",
            }
        )
    )
    status = await client.status(1, "79262138080", detail=StatusDetail.FULL)
    assert form_of(route.calls.last.request)["all"] == "1"
    assert status.status is StatusCode.UNDELIVERABLE
    assert status.error is smsc.DeliveryError.SUBSCRIBER_NOT_FOUND
    assert status.is_final
    assert not status.is_delivered
    assert status.sent_at == datetime(2017, 5, 26, 18, 39, 27, tzinfo=timezone.utc)
    assert (status.cost, status.sender, status.message) == (
        Decimal("1.20"),
        "avto-disp",
        "test, with, commas",
    )
    assert status.type is smsc.MessageType.SMS
    assert status.extra == {"mccmnc": "25002"}


async def test_status_of_hlr_request_exposes_hlr_fields(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(STATUS_URL).mock(
        return_value=json_response(
            {
                "status": 1,
                "last_timestamp": 1629048442,
                "err": 0,
                "imsi": "250023012345678",
                "msc": "79232510066",
                "mcc": "250",
                "mnc": "02",
                "cn": "Russian Federation",
                "net": "MegaFON",
                "rcn": "",
                "rnet": "",
            }
        )
    )
    status = await client.status(66, "79999999999")
    assert status.hlr is not None
    assert (status.hlr.imsi, status.hlr.mcc, status.hlr.mnc, status.hlr.network) == (
        "250023012345678",
        "250",
        "02",
        "MegaFON",
    )
    assert status.hlr.roaming_network == ""


async def test_status_many_sends_trailing_commas_and_returns_each_message(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.post(STATUS_URL).mock(
        return_value=json_response(
            [
                {"status": 1, "last_timestamp": 1629048442, "id": 182, "phone": "89995190557"},
                {"status": -3, "id": 138, "phone": "89995190557"},
            ]
        )
    )
    results = await client.status_many([(182, "89995190557"), (138, "89995190557")])
    form = form_of(route.calls.last.request)
    assert (form["id"], form["phone"]) == ("182,138,", "89995190557,89995190557,")
    assert [(r.id, r.status) for r in results] == [
        (182, StatusCode.DELIVERED),
        (138, StatusCode.NOT_FOUND),
    ]


async def test_status_many_error_object_raises(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(STATUS_URL).mock(
        return_value=json_response({"error": "duplicate request, wait a minute", "error_code": 9})
    )
    with pytest.raises(smsc.TooManyRequestsError):
        await client.status_many([(1, "79991234567")])


async def test_unknown_status_code_is_kept_as_int(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(STATUS_URL).mock(return_value=json_response({"status": 77, "err": 999}))
    status = await client.status(1, "79991234567")
    assert (status.status, status.error) == (77, 999)
    assert not status.is_final


async def test_balance_with_credit(client: AsyncSMSCClient, wire: respx.MockRouter) -> None:
    wire.post(BALANCE_URL).mock(
        return_value=json_response({"balance": "-5.00", "credit": "100.00", "currency": "RUR"})
    )
    balance = await client.balance()
    assert (balance.amount, balance.credit) == (Decimal("-5.00"), Decimal("100.00"))


# --------------------------------------------------------------------------- API errors

SEND_ERRORS = [
    (1, smsc.ParametersError, False),
    (2, smsc.AuthenticationError, False),
    (3, smsc.InsufficientFundsError, True),
    (4, smsc.IPBlockedError, False),
    (5, smsc.InvalidTimeError, False),
    (6, smsc.MessageDeniedError, True),
    (7, smsc.InvalidPhoneError, True),
    (8, smsc.UndeliverableError, True),
    (9, smsc.TooManyRequestsError, False),
]


@pytest.mark.parametrize(("code", "error_class", "carries_id"), SEND_ERRORS)
async def test_every_send_error_code_raises_its_class(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    code: int,
    error_class: type[smsc.APIError],
    carries_id: bool,
) -> None:
    payload: dict[str, object] = {"error": "some description", "error_code": code}
    if carries_id:
        payload["id"] = 541
    route = wire.post(SEND_URL).mock(return_value=json_response(payload))
    with pytest.raises(error_class) as caught:
        await client.send("79991234567", "hi")
    assert route.call_count == 1
    error = caught.value
    assert (error.code, error.description, error.command) == (code, "some description", "send")
    assert error.message_id == (541 if carries_id else None)
    assert error.retryable == (code in (4, 9))


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (1, smsc.ParametersError),
        (2, smsc.AuthenticationError),
        (4, smsc.IPBlockedError),
        (5, smsc.DeleteError),
        (9, smsc.TooManyRequestsError),
    ],
)
async def test_every_status_error_code_raises_its_class(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    code: int,
    error_class: type[smsc.APIError],
) -> None:
    wire.post(STATUS_URL).mock(return_value=json_response({"error": "x", "error_code": code}))
    with pytest.raises(error_class):
        await client.status(1, "79991234567")


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (1, smsc.ParametersError),
        (2, smsc.AuthenticationError),
        (4, smsc.IPBlockedError),
        (9, smsc.TooManyRequestsError),
    ],
)
async def test_every_balance_error_code_raises_its_class(
    client: AsyncSMSCClient,
    wire: respx.MockRouter,
    code: int,
    error_class: type[smsc.APIError],
) -> None:
    wire.post(BALANCE_URL).mock(return_value=json_response({"error": "x", "error_code": code}))
    with pytest.raises(error_class):
        await client.balance()


@pytest.mark.parametrize(("code", "wait"), [(4, 600.0), (9, 60.0)])
async def test_blocking_errors_say_how_long_to_wait(
    client: AsyncSMSCClient, wire: respx.MockRouter, code: int, wait: float
) -> None:
    wire.post(BALANCE_URL).mock(return_value=json_response({"error": "x", "error_code": code}))
    with pytest.raises(smsc.APIError) as caught:
        await client.balance()
    assert caught.value.retry_after == wait
    assert f"retry after {wait:g} s" in str(caught.value)


async def test_unknown_error_code_raises_plain_api_error(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(BALANCE_URL).mock(return_value=json_response({"error": "new", "error_code": 42}))
    with pytest.raises(smsc.APIError) as caught:
        await client.balance()
    assert type(caught.value) is smsc.APIError
    assert caught.value.code == 42


@pytest.mark.parametrize("body", [b"", b"<html>bad gateway</html>", b'{"id": 1, "cn'])
async def test_unreadable_answer_to_balance_is_invalid_response(
    client: AsyncSMSCClient, wire: respx.MockRouter, body: bytes
) -> None:
    wire.post(BALANCE_URL).mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(smsc.InvalidResponseError):
        await client.balance()


async def test_unreadable_answer_to_send_is_unknown_outcome_with_id_and_phones(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(SEND_URL).mock(return_value=httpx.Response(200, content=b"<html>oops</html>"))
    with pytest.raises(smsc.SendOutcomeUnknownError) as caught:
        await client.send("79991234567", "hi", id="order-1")
    assert (caught.value.message_id, caught.value.phones) == ("order-1", ("79991234567",))


async def test_http_error_status_on_balance_raises_server_error(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(BALANCE_URL).mock(return_value=httpx.Response(503))
    with pytest.raises(smsc.ServerError) as caught:
        await client.balance()
    assert caught.value.status_code == 503


async def test_connect_error_on_send_means_nothing_was_sent(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(url__regex=r".*/sys/send\.php").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(smsc.APIConnectionError) as caught:
        await client.send("79991234567", "hi")
    assert not isinstance(caught.value, smsc.SendOutcomeUnknownError)


async def test_read_timeout_on_send_is_unknown_outcome(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    wire.post(SEND_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(smsc.SendOutcomeUnknownError) as caught:
        await client.send("79991234567", "hi", id=5)
    assert caught.value.message_id == 5
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"phones": "", "message": "hi"}, "phones"),
        ({"phones": [], "message": "hi"}, "phones"),
        ({"phones": "not-a-number", "message": "hi"}, "phones"),
        ({"phones": "79991234567", "message": "hi", "id": 0}, "id"),
        ({"phones": "79991234567", "message": "hi", "id": "has space"}, "id"),
        ({"phones": "79991234567", "message": "hi", "id": "x" * 41}, "id"),
        ({"phones": "79991234567", "message": "hi", "sender": "TwelveChars!"}, "sender"),
        ({"phones": "79991234567", "message": "x" * 1001}, "message"),
        ({"phones": "79991234567", "message": ""}, "message"),
        ({"phones": "79991234567", "message": "hi", "format": "fax"}, "format"),
        ({"phones": "79991234567", "message": "hi", "time": "tomorrow"}, "time"),
        ({"phones": "79991234567", "message": "hi", "maxsms": 0}, "maxsms"),
        ({"phones": "79991234567", "message": "hi", "translit": 5}, "translit"),
        ({"phones": "79991234567", "message": "hi", "extra": {"psw": "x"}}, "extra"),
        ({"phones": "79991234567", "message": "hi", "extra": {"fmt": 1}}, "extra"),
    ],
)
async def test_bad_input_is_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter, kwargs: dict[str, object], field: str
) -> None:
    route = wire.route().mock(return_value=json_response(SENT))
    with pytest.raises(RequestValidationError) as caught:
        await client.send(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert route.call_count == 0


async def test_bad_status_arguments_are_refused_before_any_request(
    client: AsyncSMSCClient, wire: respx.MockRouter
) -> None:
    route = wire.route().mock(return_value=json_response({"status": 1}))
    with pytest.raises(RequestValidationError):
        await client.status(-4, "79991234567")
    with pytest.raises(RequestValidationError):
        await client.status(1, "79991234567,79991234568")
    with pytest.raises(RequestValidationError):
        await client.status_many([])
    with pytest.raises(RequestValidationError):
        await client.status(1, "79991234567", detail=7)
    assert route.call_count == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"login": LOGIN},
        {"password": PASSWORD},
        {"login": LOGIN, "password": PASSWORD, "api_key": API_KEY},
        {"api_key": ""},
        {"api_key": API_KEY, "host": "http://smsc.ru"},
    ],
)
def test_bad_credentials_or_site_raise_configuration_error(
    kwargs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SMSC_LOGIN", "SMSC_PASSWORD", "SMSC_API_KEY", "SMSC_HOST"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(smsc.ConfigurationError) as caught:
        AsyncSMSCClient(**kwargs)  # type: ignore[arg-type]
    assert PASSWORD not in str(caught.value)
    assert API_KEY not in str(caught.value)


# --------------------------------------------------------------------------- client shape


async def test_client_from_environment(
    monkeypatch: pytest.MonkeyPatch, wire: respx.MockRouter
) -> None:
    monkeypatch.setenv("SMSC_API_KEY", API_KEY)
    monkeypatch.setenv("SMSC_HOST", "smscentre.com")
    route = wire.post("https://smscentre.com/sys/balance.php").mock(
        return_value=json_response({"balance": "3.00"})
    )
    async with AsyncSMSCClient() as client:
        balance = await client.balance()
    assert balance.amount == Decimal("3.00")
    assert form_of(route.calls.last.request)["apikey"] == API_KEY


async def test_borrowed_http_client_is_not_closed(wire: respx.MockRouter) -> None:
    wire.post(BALANCE_URL).mock(return_value=json_response({"balance": "1"}))
    async with httpx.AsyncClient() as http:
        async with AsyncSMSCClient(login=LOGIN, password=PASSWORD, http_client=http) as client:
            await client.balance()
        assert not http.is_closed


async def test_owned_http_client_is_closed_with_the_client(wire: respx.MockRouter) -> None:
    client = AsyncSMSCClient(login=LOGIN, password=PASSWORD)
    async with client:
        pass
    assert client.http_client.is_closed
    with pytest.raises(smsc.SMSCError):
        await client.balance()


async def test_with_options_shares_the_pool(client: AsyncSMSCClient) -> None:
    copy = client.with_options(timeout=3.0)
    assert copy.http_client is client.http_client
    assert copy.config.timeout == 3.0
    await copy.aclose()
    assert not client.http_client.is_closed


def test_config_and_client_repr_hide_secrets() -> None:
    config = SMSCConfig(login=LOGIN, password=PASSWORD)
    client = AsyncSMSCClient(config=config)
    assert PASSWORD not in repr(config)
    assert PASSWORD not in repr(client)
    assert PASSWORD not in str(config.model_dump())
    keyed = SMSCConfig(api_key=API_KEY)
    assert API_KEY not in repr(keyed)


async def test_requests_in_flight_never_exceed_the_cap() -> None:
    in_flight = 0
    peak = 0
    release = asyncio.Event()
    cap_reached = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight == 4:
            cap_reached.set()
        await release.wait()
        in_flight -= 1
        return json_response({"balance": "1.00"})

    client = AsyncSMSCClient(
        login=LOGIN, password=PASSWORD, max_concurrency=4, transport=httpx.MockTransport(handler)
    )
    async with client:
        # The first contact with a site is a probe the others wait for (see failover docs).
        release.set()
        await client.balance()
        release.clear()
        peak = 0
        tasks = [asyncio.create_task(client.balance()) for _ in range(40)]
        await cap_reached.wait()
        for _ in range(20):  # give queued tasks every chance to overtake the cap
            await asyncio.sleep(0)
        assert in_flight == 4
        release.set()
        results = await asyncio.gather(*tasks)
    assert peak == 4
    assert len(results) == 40
    assert in_flight == 0


async def test_default_cap_is_below_the_service_limit() -> None:
    assert SMSCConfig(login=LOGIN, password=PASSWORD).max_concurrency < 15


async def test_failover_hook_with_a_borrowed_client_is_refused() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(smsc.ConfigurationError):
            AsyncSMSCClient(
                login=LOGIN, password=PASSWORD, http_client=http, on_failover_event=print
            )


@pytest.mark.parametrize(
    ("raw", "allowed"), [("1", True), ("on", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_allow_http_switch_reads_the_usual_spellings(raw: str, allowed: bool) -> None:
    env = {"SMSC_API_KEY": API_KEY, "SMSC_ALLOW_HTTP": raw}
    assert SMSCConfig.from_env(env).allow_http is allowed


def test_allow_http_switch_refuses_an_unknown_word() -> None:
    with pytest.raises(smsc.ConfigurationError):
        SMSCConfig.from_env({"SMSC_API_KEY": API_KEY, "SMSC_ALLOW_HTTP": "maybe"})
