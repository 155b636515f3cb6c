"""The emulator on loopback sockets, run by an event loop in a background thread.

For synchronous code under test (``smsc.SMSCClient``, a Django view, a script): the test's
own thread blocks on its calls while the emulator answers them from another thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, TypeVar

from ._defaults import DEMO_API_KEY, DEMO_BALANCE, DEMO_LOGIN, DEMO_PASSWORD
from ._emulator import SMSCEmulator
from ._faults import Fault
from ._server import Site
from ._service import ServiceTime

__all__ = ["ThreadedEmulator"]

_T = TypeVar("_T")

_START_TIMEOUT = 30.0  # seconds; generous, the machine may be busy


class ThreadedEmulator:
    """An :class:`SMSCEmulator` (account ``demo``) served on ``sites`` free loopback ports.

    Use it as a context manager; it starts an event loop in a daemon thread and stops it on
    exit. Change the emulator through :meth:`call` (a function run on the loop's thread,
    between requests) and the sites' faults through :meth:`set_fault`.

    Example:
        ```python
        with ThreadedEmulator() as served, SMSCClient(
            login="demo", password="demo", host=served.url, allow_http=True
        ) as client:
            client.send("79991234567", "hi")
        ```
    """

    def __init__(self, *, sites: int = 1, service_time: ServiceTime | None = None) -> None:
        self._count = sites
        self._service_time = service_time
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="smsc-emulator", daemon=True
        )
        self._emulator: SMSCEmulator | None = None
        self._serving: AbstractAsyncContextManager[list[Site]] | None = None
        self._sites: list[Site] = []

    @property
    def emulator(self) -> SMSCEmulator:
        """The emulator (read it through :meth:`call` while requests may be running)."""
        if self._emulator is None:
            raise RuntimeError("the emulator is not running: use ThreadedEmulator as `with`")
        return self._emulator

    @property
    def sites(self) -> list[Site]:
        """The served sites, in the order of their ports."""
        return list(self._sites)

    @property
    def url(self) -> str:
        """The first site's base URL (``http://127.0.0.1:<port>``)."""
        return self._sites[0].url

    @property
    def urls(self) -> list[str]:
        """Every site's base URL."""
        return [site.url for site in self._sites]

    def run(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        """Run ``coroutine`` on the emulator's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(_START_TIMEOUT)

    def call(self, function: Callable[..., _T], *args: Any) -> _T:
        """Call ``function(*args)`` on the emulator's loop thread and return its result."""

        async def on_loop() -> _T:
            return function(*args)

        return self.run(on_loop())

    def set_fault(self, site: int, fault: Fault | str, *, times: int | None = None) -> None:
        """Make site number ``site`` (0: the first) show ``fault`` (see :class:`Fault`)."""
        self.run(self._sites[site].set_fault(fault, times=times))

    def clear_fault(self, site: int) -> None:
        """Site number ``site`` answers normally again."""
        self.run(self._sites[site].clear_fault())

    async def _start(self) -> None:
        emulator = SMSCEmulator(service_time=self._service_time)
        await emulator.__aenter__()
        self._emulator = emulator
        emulator.add_account(DEMO_LOGIN, DEMO_PASSWORD, api_key=DEMO_API_KEY, balance=DEMO_BALANCE)
        self._serving = emulator.serve(ports=[0] * self._count)
        self._sites = await self._serving.__aenter__()

    async def _stop(self) -> None:
        try:
            if self._serving is not None:
                await self._serving.__aexit__(None, None, None)
        finally:
            if self._emulator is not None:
                await self._emulator.aclose()

    def __enter__(self) -> ThreadedEmulator:
        self._thread.start()
        try:
            self.run(self._start())
        except BaseException:
            self._shut_down()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._shut_down()

    def _shut_down(self) -> None:
        try:
            if self._loop.is_running():
                self.run(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(_START_TIMEOUT)
            self._loop.close()
