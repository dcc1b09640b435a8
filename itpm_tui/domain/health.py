"""Project health: earned value, milestones, task flags and RAG flags in one result, for people and JSON.

``project_health`` is the one entry point; ``ProjectHealth.to_json_dict`` gives every number
exact (Decimals as strings) and ``format_health_text`` a rounded plain-text table. Neither reads
the clock or the database: the caller passes the project's tasks, milestones and cost entries
and the as-of date.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.change import BaselineNote
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.evm import DEFAULT_BURN_WINDOW, EarnedValue, earned_value
from itpm_tui.domain.labour import NO_LABOUR, LabourCost, hours_of
from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.rag import (
    Flag,
    Rag,
    budget_flag,
    milestone_flag,
    overall_flag,
    schedule_flag,
)
from itpm_tui.domain.schedule import (
    MilestoneHealth,
    TaskFlag,
    TaskFlagKind,
    flag_tasks,
    milestone_health,
)
from itpm_tui.models import CostFacts, Milestone, Project, RagThresholds, TaskFacts

NONE_TEXT = "—"
"""How an unknown value is shown to people."""


@dataclass(frozen=True)
class MilestoneReport:
    """A milestone's slip, status and trend, and its RAG flag."""

    health: MilestoneHealth
    flag: Flag
    original_baseline: date | None = None
    """The project's original baseline of the milestone, when a change request moved it."""
    original_slip: int | None = None
    """Working days the forecast (or actual) lies after that original baseline."""


@dataclass(frozen=True)
class ProjectHealth:
    """Everything the health screen and ``itpm-tui health`` show for one project."""

    project_id: int
    project_key: str
    project_name: str
    currency: str
    as_of: date
    evm: EarnedValue
    overall: Flag
    """The worst of budget, schedule and the open milestones."""
    budget: Flag
    schedule: Flag
    milestones: tuple[MilestoneReport, ...]
    """By baseline date."""
    task_flags: tuple[TaskFlag, ...]
    """Every flag on every open task, by task then kind."""
    notes: tuple[str, ...]
    """Data problems that limit the numbers (costs without dates, plan not matching BAC)."""
    thresholds: RagThresholds = field(default_factory=RagThresholds)
    """The project's thresholds the flags were rated with."""
    baseline: BaselineNote | None = None
    """The change request that re-baselined the project by the as-of day, if one did."""

    def task_ids(self, kind: TaskFlagKind) -> tuple[int, ...]:
        """Ids of the tasks flagged ``kind``, so the UI can drill down."""
        return tuple(f.task_id for f in self.task_flags if f.kind is kind)

    def task_count(self, kind: TaskFlagKind) -> int:
        """How many tasks are flagged ``kind``."""
        return len(self.task_ids(kind))

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Overall, budget, schedule, then each milestone's flag."""
        return (self.overall, self.budget, self.schedule, *(m.flag for m in self.milestones))

    def to_json_dict(self) -> dict[str, Any]:
        """Every metric, flag and reason as JSON-ready values; Decimals exact, as strings."""
        return {
            "project": {
                "id": self.project_id,
                "key": self.project_key,
                "name": self.project_name,
                "currency": self.currency,
            },
            "as_of": self.as_of.isoformat(),
            "overall": _flag_json(self.overall),
            "budget": _flag_json(self.budget),
            "schedule": _flag_json(self.schedule),
            "metrics": _json(self.evm),
            "milestones": [
                {
                    **_json(m.health),
                    "over_capacity": m.health.over_capacity,
                    "original_baseline": _json(m.original_baseline),
                    "original_slip": m.original_slip,
                    "flag": _flag_json(m.flag),
                }
                for m in self.milestones
            ],
            "tasks": {
                **{
                    _json(kind): {"count": self.task_count(kind), "ids": list(self.task_ids(kind))}
                    for kind in TaskFlagKind
                },
                "flags": [f.to_json_dict() for f in self.task_flags],
            },
            "notes": list(self.notes),
            "baseline": None
            if self.baseline is None
            else {
                "number": self.baseline.current.number,
                "name": self.baseline.current.name,
                "change": self.baseline.change_ref,
                "made_on": self.baseline.current.made_on.isoformat(),
                "bac": _json(self.baseline.current.bac),
                "original_bac": _json(self.baseline.original.bac),
            },
        }


