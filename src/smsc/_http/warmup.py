"""Opening connections ahead of the first call (:meth:`AsyncSMSCClient.warm_up`)."""

from __future__ import annotations

import asyncio
import logging

import httpx

__all__ = ["open_connections"]

log = logging.getLogger("smsc.transport")


async def open_connections(
    transport: httpx.AsyncBaseTransport, base_url: str, count: int, timeout: httpx.Timeout
) -> int:
    """Send ``count`` concurrent ``HEAD`` requests for ``base_url``'s root through ``transport``.

    Each one needs a connection of its own, so the pool opens ``count`` connections (TCP and
    TLS handshakes) and keeps them for the calls that follow. The requests carry no
    credentials and name no command; whatever the server answers (even 404) leaves a
    connection open. Failures are logged at DEBUG and not raised: the first real call then
    connects as it would have anyway, through the failover layer.

    Returns:
        How many requests got an answer (connections now open, or reused).
    """
    url = base_url.rstrip("/") + "/"
    extensions = {"timeout": timeout.as_dict()}

    async def one() -> bool:
        request = httpx.Request("HEAD", url, extensions=extensions)
        try:
            response = await transport.handle_async_request(request)
            await response.aread()  # hands the connection back to the pool
            await response.aclose()
        except httpx.TransportError as exc:
            log.debug("warm-up of %s failed: %s", url, type(exc).__name__)
            return False
        return True

    answered = await asyncio.gather(*(one() for _ in range(count)))
    return sum(answered)
