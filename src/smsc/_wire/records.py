"""Shared pieces of the account-data commands (``senders.php``, ``phones.php``,
``templates.php``, ``op_templates.php``, ``users.php``): their actions, forms and answers.

Each of these paths takes one action flag (``get=1``, ``add=1``, ``chg=1``, ``del=1``...) and
answers one of three shapes in ``fmt=3``: a list of records, ``{"id": N}`` after an add, and
``{"result": "OK"}`` after a change or a deletion (protocol §11.2-§11.4, §11.7; the shapes are
[DOC] for contacts, [3P] for the rest: see the assumptions in ``docs/service-notes.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from .._errors import InvalidResponseError
from ._spec import CommandSpec, LimitKeys, no_limits
from .bounds import MAX_LIST_RECORDS
from .errors import ErrorTable
from .values import excerpt, integer, text

__all__ = [
    "action",
    "created_id",
    "day",
    "done",
    "extra_fields",
    "group_ids",
    "opt",
    "present",
    "record_id",
    "records",
    "required_text",
]

_MAX_GROUPS = 1_000

_T = TypeVar("_T")
_A = TypeVar("_A")


def records(data: Any, body: bytes, command: str) -> list[Mapping[str, Any]]:
    """The records of a list answer: a JSON array of objects (an empty one included), at
    most :data:`~smsc._wire.bounds.MAX_LIST_RECORDS` of them."""
    if not isinstance(data, list) or len(data) > MAX_LIST_RECORDS:
        raise InvalidResponseError(
            f"{command}: expected a list of records", body_excerpt=excerpt(body)
        )
    if not all(isinstance(item, dict) for item in data):
        raise InvalidResponseError(
            f"{command}: a record of the list is not an object", body_excerpt=excerpt(body)
        )
    return data


def extra_fields(record: Mapping[str, Any], known: Sequence[str]) -> dict[str, Any]:
    """The fields of ``record`` the SDK does not model, kept as they came."""
    return {key: value for key, value in record.items() if key not in known}


def required_text(record: Mapping[str, Any], keys: Sequence[str], command: str, body: bytes) -> str:
    """The first of ``keys`` present in ``record``, as text."""
    for key in keys:
        value = text(record.get(key))
        if value is not None:
            return value
    raise InvalidResponseError(
        f"{command}: field {keys[0]!r} missing from a record", body_excerpt=excerpt(body)
    )


def record_id(record: Mapping[str, Any], command: str, body: bytes) -> int | None:
    """A record's ``id``: ``None`` when absent, an error when unreadable."""
    value = record.get("id")
    if value is None or value == "":
        return None
    number = integer(value)
    if number is None:
        raise InvalidResponseError(f"{command}: unreadable record id", body_excerpt=excerpt(body))
    return number


def group_ids(value: Any, command: str, body: bytes) -> tuple[int, ...]:
    """A contact's groups: ids separated by ``,`` or ``;`` in a text, or a list of ids."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[Any] = value.replace(";", ",").split(",", _MAX_GROUPS)[:_MAX_GROUPS]
    elif isinstance(value, list):
        items = value[:_MAX_GROUPS]
    else:
        items = [value]
    groups = [integer(item.strip() if isinstance(item, str) else item) for item in items]
    if any(group is None for group in groups):
        raise InvalidResponseError(f"{command}: unreadable group ids", body_excerpt=excerpt(body))
    return tuple(group for group in groups if group is not None)


def created_id(data: Any, body: bytes, command: str) -> int:
    """The id of the record an add created: ``{"id": N}``."""
    number = integer(data.get("id")) if isinstance(data, dict) else None
    if number is None:
        raise InvalidResponseError(
            f"{command}: the answer holds no id of the new record", body_excerpt=excerpt(body)
        )
    return number


def done(data: Any, body: bytes, command: str) -> None:
    """Check the answer to a change or a deletion: ``{"result": "OK"}``."""
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, str) or result.strip().upper() != "OK":
        raise InvalidResponseError(f"{command}: expected the answer OK", body_excerpt=excerpt(body))


def day(value: date) -> str:
    """A day as the service reads it: ``dd.mm.yyyy``."""
    return value.strftime("%d.%m.%Y")


def action(
    name: str,
    path: str,
    flag: str,
    fields: Callable[[_A], dict[str, str]],
    decode: Callable[[Any, bytes, str], _T],
    *,
    may_repeat: bool,
    errors: ErrorTable,
    secrets: Callable[[_A], tuple[str, ...]] | None = None,
    limits: Callable[[_A], LimitKeys] = no_limits,
) -> CommandSpec[_A, _T]:
    """The spec of one action of an account-data path: ``flag=1`` plus the arguments' fields.

    The actions of one path share one argument model and one ``fields`` encoder (the fields
    an action does not use are ``None`` and left out); ``flag`` may carry its value
    (``"move_group=2"``).
    """
    key, _, value = flag.partition("=")
    flag_field = {key: value or "1"}

    def encode(args: _A) -> dict[str, str]:
        return {**flag_field, **fields(args)}

    def read(data: Any, body: bytes, _: _A) -> _T:
        return decode(data, body, name)

    return CommandSpec[_A, _T](
        name=name,
        path=path,
        may_repeat=may_repeat,
        errors=errors,
        encode=encode,
        decode=read,
        secrets=secrets,
        sends=False,
        limits=limits,
    )


def present(pairs: Mapping[str, str | None]) -> dict[str, str]:
    """The fields of ``pairs`` that have a value."""
    return {key: value for key, value in pairs.items() if value is not None}


def opt(value: object) -> str | None:
    """An optional argument as a field value (``None`` stays out of the form)."""
    return None if value is None else str(value)
