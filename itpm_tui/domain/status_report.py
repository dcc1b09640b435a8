"""The weekly status report: each project's health at the week's end against a week earlier.

Pure: the caller passes, per project, its health and tasks at the end of the week and at
the end of the week before (tasks rebuilt from the audit log by ``reports``), and the
stand-up entries of the week; ``build_status_report`` returns a frozen value that the
renderers in ``domain/report_render.py`` turn into Markdown, HTML or JSON.

What "changed this week" means, for the week ``(week_end - 7 days, week_end]``:

- **RAG moves**: overall, budget, schedule and each milestone whose rating differs from the
  one at the end of the previous week.
- **Forecasts moved**: open milestones whose forecast in force differs between both days.
- **Tasks done**: tasks done at the week's end whose ``done_at`` falls in the week.
- **New blockers**: tasks blocked at the week's end that were not blocked (or did not exist)
  a week earlier.
- **Budget burn**: AC at the week's end minus AC a week earlier (cost entries of the week).

Blockers that need stakeholder help are the tasks blocked, or waiting on someone, at the
week's end, and the blockers said in the week's stand-ups of the project. Next week's
planned work is the open tasks due, planned to start or planned to finish in the seven
days after the week's end.

When the project has a RAID log, its section lists the top open risks (worst score
first), the open issues, the decisions made in the week and those still proposed, each as
it stood at the week's end. People lists the project's task owners who are over capacity
in the two ISO weeks after the week's end, counting their work in every project. A week
that ends before the project's first task or cost entry says so instead of rating it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.evm import EarnedValue
from itpm_tui.domain.health import MilestoneReport, ProjectHealth
from itpm_tui.domain.portfolio import PortfolioRow, Trend
from itpm_tui.domain.rag import Flag, Rag
from itpm_tui.domain.raid import RiskRating, rate, summarise
from itpm_tui.domain.schedule import TrendDirection
from itpm_tui.domain.workload import WeekLoad, Workload, over_sentence
from itpm_tui.models import (
    RaidItem,
    RaidKind,
    RaidStatus,
    RiskSettings,
    StandupEntry,
    Status,
    TaskFacts,
)

WEEK_DAYS = 7
"""A report covers this many calendar days, ending on its as-of day."""
TOP_RISKS = 5
"""Open risks the report lists (the count says how many more there are)."""
REPORT_LOAD_WEEKS = 2
"""ISO weeks after the week's end whose over-allocation the report names."""


@dataclass(frozen=True)
class RagMove:
    """One rating that changed during the week."""

    subject: str
    before: Rag
    after: Rag

    @property
    def worse(self) -> bool:
        """The rating is more severe than a week earlier."""
        return self.after.severity > self.before.severity


@dataclass(frozen=True)
class ForecastMove:
    """An open milestone whose forecast moved during the week."""

    name: str
    before: date
    after: date
    slip_before: int
    slip_after: int


@dataclass(frozen=True)
class TaskItem:
    """A task as the report lists it."""

    task_id: int
    title: str
    status: Status
    assignee: str | None
    due: date | None
    planned_start: date | None = None
    planned_finish: date | None = None
    note: str = ""
    """Why it is listed: the blocked reason, whom it waits on, or when it was done."""


@dataclass(frozen=True)
class StandupBlocker:
    """A blocker someone said in one of the week's stand-ups."""

    held_on: date
    person: str
    text: str


@dataclass(frozen=True)
class WeekChanges:
    """What moved since the previous week's report."""

    rag_moves: tuple[RagMove, ...]
    forecast_moves: tuple[ForecastMove, ...]
    done: tuple[TaskItem, ...]
    new_blockers: tuple[TaskItem, ...]
    burn: Decimal | None
    """Actual cost booked in the week; ``None`` when the project has no budget data."""
    applied: tuple[str, ...] = ()
    """Change requests applied in the week (each re-baselined the project), as sentences."""

    @property
    def quiet(self) -> bool:
        """Nothing changed: the section collapses to one line."""
        return not (self.rag_moves or self.forecast_moves or self.done or self.new_blockers
                    or self.burn or self.applied)  # fmt: skip


