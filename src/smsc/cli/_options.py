"""Options shared by the commands, as decorators, and the client they configure."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from smsc import AsyncSMSCClient

from ._output import State
from ._settings import ConnectionOptions, build_config

__all__ = ["connection_options", "make_client", "output_options", "state"]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=AsyncSMSCClient)


def state() -> State:
    """The shared :class:`State` of the command being run."""
    obj = click.get_current_context().find_root().obj
    if not isinstance(obj, State):  # a command invoked outside `smsc`'s own entry point
        raise RuntimeError("smsc commands run through smsc.cli.main")
    return obj


def _state_flag(flag: str, name: str, help: str) -> Callable[[F], F]:
    """A flag stored on the shared :class:`State` (eager: set before other options run)."""

    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value:
            setattr(state(), name, True)
        return value

    return click.option(
        flag, is_flag=True, expose_value=False, is_eager=True, callback=callback, help=help
    )


_DEBUG = _state_flag(
    "--debug", "debug", "On error, show the traceback (secrets hidden); log the SDK's requests."
)
_JSON = _state_flag(
    "--json", "json", "Print one JSON document (JSON lines for a stream of events)."
)


def output_options(func: F) -> F:
    """``--json`` and ``--debug``, recorded in the shared state (they are not passed on)."""
    return _JSON(_DEBUG(func))


def _refuse_password(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise click.BadParameter(
            "a password is never taken from the command line (it would stay in the shell "
            "history): use --password-prompt, --password-stdin, SMSC_PASSWORD or a profile",
            ctx=ctx,
            param=param,
        )


_CONNECTION: tuple[Callable[[F], F], ...] = (
    click.option("--profile", help="Profile (section) of the config file to use."),
    click.option("--host", help="Site or base URL, e.g. smscentre.com or http://127.0.0.1:8000."),
    click.option("--allow-http", is_flag=True, help="Allow a plain http:// base URL (loopback)."),
    click.option("--login", help="Account login; the password is then asked for."),
    click.option("--password-prompt", is_flag=True, help="Ask for the password (no echo)."),
    click.option("--password-stdin", is_flag=True, help="Read the password from stdin."),
    click.option("--api-key-stdin", is_flag=True, help="Read an API key from stdin."),
    click.option(
        "--request-timeout",
        "timeout",
        type=click.FloatRange(min=0, min_open=True),
        help="Seconds to wait for each answer (default 30).",
    ),
    click.option("--password", hidden=True, expose_value=False, callback=_refuse_password),
)


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of :class:`ConnectionOptions`, passed on as ``connection=``."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        connection = ConnectionOptions(
            profile=kwargs.pop("profile"),
            host=kwargs.pop("host"),
            allow_http=kwargs.pop("allow_http"),
            login=kwargs.pop("login"),
            password_prompt=kwargs.pop("password_prompt"),
            password_stdin=kwargs.pop("password_stdin"),
            api_key_stdin=kwargs.pop("api_key_stdin"),
            timeout=kwargs.pop("timeout"),
        )
        return func(connection=connection, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for option in reversed(_CONNECTION):
        decorated = option(decorated)
    return decorated


def make_client(connection: ConnectionOptions, client_class: type[C]) -> C:
    """A client configured from ``connection``; its secrets are noted for ``--debug``."""
    config, secrets = build_config(connection)
    state().secrets.extend(secrets)
    return client_class(config=config)
