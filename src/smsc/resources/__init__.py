"""Groups of commands as namespaces of the client (``client.jobs``, ``client.senders``,
``client.history``, ...): one class each, a thin layer that checks the caller's arguments
into a query of ``smsc._wire`` and runs the command's spec.
"""

from __future__ import annotations

from .account import Account
from .contacts import Contacts
from .history import History
from .incoming import Incoming
from .jobs import Jobs
from .notifications import Notifications
from .numbers import Numbers
from .operators import Operators
from .senders import Senders
from .templates import Templates
from .users import Users

__all__ = [
    "Account",
    "Contacts",
    "History",
    "Incoming",
    "Jobs",
    "Notifications",
    "Numbers",
    "Operators",
    "Senders",
    "Templates",
    "Users",
]
