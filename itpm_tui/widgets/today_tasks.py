"""TodayTasks: my open tasks under group headings with counts (overdue, due today, ...)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.domain.today import Group, TodayList
from itpm_tui.models import Task
from itpm_tui.widgets.task_row import TODAY_COLUMNS, cell, fit_columns
from itpm_tui.widgets.task_rows import TaskRows

Line = tuple[Group, int] | Task
"""A heading (group and how many tasks it has) or a task."""

_HEADING_SYMBOL = {
    Group.OVERDUE: "!",
    Group.DUE_TODAY: "◆",
    Group.IN_PROGRESS: "◐",
    Group.WAITING: "⊘",
    Group.NEXT_UP: "○",
}


class TodayTasks(TaskRows):
    """Today's list: headings are not selectable; the cursor stays on its task across reloads."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Edit task", show=False, id="today-tasks.open"),
    ]
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"choose"})
    """Enter opens the task's edit form: refused at the key on a read-only store, as ``e``."""
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "today-tasks--heading",
        "today-tasks--heading-overdue",
        "today-tasks--heading-due",
    }
    DEFAULT_CSS = """
    TodayTasks > .today-tasks--heading { background: $panel; text-style: bold; }
    TodayTasks > .today-tasks--heading-overdue { color: $error; }
    TodayTasks > .today-tasks--heading-due { color: $warning; }
    """
    empty_text = "Nothing here."

    class Highlighted(Message):
        """The cursor moved to another task (``None``: no tasks)."""

        def __init__(self, view: TodayTasks, task: Task | None) -> None:
            super().__init__()
            self.view = view
            self.task = task

    class Chosen(Message):
        """Enter (or a double click) on a task."""

        def __init__(self, view: TodayTasks, task: Task) -> None:
            super().__init__()
            self.view = view
            self.task = task

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: tuple[Line, ...] = ()
        """Headings and tasks, top to bottom."""
        self.today = date.min

    def set_list(self, agenda: TodayList, today: date) -> None:
        """Show a new list; the cursor follows its task, or the row that took its place."""
        before = self.cursor_task
        old_lines, old_today = self.lines, self.today
        self.today = today
        lines: list[Line] = []
        for group, tasks in agenda.groups if agenda.tasks else ():
            lines.append((group, len(tasks)))
            lines.extend(tasks)
        self.lines = tuple(lines)
        if before is not None:
            index = next(
                (
                    i
                    for i, line in enumerate(self.lines)
                    if isinstance(line, Task) and line.id == before.id
                ),
                None,
            )
            if index is not None:
                self.cursor = index
        if old_lines and len(old_lines) == len(self.lines) and old_today == today:
            self.rows_changed([i for i, line in enumerate(self.lines) if line != old_lines[i]])
        else:
            self.rows_changed()
        after = self.cursor_task
        if after is None or before is None or after != before:
            self.cursor_moved()

    @property
    def cursor_task(self) -> Task | None:
        """The task under the cursor."""
        if 0 <= self.cursor < len(self.lines):
            line = self.lines[self.cursor]
            return line if isinstance(line, Task) else None
        return None

    @property
    def tasks(self) -> tuple[Task, ...]:
        """The tasks in display order."""
        return tuple(line for line in self.lines if isinstance(line, Task))

    def select_id(self, task_id: int) -> bool:
        """Move the cursor to a task; False if it is not in the list."""
        for index, line in enumerate(self.lines):
            if isinstance(line, Task) and line.id == task_id:
                self.move_cursor(index)
                return True
        return False

    # --- RowView hooks -------------------------------------------------------------------

    def row_count(self) -> int:
        """Headings plus tasks."""
        return len(self.lines)

    def is_selectable(self, index: int) -> bool:
        """Only tasks take the cursor."""
        return isinstance(self.lines[index], Task)

    def cursor_moved(self) -> None:
        """Tell the screen which task is highlighted."""
        self.post_message(self.Highlighted(self, self.cursor_task))

    def _style(self, name: str) -> Style:
        return self.state_style(f"today-tasks--{name}")

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """A heading with its count, or one task."""
        line = self.lines[index]
        if not isinstance(line, Task):
            group, count = line
            heading = style + self._style("heading")
            if group is Group.OVERDUE and count:
                heading += self._style("heading-overdue")
            elif group is Group.DUE_TODAY and count:
                heading += self._style("heading-due")
            text = f" {_HEADING_SYMBOL[group]} {group.value.capitalize()} ({count})"
            return [Segment(text, heading), Segment(" " * max(0, width - len(text)), heading)]
        columns = fit_columns(TODAY_COLUMNS, width - 1)
        parts = (cell(line, column, self.today) for column, _ in columns)
        return [Segment(" ", style), *self.cells(columns, parts, style, cursor)]

    # --- input ----------------------------------------------------------------------------

    def action_choose(self) -> None:
        """Open the task under the cursor."""
        task = self.cursor_task
        if task is not None:
            self.post_message(self.Chosen(self, task))

    def on_click(self, event: events.Click) -> None:
        """A double click opens the task (RowView has moved the cursor already)."""
        if event.chain >= 2 and self.row_at(event.y) == self.cursor:
            self.action_choose()
