"""Status callbacks: POSTs to the account's handler URL, retried until it answers 2xx.

Protocol §9.1 documents only that the URL is set in the account; the fields, the
``md5``/``sha1`` signature recipe and the retries come from third-party code ([3P]/[INF]).
Retries are scheduled on the emulator clock, so a test decides when they happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .._errors import ConfigurationError
from .._privacy import mask_phone
from ._clock import EmulatorClock
from ._directory import IncomingRecord
from ._model import CallbackPolicy, Message, StatusChange

__all__ = [
    "CallbackAttempt",
    "CallbackDelivery",
    "CallbackDispatcher",
    "callback_form",
    "callback_signature",
    "incoming_form",
]


def callback_signature(
    message_id: int | str, phone: str, status: int, secret: str, algorithm: str = "md5"
) -> str:
    """Lowercase hex digest of ``"<id>:<phone>:<status>:<secret>"`` (``md5`` or ``sha1``).

    Raises:
        ConfigurationError: an algorithm other than ``md5`` or ``sha1``.
    """
    if algorithm not in ("md5", "sha1"):
        raise ConfigurationError(f"unknown callback signature algorithm {algorithm!r}")
    text = f"{message_id}:{phone}:{status}:{secret}".encode()
    return hashlib.new(algorithm, text).hexdigest()


def callback_form(
    message: Message, change: StatusChange, policy: CallbackPolicy, secret: str, *, time: str
) -> dict[str, str]:
    """The form a callback for ``change`` carries, per :attr:`CallbackPolicy.fields`.

    Args:
        time: the change's moment as the service writes dates (``DD.MM.YYYY hh:mm:ss``).
    """
    values: dict[str, str] = {
        "id": str(message.id),
        "phone": message.phone,
        "status": str(int(change.status)),
        "err": str(int(change.err)),
        "ts": str(int(change.at)),
        "time": time,
        "cnt": str(message.parts),
        "type": str(int(message.type)),
        "sender": message.sender,
    }
    if message.hlr is not None and change.status.is_final:
        values.update(message.hlr.fields())
    fields = {name: values[name] for name in policy.fields if name in values}
    for algorithm in policy.signatures:
        fields[algorithm] = callback_signature(
            message.id, message.phone, int(change.status), secret, algorithm
        )
    return fields


def incoming_form(
    received: IncomingRecord, policy: CallbackPolicy, secret: str, *, time: str
) -> dict[str, str]:
    """The form a callback for a received message carries ([INF]: the service's field set
    for received messages is not documented): the fields of a ``get_answers`` record, and
    the ``policy.signatures`` over :attr:`CallbackPolicy.incoming_signature`."""
    fields = {
        "id": str(received.id),
        "received": time,
        "phone": received.phone,
        "to_phone": received.to_phone,
        "sent": str(int(received.received_at)),
        "message": received.text,
    }
    text = policy.incoming_signature.format_map({**fields, "secret": secret}).encode()
    for algorithm in policy.signatures:
        fields[algorithm] = hashlib.new(algorithm, text).hexdigest()
    return fields


@dataclass(frozen=True)
class CallbackAttempt:
    """One POST of a callback: when (emulator time) and what came back.

    ``error`` names the exception when no answer came back; ``exception`` is that exception
    (for an in-process ASGI app, the app's own error, with its traceback).
    """

    at: float
    status_code: int | None
    error: str | None = None
    exception: BaseException | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when the handler answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(eq=False, repr=False)
class CallbackDelivery:
    """One status change to report to one handler, with every attempt made so far."""

    url: str
    fields: dict[str, str]
    message_id: int | str
    phone: str
    status: int | None
    """The status reported; ``None`` for a received message."""
    due_at: float
    attempts: list[CallbackAttempt] = field(default_factory=list)
    delivered: bool = False
    abandoned: bool = False

    @property
    def pending(self) -> bool:
        """True while another attempt will be made."""
        return not self.delivered and not self.abandoned

    @property
    def failed(self) -> bool:
        """True when it was tried and its latest attempt failed (retried later or given up)."""
        return not self.delivered and bool(self.attempts)

    def describe_failure(self) -> str:
        """One line on why the latest attempt failed (the phone masked, no form fields)."""
        last = self.attempts[-1] if self.attempts else None
        if last is None:
            why = "never tried"
        elif last.status_code is not None:
            why = f"answered HTTP {last.status_code}"
        else:
            why = f"raised {last.error}"
            if last.exception is not None and str(last.exception):
                why += f": {last.exception}"
        state = "given up" if self.abandoned else "will be retried"
        return (
            f"callback of message {self.message_id!r} to {mask_phone(self.phone)} (status "
            f"{self.status}) POSTed to {self.url}: {why} after {len(self.attempts)} "
            f"attempt(s), {state}"
        )

    def __repr__(self) -> str:
        # The form holds the phone and the signatures: the phone is shown masked, the form not.
        state = "delivered" if self.delivered else "abandoned" if self.abandoned else "pending"
        return (
            f"CallbackDelivery({self.url!r}, message_id={self.message_id!r}, "
            f"phone={mask_phone(self.phone)!r}, status={self.status}, "
            f"attempts={len(self.attempts)}, {state})"
        )


class CallbackDispatcher:
    """Sends callbacks through an ``httpx.AsyncClient`` it owns, and keeps the delivery log.

    A failed attempt is retried after ``policy.backoff`` seconds of emulator time. While the
    emulator runs (``async with emulator``) a background task sends whatever is due; tests
    can also call :meth:`drain` to send everything due now and wait for the outcome.

    The HTTP sending is one seam: the ``httpx`` transport (given here, or later with
    :meth:`use_transport`), for example an ``httpx.ASGITransport`` of the app under test.
    """

    def __init__(
        self,
        clock: EmulatorClock,
        policy: CallbackPolicy,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_wake: Callable[[], None] | None = None,
    ) -> None:
        self._clock = clock
        self.policy = policy
        self._transport = transport
        self._on_wake = on_wake
        self._client: httpx.AsyncClient | None = None
        self._retired: list[httpx.AsyncClient] = []
        self.deliveries: list[CallbackDelivery] = []
        self._pending: list[CallbackDelivery] = []
        self._in_flight: dict[CallbackDelivery, asyncio.Task[None]] = {}
        self._wakeup = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None

    def use_transport(self, transport: httpx.AsyncBaseTransport | None) -> None:
        """Send the next attempts through ``transport`` (``None``: real HTTP).

        Attempts already in flight finish on the old one; it is closed by :meth:`aclose`.
        """
        self._transport = transport
        if self._client is not None:
            self._retired.append(self._client)
            self._client = None

    @property
    def failures(self) -> list[CallbackDelivery]:
        """Deliveries whose latest attempt failed (a non-2xx answer or no answer), oldest first."""
        return [delivery for delivery in self.deliveries if delivery.failed]

    @property
    def pending(self) -> list[CallbackDelivery]:
        """Deliveries not yet acknowledged and not given up."""
        self._pending = [delivery for delivery in self._pending if delivery.pending]
        return list(self._pending)

    def enqueue(
        self,
        url: str,
        fields: dict[str, str],
        *,
        message_id: int | str,
        phone: str,
        status: int | None,
        at: float,
    ) -> CallbackDelivery:
        """Schedule a callback, due at ``at`` (emulator time)."""
        delivery = CallbackDelivery(url, fields, message_id, phone, status, due_at=at)
        self.deliveries.append(delivery)
        self._pending.append(delivery)
        self.wake()
        return delivery

    def enqueue_incoming(
        self, url: str, received: IncomingRecord, secret: str, *, time: str
    ) -> CallbackDelivery:
        """Schedule the callback of a received message (:func:`incoming_form`), due now."""
        fields = incoming_form(received, self.policy, secret, time=time)
        return self.enqueue(
            url,
            fields,
            message_id=received.id,
            phone=received.phone,
            status=None,
            at=received.received_at,
        )

    def wake(self) -> None:
        """Tell the background task that something may be due."""
        self._wakeup.set()

    def has_due(self) -> bool:
        """True when a callback is due now and not being sent already."""
        return bool(self._due(set()))

    def _due(self, skip: set[CallbackDelivery]) -> list[CallbackDelivery]:
        now = self._clock.now()
        return [
            delivery
            for delivery in self.pending
            if delivery.due_at <= now and delivery not in self._in_flight and delivery not in skip
        ]

    def _start(self, deliveries: list[CallbackDelivery]) -> None:
        for delivery in deliveries:
            task = asyncio.ensure_future(self._attempt(delivery))
            self._in_flight[delivery] = task
            task.add_done_callback(functools.partial(self._finished, delivery))

    def _finished(self, delivery: CallbackDelivery, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(delivery, None)

    async def drain(self) -> None:
        """Send every callback due now (each at most once) and wait for all attempts."""
        tried: set[CallbackDelivery] = set()
        while True:
            due = self._due(tried)
            tried.update(due)
            self._start(due)
            if not self._in_flight:
                return
            await asyncio.gather(*list(self._in_flight.values()), return_exceptions=True)

    async def _attempt(self, delivery: CallbackDelivery) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(transport=self._transport, timeout=self.policy.timeout)
        status_code: int | None = None
        error: str | None = None
        failure: BaseException | None = None
        try:
            response = await self._client.post(delivery.url, data=delivery.fields)
            status_code = response.status_code
        except Exception as exc:
            # Not only httpx.HTTPError: a malformed URL raises httpx.InvalidURL, which is not
            # one, and would otherwise leave the delivery pending with no attempt logged.
            # An in-process app's own exception lands here too, and is kept for the test.
            error, failure = type(exc).__name__, exc
        attempt = CallbackAttempt(self._clock.now(), status_code, error, failure)
        delivery.attempts.append(attempt)
        if attempt.ok:
            delivery.delivered = True
            return
        limit = self.policy.max_attempts
        if limit is not None and len(delivery.attempts) >= limit:
            delivery.abandoned = True
            return
        backoff = self.policy.backoff or (0.0,)
        delivery.due_at = attempt.at + backoff[min(len(delivery.attempts), len(backoff)) - 1]

    # ------------------------------------------------------------------ background task

    def start(self) -> None:
        """Start the background task (inside a running event loop)."""
        if self._worker is None:
            self._worker = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            if self._clock.real_time:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=0.25)
            else:
                await self._wakeup.wait()
            if self._on_wake is not None:
                self._on_wake()
            self._wakeup.clear()
            self._start(self._due(set()))
            await asyncio.sleep(0)

    async def aclose(self) -> None:
        """Stop the background task, cancel attempts in flight and close the HTTP client."""
        tasks = list(self._in_flight.values())
        if self._worker is not None:
            tasks.append(self._worker)
            self._worker = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        clients, self._retired = [*self._retired, self._client], []
        self._client = None
        for client in clients:
            if client is not None:
                await client.aclose()
