"""What the failover transport knows of its sites and reports about them.

The sites with their health and the events and counters handed to callers. What one attempt
produced and how a good answer is told from a bad one is :mod:`smsc._http.attempts`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from .._errors import ConfigurationError

__all__ = ["EventKind", "FailoverEvent", "Health", "Site", "SiteStats", "Wait"]

EventKind = Literal["attempt", "failure", "switch", "recovered"]


@dataclass(frozen=True)
class FailoverEvent:
    """One thing the failover transport did, as passed to the ``on_event`` hook.

    Attributes:
        site: the site concerned, ``scheme://host[:port]`` only (never a path or query).
        operation: the command's name as the request gives it in ``smsc_operation``
            (``"send"``, ``"status"``...), or ``"request"`` when it names none.
        kind: ``"attempt"`` (a request is sent to ``site``), ``"failure"`` (that attempt
            failed), ``"switch"`` (the call moves to ``site`` after a failure elsewhere) or
            ``"recovered"`` (a site that had failed answered well again).
        reason: why: the failure, ``"probe"`` for an attempt that tests a site's health, or
            an empty string.
    """

    site: str
    operation: str
    kind: EventKind
    reason: str = ""


@dataclass(frozen=True)
class SiteStats:
    """Counters of one site: attempts sent to it and attempts that failed."""

    requests: int
    failures: int


class Health(enum.Enum):
    UNKNOWN = "unknown"  # never tried: the first request probes it, the others wait
    UP = "up"  # answered well last time
    DOWN = "down"  # failed; skipped until its cool-down ends, then probed


class Wait(enum.Enum):
    """Why no site was chosen for an attempt."""

    DEADLINE = "deadline"  # the call's deadline passed while waiting for a probe's verdict
    NO_SITE = "no site"  # every site is cooling down and already being re-tested


class Site:
    """One base URL and what the transport knows about its health."""

    def __init__(self, base_url: str) -> None:
        try:
            url = httpx.URL(base_url.strip())
        except httpx.InvalidURL:
            raise ConfigurationError("not a usable site URL") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"not a usable site URL: {url.scheme}://{url.host}")
        if url.userinfo:
            raise ConfigurationError("credentials must not be put in a site URL")
        self.scheme = url.scheme
        self.host = url.host
        self.port = url.port
        self.prefix = url.path.rstrip("/")
        port = f":{url.port}" if url.port is not None else ""
        self.label = f"{url.scheme}://{url.host}{port}"
        self.base = self.label + self.prefix
        self.urls: dict[str, str] = {}  # path -> this site's URL for it (the bytes path)
        self.health = Health.UNKNOWN
        self.down_until = 0.0
        # Set while one request tests the site: an asyncio.Event on the async face, a
        # threading.Event on the generated sync one (smsc._sync), hence Any.
        self.probe: Any = None
        self.requests = 0
        self.failures = 0
