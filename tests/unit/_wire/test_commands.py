"""The command specs: fmt=3 answers of the protocol reference (§4-§7) and the forms sent."""

from __future__ import annotations

from decimal import Decimal

import pytest

import smsc
from smsc import MessageFormat, StatusCode, StatusDetail
from smsc._models.messages import SendRequest
from smsc._wire import BALANCE, COST, DELETE, STATUS, StatusQuery
from smsc._wire.commands import decode_balance, decode_cost, decode_send, decode_status
from smsc._wire.values import is_whole_json


@pytest.mark.parametrize(
    ("body", "cost", "balance"),
    [
        (b'{"id": 63, "cnt": 1, "cost": "3.8", "balance": "286.55"}', "3.8", "286.55"),
        (b'{"id": 63, "cnt": 1, "cost": 3.8, "balance": 286.55}', "3.8", "286.55"),
        (b'{"id": 63, "cnt": 1, "cost": 4, "balance": "0"}', "4", "0"),
        (b'{"id": 63, "cnt": 1}', None, None),
    ],
)
def test_send_answer_amounts_as_strings_or_numbers(
    body: bytes, cost: str | None, balance: str | None
) -> None:
    result = decode_send(body)
    assert result.cost == (Decimal(cost) if cost else None)
    assert result.balance == (Decimal(balance) if balance else None)


def test_send_answer_keeps_decimal_precision() -> None:
    result = decode_send(b'{"id": 1, "cnt": 2, "cost": 0.1, "balance": 0.30000000000000004}')
    assert result.cost == Decimal("0.1")
    assert result.balance == Decimal("0.30000000000000004")


def test_send_answer_with_string_id_and_call_code() -> None:
    result = decode_send(b'{"id": "order-9", "cnt": 1, "code": "79001234597"}')
    assert (result.id, result.code) == ("order-9", "79001234597")


def test_send_answer_without_id_uses_the_sent_id() -> None:
    assert decode_send(b'{"cnt": 1}', sent_id="s-abc").id == "s-abc"


def test_send_answer_without_cnt_is_invalid() -> None:
    with pytest.raises(smsc.InvalidResponseError):
        decode_send(b'{"id": 1}')


@pytest.mark.parametrize(
    ("body", "message_id"),
    [
        (b'{"error": "invalid number", "error_code": 7, "id": 175}', 175),
        (b'{"error": "can\'t to deliver", "id": 1, "error_code": 8}', 1),
        # an id sent as text stays text: it may be one the caller chose
        (b'{"error_code": "7", "error": "invalid number", "id": "175"}', "175"),
    ],
)
def test_error_object_with_id_in_any_key_order_or_type(body: bytes, message_id: int | str) -> None:
    with pytest.raises(smsc.APIError) as caught:
        decode_send(body)
    assert caught.value.message_id == message_id


def test_cost_answer_as_string_or_number() -> None:
    assert decode_cost(b'{"cost": "1.80", "cnt": 1}').cost == Decimal("1.80")
    assert decode_cost(b'{"cnt": 1, "cost": 1.44}').cost == Decimal("1.44")


def test_cost_answer_error_raises_cost_error() -> None:
    with pytest.raises(smsc.TooManyRequestsError) as caught:
        decode_cost(b'{"error": "duplicate request, wait a minute", "error_code": 9}')
    assert caught.value.command == "cost"


def test_status_without_err_and_flag() -> None:
    (status,) = decode_status(
        b'{"status": 1, "last_date": "28.12.2019 19:20:22", "last_timestamp": 1577550022}',
        requested=[(5, "79991234567")],
    )
    assert (status.error, status.flag) == (None, None)
    assert status.status is StatusCode.DELIVERED


def test_status_date_without_timestamp_is_read_as_moscow_time() -> None:
    (status,) = decode_status(
        b'{"status": 0, "last_date": "28.12.2019 19:20:22"}', requested=[(5, "7999")]
    )
    assert status.last_change is not None
    assert status.last_change.utcoffset() is not None
    assert status.last_change.hour == 16


def test_status_array_not_found_entry() -> None:
    (status,) = decode_status(
        b'[{"status": -3, "id": 138, "phone": "89995190557"}]', requested=[(138, "89995190557")]
    )
    assert status.status is StatusCode.NOT_FOUND
    assert status.last_change is None


