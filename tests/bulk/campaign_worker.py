"""A campaign in its own process, for the kill -9 test (``URL JOURNAL COUNT``)."""

from __future__ import annotations

import asyncio
import sys

from smsc import AsyncSMSCClient, BulkMessage


async def main(url: str, journal: str, count: int) -> None:
    batch = [
        BulkMessage(f"7999{n:07d}", f"Order {n} is ready.\nPick it up today.") for n in range(count)
    ]
    async with AsyncSMSCClient(
        login="shop", password="shop-pass", host=url, allow_http=True, max_concurrency=2
    ) as client:
        await client.campaign(batch, journal=journal, max_lines=20, settle_after=0).run()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
