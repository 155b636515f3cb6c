"""The transport under the failover layer: httpx's own, aiohttp's (the ``aiohttp`` extra) or
httpx2's (the ``httpx2`` extra)."""

from __future__ import annotations

from typing import Literal

import httpx

from .._errors import ConfigurationError
from .pool import POOL_HEADROOM, pooled_transport

__all__ = ["HTTPBackend", "inner_transport"]

HTTPBackend = Literal["httpx", "aiohttp", "httpx2"]
"""Which library carries the SDK's requests (see the Performance guide)."""


def inner_transport(backend: str, max_concurrency: int) -> httpx.AsyncBaseTransport:
    """The I/O transport of ``backend`` for a client capping its requests at ``max_concurrency``.

    Every pool holds up to ``max_concurrency + POOL_HEADROOM`` connections, so calls queue at
    the client's cap, not in the pool (see :func:`smsc._http.pool.pooled_transport`).

    Raises:
        ConfigurationError: an unknown backend, or one whose library is not installed.
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
    if backend == "httpx2":
        try:
            from .httpx2_transport import Httpx2Transport
        except ImportError:
            raise ConfigurationError(
                'http_backend="httpx2" needs httpx2: pip install "smsc-async[httpx2]"'
            ) from None
        return Httpx2Transport(max_connections=max_concurrency + POOL_HEADROOM)
    raise ConfigurationError(
        f'http_backend must be "httpx", "aiohttp" or "httpx2", not {backend!r}'
    )
