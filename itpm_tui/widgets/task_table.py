"""TaskTable: every task in a virtual table; holds all ids but only the rows near the screen.

The screen gives it the ordered ids of the whole result (cheap, from SQL) and the full
rows of a window; when scrolling reveals rows it does not have, the table asks for them
with ``RowsNeeded``. Columns collapse to fit 80 columns; the title takes what is left.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.models import Task
from itpm_tui.widgets.task_row import (
    GAP,
    TABLE_COLUMNS,
    Column,
    Part,
    cell,
    fit_columns,
    fit_parts,
    header_label,
)
from itpm_tui.widgets.task_rows import TaskRows


class TaskTable(TaskRows):
    """A sortable table of tasks for 10-100,000 rows; renders only what is on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--header",
        "task-table--sorted",
    }
    DEFAULT_CSS = """
    TaskTable > .task-table--header { background: $panel; text-style: bold; }
    TaskTable > .task-table--sorted { color: $accent; text-style: bold underline; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Edit task", show=False, id="task-table.open"),
    ]
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"choose"})
    """Enter opens the task's edit form: refused at the key on a read-only store, as ``e``."""
    header_lines = 1
    empty_text = "No tasks match. Press c to clear the filters."

    class Highlighted(Message):
        """The cursor moved to another task (``None``: the table is empty)."""

        def __init__(self, table: TaskTable, task_id: int | None) -> None:
            super().__init__()
            self.table = table
            self.task_id = task_id

        @property
        def control(self) -> TaskTable:
            """The table."""
            return self.table

    class Chosen(Message):
        """Enter (or a double click) on a task."""

        def __init__(self, table: TaskTable, task_id: int) -> None:
            super().__init__()
            self.table = table
            self.task_id = task_id

    class RowsNeeded(Message):
        """Rows came into view whose data the table does not have."""

        def __init__(self, table: TaskTable, ids: tuple[int, ...]) -> None:
            super().__init__()
            self.table = table
            self.ids = ids

    class HeaderClicked(Message):
        """A column header was clicked (to sort by it)."""

        def __init__(self, table: TaskTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(
        self,
        *,
        columns: tuple[Column, ...] = TABLE_COLUMNS,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.today = date.min
        """Due dates are judged against this day (set by the screen)."""
        self.sort_key = "id"
        self.descending = False
        self._ids: tuple[int, ...] = ()
        self._rows: dict[int, Task] = {}
        self._asked: set[int] = set()
        self._fitted: tuple[int, tuple[tuple[Column, int], ...]] = (-1, ())

    # --- data in ---------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[int, ...]:
        """Every task id in the table, in display order."""
        return self._ids

    @property
    def rows(self) -> Mapping[int, Task]:
        """The tasks whose data the table holds (a window of ``ids``)."""
        return MappingProxyType(self._rows)

    def set_data(self, ids: tuple[int, ...], rows: Iterable[Task], *, keep: int | None) -> None:
        """Replace everything; the cursor follows task ``keep`` if it is still there.

        Otherwise the cursor stays at the same position, so the next row slides under it.
        """
        self._ids = ids
        self._rows = {task.id: task for task in rows}
        self._asked.clear()
        if keep is not None:
            index = self.index_of(keep)
            if index is not None:
                self.cursor = index
        before = self.cursor_id
        self.rows_changed()
        if self.cursor_id != before or keep != before:
            self.cursor_moved()

    def add_rows(self, rows: Iterable[Task]) -> None:
        """Merge rows loaded for the window; repaint."""
        for task in rows:
            self._rows[task.id] = task
        self.refresh()

    def set_sort(self, key: str, descending: bool) -> None:
        """Show which column the rows are sorted by."""
        self.sort_key, self.descending = key, descending
        self.refresh_line(0)

    def index_of(self, task_id: int) -> int | None:
        """The row of a task id, if it is in the table."""
        try:
            return self._ids.index(task_id)
        except ValueError:
            return None

    def select_id(self, task_id: int) -> bool:
        """Move the cursor to a task; False if it is not in the table."""
        index = self.index_of(task_id)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    @property
    def cursor_id(self) -> int | None:
        """The id of the task under the cursor."""
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    @property
    def cursor_task(self) -> Task | None:
        """The task under the cursor, if its row is loaded."""
        task_id = self.cursor_id
        return None if task_id is None else self._rows.get(task_id)

    # --- RowView hooks -------------------------------------------------------------------

    def row_count(self) -> int:
        """All rows, loaded or not."""
        return len(self._ids)

    def cursor_moved(self) -> None:
        """Tell the screen which task is highlighted."""
        self.post_message(self.Highlighted(self, self.cursor_id))

    def rows_shown(self, first: int, last: int) -> None:
        """Ask for the rows on screen (and a page either side) that are not loaded."""
        margin = self.page_height
        start, stop = max(0, first - margin), min(len(self._ids), last + 1 + margin)
        missing = tuple(
            i for i in self._ids[start:stop] if i not in self._rows and i not in self._asked
        )
        if missing:
            self._asked.update(missing)
            self.post_message(self.RowsNeeded(self, missing))

    def visible_columns(self) -> tuple[Column, ...]:
        """The columns that fit the current width."""
        return tuple(column for column, _ in self._layout(self.content_width))

    def _layout(self, width: int) -> tuple[tuple[Column, int], ...]:
        if self._fitted[0] != width:
            self._fitted = (width, fit_columns(self.columns, width))
        return self._fitted[1]

    def _style(self, state: str) -> Style:
        return self.state_style(f"task-table--{state}")

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """Column labels, the sorted one marked with ▲/▼ and underlined."""
        header = style + self._style("header")
        sorted_style = header + self._style("sorted")
        segments = [Segment(" " * GAP, header)]
        for column, size in self._layout(width):
            label = header_label(column, self.sort_key, self.descending)
            for text, _ in fit_parts(((label, ""),), size, right=column.right):
                on_sort = column.key == self.sort_key and text.strip()
                segments.append(Segment(text, sorted_style if on_sort else header))
            segments.append(Segment(" " * GAP, header))
        return segments

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One task, or a placeholder while its row loads."""
        task_id = self._ids[index]
        task = self._rows.get(task_id)

        def parts(column: Column) -> tuple[Part, ...]:
            if task is not None:
                return cell(task, column, self.today)
            if column.key == "id":
                return ((f"#{task_id}", "muted"),)
            return (("…", "muted"),) if column.key == "title" else ()

        columns = self._layout(width)
        return self.cells(columns, (parts(column) for column, _ in columns), style, cursor)

    # --- input ----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """Click a header to sort by it; click a row to move there, twice to open it."""
        event.prevent_default()  # RowView's own click handling is replaced here
        if event.y < self.header_lines:
            x = GAP
            for column, size in self._layout(self.content_width):
                if x <= event.x < x + size + GAP and column.sortable:
                    self.post_message(self.HeaderClicked(self, column.key))
                    return
                x += size + GAP
            return
        index = self.row_at(event.y)
        if index is None:
            return
        self.move_cursor(index)
        if event.chain >= 2:
            self.action_choose()

    def action_choose(self) -> None:
        """Open the task under the cursor."""
        if self.cursor_id is not None:
            self.post_message(self.Chosen(self, self.cursor_id))
