"""HelpModal: every key of the current screen, with what it does and its id for remapping."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

REFUSED = "refused: read-only"
"""What the help adds to a key that would change data on a read-only store."""
LEGEND = (
    "wd = working days · RAG = red/amber/green · P1 = most urgent\n"
    "BAC = budget, EAC = forecast cost · PV, EV = planned, earned value\n"
    "AC = actual cost · CPI = EV/AC, SPI = EV/PV: <1 is worse than plan\n"
    "↻ repeats · links: fs ss ff sf = finish/start to finish/start"
)
"""The abbreviations the screens use, each line within the modal's width at 80 columns."""


class HelpRow(NamedTuple):
    """One action's row: its keys, what it does, its id for remapping."""

    keys: str
    description: str
    binding_id: str
    refused: bool = False
    """The store is read-only and this key would write: pressing it is refused."""


class HelpModal(ModalScreen[None]):
    """Lists the active bindings; Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,ctrl+g,q,question_mark,f1", "dismiss(None)", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > Vertical {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpModal DataTable { height: 1fr; }
    HelpModal #help-legend { color: $text-muted; }
    """

    def __init__(self, rows: list[HelpRow], title: str) -> None:
        super().__init__()
        self._rows = rows
        self._title = title

    def compose(self) -> ComposeResult:
        """A title, a table of keys and what the abbreviations mean."""
        with Vertical():
            yield Static(Text(f"Keys: {self._title}  (Esc closes; remap ids in config.toml)"))
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Does", "Id")
            for row in self._rows:
                if row.refused:  # dim and said in words: never colour alone
                    table.add_row(Text(row.keys, style="dim"),
                                  Text(f"{row.description} ({REFUSED})", style="dim"),
                                  Text(row.binding_id, style="dim"))  # fmt: skip
                else:
                    table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
            yield table
            yield Static(Text(LEGEND), id="help-legend")
