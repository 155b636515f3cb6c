"""The layout of ``src/smsc`` (docs/architecture.md): rules a change cannot break unnoticed.

- no import circle between modules (``TYPE_CHECKING`` and function-level imports included:
  a circle of types is still a circle of design);
- no import from a higher layer (``LAYERS``: models below errors below the wire layer below
  the rules, the HTTP side and the base client; the client and the front doors on top);
- no source file over ~800 lines (a module is one thing; split by function, never for size
  alone: no class inherits a base that only holds part of its methods);
- the protocol's credential and text field names appear in the wire layer only, among the
  SDK's modules (the emulator, ``smsc.testing``, is the service and speaks them too);
- every command spec has its own error table and a unique name; the failover transport
  names no command.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import smsc
from smsc._wire import COMMANDS, ERROR_TABLES, SEND, CommandSpec

ROOT = Path(smsc.__file__).parent
PACKAGE = "smsc"
MAX_LINES = 800
WIRE = "smsc._wire"
SERVICE = "smsc.testing"
WIRE_WORDS = re.compile(r"\b(psw|apikey|mes)\b")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module of the package ``name`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            submodules = [f"{target}.{alias.name}" for alias in node.names]
            # "from . import _wire" depends on the submodule, not on the package's __init__.
            if not all(module in MODULES for module in submodules):
                submodules.append(target)
            targets = submodules
        else:
            continue
        yield from (target for target in targets if target in MODULES and target != name)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    return {name: set(_imports(name, path)) for name, path in MODULES.items()}


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` as ``[a, b, ..., a]``, or None."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        trail: list[str] = []
        on_trail: set[str] = set()
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        trail.append(start)
        on_trail.add(start)
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target in on_trail:
                    return [*trail[trail.index(target) :], target]
                if target not in done:
                    stack.append((target, iter(sorted(graph[target]))))
                    trail.append(target)
                    on_trail.add(target)
                    break
            else:
                stack.pop()
                trail.pop()
                on_trail.discard(node)
                done.add(node)
    return None


# ---------------------------------------------------------------- imports and sizes


def test_no_module_of_the_package_imports_in_a_circle() -> None:
    assert find_circle(import_graph()) is None


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_circle(graph) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


# The SDK's layers, lowest first: a module imports its own layer or lower ones, never a
# higher one (docs/architecture.md). Names are the first part after "smsc".
LAYERS: list[set[str]] = [
    {"_version", "_hidden", "_privacy", "_enums", "_logs", "_options", "_extras"},
    {"_models"},
    {"_errors", "_config", "_limits"},
    {"_wire"},
    {"_secrets", "_rules"},
    {"_http", "_smtp", "callbacks", "events"},
    {"_base_client"},
    {"resources", "_once"},
    {"_bulk"},
    {"_client", "_sync"},
    {"smsc", "testing", "cli", "__main__", "otel"},
]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """``a -> b`` for each import of a module from a higher layer than its own."""
    level = {part: index for index, layer in enumerate(LAYERS) for part in layer}
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if level[_part(target)] > level[_part(module)]
    )


def test_every_part_of_the_package_has_a_layer() -> None:
    placed = {part for layer in LAYERS for part in layer}
    assert {_part(name) for name in MODULES} - placed == set()


def test_no_module_imports_from_a_higher_layer() -> None:
    assert upward_imports(import_graph()) == []


def test_the_layer_check_sees_an_upward_import() -> None:
    graph = {"smsc._wire.commands": {"smsc._client"}, "smsc._client": {"smsc._wire"}}
    assert upward_imports(graph) == ["smsc._wire.commands -> smsc._client"]


def test_no_source_file_is_over_800_lines() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()
    }
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}


def test_the_client_and_the_emulator_inherit_no_part_of_themselves() -> None:
    # A base class holding some of a class's methods only to keep a file short is a wall
    # put up for size: the client's only base is the pipeline, the emulator has none.
    from smsc._base_client import BaseClient
    from smsc.testing import SMSCEmulator

    def own_bases(cls: type) -> list[type]:
        return [base for base in cls.__mro__[1:] if base.__module__.startswith(PACKAGE)]

    assert own_bases(smsc.AsyncSMSCClient) == [BaseClient]
    assert own_bases(SMSCEmulator) == []


def definitions(sources: dict[str, str], name: str) -> list[str]:
    """The modules of ``sources`` that bind ``name`` at module level (assignment or def)."""
    found: list[str] = []
    for module, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found.append(module)
            found += [module for t in targets if isinstance(t, ast.Name) and t.id == name]
    return sorted(set(found))


def test_each_rule_is_defined_in_one_module() -> None:
    # NEVER_LEFT decides whether a send may be repeated, reported as "not sent" and its
    # limiter counts taken back: one definition, or never-send-twice drifts silently.
    # within() is the one Python 3.10 fallback of asyncio.timeout.
    sources = {name: path.read_text(encoding="utf-8") for name, path in MODULES.items()}
    assert definitions(sources, "NEVER_LEFT") == ["smsc._http.failures"]
    assert definitions(sources, "within") == ["smsc._http.attempts"]
    version_switches = [
        name for name, source in sources.items() if "sys.version_info >= (3, 11)" in source
    ]
    assert version_switches == ["smsc._http.attempts"]


def test_the_whole_error_tree_is_in_one_module() -> None:
    # Every SMSCError of the SDK is defined in smsc._errors and exported from smsc (other
    # modules re-export where an old path was documented: smsc.callbacks, smsc._bulk).
    import inspect

    for name in MODULES:
        if name.startswith((SERVICE, "smsc.cli")):
            continue
        module = importlib.import_module(name) if name != "smsc.__main__" else None
        for value in list(vars(module).values()) if module else []:
            if inspect.isclass(value) and issubclass(value, smsc.SMSCError):
                assert value.__module__ == "smsc._errors", f"{value.__qualname__} in {name}"
                assert value.__name__ in smsc.__all__, value.__name__


def test_the_definition_finder_sees_a_second_copy() -> None:
    sources = {"a": "NEVER_LEFT = (1,)\n", "b": "X: int = 1\nNEVER_LEFT: tuple = ()\n"}
    assert definitions(sources, "NEVER_LEFT") == ["a", "b"]


# ---------------------------------------------------------------- the wire layer's words


def _is_wire_or_service(name: str) -> bool:
    return any(name == top or name.startswith(top + ".") for top in (WIRE, SERVICE))


def wire_words_outside_the_wire_layer(sources: dict[str, str]) -> list[str]:
    """``module:line: word`` for each ``psw``/``apikey``/``mes`` in a string (docstrings
    included) of a module outside the wire layer and the emulator."""
    found: list[str] = []
    for name, source in sources.items():
        if _is_wire_or_service(name):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += (
                    f"{name}:{node.lineno}: {match}" for match in WIRE_WORDS.findall(node.value)
                )
    return found


def test_credential_and_text_field_names_appear_only_in_the_wire_layer() -> None:
    sources = {name: path.read_text(encoding="utf-8") for name, path in MODULES.items()}
    assert wire_words_outside_the_wire_layer(sources) == []


def test_the_wire_word_check_sees_a_field_name_in_a_core_module() -> None:
    sources = {"smsc._client": 'FORM = {"psw": x}\n', "smsc._wire.forms": 'F = "mes"\n'}
    assert wire_words_outside_the_wire_layer(sources) == ["smsc._client:1: psw"]


# ---------------------------------------------------------------- command specs


def test_every_command_has_its_own_error_table_and_its_name() -> None:
    assert COMMANDS, "no command specs"
    for name, spec in COMMANDS.items():
        assert isinstance(spec, CommandSpec)
        assert spec.name == name
        assert spec.errors, f"{name} has no error table"
        assert ERROR_TABLES[name] is spec.errors
        assert spec.path.startswith("/sys/")


def test_a_spec_without_an_error_table_is_refused() -> None:
    with pytest.raises(TypeError, match="no error table"):
        CommandSpec(
            name="senders",
            path="/sys/senders.php",
            may_repeat=True,
            errors={},
            encode=SEND.encode,
            decode=SEND.decode,
        )


def test_the_failover_transport_names_no_command() -> None:
    # It decides from the request's smsc_may_repeat mark, never from what the command is.
    names = set(COMMANDS)
    for module in (
        "smsc._http.transport",
        "smsc._http.failover",
        "smsc._http.sites",
        "smsc._http.attempts",
    ):
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        strings = {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        }
        assert strings & names == set(), module
