"""``smsc send`` and ``smsc cost``."""

from __future__ import annotations

from typing import Any

import click
import httpx

from smsc import (
    AsyncSMSCClient,
    CostResult,
    MessageFormat,
    SendResult,
    Translit,
    parse_phones,
    preview_segments,
)

from .._options import connection_options, make_client, output_options, state
from .._settings import ConnectionOptions
from ._common import message_options, run_async, translit_mode

__all__ = ["cost", "send"]


class _NothingLeaves(Exception):
    """Raised by the dry-run transport: the request was built, so every check passed."""


def _refuse_request(request: httpx.Request) -> httpx.Response:
    raise _NothingLeaves


async def _validate_offline(phones: str, text: str, options: dict[str, Any]) -> None:
    """Run every check ``send`` makes, stopping where the request would leave the machine."""
    client = AsyncSMSCClient(
        login="dry-run",
        password="dry-run",
        host="http://dry-run.invalid",
        allow_http=True,
        transport=httpx.MockTransport(_refuse_request),
    )
    async with client:
        try:
            await client.send(phones, text, **options)
        except _NothingLeaves:
            return
    raise RuntimeError("the dry run reached no request")  # pragma: no cover - a broken SDK


def _dry_run(phones: str, text: str, options: dict[str, Any]) -> None:
    run_async(lambda: _validate_offline(phones, text, options))
    fmt = MessageFormat(options["format"])
    recipients = parse_phones(phones, format=fmt)
    info = preview_segments(text, translit=options.get("translit") or Translit.NONE)
    out = state()
    record = {
        "dry_run": True,
        "recipients": len(recipients),
        "encoding": info.encoding.value,
        "parts": info.parts,
        "total_parts": info.parts * len(recipients),
        "remaining": info.remaining,
    }
    if out.json:
        out.emit(record)
        return
    out.say("dry run: every check passed, nothing was sent")
    out.table(
        [
            ("recipients", len(recipients)),
            ("encoding", info.encoding.value),
            ("parts", f"{info.parts} per recipient, {info.parts * len(recipients)} in all"),
            ("left in last part", info.remaining),
        ]
    )


def _show_send(result: SendResult) -> None:
    out = state()
    if out.json:
        out.emit(result.model_dump(mode="json"))
        return
    out.table(
        [
            ("id", result.id),
            ("parts", result.count),
            ("cost", result.cost),
            ("balance", result.balance),
        ]
    )


@click.command()
@message_options
@click.option("--time", "when", help="When to send: DDMMYYhhmm, h1-h2, +minutes or 0<unix>.")
@click.option("--id", "message_id", help="Your message id (default: one the SDK makes).")
@click.option("--dry-run", is_flag=True, help="Check everything offline; send nothing.")
@connection_options
@output_options
def send(
    phones: str,
    text: str,
    sender: str | None,
    message_format: str,
    translit: str | None,
    when: str | None,
    message_id: str | None,
    dry_run: bool,
    connection: ConnectionOptions,
) -> None:
    """Send TEXT to PHONES (comma-separated); print the id, parts, cost and new balance."""
    options: dict[str, Any] = {
        "sender": sender,
        "format": message_format.lower(),
        "translit": translit_mode(translit),
        "time": when,
        "id": message_id,
    }
    if dry_run:
        _dry_run(phones, text, options)
        return

    async def go() -> SendResult:
        async with make_client(connection, AsyncSMSCClient) as client:
            return await client.send(phones, text, **options)

    _show_send(run_async(go))


def _show_cost(result: CostResult) -> None:
    out = state()
    if out.json:
        out.emit(result.model_dump(mode="json"))
        return
    out.table([("cost", result.cost), ("parts", result.count)])


@click.command()
@message_options
@connection_options
@output_options
def cost(
    phones: str,
    text: str,
    sender: str | None,
    message_format: str,
    translit: str | None,
    connection: ConnectionOptions,
) -> None:
    """Ask what sending TEXT to PHONES would cost, without sending it."""

    async def go() -> CostResult:
        async with make_client(connection, AsyncSMSCClient) as client:
            return await client.cost(
                phones,
                text,
                sender=sender,
                format=message_format.lower(),
                translit=translit_mode(translit),
            )

    _show_cost(run_async(go))
