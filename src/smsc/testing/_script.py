"""What a test scripts per number: delivery outcomes, injected send errors, HLR data, denials."""

from __future__ import annotations

from collections import defaultdict

from .._enums import DeliveryError, StatusCode
from .._errors import ConfigurationError
from ._model import Account, DeliveryOutcome, HLRRecord
from ._values import normalize_phone

__all__ = ["Script", "virtual_outcome"]


def virtual_outcome() -> DeliveryOutcome:
    """The outcome of a message sent in test mode: delivered, ``err=200`` ([INF])."""
    return DeliveryOutcome(StatusCode.DELIVERED, DeliveryError.VIRTUAL_SENDING)


def _mark(numbers: set[str], phone: str, marked: bool) -> None:
    key = normalize_phone(phone)
    if marked:
        numbers.add(key)
    else:
        numbers.discard(key)


class Script:
    """Per-number behaviour a test sets up; the commands consult it for every recipient.

    Numbers are kept normalized (digits only), as the service state stores them.
    """

    def __init__(self) -> None:
        self._outcomes: dict[str, DeliveryOutcome] = {}
        self._outcomes_once: dict[str, list[DeliveryOutcome]] = defaultdict(list)
        self._send_faults: dict[str, list[int]] = defaultdict(list)
        self.faults_taken = 0
        """Injected send errors consumed so far (the statistics tell them from real ones)."""
        self._hlr: dict[str, HLRRecord] = {}
        self._no_operator: set[str] = set()
        self._undeliverable: set[str] = set()
        self._denied_texts: list[str] = []
        self._denied_senders: set[str] = set()

    # ------------------------------------------------------------------ set up by a test

    def set_delivery_outcome(
        self, phone: str, status: StatusCode | int, err: DeliveryError | int, times: int | None
    ) -> None:
        """See :meth:`SMSCEmulator.set_delivery_outcome`."""
        try:
            final = StatusCode(status)
        except ValueError:
            raise ConfigurationError(f"unknown status code {status!r}") from None
        if not final.is_final or final is StatusCode.NOT_FOUND:
            raise ConfigurationError(f"status {int(final)} is not a final delivery status")
        outcome = DeliveryOutcome(final, int(err))
        key = normalize_phone(phone)
        if times is None:
            self._outcomes[key] = outcome
        else:
            self._outcomes_once[key].extend([outcome] * times)

    def fail_next_sends(self, phone: str, code: int, times: int) -> None:
        """See :meth:`SMSCEmulator.fail_next_sends`."""
        if times < 1:
            raise ConfigurationError("times must be at least 1")
        self._send_faults[normalize_phone(phone)].extend([code] * times)

    def set_hlr(self, phone: str, info: HLRRecord) -> None:
        """What HLR requests (and ``all=2`` status) report for ``phone``."""
        self._hlr[normalize_phone(phone)] = info

    def set_operator_unknown(self, phone: str, unknown: bool) -> None:
        """Operator lookups of ``phone`` answer error 3, or no longer do."""
        _mark(self._no_operator, phone, unknown)

    def operator(self, phone: str) -> HLRRecord | None:
        """What an operator lookup of ``phone`` reports (``None``: operator not found)."""
        return None if phone in self._no_operator else self.hlr_record(phone)

    def set_undeliverable(self, phone: str, undeliverable: bool) -> None:
        """Sends to ``phone`` alone answer error 8, or no longer do."""
        _mark(self._undeliverable, phone, undeliverable)

    def deny_text(self, fragment: str) -> None:
        """Sends whose text contains ``fragment`` (any case) answer error 6."""
        self._denied_texts.append(fragment.casefold())

    def deny_sender(self, sender: str) -> None:
        """Sends from Sender ID ``sender`` answer error 6."""
        self._denied_senders.add(sender)

    # ------------------------------------------------------------------ read by the commands

    def hlr_record(self, phone: str) -> HLRRecord:
        """The HLR data of ``phone`` (configured, or a default Russian MTS subscriber)."""
        return self._hlr.get(phone, HLRRecord())

    def mccmnc(self, phone: str) -> str:
        """MCC and MNC of ``phone``'s operator, as ``op=1`` reports it."""
        info = self.hlr_record(phone)
        return f"{info.mcc}{info.mnc}"

    def is_undeliverable(self, phone: str) -> bool:
        """True when sends to ``phone`` answer error 8."""
        return phone in self._undeliverable

    def is_denied(self, text: str, sender: str, account: Account) -> bool:
        """True when ``text`` or ``sender`` makes the send answer error 6."""
        if sender in self._denied_senders:
            return True
        if not account.may_use_sender(sender):
            return True
        folded = text.casefold()
        return any(fragment in folded for fragment in self._denied_texts)

    def take_send_fault(self, phone: str) -> int | None:
        """Consume and return an injected send error for ``phone``, if one is pending."""
        queue = self._send_faults.get(phone)
        if not queue:
            return None
        self.faults_taken += 1
        return queue.pop(0)

    def next_outcome(self, phone: str, *, virtual: bool) -> DeliveryOutcome:
        """How the next message to ``phone`` ends (consumes a one-time outcome)."""
        if virtual:
            return virtual_outcome()
        queue = self._outcomes_once.get(phone)
        if queue:
            return queue.pop(0)
        return self._outcomes.get(phone, DeliveryOutcome())
