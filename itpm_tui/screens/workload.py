"""WorkloadScreen: everyone's load per ISO week as a percentage of capacity, by team.

The grid is read in the load worker (``reports.workload_view``, which wraps
``domain.workload``); the grid is a Line-API ``WorkloadGrid``; the lines under it say the
highlighted person's week: hours of work against hours available, the daily peaks, and the
tasks with the most hours in it. Enter lists every task behind the cell there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from itpm_tui.domain.numbers import hours_text
from itpm_tui.domain.wording import plural
from itpm_tui.domain.workload import PersonLoad, WeekLoad, week_summary
from itpm_tui.models import Person
from itpm_tui.reports import TaskShare, WorkloadView, workload_view
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.store import Store
from itpm_tui.store.rows import validate
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.workload_grid import WorkloadGrid

WEEKS = 12
"""ISO weeks loaded, the current one first (the grid shows those that fit)."""
TOP_TASKS = 3
"""Tasks named in the detail lines (Enter lists them all)."""


@dataclass(frozen=True)
class WorkloadRequest:
    """What a load depends on: the day, the team and the project (``None``: all)."""

    today: date
    team: str | None
    project: str | None = None


def _share_text(share: TaskShare) -> str:
    task = share.task
    return f"#{task.id} {task.title} {hours_text(share.hours, unit=False)} h"


def detail_text(data: WorkloadView | None, person: PersonLoad | None,
                week: WeekLoad | None) -> Text:  # fmt: skip
    """The highlighted cell: hours of work vs available, peaks, top tasks, other buckets."""
    if data is None or person is None or week is None:
        return Text("")
    sunday = week.monday + timedelta(days=6)
    name = data.names.get(person.login, person.login)
    text = Text.assemble((f"{name} · {week.week}", "bold"),
                         f": {week_summary(week)}")  # fmt: skip
    shares = data.tasks_behind(person.login, week.monday)
    top = " · ".join(_share_text(s) for s in shares[:TOP_TASKS]) or "no task in this week"
    more = f" (+{len(shares) - TOP_TASKS} more, Enter)" if len(shares) > TOP_TASKS else ""
    text.append("\n" + top + more)
    facts = [f"{week.monday:%d %b}-{sunday:%d %b}"]
    if week.peak_days:
        facts.append("daily peak " + ", ".join(f"{d:%a %d}" for d in week.peak_days))
    facts.append(f"team {data.team or 'all'}")
    if data.project:
        facts.append(f"project {data.project}")
    facts += [f"later {hours_text(person.later, unit=False)} h",
             f"unscheduled {hours_text(person.unscheduled, unit=False)} h"]  # fmt: skip
    if data.load.unassigned and data.team is None:
        facts.append(f"unassigned {hours_text(data.load.unassigned, unit=False)} h "
                     f"({plural(len(data.load.unassigned_task_ids), 'task')})")  # fmt: skip
    text.append("\n" + " · ".join(facts), style="dim")
    return text


def tasks_text(data: WorkloadView | None, person: PersonLoad | None,
               week: WeekLoad | None) -> Text:  # fmt: skip
    """Every task behind the highlighted cell, one a line, most hours first."""
    if data is None or person is None or week is None:
        return Text("")
    shares = data.tasks_behind(person.login, week.monday)
    text = Text(f"{person.login} · {week.week}: {plural(len(shares), 'task')} (Enter: back)",
                style="bold")  # fmt: skip
    for share in shares:
        task = share.task
        end = task.due or task.planned_finish
        key = data.key_of.get(task.project_id) if task.project_id is not None else None
        text.append(f"\n#{task.id:<5} {key or '-':<6} "
                    f"{hours_text(share.hours, unit=False) + ' h':>7}  "
                    f"{'due ' + format(end, '%d %b') if end else '':<10} {task.title}")  # fmt: skip
    return text


class WorkloadScreen(ItpmScreen[WorkloadRequest, WorkloadView]):
    """People x ISO weeks: who is over, near or idle, and the tasks behind it."""

    TITLE = "Workload"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "next_team", "Team", id="workload.next-team"),
        Binding("p", "next_project", "Project", id="workload.next-project"),
        Binding("enter", "toggle_tasks", "Tasks", id="workload.tasks"),
        Binding("s", "timesheet", "Timesheet", id="workload.timesheet"),
        Binding("a", "add_person", "Add person", id="workload.add-person"),
    ]
    WRITE_ACTIONS = frozenset({"add_person"})
    DEFAULT_CSS = """
    WorkloadScreen WorkloadGrid { height: 1fr; }
    WorkloadScreen #workload-detail {
        height: 3; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    WorkloadScreen #workload-detail.-tasks { height: auto; max-height: 12; }
    """

    team: str | None = None
    """The team shown (``None``: everyone)."""
    project: str | None = None
    """Only the people with open tasks in this project (``None``: any)."""
    listing = False
    """The detail area lists every task behind the cell."""
    data: WorkloadView | None = None

    def compose(self) -> ComposeResult:
        """Header, the grid, the highlighted cell's lines, the keys."""
        yield AppHeader()
        yield WorkloadGrid(id="workload-grid")
        yield DetailLines(id="workload-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the grid (the base class starts the first load)."""
        self.query_one(WorkloadGrid).focus()

    def load_request(self) -> WorkloadRequest:
        """Today and the team and project filters."""
        return WorkloadRequest(self.services.clock.today(), self.team, self.project)

    def load(self, store: Store, request: WorkloadRequest) -> WorkloadView:
        """Read the grid (worker thread)."""
        return workload_view(store, request.today, request.team, WEEKS, request.project)

    def show(self, data: WorkloadView) -> None:
        """Repaint the grid; the cursor stays on its person and week."""
        self.data = data
        self.query_one(WorkloadGrid).set_people(data.load.people)

    @on(WorkloadGrid.Highlighted)
    def _show_detail(self, message: WorkloadGrid.Highlighted) -> None:
        self._paint_detail(message.person, message.week)

    def _paint_detail(self, person: PersonLoad | None, week: WeekLoad | None) -> None:
        detail = self.query_one("#workload-detail", DetailLines)
        detail.set_class(self.listing, "-tasks")
        render = tasks_text if self.listing else detail_text
        detail.update(render(self.data, person, week), layout=self.listing)  # -tasks: auto

    def action_next_team(self) -> None:
        """Show the next team (after the last: everyone again)."""
        teams = self.data.teams if self.data else ()
        cycle: list[str | None] = [None, *teams]
        at = cycle.index(self.team) if self.team in cycle else 0
        self.team = cycle[(at + 1) % len(cycle)]
        self.reload()

    def action_next_project(self) -> None:
        """Show only the people of the next project (after the last: everyone again)."""
        keys = self.data.project_keys if self.data else ()
        cycle: list[str | None] = [None, *keys]
        at = cycle.index(self.project) if self.project in cycle else 0
        self.project = cycle[(at + 1) % len(cycle)]
        self.reload()

    def action_timesheet(self) -> None:
        """The highlighted person's timesheet for the highlighted week (h/l move it)."""
        from itpm_tui.screens.timesheet import TimesheetModal

        grid = self.query_one(WorkloadGrid)
        person, week = grid.current, grid.current_week
        if person is None or week is None:
            self.notify("No person selected.", severity="warning", timeout=2)
            return
        self.app.push_screen(TimesheetModal(self.services, person.login, week.monday))

    def action_add_person(self) -> None:
        """A new person: login, name and team (the team shown, by default)."""
        from itpm_tui.screens.record_form import FormField, RecordForm

        def build(values: Mapping[str, Any]) -> Person:
            return validate(Person, dict(values))

        fields = (
            FormField("login", "Login", placeholder="their login on this host: dana"),
            FormField("name", "Name", placeholder="Dana Weber (optional)"),
            FormField("team", "Team", value=self.team or "", placeholder="(optional)"),
        )  # fmt: skip
        form = RecordForm("Add a person", fields, build,
                          hint="Hours per day, working days and rate: "
                               "`itpm-tui person set LOGIN`.")  # fmt: skip

        def save(person: Person | None) -> None:
            if person is not None:
                self.save(
                    lambda store: store.people.add(person),
                    f"Added {person.login}" + (f" ({person.name})" if person.name else ""),
                )

        self.app.push_screen(form, save)

    def action_toggle_tasks(self) -> None:
        """List every task behind the highlighted cell, or go back to the summary."""
        self.listing = not self.listing
        grid = self.query_one(WorkloadGrid)
        self._paint_detail(grid.current, grid.current_week)
