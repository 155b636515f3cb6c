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
    ParametersError,
    TooManyRequestsError,
    UndeliverableError,
)

__all__ = ["BALANCE_ERRORS", "SEND_ERRORS", "STATUS_ERRORS", "ErrorTable", "api_error"]

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
