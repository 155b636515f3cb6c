"""Faults a site can be told to show: the failures an SDK's transport layer must survive."""

from __future__ import annotations

import enum

from .._errors import ConfigurationError

__all__ = ["GARBAGE_BODY", "Fault", "FaultSwitch"]

GARBAGE_BODY = b"<html><body>\x00\xff\xfe 502 Bad Gateway \x8f</body></html>"
"""What :attr:`Fault.GARBAGE` answers: no format of the service can parse it."""


class Fault(str, enum.Enum):
    """A failure mode of a site."""

    REFUSE = "refuse"
    """Nothing listens on the port: connections are refused (sockets only)."""
    HANG = "hang"
    """The request is read and never answered (until the client gives up)."""
    HTTP_500 = "http_500"
    """HTTP 500 with a short HTML body."""
    GARBAGE = "garbage"
    """HTTP 200 with a body that is not an answer of the service."""
    EMPTY = "empty"
    """HTTP 200 with an empty body."""
    CLOSE_MID_ANSWER = "close_mid_answer"
    """Headers and half of the real answer, then the connection is closed (sockets only)."""


class FaultSwitch:
    """The fault a site shows now: on until cleared, or for the next ``times`` requests."""

    def __init__(self, allowed: frozenset[Fault] | None = None) -> None:
        self._allowed = allowed
        self.fault: Fault | None = None
        self.remaining: int | None = None

    def set(self, fault: Fault | str, times: int | None = None) -> Fault:
        """Show ``fault`` from now on, or only for the next ``times`` requests."""
        try:
            chosen = Fault(fault)
        except ValueError:
            raise ConfigurationError(f"unknown fault {fault!r}") from None
        if self._allowed is not None and chosen not in self._allowed:
            raise ConfigurationError(f"fault {chosen.value!r} needs a socket site")
        if times is not None and times < 1:
            raise ConfigurationError("times must be at least 1")
        self.fault = chosen
        self.remaining = times
        return chosen

    def clear(self) -> None:
        """Answer normally again."""
        self.fault = None
        self.remaining = None

    def take(self) -> Fault | None:
        """The fault for the request arriving now (counts down a limited fault)."""
        fault = self.fault
        if fault is not None and self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.clear()
        return fault
