"""DrilldownScreen: the tasks behind a task flag or a milestone on the Health screen.

Pushed on top of Health; Escape or Backspace returns. It recomputes the project's health on
every load, so a task that stops being overdue (done here, on another screen, or from the
command line) leaves the list by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.evm import TaskValue, behind_plan, cost_variances, task_values
from itpm_tui.domain.health import ProjectHealth, metric_lines
from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.rag import Flag
from itpm_tui.domain.schedule import MilestoneTrend, TaskFlagKind
from itpm_tui.domain.wording import plural
from itpm_tui.errors import NotFound
from itpm_tui.models import Project, Task
from itpm_tui.reports import health_of
from itpm_tui.screens.base import AsOf
from itpm_tui.screens.services import Services
from itpm_tui.screens.task_actions import TaskScreen, load_choices
from itpm_tui.screens.task_form import FormChoices
from itpm_tui.store import Store, TaskFilter
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.fitted_lines import FittedLines, HangingText
from itpm_tui.widgets.health_badge import HealthBadge, flag_label
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.task_table import TaskTable
from itpm_tui.widgets.trend_chart import TrendChart, signed_days

Rating = Literal["budget", "schedule"]


@dataclass(frozen=True)
class DrillTarget:
    """What to drill into: one kind of task flag, one milestone, or a rating, of a project."""

    project_id: int
    kind: TaskFlagKind | None = None
    milestone_id: int | None = None
    rating: Rating | None = None


@dataclass(frozen=True)
class DrillData:
    """One load of the drill-down."""

    title: str
    """``NET · ! overdue`` or ``NET · milestone Pilot cut-over``."""
    summary: str
    """Counts, dates and slip in one line."""
    flag: Flag | None
    """The milestone's rating (None for a task flag)."""
    trend: MilestoneTrend | None
    reasons: tuple[str, ...]
    """Why the milestone is rated so (empty for a task flag)."""
    tasks: tuple[Task, ...]
    task_reasons: tuple[tuple[int, tuple[str, ...]], ...]
    """Every flag sentence of each task, by task id."""
    choices: FormChoices
    metrics: tuple[str, ...] = ()
    """The EVM table (a rating only)."""
    sort: str = "due"
    """The order the tasks come in (a rating lists the largest amounts first)."""


def drill_data(store: Store, target: DrillTarget, health: ProjectHealth) -> DrillData:
    """The tasks behind ``target`` and the sentences that explain them."""
    project = store.projects.get(target.project_id)
    choices = load_choices(store)
    by_task: dict[int, list[str]] = {}
    for flag in health.task_flags:
        by_task.setdefault(flag.task_id, []).append(f"{flag_label(flag.kind)}: {flag.reason}")
    if target.rating is not None:
        return _rating_data(store, project, target.rating, health, choices)
    if target.kind is not None:
        ids = health.task_ids(target.kind)
        tasks = store.tasks.find(TaskFilter(ids=ids), order_by="due") if ids else []
        as_of = short_date(health.as_of, health.as_of, long=True)
        return DrillData(
            title=f"{project.key} · {flag_label(target.kind)}",
            summary=f"{plural(len(tasks), 'open task')} {target.kind.value} as of {as_of}",
            flag=None, trend=None, reasons=(), tasks=tuple(tasks),
            task_reasons=tuple((t.id, tuple(by_task.get(t.id, ()))) for t in tasks),
            choices=choices,
        )  # fmt: skip
    report = next(
        (m for m in health.milestones if m.health.milestone_id == target.milestone_id), None
    )
    if report is None:
        raise NotFound(f"milestone {target.milestone_id} is no longer in {project.key}")
    linked = store.tasks.find(TaskFilter(milestone_id=target.milestone_id), order_by="due")
    tasks = sorted(linked, key=lambda t: (not t.is_open,))  # open work first, each by due date
    m = report.health
    shown = m.actual or m.forecast
    summary = (
        f"baseline {short_date(m.baseline, health.as_of)} · "
        f"{'reached' if m.actual else 'forecast'} {short_date(shown, health.as_of)} · "
        f"slip {signed_days(m.slip)} · {m.status.value} · "
        f"{len(m.open_task_ids)} open of {len(tasks)} linked tasks"
    )
    return DrillData(
        title=f"{project.key} · milestone {m.name}", summary=summary, flag=report.flag,
        trend=m.trend, reasons=(*report.flag.reasons, m.trend.reason), tasks=tuple(tasks),
        task_reasons=tuple((t.id, tuple(by_task.get(t.id, ()))) for t in tasks),
        choices=choices,
    )  # fmt: skip


