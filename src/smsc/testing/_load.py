"""The emulator's settings of the request path: load realism (service time, requests in flight
per login) and strict mode (see :mod:`._strict`)."""

from __future__ import annotations

from ._service import Service, ServiceTime, ServiceTimeArg
from ._strict import Refusal

__all__ = ["ServiceLoad", "StrictSettings"]


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


class StrictSettings:
    """What ``SMSCEmulator`` offers about strict mode (on by default)."""

    _service: Service

    @property
    def strict(self) -> bool:
        """Whether HTTP requests are held to the conformance corpus (``docs/conformance.md``)."""
        return self._service.strict

    @strict.setter
    def strict(self, value: bool) -> None:
        self._service.strict = value

    @property
    def strict_refusals(self) -> list[Refusal]:
        """Why strict mode answered requests error 1 (the last 100), for a failing test's
        message: ``[str(refusal) for refusal in emulator.strict_refusals]``."""
        return self._service.strict_refusals