@dataclass(frozen=True)
class MilestoneLine:
    """One milestone: baseline, forecast, slip and trend (the points feed the sparkline)."""

    name: str
    baseline: date
    forecast: date
    actual: date | None
    slip: int
    status: str
    rag: Rag
    trend: TrendDirection
    trend_slips: tuple[int, ...]
    """The slip of each forecast recorded up to the week's end, oldest first."""
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RaidLine:
    """One RAID item as the report lists it, as it stood at the week's end."""

    ref: str
    """``R12``, ``I3``, ``D5``."""
    title: str
    owner: str | None
    status: RaidStatus
    score: Decimal | None = None
    band: str | None = None
    exposure: Decimal | None = None
    """Probability times cost impact, in the project's currency (risks with a cost)."""
    response: str | None = None
    mitigation: str = ""
    review_on: date | None = None


@dataclass(frozen=True)
class RaidSection:
    """What stakeholders need of the project's RAID log at the week's end."""

    risks: tuple[RaidLine, ...]
    """The worst open risks, at most ``TOP_RISKS``, worst score first."""
    open_risks: int
    exposure: Decimal
    """The open risks' summed exposure: the contingency they need."""
    contingency: Decimal | None
    issues: tuple[RaidLine, ...]
    """Open issues, oldest first."""
    decided: tuple[RaidLine, ...]
    """Decisions made in the week."""
    pending: tuple[RaidLine, ...]
    """Decisions proposed and not made yet."""

    @property
    def quiet(self) -> bool:
        """Nothing open and nothing decided: the section is one line."""
        return not (self.risks or self.issues or self.decided or self.pending)


@dataclass(frozen=True)
class OverLoad:
    """A task owner of the project over capacity in a week after the report's week."""

    login: str
    week: WeekLoad
    """The first such ISO week: its work and the hours available."""
    more_weeks: int
    """Later weeks of the ``REPORT_LOAD_WEEKS`` that are over too."""

    @cached_property
    def sentence(self) -> str:
        """As Health and the board say it (``domain.workload.over_sentence``); worked out
        once, though the Markdown and the HTML both say it."""
        return over_sentence(self.login, self.week, self.more_weeks)


@dataclass(frozen=True)
class ProjectReport:
    """One project's section of the weekly report."""

    key: str
    name: str
    currency: str
    overall: Flag
    overall_before: Rag | None
    """The overall rating a week earlier (``None``: the project had no rating then)."""
    budget: Flag
    schedule: Flag
    changes: WeekChanges
    milestones: tuple[MilestoneLine, ...]
    evm: EarnedValue | None
    """``None`` when the project has no budget (BAC 0) and no baseline: "no data"."""
    blocked: tuple[TaskItem, ...]
    standup_blockers: tuple[StandupBlocker, ...]
    next_week: tuple[TaskItem, ...]
    notes: tuple[str, ...]
    why: str = ""
    """The reason that decides the overall rating (as the portfolio says it)."""
    raid: RaidSection | None = None
    """``None`` when the project has no RAID item (the section is left out)."""
    over_capacity: tuple[OverLoad, ...] = ()
    recorded: bool = True
    """False when nothing was recorded for the project by the week's end: not rated."""

    @property
    def milestones_green(self) -> bool:
        """Every milestone is rated green (or reached): the section is one line."""
        return all(m.rag in (Rag.GREEN, Rag.NO_DATA) for m in self.milestones
                   if m.actual is None)  # fmt: skip

    @property
    def evm_green(self) -> bool:
        """Budget and schedule are both green: the EVM table collapses to one line."""
        return self.budget.rag is Rag.GREEN and self.schedule.rag is Rag.GREEN