def _rating_data(
    store: Store, project: Project, rating: Rating, health: ProjectHealth, choices: FormChoices
) -> DrillData:
    """Schedule: the tasks behind SV, those past their planned finish first. Budget: the
    tasks behind CV (time logged, the largest overrun first), then the work with money left
    to earn; the cost entries. Both: why it is rated so, and the EVM table."""
    tasks = {t.id: t for t in store.tasks.find(TaskFilter(project_id=project.id))}
    cur = health.currency
    figures = [*(f"  · {reason}" for reason in (health.schedule if rating == "schedule"
                                               else health.budget).reasons), ""]  # fmt: skip
    figures += metric_lines(health.evm, cur, health.as_of, label_width=16)
    if rating == "schedule":
        values = task_values(project, tasks.values(), health.as_of)
        late, behind = behind_plan(values, health.as_of)
        chosen = [*late, *behind]
        why = {v.task_id: (_late_text(v, tasks[v.task_id], cur, health.as_of),) for v in late}
        why |= {v.task_id: (f"behind plan: SV {money_text(v.sv, cur)} (planned value "
                            f"{money_text(v.pv, cur)}, earned {money_text(v.ev, cur)})",)
                for v in behind}  # fmt: skip
        flag = health.schedule
        count = f"{plural(len(behind), 'task')} behind plan"
        if late:
            count = f"{plural(len(late), 'task')} past planned finish, not done"
            count += f" · then {len(behind)} more behind plan" if behind else ""
    else:
        labour = store.worklogs.labour_by_task(project.id, health.as_of,
                                               store.worklogs.rates(), cur)  # fmt: skip
        values = task_values(project, tasks.values(), health.as_of, actual=labour)
        booked, rest = cost_variances(values)
        chosen = [*booked, *rest]
        why = {v.task_id: (_variance_text(v, cur),) for v in booked}
        why |= {v.task_id: (f"no time logged on it: {money_text(v.to_earn, cur)} still to "
                            f"earn of a planned {money_text(v.planned_cost, cur)} "
                            f"(earned {money_text(v.ev, cur)})",)
                for v in rest}  # fmt: skip
        flag = health.budget
        count = (f"{plural(len(booked), 'task')} with time logged, worst CV first"
                 f" · then {len(rest)} with budget left to earn")  # fmt: skip
        if not booked:
            count = (f"{plural(len(rest), 'task')} with budget left to earn"
                     " · none has time logged (v: the costs)")  # fmt: skip
        figures += ["", *_cost_lines(store, project, health)]
    return DrillData(
        title=f"{project.key} · {rating}",
        summary=count,
        flag=flag, trend=None, reasons=(),
        tasks=tuple(tasks[v.task_id] for v in chosen),
        task_reasons=tuple(why.items()), choices=choices, metrics=tuple(figures), sort="",
    )  # fmt: skip


def _variance_text(value: TaskValue, currency: str) -> str:
    """``CV -€500: time logged cost €1,000, earned €500 of €500 planned``."""
    ac = value.ac or Decimal(0)
    return (
        f"CV {money_text(value.ev - ac, currency)}: time logged cost {money_text(ac, currency)}, "
        f"earned {money_text(value.ev, currency)} of {money_text(value.planned_cost, currency)} "
        "planned"
    )


def _late_text(value: TaskValue, task: Task, currency: str, today: date) -> str:
    """``planned to finish Fri 20 Nov, 40% done: SV -€600 (...)``."""
    finish = value.planned_finish
    return (
        f"planned to finish {short_date(finish, today, long=True)}, {task.progress:.0f}% done: "
        f"SV {money_text(value.sv, currency)} (planned value {money_text(value.pv, currency)}, "
        f"earned {money_text(value.ev, currency)})"
    )


def _cost_lines(store: Store, project: Project, health: ProjectHealth) -> list[str]:
    """What AC is made of: labour logged on tasks, then every cost entry, the largest first."""
    cur, ev = health.currency, health.evm
    entries = sorted(store.costs.find(project.id, until=health.as_of),
                     key=lambda c: (-c.amount, c.spent_on, c.id))  # fmt: skip
    total = sum((c.amount for c in entries), Decimal(0))
    lines = [f"AC {money_text(ev.ac, cur)}: {money_text(ev.labour_cost, cur)} time logged on "
             f"tasks, {money_text(total, cur)} in {plural(len(entries), 'cost entry', 'cost entries')}"]  # fmt: skip
    if not entries:
        return [*lines, "No cost entries yet: $ on a project in Health adds one."]
    by_category: dict[str, Decimal] = {}
    for c in entries:
        by_category[c.category or "-"] = by_category.get(c.category or "-", Decimal(0)) + c.amount
    lines.append("By category: " + " · ".join(
        f"{name} {money_text(amount, cur)}"
        for name, amount in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    ))  # fmt: skip
    lines += ["", "Cost entries, largest first"]
    lines += [f"  {c.spent_on:%d %b %Y}  {money_text(c.amount, cur, cents=True):>13}  "
              f"{c.category or '-'}{': ' + c.note if c.note else ''}" for c in entries]  # fmt: skip
    return lines


