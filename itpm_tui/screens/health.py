"""HealthScreen: budget and schedule health per project, with RAG badges, reasons and drill-down.

Every number, rating and sentence comes from the health domain (``project_health``); this
screen only lays them out. The badges are bound to the screen's reactives, so a status
change made anywhere (another screen, another process) recolours them on the next load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import ContentSwitcher, Static

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import parse_date, short_date
from itpm_tui.domain.evm import EarnedValue
from itpm_tui.domain.health import NONE_TEXT, ProjectHealth, metric_lines
from itpm_tui.domain.numbers import money_text, parse_amount
from itpm_tui.domain.portfolio import PortfolioRow
from itpm_tui.domain.rag import Flag, Rag
from itpm_tui.domain.schedule import MilestoneTrend, TaskFlagKind, flag_condition
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.files import write_text
from itpm_tui.models import CostEntry, Milestone, Project
from itpm_tui.reports import portfolio_view
from itpm_tui.screens.base import AsOf, ItpmScreen
from itpm_tui.screens.drilldown import DrilldownScreen, DrillTarget, Rating
from itpm_tui.screens.record_form import FormField, RecordForm
from itpm_tui.screens.report_preview import ReportPreviewModal
from itpm_tui.screens.services import Services
from itpm_tui.store import Store
from itpm_tui.store.rows import validate
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.fitted_lines import FittedLines
from itpm_tui.widgets.health_badge import FLAG_CLASSES, HealthBadge, flag_label
from itpm_tui.widgets.health_list import (
    FlagRow,
    Heading,
    HealthList,
    HealthRow,
    MilestoneRow,
    RatingRow,
)
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.portfolio_table import PortfolioTable
from itpm_tui.widgets.trend_chart import TrendChart, signed_days

T = TypeVar("T")

LIST_FLAGS: tuple[TaskFlagKind, ...] = (
    TaskFlagKind.OVERDUE,
    TaskFlagKind.AT_RISK,
    TaskFlagKind.BLOCKED,
    TaskFlagKind.STALE,
    TaskFlagKind.DUE_SOON,
)
"""Task flags listed on the screen, most pressing first."""


@dataclass(frozen=True)
class HealthData:
    """One load: every project's health by key, and the portfolio worst first."""

    reports: tuple[ProjectHealth, ...]
    portfolio: tuple[PortfolioRow, ...] = ()
    projects: tuple[Project, ...] = ()
    """Every project, for the calendars the add and move forms read dates with."""


def number(value: Decimal | None, places: int = 2) -> str:
    """A ratio for people; "—" when it is not known."""
    return NONE_TEXT if value is None else f"{value:.{places}f}"


def money(value: Decimal | None, currency: str) -> str:
    """``€230,769``; "—" when it is not known."""
    return NONE_TEXT if value is None else money_text(value, currency)


def budget_line(ev: EarnedValue, currency: str) -> str:
    """AC against BAC, EAC, burn rate and runway, in one line."""
    spent = f" ({ev.percent_spent:.0f}%)" if ev.percent_spent is not None else ""
    runway = NONE_TEXT if ev.runway_days is None else f"{ev.runway_days:.0f} wd"
    labour = f" (labour {money(ev.labour_cost, currency)})" if ev.labour_cost else ""
    if ev.runway_end is not None:
        runway += f" (to {short_date(ev.runway_end, ev.as_of)})"
    return (
        f"AC {money(ev.ac, currency)}{labour} of BAC {money(ev.bac, currency)}{spent}"
        f" · EAC {money(ev.eac, currency)} · CPI {number(ev.cpi)}"
        f" · burn {money(ev.burn_rate, currency)}/wd · runway {runway}"
    )


def schedule_line(ev: EarnedValue) -> str:
    """SPI, SPI(t) and the finish they forecast, in one line."""
    finish = NONE_TEXT
    if ev.forecast_finish is not None:
        finish = short_date(ev.forecast_finish, ev.as_of)
        if ev.forecast_slip_days:
            finish += f" ({ev.forecast_slip_days:+d} wd)"
    planned = short_date(ev.planned_finish, ev.as_of) if ev.planned_finish else NONE_TEXT
    return (
        f"SPI {number(ev.spi)} · SPI(t) {number(ev.spi_t)}"
        f" · forecast finish {finish} · planned {planned}"
    )


