"""What each ``CommandSpec`` of ``smsc._wire.COMMANDS`` can put on the wire.

A spec's ``encode`` is a plain function of its checked arguments, so the fields it can write
are found by driving it: every argument field set (the "maximal" arguments), then one
variant per value of each enum or boolean field (a flag such as ``per_number`` switches
``err`` to ``op``; a message format switches ``flash`` to ``viber``). The arguments are built
from the argument class's type hints, so a field added to an argument class is exercised
without editing this module; a command whose argument class is not known here fails the
conformance test by name.

``extra`` (the caller's pass-through of ``send``) stays empty: what a caller adds there is the
caller's choice, documented as such, not a field of the SDK.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from smsc._hidden import HiddenText
from smsc._models.messages import SendRequest
from smsc._wire import COMMANDS, CommandSpec
from smsc._wire.bulk import ListSend
from smsc._wire.commands import StatusQuery
from smsc._wire.jobs import JobCreate

__all__ = ["ARGUMENT_KINDS", "argument_variants", "encodable_fields", "encoded_forms"]

_PHONE = "79990000001"


def _sample(hint: Any, name: str) -> Any:
    """One representative value of a type hint (``None`` never, for a maximal argument)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _sample(options[0], name)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(inner) or inner is tuple or typing.get_origin(inner):
            return (_sample(inner, name),)
        return (_sample(inner, name),)
    if origin in (typing.Literal,):
        return typing.get_args(hint)[0]
    if origin is frozenset:
        inner = typing.get_args(hint)[0]
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            return frozenset(inner)  # every member: each one's flag goes on the wire
        return frozenset({_sample(inner, name)})
    if origin is not None and issubclass(origin, Mapping):
        return {}
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return next(iter(hint))
        if hint is bool:
            return True
        if hint is int:
            return 7
        if hint is float:
            return 2.5
        if hint is Decimal:
            return Decimal("12.50")
        if hint is str:
            return _PHONE if "phone" in name else f"sample-{name}"
        if hint is HiddenText:
            return HiddenText("Sample-Passw0rd")
        if hint is datetime:
            return datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
        if hint is date:
            return date(2030, 1, 2)
        if hint is timedelta:
            return timedelta(hours=2)
        if dataclasses.is_dataclass(hint):
            return _maximal(hint)
    raise TypeError(f"no sample for field {name!r} of type {hint!r}")


def _field_values() -> dict[tuple[str, str], tuple[Any, ...]]:
    """Fields the SDK takes from a closed set it names itself (checked by the resource before
    any request): every one of those values is driven, not a made-up sample."""
    from smsc._wire.reports import HISTORY_TYPES
    from smsc._wire.templates import TEMPLATE_FORMATS

    return {
        ("TemplateArgs", "format"): tuple(sorted(TEMPLATE_FORMATS)),
        ("HistoryQuery", "type"): tuple(int(kind) for kind in sorted(HISTORY_TYPES)),
    }


_FIELD_VALUES = _field_values()


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _maximal(cls: type, **fixed: Any) -> Any:
    values = {}
    for item in dataclasses.fields(cls):
        if item.name in fixed:
            values[item.name] = fixed[item.name]
        elif (cls.__name__, item.name) in _FIELD_VALUES:
            values[item.name] = _FIELD_VALUES[cls.__name__, item.name][0]
        elif item.name == "extra":
            continue
        else:
            values[item.name] = _sample(_hints(cls)[item.name], item.name)
    return cls(**values)


