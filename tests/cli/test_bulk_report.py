"""``smsc bulk``'s exit code from the campaign's state: never 0 or 3 with messages left."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smsc import CampaignProgress
from smsc.cli._exits import ExitCode
from smsc.cli.commands._bulk_view import RunReport


def _progress(*, planned: int = 0, in_flight: int = 0, refused: int = 0) -> CampaignProgress:
    accepted = 10 - planned - in_flight - refused
    return CampaignProgress(
        total=10, planned=planned, in_flight=in_flight, accepted=accepted, refused=refused,
        unknown=0, requests=1, cost=Decimal(0), elapsed=1.0, sent_this_run=accepted + refused,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("progress", "code"),
    [
        (_progress(), ExitCode.OK),
        (_progress(refused=1), ExitCode.REFUSED),
        (_progress(planned=2), ExitCode.OUTCOME_UNKNOWN),
        (_progress(in_flight=2), ExitCode.OUTCOME_UNKNOWN),
        (_progress(planned=1, refused=1), ExitCode.OUTCOME_UNKNOWN),
        (_progress(in_flight=1, refused=1), ExitCode.OUTCOME_UNKNOWN),
    ],
    ids=["all accepted", "refused", "planned", "in flight", "planned+refused", "flight+refused"],
)
def test_bulk_never_exits_0_or_3_with_messages_planned_or_in_flight(
    progress: CampaignProgress, code: ExitCode
) -> None:
    assert RunReport(progress=progress).exit_code() is code
