"""Arguments the message commands share, and running a coroutine as a command."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click

from smsc import MessageFormat, Translit

__all__ = ["TRANSLIT_NAMES", "message_options", "run_async", "translit_mode"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

TRANSLIT_NAMES: dict[str, Translit] = {
    "none": Translit.NONE,
    "latin": Translit.LATIN,
    "lookalike": Translit.LOOKALIKE,
    "0": Translit.NONE,
    "1": Translit.LATIN,
    "2": Translit.LOOKALIKE,
}


def translit_mode(name: str | None) -> Translit | None:
    """The :class:`Translit` named on the command line (``None`` when not given)."""
    return None if name is None else TRANSLIT_NAMES[name.lower()]


def translit_option(func: F) -> F:
    """``--translit none|latin|lookalike`` (or 0, 1, 2)."""
    return click.option(
        "--translit",
        type=click.Choice(list(TRANSLIT_NAMES), case_sensitive=False),
        help="Rewrite Cyrillic in Latin letters (latin) or look-alike characters (lookalike).",
    )(func)


def message_options(func: F) -> F:
    """``PHONES TEXT --sender --format --translit``: what ``send`` and ``cost`` share."""
    func = translit_option(func)
    func = click.option(
        "--format",
        "message_format",
        type=click.Choice([f.value for f in MessageFormat], case_sensitive=False),
        default=MessageFormat.SMS.value,
        show_default=True,
        help="Kind of message.",
    )(func)
    func = click.option("--sender", help="Sender id (registered with the service).")(func)
    func = click.argument("text")(func)
    return click.argument("phones")(func)


def run_async(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one command's coroutine on a fresh event loop."""
    return asyncio.run(coroutine())
