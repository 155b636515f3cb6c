"""The example apps' configuration: the callback secret comes from the caller or the env."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import aiohttp_app
import fastapi_app
from smsc import ConfigurationError

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize(
    "create_app",
    [aiohttp_app.create_app, fastapi_app.create_app],
    ids=["aiohttp", "fastapi"],
)
def test_an_app_without_a_callback_secret_is_refused_when_built(
    create_app: Callable[[], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMSC_CALLBACK_SECRET", raising=False)

    with pytest.raises(ConfigurationError, match="SMSC_CALLBACK_SECRET"):
        create_app()


def test_the_fastapi_app_reads_the_callback_secret_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMSC_CALLBACK_SECRET", "from-the-env")

    app = fastapi_app.create_app()

    assert app.state.callback_secret.get_secret_value() == "from-the-env"


def test_the_aiohttp_app_reads_the_callback_secret_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMSC_CALLBACK_SECRET", "from-the-env")

    app = aiohttp_app.create_app()

    assert app[aiohttp_app.CALLBACK_SECRET].get_secret_value() == "from-the-env"
