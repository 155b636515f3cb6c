"""``python -m smsc.testing``: run the emulator on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from ._clock import EmulatorClock
from ._emulator import SMSCEmulator
from ._model import Lifecycle, LockoutRules, RateLimits
from ._service import ServiceTime
from ._stats import STATS_PATH, summary


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="python -m smsc.testing",
        description=(
            "Run a local SMSC emulator (HTTP and optionally SMTP) until Ctrl-C. What it saw "
            f"is served as JSON at {STATS_PATH} and printed as a summary on exit."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        epilog=_limits_epilog(),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="HTTP port; 0: any free one (default: %(default)s)"
    )
    parser.add_argument(
        "--mirror-port",
        type=int,
        action="append",
        default=[],
        help="serve the same model on another port too (repeatable)",
    )
    parser.add_argument(
        "--smtp-port",
        type=int,
        default=None,
        help="also run the SMTP gateway on this port (default: no SMTP)",
    )
    parser.add_argument("--login", default="demo", help="account login (default: %(default)s)")
    parser.add_argument(
        "--password", default="demo", help="account password (default: %(default)s)"
    )
    parser.add_argument("--api-key", default=None, help="also accept this API key (default: none)")
    parser.add_argument(
        "--balance",
        default="1000.00",
        help="starting balance in RUR, 1.80 per SMS part (default: %(default)s, about 550 SMS)",
    )
    parser.add_argument(
        "--callback-url", default=None, help="POST status changes here (default: none)"
    )
    parser.add_argument(
        "--callback-secret", default="", help="secret of callback signatures (default: none)"
    )
    parser.add_argument(
        "--delivery-seconds",
        type=float,
        default=4.0,
        help="seconds from 'transferred' to 'delivered', wall time (default: %(default)s)",
    )
    parser.add_argument(
        "--no-limits", action="store_true", help="switch rate rules off (default: on)"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="accept parameters the service's pages do not document (strict mode off)",
    )
    parser.add_argument(
        "--service-time",
        type=_service_time,
        default=None,
        metavar="SECONDS[-SECONDS]",
        help=(
            "real time each request takes: fixed (0.05) or random within bounds (0.02-0.08)"
            " (default: none)"
        ),
    )
    return parser


def _limits_epilog() -> str:
    limits = RateLimits()
    rules = ", ".join(
        f"{field.name.replace('_', ' ')} {getattr(limits, field.name)}"
        for field in dataclasses.fields(limits)
    )
    return (
        f"rate rules (the service's, per login; --no-limits: off): {rules}. "
        "A message is 'transferred' 1 s after it is sent."
    )


def _service_time(text: str) -> ServiceTime:
    try:
        return ServiceTime(*(float(part) for part in text.split("-", 1)))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds or LOW-HIGH with 0 <= LOW <= HIGH, got {text!r}"
        ) from None


async def run(
    args: argparse.Namespace, *, on_ready: Callable[[SMSCEmulator], None] | None = None
) -> None:
    """Serve until cancelled; ``on_ready(emulator)`` is called once every site listens."""
    try:
        balance = Decimal(args.balance)
    except InvalidOperation:
        raise SystemExit(f"--balance must be a number, got {args.balance!r}") from None
    emulator = SMSCEmulator(
        clock=EmulatorClock(real_time=True),
        limits=RateLimits.off() if args.no_limits else None,
        lockout=LockoutRules.off() if args.no_limits else None,
        lifecycle=Lifecycle(transfer_after=1.0, final_after=args.delivery_seconds),
        service_time=args.service_time,
        strict=not args.lenient,
    )
    emulator.add_account(
        args.login,
        args.password,
        api_key=args.api_key,
        balance=balance,
        callback_url=args.callback_url,
        callback_secret=args.callback_secret,
    )
    async with emulator:
        for port in [args.port, *args.mirror_port]:
            site = await emulator.start_site(port, host=args.host)
            print(f"SMSC emulator listening on {site.url}/sys/send.php", flush=True)
        if args.smtp_port is not None:
            ingest = await emulator.start_smtp(args.smtp_port, host=args.host)
            print(f"SMTP gateway on {ingest.host}:{ingest.port}", flush=True)
        print(f"account: login {args.login!r}, balance {balance} RUR (Ctrl-C to stop)", flush=True)
        print(f"statistics: {emulator.sites[0].url}{STATS_PATH}", flush=True)
        if on_ready is not None:
            on_ready(emulator)
        try:
            await asyncio.Event().wait()
        finally:
            print("\nwhat the emulator saw:", flush=True)
            for line in summary(emulator.stats()):
                print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m smsc.testing``."""
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
