"""What every command handler receives, whichever front end (HTTP, SMTP) took the request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Request"]


@dataclass(frozen=True)
class Request:
    """One request to the emulated service, already decoded by its front end.

    Attributes:
        params: the request's parameters by name (values decoded in the request's charset).
        ip: the address the request came from (lock-out and allow-list rules read it).
        channel: ``"http"`` or ``"smtp"``: the way the request arrived.
        path: the path it was sent to (``"/sys/send.php"``); ``None`` when the command was
            named directly (:meth:`SMSCEmulator.handle`), then the route's own path is used.
    """

    params: Mapping[str, str] = field(repr=False)
    ip: str = "127.0.0.1"
    channel: str = "http"
    path: str | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        """The parameter ``name`` or ``default``."""
        return self.params.get(name, default)

    def flag(self, name: str) -> bool:
        """True when the parameter ``name`` is given and neither empty nor ``0``."""
        return (self.params.get(name) or "0") not in ("", "0")
