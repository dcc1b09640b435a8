"""TimesheetModal: one person's ISO week of logged time, days x tasks, from the Workload screen.

It reads in a thread worker (``reports.timesheet_of``) and only draws the result; `h`/`l`
step a week back or forward, Escape goes back to the grid.
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

from itpm_tui.domain.timesheet import Timesheet, timesheet_lines
from itpm_tui.screens.services import Services


@dataclass(frozen=True)
class TimesheetRequest:
    """Whose week, from which Monday, as of which day."""

    login: str
    monday: date
    today: date


class TimesheetModal(ModalScreen[None]):
    """Days x tasks of one person's logged time, with totals and the working days missing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g,q", "dismiss(None)", "Back", id="timesheet.back"),
        Binding("h,left", "step(-1)", "Week earlier", id="timesheet.week-earlier"),
        Binding("l,right", "step(1)", "Week later", id="timesheet.week-later"),
    ]
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

    def __init__(self, services: Services, login: str, monday: date) -> None:
        super().__init__()
        self.services = services
        self._request = TimesheetRequest(login, monday, services.clock.today())

    def compose(self) -> ComposeResult:
        """The sheet and the keys."""
        with Vertical():
            yield Static("Reading…", id="timesheet-body", markup=False)
            yield Static("h/l week earlier/later · Esc back", classes="modal-hint")

    def on_mount(self) -> None:
        """Read the first week."""
        self._read(self._request)

    def action_step(self, weeks: int) -> None:
        """Show the week before or after."""
        request = self._request
        self._request = TimesheetRequest(request.login, request.monday + timedelta(weeks=weeks),
                                         request.today)  # fmt: skip
        self._read(self._request)

    @work(thread=True, exclusive=True, group="timesheet", exit_on_error=False)
    def _read(self, request: TimesheetRequest) -> None:
        from itpm_tui.reports import timesheet_of

        sheet = timesheet_of(self.services.store, request.login, request.monday, request.today)
        self.post_message(self.Read(request, sheet))

    @on(Read)
    def _show(self, message: Read) -> None:
        if message.request != self._request:
            return  # a newer week is on its way
        # Past 96 columns a wider task column only pushes the days away from the titles.
        width = min(max(self.query_one("#timesheet-body").content_size.width, 60), 96)
        lines = timesheet_lines(message.sheet, width)
        text = Text()
        text.append(f"Timesheet: {lines[0]}", style="bold")
        for line in lines[1:]:
            text.append("\n" + line)
        self.query_one("#timesheet-body", Static).update(text)

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.query_one("#timesheet-body", Static).update(
                Text(f"Could not read the timesheet: {worker.error}")
            )