def _switches(hint: Any) -> list[Any]:
    """Every value of an enum or boolean field (the values that can change which keys go)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(hint):
            found.extend(_switches(arg))
        return found
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)
    if typing.get_origin(hint) is frozenset:
        inner = typing.get_args(hint)[0]
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            return [frozenset()] + [frozenset({member}) for member in inner]
    if hint is bool:
        return [True, False]
    return []


def _variants(cls: type, **fixed: Any) -> Iterator[Any]:
    base = _maximal(cls, **fixed)
    yield base
    hints = _hints(cls)
    for item in dataclasses.fields(cls):
        if item.name in fixed:
            continue
        for value in _switches(hints[item.name]):
            yield dataclasses.replace(base, **{item.name: value})
        for value in _FIELD_VALUES.get((cls.__name__, item.name), ())[1:]:
            yield dataclasses.replace(base, **{item.name: value})


def _sends() -> Iterator[SendRequest]:
    yield from _variants(SendRequest, phones=(_PHONE,), message="text")


def _lists() -> Iterator[ListSend]:
    yield from _variants(ListSend, id="batch-1", lines=((_PHONE, "text"),))


def _jobs() -> Iterator[JobCreate]:
    for send in _sends():
        for with_cost in (False, True):  # one encoder for job_create and job_create_with_cost
            yield JobCreate(name="mailing", send=send, with_cost=with_cost)


def _status() -> Iterator[StatusQuery]:
    yield from _variants(StatusQuery, messages=((7, _PHONE),))


def _dataclass_of(name: str) -> Callable[[], Iterator[Any]]:
    def build() -> Iterator[Any]:
        yield from _variants(_ARGUMENT_CLASSES[name]())

    return build


def _argument_classes() -> dict[str, Callable[[], type]]:
    from smsc._wire.notify import Notification
    from smsc._wire.phones import ContactArgs
    from smsc._wire.receive_phones import ReceivePhoneArgs
    from smsc._wire.reports import HistoryQuery, IncomingQuery, OperatorQuery, StatisticsQuery
    from smsc._wire.senders import SenderArgs
    from smsc._wire.templates import OperatorTemplateArgs, TemplateArgs
    from smsc._wire.users import SubClientArgs

    return {
        "senders.": lambda: SenderArgs,
        "contacts.": lambda: ContactArgs,
        "templates.": lambda: TemplateArgs,
        "operator_templates.": lambda: OperatorTemplateArgs,
        "users.": lambda: SubClientArgs,
        "history": lambda: HistoryQuery,
        "incoming": lambda: IncomingQuery,
        "statistics": lambda: StatisticsQuery,
        "operator": lambda: OperatorQuery,
        "numbers.": lambda: ReceivePhoneArgs,
        "notify": lambda: Notification,
    }


_ARGUMENT_CLASSES = _argument_classes()


def _nothing() -> Iterator[None]:
    yield None


def _job_id() -> Iterator[int]:
    yield 42


def _message_key() -> Iterator[tuple[int, str]]:
    yield (7, _PHONE)


ARGUMENT_KINDS: Mapping[str, Callable[[], Iterator[Any]]] = {
    "send": _sends,
    "cost": _sends,
    "send_list": _lists,
    "status": _status,
    "balance": _nothing,
    "delete": _message_key,
    "prices": _nothing,
    "job_create": _jobs,
    "job_create_with_cost": _jobs,
    "job_info": _job_id,
    "job_list": _nothing,
    "job_cancel": _job_id,
    "job_delete": _job_id,
}
"""Argument builders by exact command name; see :func:`argument_variants` for the rest."""


def argument_variants(name: str) -> Iterator[Any]:
    """Representative arguments of command ``name``; KeyError for a command unknown here."""
    if name in ARGUMENT_KINDS:
        yield from ARGUMENT_KINDS[name]()
        return
    for prefix in sorted(_ARGUMENT_CLASSES, key=len, reverse=True):
        if name == prefix or (prefix.endswith(".") and name.startswith(prefix)):
            yield from _dataclass_of(prefix)()
            return
    raise KeyError(name)


def encoded_forms(spec: CommandSpec[Any, Any]) -> list[dict[str, str]]:
    """The forms ``spec`` writes for each representative argument."""
    return [spec.encode(args) for args in argument_variants(spec.name)]


def encodable_fields(name: str) -> frozenset[str]:
    """Every field the spec of command ``name`` can write (its own fields, not the pipeline's
    credentials, ``fmt`` and ``charset``)."""
    spec = COMMANDS[name]
    return frozenset(key for form in encoded_forms(spec) for key in form)
