"""WorkloadGrid: people x ISO weeks, each cell the load as a percentage (a Line-API RowView).

Every cell reads without colour: ``180%!`` over capacity, ``95%^`` a daily peak in a week
that is not over, ``40%·`` idle (under ``IDLE_BELOW``), ``—`` no capacity and no work.
Colour only repeats it (over = error, near = warning, idle = muted). ``h``/``l`` move a cell
cursor across the weeks; weeks that do not fit scroll sideways with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.domain.workload import PersonLoad, WeekLoad
from itpm_tui.widgets.row_view import RowView

NAME_WIDTH = 12
"""Columns for the person's login."""
CELL_WIDTH = 7
"""Columns per week (``180%!`` and a space)."""
IDLE_BELOW = 50.0
"""A week under this percentage is idle capacity."""
NEAR_FROM = 90.0
"""A week from this percentage up to 100% is near capacity."""


def cell_text(week: WeekLoad) -> tuple[str, str, str]:
    """(number, mark, state) of one week: the mark is ``!``, ``^``, ``·`` or ``""``, the
    state ``over``, ``near``, ``idle`` or ``""``."""
    percent = week.percent
    if percent is None:
        return ("—", "", "") if not week.over else ("∞", "!", "over")
    text = f"{percent:.0f}%"
    if week.over:
        return text, "!", "over"
    if week.peak_days:
        return text, "^", "near"
    if percent >= NEAR_FROM:
        return text, "", "near"
    if percent < IDLE_BELOW:
        return text, "·", "idle"
    return text, "", ""


class WorkloadGrid(RowView):
    """One row per person, one column per week; the cursor is a cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "week_left", "Earlier week", show=False, id="workload.left"),
        Binding("right,l", "week_right", "Later week", show=False, id="workload.right"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "workload-grid--header",
        "workload-grid--cell",
        "workload-grid--over",
        "workload-grid--near",
        "workload-grid--idle",
    }
    DEFAULT_CSS = """
    WorkloadGrid { height: 1fr; }
    WorkloadGrid > .workload-grid--header { text-style: bold; background: $boost; }
    WorkloadGrid > .workload-grid--cell { text-style: bold reverse; }
    WorkloadGrid > .workload-grid--over { color: $error; text-style: bold; }
    WorkloadGrid > .workload-grid--near { color: $warning; }
    WorkloadGrid > .workload-grid--idle { color: $text-muted; }
    """
    header_lines = 1
    empty_text = "No people: press a to add one (or `itpm-tui person add LOGIN --team TEAM`)."

    class Highlighted(Message):
        """The cell cursor moved: the person and week under it (``None`` when empty)."""

        def __init__(self, person: PersonLoad | None, week: WeekLoad | None) -> None:
            super().__init__()
            self.person = person
            self.week = week

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.people: tuple[PersonLoad, ...] = ()
        self.week = 0
        """Index of the week under the cursor (0: the current week)."""
        self._first_week = 0

    def set_people(self, people: Sequence[PersonLoad]) -> None:
        """New rows; the cursor stays on its person and week."""
        keep = self.current.login if self.current else None
        self.people = tuple(people)
        logins = [p.login for p in self.people]
        self.cursor = logins.index(keep) if keep in logins else 0
        weeks = len(self.people[0].weeks) if self.people else 1
        self.week = min(self.week, weeks - 1)
        self.rows_changed()
        self.cursor_moved()

    @property
    def current(self) -> PersonLoad | None:
        """The highlighted person."""
        return self.people[self.cursor] if 0 <= self.cursor < len(self.people) else None

    @property
    def current_week(self) -> WeekLoad | None:
        """The highlighted person's highlighted week."""
        person = self.current
        return person.weeks[self.week] if person and self.week < len(person.weeks) else None

    def row_count(self) -> int:
        """One line per person."""
        return len(self.people)

    def cursor_moved(self) -> None:
        """Tell the screen which cell is highlighted."""
        self.post_message(self.Highlighted(self.current, self.current_week))

    def _visible_weeks(self, width: int) -> int:
        return max(1, (width - NAME_WIDTH - 2) // CELL_WIDTH)

    def _scroll_weeks(self) -> None:
        fit = self._visible_weeks(self.content_width)
        if self.week < self._first_week:
            self._first_week = self.week
        elif self.week >= self._first_week + fit:
            self._first_week = self.week - fit + 1

    def _move_week(self, step: int) -> None:
        weeks = len(self.people[0].weeks) if self.people else 0
        target = max(0, min(self.week + step, weeks - 1))
        if weeks == 0 or target == self.week:
            return
        self.week = target
        first = self._first_week
        self._scroll_weeks()
        if self._first_week != first:
            self.refresh()  # every row shows other weeks
        else:  # only the cursor's row marks its week: 11 KB -> one line at 80x24
            self.refresh_rows(self.cursor)
        self.cursor_moved()

    def action_week_left(self) -> None:
        """The week before (not before the current one)."""
        self._move_week(-1)

    def action_week_right(self) -> None:
        """The week after."""
        self._move_week(1)

    def _shown(self, width: int) -> range:
        weeks = len(self.people[0].weeks) if self.people else 0
        first = min(self._first_week, max(0, weeks - 1))
        return range(first, min(weeks, first + self._visible_weeks(width)))

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """``Person`` and the ISO week numbers (``W48``), the current week first."""
        header = style + self.state_style("workload-grid--header")
        segments = [Segment(f" {'Person':<{NAME_WIDTH}} ", header)]
        if self.people:
            for index in self._shown(width):
                number = self.people[0].weeks[index].monday.isocalendar()[1]
                segments.append(Segment(f"{'W' + str(number):>{CELL_WIDTH - 2}}  ", header))
        return segments

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One person: login, then a cell per shown week."""
        person = self.people[index]
        segments = [Segment(f" {person.login[:NAME_WIDTH]:<{NAME_WIDTH}} ", style)]
        for column in self._shown(width):
            number, mark, state = cell_text(person.weeks[column])
            shown = style
            if cursor and column == self.week:
                shown = style + self.state_style("workload-grid--cell")
            elif state and not cursor:
                shown = style + self.state_style(f"workload-grid--{state}")
            segments.append(Segment(f"{number:>{CELL_WIDTH - 2}}{mark or ' '}", shown))
            segments.append(Segment(" ", style))
        return segments

    def on_resize(self, event: events.Resize) -> None:
        """Keep the cursor's week in view at the new width."""
        super().on_resize(event)
        self._scroll_weeks()
