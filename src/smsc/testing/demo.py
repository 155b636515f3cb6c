"""``python -m smsc.testing.demo`` (``make demo``): the SDK's main job on the bundled emulator.

Starts the emulator on loopback sockets (HTTP and the e-mail gateway), then, through the SDK
only, runs every example call of the official library's documentation: a send with
transliteration, one with ``maxsms`` passed through, a binary (hex) WAP-push, an HLR lookup,
a cost query, a send through the SMTP gateway, the status of each message followed to its
final status, and the balance. No credentials and no network beyond loopback are needed; the
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
from .._models import MessageStatus
from .._privacy import mask_phone
from ._emulator import SMSCEmulator

__all__ = ["main", "run_demo"]

LOGIN, PASSWORD = "demo", "demo-password"
PHONE = "79999999999"
FAILING_PHONE = "79990000020"
WAP_PUSH_HEX = "0605040B8423F0DC0601AE02056A0045C60C036D79736974652E72750001036D7973697465000101"


@dataclass
class Row:
    """One line of the summary."""

    call: str
    message_id: int | str | None
    phone: str
    outcome: str
    status: MessageStatus | None = None


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
            say(f"balance before: {balance.amount} {balance.currency}")

            sent = await client.send(PHONE, "Ваш пароль: 123", translit=Translit.LATIN)
            rows.append(Row("send, translit=1", sent.id, PHONE, _money(sent.count, sent.cost)))

            sent = await client.send(PHONE, "http://smsc.ru\nSMSC.RU", extra={"maxsms": 3})
            rows.append(Row("send, maxsms=3", sent.id, PHONE, _money(sent.count, sent.cost)))

            sent = await client.send(PHONE, WAP_PUSH_HEX, format=MessageFormat.BINARY_HEX)
            rows.append(Row("send, binary hex", sent.id, PHONE, _money(sent.count, sent.cost)))

            sent = await client.send(PHONE, format=MessageFormat.HLR)
            rows.append(Row("HLR request", sent.id, PHONE, _money(sent.count, sent.cost)))

            sent = await client.send(FAILING_PHONE, "This number is switched off")
            rows.append(
                Row("send, offline phone", sent.id, FAILING_PHONE, _money(sent.count, sent.cost))
            )

            quote = await client.cost(PHONE, "Вы успешно зарегистрированы!")
            rows.append(Row("cost", None, PHONE, _money(quote.count, quote.cost)))

            mailed = await client.send_via_smtp(PHONE, "Ваш пароль: 123")
            rows.append(Row("send by e-mail (SMTP)", mailed.id, PHONE, "accepted by gateway"))

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

        say(_table(rows))
        say(f"\nbalance after: {balance.amount} {balance.currency}")
        hlr = next(row.status for row in rows if row.call == "HLR request")
        if hlr is not None and hlr.hlr is not None:
            say(
                f"HLR: IMSI {hlr.hlr.imsi}, network {hlr.hlr.network}, MCC/MNC {hlr.hlr.mcc}/"
                f"{hlr.hlr.mnc}"
            )
    return rows


def _money(count: int, cost: Decimal | None) -> str:
    return f"{count} SMS, cost {cost}"


def _describe(status: MessageStatus | None) -> str:
    if status is None:
        return "-"
    code = status.status
    name = code.description if isinstance(code, StatusCode) else f"status {code}"
    error = status.error
    if isinstance(error, DeliveryError) and error is not DeliveryError.NONE:
        name += f" ({error.description})"
    return name


def _table(rows: list[Row]) -> str:
    header = ("call", "message id", "phone", "answer", "final status")
    lines = [
        (
            row.call,
            str(row.message_id or "-"),
            mask_phone(row.phone),
            row.outcome,
            _describe(row.status),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    render = [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [header, tuple("-" * w for w in widths), *lines]
    ]
    return "\n".join(render)


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
