"""The event classes: frozen, with their dataclass signature, after their quick __init__."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import smsc.events
from smsc.events import Event, RequestAnswered

KINDS = [
    kind
    for kind in vars(smsc.events).values()
    if isinstance(kind, type) and issubclass(kind, Event) and kind is not Event
]


def test_there_are_eleven_event_kinds() -> None:
    assert len(KINDS) == 11


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_every_event_is_frozen_and_keeps_its_defaults(kind: type[Event]) -> None:
    event = kind(7, "send")
    fields = dataclasses.fields(event)
    assert [field.name for field in fields][:2] == ["call_id", "command"]
    for field in fields[2:]:
        assert getattr(event, field.name) == field.default
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.command = "status"  # type: ignore[misc]
    assert event == kind(7, "send")
    assert hash(event) == hash(kind(7, "send"))
    assert list(inspect.signature(kind).parameters) == [field.name for field in fields]


def test_keywords_and_positions_fill_the_same_fields() -> None:
    by_name = RequestAnswered(1, "send", site="https://smsc.ru", attempts=2, segments=3)
    by_position = RequestAnswered(1, "send", "https://smsc.ru", 2, 0.0, 3)
    assert by_name == by_position
    assert by_name.segments == 3
    with pytest.raises(TypeError):
        RequestAnswered(1)  # type: ignore[call-arg]
