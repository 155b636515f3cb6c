"""The service's error codes: one table per command, and the error an answer's code becomes.

A command's table maps each code the protocol reference documents for it (§5) to the
exception class saying what the caller can do. Codes a table does not know become a plain
:class:`APIError`; there is no fallback to another command's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .._errors import (
    APIError,
    AuthenticationError,
    DeleteError,
    InsufficientFundsError,
    InvalidPhoneError,
    InvalidTimeError,
    IPBlockedError,
    MessageDeniedError,
    OperatorNotFoundError,
    ParametersError,
    RecordNotSavedError,
    TooManyRequestsError,
    UndeliverableError,
)

__all__ = [
    "ACCOUNT_DATA_ERRORS",
    "BALANCE_ERRORS",
    "GET_ERRORS",
    "JOB_ERRORS",
    "OPERATOR_ERRORS",
    "SEND_ERRORS",
    "STATUS_ERRORS",
    "SUBCLIENT_PAYMENT_ERRORS",
    "ErrorTable",
    "api_error",
]

ErrorTable = Mapping[int, type[APIError]]
"""Error code -> the exception class raised for it."""

SEND_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    3: InsufficientFundsError,
    4: IPBlockedError,
    5: InvalidTimeError,
    6: MessageDeniedError,
    7: InvalidPhoneError,
    8: UndeliverableError,
    9: TooManyRequestsError,
}
"""``send.php`` (§5.1); a cost query is a ``send.php`` request too."""

STATUS_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    4: IPBlockedError,
    5: DeleteError,
    9: TooManyRequestsError,
}
"""``status.php`` (§5.2), with and without ``del=1``."""

BALANCE_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    4: IPBlockedError,
    9: TooManyRequestsError,
}
"""``balance.php`` (§5.3)."""

GET_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    4: IPBlockedError,
    9: TooManyRequestsError,
}
"""``get.php``: history, received messages, statistics, prices (§5.4; 9 for the limits and
15+ simultaneous requests)."""

JOB_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    3: RecordNotSavedError,
    4: IPBlockedError,
    5: InvalidTimeError,
    9: TooManyRequestsError,
}
"""``jobs.php``, every action: the mailing page's own table (1, 2, 3 = a record could not be
saved, 4, 5 = a date in a bad format, 9), not the table of ``send.php``."""

OPERATOR_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    3: OperatorNotFoundError,
    4: IPBlockedError,
    9: TooManyRequestsError,
}
"""``info.php?get_operator=1`` (§5.4, §11.6)."""

# How long to wait before the same request may succeed (protocol reference §5.1, §5.6).
_RETRY_AFTER: Final[Mapping[int, float]] = {4: 600.0, 9: 60.0}


def api_error(
    command: str,
    table: ErrorTable,
    code: int,
    description: str | None = None,
    *,
    message_id: int | str | None = None,
) -> APIError:
    """The typed exception for error ``code`` answered to ``command``, from its ``table``."""
    cls = table.get(code, APIError)
    return cls(
        code,
        description,
        message_id=message_id,
        command=command,
        retry_after=_RETRY_AFTER.get(code),
    )


ACCOUNT_DATA_ERRORS: Final[ErrorTable] = {
    1: ParametersError,
    2: AuthenticationError,
    4: IPBlockedError,
    9: TooManyRequestsError,
}
"""``senders.php``, ``phones.php``, ``templates.php``, ``op_templates.php``, ``users.php``
(§5.4, §11): 1, 2, 4 and 9 as on every command; an unknown record answers 1 ([INF])."""

SUBCLIENT_PAYMENT_ERRORS: Final[ErrorTable] = {**ACCOUNT_DATA_ERRORS, 3: InsufficientFundsError}
"""``users.php?pay=1``: as :data:`ACCOUNT_DATA_ERRORS`, and 3 when the account lacks the sum
(the code of ``send.php``; undocumented for ``users.php``, an assumption)."""
