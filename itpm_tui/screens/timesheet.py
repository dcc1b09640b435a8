"""TimesheetModal: one person's ISO week of logged time, days x tasks, from the Workload screen.

It reads in a thread worker (``reports.timesheet_of``) and only draws the result. A cursor
sits on one day of one task: `h`/`l` move it a day (past Monday or Sunday into the week
before or after), `j`/`k` a task, `[`/`]` a whole week; Enter types that cell's hours
(``WorklogRepo.set_day``, guarded by the total shown), `o` how much of it was overtime
(``set_overtime``: paid at the overtime rate), `a` time on a task not in the sheet yet.
Escape goes back to the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from itpm_tui.domain.numbers import parse_duration, parse_id
from itpm_tui.domain.timesheet import Timesheet, cell_span, minutes_text, timesheet_lines
from itpm_tui.errors import InvalidInput, ItpmError, StaleWrite
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.services import Services
from itpm_tui.store import Store


@dataclass(frozen=True)
class TimesheetRequest:
    """Whose week, from which Monday, as of which day."""

    login: str
    monday: date
    today: date


@dataclass(frozen=True)
class CellEdit:
    """Hours typed into one cell: whose, which task and day, the total seen and the new one."""

    person: str
    task_id: int
    day: date
    seen: int
    """The cell's minutes when the hours were typed (another change since is refused)."""
    minutes: int
    """The cell's new total; for an overtime edit, its new overtime."""
    seen_overtime: int | None = None
    """For an overtime edit: the cell's overtime when it was typed (None: the total is typed)."""


