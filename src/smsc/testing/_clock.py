"""The emulator's clock: manual by default, so tests decide when time passes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from .._errors import ConfigurationError

__all__ = ["DEFAULT_START", "EmulatorClock"]

DEFAULT_START = 1_704_103_200.0
"""2024-01-01 10:00:00 UTC (13:00 in Moscow): where a manual clock starts by default."""


class EmulatorClock:
    """The time every rule of the emulator reads: lifecycle delays, rate windows, lock-outs.

    A manual clock (the default) stands still until :meth:`advance` or :meth:`set` moves it,
    so tests never wait for wall time. With ``real_time=True`` it follows ``time.time()``
    (plus whatever :meth:`advance` added), which is what ``python -m smsc.testing`` uses.

    Args:
        start: Unix seconds or an aware ``datetime`` to start from (manual clock only);
            default :data:`DEFAULT_START`.
        real_time: follow the wall clock instead of standing still.

    Example:
        >>> clock = EmulatorClock(start=1000.0)
        >>> clock.advance(30)
        >>> clock.now()
        1030.0
    """

    def __init__(
        self, start: float | dt.datetime | None = None, *, real_time: bool = False
    ) -> None:
        self.real_time = real_time
        if real_time:
            if start is not None:
                raise ConfigurationError("a real-time clock cannot be given a start time")
            self._offset = 0.0
            self._now = 0.0
        else:
            self._offset = 0.0
            self._now = _seconds(start) if start is not None else DEFAULT_START
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        """The current time in Unix seconds."""
        if self.real_time:
            return time.time() + self._offset
        return self._now

    def datetime(self) -> dt.datetime:
        """The current time as an aware UTC ``datetime``."""
        return dt.datetime.fromtimestamp(self.now(), tz=dt.timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` and let the emulator catch up.

        Raises:
            ConfigurationError: ``seconds`` is negative (time never goes back).
        """
        if seconds < 0:
            raise ConfigurationError("the emulator clock cannot go backwards")
        if self.real_time:
            self._offset += seconds
        else:
            self._now += seconds
        self._notify()

    def set(self, when: float | dt.datetime) -> None:
        """Move a manual clock forward to ``when`` (Unix seconds or an aware ``datetime``).

        Raises:
            ConfigurationError: ``when`` is in the clock's past, or the clock is real-time.
        """
        if self.real_time:
            raise ConfigurationError("a real-time clock cannot be set; use advance()")
        target = _seconds(when)
        if target < self._now:
            raise ConfigurationError("the emulator clock cannot go backwards")
        self._now = target
        self._notify()

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every :meth:`advance` or :meth:`set`."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def __repr__(self) -> str:
        mode = "real-time" if self.real_time else "manual"
        return f"EmulatorClock({mode}, now={self.datetime().isoformat()})"


def _seconds(value: float | dt.datetime) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ConfigurationError("give the clock an aware datetime (with tzinfo)")
        return value.timestamp()
    return float(value)
