"""Send a campaign of different messages in few requests, with progress and a journal.

The messages come from a CSV file (columns ``phones,text[,sender,time]``) and are packed
into ``list`` requests of up to 200 lines; the journal file records every message's state,
so running the same command again after a crash (or Ctrl-C) sends nothing twice: messages
whose request may have arrived are first asked with ``status``, and a finished campaign
sends nothing at all. Each message ends in one of three ways:

* accepted: the service took it (follow its delivery with ``status(request_id, phone)``);
* refused: the service refused that number or text, with its error;
* unknown: its request may have arrived but no answer came; run the command again to
  settle it (never resend it by hand).

Run it against the bundled emulator (no account needed)::

    python examples/bulk_send.py --emulator 5000

or against your account (``SMSC_LOGIN``/``SMSC_PASSWORD`` or ``SMSC_API_KEY`` set)::

    python examples/bulk_send.py messages.csv --journal messages.journal
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import smsc


@dataclass
class CampaignReport:
    """What happened to the messages of this run (a resumed run reports only its own)."""

    accepted: int = 0
    refused: list[smsc.MessageOutcome] = field(default_factory=list)
    unknown: int = 0
    progress: smsc.CampaignProgress | None = None


def show_progress(progress: smsc.CampaignProgress) -> None:
    """One status line: done of total, rate and time left."""
    eta = "?" if progress.eta is None else f"{progress.eta:.0f} s"
    print(
        f"\r{progress.done}/{progress.total} done, {progress.refused} refused, "
        f"{progress.unknown} unknown, {progress.rate:.0f} msg/s, {eta} left",
        end="",
        file=sys.stderr,
    )


# --8<-- [start:campaign]
async def run_campaign(
    client: smsc.AsyncSMSCClient, messages: Iterable[smsc.BulkMessage], journal: Path
) -> CampaignReport:
    """Send ``messages`` as a campaign recorded in ``journal``; sort each outcome."""
    report = CampaignReport()
    campaign = client.campaign(messages, journal=journal, on_progress=show_progress)
    async for outcome in campaign:
        if outcome.state is smsc.OutcomeState.ACCEPTED:
            report.accepted += 1
        elif outcome.state is smsc.OutcomeState.REFUSED:
            report.refused.append(outcome)
        else:
            report.unknown += 1  # settled by the next run, never resent blindly
    report.progress = campaign.progress
    return report


# --8<-- [end:campaign]


async def _on_emulator(count: int, journal: Path) -> CampaignReport:
    from smsc.testing import SMSCEmulator

    async with SMSCEmulator() as emulator:
        emulator.add_account("demo", "demo", balance=1_000_000)
        emulator.set_undeliverable("79990000013")  # one number the service cannot serve
        site = await emulator.start_site()  # a real loopback socket
        async with smsc.AsyncSMSCClient(
            login="demo", password="demo", host=site.url, allow_http=True
        ) as client:
            messages = (
                smsc.BulkMessage(f"7999{n:07d}", f"Order {n} is ready.\nPick it up today.")
                for n in range(count)
            )
            report = await run_campaign(client, messages, journal)
        print(f"\nemulator: {len(emulator.messages)} messages received for {count}")
        return report


async def _on_account(source: Path, journal: Path) -> CampaignReport:
    async with smsc.AsyncSMSCClient() as client:  # credentials from SMSC_* variables
        return await run_campaign(client, smsc.read_csv(source), journal)


def main() -> None:
    """Command line: ``--emulator N`` or a CSV file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", nargs="?", type=Path, help="phones,text[,sender,time] file")
    parser.add_argument("--journal", type=Path, help="the campaign's journal (to resume)")
    parser.add_argument("--emulator", type=int, metavar="N", help="N messages to the emulator")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        journal = args.journal or Path(folder) / "campaign.sqlite"
        if args.emulator:
            report = asyncio.run(_on_emulator(args.emulator, journal))
        elif args.csv:
            report = asyncio.run(_on_account(args.csv, journal))
        else:
            parser.error("give a CSV file, or --emulator N")
    progress = report.progress
    print(f"accepted {report.accepted}, refused {len(report.refused)}, unknown {report.unknown}")
    if progress is not None:
        print(f"{progress.requests} requests, cost {progress.cost}")
    for outcome in report.refused:
        print(f"  refused: {outcome} ({outcome.error()})")
    if report.unknown:
        print("  run the same command again to settle the unknown ones")


if __name__ == "__main__":
    main()
