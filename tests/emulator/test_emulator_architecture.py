"""The emulator's layout: state apart from front ends, no import circles, a complete route table."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from smsc.testing import SMSCEmulator, UnknownCommandAnswer, _routes

PACKAGE = "smsc.testing"
ROOT = Path(importlib.import_module(PACKAGE).__file__ or "").parent
MAX_LINES = 800

# The service side: it must not know how requests arrive (HTTP, sockets, e-mail) nor where
# callbacks go, and nothing may call back into the SMSCEmulator object that assembles it.
STATE_SIDE = (
    "_answers",
    "_clock",
    "_commands",
    "_directory",
    "_guards",
    "_model",
    "_request",
    "_routes",
    "_script",
    "_service",
    "_state",
    "_values",
)
FRONT_ENDS = ("_app", "_server", "_smtp", "_http_params", "_callbacks", "_formats")
ASSEMBLERS = ("__init__", "__main__", "_pytest_plugin", "_threaded", "demo")  # may import _emulator


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every module ``name`` imports (``TYPE_CHECKING`` imports included: a circle of types
    is still a circle of design)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    yield f"{target}.{alias.name}"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: {target for target in _imports(name, path, known) if target in known}
        for name, path in modules.items()
    }


def _short(name: str) -> str:
    return name.removeprefix(PACKAGE + ".").split(".")[0]


def test_no_import_circle_among_emulator_modules() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            circle = [*trail[trail.index(node) :], node]
            pytest.fail("import circle: " + " -> ".join(circle))
        if node in done:
            return
        for target in sorted(graph[node]):
            if target != PACKAGE and not node.startswith(target + "."):
                visit(target, [*trail, node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])
    assert len(done) == len(graph) >= 20


def test_state_side_imports_no_front_end_and_no_http() -> None:
    graph = _graph()
    modules = _modules()
    offenders = []
    for name, targets in graph.items():
        if _short(name) not in STATE_SIDE:
            continue
        source = modules[name].read_text(encoding="utf-8")
        tree = ast.parse(source)
        libraries = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and not node.level
        }
        offenders += [(name, lib) for lib in libraries & {"httpx", "aiosmtpd", "email"}]
        offenders += [
            (name, target)
            for target in targets
            if _short(target) in (*FRONT_ENDS, "_emulator") and target.startswith(PACKAGE)
        ]
    assert offenders == []


def test_only_the_assemblers_import_the_emulator_object() -> None:
    graph = _graph()
    importers = {
        _short(name) if name != PACKAGE else "__init__"
        for name, targets in graph.items()
        if f"{PACKAGE}._emulator" in targets
    }
    assert importers <= set(ASSEMBLERS)
    assert "__init__" in importers


def test_no_emulator_source_file_is_over_800_lines() -> None:
    lines = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in ROOT.rglob("*.py")
    }
    assert {name: count for name, count in lines.items() if count > MAX_LINES} == {}


# ---------------------------------------------------------------- the route table


def _core_command_paths() -> set[str]:
    """The path of every command the SDK core speaks: the wire layer's specs once they exist,
    else the path constants of the protocol module."""
    try:
        wire = importlib.import_module("smsc._wire")
        specs = wire.COMMANDS
    except (ImportError, AttributeError):
        protocol = importlib.import_module("smsc._protocol")
        return {
            value
            for name, value in vars(protocol).items()
            if name.endswith("_PATH") and isinstance(value, str)
        }
    return {"/" + str(spec.path).lstrip("/") for spec in specs.values()}


def test_every_core_command_has_an_emulator_route() -> None:
    paths = _core_command_paths()
    assert paths, "found no command path in the SDK core"
    assert sorted(path for path in paths if path not in _routes.ROUTES) == []


def test_every_route_is_a_named_command_and_every_command_has_a_path() -> None:
    routed = set(_routes.ROUTES.values())
    named = set(_routes.COMMANDS.values())
    assert routed == named
    assert all(_routes.COMMANDS[route.command] is route for route in named)
    assert all(_routes.is_command_path(path) for path in _routes.ROUTES)


@pytest.mark.parametrize("path", sorted(_routes.ROUTES))
async def test_every_served_path_reaches_its_command(path: str) -> None:
    """With unknown commands answering 404, every path of the table still answers 200."""
    async with SMSCEmulator(unknown_command=UnknownCommandAnswer.HTTP_404) as emulator:
        emulator.add_account("alex", "pw")
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as http:
            params = {"login": "alex", "psw": "wrong", "fmt": "3"}
            if path.startswith("/rest/"):  # these take a JSON body
                response = await http.post(path, json=params)
            else:
                response = await http.post(path, data=params)
    assert (response.status_code, response.json()["error_code"]) == (200, 2)
