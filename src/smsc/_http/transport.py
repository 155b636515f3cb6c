"""Failover transport: sites, sticky health and a retry policy that never repeats a send.

:class:`FailoverTransport` is an :class:`httpx.AsyncBaseTransport` that wraps the real one, so
users' own httpx settings, proxies and respx mocks keep working. It sends each request to one
site of an ordered list (the primary first, then its mirrors) and decides, per request, whether
a failed attempt may be repeated, from the yes/no mark the request carries (it knows no
command names):

* a request marked ``smsc_may_repeat=True`` (a query: status, balance, cost) is retried after
  connect errors, timeouts, 5xx answers and empty, truncated or malformed bodies, with capped
  and jittered exponential back-off, inside the call's deadline.
* any other request (a send, or one that carries no mark) is repeated only when it provably
  never left the machine: the connection could not be made (refused, DNS, TLS handshake,
  connect timeout) or no pooled connection became free. After anything else the failure is
  handed back unchanged and the client reports an unknown outcome.

The transport never parses API error codes: a well-formed answer is returned as it is, so
errors 4 and 9 reach the client once and are never hammered.

It has two ways in over one policy (:class:`smsc._http.failover.Failover`): the httpx interface,
``handle_async_request``, and :meth:`FailoverTransport.send_bytes`, which builds no httpx
objects and which the SDK's own calls take when the wrapped transport offers ``exchange()``
(the aiohttp backend).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import httpx

from .._secrets import FormBody
from .attempts import BACKSTOP_GRACE, BodyWatch, Got, Outcome, aim, replayable, within
from .body import bounded, read_bounded, reading_limit
from .failover import BytesTransport, CallPolicy, Failover, FailoverOptions, Timeouts, bytes_path_of
from .pool import pooled_transport
from .sites import FailoverEvent, Site, SiteStats, Wait

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._config import SMSCConfig

__all__ = [
    "BytesTransport",
    "FailoverEvent",
    "FailoverTransport",
    "SiteStats",
    "build_transport",
]

_NO_SITE = "no site available: all failed recently and are being re-tested"
_NO_TIME = "the call's deadline passed before any site could be tried"


class FailoverTransport(Failover, httpx.AsyncBaseTransport):
    """Send each request to the first healthy site; repeat only what is safe to repeat.

    Args:
        inner: the transport that does the I/O (``httpx.AsyncHTTPTransport()``, a respx
            mock, ...). Closed by :meth:`aclose`.
        sites: base URLs in order of preference, e.g. ``["https://smsc.ru",
            "https://www2.smsc.ru"]``; ``sites[0]`` is the primary. A request's scheme, host
            and port (and the primary's path prefix) are replaced by the chosen site's.
        **options: keywords of :class:`~smsc._http.failover.FailoverOptions`:

            - ``max_retries`` (3): extra attempts for a request marked ``smsc_may_repeat``.
              Any other request makes at most ``1 + max_retries`` attempts too, each on a
              different site, and only after failures that prove it never left.
            - ``cooldown`` (30 s): seconds a failed site is skipped before one request probes
              it again.
            - ``backoff_base`` (0.25 s): delay before the first repeat of a full round of
              sites; ``backoff_cap`` (4 s): upper bound of any back-off delay.
            - ``on_event``: called with a :class:`FailoverEvent` for every attempt, failure,
              switch and recovery. Exceptions it raises are logged and ignored.
            - ``clock``: the monotonic clock of the cool-down (inject a fake one in tests);
              ``random``: returns a float in ``[0, 1)``, the jitter source; ``sleep``:
              awaited for back-off delays; ``deadline_clock``: the clock of
              ``smsc_deadline`` values (``time.monotonic``).

    Per-request options, passed as httpx request extensions (or all at once as a
    :class:`~smsc.CallPolicy` in ``smsc_policy``, which is what the SDK's own calls do):

    * ``smsc_may_repeat``: ``True`` when repeating the request after it may have reached the
      service does no harm (a query). Anything else, or nothing, is handled like a send:
      never repeated once it may have left.
    * ``smsc_operation``: the command's name, used only to label events and logs.
    * ``smsc_deadline``: absolute ``time.monotonic()`` time by which the call must end. No
      attempt starts after it; each attempt's timeouts are clamped to what is left.
    * ``smsc_body_check``: ``Callable[[bytes], bool]``, true for a well-formed answer.
      Without it only an empty body counts as bad.
    * ``smsc_max_retries``: this request's ``max_retries`` (a whole number, 0 or more)
      instead of the transport's.

    The answering site is named in ``response.extensions["smsc_site"]``.

    Raises:
        ConfigurationError: no sites, or a site that is not an http(s) base URL.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        sites: Sequence[str],
        **options: Unpack[FailoverOptions],
    ) -> None:
        super().__init__(sites, **options)
        self._inner = inner
        # unasync: async-only
        # Checked once: a runtime protocol check costs more than the rest of the layer.
        self._bytes_inner = bytes_path_of(inner)
        # Whether the inner transport reads the request body only once connected, so that a
        # body not yet taken proves the request never left.
        self._body_after_connect = isinstance(inner, httpx.AsyncHTTPTransport) or (
            getattr(inner, "smsc_body_after_connect", False) is True
        )

    @property
    def has_bytes_path(self) -> bool:
        """Whether :meth:`send_bytes` can be used: the wrapped transport offers ``exchange``."""
        return self._bytes_inner is not None
        # unasync: end

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()

    # ------------------------------------------------------------------ the ways in

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to a healthy site, repeating it only where that is safe."""
        got = await self._run_request(request)
        assert got.response is not None
        return got.response

    async def send_request(self, request: httpx.Request) -> tuple[int, bytes]:
        """As :meth:`handle_async_request`, for the SDK's own pipeline on httpx.

        Returns:
            The status code and the body without its content coding, decoded once (while the
            answer was judged) and within the answer size bound.
        """
        return _status_and_body(await self._run_request(request))

    async def _run_request(self, request: httpx.Request) -> Got:
        extensions = request.extensions
        policy = CallPolicy.of_extensions(extensions)
        if not isinstance(request.stream, httpx.ByteStream):
            # A streamed body must be replayable on another site. A ByteStream is already
            # (the SDK's carries the credentials and must not be copied into request.content).
            await request.aread()
        body = request.stream
        primary = self._sites[0].prefix

        async def send(site: Site, timeouts: Timeouts, remaining: float | None) -> Got:
            # The caller's own request is reused for the site it names: its extensions and
            # stream are the attempt's until the attempt ends, then the caller's again.
            watch = BodyWatch(replayable(body))
            sub = aim(request, extensions, timeouts, site, primary, watch)
            try:
                # unasync: async-only
                if remaining is None:
                    response, raw = await self._send_and_read(sub, request)
                else:
                    # Each phase's own timeout is clamped to the deadline (see clamp) and
                    # names the phase that ran out; this backstop, a moment later, bounds
                    # phases that add up to more. Only httpx's own transport, and those that
                    # declare it (smsc_body_after_connect), are known to take the body after
                    # connecting: with any other, assume it may have left.
                    try:
                        response, raw = await within(
                            max(remaining, 0.0) + BACKSTOP_GRACE, self._send_and_read(sub, request)
                        )
                    except asyncio.TimeoutError:
                        left = watch.taken or not self._body_after_connect
                        kind = httpx.ReadTimeout if left else httpx.ConnectTimeout
                        raise kind("the call's deadline passed", request=request) from None
                # unasync: end
                # unasync: sync-only
                # # A blocking call cannot be cut short from outside: the phases' own
                # # timeouts, clamped to the deadline (see clamp), are its only bound.
                # response, raw = self._send_and_read(sub, request)
                # unasync: end
            finally:
                request.extensions = extensions
                request.stream = body
            response.extensions["smsc_site"] = site.label
            return Got(
                response.status_code, response.headers.get("Content-Encoding"), raw, response
            )

        outcome = await self._run(send, extensions.get("timeout") or {}, policy)
        return _settled(outcome, request)

    # unasync: async-only
    async def send_bytes(
        self,
        path: str,
        headers: Sequence[tuple[str, str]],
        body: FormBody,
        timeouts: Timeouts,
        policy: CallPolicy,
    ) -> tuple[int, bytes]:
        """POST ``body`` to ``path`` of a healthy site through a :class:`BytesTransport`.

        The same sites, health, retry policy and never-send-twice rule as
        :meth:`handle_async_request`, without building an ``httpx`` request or response: the
        SDK's own pipeline uses it when the wrapped transport offers ``exchange`` (the aiohttp
        backend). ``policy`` holds the call's options (what the extensions say on the other way).

        Returns:
            The status code and the body, without its content coding.

        Raises:
            httpx.TransportError: as :meth:`handle_async_request`; httpx.DecodingError: the
                body's content coding could not be undone.
            TypeError: the wrapped transport is not a :class:`BytesTransport`.
        """
        inner = self._bytes_inner
        if inner is None:
            raise TypeError("the wrapped transport has no bytes path (exchange)")

        async def send(site: Site, timeouts: Timeouts, remaining: float | None) -> Got:
            url = site.urls.get(path)
            if url is None:
                url = site.urls[path] = site.base + path
            # The backstop of the deadline is the transport's own total timeout.
            total = None if remaining is None else max(remaining, 0.0) + BACKSTOP_GRACE
            status, encoding, raw = await inner.exchange(url, headers, body, timeouts, total)
            return Got(status, encoding, raw)

        outcome = await self._run(send, timeouts, policy)
        return _status_and_body(_settled(outcome, None))

    # unasync: end

    async def _send_and_read(
        self, sub: httpx.Request, original: httpx.Request
    ) -> tuple[httpx.Response, bytes]:
        """Send ``sub`` and read the whole body, so that a bad body is seen here."""
        response = await self._inner.handle_async_request(sub)
        headers = response.headers
        # Within what the command's answer may hold (32 MiB when the request says nothing).
        limit = reading_limit(CallPolicy.of_extensions(original.extensions).body_check)
        try:
            # Some transports (httpx.MockTransport) hand back a response already read and
            # decoded: pass the decoded body on without its content coding.
            raw = bounded(response.content, limit)
            headers = headers.copy()
            headers.pop("Content-Encoding", None)
            headers["Content-Length"] = str(len(raw))
        except httpx.ResponseNotRead:
            stream = response.stream
            if isinstance(stream, httpx.ByteStream):
                # Already in memory (the aiohttp transport reads answers whole, within the
                # bound): no I/O here.
                raw = bounded(b"".join(stream), limit)
            elif not isinstance(stream, httpx.AsyncByteStream):
                raise httpx.StreamError("the wrapped transport returned a sync stream") from None
            else:
                try:
                    raw = await read_bounded(stream, limit)
                finally:
                    await stream.aclose()  # hands the connection back (or drops it if unread)
                # The same response, unread, with the body held in memory: the caller's
                # client reads (and decodes) it as usual, and times and closes it as usual.
                response.stream = httpx.ByteStream(raw)
            return response, raw
        fresh = httpx.Response(
            response.status_code,
            headers=headers,
            stream=httpx.ByteStream(raw),
            extensions=dict(response.extensions),
            request=original,
        )
        return fresh, raw


def _settled(outcome: Outcome | Wait, request: httpx.Request | None) -> Got:
    """The answer the call ended with, or the error it ended in."""
    if outcome is Wait.NO_SITE:
        raise httpx.ConnectError(_NO_SITE, request=request)
    if outcome is Wait.DEADLINE:
        raise httpx.ConnectTimeout(_NO_TIME, request=request)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.got is not None
    return outcome.got


def _status_and_body(got: Got) -> tuple[int, bytes]:
    if got.body is None:  # the content coding could not be undone, or the answer is too large
        raise got.error or httpx.DecodingError("the answer could not be decoded")
    return got.code, got.body


def build_transport(
    config: SMSCConfig,
    inner: httpx.AsyncBaseTransport | None = None,
    on_event: Callable[[FailoverEvent], None] | None = None,
) -> FailoverTransport:
    """The SDK's transport for ``config``: failover over ``config.sites``.

    Args:
        config: supplies the sites, ``max_retries`` and ``mirror_cooldown``.
        inner: the transport doing the I/O; :func:`pooled_transport` when omitted.
        on_event: the :class:`FailoverEvent` hook.
    """
    return FailoverTransport(
        inner if inner is not None else pooled_transport(config.max_concurrency),
        config.sites,
        max_retries=config.max_retries,
        cooldown=config.mirror_cooldown,
        on_event=on_event,
    )
