"""The one request path every front end goes through: authenticate, apply the concurrency
rule, let the route's handler answer.

Front ends (the ASGI app, the SMTP ingest) depend on :meth:`Service.handle` alone. This is
the single place that sees every request of every channel, so per-request accounting
(requests in flight, the concurrency limit, held responses) lives here.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ._answers import Answer, ErrorAnswer
from ._model import Account
from ._request import Request
from ._routes import ROUTES, Route
from ._state import ServiceState
from ._stats import CONCURRENCY, DUPLICATE_SEND, IDENTICAL_COST, SCRIPTED, ServiceStats
from ._strict import Refusal, StrictCheck

__all__ = ["MAX_REFUSALS_KEPT", "AnswerListener", "Service", "ServiceTime", "ServiceTimeArg"]

MAX_REFUSALS_KEPT = 100
"""How many strict-mode refusals :attr:`Service.strict_refusals` keeps."""

AnswerListener = Callable[[str], None]
"""Called with the command's name (``""`` for one not served) after each answer."""


@dataclass(frozen=True)
class ServiceTime:
    """How long the service takes to answer a request: ``low`` seconds, or a uniformly random
    time between ``low`` and ``high``.

    Real time (``asyncio.sleep``), unlike everything else of the emulator: it exists so that
    requests overlap at the emulator as they do at the real service, which on loopback would
    otherwise answer each one before the next arrives. Off (``None``) by default.
    """

    low: float
    high: float | None = None

    def __post_init__(self) -> None:
        if self.low < 0 or (self.high is not None and self.high < self.low):
            raise ValueError("a service time needs 0 <= low <= high")

    @classmethod
    def of(cls, value: ServiceTimeArg) -> ServiceTime | None:
        """A service time from seconds, ``(low, high)`` or ``None`` (off)."""
        if value is None or isinstance(value, ServiceTime):
            return value
        if isinstance(value, tuple):
            return cls(*value)
        return cls(value)

    def draw(self) -> float:
        """The time one request takes."""
        return self.low if self.high is None else random.uniform(self.low, self.high)


_sleep = asyncio.sleep  # the service time's real sleep (tests replace it with an event)

ServiceTimeArg = ServiceTime | float | tuple[float, float] | None
"""A service time, seconds, ``(low, high)`` seconds, or ``None`` (none)."""


