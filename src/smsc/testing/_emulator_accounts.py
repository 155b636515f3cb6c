"""The :class:`SMSCEmulator` methods about the data of accounts: directories, received
messages, operator lookups (a part of the emulator's public face, kept apart for size)."""

from __future__ import annotations

from ._directory import Directory, IncomingMessage
from ._state import ServiceState

__all__ = ["AccountDataMethods"]


class AccountDataMethods:
    """Mixed into :class:`SMSCEmulator`, whose service state they read and change."""

    _state: ServiceState

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
    ) -> IncomingMessage:
        """A subscriber at ``phone`` sends ``text`` to account ``login`` (to its number
        ``to_phone``) at ``at`` (default: now): it is answered by ``get.php?get_answers=1``
        and POSTed to the account's callback URL, if it has one.

        Raises:
            ConfigurationError: no such account.
        """
        return self._state.receive(login, phone, text, to_phone=to_phone, at=at)
