"""docs/architecture.md's "Adding a command" names every file a new command needs (issue 24).

A throwaway command (``ping``) is added to a temporary copy of ``src/smsc`` the way the
guide says: its error table, its spec in the registry, its result model, its export, the
client's method and the emulator's handler and route. The copy then has to work end to end
(the client asks the emulator and gets the model back), and the files it took must be
exactly the files the guide lists. A new place a command has to be registered fails here
until the guide names it.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import smsc

SOURCE = Path(smsc.__file__).parent
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"

# Each edit: a file of the package, the text it is inserted before (None: at the end), and
# the text inserted. Insertions, never replacements, so that others' edits keep them valid.
EDITS: list[tuple[str, str | None, str]] = [
    (
        "_wire/errors.py",
        None,
        "\nPING_ERRORS: Final[ErrorTable] = {1: ParametersError, 2: AuthenticationError}\n",
    ),
    (
        "_models/messages.py",
        None,
        '\n\nclass PingResult(_Result):\n    """The service answered."""\n\n    ok: bool\n',
    ),
    (
        "_wire/commands.py",
        None,
        "\n\nfrom .._models.messages import PingResult\nfrom .errors import PING_ERRORS\n\n"
        "PING: Final = CommandSpec[None, PingResult](\n"
        '    name="ping",\n'
        '    path="/sys/ping.php",\n'
        "    may_repeat=True,\n"
        "    errors=PING_ERRORS,\n"
        "    encode=lambda _: {},\n"
        '    decode=lambda data, body, _: PingResult(ok=data == {"result": "OK"}),\n'
        ")\n"
        "COMMANDS = {**COMMANDS, PING.name: PING}  # type: ignore[misc]\n",
    ),
    ("_wire/__init__.py", None, '\nfrom .commands import PING\n\n__all__ += ["PING"]\n'),
    (
        "__init__.py",
        None,
        '\n_LAZY["PingResult"] = "._models.messages"\n__all__ += ["PingResult"]\n',
    ),
    (
        "_client.py",
        "    # ------------------------------------------------------------------ campaigns",
        "    async def ping(self) -> Any:\n"
        '        """Ask the service whether it answers."""\n'
        "        return await self._request(wire.PING, None)\n\n",
    ),
    (
        "testing/_commands/ping.py",
        None,
        '"""``ping.php``: the service answers."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n"
        "from .._answers import Answer, OkAnswer\n\n\n"
        "def handle(state: Any, account: Any, request: Any) -> Answer:\n"
        "    return OkAnswer()\n",
    ),
    (
        "testing/_routes.py",
        None,
        "\n\nfrom ._commands import ping as _ping\n\n"
        'PING = Route("ping", _ping.handle)\n'
        "COMMANDS = {**COMMANDS, PING.command: PING}\n"
        'ROUTES = {**ROUTES, "/sys/ping.php": PING}\n',
    ),
]

CHECK = """
import asyncio, httpx
from smsc import AsyncSMSCClient, PingResult
from smsc._wire import COMMANDS
from smsc.testing import SMSCEmulator
from smsc.testing._routes import ROUTES

async def main():
    async with SMSCEmulator() as emulator:
        emulator.add_account("demo", "demo", balance=10)
        transport = httpx.ASGITransport(app=emulator.app)
        async with AsyncSMSCClient(login="demo", password="demo", transport=transport) as c:
            result = await c.ping()
    assert isinstance(result, PingResult) and result.ok, result
    assert {spec.path for spec in COMMANDS.values()} <= set(ROUTES), "a spec without a route"
    print("ping ok")

asyncio.run(main())
"""


def apply(edits: list[tuple[str, str | None, str]], package: Path) -> None:
    for relative, before, text in edits:
        path = package / relative
        source = path.read_text(encoding="utf-8") if path.exists() else ""
        if before is None:
            source += text
        else:
            assert source.count(before) == 1, f"{relative}: the anchor is not there once"
            source = source.replace(before, text + before)
        path.write_text(source, encoding="utf-8")


def changed_files(original: Path, copy: Path) -> set[str]:
    """Files of ``copy`` that are new or differ from ``original`` (relative paths)."""
    found: set[str] = set()
    for path in copy.rglob("*.py"):
        relative = path.relative_to(copy)
        if not (original / relative).exists() or not filecmp.cmp(
            original / relative, path, shallow=False
        ):
            found.add(relative.as_posix())
    return found


def guide_files() -> set[str]:
    """The files the guide's "Adding a command" list names, as paths under ``src/smsc/``."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("\n## Adding a command\n", 1)[1].split("\n#", 1)[0]
    named = re.findall(r"`src/smsc/([\w/<>]+\.py)`", section)
    return {name.replace("<command>", "ping") for name in named}


def test_a_throwaway_command_needs_exactly_the_files_the_guide_lists(tmp_path: Path) -> None:
    package = tmp_path / "src" / "smsc"
    shutil.copytree(SOURCE, package, ignore=shutil.ignore_patterns("__pycache__"))
    apply(EDITS, package)
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ping ok" in done.stdout
    needed = changed_files(SOURCE, package)
    assert len(needed) == 8
    assert needed == guide_files()


def test_the_file_count_sees_a_new_and_a_changed_file(tmp_path: Path) -> None:
    original, copy = tmp_path / "a", tmp_path / "b"
    for root in (original, copy):
        root.mkdir()
        (root / "same.py").write_text("x = 1\n")
        (root / "edited.py").write_text("y = 1\n")
    (copy / "edited.py").write_text("y = 2\n")
    (copy / "new.py").write_text("z = 1\n")
    assert changed_files(original, copy) == {"edited.py", "new.py"}