def _flag_json(flag: Flag) -> dict[str, Any]:
    return {
        "subject": flag.subject,
        "rag": _json(flag.rag),
        "symbol": flag.rag.symbol,
        "reasons": list(flag.reasons),
    }


def _json(value: Any) -> Any:
    """Plain JSON values: Decimals as exact fixed-point strings, dates ISO, enums by value."""
    if isinstance(value, Decimal):
        # "f" keeps 5000 from printing as "5E+3" after a division.
        return format(value, "f")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


def _notes(ev: EarnedValue, currency: str) -> tuple[str, ...]:
    notes: list[str] = []
    if ev.unscheduled_task_ids:
        count = len(ev.unscheduled_task_ids)
        refs = ", ".join(f"#{i}" for i in ev.unscheduled_task_ids)
        notes.append(
            f"{count} task{'s have' if count != 1 else ' has'} a planned cost but no planned "
            f"dates and {'are' if count != 1 else 'is'} left out of PV and EV: {refs}."
        )
    if ev.baseline_task_count and ev.planned_total != ev.bac:
        notes.append(
            f"Planned task costs add up to {money_text(ev.planned_total, currency)}, not the "
            f"BAC of {money_text(ev.bac, currency)}, so PV ends at "
            f"{money_text(ev.planned_total, currency)}."
        )
    if ev.unpriced_minutes:
        notes.append(
            f"{hours_of(ev.unpriced_minutes)} h logged on days with no hourly rate in force are "
            "not in AC; set one with `itpm-tui person set LOGIN --rate R --rate-from DATE`."
        )
    if ev.foreign_minutes:
        notes.append(
            f"{hours_of(ev.foreign_minutes)} h logged at rates in another currency than "
            f"{currency} are not in AC."
        )
    return tuple(notes)


def cost_split_text(ev: EarnedValue, currency: str) -> str:
    """``AC = labour X + other Y``: the two parts of actual cost ('' when no time is logged)."""
    if not (ev.labour_cost or ev.unpriced_minutes or ev.foreign_minutes):
        return ""
    labour, other = (money_text(v, currency, cents=True) for v in (ev.labour_cost, ev.other_cost))
    return f"AC = labour {labour} + other cost {other}"


def project_health(
    project: Project,
    tasks: Iterable[TaskFacts],
    milestones: Iterable[Milestone],
    costs: Iterable[CostFacts],
    as_of: date,
    *,
    burn_window: int = DEFAULT_BURN_WINDOW,
    network_reasons: Mapping[int, Sequence[str]] | None = None,
    risk_reasons: Sequence[str] = (),
    load_reasons: Sequence[str] = (),
    labour: LabourCost = NO_LABOUR,
    baseline: BaselineNote | None = None,
) -> ProjectHealth:
    """The health of ``project`` at ``as_of`` from its own tasks, milestones and cost entries.

    ``network_reasons`` are, per milestone id, the schedule network's sentences on which late
    task moves it and by how much ("#42 is 3 wd late with 1 wd float: milestone Cut-over moves
    +2 wd"); they follow the milestone's own reasons and do not change its rating.
    ``risk_reasons`` are the RAID log's sentences (open high risks, exposure over the
    contingency, ``domain.raid.RiskSummary.reasons``); they follow the overall rating's own
    reasons and do not change it either: a risk has not happened, and the rating measures
    performance against the plan.
    ``load_reasons`` say who of the project's people is over capacity in the coming weeks
    (``domain.workload.over_reasons``); they follow the risks and do not change the rating:
    an overbooked person is a warning about the plan, not a measure of it.
    ``labour`` is the priced time logged on the project's tasks: part of AC.
    ``baseline`` says which change request re-baselined the project by ``as_of``: slip and
    EVM are measured against the baseline in force (the ``project`` and ``milestones``
    given), and the original stays visible in the reasons and ``original_baseline``.
    """
    cal = WorkCalendar.for_project(project)
    task_list = list(tasks)
    ev, budget, schedule, reports = _rated_parts(
        project,
        task_list,
        milestones,
        costs,
        as_of,
        cal,
        burn_window,
        labour,
        network_reasons,
        baseline,
    )
    overall = _overall(budget, schedule, reports)
    said = (
        (baseline.sentence(project.currency, as_of),)
        if baseline is not None and baseline.changed
        else ()
    )
    if said or risk_reasons or load_reasons:
        overall = replace(overall, reasons=(*overall.reasons, *said, *risk_reasons, *load_reasons))
    return ProjectHealth(
        project_id=project.id,
        project_key=project.key,
        project_name=project.name,
        currency=project.currency,
        as_of=as_of,
        evm=ev,
        overall=overall,
        budget=budget,
        schedule=schedule,
        milestones=tuple(reports),
        task_flags=flag_tasks(task_list, as_of, project, cal),
        notes=_notes(ev, project.currency),
        thresholds=project.thresholds,
        baseline=baseline if baseline is not None and baseline.changed else None,
    )


