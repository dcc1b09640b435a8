"""TasksScreen: every task in a virtual table; filter as you type, sort, details and history.

Filtering and sorting happen in SQL: a load reads only the ordered ids of the whole result
plus the full rows of a window around the cursor, so 100,000 tasks cost about as much as
100. Rows scrolled into view later are fetched by id in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from itpm_tui.domain.wording import plural
from itpm_tui.errors import NotFound
from itpm_tui.models import AuditEvent, Project, Status, Task
from itpm_tui.screens.task_actions import TaskScreen, chain_lines, load_choices, task_bindings
from itpm_tui.screens.task_form import FormChoices
from itpm_tui.store import Store, TaskFilter
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.task_detail import TaskDetail
from itpm_tui.widgets.task_row import TABLE_COLUMNS
from itpm_tui.widgets.task_table import TaskTable

WINDOW = 150
"""Rows fetched either side of the cursor on each load."""
CHUNK = 500
"""Ids per query when fetching rows scrolled into view."""
DETAIL_FALLBACK = 0.08
"""Seconds to wait for a task's history before its fields show alone ("loading…")."""
PERSONAL = -1
"""Project filter value for personal to-dos (tasks with no project)."""
UNASSIGNED = ""
"""The ``w`` filter's value for tasks nobody owns (no login is empty)."""

StatusFilter = Literal["open", "all", "todo", "doing", "blocked", "review", "done", "snoozed"]
STATUS_FILTERS: tuple[StatusFilter, ...] = (
    "open",
    "todo",
    "doing",
    "blocked",
    "review",
    "done",
    "snoozed",
    "all",
)
"""What ``t`` steps through; ``snoozed`` is open tasks hidden from Today for now."""
SORT_KEYS = tuple(c.key for c in TABLE_COLUMNS if c.sortable)
SORT_NAMES = {c.key: c.label for c in TABLE_COLUMNS}


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks the table shows and in what order."""

    text: str = ""
    project_id: int | None = None
    """A project id, ``PERSONAL``, or ``None`` for every project."""
    assignee: str | None = None
    """A login, ``UNASSIGNED``, or ``None`` for anyone."""
    status: StatusFilter = "open"
    sort: str = "due"
    descending: bool = False

    def task_filter(self, today: date) -> TaskFilter:
        """The store filter for this query (``today`` tells what is snoozed)."""
        shown = self.status in ("open", "all", "snoozed")
        statuses = None if shown else (Status(self.status),)
        return TaskFilter(
            project_id=self.project_id if self.project_id not in (None, PERSONAL) else None,
            personal=self.project_id == PERSONAL,
            assignee=self.assignee if self.assignee != UNASSIGNED else None,
            unassigned=self.assignee == UNASSIGNED,
            statuses=statuses,
            open_only=self.status in ("open", "snoozed"),
            snoozed_after=today if self.status == "snoozed" else None,
            text=self.text.strip() or None,
        )


@dataclass(frozen=True)
class TasksRequest:
    """What one load of the table is for: the query, the cursor's task, the day."""

    today: date
    query: TaskQuery
    keep: int | None
    """The task the cursor should be on (its row is read even when far from the top)."""
    index: int
    """Where the cursor was, for when ``keep`` is gone."""
    jump: int | None = None
    """A task asked for by id: if the query hides it, the filters are cleared."""


@dataclass(frozen=True)
class TasksData:
    """One load: the request it answers, all matching ids, and the rows near the cursor."""

    request: TasksRequest
    ids: tuple[int, ...]
    rows: tuple[Task, ...]
    choices: FormChoices


