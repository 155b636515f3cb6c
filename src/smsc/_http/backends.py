"""The transport under the failover layer: httpx's own, or aiohttp's (the ``aiohttp`` extra)."""

from __future__ import annotations

from typing import Literal

import httpx

from .._errors import ConfigurationError
from .pool import POOL_HEADROOM, pooled_transport

__all__ = ["HTTPBackend", "inner_transport"]

HTTPBackend = Literal["httpx", "aiohttp"]
"""Which library carries the SDK's requests (see the Performance guide)."""


def inner_transport(backend: str, max_concurrency: int) -> httpx.AsyncBaseTransport:
    """The I/O transport of ``backend`` for a client capping its requests at ``max_concurrency``.

    Both pools hold up to ``max_concurrency + POOL_HEADROOM`` connections, so calls queue at
    the client's cap, not in the pool (see :func:`smsc._http.pool.pooled_transport`).

    Raises:
        ConfigurationError: an unknown backend, or ``"aiohttp"`` without aiohttp installed.
    """
    if backend == "httpx":
        return pooled_transport(max_concurrency)
    if backend == "aiohttp":
        try:
            from .aiohttp_transport import AiohttpTransport
        except ImportError:
            raise ConfigurationError(
                'http_backend="aiohttp" needs aiohttp: pip install "smsc-async[aiohttp]"'
            ) from None
        return AiohttpTransport(max_connections=max_concurrency + POOL_HEADROOM)
    raise ConfigurationError(f'http_backend must be "httpx" or "aiohttp", not {backend!r}')
