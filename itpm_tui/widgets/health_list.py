"""HealthList: the rows of the Health screen: ratings, task flags and milestones.

A Line-API list (``RowView``): one line per row, so a change repaints only the rows that
differ, and moving the cursor repaints two lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.message import Message

from itpm_tui.domain.health import MilestoneReport
from itpm_tui.domain.rag import Flag, Rag
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.widgets.health_badge import FLAG_CLASSES, RAG_CLASSES, flag_label, rag_label
from itpm_tui.widgets.row_view import RowView
from itpm_tui.widgets.trend_chart import ARROWS, sparkline

NAME_MIN = 16
"""The milestone name keeps at least this many cells; other columns drop first."""
NAME_MAX = 40
"""Wider screens leave the rest blank instead of pushing the dates far right."""


@dataclass(frozen=True)
class Heading:
    """A section title; the cursor skips it."""

    text: str
    columns: bool = False
    """Show the milestone column labels on this line."""


@dataclass(frozen=True)
class RatingRow:
    """A project-level rating (budget, schedule) and its first reason."""

    label: str
    flag: Flag


@dataclass(frozen=True)
class FlagRow:
    """How many open tasks carry one kind of flag."""

    kind: TaskFlagKind
    count: int
    condition: str = field(default="", compare=False)
    """When the flag fires ("blocked over 2 working days"), so 0 never reads as "none"."""


@dataclass(frozen=True)
class MilestoneRow:
    """One milestone's rating, dates, slip and trend."""

    report: MilestoneReport


HealthRow = Heading | RatingRow | FlagRow | MilestoneRow


def row_key(row: HealthRow) -> str:
    """A stable id for a row, so the cursor stays on it across reloads."""
    if isinstance(row, FlagRow):
        return f"flag:{row.kind.value}"
    if isinstance(row, MilestoneRow):
        return f"milestone:{row.report.health.milestone_id}"
    if isinstance(row, RatingRow):
        return f"rating:{row.label}"
    return f"heading:{row.text}"


@dataclass(frozen=True)
class _Layout:
    """Which milestone columns fit, and how wide the name is."""

    name: int
    dates: bool
    trend: bool
    status: bool


RAG_WIDTH = 9
"""``✖ RED`` padded to the longest word (``? NO DATA``)."""
DATE_WIDTH = 6
SLIP_WIDTH = 6
TREND_WIDTH = 7
"""A five-point sparkline, a space and an arrow."""
STATUS_WIDTH = 10


def layout_for(width: int) -> _Layout:
    """Drop the status, then the trend, then the dates until the name has room.

    A row is: space, rating, name, dates, slip, trend, status, each followed by a space.
    """
    options = ((True, True, True), (True, True, False), (True, False, False),
               (False, False, False))  # fmt: skip
    for dates, trend, status in options:
        used = 1 + (RAG_WIDTH + 1) + 1 + (SLIP_WIDTH + 1)
        used += (2 * (DATE_WIDTH + 1)) if dates else 0
        used += (TREND_WIDTH + 1) if trend else 0
        used += STATUS_WIDTH if status else 0
        if width - used >= NAME_MIN or not dates:
            return _Layout(max(min(width - used, NAME_MAX), 4), dates, trend, status)
    raise AssertionError("unreachable")  # pragma: no cover


