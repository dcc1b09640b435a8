"""Gantt: the Timeline's chart, one line per row, drawn with the Line API.

The rows and every cell's meaning come from ``domain/timeline.py``; this widget keeps the
view state (cursor row, zoom, the first column shown) and paints only the lines on screen,
so 10,000 tasks cost what 20 do. Colours come from component classes; every meaning also
has its own character (half blocks, ``!``, ``◆``), so it reads in 16 colours and NO_COLOR.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from itpm_tui.domain.timeline import (
    BOTH,
    PLAN,
    Timeline,
    TimelineRow,
    Zoom,
    header_lines,
    label_width,
    line_cells,
)
from itpm_tui.widgets.row_view import RowView

SCROLL = Binding.Group("Scroll")
ZOOM = Binding.Group("Zoom")

_KIND_CLASS = {
    "plan": "gantt--plan",
    "both": "gantt--plan",
    "baseline": "gantt--baseline",
    "flag": "gantt--flag",
    "today": "gantt--today",
    "milestone": "gantt--milestone",
    "heading": "gantt--heading",
    "label": "",
    "empty": "",
}


class Gantt(RowView):
    """Rows of a :class:`Timeline` with a label column and a scrollable working-day axis."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "scroll_axis(-1)", "Earlier", key_display="h", group=SCROLL,
                id="timeline.earlier"),
        Binding("l,right", "scroll_axis(1)", "Later", key_display="l", group=SCROLL,
                id="timeline.later"),
        Binding("H,shift+left", "scroll_axis(-4)", "Page earlier", show=False,
                id="timeline.page-earlier"),
        Binding("L,shift+right", "scroll_axis(4)", "Page later", show=False,
                id="timeline.page-later"),
        Binding("z,plus,equals_sign", "zoom(-1)", "Zoom in", key_display="z", group=ZOOM,
                id="timeline.zoom-in"),
        Binding("Z,minus", "zoom(1)", "Zoom out", key_display="Z", group=ZOOM,
                id="timeline.zoom-out"),
        Binding("t", "today", "Today", id="timeline.today"),
        Binding("m", "milestone(1)", "Milestone", id="timeline.next-milestone"),
        Binding("M", "milestone(-1)", "Previous milestone", show=False,
                id="timeline.previous-milestone"),
    ]  # fmt: skip
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "gantt--plan",
        "gantt--critical",
        "gantt--late",
        "gantt--near",
        "gantt--baseline",
        "gantt--flag",
        "gantt--today",
        "gantt--milestone",
        "gantt--heading",
        "gantt--axis",
    }
    DEFAULT_CSS = """
    Gantt > .gantt--plan { color: $success; }
    Gantt > .gantt--near { color: $warning; }
    Gantt > .gantt--critical { color: $error; }
    Gantt > .gantt--late { color: $error; text-style: bold; }
    Gantt > .gantt--baseline { color: $text-muted; }
    Gantt > .gantt--flag { text-style: bold; }
    Gantt > .gantt--today { color: $text; }
    Gantt > .gantt--milestone { color: $text; text-style: bold; }
    Gantt > .gantt--heading { text-style: bold; background: $boost; }
    Gantt > .gantt--axis { color: $text-muted; }
    """

    header_lines: ClassVar[int] = 2
    empty_text = "No open tasks here: press p for another project."

    class Highlighted(Message):
        """The cursor moved to another row (or the rows changed under it)."""

        def __init__(self, row: TimelineRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.timeline: Timeline | None = None
        self.rows: tuple[TimelineRow, ...] = ()
        self.zoom = Zoom.WEEK
        """How wide a working day is drawn."""
        self.first_column: int | None = None
        """The first chart column shown (``None``: not placed yet, put today near the left)."""

    # --- data -----------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline) -> None:
        """Show new rows; the cursor stays on its task (or milestone) if it is still there."""
        before = self.row
        self.timeline = timeline
        self.rows = timeline.rows
        if before is not None:
            same = _identity(before)
            self.cursor = next((i for i, r in enumerate(self.rows) if _identity(r) == same),
                               self.cursor)  # fmt: skip
        if self.first_column is not None:  # another project's axis may be shorter
            self.first_column = self._clamp(self.first_column)
        self.rows_changed()
        self.post_message(self.Highlighted(self.row))  # a reload does not scroll the axis

    @property
    def row(self) -> TimelineRow | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task's row; False if it is not shown."""
        for index, row in enumerate(self.rows):
            if row.task_id == task_id:
                self.move_cursor(index)
                return True
        return False

    # --- RowView --------------------------------------------------------------------------

    def row_count(self) -> int:
        """One line per row."""
        return len(self.rows)

    def cursor_moved(self) -> None:
        """Tell the screen which row is highlighted; scroll to its bar if none of it shows."""
        row = self.row
        self.post_message(self.Highlighted(row))
        if row is not None:
            self._bring_into_view(row)

    @staticmethod
    def _row_day(row: TimelineRow | None) -> int | None:
        """The day a row is about: its bar's start, or its milestone's forecast (or baseline)."""
        if row is None:
            return None
        if row.plan is not None:
            return row.plan.first
        return row.forecast_day if row.forecast_day is not None else row.baseline_day

    def _bring_into_view(self, row: TimelineRow) -> None:
        zoom = self.zoom
        if row.plan is not None:
            first, last = zoom.span_columns(row.plan)
        else:
            days = [d for d in (row.forecast_day, row.baseline_day) if d is not None]
            if not days:
                return
            first = last = zoom.column(days[0])
        offset = self._offset()
        if last < offset or first >= offset + self.chart_width:
            self._place(self._clamp(first - self.chart_width // 3))

    @property
    def label_width(self) -> int:
        """The label column's width at this size (it collapses to ids at 80 columns)."""
        return label_width(self.content_width)

    @property
    def chart_width(self) -> int:
        """Cells left for the chart."""
        return max(1, self.content_width - self.label_width)

    @property
    def home_column(self) -> int:
        """The first column shown when today's line is near the left edge (``t``)."""
        return -max(2, self.chart_width // 6)

    def _offset(self) -> int:
        if self.first_column is None:
            self.first_column = self.home_column
        return self.first_column

    def render_line(self, y: int) -> Strip:
        """The two axis lines, then rows."""
        if y >= self.header_lines or self.timeline is None:
            return super().render_line(y)
        width = self.content_width
        base = self.rich_style
        axis = self.rich_style + self.state_style("gantt--axis")
        top, bottom = header_lines(self.timeline.axis, self.zoom, self._offset(), self.chart_width)
        text = top if y == 0 else bottom
        label = f" {self.zoom.label}" if y == 0 else f" {self.timeline.project_key or 'all'}"
        segments = [Segment(label.ljust(self.label_width)[: self.label_width], axis)]
        today = -self._offset()
        if y == 1 and 0 <= today < len(text):
            marker = self.rich_style + self.state_style("gantt--today") + Style(reverse=True)
            segments += [Segment(text[:today], axis),
                         Segment(text[today] if text[today] != " " else "▼", marker),
                         Segment(text[today + 1 :], axis)]  # fmt: skip
        else:
            segments.append(Segment(text, axis))
        return Strip(segments).adjust_cell_length(width, base)

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """A row's label and chart cells, each run in its kind's style."""
        row = self.rows[index]
        no_color = self.app.no_color
        bar = self._bar_class(row)
        segments: list[Segment] = []
        for text, kind in line_cells(row, self.zoom, self._offset(), width, self.label_width):
            name = _KIND_CLASS[kind]
            if kind in ("plan", "both", "flag") and bar:
                name = bar
            piece = style
            if name and not (cursor and kind in ("label", "heading")):
                piece = style + self.state_style(name)
            if kind == "both" and not no_color:
                # Top half the plan's colour, bottom half the baseline's: the ghost under it.
                ghost = self.state_style("gantt--baseline").color
                text = PLAN * len(text)
                piece = piece + Style(bgcolor=ghost)
            elif kind == "both":
                text = BOTH * len(text)
            segments.append(Segment(text, piece))
        return segments

    @staticmethod
    def _bar_class(row: TimelineRow) -> str:
        return {"!!": "gantt--late", "!": "gantt--critical", "~": "gantt--near"}.get(row.flag, "")

    # --- keys -----------------------------------------------------------------------------

    def _place(self, offset: int) -> None:
        if offset != self.first_column:
            self.first_column = offset
            self.refresh()

    def action_scroll_axis(self, steps: int) -> None:
        """Scroll the axis: 1 a working week (5 working days), 4 half the chart's width."""
        step = max(1, self.zoom.column(5)) if abs(steps) == 1 else max(1, self.chart_width // 2)
        self._place(self._clamp(self._offset() + (step if steps > 0 else -step)))

    def _clamp(self, offset: int) -> int:
        if self.timeline is None:
            return offset
        # Never further right than shows the axis's last day, nor further left than its
        # first; a short axis still lets today's line sit where ``t`` puts it.
        axis = self.timeline.axis
        low = min(self.zoom.column(axis.first), self.home_column)
        high = max(low, self.home_column, self.zoom.column(axis.last) - self.chart_width + 1)
        return max(low, min(high, offset))

    def action_zoom(self, step: int) -> None:
        """Zoom in (-1) or out (+1) around the highlighted bar or diamond if it shows, else
        today's line, else the middle: that day keeps its place on screen."""
        zoom = self.zoom.zoomed_in() if step < 0 else self.zoom.zoomed_out()
        if zoom is self.zoom:
            return
        offset = self._offset()
        candidates = [
            self._row_day(self.row),
            0,
            self.zoom.first_day(offset + self.chart_width // 2),
        ]
        shown = [d for d in candidates
                 if d is not None and 0 <= self.zoom.column(d) - offset < self.chart_width]  # fmt: skip
        anchor = shown[0] if shown else 0
        x = self.zoom.column(anchor) - offset
        self.zoom = zoom
        self.first_column = self._clamp(zoom.column(anchor) - x)
        self.refresh()

    def action_today(self) -> None:
        """Bring today's line near the left edge of the chart."""
        self._place(self._clamp(self.home_column))

    def action_milestone(self, step: int) -> None:
        """Move to the next (or previous) milestone heading and scroll to its diamond."""
        count = len(self.rows)
        for i in range(1, count + 1):
            index = (self.cursor + step * i) % count
            row = self.rows[index]
            if row.heading and row.milestone_id is not None:
                self.move_cursor(index, step)  # which scrolls to its forecast if hidden
                return
        self.notify("No milestones here.", severity="warning", timeout=2)


def _identity(row: TimelineRow) -> tuple[object, ...]:
    """What stays the same about a row across reloads."""
    return (row.heading, row.task_id, row.milestone_id,
            row.label if row.heading and row.milestone_id is None else "")  # fmt: skip
