"""BoardScreen: placeholder until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from itpm_tui.screens.base import ItpmScreen
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader


class BoardScreen(ItpmScreen[int]):
    """Stand-up board."""

    TITLE = "Stand-up board"

    def compose(self) -> ComposeResult:
        """Header, body, footer."""
        yield AppHeader()
        yield Static("", id="body", markup=False)
        yield Footer()

    def load(self, store: Store) -> int:
        """How many tasks there are."""
        return store.tasks.count()

    def show(self, data: int) -> None:
        """Show the count."""
        self.query_one("#body", Static).update(f"Stand-up board: {data} tasks")
