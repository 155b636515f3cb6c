"""SMSCEmulator: one in-memory SMSC service behind an ASGI app, socket sites and SMTP.

This is the assembly point and the public face: it builds the service state, the request
path, the front ends and the callback sender, and wires them together. None of those parts
imports this module or holds a reference to the emulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx

from .._enums import DeliveryError, StatusCode
from .._errors import ConfigurationError
from ._answers import Answer
from ._app import EmulatorApp
from ._callbacks import CallbackDelivery, CallbackDispatcher, callback_form
from ._clock import EmulatorClock
from ._directory import Directory, IncomingRecord
from ._http_params import RequestData
from ._model import (
    Account,
    CallbackPolicy,
    HLRRecord,
    Lifecycle,
    LockoutRules,
    Message,
    RateLimits,
    StatusChange,
    Tariff,
)
from ._request import Request
from ._routes import COMMANDS, SEND, UnknownCommandAnswer
from ._server import Site
from ._service import Service, ServiceTime, ServiceTimeArg
from ._smtp import SMTPIngest
from ._state import ServiceState
from ._stats import snapshot
from ._strict import Refusal
from ._values import money

ASGIApp = Callable[[Any, Any, Any], Coroutine[Any, Any, None]]
"""An ASGI application (FastAPI, Starlette, ...): ``await app(scope, receive, send)``."""

__all__ = ["SMSCEmulator"]


class SMSCEmulator:
    """A local, in-memory SMSC service: accounts, tariffs, messages and the service's rules.

    Serve it in-process with ``httpx.ASGITransport(app=emulator.app)``, over real sockets
    with :meth:`serve` / :meth:`start_site` (several sites share this one model, like the
    service's mirrors), and by e-mail with :meth:`start_smtp`. Time is the emulator's own
    :attr:`clock`: nothing happens until a test calls :meth:`advance` (unless the clock was
    made with ``real_time=True``).

    Use it as an async context manager so that the callback sender, the sites and the SMTP
    ingest it started are closed::

        async with SMSCEmulator() as emulator:
            emulator.add_account("demo", "demo", balance=100)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator.app),
                                         base_url="http://smsc.test") as http:
                r = await http.post("/sys/send.php", data={"login": "demo", "psw": "demo",
                                    "phones": "79991234567", "mes": "Hi", "fmt": 3})
            emulator.advance(10)

    Args:
        clock: the clock to use (default: a manual :class:`EmulatorClock`).
        limits: error-9 rate rules (:class:`RateLimits`; ``RateLimits.off()`` for none).
        lockout: error-4 lock-out rules (:class:`LockoutRules`).
        lifecycle: delays of the status lifecycle (:class:`Lifecycle`).
        tariff: the tariff new accounts get unless they are given their own.
        callbacks: how status callbacks are built and retried (:class:`CallbackPolicy`).
        callback_transport: an ``httpx`` transport for callbacks (for example an
            ``httpx.ASGITransport`` of the app under test); default: real HTTP.
        utc_offset_hours: the zone of dates in answers (``last_date``; Moscow, +3, [INF]).
        unknown_command: what a command the emulator does not serve answers (default: error 1
            in the requested format, see :class:`UnknownCommandAnswer`).
        service_time: real time per request (:class:`ServiceTime`, seconds, ``(low, high)``).
        strict: hold every HTTP request to the conformance corpus (default): a parameter the
            service's pages do not document for the action asked is answered error 1, and
            an error code the pages do not list for it raises
            :class:`~smsc.testing.ConformanceViolation`. ``False`` turns both off (an opt-out
            for experiments with undocumented parameters); see ``docs/conformance.md``.
    """

    def __init__(
        self,
        *,
        clock: EmulatorClock | None = None,
        limits: RateLimits | None = None,
        lockout: LockoutRules | None = None,
        lifecycle: Lifecycle | None = None,
        tariff: Tariff | None = None,
        callbacks: CallbackPolicy | None = None,
        callback_transport: httpx.AsyncBaseTransport | None = None,
        utc_offset_hours: float = 3.0,
        unknown_command: UnknownCommandAnswer = UnknownCommandAnswer.PARAMETERS_ERROR,
        service_time: ServiceTimeArg = None,
        strict: bool = True,
    ) -> None:
        self.clock = clock or EmulatorClock()
        self._state = ServiceState(
            clock=self.clock,
            limits=limits or RateLimits(),
            lockout=lockout or LockoutRules(),
            lifecycle=lifecycle or Lifecycle(),
            tariff=tariff or Tariff(),
            utc_offset_hours=utc_offset_hours,
        )
        self.accounts: dict[str, Account] = self._state.accounts
        self.messages: list[Message] = self._state.messages
        self._service = Service(self._state)
        self._service.strict = strict
        self.service_time = service_time
        self.callbacks = CallbackDispatcher(
            self.clock,
            callbacks or CallbackPolicy(),
            transport=callback_transport,
            on_wake=self.tick,
        )
        """The callback sender and its delivery log (:attr:`CallbackDispatcher.deliveries`)."""
        self.app = EmulatorApp(
            self._service,
            unknown_command=unknown_command,
            stats=figures_of(self._service, self.callbacks),
        )
        """The ASGI application (``httpx.ASGITransport(app=emulator.app)``); it serves
        :meth:`stats` as JSON at ``/emulator/stats``."""
        self.sites: list[Site] = []
        self.smtp: SMTPIngest | None = None
        self._state.on_status_change(self._notify)
        self._state.on_incoming(self._notify_incoming)
        self._state.on_tick(self._wake_callbacks)
        self.clock.subscribe(self.tick)

    # ------------------------------------------------------------------ settings

    @property
    def limits(self) -> RateLimits:
        """The error-9 rate rules (assign a new :class:`RateLimits` to change them)."""
        return self._state.limits

    @limits.setter
    def limits(self, value: RateLimits) -> None:
        self._state.limits = value

    # ------------------------------------------------------------------ load

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

    # ------------------------------------------------------------------ account data

    def set_operator_unknown(self, phone: str, unknown: bool = True) -> None:
        """Operator lookups of ``phone`` (``info.php``) answer error 3, or no longer do; what
        they report otherwise is :meth:`set_hlr`'s record (country, operator, region, MCC,
        MNC, ``tz``)."""
        self._state.script.set_operator_unknown(phone, unknown)

    def directory(self, login: str) -> Directory:
        """The Sender IDs, contacts, groups, blacklist, templates and received messages of
        account ``login``, to set up or inspect (``emulator.directory("demo").add_sender(..)``).

        Raises:
            ConfigurationError: no such account.
        """
        return self._state.account(login).directory

    def receive_message(
        self, login: str, phone: str, text: str, *, to_phone: str = "", at: float | None = None
    ) -> IncomingRecord:
        """A subscriber at ``phone`` sends ``text`` to account ``login`` (to its number
        ``to_phone``) at ``at`` (default: now): it is answered by ``get.php?get_answers=1``
        and POSTed to the account's callback URL, if it has one.

        Raises:
            ConfigurationError: no such account.
        """
        return self._state.receive(login, phone, text, to_phone=to_phone, at=at)

    @property
    def lockout(self) -> LockoutRules:
        """The error-4 lock-out rules (assign a new :class:`LockoutRules` to change them)."""
        return self._state.lockout

    @lockout.setter
    def lockout(self, value: LockoutRules) -> None:
        self._state.lockout = value

    @property
    def lifecycle(self) -> Lifecycle:
        """Delays of the status lifecycle (assign a new :class:`Lifecycle` to change them)."""
        return self._state.lifecycle

    @lifecycle.setter
    def lifecycle(self, value: Lifecycle) -> None:
        self._state.lifecycle = value

    @property
    def tariff(self) -> Tariff:
        """The tariff new accounts get unless they are given their own."""
        return self._state.tariff

    @tariff.setter
    def tariff(self, value: Tariff) -> None:
        self._state.tariff = value

    @property
    def in_flight(self) -> int:
        """Requests being handled right now (all logins)."""
        return self._service.in_flight

    @property
    def peak_in_flight(self) -> int:
        """The highest :attr:`in_flight` seen so far."""
        return self._service.peak_in_flight

    # ------------------------------------------------------------------ accounts

    def add_account(
        self,
        login: str,
        password: str | None = None,
        *,
        api_key: str | None = None,
        balance: Decimal | int | str = Decimal("100.00"),
        credit: Decimal | int | str = Decimal("0.00"),
        currency: str = "RUR",
        allowed_ips: Iterable[str] = (),
        callback_url: str | None = None,
        callback_secret: str = "",
        tariff: Tariff | None = None,
        senders: Iterable[str] | None = None,
        test_mode: bool = False,
    ) -> Account:
        """Create an account and return it (change its attributes freely afterwards).

        More passwords and keys can be appended to ``account.passwords`` / ``api_keys``.

        Raises:
            ConfigurationError: the login exists already, or neither password nor key given.
        """
        if password is None and api_key is None:
            raise ConfigurationError("an account needs a password or an API key")
        account = Account(
            login=login,
            passwords=[password] if password is not None else [],
            api_keys=[api_key] if api_key is not None else [],
            balance=money(balance),
            credit=money(credit),
            currency=currency,
            allowed_ips=set(allowed_ips),
            callback_url=callback_url,
            callback_secret=callback_secret,
            tariff=tariff or self.tariff,
            senders=set(senders) if senders is not None else None,
            test_mode=test_mode,
        )
        return self._state.add_account(account)

    def account(self, login: str) -> Account:
        """The account ``login``.

        Raises:
            ConfigurationError: no such account.
        """
        return self._state.account(login)

    # ------------------------------------------------------------------ behaviour per number

    def set_delivery_outcome(
        self,
        phone: str,
        status: StatusCode | int = StatusCode.DELIVERED,
        err: DeliveryError | int = DeliveryError.NONE,
        *,
        times: int | None = None,
    ) -> None:
        """How messages to ``phone`` end: final ``status`` (1-4, 20, 22-25) and ``err``.

        Read (2) and link clicked (4) are reached through delivered (1). With ``times`` only
        the next ``times`` messages to the number end so; afterwards the number's permanent
        outcome (default: delivered) applies again.

        Raises:
            ConfigurationError: an unknown or non-final status (-3, -2, -1, 0).
        """
        self._state.script.set_delivery_outcome(phone, status, err, times)

    def fail_next_sends(self, phone: str, code: int, *, times: int = 1) -> None:
        """The next ``times`` send requests including ``phone`` are answered error ``code``.

        Codes 3, 6, 7 and 8 carry the message id in the answer, as the service does.
        """
        self._state.script.fail_next_sends(phone, code, times)

    def set_hlr(self, phone: str, info: HLRRecord) -> None:
        """What HLR requests (and ``all=2`` status) report for ``phone``."""
        self._state.script.set_hlr(phone, info)

    def set_undeliverable(self, phone: str, undeliverable: bool = True) -> None:
        """Sends to ``phone`` alone answer error 8 ("can't to deliver")."""
        self._state.script.set_undeliverable(phone, undeliverable)

    def deny_text(self, fragment: str) -> None:
        """Sends whose text contains ``fragment`` (any case) answer error 6."""
        self._state.script.deny_text(fragment)

    def deny_sender(self, sender: str) -> None:
        """Sends from Sender ID ``sender`` answer error 6."""
        self._state.script.deny_sender(sender)

    def hlr_record(self, phone: str) -> HLRRecord:
        """The HLR data of ``phone`` (configured, or a default Russian MTS subscriber)."""
        return self._state.script.hlr_record(phone)

    # ------------------------------------------------------------------ messages

    def find_message(self, login: str, message_id: int | str, phone: str) -> Message | None:
        """The message ``message_id`` to ``phone`` of account ``login`` (``None``: not found)."""
        return self._state.find_message(login, message_id, phone)

    def message(self, message_id: int | str, phone: str, *, login: str | None = None) -> Message:
        """The message ``message_id`` to ``phone`` (of ``login``, or of any account).

        Raises:
            ConfigurationError: no such message.
        """
        return self._state.message(message_id, phone, login=login)

    def messages_to(self, phone: str) -> list[Message]:
        """Every message sent to ``phone``, oldest first."""
        return self._state.messages_to(phone)

    def delete_message(self, login: str, message_id: str, phone: str) -> bool:
        """Delete a message (``status.php`` with ``del=1``); False when there is none."""
        return self._state.delete_message(login, message_id, phone)

    def format_date(self, timestamp: float) -> str:
        """``DD.MM.YYYY hh:mm:ss`` in the answers' zone (Moscow by default)."""
        return self._state.format_date(timestamp)

    # ------------------------------------------------------------------ time and callbacks

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of emulator time pass (status changes and callbacks fall due)."""
        self.clock.advance(seconds)

    def tick(self) -> None:
        """Apply every status change due at the current emulator time."""
        self._state.tick()

    def _wake_callbacks(self) -> None:
        if self.callbacks.has_due():
            self.callbacks.wake()

    def _notify(self, message: Message, change: StatusChange) -> None:
        account = self.accounts.get(message.login)
        if account is None or not account.callback_url or message.deleted:
            return
        self.callbacks.enqueue(
            account.callback_url,
            self.callback_fields(message, change, account.callback_secret),
            message_id=message.id,
            phone=message.phone,
            status=int(change.status),
            at=change.at,
        )

    def _notify_incoming(self, account: Account, received: IncomingRecord) -> None:
        if account.callback_url:
            time = self.format_date(received.received_at)
            self.callbacks.enqueue_incoming(
                account.callback_url, received, account.callback_secret, time=time
            )

    def callback_fields(
        self, message: Message, change: StatusChange, secret: str
    ) -> dict[str, str]:
        """The form a callback for ``change`` carries, per :attr:`CallbackPolicy.fields`."""
        time = self.format_date(change.at)
        return callback_form(message, change, self.callbacks.policy, secret, time=time)

    async def deliver_callbacks(self, *, check: bool = False) -> list[CallbackDelivery]:
        """Send every callback due now, wait for the outcome; returns the whole log.

        Args:
            check: then raise ``AssertionError`` (see :meth:`check_callbacks`) when a
                callback has failed, so that the test fails with the reason.
        """
        self.tick()
        await self.callbacks.drain()
        if check:
            self.check_callbacks()
        return self.callbacks.deliveries

    def route_callbacks_to(self, app: ASGIApp) -> None:
        """Deliver callbacks to the ASGI ``app`` in process, whatever host their URL names.

        The app under test receives them as from the network: the account's
        ``callback_url`` still gives the path. ``None`` of the app is not accepted; use
        ``emulator.callbacks.use_transport(None)`` to go back to real HTTP.
        """
        self.callbacks.use_transport(httpx.ASGITransport(app=app))

    def check_callbacks(self) -> None:
        """Raise ``AssertionError`` naming every callback whose latest attempt failed.

        A handler answering non-2xx, a connection refused, or an in-process app raising (its
        exception becomes the ``AssertionError``'s cause) all count; nothing is raised when
        every callback tried so far was acknowledged.
        """
        failures = self.callbacks.failures
        if not failures:
            return
        lines = "\n".join(f"- {delivery.describe_failure()}" for delivery in failures)
        error = AssertionError(f"{len(failures)} callback(s) failed:\n{lines}")
        cause = next((d.attempts[-1].exception for d in failures if d.attempts[-1].exception), None)
        raise error from cause

    # ------------------------------------------------------------------ request handling

    def pause_responses(self) -> None:
        """Hold every request after authentication until :meth:`resume_responses`.

        Held requests count as in flight, which makes the concurrency rule testable.
        """
        self._service.pause()

    def resume_responses(self) -> None:
        """Release the requests held by :meth:`pause_responses`."""
        self._service.resume()

    def on_answer(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(command)`` after every request is answered, before the answer goes
        out (``command`` is ``"send"``, ``"status"``, ...; ``""`` for a command not served).

        Example: move the clock one second after each status answer, so that a polling
        client sees every step of the lifecycle::

            emulator.on_answer(lambda command: emulator.advance(1) if command == "status" else None)
        """
        self._service.on_answer(listener)

    def reset_limits(self) -> None:
        """Forget rate counters, duplicate windows and IP lock-outs."""
        self._state.guards.reset()

    async def handle(
        self,
        command: str,
        data: RequestData | Mapping[str, str],
        ip: str,
        *,
        channel: str = "http",
    ) -> Answer:
        """Answer one request of ``command`` (``send``, ``status``, ``get``, ...) from ``ip``.

        A command the emulator does not serve is answered error 1.
        """
        params = data.params if isinstance(data, RequestData) else data
        request = Request(dict(params), ip, channel)
        return await self._service.handle(COMMANDS.get(command), request)

    # ------------------------------------------------------------------ servers

    async def start_site(self, port: int = 0, *, host: str = "127.0.0.1") -> Site:
        """Serve the emulator on ``host:port`` (0 picks a free port); returns the site."""
        site = Site(self.app, host=host, port=port, name=f"site{len(self.sites) + 1}")
        await site.start()
        self.sites.append(site)
        return site

    @asynccontextmanager
    async def serve(
        self, ports: Sequence[int] = (0,), *, host: str = "127.0.0.1"
    ) -> AsyncIterator[list[Site]]:
        """Serve on several ports at once (``as (primary, mirror)``); stops them on exit."""
        sites = [await self.start_site(port, host=host) for port in ports]
        try:
            yield sites
        finally:
            for site in sites:
                await site.stop()
                if site in self.sites:
                    self.sites.remove(site)

    async def start_smtp(
        self, port: int = 0, *, host: str = "127.0.0.1", reject_errors: bool = False
    ) -> SMTPIngest:
        """Start the e-mail gateway on ``host:port`` (needs ``aiosmtpd``); returns it."""
        if self.smtp is not None:
            raise ConfigurationError("the SMTP ingest is running already")
        ingest = SMTPIngest(self._send_mail, host=host, port=port, reject_errors=reject_errors)
        await ingest.start()
        self.smtp = ingest
        return ingest

    async def _send_mail(self, request: Request) -> Answer:
        return await self._service.handle(SEND, request)

    # ------------------------------------------------------------------ lifetime

    async def __aenter__(self) -> SMSCEmulator:
        self.callbacks.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop every site and the SMTP ingest, and close the callback sender."""
        self.resume_responses()
        for site in list(self.sites):
            await site.stop()
        self.sites.clear()
        if self.smtp is not None:
            await self.smtp.stop()
            self.smtp = None
        await self.callbacks.aclose()

    def __repr__(self) -> str:
        return (
            f"SMSCEmulator(accounts={len(self.accounts)}, messages={len(self.messages)}, "
            f"sites={len(self.sites)}, clock={self.clock!r})"
        )


def figures_of(service: Service, callbacks: CallbackDispatcher) -> Callable[[], dict[str, Any]]:
    """The statistics of ``service`` and ``callbacks``, read each time it is called (for the
    web app: a plain callable, no way back into the emulator)."""
    return lambda: snapshot(
        service.stats, service.peak_by_login, service.peak_in_flight, callbacks.deliveries
    )
