"""A local emulator of the SMSC commands the SDK uses, for tests, demos and benchmarks.

It answers ``send.php`` (sends and ``cost=1`` cost queries, also as ``/rest/send/``),
``status.php`` (``all=0/1/2``, HLR, ``del=1``), ``balance.php``, ``get.php`` (history,
received messages, statistics, tariffs), ``info.php`` (operator lookup), ``senders.php``,
``phones.php``, ``templates.php``, ``op_templates.php``, ``users.php``, ``jobs.php``
(mailings), ``receive_phones.php`` (dedicated numbers) and ``ping.php`` (event
notifications), keeps each
account's :class:`Directory` (Sender IDs, contacts, blacklist, templates, received messages),
runs the e-mail gateway (:class:`SMTPIngest`) and posts callbacks. Every other command of the
service (``get_mnp.php``, ``wait_call.php``, ...) answers error 1 in the requested format (see
:class:`UnknownCommandAnswer`).

Create an :class:`SMSCEmulator`, add an account, and talk to it in-process through
``httpx.ASGITransport(app=emulator.app)``, over loopback sockets (:meth:`SMSCEmulator.serve`)
or by e-mail (:meth:`SMSCEmulator.start_smtp`). Its clock stands still until the test
advances it. Installing the package registers a pytest plugin with the fixtures
``smsc_emulator``, ``smsc_client`` and ``smsc_emulator_server``.

Example:
    >>> emulator = SMSCEmulator()
    >>> account = emulator.add_account("demo", "demo", balance=100)
    >>> emulator.advance(60)
"""

from ._answers import ERRORS_WITH_ID
from ._callbacks import CallbackAttempt, CallbackDelivery, CallbackDispatcher, callback_signature
from ._clock import EmulatorClock
from ._defaults import (
    DEMO_API_KEY,
    DEMO_BALANCE,
    DEMO_LOGIN,
    DEMO_PASSWORD,
    EMULATOR_BASE_URL,
)
from ._directory import (
    ContactGroupRecord,
    ContactRecord,
    Directory,
    IncomingRecord,
    Payment,
    SenderID,
    SubClient,
    TemplateRecord,
)
from ._emulator import SMSCEmulator
from ._faults import GARBAGE_BODY, Fault
from ._model import (
    Account,
    CallbackPolicy,
    DeliveryOutcome,
    HLRRecord,
    Lifecycle,
    LockoutRules,
    Message,
    RateLimits,
    StatusChange,
    Tariff,
)
from ._routes import UnknownCommandAnswer
from ._server import Site
from ._service import ServiceTime
from ._smtp import IngestedMail, SMTPIngest, parse_mail
from ._strict import ConformanceViolation
from ._threaded import ThreadedEmulator

__all__ = [
    "DEMO_API_KEY",
    "DEMO_BALANCE",
    "DEMO_LOGIN",
    "DEMO_PASSWORD",
    "EMULATOR_BASE_URL",
    "ERRORS_WITH_ID",
    "GARBAGE_BODY",
    "Account",
    "CallbackAttempt",
    "CallbackDelivery",
    "CallbackDispatcher",
    "CallbackPolicy",
    "ConformanceViolation",
    "ContactGroupRecord",
    "ContactRecord",
    "DeliveryOutcome",
    "Directory",
    "EmulatorClock",
    "Fault",
    "HLRRecord",
    "IncomingRecord",
    "IngestedMail",
    "Lifecycle",
    "LockoutRules",
    "Message",
    "Payment",
    "RateLimits",
    "SMSCEmulator",
    "SMTPIngest",
    "SenderID",
    "ServiceTime",
    "Site",
    "StatusChange",
    "SubClient",
    "Tariff",
    "TemplateRecord",
    "ThreadedEmulator",
    "UnknownCommandAnswer",
    "callback_signature",
    "parse_mail",
]

# The emulator's records were named like the SDK's models (smsc.Contact, smsc.Template, ...)
# but are other classes: the old names still work, with a warning, until a later release.
_RENAMED = {
    "Contact": "ContactRecord",
    "ContactGroup": "ContactGroupRecord",
    "IncomingMessage": "IncomingRecord",
    "Template": "TemplateRecord",
}


def __getattr__(name: str) -> object:
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module 'smsc.testing' has no attribute {name!r}")
    import warnings

    warnings.warn(
        f"smsc.testing.{name} is now smsc.testing.{new} (smsc.{name} is the SDK's model)",
        DeprecationWarning,
        stacklevel=2,
    )
    return globals()[new]
