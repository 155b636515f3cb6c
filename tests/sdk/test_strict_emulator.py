"""The strict emulator (the default) against the SDK: a future misreading fails its own tests.

A parameter planted in a spec's encoder stands for a misreading of the service's pages: the
SDK and a lenient emulator would agree on it, the strict emulator answers error 1.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

import smsc._wire as wire
import smsc.resources.account as account_resource
from smsc import AsyncSMSCClient, ParametersError
from smsc._wire import CommandSpec
from smsc.testing import SMSCEmulator


def _planted(spec: CommandSpec[Any, Any], **fields: str) -> CommandSpec[Any, Any]:
    original = spec.encode
    return dataclasses.replace(spec, encode=lambda args: {**original(args), **fields})


async def test_a_parameter_planted_in_the_balance_spec_fails_against_the_strict_emulator(
    monkeypatch: pytest.MonkeyPatch,
    smsc_emulator: SMSCEmulator,
    smsc_client: AsyncSMSCClient,
) -> None:
    monkeypatch.setattr(wire, "BALANCE", _planted(wire.BALANCE, with_credit="1"))
    with pytest.raises(ParametersError):
        await smsc_client.balance()
    assert [str(refusal) for refusal in smsc_emulator.strict_refusals] == [
        "/sys/balance.php (balance): undocumented with_credit"
    ]


async def test_the_same_planted_parameter_passes_a_lenient_emulator(
    monkeypatch: pytest.MonkeyPatch,
    smsc_emulator: SMSCEmulator,
    smsc_client: AsyncSMSCClient,
) -> None:
    smsc_emulator.strict = False
    monkeypatch.setattr(wire, "BALANCE", _planted(wire.BALANCE, with_credit="1"))
    balance = await smsc_client.balance()
    assert balance.amount > 0
    assert smsc_emulator.strict_refusals == []


async def test_a_parameter_of_another_action_is_refused_for_this_action(
    monkeypatch: pytest.MonkeyPatch,
    smsc_emulator: SMSCEmulator,
    smsc_client: AsyncSMSCClient,
) -> None:
    """``prev_id`` is documented for get.php's history, not for its statistics."""
    planted = _planted(wire.COMMANDS["statistics"], prev_id="5")
    monkeypatch.setattr(account_resource, "STATISTICS", planted)
    with pytest.raises(ParametersError):
        await smsc_client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 1))
    assert [str(refusal) for refusal in smsc_emulator.strict_refusals] == [
        "/sys/get.php (statistics): undocumented prev_id"
    ]


async def test_the_unplanted_spec_passes_the_strict_emulator(
    smsc_emulator: SMSCEmulator, smsc_client: AsyncSMSCClient
) -> None:
    assert smsc_emulator.strict
    await smsc_client.balance()
    await smsc_client.account.statistics(start=date(2024, 1, 1), end=date(2024, 1, 1))
    assert smsc_emulator.strict_refusals == []


async def test_a_parameter_planted_in_a_new_spec_fails_against_the_strict_emulator(
    monkeypatch: pytest.MonkeyPatch,
    smsc_emulator: SMSCEmulator,
    smsc_client: AsyncSMSCClient,
) -> None:
    """The endpoints offered since the corpus was written (here ``receive_phones.php``) are
    held to it the same way: their corpus entries are not a blanket pass."""
    import smsc._wire.receive_phones as receive_phones

    planted = _planted(receive_phones.RECEIVE_PHONES_LIST, region="msk")
    monkeypatch.setattr(receive_phones, "RECEIVE_PHONES_LIST", planted)
    with pytest.raises(ParametersError):
        await smsc_client.numbers.available()
    assert [str(refusal) for refusal in smsc_emulator.strict_refusals] == [
        "/sys/receive_phones.php (list): undocumented region"
    ]
    monkeypatch.undo()
    await smsc_client.numbers.available()
    assert len(smsc_emulator.strict_refusals) == 1
