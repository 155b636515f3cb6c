"""``smsc history --since DAY [--until DAY] [--phone N]``: the sent history, streamed.

Rows are printed as the pages arrive (one page of up to 1,000 messages in memory), as an
aligned table, as CSV (``--csv``) or as JSON lines (``--json``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import click

from smsc import AsyncSMSCClient, RequestValidationError, SentMessage, StatusCode

from .._exits import CommandError
from .._options import connection_options, make_client, output_options, state
from .._settings import ConnectionOptions
from .._words import error_words
from ._common import run_async

__all__ = ["history"]

_DAY_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
_TEXT_WIDTH = 40
CSV_COLUMNS = (
    "sent_at",
    "id",
    "phone",
    "status",
    "status_text",
    "error",
    "error_text",
    "cost",
    "sms_count",
    "sender",
    "text",
)
"""The columns of ``--csv``, in order (times in UTC, ISO 8601)."""

_TABLE = (("sent (UTC)", 16), ("id", 34), ("phone", 15), ("status", 28), ("cost", 8), ("parts", 5))


def _status_text(status: StatusCode | int) -> str:
    return status.description if isinstance(status, StatusCode) else f"unknown status ({status})"


def _when(moment: datetime | None, *, short: bool) -> str:
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M") if short else moment.isoformat()


def _csv_row(message: SentMessage) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        _when(message.sent_at, short=False),
        text(message.id),
        text(message.phone),
        str(int(message.status)),
        _status_text(message.status),
        "" if message.error is None else str(int(message.error)),
        text(error_words(message.error)),
        text(message.cost),
        text(message.sms_count),
        text(message.sender),
        text(message.message),
    ]


def _json_record(message: SentMessage) -> dict[str, object]:
    record: dict[str, object] = message.model_dump(mode="json", exclude_none=True)
    record["status"] = int(message.status)
    record["status_text"] = _status_text(message.status)
    if message.error is not None:
        record["error"] = int(message.error)
        record["error_text"] = error_words(message.error)
    if not record.get("extra"):
        record.pop("extra", None)
    return record


def _clip(text: str | None, width: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _table_line(values: list[str]) -> str:
    cells = [f"{value:<{width}}" for value, (_, width) in zip(values, _TABLE, strict=False)]
    return "  ".join([*cells, *values[len(_TABLE) :]]).rstrip()


def _table_row(message: SentMessage) -> str:
    status = _status_text(message.status)
    error = error_words(message.error)
    return _table_line(
        [
            _when(message.sent_at, short=True),
            "" if message.id is None else str(message.id),
            message.phone or "",
            _clip(f"{status}; {error}" if error else status, 28),
            "" if message.cost is None else str(message.cost),
            "" if message.sms_count is None else str(message.sms_count),
            _clip(message.message, _TEXT_WIDTH),
        ]
    )


def _printer(as_csv: bool) -> tuple[Callable[[], None], Callable[[SentMessage], None]]:
    """What to print first, and how to print each message."""
    out = state()
    if out.json:
        return (lambda: None), (lambda message: out.emit(_json_record(message)))
    if as_csv:
        write = out.csv_writer()  # every field cleaned of control characters
        return (lambda: write(CSV_COLUMNS)), (lambda message: write(_csv_row(message)))
    titles = [title for title, _ in _TABLE] + ["text"]
    return (lambda: out.say(_table_line(titles))), (lambda m: out.say(_table_row(m)))


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


@click.command()
@click.option(
    "--since",
    type=click.DateTime(_DAY_FORMATS),
    required=True,
    help="First day (YYYY-MM-DD or DD.MM.YYYY), included.",
)
@click.option(
    "--until",
    type=click.DateTime(_DAY_FORMATS),
    help="Last day, included (default: today); at most 6 months after --since.",
)
@click.option(
    "--phone",
    "phones",
    multiple=True,
    help="Only messages to this number (repeat it, or separate numbers with commas).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many messages.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print CSV (a header row, then one per message)."
)
@connection_options
@output_options
def history(
    since: datetime,
    until: datetime | None,
    phones: tuple[str, ...],
    limit: int | None,
    as_csv: bool,
    connection: ConnectionOptions,
) -> None:
    """Show the messages sent from --since to --until, newest first.

    As a table, as CSV (--csv) or as JSON lines (--json), printed page by page as the
    service gives them; times are in UTC.
    """
    numbers = [number for value in phones for number in value.split(",") if number.strip()]
    first, last = since.date(), _day(until) or date.today()
    header, show = _printer(as_csv)

    async def walk() -> int:
        count = 0
        async with make_client(connection, AsyncSMSCClient) as client:
            messages = client.history.messages(start=first, end=last, phones=numbers or None)
            async for message in messages:
                if count == 0:
                    header()
                show(message)
                count += 1
                if limit is not None and count >= limit:
                    break
        return count

    try:
        count = run_async(walk)
    except RequestValidationError as exc:
        if exc.field not in ("start", "end"):
            raise
        raise CommandError(f"--since/--until: {exc} (nothing was sent)") from None
    out = state()
    if count == 0 and not out.json:
        if as_csv:
            header()
        else:
            out.say(f"no messages sent from {first} to {last}")
