"""A name that needs an optional extra says which extra to install when it is missing.

Each case runs in a fresh interpreter in which the extra's module is hidden (``None`` in
``sys.modules`` makes ``import redis`` raise ``ModuleNotFoundError``, as on a machine
without it), since this test suite's own environment has every extra installed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HIDE_AND_IMPORT = """
import sys
for name in {hidden!r}:
    sys.modules[name] = None
try:
    {statement}
except ModuleNotFoundError as exc:
    import smsc
    print(type(exc).__name__, isinstance(exc, smsc.MissingExtraError), exc.name)
    print(exc)
else:
    print("imported")
"""


def run_hidden(hidden: list[str], statement: str) -> list[str]:
    code = HIDE_AND_IMPORT.format(hidden=hidden, statement=statement)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("statement", "hidden", "extra"),
    [
        ("from smsc import RedisLimiter", ["redis"], "redis"),
        ("from smsc import RedisSeenSet", ["redis"], "redis"),
        ("from smsc._limits import RedisLimiter", ["redis"], "redis"),
        ("from smsc import AiohttpTransport", ["aiohttp"], "aiohttp"),
    ],
)
def test_a_name_whose_extra_is_missing_says_which_extra_to_install(
    statement: str, hidden: list[str], extra: str
) -> None:
    kind, message = run_hidden(hidden, statement)

    assert kind == f"MissingExtraError True {hidden[0]}"
    assert f'pip install "smsc-async[{extra}]"' in message
    assert statement.split()[-1] in message  # the name the user asked for


def test_a_missing_module_that_no_extra_brings_is_not_dressed_up_as_an_extra() -> None:
    # A broken install of something else keeps its own error: the hint would mislead.
    kind, message = run_hidden(["smsc._limits._redis"], "from smsc import RedisLimiter")

    assert kind.startswith("ModuleNotFoundError False")
    assert "pip install" not in message
