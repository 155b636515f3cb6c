"""``templates.php`` and ``op_templates.php``: message templates and operator templates
(protocol §11.7, checked against the service's pages for issue 22).

``templates.php`` takes ``get=1`` (a list of ``{id, name, message}``), ``add=1&name=&msg=``,
``chg=1&id=`` and ``del=1&id=``; ``add`` and ``chg`` also take ``format`` (the message
format the template is for), ``sender`` and ``fl[1]`` (use the template for auto-signing).

``op_templates.php`` is another model (the templates the operators register for a Sender
ID): ``add=1&sender=&msg=`` with one flag per operator and kind of template, and ``get=1``
with the same ``sender`` and ``msg``, which looks that one template up. No list, change or
delete is documented, so none is offered. The answers of ``op_templates.php`` are not laid
out on its page; two named assumptions read them:

- *add*: an object with an ``id`` when the service gives one (then the id), else ``OK``.
- *get*: a list of objects (one object is read as a list of one), each a registration of
  the template with one operator; ``id`` and ``name`` are read when present and every field
  is kept in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .._errors import InvalidResponseError
from .._models.account import OperatorTemplate, OperatorTemplateKind, Template
from ._spec import CommandSpec
from .errors import ACCOUNT_DATA_ERRORS
from .records import (
    action,
    created_id,
    done,
    extra_fields,
    opt,
    present,
    record_id,
    records,
    required_text,
)
from .values import excerpt, integer, text

__all__ = [
    "OPERATOR_TEMPLATES",
    "OPERATOR_TEMPLATE_ADD",
    "OPERATOR_TEMPLATE_FLAGS",
    "OPERATOR_TEMPLATE_GET",
    "TEMPLATES",
    "TEMPLATE_FORMATS",
    "OperatorTemplateArgs",
    "TemplateArgs",
    "TemplateSpecs",
]

_KNOWN = ("id", "name", "message", "msg")

TEMPLATE_FORMATS: Final[frozenset[str]] = frozenset(
    {"sms", "flash", "bin", "push", "mms", "call", "mail", "viber"}
)
"""The values of ``templates.php``'s ``format`` the page lists (an empty one: not given)."""


@dataclass(frozen=True, slots=True)
class TemplateArgs:
    """Checked arguments of a template action (those it does not use stay ``None``)."""

    id: int | None = None
    name: str | None = None
    message: str | None = None
    format: str | None = None
    sender: str | None = None
    auto_signature: bool | None = None


def _fields(args: TemplateArgs) -> dict[str, str]:
    signature = None if args.auto_signature is None else ("1" if args.auto_signature else "0")
    return present(
        {
            "id": opt(args.id),
            "name": args.name,
            "msg": args.message,
            "format": args.format,
            "sender": args.sender,
            "fl[1]": signature,
        }
    )


def _templates(data: Any, body: bytes, command: str) -> list[Template]:
    found = []
    for item in records(data, body, command):
        number = record_id(item, command, body)
        if number is None:
            raise InvalidResponseError(
                f"{command}: a template without an id", body_excerpt=excerpt(body)
            )
        found.append(
            Template(
                id=number,
                name=required_text(item, ("name",), command, body),
                message=text(item.get("message", item.get("msg"))) or "",
                extra=extra_fields(item, _KNOWN),
            )
        )
    return found


@dataclass(frozen=True)
class TemplateSpecs:
    """The four actions of ``templates.php``."""

    list: CommandSpec[TemplateArgs, list[Template]]
    add: CommandSpec[TemplateArgs, int]
    change: CommandSpec[TemplateArgs, None]
    delete: CommandSpec[TemplateArgs, None]

    @classmethod
    def of(cls, prefix: str, path: str) -> TemplateSpecs:
        """The specs of ``path``, named ``<prefix>.list`` and so on."""
        errors = ACCOUNT_DATA_ERRORS
        return cls(
            # A list is a query; an add repeated would file a second template; a change or
            # a deletion is not repeated after it may have taken effect.
            list=action(
                f"{prefix}.list", path, "get", _fields, _templates, may_repeat=True, errors=errors
            ),
            add=action(
                f"{prefix}.add", path, "add", _fields, created_id, may_repeat=False, errors=errors
            ),
            change=action(
                f"{prefix}.change", path, "chg", _fields, done, may_repeat=False, errors=errors
            ),
            delete=action(
                f"{prefix}.delete", path, "del", _fields, done, may_repeat=False, errors=errors
            ),
        )

    def all(self) -> tuple[CommandSpec[TemplateArgs, Any], ...]:
        """Every spec, for the registry."""
        return (self.list, self.add, self.change, self.delete)


