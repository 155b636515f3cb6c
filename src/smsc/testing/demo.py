"""``python -m smsc.testing.demo`` (``make demo``): the SDK's main job on the bundled emulator.

Starts the emulator on loopback sockets (HTTP and the e-mail gateway), then, through the SDK
only, runs every example call of the official library's documentation: a send with
transliteration, one with ``maxsms`` passed through, a binary (hex) WAP-push, an HLR lookup,
a cost query, a send through the SMTP gateway, the status of each message followed to its
final status, and the balance. Each result is printed under the SDK call that made it (the
call is run from that very text). No credentials and no network beyond loopback are needed; the
emulator's clock is advanced by the waits, so the whole run takes seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .._client import AsyncSMSCClient
from .._enums import DeliveryError, MessageFormat, StatusCode, Translit
from .._errors import SMSCError
from .._models.messages import CostResult, MessageStatus, SendResult
from .._privacy import mask_phone
from .._smtp.sender import SMTPSendResult
from ._emulator import SMSCEmulator

__all__ = ["main", "run_demo"]

LOGIN, PASSWORD = "demo", "demo-password"
PHONE = "79999999999"
FAILING_PHONE = "79990000020"
WAP_PUSH_HEX = "0605040B8423F0DC0601AE02056A0045C60C036D79736974652E72750001036D7973697465000101"


CALLS: tuple[tuple[str, str], ...] = (
    ("send, translit=1", 'client.send(PHONE, "Ваш пароль: 123", translit=Translit.LATIN)'),
    ("send, maxsms=3", 'client.send(PHONE, "http://smsc.ru\\nSMSC.RU", extra={"maxsms": 3})'),
    ("send, binary hex", "client.send(PHONE, WAP_PUSH_HEX, format=MessageFormat.BINARY_HEX)"),
    ("HLR request", "client.send(PHONE, format=MessageFormat.HLR)"),
    ("send, offline phone", 'client.send(FAILING_PHONE, "This number is switched off")'),
    ("cost", 'client.cost(PHONE, "Вы успешно зарегистрированы!")'),
    ("send by e-mail (SMTP)", 'client.send_via_smtp(PHONE, "Ваш пароль: 123")'),
)
"""What the demo runs: a label and the SDK call (an awaitable expression) it prints and runs."""


@dataclass
class Row:
    """One line of the summary."""

    call: str
    message_id: int | str | None
    phone: str
    outcome: str
    status: MessageStatus | None = None
    code: str = ""
    """The SDK call that made this row, as it ran."""


async def run_demo(*, quiet: bool = False) -> list[Row]:
    """Run the demo and return its summary rows (printed as it goes unless ``quiet``)."""
    rows: list[Row] = []

    def say(text: str) -> None:
        if not quiet:
            print(text)

    async with SMSCEmulator() as emulator:
        emulator.add_account(LOGIN, PASSWORD, balance=Decimal("500.00"))
        emulator.set_delivery_outcome(
            FAILING_PHONE, StatusCode.UNDELIVERABLE, DeliveryError.SUBSCRIBER_OFFLINE
        )
        site = await emulator.start_site()
        smtp = await emulator.start_smtp()
        say(f"emulator: HTTP on {site.url}, SMTP gateway on {smtp.host}:{smtp.port}\n")

        async def virtual_sleep(seconds: float) -> None:
            emulator.advance(seconds)  # the emulator's time, not ours: no real waiting

        async with AsyncSMSCClient(
            login=LOGIN,
            password=PASSWORD,
            host=site.url,
            allow_http=True,  # loopback only
            smtp_host=smtp.host,
            smtp_port=smtp.port,
            smtp_starttls=False,
        ) as client:
            balance = await client.balance()
            say(f"await client.balance() -> {balance.amount} {balance.currency}\n")

            # Each call is run from the text printed beside its result, so the two never differ.
            names = {
                "client": client,
                "PHONE": PHONE,
                "FAILING_PHONE": FAILING_PHONE,
                "WAP_PUSH_HEX": WAP_PUSH_HEX,
                "MessageFormat": MessageFormat,
                "Translit": Translit,
            }
            for label, code in CALLS:
                answer = await eval(code, names)  # the demo's own constant texts only
                phone = FAILING_PHONE if "FAILING_PHONE" in code else PHONE
                rows.append(Row(label, _message_id(answer), phone, _outcome(answer), code=code))

            for row in rows:
                if row.message_id is None:
                    continue
                row.status = await client.wait_for_status(
                    row.message_id,
                    row.phone,
                    timeout=900,
                    clock=emulator.clock.now,
                    sleep=virtual_sleep,
                )
            balance = await client.balance()

        say(_listing(rows))
        say(f"\nawait client.balance() -> {balance.amount} {balance.currency}")
        hlr = next(row.status for row in rows if row.call == "HLR request")
        if hlr is not None and hlr.hlr is not None:
            say(
                f"HLR request's status.hlr: IMSI {hlr.hlr.imsi}, network {hlr.hlr.network}, "
                f"MCC/MNC {hlr.hlr.mcc}/{hlr.hlr.mnc}"
            )
    return rows


def _message_id(answer: object) -> int | str | None:
    if isinstance(answer, (SendResult, SMTPSendResult)):
        return answer.id
    return None


def _outcome(answer: object) -> str:
    if isinstance(answer, (SendResult, CostResult)):
        return f"{answer.count} SMS, cost {answer.cost}"
    return "accepted by gateway"


def _describe(status: MessageStatus | None) -> str:
    if status is None:
        return "-"
    code = status.status
    name = code.description if isinstance(code, StatusCode) else f"status {code}"
    error = status.error
    if isinstance(error, DeliveryError) and error is not DeliveryError.NONE:
        name += f" ({error.description})"
    return name


def _listing(rows: list[Row]) -> str:
    lines = [
        f"PHONE = {mask_phone(PHONE)!r}, FAILING_PHONE = {mask_phone(FAILING_PHONE)!r}"
        " (masked here), then each call and its result:",
        "",
    ]
    for row in rows:
        shown = "-" if row.message_id is None else f"id {row.message_id}"
        lines.append(f"await {row.code}")
        lines.append(f"    {shown}: {row.outcome}")
        if row.message_id is not None:
            lines.append(f"    final (client.wait_for_status): {_describe(row.status)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m smsc.testing.demo``."""
    parser = argparse.ArgumentParser(description="Run the SDK's examples on the emulator.")
    parser.parse_args(argv)
    started = time.perf_counter()
    try:
        rows = asyncio.run(run_demo())
    except SMSCError as exc:
        print(f"demo failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    unfinished = [row for row in rows if row.message_id is not None and row.status is None]
    print(
        f"\n{len(rows)} calls, every message followed to its final status "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 1 if unfinished else 0


if __name__ == "__main__":
    sys.exit(main())