class TimesheetModal(ModalScreen[None]):
    """Days x tasks of one person's logged time, with totals and the working days missing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g,q", "dismiss(None)", "Back", id="timesheet.back"),
        Binding("h,left", "move_day(-1)", "Day earlier", id="timesheet.day-earlier"),
        Binding("l,right", "move_day(1)", "Day later", id="timesheet.day-later"),
        Binding("k,up", "move_row(-1)", "Task up", id="timesheet.task-up"),
        Binding("j,down", "move_row(1)", "Task down", id="timesheet.task-down"),
        Binding("left_square_bracket,pageup", "step(-1)", "Week earlier", key_display="[",
                id="timesheet.week-earlier"),
        Binding("right_square_bracket,pagedown", "step(1)", "Week later", key_display="]",
                id="timesheet.week-later"),
        Binding("enter,e", "type_hours", "Type hours", id="timesheet.type-hours"),
        Binding("o", "type_overtime", "Overtime", id="timesheet.overtime"),
        Binding("a", "other_task", "Time on another task", id="timesheet.other-task"),
    ]  # fmt: skip
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"type_hours", "type_overtime", "other_task"}
    )
    """Refused at the key while the store is read-only."""
    DEFAULT_CSS = """
    TimesheetModal { align: center middle; }
    TimesheetModal > Vertical {
        width: 100%; max-width: 100; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TimesheetModal #timesheet-body { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    TimesheetModal .modal-hint { color: $text-muted; padding: 1 0 0 0; }
    """

    class Read(Message):
        """A timesheet was read (posted from the worker)."""

        def __init__(self, request: TimesheetRequest, sheet: Timesheet) -> None:
            super().__init__()
            self.request = request
            self.sheet = sheet

    class Written(Message):
        """Typed hours were saved (posted from the worker)."""

        def __init__(self, edit: CellEdit, warnings: tuple[str, ...]) -> None:
            super().__init__()
            self.edit = edit
            self.warnings = warnings

    def __init__(self, services: Services, login: str, monday: date) -> None:
        super().__init__()
        self.services = services
        today = services.clock.today()
        self._request = TimesheetRequest(login, monday, today)
        self._sheet: Timesheet | None = None
        self._row = 0
        """The task row of the cursor (an index into the sheet's rows)."""
        self._day = (today - monday).days if 0 <= (today - monday).days < 7 else 0
        """The day of the cursor, 0 = Monday."""
        self._follow: int | None = None
        """The task the next read puts the cursor on (time just typed on it)."""

    def compose(self) -> ComposeResult:
        """The sheet and the keys."""
        with Vertical():
            yield Static("Reading…", id="timesheet-body", markup=False)
            yield Static("h/l day · j/k task · Enter hours · o of which overtime · a another "
                         "task · [/] week · Esc back", classes="modal-hint", markup=False)  # fmt: skip

    def on_mount(self) -> None:
        """Read the first week."""
        self._read(self._request)

    # --- moving ---------------------------------------------------------------------------

    def action_step(self, weeks: int) -> None:
        """Show the week before or after."""
        request = self._request
        self._request = TimesheetRequest(request.login, request.monday + timedelta(weeks=weeks),
                                         request.today)  # fmt: skip
        self._read(self._request)

    def action_move_day(self, step: int) -> None:
        """The cursor a day earlier or later; past either end of the week into the next."""
        day = self._day + step
        if 0 <= day < 7:
            self._day = day
            self._draw()
            return
        self._day = day % 7
        self.action_step(-1 if day < 0 else 1)

    def action_move_row(self, step: int) -> None:
        """The cursor a task up or down."""
        rows = len(self._sheet.rows) if self._sheet else 0
        if rows:
            self._row = max(0, min(rows - 1, self._row + step))
            self._draw()

    # --- typing hours ---------------------------------------------------------------------

    @property
    def _cursor_day(self) -> date:
        return self._request.monday + timedelta(days=self._day)

    def action_type_hours(self) -> None:
        """Type the hours of the cell under the cursor (on an empty sheet: of a task)."""
        sheet = self._sheet
        if sheet is None or sheet.monday != self._request.monday:
            return  # the week is still being read
        if not sheet.rows:
            self.action_other_task()
            return
        row = sheet.rows[self._row]
        day, seen = self._cursor_day, row.minutes[self._day]
        if not self._typeable(day):
            return
        title = f"{sheet.person}'s time on #{row.task_id} on {day:%a %d %b}"
        now = f" (now {minutes_text(seen)})" if seen else ""

        def answered(text: str | None) -> None:
            minutes = self._minutes_typed(text)
            if minutes is not None:
                self._write(CellEdit(sheet.person, row.task_id, day, seen, minutes))

        self.app.push_screen(
            LineInputModal(title + now, "1:30, 90m or 1.5h · empty or 0 clears"), answered
        )

    def action_type_overtime(self) -> None:
        """Type how much of the cell under the cursor was overtime (its total stays)."""
        sheet = self._sheet
        if sheet is None or sheet.monday != self._request.monday:
            return
        if not sheet.rows:
            self.notify("No time logged this week: type the hours first (Enter), then how "
                        "much was overtime.", title="No overtime", severity="warning")  # fmt: skip
            return
        row = sheet.rows[self._row]
        day, total, seen = self._cursor_day, row.minutes[self._day], row.overtime_minutes[self._day]
        if not total:
            self.notify(f"No time on #{row.task_id} on {day:%a %d %b}: type the hours first "
                        "(Enter), then how much was overtime.", title="No overtime",
                        severity="warning", markup=False)  # fmt: skip
            return

        def answered(text: str | None) -> None:
            minutes = self._minutes_typed(text)
            if minutes is not None:
                self._write(CellEdit(sheet.person, row.task_id, day, total, minutes, seen))

        now = minutes_text(seen) if seen else "none"
        title = (f"Overtime within {sheet.person}'s {minutes_text(total)} on #{row.task_id}, "
                 f"{day:%a %d %b} (now {now})")  # fmt: skip
        self.app.push_screen(LineInputModal(title, "1:30, 90m or 1.5h · empty or 0: none"),
                             answered)  # fmt: skip

    def action_other_task(self) -> None:
        """Time on a task not in the sheet yet: its id and the hours, on the cursor's day."""
        sheet = self._sheet
        if sheet is None or sheet.monday != self._request.monday:
            return
        day = self._cursor_day
        if not self._typeable(day):
            return
        shown = {row.task_id: row.minutes[self._day] for row in sheet.rows}

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                task_text, _, hours = text.partition(" ")
                task_id = parse_id(task_text.removeprefix("#"), "task id")
                if not hours:
                    raise InvalidInput("type the task id and the hours, like 152 1:30")
                minutes = parse_duration(hours, "hours")
            except InvalidInput as err:
                self.notify(str(err), title="Not saved", severity="error", markup=False)
                return
            self._write(CellEdit(sheet.person, task_id, day, shown.get(task_id, 0), minutes))

        self.app.push_screen(
            LineInputModal(f"{sheet.person}'s time on {day:%a %d %b}: which task, how long?",
                           "152 1:30"), answered)  # fmt: skip

    def _minutes_typed(self, text: str | None) -> int | None:
        """The minutes a cell prompt's answer says (empty: 0); None, said, when it cannot
        be read or was cancelled."""
        if text is None:
            return None
        try:
            return parse_duration(text, "hours") if text else 0
        except InvalidInput as err:
            self.notify(str(err), title="Not saved", severity="error", markup=False)
            return None

    def _typeable(self, day: date) -> bool:
        if day > self._request.today:
            self.notify(f"{day:%a %d %b} is in the future; time is logged for today or before.",
                        title="Not saved", severity="error", markup=False)  # fmt: skip
            return False
        return True

    @work(thread=True, group="timesheet-save", exit_on_error=False)
    def _write(self, edit: CellEdit) -> None:
        store: Store = self.services.store
        if edit.seen_overtime is not None:
            store.worklogs.set_overtime(edit.person, edit.task_id, edit.day, edit.minutes,
                                        expected=(edit.seen, edit.seen_overtime))  # fmt: skip
            self.post_message(self.Written(edit, ()))
            return
        warnings = store.worklogs.set_day(edit.person, edit.task_id, edit.day, edit.minutes,
                                          expected=edit.seen)  # fmt: skip
        self.post_message(self.Written(edit, warnings))

    @on(Written)
    def _written(self, message: Written) -> None:
        edit = message.edit
        self._follow = edit.task_id
        what = "time" if edit.seen_overtime is None else "overtime"
        said = (f"{edit.person}'s {what} on #{edit.task_id} on {edit.day:%a %d %b} is now "
                f"{minutes_text(edit.minutes) if edit.minutes else 'none'}")  # fmt: skip
        self.notify(said, timeout=3, markup=False)
        for warning in message.warnings:
            self.notify(warning, severity="warning", timeout=5, markup=False)
        self._read(self._request)
        self.services.check_for_changes()

    # --- reading and drawing --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="timesheet", exit_on_error=False)
    def _read(self, request: TimesheetRequest) -> None:
        from itpm_tui.reports import timesheet_of

        sheet = timesheet_of(self.services.store, request.login, request.monday, request.today)
        self.post_message(self.Read(request, sheet))

    @on(Read)
    def _show(self, message: Read) -> None:
        if message.request != self._request:
            return  # a newer week is on its way
        sheet = message.sheet
        self._sheet = sheet
        ids = [row.task_id for row in sheet.rows]
        if self._follow in ids:
            self._row = ids.index(self._follow)
        self._follow = None
        self._row = max(0, min(self._row, len(ids) - 1))
        self._draw()

    def _draw(self) -> None:
        sheet = self._sheet
        if sheet is None:
            return
        # Past 96 columns a wider task column only pushes the days away from the titles.
        width = min(max(self.query_one("#timesheet-body").content_size.width, 60), 96)
        lines = timesheet_lines(sheet, width)
        text = Text()
        text.append(f"Timesheet: {lines[0]}", style="bold")
        start, end = cell_span(width, self._day)
        for index, line in enumerate(lines[1:], start=1):
            text.append("\n")
            if index == 1:  # the days: the cursor's is bold
                text.append(line[:start])
                text.append(line[start:end], style="bold underline")
                text.append(line[end:])
            elif index - 2 == self._row and sheet.rows:
                text.append(line[:start])
                text.append(line[start:end], style="reverse")
                text.append(line[end:])
            else:
                text.append(line)
        self.query_one("#timesheet-body", Static).update(text)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        error = worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        if worker.group == "timesheet":
            self.query_one("#timesheet-body", Static).update(
                Text(f"Could not read the timesheet: {error}")
            )
            return
        title = "Changed by someone else" if isinstance(error, StaleWrite) else "Not saved"
        text = str(error) if isinstance(error, ItpmError) else f"Not saved: {error}"
        self.notify(text, title=title, severity="error", timeout=8, markup=False)
        self._read(self._request)
