"""ConflictModal: someone else changed the fields I was saving; show who and what, then ask."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from itpm_tui.domain.task_fields import field_name, show_stored
from itpm_tui.errors import StaleWrite

Choice = Literal["theirs", "mine"]


def conflict_text(conflict: StaleWrite, title: str, today: date) -> Text:
    """One line per field: who changed it to what, and what I wanted (values as the fields
    show them: ``Fri 27 Nov``, ``4.5h``)."""
    lines = [
        Text.assemble(
            ("Not saved: ", "bold"),
            f"#{conflict.entity_id} {title}".rstrip(),
            " was changed by someone else meanwhile.",
        ),
        Text(""),
    ]
    for item in conflict.conflicts:
        when = item.changed_at[11:16] if len(item.changed_at) >= 16 else item.changed_at
        theirs, mine = (show_stored(item.field, value, today) for value in (item.theirs, item.mine))
        lines.append(
            Text.assemble(
                (field_name(item.field), "bold"),
                ": ",
                (item.changed_by, "bold"),
                f" set it to {theirs} at {when}; ",
                f"you wanted {mine}.",
            )
        )
    lines += [Text(""), Text("Their values are kept unless you choose to overwrite them.")]
    return Text("\n").join(lines)


class ConflictModal(ModalScreen[Choice]):
    """Dismisses with ``theirs`` (keep their values: Esc, ctrl+g, k) or ``mine`` (overwrite: o)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g,k", "dismiss('theirs')", "Keep theirs", id="conflict.keep"),
        Binding("o", "dismiss('mine')", "Overwrite", id="conflict.overwrite"),
    ]
    DEFAULT_CSS = """
    ConflictModal { align: center middle; }
    ConflictModal > Vertical {
        width: 90%; max-width: 90; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConflictModal #conflict-text { height: auto; margin-bottom: 1; }
    ConflictModal Horizontal { height: auto; align-horizontal: right; }
    ConflictModal Button { margin-left: 1; }
    """

    def __init__(self, conflict: StaleWrite, title: str, today: date) -> None:
        super().__init__()
        self.conflict = conflict
        self._title = title
        self._today = today

    def compose(self) -> ComposeResult:
        """What collided, and the two choices."""
        with Vertical():
            yield Static(conflict_text(self.conflict, self._title, self._today), id="conflict-text")
            with Horizontal():
                yield Button("Keep theirs (k)", id="theirs", variant="primary", compact=True)
                yield Button("Overwrite with mine (o)", id="mine", variant="error", compact=True)

    def on_mount(self) -> None:
        """The safe choice has the focus."""
        self.query_one("#theirs", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button is the same as its key."""
        self.dismiss("mine" if event.button.id == "mine" else "theirs")
