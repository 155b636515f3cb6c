"""``smsc balance``."""

from __future__ import annotations

import click

from smsc import AsyncSMSCClient, Balance

from .._options import connection_options, make_client, output_options, state
from .._settings import ConnectionOptions
from ._common import run_async

__all__ = ["balance"]


@click.command()
@connection_options
@output_options
def balance(connection: ConnectionOptions) -> None:
    """Print the account balance (with its currency and credit, when the service gives them)."""

    async def go() -> Balance:
        async with make_client(connection, AsyncSMSCClient) as client:
            return await client.balance()

    _show(run_async(go))


def _show(result: Balance) -> None:
    out = state()
    if out.json:
        out.emit(result.model_dump(mode="json"))
        return
    amount = f"{result.amount} {result.currency}" if result.currency else str(result.amount)
    out.table([("balance", amount), ("credit", result.credit)])
