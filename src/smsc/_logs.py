"""The ``SMSC_LOG`` switch: turn the SDK's logging on from the environment."""

from __future__ import annotations

import logging
import os

__all__ = ["configure_from_env"]

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


def configure_from_env() -> None:
    """With ``SMSC_LOG=debug`` (or ``info``, ``warning``) log the ``smsc`` logger to stderr.

    Does nothing when the variable is unset or the logger already has handlers, so an
    application's own logging configuration always wins. Even at DEBUG, phone numbers are
    masked, texts are replaced by their length, and credentials never appear.
    """
    level = _LEVELS.get(os.environ.get("SMSC_LOG", "").strip().lower())
    if level is None:
        return
    logger = logging.getLogger("smsc")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