class HealthList(RowView):
    """Ratings, task-flag counts and milestones; the screen drills into the highlighted row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "health-list--heading",
        "health-list--red",
        "health-list--amber",
        "health-list--green",
        "health-list--muted",
    }
    DEFAULT_CSS = """
    HealthList { height: auto; max-height: 100%; background: $surface; }
    HealthList > .health-list--heading { text-style: bold; background: $boost; }
    HealthList > .health-list--red { color: $error; text-style: bold; }
    HealthList > .health-list--amber { color: $warning; }
    HealthList > .health-list--green { color: $success; }
    HealthList > .health-list--muted { color: $text-muted; }
    """
    empty_text = "No projects yet: Esc, then a adds one (or `itpm-tui project add KEY NAME`)."

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, health_list: HealthList, row: HealthRow | None) -> None:
            super().__init__()
            self.health_list = health_list
            self.row = row

        @property
        def control(self) -> HealthList:
            """The list."""
            return self.health_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: tuple[HealthRow, ...] = ()

    # --- data ---------------------------------------------------------------------------

    @property
    def rows(self) -> tuple[HealthRow, ...]:
        """The rows shown."""
        return self._rows

    @property
    def current(self) -> HealthRow | None:
        """The row under the cursor (never a heading)."""
        if 0 <= self.cursor < len(self._rows) and self.is_selectable(self.cursor):
            return self._rows[self.cursor]
        return None

    def set_rows(self, rows: Sequence[HealthRow]) -> None:
        """Show new rows; the cursor stays on the same flag or milestone; unchanged lines stay."""
        old, new = self._rows, tuple(rows)
        if old == new:
            return
        keep = row_key(old[self.cursor]) if 0 <= self.cursor < len(old) else None
        self._rows = new
        index = next((i for i, r in enumerate(new) if row_key(r) == keep), self.cursor)
        if len(old) == len(new) and index == self.cursor:
            for i, (before, after) in enumerate(zip(old, new, strict=True)):
                if before != after:
                    self.refresh_line(i + self.header_lines)
            if old[self.cursor] != new[self.cursor]:
                self.cursor_moved()
            return
        self.cursor = index
        self.rows_changed()
        self.cursor_moved()

    # --- RowView hooks ------------------------------------------------------------------

    def row_count(self) -> int:
        """How many rows, headings included."""
        return len(self._rows)

    def is_selectable(self, index: int) -> bool:
        """Headings are not."""
        return not isinstance(self._rows[index], Heading)

    def cursor_moved(self) -> None:
        """Tell the screen which row is highlighted."""
        self.post_message(self.Highlighted(self, self.current))

    def scroll_to_cursor(self) -> None:
        """Keep the cursor in view, also when the list sits in a scrolling page.

        At the first row the page scrolls back to its top, so what is above the list
        (the budget and schedule) comes back into view.
        """
        super().scroll_to_cursor()
        page = self.parent
        if not isinstance(page, ScrollableContainer):
            return
        first = next((i for i in range(len(self._rows)) if self.is_selectable(i)), 0)
        if self.cursor <= first:
            page.scroll_home(animate=False, immediate=True)
            return
        line = self.virtual_region.y + self.header_lines + self.cursor - round(self.scroll_offset.y)
        page.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One row, fitted to ``width``."""
        row = self._rows[index]
        if isinstance(row, Heading):
            text = self._heading(row, width)
            style = style + self.state_style("health-list--heading")
        elif isinstance(row, RatingRow):
            text = self._rating(row)
        elif isinstance(row, FlagRow):
            text = self._flag(row)
        else:
            text = self._milestone(row, width)
        text.truncate(width, overflow="ellipsis", pad=True)
        return list(Segment.apply_style(text.render(self.app.console), style))

    def _class_style(self, css_class: str) -> Style:
        return self.state_style(f"health-list--{css_class.removeprefix('-')}")

    def _heading(self, row: Heading, width: int) -> Text:
        if not row.columns:
            return Text(f" {row.text}")
        layout = layout_for(width)
        text = Text(f" {row.text:<{RAG_WIDTH + 1 + layout.name}} ")
        if layout.dates:
            text.append(f"{'Base':<{DATE_WIDTH}} {'Fcst':<{DATE_WIDTH}} ")
        text.append(f"{'Slip':>{SLIP_WIDTH}} ")
        if layout.trend:
            text.append(f"{'Trend':<{TREND_WIDTH}} ")
        if layout.status:
            text.append("Status")
        return text

    def _rating(self, row: RatingRow) -> Text:
        rag = row.flag.rag
        text = Text(" ")
        text.append(rag_label(rag, pad=True) + " ", style=self._class_style(RAG_CLASSES[rag]))
        text.append(f"{row.label:<9} ", style="bold")
        if row.flag.reasons:
            text.append(row.flag.reasons[0], style=self._class_style("muted"))
        return text

    def _flag(self, row: FlagRow) -> Text:
        text = Text(" ")
        style = self._class_style(FLAG_CLASSES[row.kind]) if row.count else self._class_style(
            "muted")  # fmt: skip
        text.append(f"{flag_label(row.kind):<12}", style=style)
        noun = "task" if row.count == 1 else "tasks"
        text.append(f"{row.count:>4} {noun:<5}", style=style)
        if row.condition:
            text.append(f"  {row.condition}", style=self._class_style("muted"))
        return text

    def _milestone(self, row: MilestoneRow, width: int) -> Text:
        health, rag = row.report.health, row.report.flag.rag
        layout = layout_for(width)
        rag_style = self._class_style(RAG_CLASSES[rag])
        text = Text(" ")
        text.append(rag_label(rag, pad=True) + " ", style=rag_style)
        # Δ: a change request moved its baseline (the reasons below say from what).
        rebaselined = row.report.original_baseline is not None
        name = Text(f"Δ {health.name}" if rebaselined else health.name)
        name.truncate(layout.name, overflow="ellipsis", pad=True)
        text.append_text(name)
        text.append(" ")
        if layout.dates:
            shown = health.actual or health.forecast
            text.append(f"{health.baseline:%d %b} {shown:%d %b} ")
        slip = f"{health.slip:+d} wd" if health.slip else "0 wd"
        text.append(f"{slip:>{SLIP_WIDTH}} ", style=rag_style if rag is not Rag.GREEN else "")
        if layout.trend:
            trend = health.trend
            spark = sparkline([p.slip for p in trend.points], TREND_WIDTH - 2)
            arrow = " " if health.is_done else ARROWS[trend.direction]  # reached: history
            text.append(f"{spark:<{TREND_WIDTH - 2}} {arrow} ")
        if layout.status:
            text.append(f"{health.status.value:<{STATUS_WIDTH}}")
        return text
