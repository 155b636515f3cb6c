"""``smsc emulator``: the bundled emulator, with the options of ``python -m smsc.testing``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence

import click

from .._exits import CommandError
from .._options import state

__all__ = ["emulator"]


def _parser() -> argparse.ArgumentParser:
    from smsc.testing.__main__ import build_parser

    parser = build_parser()
    parser.prog = "smsc emulator"
    parser.add_argument(
        "--json", action="store_true", help="print one JSON line when ready (text goes to stderr)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _serve(args: argparse.Namespace) -> None:
    from smsc.testing import SMSCEmulator
    from smsc.testing.__main__ import run

    out = state()
    stdout = sys.stdout

    def ready(emulator: SMSCEmulator) -> None:
        if not out.json:
            return
        smtp = emulator.smtp
        record = {
            "event": "ready",
            "urls": [site.url for site in emulator.sites],
            "smtp": f"{smtp.host}:{smtp.port}" if smtp is not None else None,
            "login": args.login,
        }
        with contextlib.redirect_stdout(stdout):
            out.emit(record)

    text_to = sys.stderr if out.json else sys.stdout
    with contextlib.redirect_stdout(text_to), contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args, on_ready=ready))


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def emulator(arguments: Sequence[str]) -> None:
    """Run the bundled SMSC emulator on loopback until Ctrl-C (see `smsc emulator --help`)."""
    args = _parser().parse_args(list(arguments))
    out = state()
    out.json = out.json or args.json
    out.debug = out.debug or args.debug
    try:
        _serve(args)
    except SystemExit as exc:  # the launcher's own refusal of a bad value
        if isinstance(exc.code, str):
            raise CommandError(exc.code) from None
        raise
    except OSError as exc:
        raise CommandError(
            f"cannot listen: {exc.strerror or exc}; choose another --port or --host"
        ) from None
