"""Where the CLI's credentials come from: options, a profile file, or ``SMSC_*`` variables.

Credentials come whole from one source, never half from one and half from another:

1. ``--login`` (with a password typed at a prompt or piped with ``--password-stdin``) or
   ``--api-key-stdin``;
2. else the profile named by ``--profile`` or ``SMSC_PROFILE``, from the config file;
3. else ``SMSC_LOGIN``/``SMSC_PASSWORD`` or ``SMSC_API_KEY`` (with ``SMSC_HOST``,
   ``SMSC_ALLOW_HTTP``) when they are set;
4. else the ``[default]`` profile of the config file, when the file exists.

``--host``, ``--allow-http`` and ``--timeout`` override whatever the source says.
"""

from __future__ import annotations

import configparser
import getpass
import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from smsc import SMSCConfig

from ._exits import CommandError

__all__ = ["CONFIG_ENV", "ConnectionOptions", "build_config", "config_path", "read_profile"]

CONFIG_ENV = "SMSC_CONFIG"
"""Names the config file instead of the default path (tests, several accounts)."""

PROFILE_ENV = "SMSC_PROFILE"
"""Names the profile when ``--profile`` is not given."""

DEFAULT_PROFILE = "default"

_ENV_FIELDS: Mapping[str, str] = {
    "login": "SMSC_LOGIN",
    "password": "SMSC_PASSWORD",
    "api_key": "SMSC_API_KEY",
    "host": "SMSC_HOST",
    "allow_http": "SMSC_ALLOW_HTTP",
}
_CREDENTIALS = ("login", "password", "api_key")
_SECRETS = ("password", "api_key")


@dataclass(frozen=True)
class ConnectionOptions:
    """The connection options every command that talks to the service accepts."""

    profile: str | None = None
    host: str | None = None
    allow_http: bool = False
    login: str | None = None
    password_prompt: bool = False
    password_stdin: bool = False
    api_key_stdin: bool = False
    timeout: float | None = None


def config_path(environ: Mapping[str, str]) -> Path:
    """``$SMSC_CONFIG``, else ``$XDG_CONFIG_HOME/smsc/config.ini`` (``~/.config`` by default).

    On Windows the default folder is ``%APPDATA%``.
    """
    explicit = environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = environ.get("XDG_CONFIG_HOME")
    if not base and os.name == "nt":
        base = environ.get("APPDATA")
    folder = Path(base).expanduser() if base else Path.home() / ".config"
    return folder / "smsc" / "config.ini"


def _check_private(path: Path) -> None:
    """Refuse a config file that users other than its owner can read or change."""
    if os.name == "nt":  # POSIX modes mean nothing there; ACLs are the user's business
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CommandError(
            f"{path} can be read or changed by other users and may hold a password; "
            f"run `chmod 600 {path}` and try again"
        )


def read_profile(path: Path, name: str) -> dict[str, str]:
    """The settings of profile ``name`` (an INI section) in ``path``, after a permission check.

    Raises:
        CommandError: the file is missing, not private, unreadable, or has no such profile.
    """
    if not path.is_file():
        raise CommandError(f"no config file at {path} (profile {name!r} was asked for)")
    _check_private(path)
    parser = configparser.ConfigParser(interpolation=None, default_section="\0")
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except configparser.Error as exc:
        # The parser's own text can quote a line of the file, and so a password: not used.
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise CommandError(f"{path} is not a valid profile file{where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {type(exc).__name__}") from None
    if not parser.has_section(name):
        known = ", ".join(parser.sections()) or "none"
        raise CommandError(f"no profile [{name}] in {path} (profiles there: {known})")
    return dict(parser.items(name))


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    return {field: environ[var] for field, var in _ENV_FIELDS.items() if environ.get(var)}


def _source_values(options: ConnectionOptions, environ: Mapping[str, str]) -> dict[str, Any]:
    profile = options.profile or environ.get(PROFILE_ENV)
    path = config_path(environ)
    if profile:
        return dict(read_profile(path, profile))
    if environ.get("SMSC_LOGIN") or environ.get("SMSC_API_KEY"):
        return _from_environment(environ)
    if path.is_file():
        return dict(read_profile(path, DEFAULT_PROFILE))
    return _from_environment(environ)


def _read_secret_line(stdin: TextIO, what: str) -> str:
    line = stdin.readline().rstrip("\r\n")
    if not line:
        raise CommandError(f"--{what}-stdin: standard input gave an empty line")
    return line


def build_config(
    options: ConnectionOptions,
    *,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> tuple[SMSCConfig, tuple[str, ...]]:
    """The client configuration, and the secrets it holds (to hide them from tracebacks).

    Raises:
        CommandError: the options contradict each other or the profile cannot be used.
        ConfigurationError: the settings found are incomplete or invalid.
    """
    env = os.environ if environ is None else environ
    stdin = sys.stdin if stdin is None else stdin
    if options.password_stdin and options.api_key_stdin:
        raise CommandError("give --password-stdin or --api-key-stdin, not both")
    values = _source_values(options, env)
    ask_password = options.password_prompt or (
        options.login is not None and not options.password_stdin
    )
    if options.login is not None or ask_password or options.password_stdin:
        login = options.login or values.get("login")
        if not login:
            raise CommandError("a password from the prompt or stdin needs --login (or a login)")
        if options.password_stdin:
            password = _read_secret_line(stdin, "password")
        elif not stdin.isatty():
            raise CommandError(
                "no terminal to ask the password on: pipe it in with --password-stdin"
            )
        else:
            password = prompt(f"SMSC password for {login}: ")
        for name in _CREDENTIALS:
            values.pop(name, None)
        values.update(login=login, password=password)
    elif options.api_key_stdin:
        for name in _CREDENTIALS:
            values.pop(name, None)
        values["api_key"] = _read_secret_line(stdin, "api-key")
    if options.host:
        values["host"] = options.host
    if options.allow_http:
        values["allow_http"] = True
    if options.timeout is not None:
        values["timeout"] = options.timeout
    secrets = tuple(str(values[name]) for name in _SECRETS if values.get(name))
    return SMSCConfig(**values), secrets