def overall_rating(
    project: Project,
    tasks: Iterable[TaskFacts],
    milestones: Iterable[Milestone],
    costs: Iterable[CostFacts],
    as_of: date,
    *,
    labour: LabourCost = NO_LABOUR,
) -> Rag:
    """``project_health(...).overall.rag`` without the task flags and texts it does not need
    (the portfolio's rating a week ago)."""
    cal = WorkCalendar.for_project(project)
    _, budget, schedule, reports = _rated_parts(
        project, list(tasks), milestones, costs, as_of, cal, DEFAULT_BURN_WINDOW, labour, None, None
    )
    return _overall(budget, schedule, reports).rag


def _overall(budget: Flag, schedule: Flag, reports: Sequence[MilestoneReport]) -> Flag:
    """The overall flag: the worst of budget, schedule and the open milestones."""
    return overall_flag([budget, schedule, *(r.flag for r in reports if not r.health.is_done)])


def _rated_parts(
    project: Project,
    task_list: list[TaskFacts],
    milestones: Iterable[Milestone],
    costs: Iterable[CostFacts],
    as_of: date,
    cal: WorkCalendar,
    burn_window: int,
    labour: LabourCost,
    network_reasons: Mapping[int, Sequence[str]] | None,
    baseline: BaselineNote | None,
) -> tuple[EarnedValue, Flag, Flag, list[MilestoneReport]]:
    """Earned value, the budget and schedule flags, and each milestone's report (naming the
    original baseline of a milestone a change request moved)."""
    thresholds = project.thresholds
    ev = earned_value(project, task_list, list(costs), as_of, burn_window=burn_window,
                      calendar=cal, labour=labour)  # fmt: skip
    budget = budget_flag(ev, thresholds, project.currency)
    schedule = schedule_flag(ev, thresholds)
    reports = []
    # Each milestone's own open tasks, found in one pass: milestone_health keeps only those
    # of all it is given, and scanning every task per milestone cost more than the rest.
    linked: dict[int | None, list[TaskFacts]] = {}
    for task in task_list:
        if task.is_open:
            linked.setdefault(task.milestone_id, []).append(task)
    for m in sorted(milestones, key=lambda m: (m.baseline, m.id)):
        health = milestone_health(m, linked.get(m.id, ()), as_of, project, cal)
        flag = milestone_flag(health, thresholds)
        extra = tuple((network_reasons or {}).get(m.id, ()))
        original: date | None = None
        original_slip: int | None = None
        if baseline is not None and baseline.changed:
            said = baseline.milestone_sentence(
                m.id, health.baseline, health.actual or health.forecast, cal, as_of
            )
            if said:
                original = baseline.original.milestones[m.id]
                original_slip = cal.between(original, health.actual or health.forecast)
                extra = (said, *extra)
                trend = replace(health.trend, reason=f"{health.trend.reason} {said}")
                health = replace(health, trend=trend)
        if extra:
            flag = replace(flag, reasons=(*flag.reasons, *extra))
        reports.append(MilestoneReport(health, flag, original, original_slip))
    return ev, budget, schedule, reports