def reasons_text(flag: Flag | None) -> Text:
    """A flag's reasons, one per line."""
    if flag is None:
        return Text("")
    return Text("\n".join(f"· {reason}" for reason in flag.reasons))


def list_rows(health: ProjectHealth) -> tuple[HealthRow, ...]:
    """The list's rows: budget and schedule ratings, task flags with counts, milestones."""
    rows: list[HealthRow] = [
        Heading("Ratings"),
        RatingRow("Budget", health.budget),
        RatingRow("Schedule", health.schedule),
        Heading("Tasks needing attention"),
    ]
    rows += [
        FlagRow(kind, health.task_count(kind), flag_condition(kind, health.thresholds))
        for kind in LIST_FLAGS
    ]
    if not health.milestones:
        rows.append(Heading("Milestones: none yet · m adds one (or `itpm-tui milestone add`)"))
    else:
        rows.append(Heading("Milestones", columns=True))
    rows += [MilestoneRow(report) for report in health.milestones]
    return tuple(rows)


def portfolio_detail(row: PortfolioRow | None) -> Text:
    """The highlighted project's story: its name and reason, then its trend, next
    milestone, forecast finish against the planned one, and SPI(t)."""
    if row is None:
        return Text("")
    health = row.health
    text = Text.assemble((f"{health.project_key} {health.project_name}: ", "bold"), row.why)
    facts = [f"{row.trend.symbol} {row.trend.value} since a week ago"]
    if row.next_milestone is not None:
        m = row.next_milestone.health
        when = short_date(m.forecast, health.as_of)
        facts.append(f"next milestone {m.name} {when} ({signed_days(m.slip)})")
    ev = health.evm
    if ev.forecast_finish is not None and ev.planned_finish is not None:
        facts.append(f"finish {short_date(ev.forecast_finish, health.as_of)} (planned "
                     f"{short_date(ev.planned_finish, health.as_of)})")  # fmt: skip
    if ev.spi_t is not None:
        facts.append(f"SPI(t) {ev.spi_t:.2f}")
    text.append("\n" + " · ".join(facts), style="dim")
    return text


def row_rag(row: HealthRow) -> Rag | None:
    """The rating a row shows (a flag row: red while it counts an overdue or blocked task)."""
    if isinstance(row, RatingRow):
        return row.flag.rag
    if isinstance(row, MilestoneRow):
        return row.report.flag.rag
    if isinstance(row, FlagRow) and row.count and FLAG_CLASSES.get(row.kind) == "-red":
        return Rag.RED
    return None


