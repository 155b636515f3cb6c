"""Replay defences for callbacks: a freshness window on ``ts`` and a duplicate-check seam.

The signature of a callback covers only ``id:phone:status`` and carries no nonce, so a genuine
callback can be sent again by anyone who saw it. Two checks narrow that down (see
``docs/callbacks.md``, "Limits of the signature"): a callback whose time is far from now is
refused (:class:`StaleCallbackError`), and a store the caller supplies remembers the signed key
of every callback already accepted (:class:`DuplicateCallbackError`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta, timezone
from typing import Protocol, runtime_checkable

from .._errors import (
    ConfigurationError,
    DuplicateCallbackError,
    StaleCallbackError,
)

__all__ = [
    "CallbackDeduplicator",
    "DuplicateCallbackError",
    "MemoryDeduplicator",
    "StaleCallbackError",
    "check_fresh",
    "utc_now",
]


def utc_now() -> datetime:
    """The default clock of the freshness check: the current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def check_fresh(
    moment: datetime | None, *, max_age: timedelta, clock: Callable[[], datetime]
) -> None:
    """Refuse a callback whose time is missing or more than ``max_age`` away from ``clock()``.

    The window is symmetric: a time in the future beyond ``max_age`` is refused too (clock
    skew between the service and you must fit inside it).
    """
    if moment is None:
        raise StaleCallbackError("callback carries no time ('ts' or 'time') to check its age")
    now = clock()
    if now.tzinfo is None:
        raise ConfigurationError("the callback clock must return an aware datetime")
    if abs(now - moment) > max_age:
        raise StaleCallbackError(f"callback time is more than {max_age} away from now")


def check_max_age(max_age: timedelta | None) -> None:
    """Refuse a ``max_age`` that cannot bound anything."""
    if max_age is not None and (not isinstance(max_age, timedelta) or max_age <= timedelta(0)):
        raise ConfigurationError("max_age must be a positive timedelta")


@runtime_checkable
class CallbackDeduplicator(Protocol):
    """Where accepted callbacks are remembered, to refuse the same one twice.

    Implement it over your database or cache (a unique key, ``SET NX`` with an expiry, ...).
    ``key`` is ``callback.dedup_key``: built from signed fields only, so a forged callback
    cannot fill the store with keys of its choosing.
    """

    async def first_seen(self, key: Hashable) -> bool:
        """Record ``key``; return True when it was not recorded before, False otherwise.

        Must be atomic: of two concurrent calls with one key, exactly one gets True.
        """
        ...


class MemoryDeduplicator:
    """An in-process :class:`CallbackDeduplicator` remembering the last ``max_entries`` keys.

    Good for one process and for tests; behind several workers, or across restarts, use a
    shared store. The oldest key is forgotten first, so memory stays bounded.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationError("max_entries must be a positive int")
        self._max_entries = max_entries
        self._seen: OrderedDict[Hashable, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    async def first_seen(self, key: Hashable) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self._max_entries:
            self._seen.popitem(last=False)
        return True