@dataclass(frozen=True)
class StatusReport:
    """The weekly status report of one project or of the portfolio."""

    week_start: date
    """The first day of the week reported (the day after the previous report)."""
    week_end: date
    """The as-of day: the report is what was known at its end."""
    scope: str
    """``portfolio`` or a project key."""
    projects: tuple[ProjectReport, ...]
    """Worst overall rating first, then by key."""


@dataclass(frozen=True)
class ProjectWeek:
    """What the caller reads for one project: health and tasks at both days, the stand-ups."""

    now: ProjectHealth
    before: ProjectHealth
    tasks_now: tuple[TaskFacts, ...]
    tasks_before: tuple[TaskFacts, ...]
    standup_entries: tuple[StandupEntry, ...] = ()
    """Entries of the week's stand-ups held for this project."""
    team_entries: tuple[StandupEntry, ...] = ()
    """Entries of the week's team stand-ups: only blockers naming a task of the project
    (``#12``) count for it."""
    applied_changes: tuple[str, ...] = ()
    """Change requests applied in the week, said as sentences by the caller."""
    raid_now: tuple[RaidItem, ...] = ()
    """The project's RAID items as they stood at the week's end (raised by then)."""
    raid_before: tuple[RaidItem, ...] = ()
    """The same a week earlier (to tell the decisions made in the week)."""
    risk_settings: RiskSettings = field(default_factory=RiskSettings)
    load: Workload | None = None
    """Everyone's load from the day after the week's end, from the tasks as they stood then."""
    first_record: date | None = None
    """The day of the project's first task or cost entry (None: none at all). A week that
    ends before it is not rated: the project did not exist yet."""


def _item(task: TaskFacts, note: str = "") -> TaskItem:
    return TaskItem(task.id, task.title, task.status, task.assignee, task.due,
                    task.planned_start, task.planned_finish, note)  # fmt: skip


def _blocked_note(task: TaskFacts, week_end: date) -> str:
    parts = []
    if task.status is Status.BLOCKED:
        since = (f" since {short_date(task.blocked_since.date(), week_end)}"
                 if task.blocked_since else "")  # fmt: skip
        parts.append(f"blocked{since}" + (f": {task.blocked_reason}" if task.blocked_reason
                                          else ""))  # fmt: skip
    if task.waiting_on:
        parts.append(f"waiting on {task.waiting_on}")
    return "; ".join(parts)


def _rag_moves(now: ProjectHealth, before: ProjectHealth) -> tuple[RagMove, ...]:
    moves = []
    pairs: list[tuple[Flag, Flag | None]] = [
        (now.overall, before.overall), (now.budget, before.budget),
        (now.schedule, before.schedule),
    ]  # fmt: skip
    earlier = {m.health.milestone_id: m.flag for m in before.milestones}
    pairs += [(m.flag, earlier.get(m.health.milestone_id)) for m in now.milestones]
    for flag, old in pairs:
        if old is not None and old.rag is not flag.rag and old.rag is not Rag.NO_DATA:
            moves.append(RagMove(flag.subject, old.rag, flag.rag))
    return tuple(moves)


def _forecast_moves(now: ProjectHealth, before: ProjectHealth) -> tuple[ForecastMove, ...]:
    earlier = {m.health.milestone_id: m.health for m in before.milestones}
    moves = []
    for m in now.milestones:
        old = earlier.get(m.health.milestone_id)
        if old is None or m.health.is_done or old.forecast == m.health.forecast:
            continue
        moves.append(ForecastMove(m.health.name, old.forecast, m.health.forecast, old.slip,
                                  m.health.slip))  # fmt: skip
    return tuple(moves)


def _milestone_line(report: MilestoneReport) -> MilestoneLine:
    m = report.health
    return MilestoneLine(
        name=m.name, baseline=m.baseline, forecast=m.forecast, actual=m.actual, slip=m.slip,
        status=m.status.value, rag=report.flag.rag, trend=m.trend.direction,
        trend_slips=tuple(p.slip for p in m.trend.points), reasons=report.flag.reasons,
    )  # fmt: skip


