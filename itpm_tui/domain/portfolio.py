"""The portfolio: every project's health in one table, the one on fire first.

Pure: the caller passes each project's health today and its overall rating a week earlier
(replayed from the audit log by ``reports.portfolio_view``), so a PM sees which project got
worse since last week's status report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from itpm_tui.domain.health import MilestoneReport, ProjectHealth
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.schedule import MilestoneStatus, TaskFlagKind

COUNTED_FLAGS: tuple[TaskFlagKind, ...] = (
    TaskFlagKind.OVERDUE,
    TaskFlagKind.BLOCKED,
    TaskFlagKind.AT_RISK,
)
"""The task flags the portfolio counts per project, most pressing first."""
TREND_DAYS = 7
"""The trend compares today with this many calendar days ago (last week's report)."""


class Trend(StrEnum):
    """How the overall rating moved since a week ago; each has a symbol that reads without colour."""

    WORSE = "worse"
    BETTER = "better"
    SAME = "same"
    NEW = "new"
    """No rating a week ago (the project or its data is newer)."""

    @property
    def symbol(self) -> str:
        """``▼`` worse, ``▲`` better, ``=`` same, ``+`` new."""
        return {"worse": "▼", "better": "▲", "same": "=", "new": "+"}[self.value]


@dataclass(frozen=True)
class PortfolioRow:
    """One project in the portfolio table."""

    health: ProjectHealth
    trend: Trend
    next_milestone: MilestoneReport | None
    """The earliest open milestone by forecast (``None``: all done or none set)."""

    @property
    def why(self) -> str:
        """Why the project is rated so: the first reason of the first part (budget, then
        schedule, then milestones by date) that carries the overall rating; for a green
        project the overall sentence ("every rated part is green")."""
        health = self.health
        overall = health.overall
        parts = (health.budget, health.schedule, *(m.flag for m in health.milestones))
        if overall.rag in (Rag.RED, Rag.AMBER):
            for part in parts:
                if part.rag is overall.rag and part.reasons:
                    prefix = "" if part is health.budget or part is health.schedule else (
                        f"{part.subject}: ")  # fmt: skip
                    return prefix + part.reasons[0]
        return overall.reasons[0] if overall.reasons else "nothing is rated yet"

    def count(self, kind: TaskFlagKind) -> int:
        """Open tasks with this flag."""
        return self.health.task_count(kind)


def _trend(now: Rag, before: Rag | None) -> Trend:
    if before is None or before is Rag.NO_DATA:
        return Trend.NEW if now is not Rag.NO_DATA else Trend.SAME
    if now.severity > before.severity:
        return Trend.WORSE
    if now.severity < before.severity:
        return Trend.BETTER
    return Trend.SAME


def _next_milestone(health: ProjectHealth) -> MilestoneReport | None:
    open_ = [m for m in health.milestones
             if m.health.status not in (MilestoneStatus.DONE, MilestoneStatus.DONE_LATE)]  # fmt: skip
    return min(open_, key=lambda m: (m.health.forecast, m.health.milestone_id), default=None)


def portfolio_rows(
    now: Iterable[ProjectHealth], week_ago: Mapping[str, Rag]
) -> tuple[PortfolioRow, ...]:
    """Every project, worst overall rating first; then the most overdue work, then by key.

    ``week_ago`` maps project keys to their overall rating ``TREND_DAYS`` earlier.
    """
    rows = [
        PortfolioRow(h, _trend(h.overall.rag, week_ago.get(h.project_key)), _next_milestone(h))
        for h in now
    ]
    return tuple(sorted(rows, key=lambda r: (-r.health.overall.rag.severity,
                                             -r.count(TaskFlagKind.OVERDUE),
                                             r.health.project_key)))  # fmt: skip
