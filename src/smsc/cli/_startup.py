"""Ctrl-C while ``smsc`` starts: a quiet exit 130, never a traceback from an import.

Importing the SDK, pydantic and Rich takes a moment; a Ctrl-C then would raise
``KeyboardInterrupt`` inside some import (even inside pydantic-core's compiled code, which
turns it into a ``PanicException``). Until the command's own code runs, Ctrl-C instead
prints ``smsc: interrupted`` and exits 130 at once: nothing has been sent yet. Standard
library only, so that it can be installed before anything heavy is imported.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

__all__ = ["quiet_start", "ready"]


def _quit(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"smsc: interrupted\n")
    os._exit(130)


def quiet_start() -> None:
    """Make Ctrl-C exit quietly (130) until :func:`ready` (only when Python's own handler
    is in place: an ignored SIGINT or a caller's handler stays as it is)."""
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _quit)
    except ValueError:  # not the main thread: leave signals alone
        pass


def ready() -> None:
    """The command's code starts: Ctrl-C raises ``KeyboardInterrupt`` again."""
    try:
        if signal.getsignal(signal.SIGINT) is _quit:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:
        pass