class DrilldownScreen(TaskScreen[AsOf, DrillData]):
    """A list of the tasks behind one flag or milestone; Enter edits, x marks done."""

    TITLE = "Health"
    CSS_PATH = "health.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", key_display="esc", id="drill.back"),
        Binding("e", "edit", "Edit", id="drill.edit"),
        Binding("x,space", "toggle_done", "Done", key_display="x", id="drill.done"),
        Binding("v", "toggle_figures", "Figures", id="drill.figures"),
        Binding("J", "scroll_metrics(3)", "Scroll the figures down", show=False,
                id="drill.metrics-down"),
        Binding("K", "scroll_metrics(-3)", "Scroll the figures up", show=False,
                id="drill.metrics-up"),
    ]  # fmt: skip
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    """A short screen shows the tasks or the figures (``v`` switches); a tall one both."""

    def __init__(self, services: Services, target: DrillTarget) -> None:
        super().__init__(services)
        self.target = target
        self._reasons: dict[int, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        """Title, milestone badge and trend, reasons, the tasks, the highlighted task's flags."""
        yield AppHeader()
        yield Static(id="drill-title", markup=False)
        yield HealthBadge("Milestone", id="drill-badge")
        yield TrendChart(id="drill-trend")
        yield FittedLines(id="drill-reasons")
        with VerticalScroll(id="drill-metrics"):
            yield HangingText(id="drill-metrics-text")
        table = TaskTable(id="drill-tasks")
        table.empty_text = "No task here any more."
        yield table
        yield DetailLines(id="drill-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Load; keys go to the table."""
        is_milestone = self.target.milestone_id is not None
        is_rating = self.target.rating is not None
        self.query_one("#drill-badge", HealthBadge).display = is_milestone or is_rating
        self.query_one("#drill-trend").display = is_milestone
        self.set_class(is_rating, "-rating")
        if is_rating:
            self.query_one("#drill-badge", HealthBadge).label = str(self.target.rating).title()
        self.query_one(TaskTable).focus()

    def load_request(self) -> AsOf:
        """The drill-down is as of today."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> DrillData:
        """Recompute the project's health and pick out the target's tasks (worker thread)."""
        project = store.projects.get(self.target.project_id)
        health = health_of(store, project, request.today)
        return drill_data(store, self.target, health)

    def show(self, data: DrillData) -> None:
        """Fill the table; the cursor stays on its task."""
        self.choices = data.choices
        self._reasons = dict(data.task_reasons)
        title = Text(data.title, style="bold")
        title.append(f"\n{data.summary}", style="dim")
        self.query_one("#drill-title", Static).update(title)
        self.query_one("#drill-badge", HealthBadge).flag = data.flag
        self.query_one("#drill-trend", TrendChart).trend = data.trend
        reasons = self.query_one("#drill-reasons", FittedLines)
        reasons.show(data.reasons, "Esc, then v shows them all")
        reasons.display = bool(data.reasons)
        self.query_one(HangingText).show([(line, "") for line in data.metrics])
        table = self.query_one(TaskTable)
        table.today = self.services.clock.today()
        table.set_sort(data.sort, descending=False)
        table.set_data(tuple(t.id for t in data.tasks), data.tasks, keep=table.cursor_id)
        self._show_task(table.cursor_id)

    def current_task(self) -> Task | None:
        """The task under the cursor."""
        return self.query_one(TaskTable).cursor_task

    @on(TaskTable.Highlighted)
    def _follow_cursor(self, message: TaskTable.Highlighted) -> None:
        self._show_task(message.task_id)

    @on(TaskTable.Chosen)
    async def _edit_chosen(self) -> None:
        await self.run_action("edit")  # a double click too: refused on a read-only store

    def _show_task(self, task_id: int | None) -> None:
        reasons = self._reasons.get(task_id, ()) if task_id is not None else ()
        detail = "\n".join(reasons) if reasons else "No flags on this task."
        self.query_one("#drill-detail", DetailLines).update(Text(detail))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The figures (reasons, EVM table, costs) belong to a rating's drill-down."""
        if action in ("toggle_figures", "scroll_metrics"):
            return self.target.rating is not None
        return super().check_action(action, parameters)

    def action_toggle_figures(self) -> None:
        """Show the figures instead of the tasks, or the tasks again (a short screen has
        room for one of them; a tall one shows both and this only moves the focus)."""
        figures = not self.has_class("-figures")
        self.set_class(figures, "-figures")
        if figures:
            self.query_one("#drill-metrics", VerticalScroll).focus()
        else:
            self.query_one(TaskTable).focus()

    def action_scroll_metrics(self, lines: int) -> None:
        """Scroll the figures (taller than their share of a small screen)."""
        self.query_one("#drill-metrics", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_back(self) -> None:
        """Return to the Health screen."""
        self.dismiss()