def test_status_all_2_fixture_with_operator_fields() -> None:
    body = (
        '[{"id": 1, "send_timestamp": 1495823967, "message": "test", "status_name": '
        '"Доставлено", "cost": "1.20", "phone": "79262138080", "sender_id": "avto-disp", '
        '"last_date": "26.05.2017 21:39:32", "region": "г.Москва и Московская область", '
        '"send_date": "26.05.2017 21:39:27", "last_timestamp": 1495823972, "operator": '
        '"МегаФон", "status": 1, "country": "Россия"}]'
    ).encode()
    (status,) = decode_status(body, requested=[(1, "79262138080")])
    assert (status.country, status.operator) == ("Россия", "МегаФон")
    assert status.region == "г.Москва и Московская область"
    assert status.extra == {}


def test_status_error_object_instead_of_array() -> None:
    with pytest.raises(smsc.AuthenticationError):
        decode_status(b'{"error": "authorise error", "error_code": 2}', requested=[])


@pytest.mark.parametrize("body", [b"", b"   ", b"ERROR = 2 (authorise error)", b"0,-2", b"[1, 2]"])
def test_non_json_or_wrong_shape_status_is_invalid_response(body: bytes) -> None:
    with pytest.raises(smsc.InvalidResponseError):
        decode_status(body, requested=[(1, "7999")])


def test_balance_plain_and_with_currency_and_credit() -> None:
    assert decode_balance(b'{"balance": "250.80"}').currency is None
    full = decode_balance(b'{"balance": "100.01", "credit": "50", "currency": "RUR"}')
    assert (full.amount, full.credit, full.currency) == (
        Decimal("100.01"),
        Decimal("50"),
        "RUR",
    )


def test_balance_missing_amount_is_invalid() -> None:
    with pytest.raises(smsc.InvalidResponseError):
        decode_balance(b'{"currency": "RUR"}')


@pytest.mark.parametrize(
    ("body", "complete"),
    [
        (b'{"id": 1}', True),
        (b"[]", True),
        (b' {"a": 1}\n', True),
        (b"", False),
        (b'{"id": 1', False),
        (b"<html>", False),
    ],
)
def test_body_completeness_check(body: bytes, complete: bool) -> None:
    assert is_whole_json(body) is complete


def test_send_form_for_cost_query_omits_id_and_uses_cost_1() -> None:
    request = SendRequest(phones=("7999",), message="x", format=MessageFormat.PING, id=3)
    assert COST.encode(request) == {
        "phones": "7999",
        "mes": "x",
        "cost": "1",
        "ping": "1",
    }


def test_status_form_single_and_multi() -> None:
    assert STATUS.encode(StatusQuery(((1, "7999"),), StatusDetail.BASIC, multi=False)) == {
        "id": "1",
        "phone": "7999",
    }
    query = StatusQuery(((1, "7999"), ("a", "7888")), StatusDetail.FULL, multi=True)
    assert STATUS.encode(query) == {
        "id": "1,a,",
        "phone": "7999,7888,",
        "all": "1",
    }


def test_balance_form_asks_for_currency() -> None:
    assert BALANCE.encode(None) == {"cur": "1"}


def test_delete_form_names_the_message_and_asks_to_delete_it() -> None:
    assert DELETE.encode(("s-1", "79991234567")) == {
        "del": "1",
        "id": "s-1",
        "phone": "79991234567",
    }


def test_delete_answer_ok_is_the_deleted_message_and_anything_else_is_invalid() -> None:
    assert DELETE.read(b'{"result": "OK"}', (7, "7999")) == smsc.DeleteResult(id=7, phone="7999")
    with pytest.raises(smsc.InvalidResponseError):
        DELETE.read(b'{"result": "maybe"}', (7, "7999"))
    with pytest.raises(smsc.DeleteError):
        DELETE.read(b'{"error": "delete error", "error_code": 5}', (7, "7999"))


def test_a_send_answer_keeps_amounts_of_zero_and_leaves_absent_fields_at_their_defaults() -> None:
    free = decode_send(b'{"id": 7, "cnt": 1, "cost": "0", "balance": "0.00", "code": ""}')
    assert (free.cost, free.balance, free.code) == (Decimal("0"), Decimal("0.00"), "")
    bare = decode_send(b'{"id": 7, "cnt": 2}')
    assert (bare.cost, bare.balance, bare.phones, bare.code) == (None, None, (), None)
