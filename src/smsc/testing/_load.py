"""The emulator's load-realism settings and records: service time, requests in flight per login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._callbacks import CallbackDispatcher
from ._service import Service, ServiceTime, ServiceTimeArg
from ._stats import snapshot

__all__ = ["ServiceLoad", "figures_of"]


class ServiceLoad:
    """What ``SMSCEmulator`` offers about load: how long requests take, how many overlapped."""

    _service: Service
    callbacks: CallbackDispatcher

    @property
    def service_time(self) -> ServiceTime | None:
        """Real time each request takes (:class:`ServiceTime`; ``None``: answer at once)."""
        return self._service.service_time

    @service_time.setter
    def service_time(self, value: ServiceTimeArg) -> None:
        self._service.service_time = ServiceTime.of(value)

    def peak_in_flight_for(self, login: str) -> int:
        """Most simultaneous requests of ``login`` so far (error-9 refused ones included)."""
        return self._service.peak_by_login.get(login, 0)

    def concurrency_refusals(self, login: str) -> int:
        """Requests of ``login`` refused with error 9 for one too many in flight."""
        return self._service.refusals.get(login, 0)

    def stats(self) -> dict[str, Any]:
        """What the emulator saw, JSON-ready: requests per command and login, error 9s by
        cause, peak requests in flight (in all and per login), ids sent more than once, and
        callbacks delivered and failing. Also served at ``GET /emulator/stats``."""
        return figures_of(self._service, self.callbacks)()


def figures_of(service: Service, callbacks: CallbackDispatcher) -> Callable[[], dict[str, Any]]:
    """The statistics of ``service`` and ``callbacks``, read each time it is called (for the
    web app: a plain callable, no way back into the emulator)."""
    return lambda: snapshot(
        service.stats, service.peak_by_login, service.peak_in_flight, callbacks.deliveries
    )
