"""``client.operators``: which operator serves a number (``info.php?get_operator=1``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._errors import InvalidResponseError, RequestValidationError
from .._models.reports import OperatorInfo
from .._privacy import mask_phones
from .._wire.reports import OPERATOR, OperatorQuery
from ._report_checks import check_phones

__all__ = ["Operators"]

log = logging.getLogger("smsc")


class Operators:
    """Operator lookups. Reached as ``client.operators``.

    The service answers error 9 to more than 3 identical lookups, or more than 100 of any
    kind, within a minute (:class:`TooManyRequestsError`, ``retry_after`` 60 s).
    """

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def lookup(self, phone: str, *, timeout: TimeoutArg = NOT_GIVEN) -> OperatorInfo:
        """The country, operator, region, MCC, MNC and time zone of ``phone``.

        Raises:
            RequestValidationError: not one phone number (nothing was sent).
            OperatorNotFoundError: the service knows no operator for the number (error 3).
            APIError: another refusal (a subclass per error code).
        """
        if not isinstance(phone, str):
            raise RequestValidationError("phone must be a string", field="phone")
        phones = check_phones(phone, field="phone", required=True)
        if len(phones) != 1:
            raise RequestValidationError("phone: give one number (see lookup_many)", field="phone")
        results = await self._query(phones, timeout)
        if len(results) != 1:
            raise InvalidResponseError(f"operator: expected one record, got {len(results)}")
        return results[0]

    async def lookup_many(
        self, phones: str | Sequence[str], *, timeout: TimeoutArg = NOT_GIVEN
    ) -> list[OperatorInfo]:
        """The operators of several numbers in one request, one :class:`OperatorInfo` each.

        Raises:
            RequestValidationError: no numbers, or one that is not a number (nothing sent).
            OperatorNotFoundError: the service knows no operator for one of them (error 3).
            APIError: another refusal (a subclass per error code).
        """
        return await self._query(check_phones(phones, field="phones", required=True), timeout)

    async def _query(self, phones: tuple[str, ...], timeout: TimeoutArg) -> list[OperatorInfo]:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("operator lookup of %s", mask_phones(phones))
        return await self._client._request(OPERATOR, OperatorQuery(phones), timeout)
