"""``smsc status ID PHONE [--wait]``: a message's status, or every change until a final one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from smsc import AsyncSMSCClient, MessageStatus, StatusCode

from .._exits import CommandError, ExitCode
from .._options import connection_options, make_client, output_options, state
from .._output import State
from .._settings import ConnectionOptions
from .._words import error_words, status_record, status_words
from ._common import run_async

if TYPE_CHECKING:
    from rich.status import Status

__all__ = ["status"]


def _refuse_unknown(message_id: str, result: MessageStatus) -> None:
    """A message the service does not know (status -3) is an error, not a final status."""
    if result.status is StatusCode.NOT_FOUND:
        raise CommandError(
            f"the service knows no message {message_id!r} to this phone (status -3, not "
            "found): check the id and that PHONE is the number it was sent to",
            ExitCode.REFUSED,
            {"status": int(StatusCode.NOT_FOUND), "message_id": message_id},
        )


def _final_line(result: MessageStatus) -> str:
    line = f"final: {status_words(result.status)}"
    error = error_words(result.error)
    return f"{line}; {error}" if error else line


class _Watcher:
    """Prints each status change: a line (JSON with ``--json``), under a live spinner on a TTY."""

    def __init__(self, out: State) -> None:
        self.out = out
        self.last: MessageStatus | None = None
        self.polls = 0
        self.spinner: Status | None = None

    def __call__(self, result: MessageStatus) -> None:
        self.polls += 1
        if self.spinner is not None:
            self.spinner.update(
                f"waiting for a final status: {status_words(result.status)}, poll {self.polls}"
            )
        changed = self.last is None or (result.status, result.error) != (
            self.last.status,
            self.last.error,
        )
        self.last = result
        if not changed or result.is_final:
            return
        if self.out.json:
            self.out.emit({"event": "status"} | status_record(result))
        else:
            self.out.say(f"{datetime.now():%H:%M:%S}  {status_words(result.status)}")


def _show_one(result: MessageStatus) -> None:
    out = state()
    if out.json:
        out.emit(status_record(result))
        return
    out.table(
        [
            ("status", status_words(result.status)),
            ("final", "yes" if result.is_final else "no"),
            ("error", error_words(result.error)),
            ("last change", result.last_change.isoformat() if result.last_change else None),
        ]
    )


@click.command()
@click.argument("message_id", metavar="ID")
@click.argument("phone")
@click.option("--wait", is_flag=True, help="Poll until a final status, showing each change.")
@click.option(
    "--timeout",
    "wait_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="With --wait: give up after this many seconds (exit code 4).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="With --wait: the longest pause between two polls, in seconds.",
)
@connection_options
@output_options
def status(
    message_id: str,
    phone: str,
    wait: bool,
    wait_timeout: float,
    interval: float,
    connection: ConnectionOptions,
) -> int:
    """Show the status of message ID sent to PHONE; with --wait, follow it to the end.

    With --wait the exit code is 0 when the message was delivered, 6 when it ended
    otherwise, and 4 when no final status came within --timeout. A message the service
    does not know (no such ID for this PHONE) ends with exit code 3.
    """
    out = state()
    if not wait:

        async def once() -> MessageStatus:
            async with make_client(connection, AsyncSMSCClient) as client:
                return await client.status(message_id, phone)

        result = run_async(once)
        _refuse_unknown(message_id, result)
        _show_one(result)
        return int(ExitCode.OK)

    watcher = _Watcher(out)

    async def follow() -> MessageStatus:
        async with make_client(connection, AsyncSMSCClient) as client:
            return await client.wait_for_status(
                message_id,
                phone,
                timeout=wait_timeout,
                first_poll=min(1.0, interval),
                max_interval=interval,
                on_status=watcher,
            )

    if out.json or not out.console.is_terminal:
        result = run_async(follow)
    else:
        with out.console.status("waiting for a final status") as spinner:
            watcher.spinner = spinner
            result = run_async(follow)
    _refuse_unknown(message_id, result)
    return _show_final(out, result)


def _show_final(out: State, result: MessageStatus) -> int:
    """Print the final status; the exit code says whether the message was delivered."""
    if out.json:
        out.emit({"event": "final"} | status_record(result))
    else:
        out.say(_final_line(result))
    return int(ExitCode.OK if result.is_delivered else ExitCode.NOT_DELIVERED)
