"""The ``smsc`` command line (``pip install 'smsc-async[cli]'``).

``import smsc`` never imports this package; this module itself imports nothing but the
standard library, so that a missing ``cli`` extra is reported in one plain line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_EXTRA_MODULES = frozenset({"click", "rich"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsc`` with ``argv`` (default: the process arguments); return the exit code."""
    from ._startup import quiet_start, ready

    quiet_start()  # Ctrl-C during the imports: a quiet exit 130 (see _startup)
    try:
        try:
            from ._app import run
        except ModuleNotFoundError as exc:
            if exc.name not in _EXTRA_MODULES:
                raise
            print(
                f"smsc: the command line needs the 'cli' extra ({exc.name} is not installed): "
                "pip install 'smsc-async[cli]'",
                file=sys.stderr,
            )
            return 1
        return run(sys.argv[1:] if argv is None else list(argv))
    finally:
        ready()
