"""The emulator's load-realism settings and records: service time, requests in flight per login."""

from __future__ import annotations

from ._service import Service, ServiceTime, ServiceTimeArg

__all__ = ["ServiceLoad"]


class ServiceLoad:
    """What ``SMSCEmulator`` offers about load: how long requests take, how many overlapped."""

    _service: Service

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