class TasksScreen(TaskScreen[TasksRequest, TasksData]):
    """All tasks: filter, sort, edit, and read each one's history."""

    TITLE = "Tasks"
    CSS_PATH = "tasks.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Filter", id="tasks.search"),
        Binding("p", "cycle_project", "Project", id="tasks.project"),
        Binding("w", "cycle_person", "Who", id="tasks.person"),
        Binding("t", "cycle_status_filter", "Show", id="tasks.show"),
        Binding("o", "cycle_sort", "Sort", id="tasks.sort"),
        Binding("O", "reverse_sort", "Reverse sort", show=False, id="tasks.sort-reverse"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="tasks.clear"),
        Binding("a", "new_task", "Add task", show=False, id="tasks.add"),
        *task_bindings("tasks", frozenset({"edit"})),
        Binding("i", "toggle_detail", "Details pane", show=False, id="tasks.detail"),
        Binding("J", "scroll_detail(3)", "Scroll details down", show=False, id="tasks.detail-down"),
        Binding("K", "scroll_detail(-3)", "Scroll details up", show=False, id="tasks.detail-up"),
    ]

    class RowsLoaded(Message):
        """Rows fetched for the table's window (posted from a worker)."""

        def __init__(self, generation: int, rows: list[Task]) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows

    class DetailLoaded(Message):
        """A task and its history for the detail pane (posted from a worker)."""

        def __init__(self, task: Task, history: list[AuditEvent], links: list[str]) -> None:
            super().__init__()
            self.task = task
            self.history = history
            self.links = links

    query_state = TaskQuery()
    """The filters and sort in force (replaced, never mutated)."""
    data: TasksData | None = None
    _generation = 0
    _detail_timer: Timer | None = None
    _jump: int | None = None
    """A task asked for by id until a load shows it (or says it does not exist)."""

    def compose(self) -> ComposeResult:
        """Header, filter bar, table and detail pane, footer."""
        yield AppHeader()
        with Horizontal(id="filter-bar"):
            yield Input(placeholder="/ filter titles and notes", id="search", compact=True)
            yield Static("", id="filter-summary", markup=False)
        with Horizontal(id="tasks-body"):
            yield TaskTable(id="task-table")
            yield TaskDetail(id="task-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the table and show the sort (the base class starts the first load)."""
        table = self.query_one(TaskTable)
        table.set_sort(self.query_state.sort, self.query_state.descending)
        table.focus()
        self._show_summary()

    # --- loading --------------------------------------------------------------------------

    def load_request(self) -> TasksRequest:
        """The query in force and the task the cursor is on (or is to go to)."""
        table = self.query_one(TaskTable)
        keep = self.cursor_target or table.cursor_id
        today = self.services.clock.today()
        return TasksRequest(today, self.query_state, keep, table.cursor, self._jump)

    def load(self, store: Store, request: TasksRequest) -> TasksData:
        """Ids of every match, the rows around the cursor, and the form's choices."""
        query = request.query
        ids = store.tasks.find_ids(
            query.task_filter(request.today), order_by=query.sort, descending=query.descending
        )
        try:
            index = ids.index(request.keep) if request.keep is not None else request.index
        except ValueError:
            index = request.index
        index = max(0, min(index, len(ids) - 1))
        window = ids[max(0, index - WINDOW) : index + WINDOW]
        rows = store.tasks.find(TaskFilter(ids=tuple(window))) if window else []
        return TasksData(request, tuple(ids), tuple(rows), load_choices(store))

    def show(self, data: TasksData) -> None:
        """Show a load; a jump to a task the filters hide clears them and loads again."""
        request = data.request
        if self._jump_again(data):
            return
        if request.keep == self.cursor_target:
            self.cursor_target = None
        self.data = data
        self.choices = data.choices
        self._generation += 1
        table = self.query_one(TaskTable)
        table.today = request.today
        unfiltered = replace(request.query, sort="due", descending=False) == TaskQuery()
        table.empty_text = (
            "No open tasks. Press a to add one with every field (or run itpm-tui add TITLE); "
            "t shows done and snoozed ones too."
            if unfiltered
            else "No tasks match. Press c to clear the filters."
        )
        table.set_sort(request.query.sort, request.query.descending)
        table.set_data(data.ids, data.rows, keep=request.keep)
        self._show_summary()
        self._schedule_detail()

    @on(TaskTable.RowsNeeded)
    def _fetch_rows(self, message: TaskTable.RowsNeeded) -> None:
        self._rows_worker(message.ids, self._generation)

    @work(thread=True, group="rows", exit_on_error=False)
    def _rows_worker(self, ids: tuple[int, ...], generation: int) -> None:
        store = self.services.store
        rows: list[Task] = []
        for start in range(0, len(ids), CHUNK):
            rows += store.tasks.find(TaskFilter(ids=ids[start : start + CHUNK]))
        self.post_message(self.RowsLoaded(generation, rows))

    @on(RowsLoaded)
    def _add_rows(self, message: RowsLoaded) -> None:
        if message.generation == self._generation:
            self.query_one(TaskTable).add_rows(message.rows)
            self._schedule_detail()

    # --- detail pane ----------------------------------------------------------------------

    @on(TaskTable.Highlighted)
    def _cursor_moved(self, message: TaskTable.Highlighted) -> None:
        del message
        self._schedule_detail()

    def _schedule_detail(self) -> None:
        """Read the cursor's task and history now and paint the pane once, when they arrive.

        Fields shown first and the history after (two paints) made each cursor move settle
        only ~90 ms after the key; now the fields show alone only when the read is slower
        than ``DETAIL_FALLBACK``. The task on show gets its fresh fields at once.
        """
        table = self.query_one(TaskTable)
        detail = self.query_one(TaskDetail)
        if not detail.display:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        task = table.cursor_task
        if table.cursor_id is None:
            detail.show_task(None, (), self._today())
            return
        if task is not None and task.id == detail.shown_id:
            detail.show_task(task, None, self._today(), self._project(task))
        elif task is not None:
            self._detail_timer = self.set_timer(DETAIL_FALLBACK, partial(self._show_fields, task))
        self._detail_worker(table.cursor_id)

    def _show_fields(self, task: Task) -> None:
        """The history is slow to come: show the fields meanwhile."""
        if self.query_one(TaskTable).cursor_id == task.id:
            self.query_one(TaskDetail).show_task(task, None, self._today(),
                                                 self._project(task))  # fmt: skip

    def _today(self) -> date:
        return self.data.request.today if self.data else self.services.clock.today()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _detail_worker(self, task_id: int) -> None:
        store = self.services.store
        try:
            task = store.tasks.get(task_id)
        except NotFound:
            return  # deleted meanwhile: the next reload moves the cursor
        links = chain_lines(store, task)
        self.post_message(self.DetailLoaded(task, store.tasks.history(task_id), links))

    @on(DetailLoaded)
    def _show_detail(self, message: DetailLoaded) -> None:
        if message.task.id != self.query_one(TaskTable).cursor_id:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        detail = self.query_one(TaskDetail)
        detail.show_task(message.task, message.history, self._today(), self._project(message.task),
                         message.links)  # fmt: skip

    def _project(self, task: Task) -> Project | None:
        return next((p for p in self.choices.projects if p.id == task.project_id), None)

    def action_toggle_detail(self) -> None:
        """Show or hide the detail pane (more rows for the table at 80x24)."""
        detail = self.query_one(TaskDetail)
        detail.display = not detail.display
        self._schedule_detail()

    def action_scroll_detail(self, lines: int) -> None:
        """Scroll the detail pane (its history can be longer than the pane)."""
        self.query_one(TaskDetail).scroll_by_lines(lines)

    # --- filters and sort -----------------------------------------------------------------

    def set_query(self, query: TaskQuery) -> None:
        """Apply new filters or sort and reload."""
        if query == self.query_state:
            return
        self.query_state = query
        self.query_one(TaskTable).set_sort(query.sort, query.descending)
        self._show_summary()
        self.reload()

    def _show_summary(self) -> None:
        query = self.query_state
        projects = {p.id: p.key for p in self.choices.projects} | {PERSONAL: "personal"}
        project = "all" if query.project_id is None else projects.get(query.project_id, "?")
        arrow = "▼" if query.descending else "▲"
        count = f" · {plural(len(self.data.ids), 'task')}" if self.data else ""
        self.query_one("#filter-summary", Static).update(
            Text.assemble(
                ("p:", "dim"),
                project,
                (" w:", "dim"),
                "unassigned" if query.assignee == UNASSIGNED else (query.assignee or "anyone"),
                (" t:", "dim"),
                query.status,
                (" o:", "dim"),
                f"{SORT_NAMES.get(query.sort, query.sort)}{arrow}",
                count,
            )
        )

    def action_search(self) -> None:
        """Type to filter titles and notes."""
        self.set_focus(self.query_one("#search", Input))  # now: keys typed next go there

    @on(Input.Changed, "#search")
    def _filter_as_typed(self, event: Input.Changed) -> None:
        self.set_query(replace(self.query_state, text=event.value))

    @on(Input.Submitted, "#search")
    def _back_to_table(self) -> None:
        self.set_focus(self.query_one(TaskTable))

    def key_escape(self) -> None:
        """Escape leaves the filter field (the text stays)."""
        if self.focused is self.query_one("#search", Input):
            self.set_focus(self.query_one(TaskTable))

    def key_down(self) -> None:
        """Down from the filter field goes to the table."""
        if self.focused is self.query_one("#search", Input):
            self.set_focus(self.query_one(TaskTable))

    def action_cycle_project(self) -> None:
        """Every project, then personal to-dos, then all again."""
        order: list[int | None] = [None, *(p.id for p in self.choices.projects), PERSONAL]
        current = (
            order.index(self.query_state.project_id)
            if (self.query_state.project_id in order)
            else 0
        )
        self.set_query(replace(self.query_state, project_id=order[(current + 1) % len(order)]))

    def action_cycle_person(self) -> None:
        """Me, then everyone else by login, then nobody (unassigned), then anyone again."""
        me = self.choices.me
        logins = [me] if me else []
        logins += [p.login for p in self.choices.people if p.login != me]
        order: list[str | None] = [None, *logins, UNASSIGNED]
        current = (
            order.index(self.query_state.assignee) if (self.query_state.assignee in order) else 0
        )
        self.set_query(replace(self.query_state, assignee=order[(current + 1) % len(order)]))

    def action_cycle_status_filter(self) -> None:
        """Open, each status, all."""
        current = STATUS_FILTERS.index(self.query_state.status)
        status = STATUS_FILTERS[(current + 1) % len(STATUS_FILTERS)]
        self.set_query(replace(self.query_state, status=status))

    def action_cycle_sort(self) -> None:
        """Sort by the next column on screen."""
        keys = [c.key for c in self.query_one(TaskTable).visible_columns() if c.sortable]
        keys = keys or list(SORT_KEYS)
        current = keys.index(self.query_state.sort) if self.query_state.sort in keys else -1
        sort = keys[(current + 1) % len(keys)]
        self.set_query(replace(self.query_state, sort=sort, descending=False))

    def action_reverse_sort(self) -> None:
        """Flip the sort direction."""
        self.set_query(replace(self.query_state, descending=not self.query_state.descending))

    @on(TaskTable.HeaderClicked)
    def _sort_by_clicked(self, message: TaskTable.HeaderClicked) -> None:
        query = self.query_state
        descending = not query.descending if query.sort == message.column else False
        self.set_query(replace(query, sort=message.column, descending=descending))

    def action_clear_filters(self) -> None:
        """Back to every open task (the sort stays)."""
        self.query_one("#search", Input).value = ""
        self.set_query(
            TaskQuery(sort=self.query_state.sort, descending=self.query_state.descending)
        )

    # --- tasks ------------------------------------------------------------------------------

    def current_task(self) -> Task | None:
        """The task under the cursor (if its row is loaded)."""
        return self.query_one(TaskTable).cursor_task

    def show_saved(self, task: Task) -> None:
        """Update the saved task's row at once; the reload that follows re-sorts and filters."""
        table = self.query_one(TaskTable)
        if task.id in table.rows:
            table.add_rows([task])
            self._schedule_detail()

    def form_defaults(self) -> dict[str, object]:
        """A new task goes into the project being looked at."""
        project = self.query_state.project_id
        defaults = super().form_defaults()
        return defaults | ({"project_id": project} if project not in (None, PERSONAL) else {})

    @on(TaskTable.Chosen)
    async def _edit_chosen(self) -> None:
        await self.run_action("edit")  # a double click too: refused on a read-only store

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task, clearing filters that hide it (for the palette)."""
        table = self.query_one(TaskTable)
        table.focus()
        if table.select_id(task_id):
            return True
        self._jump = self.cursor_target = task_id
        self.reload()
        return False

    def _jump_again(self, data: TasksData) -> bool:
        """After a load for a jump: done, or load again with no filters; True if loading."""
        task_id = data.request.jump
        if task_id is None:
            return False
        query = data.request.query
        everything = TaskQuery(status="all", sort=query.sort, descending=query.descending)
        if task_id in data.ids or query == everything:
            self._jump = None
            if task_id not in data.ids:
                self.cursor_target = None
                self.notify(f"No task #{task_id}.", severity="warning", timeout=3)
            return False
        self.query_one("#search", Input).value = ""
        self.query_state = everything
        self._show_summary()
        self.reload()
        return True
