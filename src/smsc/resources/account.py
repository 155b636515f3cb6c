"""``client.account``: what the account sent and paid, and its prices (``get.php``)."""

from __future__ import annotations

from datetime import date

from .._base_client import NOT_GIVEN, BaseClient, TimeoutArg
from .._errors import RequestValidationError
from .._models.reports import PriceZone, Statistics
from .._wire.reports import PRICES, STATISTICS, StatisticsQuery
from ._report_checks import check_period

__all__ = ["Account"]


class Account:
    """Statistics and prices of the account. Reached as ``client.account``."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def statistics(
        self,
        *,
        start: date,
        end: date,
        with_balance: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> Statistics:
        """SMS sent, money spent and money put on the account from ``start`` to ``end``.

        Args:
            start: the first day (a ``date``; an aware ``datetime`` is read in Moscow time).
            end: the last day (included).
            with_balance: also report the balance (``balance2=1``).
            timeout: override the client's timeout for this call.

        Raises:
            RequestValidationError: a bad argument (nothing was sent).
            APIError: the service refused (a subclass per error code).
        """
        first, last = check_period(start, end)
        if not isinstance(with_balance, bool):
            raise RequestValidationError("with_balance must be True or False", field="with_balance")
        query = StatisticsQuery(first, last, with_balance)
        return await self._client._request(STATISTICS, query, timeout)

    async def prices(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[PriceZone]:
        """The account's prices, one :class:`PriceZone` per zone of numbers.

        The service answers error 9 to more than three such requests a minute.

        Raises:
            APIError: the service refused (a subclass per error code).
        """
        return await self._client._request(PRICES, None, timeout)
