"""The ``smsc`` group, its registry of sub-commands, and how errors end a run."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Mapping, Sequence

import click

from smsc import __version__

from .._secrets import redact, secret_forms
from ._exits import ExitCode, Failure, describe, redacted_traceback
from ._output import State
from ._startup import ready

__all__ = ["COMMANDS", "run"]

COMMANDS: Mapping[str, str] = {
    "send": "smsc.cli.commands.send:send",
    "cost": "smsc.cli.commands.send:cost",
    "balance": "smsc.cli.commands.balance:balance",
    "status": "smsc.cli.commands.status:status",
    "segments": "smsc.cli.commands.segments:segments",
    "bulk": "smsc.cli.commands.bulk:bulk",
    "history": "smsc.cli.commands.history:history",
    "emulator": "smsc.cli.commands.emulator:emulator",
}
"""Every sub-command: its name and the ``module:attribute`` of its :class:`click.Command`.

A new command is one module in :mod:`smsc.cli.commands` plus one line here; its module is
imported only when the command runs (or ``--help`` lists it).
"""


class _LazyGroup(click.Group):
    """A group that imports a sub-command's module only when the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        ready()  # imports done: Ctrl-C is the command's (KeyboardInterrupt) from here
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 ok, 2 bad input, 3 refused by the service, 4 outcome unknown, "
    "5 cannot reach the service, 6 not delivered (status --wait), 7 journal not writable "
    "(bulk), 130 Ctrl-C, 141 output closed, 1 unexpected error.",
)
@click.version_option(__version__, prog_name="smsc")
def cli() -> None:
    """Send SMS and check them through the SMSC gateway (smsc.ru and its sister sites)."""


def _configure_logging(debug: bool) -> None:
    logger = logging.getLogger("smsc")
    if logger.handlers:  # SMSC_LOG or the caller configured it already
        return
    if debug:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.setLevel(logging.DEBUG)
    else:
        handler = logging.NullHandler()  # the error line says all a person needs
    logger.addHandler(handler)


def _report(state: State, failure: Failure, exc: BaseException | None) -> int:
    if state.debug and exc is not None:
        sys.stderr.write(redacted_traceback(exc, state.secrets))
    if state.secrets:  # an unforeseen error's words may hold a secret the command read
        forms = secret_forms(*state.secrets)
        failure = Failure(failure.code, redact(failure.message, forms), failure.details)
    if state.json:
        state.emit(
            {"ok": False, "exit_code": int(failure.code), "message": failure.message}
            | failure.details
        )
    sys.stderr.write(f"smsc: error: {failure.message}\n")
    sys.stderr.flush()
    return int(failure.code)


def run(argv: Sequence[str]) -> int:
    """Run ``smsc`` with ``argv`` and return the exit code (see :class:`ExitCode`)."""
    state = State(json="--json" in argv, debug="--debug" in argv)
    _configure_logging(state.debug)
    try:
        result = cli.main(args=list(argv), prog_name="smsc", standalone_mode=False, obj=state)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "smsc"
        message = f"{exc.format_message()} (see `{where} --help`)"
        return _report(state, Failure(ExitCode.BAD_INPUT, message, {"error": "usage"}), None)
    except click.ClickException as exc:
        failure = Failure(ExitCode.BAD_INPUT, exc.format_message(), {"error": "usage"})
        return _report(state, failure, None)
    except (click.Abort, KeyboardInterrupt):
        sys.stderr.write("smsc: interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        state.close_output()  # the reader went away (| head): end quietly
        return int(ExitCode.OUTPUT_CLOSED)
    except Exception as exc:
        return _report(state, describe(exc), exc)
    code = int(result) if isinstance(result, int) else int(ExitCode.OK)
    return int(ExitCode.OUTPUT_CLOSED) if state.closed and code == ExitCode.OK else code
