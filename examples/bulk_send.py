"""Send one text to many numbers at once, and sort out what happened to each.

Every number gets its own task; the client holds at most ``max_concurrency`` requests in
flight (the service refuses 15 or more at once) and queues the rest, so nothing here limits
concurrency by hand. Each send ends in one of three ways, and none is lost silently:

* sent: the service took it (the id is kept to follow it with ``status``);
* refused: the service answered an error code (bad number, no money, ...), nothing sent;
* unknown: the request may have reached the service, but no answer came back: check its
  status before sending again, never resend blindly.

Run it against the bundled emulator (no account needed)::

    python examples/bulk_send.py --emulator 500

or against your account (``SMSC_LOGIN``/``SMSC_PASSWORD`` or ``SMSC_API_KEY`` set)::

    python examples/bulk_send.py 79991234567 79997654321
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

import smsc


@dataclass
class BulkReport:
    """What happened to each number of a bulk send."""

    sent: dict[str, str] = field(default_factory=dict)
    """number -> message id"""
    refused: dict[str, int] = field(default_factory=dict)
    """number -> the service's error code"""
    unknown: dict[str, str] = field(default_factory=dict)
    """number -> message id to check with ``status`` before any resend"""


# --8<-- [start:send_all]
async def send_all(client: smsc.AsyncSMSCClient, numbers: Iterable[str], text: str) -> BulkReport:
    """Send ``text`` to every number concurrently and report each outcome."""
    report = BulkReport()

    async def send_one(number: str) -> None:
        try:
            result = await client.send(number, text)
        except smsc.SendOutcomeUnknownError as exc:
            report.unknown[number] = str(exc.message_id)
        except smsc.APIError as exc:
            report.refused[number] = exc.code
        else:
            report.sent[number] = str(result.id)

    # One task per number: the client's own cap queues them, whatever their count.
    await asyncio.gather(*(send_one(number) for number in numbers))
    return report


# --8<-- [end:send_all]


async def _on_emulator(count: int, text: str) -> BulkReport:
    from smsc.testing import SMSCEmulator

    async with SMSCEmulator() as emulator:
        emulator.add_account("demo", "demo", balance=100_000)
        site = await emulator.start_site()  # a real loopback socket
        async with smsc.AsyncSMSCClient(
            login="demo", password="demo", host=site.url, allow_http=True
        ) as client:
            numbers = [f"7999{n:07d}" for n in range(count)]
            report = await send_all(client, numbers, text)
        print(f"emulator: {len(emulator.messages)} messages created for {count} numbers")
        return report


async def _on_account(numbers: list[str], text: str) -> BulkReport:
    async with smsc.AsyncSMSCClient() as client:  # credentials from SMSC_* variables
        return await send_all(client, numbers, text)


def main() -> None:
    """Command line: ``--emulator N`` or a list of numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("numbers", nargs="*", help="numbers to send to (your account)")
    parser.add_argument("--emulator", type=int, metavar="N", help="send to N emulator numbers")
    parser.add_argument("--text", default="Our shop opens at 9:00 tomorrow.")
    args = parser.parse_args()
    if args.emulator:
        report = asyncio.run(_on_emulator(args.emulator, args.text))
    elif args.numbers:
        report = asyncio.run(_on_account(args.numbers, args.text))
    else:
        parser.error("give numbers, or --emulator N")
    print(f"sent {len(report.sent)}, refused {len(report.refused)}, unknown {len(report.unknown)}")
    for number, code in sorted(report.refused.items()):
        print(f"  refused: {number[:4]}***{number[-4:]} (error {code})")
    for number, message_id in sorted(report.unknown.items()):
        print(f"  check status of {message_id} before resending to {number[:4]}***{number[-4:]}")


if __name__ == "__main__":
    main()
