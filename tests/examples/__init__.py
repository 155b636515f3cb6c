"""Acceptance tests of the example web apps, on loopback sockets with the emulator.

The examples are scripts, not a package: ``examples/`` goes on ``sys.path`` here (before the
conftest and the test modules of this package are imported), so they import as
``fastapi_app`` and ``aiohttp_app``, the names mypy and ruff give them too.
"""

import sys
from pathlib import Path

_EXAMPLES = str(Path(__file__).resolve().parents[2] / "examples")
if _EXAMPLES not in sys.path:
    sys.path.insert(0, _EXAMPLES)
