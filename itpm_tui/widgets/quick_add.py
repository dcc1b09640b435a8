"""QuickAdd: a one-line bar to add a to-do ("call vendor fri"), with an optional due field."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.domain.quick_add import parse_quick_add
from itpm_tui.errors import InvalidInput
from itpm_tui.widgets.task_row import date_preview


class QuickAdd(Horizontal):
    """Title with an optional trailing date, plus a due field; Enter adds, Esc/ctrl+g cancels.

    Shows what it understood ("→ due Fri 27 Nov") while you type. It does not save: it
    posts ``Submitted`` with the typed text and the screen adds the task.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "cancel", "Cancel", id="quick-add.cancel"),
    ]
    DEFAULT_CSS = """
    QuickAdd {
        height: 1;
        background: $boost;
        display: none;
    }
    QuickAdd.-open { display: block; }
    QuickAdd > .quick-add--label { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    QuickAdd > #quick-title { width: 1fr; }
    QuickAdd > #quick-due { width: 13; margin-left: 1; }
    QuickAdd > #quick-hint { width: auto; min-width: 19; max-width: 46; padding-left: 1; color: $text-muted; }
    QuickAdd > #quick-hint.-error { color: $error; text-style: bold; }
    """

    class Submitted(Message):
        """Enter was pressed: add a task from this text."""

        def __init__(self, text: str, due_text: str) -> None:
            super().__init__()
            self.text = text
            self.due_text = due_text

    class Cancelled(Message):
        """The bar was closed without adding."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = date.min
        """Dates are read relative to this day (set by the screen)."""

    def compose(self) -> ComposeResult:
        """Label, title, due, and what was understood."""
        yield Static("Add:", classes="quick-add--label")
        yield Input(placeholder="call vendor fri  (!1 = P1)", id="quick-title", compact=True)
        yield Input(placeholder="due: fri, +2d", id="quick-due", compact=True)
        yield Static("", id="quick-hint", markup=False)

    def open(self) -> None:
        """Show the bar, empty, with the cursor in the title."""
        for field in self.query(Input):
            field.value = ""
        self.query_one("#quick-hint", Static).update("")
        self.add_class("-open")
        # Focus at once (not after the queued keys): text typed right after `a` lands here.
        self.screen.set_focus(self.query_one("#quick-title", Input))

    def close(self) -> None:
        """Hide the bar."""
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        """Whether the bar is showing."""
        return self.has_class("-open")

    def understood(self) -> tuple[str, bool]:
        """What the current text means, and whether it is an error."""
        title = self.query_one("#quick-title", Input).value
        due_text = self.query_one("#quick-due", Input).value
        if not title.strip():
            return "", False
        try:
            parsed = parse_quick_add(title, self.today, read_date=not due_text.strip())
            due = parse_optional_date(due_text, self.today) if due_text.strip() else parsed.due
        except InvalidInput as err:
            return ("✗ not a date" if "date" in str(err) else f"✗ {err}"), True
        said = f"→ due {date_preview(due, self.today)}" if due else "→ no due date"
        return said + (f" · repeats {parsed.repeat}" if parsed.repeat else ""), False

    def show_error(self, message: str) -> None:
        """Say why the task was not added (the bar stays open)."""
        hint = self.query_one("#quick-hint", Static)
        hint.update(Text(message))
        hint.add_class("-error")

    @on(Input.Changed)
    def _show_understood(self, event: Input.Changed) -> None:
        event.stop()
        text, error = self.understood()
        hint = self.query_one("#quick-hint", Static)
        hint.update(Text(text))
        hint.set_class(error, "-error")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(
            self.Submitted(
                self.query_one("#quick-title", Input).value,
                self.query_one("#quick-due", Input).value,
            )
        )

    def action_cancel(self) -> None:
        """Close without adding."""
        self.close()
        self.post_message(self.Cancelled())
