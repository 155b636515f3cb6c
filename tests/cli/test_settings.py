"""Where credentials come from (in-process: these rules need no subprocess)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smsc import ConfigurationError
from smsc.cli._exits import CommandError
from smsc.cli._settings import ConnectionOptions, build_config, config_path

PROFILES = (
    "[default]\nlogin = home\npassword = home-pw\n\n"
    "[work]\napi_key = work-key\nhost = smscentre.com\n"
)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.ini"
    path.write_text(PROFILES, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_config_path_follows_smsc_config_then_xdg_then_home(tmp_path: Path) -> None:
    assert config_path({"SMSC_CONFIG": "/x/c.ini", "XDG_CONFIG_HOME": "/y"}) == Path("/x/c.ini")
    assert config_path({"XDG_CONFIG_HOME": "/y"}) == Path("/y/smsc/config.ini")
    assert config_path({}) == Path.home() / ".config" / "smsc" / "config.ini"


def test_environment_credentials_win_over_the_default_profile(config: Path) -> None:
    env = {"SMSC_CONFIG": str(config), "SMSC_LOGIN": "env", "SMSC_PASSWORD": "env-pw"}
    settings, secrets = build_config(ConnectionOptions(), environ=env)
    assert (settings.login, secrets) == ("env", ("env-pw",))


def test_a_named_profile_wins_over_the_environment(config: Path) -> None:
    env = {"SMSC_CONFIG": str(config), "SMSC_LOGIN": "env", "SMSC_PASSWORD": "env-pw"}
    settings, secrets = build_config(ConnectionOptions(profile="work"), environ=env)
    assert (settings.login, settings.host, secrets) == (None, "smscentre.com", ("work-key",))
    by_variable, _ = build_config(ConnectionOptions(), environ={**env, "SMSC_PROFILE": "work"})
    assert by_variable.api_key is not None


def test_the_default_profile_is_used_when_nothing_else_is_set(config: Path) -> None:
    settings, _ = build_config(
        ConnectionOptions(host="http://127.0.0.1:1", allow_http=True, timeout=2.5),
        environ={"SMSC_CONFIG": str(config)},
    )
    assert (settings.login, settings.base_url, settings.timeout) == (
        "home",
        "http://127.0.0.1:1",
        2.5,
    )


def test_login_on_the_command_line_replaces_the_whole_credential(config: Path) -> None:
    env = {"SMSC_CONFIG": str(config)}
    options = ConnectionOptions(profile="work", login="me", password_stdin=True)
    settings, secrets = build_config(options, environ=env, stdin=io.StringIO("s3cret\n"))
    assert (settings.login, settings.api_key, secrets) == ("me", None, ("s3cret",))
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "typed"

    prompted, _ = build_config(
        ConnectionOptions(login="me"), environ=env, stdin=_Terminal(), prompt=prompt
    )
    assert prompted.password is not None
    assert (prompted.password.get_secret_value(), asked) == ("typed", ["SMSC password for me: "])
    keyed, _ = build_config(
        ConnectionOptions(api_key_stdin=True), environ=env, stdin=io.StringIO("k\n")
    )
    assert (keyed.login, keyed.api_key is not None) == (None, True)


@pytest.mark.parametrize(
    ("options", "stdin", "message"),
    [
        (ConnectionOptions(login="me"), "", "no terminal to ask the password on"),
        (ConnectionOptions(password_stdin=True, api_key_stdin=True), "", "not both"),
        (ConnectionOptions(login="me", password_stdin=True), "\n", "empty line"),
        (ConnectionOptions(password_prompt=True), "", "needs --login"),
        (ConnectionOptions(profile="nope"), "", "no profile [nope] in"),
    ],
)
def test_contradictory_or_incomplete_options_are_refused(
    config: Path, options: ConnectionOptions, stdin: str, message: str
) -> None:
    env = {"SMSC_CONFIG": str(config)}
    if options.password_prompt:
        env = {"SMSC_CONFIG": str(config.with_name("absent.ini"))}
    with pytest.raises(CommandError) as caught:
        build_config(options, environ=env, stdin=io.StringIO(stdin))
    assert message in str(caught.value)


def test_a_broken_file_is_named_without_quoting_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.ini"
    path.write_text("[work]\npassword = leaked-pw\npassword = again\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CommandError) as caught:
        build_config(ConnectionOptions(profile="work"), environ={"SMSC_CONFIG": str(path)})
    assert str(caught.value) == f"{path} is not a valid profile file (line 3)"
    missing = tmp_path / "missing.ini"
    with pytest.raises(CommandError, match="no config file at"):
        build_config(ConnectionOptions(profile="work"), environ={"SMSC_CONFIG": str(missing)})


def test_unknown_settings_in_a_profile_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "config.ini"
    path.write_text("[default]\napi_key = k\nhots = typo.example\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match="hots"):
        build_config(ConnectionOptions(), environ={"SMSC_CONFIG": str(path)})