def _has_budget(ev: EarnedValue) -> bool:
    return ev.bac > 0 or ev.baseline_task_count > 0 or ev.ac > 0


_TASK_REF = re.compile(r"#(\d+)")


def _standup_blockers(
    week: ProjectWeek, listed: set[int], week_start: date, week_end: date
) -> tuple[StandupBlocker, ...]:
    """The week's stand-up blockers of the project not already listed as blocked tasks.

    A blocker that names only tasks listed above (``#12 ...``) says nothing new; one of a
    team stand-up counts only when it names a task of this project.
    """
    ours = {t.id for t in week.tasks_now}
    said: dict[tuple[str, str], StandupBlocker] = {}
    entries = [(e, True) for e in week.standup_entries] + [(e, False) for e in week.team_entries]
    for entry, own in sorted(entries, key=lambda pair: (pair[0].held_on, pair[0].position)):
        for part in entry.blockers.split(";"):
            text = part.strip()
            if not text or not week_start <= entry.held_on <= week_end:
                continue
            refs = {int(n) for n in _TASK_REF.findall(text)}
            if (not own and not refs & ours) or (refs and refs <= listed):
                continue
            said[(entry.person, text)] = StandupBlocker(entry.held_on, entry.person, text)
    return tuple(sorted(said.values(), key=lambda b: (b.held_on, b.person, b.text)))


def _raid_line(item: RaidItem, rating: RiskRating | None) -> RaidLine:
    return RaidLine(
        ref=item.ref, title=item.title, owner=item.owner, status=item.status,
        score=rating.score if rating else None,
        band=rating.band.value if rating else None,
        exposure=rating.exposure if rating else None,
        response=item.response.value if item.response else None,
        mitigation=item.mitigation, review_on=item.review_on,
    )  # fmt: skip


def raid_section(week: ProjectWeek) -> RaidSection | None:
    """The RAID section from the items at the week's end and a week earlier."""
    items, settings = week.raid_now, week.risk_settings
    if not items:
        return None
    risks = [r for i in items if i.kind is RaidKind.RISK and i.is_open
             for r in (rate(i, settings),) if r is not None]  # fmt: skip
    risks.sort(key=lambda r: (-r.score, r.item.id))
    summary = summarise(items, settings)
    made_before = {i.id for i in week.raid_before if i.status is RaidStatus.MADE}
    decisions = [i for i in items if i.kind is RaidKind.DECISION]

    def line(item: RaidItem) -> RaidLine:  # not a risk: rated only if it has P and I
        return _raid_line(item, rate(item, settings))

    return RaidSection(
        risks=tuple(_raid_line(r.item, r) for r in risks[:TOP_RISKS]),
        open_risks=summary.open_risks, exposure=summary.exposure,
        contingency=summary.contingency,
        issues=tuple(line(i) for i in items if i.kind is RaidKind.ISSUE and i.is_open),
        decided=tuple(line(i) for i in decisions
                      if i.status is RaidStatus.MADE and i.id not in made_before),
        pending=tuple(line(i) for i in decisions if i.status is RaidStatus.PROPOSED),
    )  # fmt: skip


def over_capacity(week: ProjectWeek) -> tuple[OverLoad, ...]:
    """The project's task owners over capacity in the ``REPORT_LOAD_WEEKS`` after the week's
    end."""
    if week.load is None:
        return ()
    owners = {t.assignee for t in week.tasks_now if t.is_open and t.assignee}
    found = []
    for person in week.load.people:
        over = [w for w in person.weeks[:REPORT_LOAD_WEEKS] if w.over]
        if person.login in owners and over:
            found.append(OverLoad(person.login, over[0], len(over) - 1))
    return tuple(sorted(found, key=lambda o: o.login))


