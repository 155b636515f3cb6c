"""The conformance corpus: the service's documented HTTP API as data (``corpus.json``).

The corpus is written from the service's documentation pages, not from the SDK: for every
endpoint its parameters (meaning in our words, allowed values where the page gives them),
its actions (the flag that selects each one), its answer fields and its error codes, each
with the page it comes from and how it was read (``evidence``). What the pages leave open
is said so in the entry, with the assumption made and why. ``commands`` maps each command
of :data:`smsc._wire.COMMANDS` to the endpoint and action it uses.

Readers: the conformance tests (which hold every ``CommandSpec`` to it), the emulator's strict
mode (which refuses a parameter the corpus does not document for the action asked) and the
docs' parameter tables. The file ships in the wheel and is read through
:mod:`importlib.resources`. See ``docs/conformance.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "Action",
    "Corpus",
    "Endpoint",
    "ErrorDoc",
    "Param",
    "corpus",
]

_FILE = "corpus.json"


@dataclass(frozen=True)
class Param:
    """One documented parameter."""

    name: str
    meaning: str | None
    source: str | None
    evidence: str
    values: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True)
class ErrorDoc:
    """The error codes of an endpoint or action: documented ones, and assumed ones with why."""

    source: str | None
    evidence: str
    codes: Mapping[int, str | None]
    assumed: Mapping[int, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def allowed(self) -> frozenset[int]:
        """Every code the SDK and the emulator may use: documented or assumed with a reason."""
        return frozenset(self.codes) | frozenset(self.assumed)


@dataclass(frozen=True)
class Action:
    """One action of an endpoint, chosen by its selector (``{"get": ("1",)}``; empty: the
    endpoint's only or default action)."""

    name: str
    selector: Mapping[str, tuple[str, ...]]
    params: Mapping[str, Param]
    errors: ErrorDoc | None
    answer: Mapping[str, Any] | None
    documented: bool = True
    assumption: str | None = None
    inherits: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """One path of the service and everything the corpus says about it."""

    path: str
    title: str
    page: str | None
    offered: bool
    reason: str | None
    params: Mapping[str, Param]
    errors: ErrorDoc
    answer: Mapping[str, Any] | None
    actions: Mapping[str, Action]
    not_offered: Mapping[str, str]
    documented: bool = True
    same_as: str | None = None

    def action_for(self, request: Mapping[str, str]) -> Action | None:
        """The action a request's parameters select: the first whose selector it sets
        (to one of the selector's values), else the default action (empty selector)."""
        for action in self.actions.values():
            for key, values in action.selector.items():
                if request.get(key) in values:
                    return action
        for action in self.actions.values():
            if not action.selector:
                return action
        return None

    def errors_of(self, action: Action | None) -> ErrorDoc:
        """The error table of ``action`` (its own, else the endpoint's)."""
        if action is not None and action.errors is not None:
            return action.errors
        return self.errors


@dataclass(frozen=True)
class Corpus:
    """The whole corpus."""

    common: Mapping[str, Param]
    endpoints: Mapping[str, Endpoint]
    commands: Mapping[str, tuple[str, str | None]]
    evidence: Mapping[str, str]

    def documented_params(self, path: str, action: Action | None) -> dict[str, Param]:
        """Every parameter documented for ``action`` of ``path``: the common ones, the
        endpoint's shared table, the action's own, those of an endpoint it inherits, and its
        selector."""
        endpoint = self.endpoints[path]
        found: dict[str, Param] = dict(self.common)
        if endpoint.same_as is not None:
            found.update(self.endpoints[endpoint.same_as].params)
        found.update(endpoint.params)
        if action is not None:
            if action.inherits is not None:
                parent = self.endpoints[action.inherits]
                found.update(parent.params)
            found.update(action.params)
            for key, values in action.selector.items():
                found.setdefault(
                    key, Param(key, "selects this action", endpoint.page, "page", values)
                )
        return found

    def command(self, name: str) -> tuple[Endpoint, Action | None]:
        """The endpoint and action (``None``: not documented) command ``name`` uses."""
        path, action = self.commands[name]
        endpoint = self.endpoints[path]
        return endpoint, endpoint.actions[action] if action is not None else None


def _param(name: str, raw: Mapping[str, Any]) -> Param:
    values = raw.get("values")
    return Param(
        name=name,
        meaning=raw.get("meaning"),
        source=raw.get("source"),
        evidence=str(raw["evidence"]),
        values=tuple(str(value) for value in values) if values is not None else None,
        note=raw.get("note"),
    )


def _params(raw: Mapping[str, Any] | None) -> dict[str, Param]:
    return {name: _param(name, item) for name, item in (raw or {}).items()}


def _errors(raw: Mapping[str, Any]) -> ErrorDoc:
    return ErrorDoc(
        source=raw.get("source"),
        evidence=str(raw["evidence"]),
        codes={int(code): text for code, text in raw.get("codes", {}).items()},
        assumed={int(code): str(text) for code, text in raw.get("assumed", {}).items()},
        note=raw.get("note"),
    )


def _action(name: str, raw: Mapping[str, Any]) -> Action:
    return Action(
        name=name,
        selector={key: tuple(values) for key, values in raw.get("selector", {}).items()},
        params=_params(raw.get("params")),
        errors=_errors(raw["errors"]) if "errors" in raw else None,
        answer=raw.get("answer"),
        documented=bool(raw.get("documented", True)),
        assumption=raw.get("assumption"),
        inherits=raw.get("inherits"),
        note=raw.get("note"),
    )


def _endpoint(path: str, raw: Mapping[str, Any]) -> Endpoint:
    return Endpoint(
        path=path,
        title=str(raw["title"]),
        page=raw.get("page"),
        offered=bool(raw["offered"]),
        reason=raw.get("reason"),
        params=_params(raw.get("params")),
        errors=_errors(raw["errors"]),
        answer=raw.get("answer"),
        actions={name: _action(name, item) for name, item in raw["actions"].items()},
        not_offered=dict(raw.get("not_offered", {})),
        documented=bool(raw.get("documented", True)),
        same_as=raw.get("same_as"),
    )


def parse(data: Mapping[str, Any]) -> Corpus:
    """A corpus from its JSON value (the loader's second half; tests feed it variants)."""
    return Corpus(
        common=_params(data["common"]),
        endpoints={path: _endpoint(path, item) for path, item in data["endpoints"].items()},
        commands={
            name: (str(item["path"]), item["action"]) for name, item in data["commands"].items()
        },
        evidence=dict(data["evidence"]),
    )


@cache
def corpus() -> Corpus:
    """The corpus shipped with the package (read once)."""
    text = resources.files(__name__).joinpath(_FILE).read_text(encoding="utf-8")
    return parse(json.loads(text))