class Service:
    """Answers requests against one :class:`~._state.ServiceState`.

    Attributes:
        in_flight: requests being handled right now (all logins).
        peak_in_flight: the highest :attr:`in_flight` seen so far.
        peak_by_login: per login, the most simultaneous requests seen, those refused with
            error 9 for concurrency included (what the service itself would count).
        refusals: per login, requests refused with error 9 for concurrency.
        stats: requests per command and login, error 9s by cause, ids sent more than once
            (:class:`~._stats.ServiceStats`).
        service_time: the real time each authenticated request takes (``None``: none).
        strict: hold HTTP requests to the conformance corpus (see :mod:`._strict`).
        strict_refusals: why strict mode answered requests error 1, oldest first (the last
            :data:`MAX_REFUSALS_KEPT`).
    """

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.in_flight = 0
        self.peak_in_flight = 0
        self._in_flight_by_login: dict[str, int] = defaultdict(int)
        self.peak_by_login: dict[str, int] = defaultdict(int)
        self.refusals: dict[str, int] = defaultdict(int)
        self.stats = ServiceStats()
        self.service_time: ServiceTime | None = None
        self._gate: asyncio.Event | None = None
        self._listeners: list[AnswerListener] = []
        self.strict = True
        self.strict_refusals: list[Refusal] = []
        self._strict_check = StrictCheck()

    def on_answer(self, listener: AnswerListener) -> None:
        """Call ``listener(command)`` after each request is answered, before it is sent."""
        self._listeners.append(listener)

    def pause(self) -> None:
        """Hold every request after authentication until :meth:`resume`."""
        if self._gate is None:
            self._gate = asyncio.Event()

    def resume(self) -> None:
        """Release the requests held by :meth:`pause`."""
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.set()

    def authenticate(self, request: Request) -> Account | ErrorAnswer:
        """The account a request authenticates as, or error 4 / error 2 (protocol §2, §5.6)."""
        guards = self.state.guards
        if guards.is_blocked(request.ip):
            return ErrorAnswer.of(4)
        account = self._find_account(request)
        if account is not None and account.allowed_ips and request.ip not in account.allowed_ips:
            account = None
        if account is None:
            exempt = self.state.is_allow_listed(request.ip)
            guards.auth_failed(request.ip, self.state.lockout, exempt=exempt)
            return ErrorAnswer.of(2)
        return account

    def _find_account(self, request: Request) -> Account | None:
        login = (request.get("login") or "").strip()
        psw = request.get("psw") or ""
        apikey = request.get("apikey") or ""
        if not login and not apikey and psw:
            apikey = psw
        accounts = self.state.accounts
        if login:
            account = accounts.get(login)
            if account is not None and psw and account.check_password(psw):
                return account
            return None
        if apikey:
            for account in accounts.values():
                if apikey in account.api_keys:
                    return account
        return None

    async def handle(self, route: Route | None, request: Request) -> Answer:
        """Answer ``request`` with ``route``'s handler; ``None``: a command not served here,
        answered error 1 once the credentials are checked."""
        answer = await self._answer(route, request)
        command = route.command if route is not None else ""
        for listener in self._listeners:
            listener(command)
        return answer

    async def _answer(self, route: Route | None, request: Request) -> Answer:
        state = self.state
        state.tick()
        auth = self.authenticate(request)
        command = route.command if route is not None else ""
        if isinstance(auth, ErrorAnswer):
            self.stats.requests[command, ""] += 1
            return auth
        account = auth
        login = account.login
        self.stats.requests[command, login] += 1
        limit = state.limits.max_concurrent
        arriving = self._in_flight_by_login[login] + 1
        self.peak_by_login[login] = max(self.peak_by_login[login], arriving)
        if limit is not None and arriving >= limit:
            self.refusals[login] += 1
            self.stats.busy[CONCURRENCY] += 1
            return ErrorAnswer(9, "too many concurrent requests")
        self._in_flight_by_login[login] = arriving
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self.service_time is not None:
                await _sleep(self.service_time.draw())
            if self._gate is not None:
                await self._gate.wait()
            state.tick()
            if route is None:
                return ErrorAnswer.of(1)
            taken = state.script.faults_taken
            answer = self._strictly(route, account, request)
            self._count(
                command, login, request, answer, scripted=taken != state.script.faults_taken
            )
            if route.counts_send_errors:
                exempt = state.is_allow_listed(request.ip)
                state.guards.record_send_result(request.ip, answer, state.lockout, exempt=exempt)
            return answer
        finally:
            self._in_flight_by_login[login] -= 1
            self.in_flight -= 1

    def _count(
        self, command: str, login: str, request: Request, answer: Answer, *, scripted: bool
    ) -> None:
        """The statistics of one answered command: an error 9's cause, a repeated id."""
        stats = self.stats
        pricing = command == "send" and request.get("cost") == "1"
        if isinstance(answer, ErrorAnswer) and answer.code == 9:
            if command != "send":
                cause = f"rate: {command}"
            elif scripted:
                cause = SCRIPTED
            else:
                cause = IDENTICAL_COST if pricing else DUPLICATE_SEND
            stats.busy[cause] += 1
        if command == "send" and not pricing:
            given = request.get("id")
            if given:
                stats.sent_ids[login, given] += 1

    def _strictly(self, route: Route, account: Account, request: Request) -> Answer:
        """The handler's answer, held to the corpus in strict mode (HTTP requests only)."""
        if not self.strict or request.channel != "http":
            return route.handler(self.state, account, request)
        path = request.path or _ROUTE_PATHS.get(route.command, "")
        refusal = self._strict_check.refusal(path, request.params)
        if refusal is not None:
            self.strict_refusals.append(refusal)
            del self.strict_refusals[:-MAX_REFUSALS_KEPT]
            return ErrorAnswer.of(1)
        answer = route.handler(self.state, account, request)
        self._strict_check.check_answer(path, request.params, answer)
        return answer


_ROUTE_PATHS: dict[str, str] = {}
for _path, _route in ROUTES.items():
    _ROUTE_PATHS.setdefault(_route.command, _path)
