"""The transport the failover suites run on: httpx's own, then aiohttp's, then httpx2's.

A suite opts in with ``pytest.mark.usefixtures("http_backend")``: each of its tests then runs
once per backend, and builds its inner transport with :func:`new_inner` (or passes
:func:`current` to ``AsyncSMSCClient(http_backend=...)``).
"""

from __future__ import annotations

from typing import Any

import httpx

import smsc
from smsc._http.aiohttp_transport import AiohttpTransport
from smsc._http.backends import HTTPBackend
from smsc._http.httpx2_transport import Httpx2Transport

__all__ = ["BACKENDS", "current", "new_inner", "sdk_client", "use"]

BACKENDS: tuple[HTTPBackend, ...] = ("httpx", "aiohttp", "httpx2")

_current: list[HTTPBackend] = ["httpx"]


def use(backend: HTTPBackend) -> None:
    """Make ``backend`` the one :func:`new_inner` builds (set by the ``http_backend`` fixture)."""
    _current[0] = backend


def current() -> HTTPBackend:
    """The backend of the running test."""
    return _current[0]


def new_inner(max_connections: int = 100) -> httpx.AsyncBaseTransport:
    """A plain transport of the running test's backend whose pool holds ``max_connections``
    (httpx's default size unless given)."""
    if _current[0] == "aiohttp":
        return AiohttpTransport(max_connections=max_connections)
    if _current[0] == "httpx2":
        return Httpx2Transport(max_connections=max_connections)
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=max_connections))


def sdk_client(primary: str, *mirrors: str, **options: Any) -> smsc.AsyncSMSCClient:
    """A client of the test account on loopback sites, on the running test's backend."""
    return smsc.AsyncSMSCClient(
        login="alice",
        password="s3cret-password",
        host=primary,
        mirrors=mirrors,
        allow_http=True,
        http_backend=current(),
        **options,
    )
