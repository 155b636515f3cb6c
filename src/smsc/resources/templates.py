"""``client.templates`` and ``client.operator_templates``: message and operator templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._models.account import OperatorTemplate, OperatorTemplateKind, Template
from .._wire import templates as wire
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["OperatorTemplates", "TemplateFormat", "Templates"]

TemplateFormat = Literal["sms", "flash", "bin", "push", "mms", "call", "mail", "viber"]
"""The message format a template is for (``format`` of ``templates.php``)."""


def _format(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in wire.TEMPLATE_FORMATS:
        allowed = ", ".join(sorted(wire.TEMPLATE_FORMATS))
        raise RequestValidationError(f"format must be one of {allowed}", field="format")
    return value


def _flag(value: object, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise RequestValidationError(f"{field} must be True or False", field=field)


class Templates:
    """The account's message templates (``templates.php``): list, add, change, delete.

    Example:
        ```python
        template_id = await client.templates.add("reminder", "See you tomorrow at 10:00")
        for template in await client.templates.list():
            print(template.id, template.name)
        ```
    """

    def __init__(self, client: BaseClient, specs: wire.TemplateSpecs = wire.TEMPLATES) -> None:
        self._client = client
        self._specs = specs

    async def list(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[Template]:
        """Every template of the account."""
        return await self._client._request(self._specs.list, wire.TemplateArgs(), timeout)

    async def add(
        self,
        name: str,
        message: str,
        *,
        format: TemplateFormat | None = None,
        sender: str | None = None,
        auto_signature: bool | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int:
        """Add a template and return its id.

        Args:
            name: the template's name.
            message: its text.
            format: the message format it is for (not given: none).
            sender: the Sender ID it is for.
            auto_signature: True to use it for auto-signing (``fl[1]``).

        Raises:
            RequestValidationError: an empty name or text, one too long, or a bad option.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                check :meth:`list` first).
        """
        args = wire.TemplateArgs(
            name=check.name(name),
            message=check.template_text(message),
            format=_format(format),
            sender=None if sender is None else check.sender_name(sender),
            auto_signature=_flag(auto_signature, "auto_signature"),
        )
        return await self._client._request(self._specs.add, args, timeout)

    async def change(
        self,
        id: int,
        *,
        name: str | None = None,
        message: str | None = None,
        format: TemplateFormat | None = None,
        sender: str | None = None,
        auto_signature: bool | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change a template's name, text, format, Sender ID or auto-signing (those given)."""
        if all(v is None for v in (name, message, format, sender, auto_signature)):
            raise RequestValidationError(
                "give at least one of name, message, format, sender, auto_signature",
                field="name",
            )
        args = wire.TemplateArgs(
            id=check.record_id(id, "id"),
            name=None if name is None else check.name(name),
            message=None if message is None else check.template_text(message),
            format=_format(format),
            sender=None if sender is None else check.sender_name(sender),
            auto_signature=_flag(auto_signature, "auto_signature"),
        )
        await self._client._request(self._specs.change, args, timeout)

    async def delete(self, id: int, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Delete a template."""
        args = wire.TemplateArgs(id=check.record_id(id, "id"))
        await self._client._request(self._specs.delete, args, timeout)


def _kinds(value: object) -> frozenset[OperatorTemplateKind]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise RequestValidationError(
            "kinds must be a collection of OperatorTemplateKind", field="kinds"
        )
    found = set()
    for item in value:
        try:
            found.add(OperatorTemplateKind(item))
        except ValueError:
            allowed = ", ".join(kind.value for kind in OperatorTemplateKind)
            raise RequestValidationError(
                f"kinds: {item!r} is not one of {allowed}", field="kinds"
            ) from None
    if not found:
        raise RequestValidationError(
            "kinds: name at least one operator and kind of template", field="kinds"
        )
    return frozenset(found)


class OperatorTemplates:
    """Templates registered with the operators for a Sender ID (``op_templates.php``).

    The service documents two actions: register a text for a Sender ID with the operators
    and kinds chosen, and look one registration up by the same Sender ID and text. There is
    no documented list, change or delete, so none is offered.

    Example:
        ```python
        from smsc import OperatorTemplateKind as Kind

        await client.operator_templates.add(
            "MyShop", "Your code: %s", kinds={Kind.MTS_AUTHORIZATION, Kind.MEGAFON_AUTHORIZATION}
        )
        found = await client.operator_templates.get("MyShop", "Your code: %s")
        ```
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def add(
        self,
        sender: str,
        message: str,
        *,
        kinds: Iterable[OperatorTemplateKind],
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> int | None:
        """Register ``message`` for ``sender`` with the operators and kinds in ``kinds``.

        Returns the id the service gives, or None when its answer is a plain OK.

        Raises:
            RequestValidationError: a bad Sender ID or text, or no (or an unknown) kind.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                look it up with :meth:`get` first).
        """
        args = wire.OperatorTemplateArgs(
            sender=check.sender_name(sender),
            message=check.template_text(message),
            kinds=_kinds(kinds),
        )
        return await self._client._request(wire.OPERATOR_TEMPLATE_ADD, args, timeout)

    async def get(
        self, sender: str, message: str, *, timeout: TimeoutArg = NOT_GIVEN
    ) -> list[OperatorTemplate]:
        """The registrations of the template ``message`` of ``sender``, one per operator."""
        args = wire.OperatorTemplateArgs(
            sender=check.sender_name(sender), message=check.template_text(message)
        )
        return await self._client._request(wire.OPERATOR_TEMPLATE_GET, args, timeout)
