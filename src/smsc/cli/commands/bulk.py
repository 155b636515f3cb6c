"""``smsc bulk FILE.csv --journal FILE``: a campaign from a CSV file, resumable by its journal."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import click

from smsc import (
    AsyncSMSCClient,
    JournalError,
    JournalWriteError,
    MessageFormat,
    OutcomeState,
    RequestValidationError,
    SMSCError,
    read_csv,
)

from ..._bulk._source import CsvMessages, where_in_file
from .._exits import CommandError, ExitCode, describe
from .._options import connection_options, make_client, output_options, state
from .._settings import ConnectionOptions
from ._bulk_view import BulkView
from ._common import run_async

__all__ = ["bulk"]

_FORMATS = (MessageFormat.SMS.value, MessageFormat.FLASH.value)
_RESUME = "the journal keeps every message's state: run the same command again to resume"
_PLANNING_REFUSAL = re.compile(r"message (\d+): (.*)", re.DOTALL)


def _told_by_row(exc: RequestValidationError, messages: CsvMessages) -> RequestValidationError:
    """A refusal of the message just read, told by its row and line in the file."""
    match = _PLANNING_REFUSAL.fullmatch(str(exc))
    if match is None or int(match.group(1)) != messages.row - 1:
        return exc  # the CSV reader's own refusals name the row and line already
    where = where_in_file(messages.row, messages.line)
    return RequestValidationError(f"{messages.path}, {where}: {match.group(2)}", field=exc.field)


async def _campaign(
    view: BulkView,
    connection: ConnectionOptions,
    source: Path,
    journal: Path,
    *,
    encoding: str,
    delimiter: str,
    message_format: str,
    max_lines: int,
    settle_after: float,
    per_number_costs: bool,
) -> None:
    async def pause(seconds: float) -> None:
        view.waiting(seconds)
        await asyncio.sleep(seconds)

    messages = read_csv(
        source, encoding=encoding, delimiter=delimiter, format=MessageFormat(message_format)
    )
    report = view.report
    async with (
        make_client(connection, AsyncSMSCClient) as client,
        client.campaign(
            messages,
            journal=journal,
            max_lines=max_lines,
            settle_after=settle_after,
            per_number_costs=per_number_costs,
            on_progress=view.on_progress,
            sleep=pause,
        ) as campaign,
    ):
        # The reader of the output went away (| head): send no new request, let those
        # already sent finish, so the journal is settled as far as it can be.
        view.out.on_closed = campaign.stop
        try:
            async for item in campaign:
                if item.state is OutcomeState.ACCEPTED:
                    report.accepted += 1
                elif item.state is OutcomeState.REFUSED:
                    report.refused.append(item)
                else:
                    report.unknown += 1
        except RequestValidationError as exc:
            raise _told_by_row(exc, messages) from None
        finally:
            report.progress = campaign.progress


def _end_line(view: BulkView, code: ExitCode) -> None:
    """One line on stderr when the campaign did not end with every message accepted."""
    progress = view.report.progress
    if progress is None or code is ExitCode.OK:
        return
    if code is ExitCode.OUTCOME_UNKNOWN:
        line = (
            f"{progress.unknown + progress.planned + progress.in_flight:,} of "
            f"{progress.total:,} messages have no known outcome yet; run the same command "
            "again to settle them"
        )
    else:
        line = f"{progress.refused:,} of {progress.total:,} messages were refused by the service"
    sys.stderr.write(f"smsc: {line}\n")
    sys.stderr.flush()


def _left_line(why: str, view: BulkView) -> None:
    """One line on stderr for a run stopped early: what is left, and how to resume."""
    progress = view.report.progress
    left = ""
    if progress is not None:
        doubt = progress.in_flight + progress.unknown
        left = f"{progress.planned:,} of {progress.total:,} messages not sent yet"
        left += f", {doubt:,} to settle" if doubt else ""
        left += "; "
    sys.stderr.write(f"smsc: {why}; {left}{_RESUME}\n")
    sys.stderr.flush()


@click.command()
@click.argument(
    "source",
    metavar="FILE.csv",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option(
    "--journal",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="SQLite file holding the campaign's state; give the same file again to resume.",
)
@click.option(
    "--format",
    "message_format",
    type=click.Choice(_FORMATS, case_sensitive=False),
    default=MessageFormat.SMS.value,
    show_default=True,
    help="Kind of message (a campaign carries SMS or flash).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="The CSV file's encoding.")
@click.option("--delimiter", default=",", show_default=True, help="The CSV field separator.")
@click.option(
    "--max-lines",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Messages (one per phone) per request.",
)
@click.option(
    "--settle-after",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="On resume: seconds after a request left before its messages in doubt are asked "
    "with status.",
)
@click.option("--per-number-costs", is_flag=True, help="Ask the service for every number's cost.")
@connection_options
@output_options
def bulk(
    source: Path,
    journal: Path,
    message_format: str,
    encoding: str,
    delimiter: str,
    max_lines: int,
    settle_after: float,
    per_number_costs: bool,
    connection: ConnectionOptions,
) -> int:
    """Send the messages of FILE.csv (columns phones,text[,sender,time]) in few requests.

    Every message's state is kept in the --journal file: run the same command with the same
    journal to resume after a crash or Ctrl-C; nothing is sent twice, and a finished campaign
    sends nothing. Exit code 0: every message accepted; 3: some were refused (the others
    were sent); 4: some outcomes are unknown or not sent yet (run again to settle them);
    7: the journal could not be written; 130: Ctrl-C; 141: the output was closed (no new
    request is sent; those sent finish first). Rows are counted from the first after the
    header (row 1).
    """
    if len(delimiter) != 1:
        raise CommandError("--delimiter must be one character")
    out = state()
    view = BulkView(out, source, journal)
    stopped: SMSCError | None = None
    interrupted = False
    with view:
        try:
            run_async(
                lambda: _campaign(
                    view,
                    connection,
                    source,
                    journal,
                    encoding=encoding,
                    delimiter=delimiter,
                    message_format=message_format.lower(),
                    max_lines=max_lines,
                    settle_after=settle_after,
                    per_number_costs=per_number_costs,
                )
            )
        except KeyboardInterrupt:
            interrupted = True
        except JournalWriteError as exc:
            stopped = exc
        except JournalError as exc:
            raise CommandError(f"{exc}; give another --journal file for another campaign") from None
        except RequestValidationError:
            raise  # a bad row or option: found while checking, before anything was sent
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{source} is not {encoding} text ({exc.reason}); see --encoding"
            ) from None
        except SMSCError as exc:
            stopped = exc
    if interrupted:
        view.summary(stopped="interrupted (Ctrl-C)")
        _left_line("interrupted", view)
        return int(ExitCode.INTERRUPTED)
    if stopped is not None:
        failure = describe(stopped)
        view.summary(stopped=failure.message)
        raise CommandError(
            f"{failure.message}; {_RESUME}", failure.code, failure.details
        ) from stopped
    view.summary()
    code = view.report.exit_code()
    if out.closed and code is not ExitCode.OK:
        _left_line("output closed, so no new request was sent", view)
        return int(ExitCode.OUTPUT_CLOSED)
    _end_line(view, code)
    return int(code)
