"""A run of the SDK that touches every event: sends that fail over, are refused, end unknown,
a limiter's refusal, an error-9 pause and a campaign resumed with messages in doubt.

Every value a caller could regret seeing in telemetry is planted once, unique, so that a scan
of what was recorded finds it if it leaked anywhere.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import httpx

from smsc import (
    AsyncSMSCClient,
    BulkMessage,
    CampaignProgress,
    IdenticalRequestError,
    InProcessLimiter,
    SendOutcomeUnknownError,
    TooManyRequestsError,
)
from smsc.events import Hook
from smsc.testing import SMSCEmulator

LOGIN = "lgnQ7ZpXw"
PASSWORD = "pwdK3vR9tq"
API_KEY = "keyM4nB8yL2c"
PHONE = "79995550173"
REFUSED_PHONE = "79995550288"
BUSY_PHONE = "79995550399"
TEXT = "txtHostile-Zq81 secret note"
CAMPAIGN_PHONES = [f"7999666{n:04d}" for n in range(40)]
CAMPAIGN_TEXT = "cmpText-Wy62 order ready"

PRIMARY = "https://primary.smsc.test"
MIRROR = "https://mirror.smsc.test"


def planted() -> list[str]:
    """Every planted value, and the forms a phone may take (without 7, masked tail)."""
    phones = [PHONE, REFUSED_PHONE, BUSY_PHONE, *CAMPAIGN_PHONES]
    return [
        LOGIN,
        PASSWORD,
        API_KEY,
        TEXT,
        "txtHostile",
        CAMPAIGN_TEXT,
        "cmpText",
        *phones,
        *(phone[1:] for phone in phones),
    ]


class Sites(httpx.AsyncBaseTransport):
    """Two sites on one emulator: the primary refuses connections while ``down``, and the
    answers of the next ``lose_sends`` sends are lost (HTTP 500 after the service acted)."""

    def __init__(self, emulator: SMSCEmulator) -> None:
        self._app = httpx.ASGITransport(app=emulator.app)
        self.down = False
        self.lose_sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down and request.url.host == "primary.smsc.test":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        response = await self._app.handle_async_request(request)
        if self.lose_sends and request.url.path.endswith("/send.php"):
            self.lose_sends -= 1
            await response.aread()
            return httpx.Response(500, request=request)
        return response


def client(sites: Sites, hooks: list[Hook], **options: object) -> AsyncSMSCClient:
    return AsyncSMSCClient(
        login=LOGIN,
        password=PASSWORD,
        host=PRIMARY,
        mirrors=[MIRROR],
        mirror_cooldown=0,
        transport=sites,
        hooks=hooks,
        **options,  # type: ignore[arg-type]
    )


async def no_sleep(seconds: float) -> None:
    """The campaign's sleep: no real waiting (the steps are recorded by the caller)."""


async def run(
    emulator: SMSCEmulator,
    journal: Path,
    hooks: list[Hook],
    on_progress: Callable[[CampaignProgress], None] | None = None,
    sleeps: list[float] | None = None,
) -> None:
    """The whole scenario; ``hooks`` see every client's events."""
    emulator.add_account(LOGIN, PASSWORD, api_key=API_KEY, balance=100_000)
    sites = Sites(emulator)
    recorded = [] if sleeps is None else sleeps

    async def sleep(seconds: float) -> None:
        recorded.append(seconds)

    async with client(sites, hooks, limiter=InProcessLimiter()) as smsc:
        await smsc.send(PHONE, TEXT)  # answered
        sites.down = True
        await smsc.send(PHONE, TEXT + " again")  # fails over to the mirror
        await smsc.balance()  # a query on the mirror
        sites.down = False
        emulator.fail_next_sends(REFUSED_PHONE, 7)
        with contextlib.suppress(Exception):
            await smsc.send(REFUSED_PHONE, TEXT)  # refused: error 7
        emulator.fail_next_sends(BUSY_PHONE, 9)
        with contextlib.suppress(TooManyRequestsError):
            await smsc.send(BUSY_PHONE, TEXT)  # error 9
        with contextlib.suppress(IdenticalRequestError):
            await smsc.send(PHONE, TEXT)  # the limiter refuses an identical send
        sites.lose_sends = 1
        with contextlib.suppress(SendOutcomeUnknownError):
            await smsc.send(PHONE, TEXT + " lost")  # outcome unknown

    batch = [BulkMessage(phone, CAMPAIGN_TEXT) for phone in CAMPAIGN_PHONES]
    async with AsyncSMSCClient(
        api_key=API_KEY, host=PRIMARY, transport=sites, hooks=hooks, max_concurrency=1
    ) as smsc:
        # The first run loses the answer of its first packed send: 10 messages in doubt.
        sites.lose_sends = 1
        emulator.fail_next_sends(CAMPAIGN_PHONES[-1], 9)
        await smsc.campaign(
            batch, journal=journal, max_lines=10, settle_after=0, busy_pause=0, sleep=sleep
        ).run()
        # The resumed run settles them (asking status after settle_after), then finishes.
        await smsc.campaign(
            batch,
            journal=journal,
            max_lines=10,
            settle_after=5,
            busy_pause=0,
            on_progress=on_progress,
            sleep=sleep,
        ).run()
