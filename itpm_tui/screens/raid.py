"""RaidScreen: the RAID register, worst risk first, filtered by project and open/all.

The register is read in the load worker (``reports.raid_register``); the list is a Line-API
``RaidList``; the two lines under it say the highlighted item's rating, owner, review and
mitigation. Editing stays on the command line (``risk set``) for now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from itpm_tui.domain.raid import RaidRow
from itpm_tui.reports import RaidRegister, raid_register
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.raid_list import RaidList


@dataclass(frozen=True)
class RaidRequest:
    """What a load depends on: the day, the project (``None``: all), open items only."""

    today: date
    project_key: str | None
    open_only: bool


def detail_text(row: RaidRow | None, today: date) -> Text:
    """The highlighted item: ref, kind and title, then its rating, owner, review, plan."""
    if row is None:
        return Text("")
    item, rating = row.item, row.rating
    text = Text.assemble((f"{item.ref} {item.kind.value}", "bold"), " ", (item.title, "bold"),
                         no_wrap=True, overflow="ellipsis")  # fmt: skip
    facts = [item.project_key or "", item.status.value, f"owner {item.owner or 'nobody'}"]
    if rating is not None:
        facts.append(f"P {item.probability} x I {item.impact} = {rating.score} "
                     f"{rating.band.value}")  # fmt: skip
        if rating.exposure is not None:
            facts.append(f"exposure {row.currency} {rating.exposure:,.0f}")
    if item.review_on is not None:
        due = " (due)" if item.review_on <= today else ""
        facts.append(f"review {item.review_on:%d %b}{due}")
    if item.response is not None:
        facts.append(f"{item.response.value}: {item.mitigation}" if item.mitigation
                     else item.response.value)  # fmt: skip
    text.append("\n" + " · ".join(facts), style="dim")
    return text


class RaidScreen(ItpmScreen[RaidRequest, RaidRegister]):
    """Risks, assumptions, issues and decisions of every project."""

    TITLE = "RAID log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "next_project", "Project", id="raid.next-project"),
        Binding("c", "toggle_closed", "Closed too", id="raid.toggle-closed"),
    ]
    DEFAULT_CSS = """
    RaidScreen RaidList { height: 1fr; }
    RaidScreen #raid-detail { height: 2; padding: 0 1; background: $panel; }
    """

    project_key: str | None = None
    """The project shown (``None``: all of them)."""
    open_only: bool = True
    """Hide closed items and made decisions."""
    data: RaidRegister | None = None

    def compose(self) -> ComposeResult:
        """Header, the register, two lines on the highlighted item, the keys."""
        yield AppHeader()
        yield RaidList(id="raid-list")
        yield Static("", id="raid-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the list (the base class starts the first load)."""
        self.query_one(RaidList).focus()

    def load_request(self) -> RaidRequest:
        """Today, the project filter and whether closed items show."""
        return RaidRequest(self.services.clock.today(), self.project_key, self.open_only)

    def load(self, store: Store, request: RaidRequest) -> RaidRegister:
        """Read the register (worker thread)."""
        return raid_register(store, request.project_key, open_only=request.open_only)

    def show(self, data: RaidRegister) -> None:
        """Repaint the list; the cursor stays on its item."""
        self.data = data
        self.query_one(RaidList).set_rows(data.rows)

    @on(RaidList.Highlighted)
    def _show_detail(self, message: RaidList.Highlighted) -> None:
        del message  # the list says which item: the typed one is its current
        today = self.services.clock.today()
        current = self.query_one(RaidList).current
        self.query_one("#raid-detail", Static).update(detail_text(current, today))

    def action_next_project(self) -> None:
        """Show the next project (after the last: all of them again)."""
        keys = self.data.project_keys if self.data else ()
        cycle: list[str | None] = [None, *keys]
        at = cycle.index(self.project_key) if self.project_key in cycle else 0
        self.project_key = cycle[(at + 1) % len(cycle)]
        self.reload()

    def action_toggle_closed(self) -> None:
        """Show closed items and made decisions too, or hide them again."""
        self.open_only = not self.open_only
        self.reload()