class _Body(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The scrolling middle of the screen; the list inside it has the focus and the keys.

    No bindings of its own: a container's ``right`` (scroll right) would otherwise take the
    key before the screen's drill-down, and its unnamed keys would clutter the help.
    """


def evm_text(health: ProjectHealth) -> Text:
    """Why the project is rated so overall, then the whole EVM table, under the milestones
    (as ``itpm-tui health`` prints them): on a tall screen they fill the space, on a short
    one they are below the fold, after everything rated (``v`` shows them on their own)."""
    text = Text()
    text.append(f"Overall {health.overall.rag.label}\n", style="bold")
    for reason in health.overall.reasons:
        text.append(f"  · {reason}\n")
    text.append("\n")
    for line in metric_lines(health.evm, health.currency, health.as_of, label_width=16):
        text.append(line + "\n", style="" if line.startswith(" ") else "bold")
    text.rstrip()
    return text


class HealthScreen(ItpmScreen[AsOf, HealthData]):
    """Per project: budget and schedule badges with reasons, task flags and milestones."""

    TITLE = "Health"
    CSS_PATH = "health.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right_square_bracket", "switch_project(1)", "Next project",
                key_display="n", id="health.next-project"),
        Binding("p,left_square_bracket", "switch_project(-1)", "Prev project",
                key_display="p", id="health.previous-project"),
        Binding("enter,right,l", "drill", "Tasks behind it", key_display="⏎",
                id="health.drill"),
        Binding("v", "figures", "Why & EVM", id="health.figures"),
        Binding("escape,backspace", "portfolio", "Portfolio", key_display="esc",
                id="health.portfolio"),
        Binding("r", "write_report", "Weekly report", id="health.report"),
        Binding("a", "add_project", "Add project", id="health.add-project"),
        Binding("f", "move_forecast", "Move forecast", id="health.move-forecast"),
        Binding("m", "add_milestone", "Add milestone", id="health.add-milestone"),
        Binding("dollar_sign", "add_cost", "Add cost", key_display="$",
                id="health.add-cost"),
    ]  # fmt: skip

    WRITE_ACTIONS = frozenset({"add_project", "move_forecast", "add_milestone", "add_cost"})
    READ_GROUPS = ItpmScreen.READ_GROUPS | {"report"}

    # vars: a screen's reactive repaints the whole screen when set; the bound badges repaint
    # themselves.
    overall_flag: var[Flag | None] = var(None, init=False)
    """The selected project's overall rating (bound to the Overall badge)."""
    budget_flag: var[Flag | None] = var(None, init=False)
    """The selected project's budget rating (bound to the Budget badge)."""
    schedule_flag: var[Flag | None] = var(None, init=False)
    """The selected project's schedule rating (bound to the Schedule badge)."""
    trend: var[MilestoneTrend | None] = var(None, init=False)
    """The highlighted milestone's trend (bound to the trend chart)."""

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.reports: tuple[ProjectHealth, ...] = ()
        """Every project's health from the last load."""
        self.projects: tuple[Project, ...] = ()
        """Every project from the last load."""
        self.project_key: str | None = None
        """The project shown (the first one until the user switches)."""

    def compose(self) -> ComposeResult:
        """Project bar with the overall badge; budget, schedule, the list; the detail lines."""
        yield AppHeader()
        with ContentSwitcher(initial="health-portfolio", id="health-views"):
            with Vertical(id="health-portfolio"):
                yield Static(id="portfolio-title", markup=False)
                yield PortfolioTable(id="portfolio-table")
                yield DetailLines(id="portfolio-detail", markup=False)
            with Vertical(id="health-project-view"):
                with Horizontal(id="health-bar"):
                    yield Static(id="health-project", markup=False)
                    yield HealthBadge("Overall", id="badge-overall").data_bind(
                        flag=HealthScreen.overall_flag
                    )
                with _Body(id="health-body"):
                    with Horizontal(id="health-summary"):
                        with Vertical(classes="health-section"):
                            with Horizontal(classes="health-head"):
                                yield HealthBadge("Budget", id="badge-budget").data_bind(
                                    flag=HealthScreen.budget_flag
                                )
                                yield Static(id="budget-metrics", markup=False)
                            yield Static(
                                id="budget-reasons", classes="health-reasons", markup=False
                            )
                        with Vertical(classes="health-section"):
                            with Horizontal(classes="health-head"):
                                yield HealthBadge("Schedule", id="badge-schedule").data_bind(
                                    flag=HealthScreen.schedule_flag
                                )
                                yield Static(id="schedule-metrics", markup=False)
                            yield Static(
                                id="schedule-reasons", classes="health-reasons", markup=False
                            )
                    yield HealthList(id="health-list")
                    yield Static(id="health-notes", markup=False)
                    yield Static(id="health-evm", markup=False)
                yield Static(id="health-more", markup=False)
                with Vertical(id="health-detail"):
                    yield TrendChart(id="health-trend").data_bind(trend=HealthScreen.trend)
                    yield FittedLines(id="health-detail-reasons")
        yield KeyBar()

    def on_mount(self) -> None:
        """Open on the portfolio: the project on fire is the first line."""
        self.query_one(PortfolioTable).focus()
        body = self.query_one(_Body)
        self.watch(body, "scroll_y", lambda _y: self._show_more(), init=False)
        self.watch(body, "virtual_size", lambda _s: self._show_more(), init=False)

    @property
    def in_portfolio(self) -> bool:
        """True while the portfolio table is shown (not one project)."""
        return self.query_one(ContentSwitcher).current == "health-portfolio"

    def open_project(self, key: str) -> None:
        """Show one project's ratings, flags and milestones."""
        self.project_key = key
        self.query_one(ContentSwitcher).current = "health-project-view"
        self._present()
        self.query_one(HealthList).focus()
        self.refresh_bindings()

    def action_portfolio(self) -> None:
        """Back to the portfolio, on the project just shown."""
        self.query_one(ContentSwitcher).current = "health-portfolio"
        table = self.query_one(PortfolioTable)
        if self.project_key:
            table.select_key(self.project_key)
        table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Project keys act on one project; the portfolio has its own Enter and adds projects."""
        if action == "add_project":
            return self.in_portfolio
        if action in ("switch_project", "portfolio", "drill", "add_milestone", "add_cost",
                      "figures"):  # fmt: skip
            return not self.in_portfolio
        if action == "move_forecast":
            return not self.in_portfolio and isinstance(self._highlighted(), MilestoneRow)
        return True

    def _highlighted(self) -> HealthRow | None:
        return self.query_one(HealthList).current

    @on(PortfolioTable.Chosen)
    def _open_chosen(self, message: PortfolioTable.Chosen) -> None:
        self.open_project(message.row.health.project_key)

    @on(PortfolioTable.Highlighted)
    def _show_portfolio_detail(self, message: PortfolioTable.Highlighted) -> None:
        del message  # the table says which project: the typed one is its current
        current = self.query_one(PortfolioTable).current
        self.query_one("#portfolio-detail", DetailLines).update(portfolio_detail(current))

    # --- data -----------------------------------------------------------------------------

    def load_request(self) -> AsOf:
        """Health is as of today."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> HealthData:
        """Every project's health as of today (worker thread)."""
        portfolio = portfolio_view(store, request.today)
        reports = sorted((row.health for row in portfolio), key=lambda h: h.project_key)
        return HealthData(tuple(reports), portfolio, tuple(store.projects.find()))

    def show(self, data: HealthData) -> None:
        """Fill the portfolio; keep the selected project if it still exists, then show it."""
        self.reports = data.reports
        self.projects = data.projects
        self.query_one(PortfolioTable).set_rows(data.portfolio)
        count = len(data.portfolio)
        title = Text(f"Portfolio · {plural(count, 'project')}, worst first", style="bold")
        title.append(" · Enter opens one · Esc comes back here", style="dim")
        self.query_one("#portfolio-title", Static).update(title)
        keys = [h.project_key for h in data.reports]
        if self.project_key not in keys:
            self.project_key = keys[0] if keys else None
        self._present()

    @property
    def health(self) -> ProjectHealth | None:
        """The selected project's health."""
        return next((h for h in self.reports if h.project_key == self.project_key), None)

    def _present(self) -> None:
        """Assign the selected project's flags and fill the texts (UI thread)."""
        health = self.health
        self.overall_flag = health.overall if health else None
        self.budget_flag = health.budget if health else None
        self.schedule_flag = health.schedule if health else None
        self._show_project_bar(health)
        if health is None:
            for name in ("budget-metrics", "schedule-metrics", "budget-reasons",
                         "schedule-reasons", "health-notes", "health-evm"):  # fmt: skip
                self.query_one(f"#{name}", Static).update("")
            self.query_one(HealthList).set_rows(())
            self._show_detail(None)
            return
        ev = health.evm
        self.query_one("#budget-metrics", Static).update(Text(budget_line(ev, health.currency)))
        self.query_one("#schedule-metrics", Static).update(Text(schedule_line(ev)))
        self.query_one("#budget-reasons", Static).update(reasons_text(health.budget))
        self.query_one("#schedule-reasons", Static).update(reasons_text(health.schedule))
        notes = self.query_one("#health-notes", Static)
        notes.update(Text("\n".join(f"Note: {note}" for note in health.notes)))
        notes.display = bool(health.notes)
        self.query_one("#health-evm", Static).update(evm_text(health))
        health_list = self.query_one(HealthList)
        health_list.set_rows(list_rows(health))
        self._show_detail(health_list.current)
        self.call_after_refresh(self._show_more)

    def on_resize(self) -> None:
        """A new size changes what fits: recount the rows below the fold."""
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say how many rows are below the fold and how many of them are red: nothing red may
        hide behind a scrollbar."""
        more = self.query_one("#health-more", Static)
        body, health_list = self.query_one(_Body), self.query_one(HealthList)
        visible = round(body.scroll_y) + body.size.height - health_list.virtual_region.y
        hidden = [r for r in health_list.rows[max(0, visible) :] if not isinstance(r, Heading)]
        more.display = bool(hidden) and not self.in_portfolio
        red = sum(1 for r in hidden if row_rag(r) is Rag.RED)
        text = Text(f" ↓ {len(hidden)} more below", style="bold")
        if red:
            text.append(f", {red} red", style="bold reverse")
        text.append(" · j/PgDn to see them", style="dim")
        more.update(text)

    def _show_project_bar(self, health: ProjectHealth | None) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        if health is None:
            bar.append("No projects yet.", style="dim")
        else:
            keys = [h.project_key for h in self.reports]
            bar.append(health.project_key, style="bold")
            if health.baseline is not None:  # before the name: the ellipsis cuts the name
                note = health.baseline
                made_on = short_date(note.current.made_on, health.as_of)
                bar.append(f" Δ {note.change_ref} {made_on}", style="dim")
            bar.append(f" {health.project_name}")
            if len(keys) > 1:
                bar.append(f"  {keys.index(health.project_key) + 1}/{len(keys)} · p/n switch",
                           style="dim")  # fmt: skip
        self.query_one("#health-project", Static).update(bar)

    @on(HealthList.Highlighted)
    def _follow_highlight(self, message: HealthList.Highlighted) -> None:
        self._show_detail(message.row)
        self.refresh_bindings()  # "f" moves a milestone's forecast: only on a milestone

    def _show_detail(self, row: HealthRow | None) -> None:
        """The highlighted row's story: trend and reasons of a milestone, or the flagged tasks."""
        reasons = self.query_one(FittedLines)
        self.query_one(TrendChart).display = isinstance(row, MilestoneRow)
        health = self.health
        if isinstance(row, RatingRow):
            self.trend = None
            reasons.show(row.flag.reasons, "v shows every reason")
        elif isinstance(row, MilestoneRow):
            self.trend = row.report.health.trend
            reasons.show([*row.report.flag.reasons, row.report.health.trend.reason],
                         "v shows every reason")  # fmt: skip
        elif isinstance(row, FlagRow) and health is not None:
            self.trend = None
            flagged = [f for f in health.task_flags if f.kind is row.kind]
            if not flagged:
                reasons.show([f"No open task is {row.kind.value}."], style="dim")
            else:
                head = f"{flag_label(row.kind)}: {len(flagged)} · Enter lists them"
                reasons.show([head, *(f"#{f.task_id} {f.reason}" for f in flagged)],
                             "Enter lists them")  # fmt: skip
        else:
            self.trend = None
            reasons.show(())

    # --- actions --------------------------------------------------------------------------

    def action_switch_project(self, step: int) -> None:
        """Show the next (+1) or previous (-1) project."""
        keys = [h.project_key for h in self.reports]
        if not keys:
            return
        index = keys.index(self.project_key) if self.project_key in keys else 0
        self.project_key = keys[(index + step) % len(keys)]
        self._present()

    def action_write_report(self) -> None:
        """Preview this week's status report, then write it (Markdown and HTML) beside you:
        the portfolio's from the portfolio, the project's from a project. Says where."""
        key = None if self.in_portfolio else self.project_key
        self._read_report(key, self.services.clock.today(), Path.cwd())

    class ReportRead(Message):
        """The weekly report, computed in the worker, to preview."""

        def __init__(self, key: str | None, stem: Path, markdown: str, html: str) -> None:
            super().__init__()
            self.key = key
            self.stem = stem
            """The files' path without the suffix: ``status-2026-11-23-NET``."""
            self.markdown = markdown
            self.html = html

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _read_report(self, key: str | None, day: date, folder: Path) -> None:
        from itpm_tui.domain.report_render import to_html, to_markdown
        from itpm_tui.reports import status_report_of

        report = status_report_of(self.services.store, day, key)
        stem = folder / f"status-{day.isoformat()}-{key or 'portfolio'}"
        self.post_message(self.ReportRead(key, stem, to_markdown(report), to_html(report)))

    @on(ReportRead)
    def _preview_report(self, message: ReportRead) -> None:
        stem = message.stem
        where = f"{stem.with_suffix('.md')} and {stem.with_suffix('.html').name}"

        def answered(write: bool | None) -> None:
            if write:
                self._write_report(stem, message.markdown, message.html)

        title = f"Weekly report: {message.key or 'portfolio'} (nothing is written yet)"
        self.app.push_screen(ReportPreviewModal(title, message.markdown, where), answered)

    @work(thread=True, group="report-write", exit_on_error=False)
    def _write_report(self, stem: Path, markdown: str, html: str) -> None:
        written = [write_text(stem.with_suffix(".md"), markdown),
                   write_text(stem.with_suffix(".html"), html)]  # fmt: skip
        said = f"Wrote the weekly report: {written[0]} and {written[1].name}"
        self.app.call_from_thread(self.notify, said, timeout=8, markup=False)

    def action_drill(self) -> None:
        """Open the highlighted project, or list the tasks behind the highlighted row."""
        if self.in_portfolio:
            current = self.query_one(PortfolioTable).current
            if current is not None:
                self.open_project(current.health.project_key)
            return
        health = self.health
        row = self.query_one(HealthList).current
        if health is None or row is None or isinstance(row, Heading):
            return
        if isinstance(row, RatingRow):
            rating: Rating = "budget" if row.label == "Budget" else "schedule"
            target = DrillTarget(health.project_id, rating=rating)
        elif isinstance(row, FlagRow):
            target = DrillTarget(health.project_id, kind=row.kind)
        else:
            target = DrillTarget(health.project_id, milestone_id=row.report.health.milestone_id)
        self.app.push_screen(DrilldownScreen(self.services, target))

    def action_figures(self) -> None:
        """Every reason of every rating and the whole EVM table, one key away."""
        from itpm_tui.screens.health_figures import HealthFiguresScreen

        health = self.health
        if health is not None:
            self.app.push_screen(HealthFiguresScreen(self.services, health.project_id))

    # --- adding records -------------------------------------------------------------------

    def action_add_project(self) -> None:
        """A new project: key, name, budget, currency, start and baseline finish."""
        today = self.services.clock.today()

        def build(values: Mapping[str, Any]) -> Project:
            return validate(Project, {k: v for k, v in values.items() if v is not None})

        fields = (
            FormField("key", "Key", placeholder="2-10 letters or digits: NET, CLOUD2"),
            FormField("name", "Name", placeholder="Branch network upgrade"),
            FormField("bac", "Budget (BAC)", _optional(parse_amount), placeholder="120000"),
            FormField("currency", "Currency", _currency, value="EUR"),
            FormField("start", "Start", _optional(lambda t: parse_date(t, today)),
                      placeholder="2026-12-01, mon, +3wd (optional)"),
            FormField("baseline_finish", "Baseline finish",
                      _optional(lambda t: parse_date(t, today)), placeholder="(optional)"),
        )  # fmt: skip
        form = RecordForm("Add a project", fields, build,
                          hint="Thresholds and the calendar: `itpm-tui project set`.")  # fmt: skip

        def save(project: Project | None) -> None:
            if project is not None:
                self.project_key = project.key
                self.save(lambda store: store.projects.add(project),
                          f"Added project {project.key}: {project.name}")  # fmt: skip

        self.app.push_screen(form, save)

    def action_add_milestone(self) -> None:
        """A new milestone of the shown project: name, baseline and first forecast."""
        health = self.health
        if health is None:
            return
        calendar = self._calendar(health)
        today = self.services.clock.today()

        def build(values: Mapping[str, Any]) -> Milestone:
            baseline = values["baseline"]
            return validate(Milestone, {
                "project_id": health.project_id, "name": values["name"], "baseline": baseline,
                "forecast": values["forecast"] or baseline,
            })  # fmt: skip

        fields = (
            FormField("name", "Name", placeholder="Pilot branch cut-over"),
            FormField("baseline", "Baseline", lambda t: parse_date(t, today, calendar),
                      placeholder="the planned day: 2027-01-15, +20wd"),
            FormField("forecast", "Forecast", _optional(lambda t: parse_date(t, today, calendar)),
                      placeholder="(optional: the baseline)"),
        )  # fmt: skip
        form = RecordForm(f"Add a milestone to {health.project_key}", fields, build)

        def save(milestone: Milestone | None) -> None:
            if milestone is not None:
                self.save(lambda store: store.milestones.add(milestone),
                          f"Added milestone {milestone.name} to {health.project_key}")  # fmt: skip

        self.app.push_screen(form, save)

    def action_move_forecast(self) -> None:
        """Give the highlighted milestone a new forecast (kept in its history, logged)."""
        row, health = self._highlighted(), self.health
        if not isinstance(row, MilestoneRow) or health is None:
            return
        m = row.report.health
        calendar = self._calendar(health)
        today = self.services.clock.today()
        fields = (
            FormField("forecast", "New forecast", lambda t: parse_date(t, today, calendar),
                      value=m.forecast.isoformat()),
        )  # fmt: skip

        def day(value: date) -> str:
            return short_date(value, today, long=True)

        form = RecordForm(f"Move the forecast of {m.name} (now {day(m.forecast)})",
                          fields, lambda values: values["forecast"])  # fmt: skip

        def save(forecast: date | None) -> None:
            if forecast is None or forecast == m.forecast:
                return
            slip = calendar.between(m.baseline, forecast)

            def move(store: Store) -> Milestone:
                current = store.milestones.get(m.milestone_id)
                if current.forecast != m.forecast:  # what this screen showed is out of date
                    raise InvalidInput(
                        f"someone moved {m.name} to {day(current.forecast)} meanwhile; "
                        "nothing changed: look again and retry"
                    )
                return store.milestones.update(m.milestone_id, {"forecast": forecast},
                                               expected_version=current.version)  # fmt: skip

            self.save(move, f"{m.name}: forecast {day(forecast)} "
                            f"({signed_days(slip)} from baseline)")  # fmt: skip

        self.app.push_screen(form, save)

    def action_add_cost(self) -> None:
        """Money spent on the shown project: amount, day, category, note."""
        health = self.health
        if health is None:
            return
        calendar = self._calendar(health)
        today = self.services.clock.today()

        def build(values: Mapping[str, Any]) -> CostEntry:
            if not values["amount"]:
                raise InvalidInput("amount: it must be more than 0")
            return validate(CostEntry, {"project_id": health.project_id, **values})

        fields = (
            FormField("amount", f"Amount ({health.currency})", parse_amount,
                      placeholder="1250.00"),
            FormField("spent_on", "Spent on",
                      lambda t: parse_date(t, today, calendar, recent=True),
                      value=today.isoformat()),
            FormField("category", "Category", placeholder="hardware, licences, services"),
            FormField("note", "Note", placeholder="invoice number, vendor"),
        )  # fmt: skip
        form = RecordForm(f"Add a cost to {health.project_key}", fields, build)

        def save(entry: CostEntry | None) -> None:
            if entry is not None:
                said = (f"Added {money_text(entry.amount, health.currency)} to "
                        f"{health.project_key} ({short_date(entry.spent_on, today)})")  # fmt: skip
                self.save(lambda store: store.costs.add(entry), said)

        self.app.push_screen(form, save)

    def _calendar(self, health: ProjectHealth) -> WorkCalendar:
        project = next((p for p in self.projects if p.id == health.project_id), None)
        return WorkCalendar.for_project(project)


def _optional(parse: Callable[[str], T]) -> Callable[[str], T | None]:
    """A field that may be left empty (``None``)."""

    def read(text: str) -> T | None:
        return parse(text) if text.strip() else None

    return read


def _currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise InvalidInput(f"a currency is a 3-letter code such as EUR or USD (got {text!r})")
    return code
