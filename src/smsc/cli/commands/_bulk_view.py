"""How ``smsc bulk`` shows a campaign: a live bar, plain lines, or JSON lines; the summary."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smsc import CampaignProgress, MessageOutcome

from .._exits import ExitCode
from .._output import State
from .._words import error_words

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["BulkView", "RunReport", "progress_record"]

SHOWN_REFUSALS = 20
"""Refused messages listed in the text summary (``--json`` lists them all)."""

_PLAIN_STEPS = 10
"""In a pipe, one progress line each time another tenth of the messages is done."""


def _eta_words(eta: float | None) -> str:
    if eta is None:
        return "?"
    seconds = math.ceil(eta)
    return f"{seconds // 60}:{seconds % 60:02d}"


def progress_record(progress: CampaignProgress) -> dict[str, object]:
    """A progress snapshot as a JSON-ready mapping (money as a string with its digits)."""
    return {
        "total": progress.total,
        "done": progress.done,
        "planned": progress.planned,
        "in_flight": progress.in_flight,
        "accepted": progress.accepted,
        "refused": progress.refused,
        "unknown": progress.unknown,
        "requests": progress.requests,
        "cost": str(progress.cost),
        "elapsed": round(progress.elapsed, 3),
        "rate": round(progress.rate, 1),
        "eta": None if progress.eta is None else round(progress.eta, 1),
        "phase": progress.phase,
        "in_doubt": progress.in_doubt - progress.settled,
        "settle_seconds_left": progress.settle_seconds_left,
    }


def _refusal_record(item: MessageOutcome) -> dict[str, object]:
    error = item.error()
    return {
        "row": item.index + 1,
        "phone": item.phone,
        "error_code": None if error is None else error.code,
        "error": None if error is None else str(error),
        "status": None if item.status is None else int(item.status),
        "delivery_error": error_words(item.delivery_error),
    }


@dataclass
class RunReport:
    """What this run of ``smsc bulk`` saw: its outcomes by state and the last snapshot."""

    accepted: int = 0
    unknown: int = 0
    refused: list[MessageOutcome] = field(default_factory=list)
    progress: CampaignProgress | None = None

    def exit_code(self) -> ExitCode:
        """4 when outcomes are left unknown, else 3 when a message was refused, else 0.

        Counts over the whole journal, so a resumed run ends with the campaign's state.
        """
        progress = self.progress
        if progress is None:
            return ExitCode.OK
        if progress.unknown or not progress.finished:
            return ExitCode.OUTCOME_UNKNOWN
        return ExitCode.REFUSED if progress.refused else ExitCode.OK


class BulkView:
    """Shows a campaign's progress as a bar (terminal), lines (pipe) or JSON lines."""

    def __init__(self, out: State, source: Path, journal: Path) -> None:
        self.out = out
        self.source = source
        self.journal = journal
        self.report = RunReport()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._plain_step = -1
        self._checking = True
        """No answer yet: the bar still says "checking" (the file is read and checked first)."""
        self._told_settle = False

    # ------------------------------------------------------------------ while it runs

    def __enter__(self) -> BulkView:
        if not self.out.json and self.out.console.is_terminal:
            self._bar = _new_bar(self.out)
            self._bar.start()
            self._task = self._bar.add_task(
                "checking",
                total=None,
                counts="",
                accepted=0,
                refused=0,
                unknown=0,
                doubt="",
                cost=0,
                rate=0.0,
                eta="?",
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            if self._checking:
                # Nothing was sent (a bad row or option, found while checking): the bar, still
                # at "checking", is erased instead of staying above the error line.
                self._bar.live.transient = True
            self._bar.stop()

    def on_progress(self, progress: CampaignProgress) -> None:
        """The campaign's ``on_progress``: called after every answer."""
        self.report.progress = progress
        self._checking = False
        if self.out.json:
            self.out.emit({"event": "progress"} | progress_record(progress))
        elif self._bar is not None and self._task is not None:
            in_doubt = progress.in_doubt - progress.settled
            self._bar.update(
                self._task,
                description=_phase_words(progress),
                total=progress.total,
                completed=progress.done,
                counts=f"{progress.done:,}/{progress.total:,}",
                accepted=progress.accepted,
                refused=progress.refused,
                unknown=progress.unknown,
                doubt=f"  in doubt {in_doubt:,}" if in_doubt else "",
                cost=progress.cost,
                rate=progress.rate,
                eta=_eta_words(progress.eta),
            )
        elif progress.settle_seconds_left is not None:
            if not self._told_settle:
                self._told_settle = True
                self.out.say(
                    f"{progress.in_doubt:,} messages in doubt from an earlier run: asking the "
                    f"service about them in {progress.settle_seconds_left:.0f} s "
                    "(--settle-after seconds after their request left)"
                )
        else:
            self._plain_line(progress)

    def waiting(self, seconds: float) -> None:
        """The campaign pauses (the service is busy; the settle wait shows through progress)."""
        progress = self.report.progress
        if progress is not None and progress.settle_seconds_left is not None:
            return  # counted down by on_progress, once a second
        what = f"pausing {seconds:.0f} s (the service said it is busy, or no site answered)"
        if self.out.json:
            self.out.emit({"event": "pause", "seconds": round(seconds, 1)})
        elif self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=f"pausing {seconds:.0f} s")
        else:
            self.out.say(what)

    def _plain_line(self, progress: CampaignProgress) -> None:
        if progress.total == 0 or progress.done == 0:
            return
        step = progress.done * _PLAIN_STEPS // progress.total
        if step <= self._plain_step:
            return
        self._plain_step = step
        self.out.say(
            f"{progress.done:,}/{progress.total:,} messages: {progress.accepted:,} accepted, "
            f"{progress.refused:,} refused, {progress.unknown:,} unknown, "
            f"{progress.rate:,.0f} msg/s"
        )

    # ------------------------------------------------------------------ at the end

    def summary(self, stopped: str | None = None) -> None:
        """The summary table (or JSON document) of the campaign as the journal has it."""
        report = self.report
        progress = report.progress
        if self.out.json:
            self.out.emit(self._summary_record(stopped))
            return
        if progress is None:
            return
        refused_here = len(report.refused)
        left = progress.planned + progress.in_flight
        self.out.say("")
        self.out.table(
            [
                ("campaign", f"{self.source} (journal {self.journal})"),
                ("messages", f"{progress.total:,}"),
                ("accepted", f"{progress.accepted:,}"),
                ("refused", f"{progress.refused:,}"),
                ("unknown", f"{progress.unknown:,}" if progress.unknown else None),
                ("not sent", f"{left:,}" if left else None),
                ("requests", f"{progress.requests:,} this run"),
                ("cost", f"{progress.cost} this run"),
                ("time", f"{progress.elapsed:.1f} s, {progress.rate:,.0f} msg/s"),
            ]
        )
        for item in report.refused[:SHOWN_REFUSALS]:
            self.out.say(f"  refused: row {item.index + 1}, {item.phone}: {_refusal_words(item)}")
        if refused_here > SHOWN_REFUSALS:
            self.out.say(f"  ... and {refused_here - SHOWN_REFUSALS} more (--json lists all)")
        if progress.refused > refused_here:
            self.out.say(
                f"  ({progress.refused - refused_here} refused in earlier runs of this journal)"
            )
        if stopped is None and progress.unknown:
            self.out.say(
                "  run the same command again to settle the unknown ones (they are asked "
                "with status, never sent again blindly)"
            )

    def _summary_record(self, stopped: str | None) -> dict[str, object]:
        report = self.report
        progress = report.progress
        record: dict[str, object] = {
            "event": "summary",
            "file": str(self.source),
            "journal": str(self.journal),
            "finished": progress is not None and progress.finished and stopped is None,
            "stopped_by": stopped,
        }
        if progress is not None:
            record |= progress_record(progress)
        record["refused_this_run"] = [_refusal_record(item) for item in report.refused]
        record["exit_code"] = None if stopped else int(report.exit_code())
        return record


def _refusal_words(item: MessageOutcome) -> str:
    error = item.error()
    words = error_words(item.delivery_error)
    if error is None:  # pragma: no cover - a refused outcome always has its error
        return "refused"
    return f"SMSC error {error.code}: {words}" if words else str(error)


def _phase_words(progress: CampaignProgress) -> str:
    left = progress.settle_seconds_left
    if left is not None:
        return f"settling in {math.ceil(left)} s"
    return "settling" if progress.phase == "settling" else "sending"


def _new_bar(out: State) -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),  # 1,550/5,000: grouped like the other counts
        TextColumn(
            "accepted {task.fields[accepted]:,}  refused {task.fields[refused]:,}  "
            "unknown {task.fields[unknown]:,}{task.fields[doubt]}  cost {task.fields[cost]}  "
            "{task.fields[rate]:,.0f} msg/s  left {task.fields[eta]}"
        ),
        console=out.console,
        refresh_per_second=8,
    )