TEMPLATES: Final = TemplateSpecs.of("templates", "/sys/templates.php")
"""Message templates (``templates.php``)."""


# ----------------------------------------------------------------------------- op_templates

_OP_PATH: Final = "/sys/op_templates.php"

OPERATOR_TEMPLATE_FLAGS: Final[Mapping[OperatorTemplateKind, str]] = {
    OperatorTemplateKind.MTS_SERVICE: "mts_srv",
    OperatorTemplateKind.MTS_AUTHORIZATION: "mts_auth",
    OperatorTemplateKind.MTS_TRANSACTIONAL: "mts_trn",
    OperatorTemplateKind.MEGAFON_SERVICE: "mega_srv",
    OperatorTemplateKind.MEGAFON_AUTHORIZATION: "mega_auth",
    OperatorTemplateKind.MEGAFON_TRANSACTIONAL: "mega_trn",
    OperatorTemplateKind.MEGAFON_ADVERTISING: "mega_adv",
    OperatorTemplateKind.BEELINE_SERVICE: "bee_srv",
    OperatorTemplateKind.BEELINE_TRANSACTIONAL: "bee_trn",
    OperatorTemplateKind.TELE2_SERVICE: "tele2_srv",
    OperatorTemplateKind.TELE2_TRANSACTIONAL: "tele2_trn",
    OperatorTemplateKind.MOTIV_SERVICE: "motiv_srv",
    OperatorTemplateKind.MOTIV_TRANSACTIONAL: "motiv_trn",
    OperatorTemplateKind.SOCIAL: "soc",
}
"""Each kind of operator template -> the flag of ``op_templates.php?add=1`` that asks for it."""

_OP_KNOWN = ("id", "name")


@dataclass(frozen=True, slots=True)
class OperatorTemplateArgs:
    """A checked operator template: its Sender ID, its text and (for an add) its kinds."""

    sender: str
    message: str
    kinds: frozenset[OperatorTemplateKind] = frozenset()


def _op_fields(args: OperatorTemplateArgs) -> dict[str, str]:
    form = {"sender": args.sender, "msg": args.message}
    for kind in OperatorTemplateKind:  # the enum's order: a stable form
        if kind in args.kinds:
            form[OPERATOR_TEMPLATE_FLAGS[kind]] = "1"
    return form


def _op_added(data: Any, body: bytes, command: str) -> int | None:
    # Named assumption (module docstring): an id when the answer carries one, else an OK.
    if isinstance(data, dict) and "id" in data:
        return created_id(data, body, command)
    done(data, body, command)
    return None


def _op_found(data: Any, body: bytes, command: str) -> list[OperatorTemplate]:
    rows = [data] if isinstance(data, dict) else data  # one registration may come as an object
    return [
        OperatorTemplate(
            id=integer(item.get("id")),
            name=text(item.get("name")) or None,
            extra=extra_fields(item, _OP_KNOWN),
        )
        for item in records(rows, body, command)
    ]


OPERATOR_TEMPLATE_ADD: Final = action(
    "operator_templates.add",
    _OP_PATH,
    "add",
    _op_fields,
    _op_added,
    may_repeat=False,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Register a template with the chosen operators; not repeated (a second filing)."""

OPERATOR_TEMPLATE_GET: Final = action(
    "operator_templates.get",
    _OP_PATH,
    "get",
    _op_fields,
    _op_found,
    may_repeat=True,
    errors=ACCOUNT_DATA_ERRORS,
)
"""Look one operator template up by its Sender ID and text; a query."""

OPERATOR_TEMPLATES: Final[tuple[CommandSpec[OperatorTemplateArgs, Any], ...]] = (
    OPERATOR_TEMPLATE_ADD,
    OPERATOR_TEMPLATE_GET,
)
"""Operator templates (``op_templates.php``): add and get, as documented."""
