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
        electronic_balance: bool = False,
        account_currency: bool = False,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> Statistics:
        """SMS sent, money spent and money put on the account from ``start`` to ``end``.

        The answer holds no balance; read it with ``client.balance()``.

        Args:
            start: the first day (a ``date``; an aware ``datetime`` is read in Moscow time).
            end: the last day (included).
            electronic_balance: the statistics of the messages paid from the electronic
                balance (``balance2=1``) instead of the usual ones.
            account_currency: the figures in the account's current currency (``mycur=1``).
            timeout: override the client's timeout for this call.

        Raises:
            RequestValidationError: a bad argument (nothing was sent).
            APIError: the service refused (a subclass per error code).
        """
        first, last = check_period(start, end)
        for field, value in (
            ("electronic_balance", electronic_balance),
            ("account_currency", account_currency),
        ):
            if not isinstance(value, bool):
                raise RequestValidationError(f"{field} must be True or False", field=field)
        query = StatisticsQuery(first, last, electronic_balance, account_currency)
        return await self._client._request(STATISTICS, query, timeout)

    async def prices(self, *, timeout: TimeoutArg = NOT_GIVEN) -> list[PriceZone]:
        """The account's prices, one :class:`PriceZone` per zone of numbers.

        The service answers error 9 to more than three such requests a minute.

        Raises:
            APIError: the service refused (a subclass per error code).
        """
        return await self._client._request(PRICES, None, timeout)
