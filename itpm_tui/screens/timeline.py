"""TimelineScreen: a Gantt chart of the schedule network, by milestone, with baseline bars.

The schedule is computed in the load worker (``reports.timeline_of``: the critical path
method of ``domain/network.py``, laid out by ``domain/timeline.py``); zoom and scrolling are
the chart widget's own state, so they never reload anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from itpm_tui.domain.timeline import Timeline, describe
from itpm_tui.models import Task
from itpm_tui.reports import timeline_of
from itpm_tui.screens.task_actions import TaskScreen, load_choices, task_bindings
from itpm_tui.screens.task_form import FormChoices
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.gantt import Gantt
from itpm_tui.widgets.key_bar import KeyBar

_TASK_ACTIONS = frozenset(
    {"toggle_done", "cycle_status", "toggle_blocked", "undo", "edit", "links", "what_if"}
)
"""The task keys that make sense on a chart (z, Z, + and - zoom here instead)."""


@dataclass(frozen=True)
class TimelineRequest:
    """What a load depends on: the day, and which project (``None``: all)."""

    today: date
    project_key: str | None


@dataclass(frozen=True)
class TimelineData:
    """One load: the laid-out schedule, the project keys to cycle through, the form's choices."""

    timeline: Timeline
    project_keys: tuple[str, ...]
    choices: FormChoices


def timeline_empty_text(project_keys: tuple[str, ...], shown: str | None) -> str:
    """Why the chart is empty and what fills it: a fresh database names the keys."""
    if not project_keys:
        return ("No projects yet: 4 then a adds one (or `itpm-tui project add KEY NAME`); "
                "tasks with a planned start and finish or a due date (2 then a, or "
                "`itpm-tui add TITLE -p KEY --start DATE --finish DATE`) make the bars.")  # fmt: skip
    if shown is not None:
        return f"No open tasks in {shown}: press p for another project, or 2 then a adds one."
    return ("No open tasks: 2 then a adds one with a planned start and finish or a due date "
            "(or `itpm-tui add TITLE -p KEY --due DATE`).")  # fmt: skip


class TimelineScreen(TaskScreen[TimelineRequest, TimelineData]):
    """Every open task as a bar on a working-day axis, grouped by milestone."""

    TITLE = "Timeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", "Edit", show=False, id="timeline.open"),
        Binding("p", "next_project", "Project", id="timeline.next-project"),
        *[
            b
            for b in task_bindings("timeline", frozenset({"edit", "links", "what_if"}))
            if b.action in _TASK_ACTIONS
        ],
    ]
    DEFAULT_CSS = """
    TimelineScreen Gantt { height: 1fr; }
    TimelineScreen #timeline-detail { height: 3; padding: 0 1; background: $panel; }
    """

    project_key: str | None = None
    """The project shown (``None``: all of them)."""
    data: TimelineData | None = None

    def compose(self) -> ComposeResult:
        """Header, the chart, three lines on the highlighted row, the keys."""
        yield AppHeader()
        yield Gantt(id="timeline-chart")
        yield DetailLines(id="timeline-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the chart (the base class starts the first load)."""
        self.query_one(Gantt).focus()

    def load_request(self) -> TimelineRequest:
        """Today and the project filter."""
        return TimelineRequest(self.services.clock.today(), self.project_key)

    def load(self, store: Store, request: TimelineRequest) -> TimelineData:
        """Compute the schedule and lay it out (worker thread)."""
        keys = tuple(p.key for p in store.projects.find())
        key = request.project_key if request.project_key in keys else None
        return TimelineData(timeline_of(store, request.today, key), keys, load_choices(store))

    def show(self, data: TimelineData) -> None:
        """Repaint the chart; the cursor stays on its row."""
        self.data = data
        self.choices = data.choices
        chart = self.query_one(Gantt)
        chart.empty_text = timeline_empty_text(data.project_keys, data.timeline.project_key)
        chart.set_timeline(data.timeline)
        if self.cursor_target is not None and chart.select_task(self.cursor_target):
            self.cursor_target = None

    @on(Gantt.Highlighted)
    def _show_detail(self, message: Gantt.Highlighted) -> None:
        chart = self.query_one(Gantt)
        detail = self.query_one("#timeline-detail", DetailLines)
        if message.row is None or chart.timeline is None:
            detail.update("")
            return
        first, second, third = describe(message.row, chart.timeline)
        where = chart.timeline.project_key or "all projects"
        last = f"{where} · {third}" if third else where
        text = Text.assemble((first, "bold"), "\n", second, "\n", (last, "dim"),
                             no_wrap=True, overflow="ellipsis")  # fmt: skip
        detail.update(text)

    def current_task(self) -> Task | None:
        """The task under the cursor (``None`` on a milestone heading)."""
        chart = self.query_one(Gantt)
        row = chart.row
        if row is None or row.task_id is None or chart.timeline is None:
            return None
        return chart.timeline.tasks.get(row.task_id)

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task if it is on the chart."""
        return self.query_one(Gantt).select_task(task_id)

    def action_next_project(self) -> None:
        """Show the next project (after the last: all of them again)."""
        keys = self.data.project_keys if self.data else ()
        cycle: list[str | None] = [None, *keys]
        at = cycle.index(self.project_key) if self.project_key in cycle else 0
        self.project_key = cycle[(at + 1) % len(cycle)]
        self.reload()
