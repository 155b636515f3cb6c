"""``templates.php`` and ``op_templates.php``: message templates and operator templates
(protocol §11.7).

Both take ``get=1`` (a list of ``{id, name, message}``), ``add=1&name=&msg=``,
``chg=1&id=`` with ``name=`` and/or ``msg=``, and ``del=1&id=``. Operator templates are the
service/transactional texts registered with the operators; only ``add`` and ``get`` are
documented for them, ``chg`` and ``del`` are assumed to work as on ``templates.php`` ([INF]).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .._errors import InvalidResponseError
from .._models.account import Template
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
from .values import excerpt, text

__all__ = ["OPERATOR_TEMPLATES", "TEMPLATES", "TemplateArgs", "TemplateSpecs"]

_KNOWN = ("id", "name", "message", "msg")


@dataclass(frozen=True, slots=True)
class TemplateArgs:
    """Checked arguments of a template action (those it does not use stay ``None``)."""

    id: int | None = None
    name: str | None = None
    message: str | None = None


def _fields(args: TemplateArgs) -> dict[str, str]:
    return present({"id": opt(args.id), "name": args.name, "msg": args.message})


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
    """The four actions of one template path."""

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

OPERATOR_TEMPLATES: Final = TemplateSpecs.of("operator_templates", "/sys/op_templates.php")
"""Operator (service/transactional) templates (``op_templates.php``)."""
