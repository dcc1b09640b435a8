"""HealthFiguresScreen: one project's ratings with every reason, and the whole EVM table.

One key (``v``) from the Health screen: what ``itpm-tui health`` prints down to its metrics
("Red because of ...", PV, EV, SV, CV, ETC, VAC, the EAC variants), wrapped to the width.
Pushed on top of Health; Escape or Backspace returns. It reloads like every screen, so the
figures follow changes made elsewhere.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from itpm_tui.domain.health import ProjectHealth, explain_lines
from itpm_tui.reports import health_of
from itpm_tui.screens.base import AsOf, ItpmScreen
from itpm_tui.screens.services import Services
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.fitted_lines import HangingText
from itpm_tui.widgets.key_bar import KeyBar


def figures_lines(health: ProjectHealth) -> list[tuple[str, str]]:
    """The lines with their titles bold."""
    return [(line, "" if line.startswith(" ") or not line else "bold")
            for line in explain_lines(health)]  # fmt: skip


class HealthFiguresScreen(ItpmScreen[AsOf, ProjectHealth]):
    """Every reason and metric of one project, in a scrolling page."""

    TITLE = "Health"
    CSS_PATH = "health.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace,v", "back", "Back", key_display="esc", id="figures.back"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="figures.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="figures.up"),
        Binding("space,pagedown", "page(1)", "Page down", key_display="PgDn",
                id="figures.page-down"),
        Binding("b,pageup", "page(-1)", "Page up", key_display="PgUp", id="figures.page-up"),
    ]  # fmt: skip

    def __init__(self, services: Services, project_id: int) -> None:
        super().__init__(services)
        self.project_id = project_id

    def compose(self) -> ComposeResult:
        """Title line, the figures, the keys."""
        yield AppHeader()
        yield Static(id="figures-title", markup=False)
        with VerticalScroll(id="figures-body", can_focus=False):
            yield HangingText(id="figures-text")
        yield KeyBar()

    def load_request(self) -> AsOf:
        """The figures are as of today."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> ProjectHealth:
        """The project's health (worker thread)."""
        return health_of(store, store.projects.get(self.project_id), request.today)

    def show(self, data: ProjectHealth) -> None:
        """Fill the page; the scroll position stays."""
        title = Text(f"{data.project_key} {data.project_name}", style="bold")
        title.append(f" · ratings, reasons and earned value as of {data.as_of:%a %d %b %Y}",
                     style="dim")  # fmt: skip
        self.query_one("#figures-title", Static).update(title)
        self.query_one(HangingText).show(figures_lines(data))

    def _body(self) -> VerticalScroll:
        return self.query_one("#figures-body", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        """Scroll a line."""
        self._body().scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        """Scroll a page."""
        body = self._body()
        body.scroll_relative(y=pages * max(1, body.size.height - 1), animate=False)

    def action_back(self) -> None:
        """Return to the Health screen."""
        self.dismiss()
