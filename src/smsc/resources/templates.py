"""``client.templates`` and ``client.operator_templates``: message templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base_client import NOT_GIVEN, TimeoutArg
from .._errors import RequestValidationError
from .._models.account import Template
from .._wire import templates as wire
from . import _checks as check

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["Templates"]


class Templates:
    """Message templates of one kind: list, add, change, delete.

    ``client.templates`` holds the account's own templates (``templates.php``);
    ``client.operator_templates`` the service/transactional texts registered with the
    operators (``op_templates.php``).

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
        """Every template of this kind."""
        return await self._client._request(self._specs.list, wire.TemplateArgs(), timeout)

    async def add(self, name: str, message: str, *, timeout: TimeoutArg = NOT_GIVEN) -> int:
        """Add a template and return its id.

        Raises:
            RequestValidationError: an empty name or text, or one too long.
            OutcomeUnknownError: no answer after the request may have arrived (not repeated:
                check :meth:`list` first).
        """
        args = wire.TemplateArgs(name=check.name(name), message=check.template_text(message))
        return await self._client._request(self._specs.add, args, timeout)

    async def change(
        self,
        id: int,
        *,
        name: str | None = None,
        message: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> None:
        """Change a template's name, text, or both."""
        if name is None and message is None:
            raise RequestValidationError("give a new name or message", field="name")
        args = wire.TemplateArgs(
            id=check.record_id(id, "id"),
            name=None if name is None else check.name(name),
            message=None if message is None else check.template_text(message),
        )
        await self._client._request(self._specs.change, args, timeout)

    async def delete(self, id: int, *, timeout: TimeoutArg = NOT_GIVEN) -> None:
        """Delete a template."""
        args = wire.TemplateArgs(id=check.record_id(id, "id"))
        await self._client._request(self._specs.delete, args, timeout)
