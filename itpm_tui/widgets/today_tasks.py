"""TodayTasks: my open tasks under group headings with counts (overdue, due today, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.domain.today import Group, TodayList
from itpm_tui.models import Task
from itpm_tui.widgets.task_row import TODAY_COLUMNS, Column, Part, cell, fit_columns, wrap_parts
from itpm_tui.widgets.task_rows import TaskRows


@dataclass(frozen=True)
class Continued:
    """A line a task's title wraps onto: the words that did not fit the row above."""

    task_id: int
    parts: tuple[Part, ...]


Line = tuple[Group, int] | Task | Continued
"""A heading (group and how many tasks it has), a task, or the rest of its title."""

WRAP_LINES = 3
"""A title and its reason take at most this many lines, and only while the list still fits
the screen: at 120 columns a blocked task's reason was cut with 20 empty lines below."""

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
        """Headings, tasks and the lines their titles wrap onto, top to bottom."""
        self.today = date.min
        self._agenda: tuple[Line, ...] = ()
        self._first_lines: dict[int, tuple[Part, ...]] = {}
        """A wrapped task's title parts on its own row, by task id."""
        self._laid_out_for = (0, 0)
        self._columns = TODAY_COLUMNS
        """Today's columns, the due date as wide as the longest one shown."""

    def set_list(self, agenda: TodayList, today: date) -> None:
        """Show a new list; the cursor follows its task, or the row that took its place."""
        new_day, self.today = today != self.today, today
        lines: list[Line] = []
        for group, tasks in agenda.groups if agenda.tasks else ():
            lines.append((group, len(tasks)))
            lines.extend(tasks)
        self._agenda = tuple(lines)
        columns = self._columns
        self._columns = _columns_for(agenda.tasks, today)
        self._lay_out(tell=True, repaint=new_day or columns != self._columns)

    def _lay_out(self, *, tell: bool = False, repaint: bool = False) -> None:
        """Wrap the titles that are cut while the list fits the screen; keep the cursor on
        its task and repaint only what changed (all of it: ``repaint``). ``tell``: say if
        the cursor is on another task now."""
        before, old_lines = self.cursor_task, self.lines
        self._laid_out_for = size = (self._unscrolled_width, self.page_height)
        self.lines = self._wrapped(*size)
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
        if old_lines and len(old_lines) == len(self.lines) and not repaint:
            self.rows_changed([i for i, line in enumerate(self.lines) if line != old_lines[i]])
        else:
            self.rows_changed()
        after = self.cursor_task
        if tell and (after is None or before is None or after != before):
            self.cursor_moved()

    def _wrapped(self, width: int, height: int) -> tuple[Line, ...]:
        """The agenda with each cut title's rest on the lines below it, top down, while the
        whole list still fits ``height`` lines."""
        self._first_lines = {}
        title = _title_column(self._columns, width)
        room = height - len(self._agenda)
        if title is None or room <= 0:
            return self._agenda
        column, size = title
        lines: list[Line] = []
        for line in self._agenda:
            lines.append(line)
            if not isinstance(line, Task) or room <= 0:
                continue
            wrapped = wrap_parts(cell(line, column, self.today), size, min(WRAP_LINES, room + 1))
            if len(wrapped) > 1:
                self._first_lines[line.id] = wrapped[0]
                lines.extend(Continued(line.id, parts) for parts in wrapped[1:])
                room -= len(wrapped) - 1
        return tuple(lines)

    @property
    def _unscrolled_width(self) -> int:
        """The rows' width without a scrollbar: titles wrap only while the list fits, so
        without one; laying out for a scrollbar shown a moment before the list shrank would
        cut one cell more than is drawn."""
        scrollbar = self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        return self.content_width + scrollbar

    def on_resize(self, event: events.Resize) -> None:
        """Lay the list out again for the new size (RowView then keeps the cursor in view)."""
        del event
        if self._agenda and self._laid_out_for != (self._unscrolled_width, self.page_height):
            self._lay_out()

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

    def row_span(self, index: int) -> range:
        """A task's row and the lines its title wraps onto."""
        end = index + 1
        while end < len(self.lines) and isinstance(self.lines[end], Continued):
            end += 1
        return range(index, end)

    def cursor_moved(self) -> None:
        """Tell the screen which task is highlighted."""
        self.post_message(self.Highlighted(self, self.cursor_task))

    def _style(self, name: str) -> Style:
        return self.state_style(f"today-tasks--{name}")

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """A heading with its count, or one task."""
        line = self.lines[index]
        columns = fit_columns(self._columns, width - 1)
        if isinstance(line, Continued):
            rest = (line.parts if column.key == "title" else () for column, _ in columns)
            return [Segment(" ", style), *self.cells(columns, rest, style, cursor)]
        if not isinstance(line, Task):
            group, count = line
            heading = style + self._style("heading")
            if group is Group.OVERDUE and count:
                heading += self._style("heading-overdue")
            elif group is Group.DUE_TODAY and count:
                heading += self._style("heading-due")
            text = f" {_HEADING_SYMBOL[group]} {group.value.capitalize()} ({count})"
            return [Segment(text, heading), Segment(" " * max(0, width - len(text)), heading)]
        first = self._first_lines.get(line.id)
        parts = (
            first if first is not None and column.key == "title" else cell(line, column, self.today)
            for column, _ in columns
        )
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


def _title_column(columns: tuple[Column, ...], width: int) -> tuple[Column, int] | None:
    """The title column and its width in a row ``width`` cells wide (as ``render_row``)."""
    return next(((c, size) for c, size in fit_columns(columns, width - 1)
                 if c.key == "title"), None)  # fmt: skip


def _columns_for(tasks: Iterable[Task], today: date) -> tuple[Column, ...]:
    """Today's columns with the due date as wide as the widest shown: in December most dates
    are next year's, and ``Mon 04 Jan 27`` cut to ``Mon 04 Jan…`` hid the year."""
    due = next(column for column in TODAY_COLUMNS if column.key == "due")
    widest = max(
        (sum(cell_len(text) for text, _ in cell(task, due, today)) for task in tasks),
        default=0,
    )
    if widest <= due.width:
        return TODAY_COLUMNS
    wide = replace(due, width=widest)
    return tuple(wide if column is due else column for column in TODAY_COLUMNS)
