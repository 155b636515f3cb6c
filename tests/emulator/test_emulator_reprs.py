"""The emulator's records show phones masked by the SDK's one rule and never the texts."""

from __future__ import annotations

import httpx
import pytest

from smsc.testing import CallbackDelivery, IngestedMail, SMSCEmulator
from smsc.testing._answers import SendAnswer

from .conftest import PHONE, call

MASKED = "7999***4567"


async def test_message_repr_masks_the_phone_and_hides_the_text(
    http: httpx.AsyncClient, emulator: SMSCEmulator
) -> None:
    await call(http, "send", phones=PHONE, mes="Secret code 1234", id=3)
    shown = repr(emulator.message(3, PHONE))
    assert MASKED in shown
    assert (PHONE in shown, "Secret" in shown) == (False, False)
    assert "<16 chars>" in shown


def test_callback_delivery_repr_masks_the_phone_and_leaves_out_the_form() -> None:
    fields = {"id": "3", "phone": PHONE, "md5": "0123abcd"}
    delivery = CallbackDelivery("http://app.test/cb", fields, 3, PHONE, 1, due_at=0.0)
    shown = repr(delivery)
    assert MASKED in shown
    assert (PHONE in shown, "0123abcd" in shown) == (False, False)


def test_ingested_mail_repr_leaves_out_phones_and_text() -> None:
    mail = IngestedMail(
        "shop@example.test",
        ("send@send.smsc.ru",),
        {"phones": PHONE, "mes": "Secret code 1234"},
        SendAnswer(5, 1),
    )
    shown = repr(mail)
    assert "message_id=5" in shown
    assert (PHONE in shown, "Secret" in shown) == (False, False)


def test_the_emulator_records_are_not_named_like_the_sdk_models() -> None:
    import smsc
    import smsc.testing

    shared = set(smsc.__all__) & set(smsc.testing.__all__)
    clashes = {n for n in shared if getattr(smsc, n) is not getattr(smsc.testing, n)}
    assert clashes == set()


def test_an_old_record_name_warns_and_gives_the_record() -> None:
    import smsc.testing

    with pytest.warns(DeprecationWarning, match="TemplateRecord"):
        old = smsc.testing.Template
    assert old is smsc.testing.TemplateRecord
