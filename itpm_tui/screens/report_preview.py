"""ReportPreviewModal: the weekly status report as it will be mailed, before it is written.

Health's `r` computes the report in a worker and opens this modal on its Markdown, which is
what pastes into chat and email. `w` (or Enter) writes the Markdown and the HTML beside the
user and closes, saying where; Escape closes without writing. The text is shown as plain
text (no markup), so nothing a user typed into a title can style the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class ReportPreviewModal(ModalScreen[bool]):
    """The report's Markdown, scrollable; dismisses True to write it, False to close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g,q", "dismiss(False)", "Close", id="report-preview.close"),
        Binding("w,enter", "dismiss(True)", "Write", id="report-preview.write"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="report-preview.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="report-preview.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False,
                id="report-preview.page-down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="report-preview.page-up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="report-preview.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="report-preview.bottom"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    ReportPreviewModal { align: center middle; }
    ReportPreviewModal > Vertical {
        width: 100%; max-width: 110; height: 100%; max-height: 50;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ReportPreviewModal .modal-title { text-style: bold; }
    ReportPreviewModal VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    ReportPreviewModal .modal-hint { color: $text-muted; }
    """

    def __init__(self, title: str, markdown: str, where: str) -> None:
        """``where``: the files ``w`` writes, as the hint says them."""
        super().__init__()
        self._title = title
        self._markdown = markdown
        self._where = where

    def compose(self) -> ComposeResult:
        """The title, the report, and what the keys do."""
        with Vertical():
            yield Static(Text(self._title), classes="modal-title")
            with VerticalScroll(id="report-text"):
                yield Static(Text(self._markdown), markup=False)
            yield Static(
                Text(f"w or Enter writes {self._where} · j/k space/b scroll · Esc closes"),
                classes="modal-hint",
            )

    def on_mount(self) -> None:
        """Scroll keys reach the text at once."""
        self.query_one("#report-text").focus()

    def action_scroll(self, lines: int) -> None:
        """A line down or up."""
        self.query_one("#report-text", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        """A page down or up."""
        view = self.query_one("#report-text", VerticalScroll)
        view.scroll_relative(y=pages * max(1, view.size.height - 1), animate=False)

    def action_edge(self, end: int) -> None:
        """The top or the bottom."""
        view = self.query_one("#report-text", VerticalScroll)
        if end:
            view.scroll_end(animate=False)
        else:
            view.scroll_home(animate=False)
