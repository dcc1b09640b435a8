"""TaskRows: what Today's list and the task tables share: cell states and how a task is drawn."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style

from itpm_tui.widgets.row_view import RowView
from itpm_tui.widgets.task_row import GAP, Column, Part, fit_parts

STATES = ("muted", "urgent", "overdue", "due-today", "done", "todo", "doing", "blocked", "review")
"""Cell states with a theme style (see ``task_row.cell``)."""
KEEP_BOLD_UNDER_CURSOR = frozenset({"overdue", "blocked"})
"""States still marked (bold) on the cursor row, where the cursor's colours replace theirs."""


class TaskRows(RowView):
    """A RowView whose rows are tasks laid out in columns (TaskTable, TodayTasks)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"task-rows--{state}" for state in STATES}
    DEFAULT_CSS = """
    TaskRows > .task-rows--muted { color: $text-muted; }
    TaskRows > .task-rows--urgent { text-style: bold; }
    TaskRows > .task-rows--overdue { color: $error; text-style: bold; }
    TaskRows > .task-rows--due-today { color: $warning; text-style: bold; }
    TaskRows > .task-rows--done { color: $success; }
    TaskRows > .task-rows--todo { }
    TaskRows > .task-rows--doing { color: $warning; }
    TaskRows > .task-rows--blocked { color: $error; text-style: bold; }
    TaskRows > .task-rows--review { color: $accent; }
    """

    def state(self, name: str) -> Style:
        """The style of a cell state, to layer over the row's style."""
        return self.state_style(f"task-rows--{name}")

    def cells(
        self,
        columns: Iterable[tuple[Column, int]],
        parts_of: Iterable[tuple[Part, ...]],
        style: Style,
        cursor: bool,
    ) -> list[Segment]:
        """One row: each column's parts fitted to its width, a gap before and after each."""
        segments = [Segment(" " * GAP, style)]
        for (column, size), parts in zip(columns, parts_of, strict=True):
            for text, state in fit_parts(parts, size, right=column.right):
                if not state:
                    cell_style = style
                elif not cursor:
                    cell_style = style + self.state(state)
                else:
                    bold = state in KEEP_BOLD_UNDER_CURSOR
                    cell_style = style + Style(bold=True) if bold else style
                segments.append(Segment(text, cell_style))
            segments.append(Segment(" " * GAP, style))
        return segments