# --- plain text for people ----------------------------------------------------------------

_WIDTH = 80


def _money(value: Decimal | None) -> str:
    return NONE_TEXT if value is None else f"{value:,.2f}"


def _ratio(value: Decimal | None) -> str:
    return NONE_TEXT if value is None else f"{value:.2f}"


def _pct(value: Decimal | None) -> str:
    return NONE_TEXT if value is None else f"{value:.1f}%"


def _days(value: Decimal | int | None) -> str:
    """Working days, as every other screen says them: ``28 wd``, ``52.7 wd``."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, int):
        return f"{value} wd"
    return f"{value:.1f} wd"


def _signed_days(value: Decimal | int | None) -> str:
    if value is None:
        return NONE_TEXT
    if isinstance(value, int):
        return f"{value:+d} wd"
    return f"{value:+.1f} wd"


def _date(value: date | None, as_of: date) -> str:
    return NONE_TEXT if value is None else short_date(value, as_of)


def _wrap(text: str, indent: int) -> list[str]:
    return textwrap.wrap(
        text, width=_WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2)
    )


def _flag_lines(title: str, flag: Flag) -> list[str]:
    lines = [f"{title:<10}{flag.rag.label}"]
    for reason in flag.reasons:
        lines += _wrap(reason, 2)
    return lines


def _columns(rows: Sequence[tuple[str, str]], label_width: int, value_width: int) -> list[str]:
    """Label/value pairs laid out in two columns, filled top to bottom."""
    half = (len(rows) + 1) // 2
    cell = label_width + value_width
    lines = []
    for i in range(half):
        left = rows[i]
        line = f"  {left[0]:<{label_width}}{left[1]:>{value_width}}"
        if i + half < len(rows):
            right = rows[i + half]
            line = f"{line:<{cell + 4}}  {right[0]:<{label_width}}{right[1]:>{value_width}}"
        lines.append(line.rstrip())
    return lines


def metric_lines(ev: EarnedValue, currency: str, as_of: date, label_width: int = 22) -> list[str]:
    """The EVM table: every cost and schedule metric, two columns, in the project's currency;
    dates as ``short_date`` says them against ``as_of``, durations in working days.

    ``label_width=16`` fits the table in 70 columns."""
    cost = [
        ("BAC", _money(ev.bac)),
        ("PV", _money(ev.pv)),
        ("EV", _money(ev.ev)),
        ("AC", _money(ev.ac)),
        ("SV", _money(ev.sv)),
        ("CV", _money(ev.cv)),
        ("SPI", _ratio(ev.spi)),
        ("CPI", _ratio(ev.cpi)),
        ("EAC BAC/CPI", _money(ev.eac)),
        ("EAC AC+BAC-EV", _money(ev.eac_atypical)),
        ("EAC CPI*SPI", _money(ev.eac_combined)),
        ("ETC", _money(ev.etc)),
        ("VAC", _money(ev.vac)),
        ("TCPI to BAC", _ratio(ev.tcpi_bac)),
        ("TCPI to EAC", _ratio(ev.tcpi_eac)),
        ("Complete", _pct(ev.percent_complete)),
        ("Spent", _pct(ev.percent_spent)),
        (f"Burn/wd ({ev.burn_window} wd)", _money(ev.burn_rate)),
        ("Runway", _days(ev.runway_days)),
        ("Budget runs out", _date(ev.runway_end, as_of)),
    ]
    time = [
        ("Start", _date(ev.start, as_of)),
        ("Planned finish", _date(ev.planned_finish, as_of)),
        ("PD", _days(ev.pd)),
        ("AT", _days(ev.at)),
        ("ES", _days(ev.es)),
        ("SV(t)", _signed_days(ev.sv_t)),
        ("SPI(t)", _ratio(ev.spi_t)),
        ("IEAC(t)", _days(ev.ieac_t)),
        ("Forecast finish", _date(ev.forecast_finish, as_of)),
        ("Forecast slip", _signed_days(ev.forecast_slip_days)),
    ]
    return [
        f"Earned value ({currency})",
        *_columns(cost, label_width, 14),
        *([f"  {split}"] if (split := cost_split_text(ev, currency)) else []),
        "Earned schedule (working days)",
        *_columns(time, label_width, 14),
    ]


def _milestone_lines(reports: Sequence[MilestoneReport]) -> list[str]:
    if not reports:
        return ["Milestones: none"]
    name_width = max(9, min(28, max(len(r.health.name) for r in reports)))
    header = (
        f"  {'Milestone':<{name_width}}  {'Baseline':<10}  {'Forecast':<10}  "
        f"{'Slip':>4}  {'Status':<9}  {'Trend':<10}  RAG"
    )
    lines = ["Milestones (slip in working days)", header.rstrip()]
    for report in reports:
        m = report.health
        name = m.name if len(m.name) <= name_width else m.name[: name_width - 1] + "…"
        when = m.actual or m.forecast
        lines.append(
            f"  {name:<{name_width}}  {m.baseline.isoformat():<10}  {when.isoformat():<10}  "
            f"{m.slip:>+4d}  {m.status.value:<9}  {m.trend.direction.value:<10}  "
            f"{report.flag.rag.label}"
        )
        if report.flag.rag is not Rag.GREEN:
            for reason in report.flag.reasons:
                lines += _wrap(reason, 4)
        elif report.original_baseline is not None:
            for reason in report.flag.reasons:
                if reason.startswith("Baseline changed by"):
                    lines += _wrap(reason, 4)
    return lines


def _task_lines(health: ProjectHealth) -> list[str]:
    lines = ["Tasks needing attention"]
    for kind in TaskFlagKind:
        ids = health.task_ids(kind)
        refs = " ".join(f"#{i}" for i in ids) if ids else ""
        lines += _wrap(f"{kind.value:<9} {len(ids):>3}  {refs}".rstrip(), 2)
    for flag in health.task_flags:
        lines += _wrap(f"#{flag.task_id} {flag.kind.value}: {flag.reason}", 2)
    return lines


def explain_lines(health: ProjectHealth, label_width: int = 16) -> list[str]:
    """Why each part is rated so, then the EVM table: the CLI's report down to its metrics,
    unwrapped (the screen wraps), for the Health screen's one-key view of the figures."""
    lines: list[str] = []
    for title, flag in (("Overall", health.overall), ("Budget", health.budget),
                        ("Schedule", health.schedule)):  # fmt: skip
        lines.append(f"{title:<10}{flag.rag.label}")
        lines += [f"  · {reason}" for reason in flag.reasons]
    for report in health.milestones:
        if report.flag.rag is not Rag.GREEN:
            lines.append(f"Milestone {report.health.name}  {report.flag.rag.label}")
            lines += [f"  · {reason}" for reason in
                      (*report.flag.reasons, report.health.trend.reason)]  # fmt: skip
    lines.append("")
    lines += metric_lines(health.evm, health.currency, health.as_of, label_width)
    lines += [f"Note: {note}" for note in health.notes]
    return lines


def format_health_text(health: ProjectHealth) -> str:
    """A readable plain-text report of one project: flags, reasons, metrics, milestones, tasks.

    Numbers are rounded for people (money to cents, indices to two decimals, days to one);
    unknown values show as "—". For exact values use ``to_json_dict``.
    """
    title = f"{health.project_key}  {health.project_name}  (as of {health.as_of})"
    lines = [title, "=" * min(len(title), _WIDTH)]
    lines += _flag_lines("Overall", health.overall)
    if health.baseline is not None:
        lines.append(
            f"Baseline  {health.baseline.current.number} {health.baseline.current.name}"
            f" (since {health.baseline.current.made_on})"
        )
    lines += _flag_lines("Budget", health.budget)
    lines += _flag_lines("Schedule", health.schedule)
    lines.append("")
    lines += metric_lines(health.evm, health.currency, health.as_of)
    lines.append("")
    lines += _milestone_lines(health.milestones)
    lines.append("")
    lines += _task_lines(health)
    if health.notes:
        lines += ["", "Notes"]
        for note in health.notes:
            lines += _wrap(note, 2)
    return "\n".join(lines) + "\n"