def _not_recorded(week: ProjectWeek, week_end: date) -> ProjectReport:
    """The section of a project with nothing recorded by the week's end: said, not rated."""
    now, first = week.now, week.first_record
    assert first is not None
    said = (f"Nothing was recorded for {now.project_key} by the end of this week: its first "
            f"task or cost entry is from {short_date(first, week_end, long=True)}.")  # fmt: skip
    flag = Flag("overall", Rag.NO_DATA, (said,))
    quiet = WeekChanges((), (), (), (), None)
    return ProjectReport(
        key=now.project_key, name=now.project_name, currency=now.currency, overall=flag,
        overall_before=None, budget=Flag("budget", Rag.NO_DATA, ()),
        schedule=Flag("schedule", Rag.NO_DATA, ()), changes=quiet, milestones=(), evm=None,
        blocked=(), standup_blockers=(), next_week=(), notes=(), why=said, recorded=False,
    )  # fmt: skip


def project_report(week: ProjectWeek, week_start: date, week_end: date) -> ProjectReport:
    """One project's section for the week ``week_start..week_end`` (both included)."""
    if week.first_record is not None and week.first_record > week_end:
        return _not_recorded(week, week_end)  # a project with nothing at all still shows its plan
    now, before = week.now, week.before
    was_blocked = {t.id for t in week.tasks_before if t.status is Status.BLOCKED}
    done = tuple(
        _item(t, f"done {short_date(t.done_at.date(), week_end)}")
        for t in week.tasks_now
        if t.status is Status.DONE and t.done_at is not None
        and week_start <= t.done_at.date() <= week_end
    )  # fmt: skip
    blocked_now = [t for t in week.tasks_now if t.status is Status.BLOCKED]
    new_blockers = tuple(_item(t, _blocked_note(t, week_end)) for t in blocked_now
                         if t.id not in was_blocked)  # fmt: skip
    budget = _has_budget(now.evm)
    burn = now.evm.ac - before.evm.ac if budget else None
    changes = WeekChanges(_rag_moves(now, before), _forecast_moves(now, before), done,
                          new_blockers, burn, week.applied_changes)  # fmt: skip
    help_needed = tuple(
        _item(t, _blocked_note(t, week_end))
        for t in week.tasks_now
        if t.is_open and (t.status is Status.BLOCKED or t.waiting_on)
    )
    horizon = week_end + timedelta(days=WEEK_DAYS)

    def upcoming(day: date | None) -> bool:
        return day is not None and week_end < day <= horizon

    planned = [t for t in week.tasks_now if t.is_open and (
        upcoming(t.due) or upcoming(t.planned_start) or upcoming(t.planned_finish))]  # fmt: skip
    planned.sort(key=lambda t: (min(d for d in (t.due, t.planned_start, t.planned_finish)
                                    if d is not None and upcoming(d)), t.id))  # fmt: skip
    said = _standup_blockers(week, {t.task_id for t in help_needed}, week_start, week_end)
    before_rag = before.overall.rag if before.overall.rag is not Rag.NO_DATA else None
    return ProjectReport(
        key=now.project_key, name=now.project_name, currency=now.currency,
        overall=now.overall, overall_before=before_rag, budget=now.budget,
        schedule=now.schedule, changes=changes,
        milestones=tuple(_milestone_line(m) for m in now.milestones),
        evm=now.evm if budget else None, blocked=help_needed, standup_blockers=said,
        next_week=tuple(_item(t) for t in planned), notes=now.notes,
        why=PortfolioRow(now, Trend.SAME, None).why,
        raid=raid_section(week), over_capacity=over_capacity(week),
    )  # fmt: skip


def build_status_report(weeks: Iterable[ProjectWeek], week_end: date, scope: str) -> StatusReport:
    """The weekly report ending on ``week_end`` for the given projects, worst first."""
    start = week_end - timedelta(days=WEEK_DAYS - 1)
    sections: Sequence[ProjectReport] = [project_report(w, start, week_end) for w in weeks]
    ordered = sorted(sections, key=lambda p: (-p.overall.rag.severity, p.key))
    return StatusReport(start, week_end, scope, tuple(ordered))
