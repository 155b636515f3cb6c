"""``smsc history --since DAY [--until DAY] [--phone N]``: the sent history, streamed.

Rows are printed as the pages arrive (one page of up to 1,000 messages in memory), as an
aligned table, as CSV (``--csv``) or as JSON lines (``--json``).

One zone for everything: the service's, Moscow time (UTC+3 all year). Its days are the days
the service filters ``start``..``end`` by, so ``--since``/``--until`` are Moscow days,
``--until`` defaults to today in Moscow (not on this machine's clock), and the times shown
are Moscow times (with their ``+03:00`` offset in CSV and JSON), so a message is listed under
the day its time says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import click

from smsc import AsyncSMSCClient, RequestValidationError, SentMessage, StatusCode

from .._exits import CommandError
from .._options import connection_options, make_client, output_options, state
from .._settings import ConnectionOptions
from .._words import error_words
from ._common import run_async

__all__ = ["history"]

SERVICE_ZONE = timezone(timedelta(hours=3), "MSK")
"""The service's zone, Moscow time (UTC+3, no daylight saving since 2014): its days filter
the history, and the times are shown in it."""
ZONE_WORDS = "Moscow time, UTC+3, the service's"


def _now() -> datetime:
    """The current moment (aware). The one clock of the command: tests replace it."""
    return datetime.now(timezone.utc)


def service_today() -> date:
    """Today in the service's zone: the day ``--until`` means when it is left out."""
    return _now().astimezone(SERVICE_ZONE).date()


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
"""The columns of ``--csv``, in order (times in Moscow time, ISO 8601 with ``+03:00``)."""

_TIMES = ("sent_at", "last_change")
"""The fields of a message that are moments, shown in the service's zone."""

_TABLE = (("sent (MSK)", 16), ("id", 34), ("phone", 15), ("status", 28), ("cost", 8), ("parts", 5))


def _status_text(status: StatusCode | int) -> str:
    return status.description if isinstance(status, StatusCode) else f"unknown status ({status})"


def _when(moment: datetime | None, *, short: bool) -> str:
    if moment is None:
        return ""
    moment = moment.astimezone(SERVICE_ZONE)
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
    for name in _TIMES:
        if record.get(name) is not None:
            record[name] = _when(getattr(message, name), short=False)
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
    help="First day (YYYY-MM-DD or DD.MM.YYYY), included; a day in Moscow time, the service's.",
)
@click.option(
    "--until",
    type=click.DateTime(_DAY_FORMATS),
    help=(
        "Last day, included (default: today in Moscow, the service's day); at most 6 months"
        " after --since."
    ),
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
    service gives them. Days and times are the service's, in Moscow time (UTC+3): a
    message sent at 00:21 in Moscow (21:21 UTC the day before) is one of that Moscow day's
    and shows as 00:21.
    """
    numbers = [number for value in phones for number in value.split(",") if number.strip()]
    first, last = since.date(), _day(until) or service_today()
    if until is None and first > last:
        raise CommandError(f"--since {first} is after today in Moscow ({last}), the service's day")
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
            out.say(f"no messages sent from {first} to {last} (days in {ZONE_WORDS})")
