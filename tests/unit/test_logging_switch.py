"""SMSC_LOG turns the SDK's logger on; without it the SDK adds no handler."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from smsc._logs import configure_from_env


@pytest.fixture
def smsc_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("smsc")
    level, handlers = logger.level, list(logger.handlers)
    logger.handlers.clear()
    yield logger
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_smsc_log_debug_adds_a_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, smsc_logger: logging.Logger
) -> None:
    monkeypatch.setenv("SMSC_LOG", "debug")
    configure_from_env()
    assert smsc_logger.level == logging.DEBUG
    assert len(smsc_logger.handlers) == 1


def test_without_smsc_log_nothing_is_configured(
    monkeypatch: pytest.MonkeyPatch, smsc_logger: logging.Logger
) -> None:
    monkeypatch.delenv("SMSC_LOG", raising=False)
    configure_from_env()
    assert smsc_logger.handlers == []


def test_an_application_handler_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, smsc_logger: logging.Logger
) -> None:
    own = logging.NullHandler()
    smsc_logger.addHandler(own)
    monkeypatch.setenv("SMSC_LOG", "info")
    configure_from_env()
    assert smsc_logger.handlers == [own]
