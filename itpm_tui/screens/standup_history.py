"""StandupHistoryScreen: past stand-ups in a list, the chosen one's minutes beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.standup import ExportContext, StandupRecord, export_markdown
from itpm_tui.files import write_text
from itpm_tui.screens.base import AsOf, ItpmScreen
from itpm_tui.screens.services import Services
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.option_list import VimOptionList
from itpm_tui.widgets.standup_minutes import StandupMinutes

HISTORY_LIMIT = 200
"""How many past stand-ups are listed (newest first)."""


@dataclass(frozen=True)
class HistoryData:
    """Saved stand-ups and the names to show them with."""

    records: tuple[StandupRecord, ...]
    names: ExportContext
    today: date
    """The day the list was read on: a stand-up of another year shows its year."""


class StandupHistoryScreen(ItpmScreen[AsOf, HistoryData]):
    """Browse saved stand-ups; Escape (or Backspace) goes back to the meeting screen."""

    TITLE = "Stand-up history"
    DEFAULT_CSS = """
    StandupHistoryScreen #history { height: 1fr; }
    StandupHistoryScreen #history-list { width: 36; height: 1fr; border-right: vkey $panel; }
    StandupHistoryScreen #history-detail { width: 1fr; height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="standup-history.back"),
        Binding("x", "export", "Export", id="standup-history.export"),
        Binding("y", "copy", "Copy", id="standup-history.copy"),
        Binding(
            "J,pagedown",
            "scroll_minutes(1)",
            "Scroll the minutes down",
            key_display="J",
            show=False,
            id="standup-history.scroll-down",
        ),
        Binding(
            "K,pageup",
            "scroll_minutes(-1)",
            "Scroll the minutes up",
            key_display="K",
            show=False,
            id="standup-history.scroll-up",
        ),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self._records: tuple[StandupRecord, ...] = ()
        self.data: HistoryData | None = None

    def compose(self) -> ComposeResult:
        """Header, list and minutes side by side, footer."""
        yield AppHeader()
        with Horizontal(id="history"):
            yield VimOptionList(id="history-list")
            with VerticalScroll(id="history-detail", can_focus=False):
                yield StandupMinutes(id="minutes")
        yield KeyBar()

    def on_mount(self) -> None:
        """Keys go to the list (the base class names the screen and loads)."""
        self.query_one(OptionList).focus()

    def load_request(self) -> AsOf:
        """History does not depend on anything but the day."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> HistoryData:
        """The newest stand-ups with names for people and projects."""
        names = ExportContext(
            {p.login: p.name for p in store.people.find()},
            {p.id: p.key for p in store.projects.find()},
        )
        return HistoryData(tuple(store.standups.find(limit=HISTORY_LIMIT)), names, request.today)

    def show(self, data: HistoryData) -> None:
        """Fill the list, keeping the highlighted stand-up."""
        options = self.query_one(OptionList)
        keep = None
        if options.highlighted is not None and options.highlighted < len(self._records):
            keep = self._records[options.highlighted].session.id
        self._records = data.records
        self.data = data
        self.query_one(StandupMinutes).names = data.names
        options.set_options(Option(self._label(r, data.names, data.today)) for r in data.records)
        ids = [r.session.id for r in data.records]
        if data.records:
            options.highlighted = ids.index(keep) if keep in ids else 0
        else:
            options.add_option(Option(Text("No stand-ups saved yet.", style="dim"), disabled=True))
        self._show_record(options.highlighted)

    @staticmethod
    def _label(record: StandupRecord, names: ExportContext, today: date) -> Text:
        s = record.session
        scope = names.scope_name(s)
        return Text.assemble(
            (short_date(s.held_on, today, long=True), "bold"),
            f" {scope:<14.14} {record.present}/{len(record.entries)}",
            (f" ⚑{len(record.parking)}" if record.parking else ""),
        )

    def _show_record(self, index: int | None) -> None:
        record = self._records[index] if index is not None and index < len(self._records) else None
        self.query_one(StandupMinutes).record = record
        self.query_one("#history-detail", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_record(event.option_index)

    @property
    def _record(self) -> StandupRecord | None:
        index = self.query_one(OptionList).highlighted
        return self._records[index] if index is not None and index < len(self._records) else None

    def _markdown(self) -> tuple[StandupRecord, str] | None:
        record, data = self._record, self.data
        if record is None or data is None:
            self.notify("No stand-up to export.", severity="warning", timeout=3)
            return None
        return record, export_markdown(record.session.held_on, [record], [], data.names)

    def action_scroll_minutes(self, direction: int) -> None:
        """Page through long minutes from the keyboard."""
        detail = self.query_one("#history-detail", VerticalScroll)
        detail.scroll_relative(y=direction * max(1, detail.size.height - 2), animate=False)

    def action_copy(self) -> None:
        """Copy the minutes as Markdown to the clipboard (OSC 52: over SSH too, if allowed)."""
        found = self._markdown()
        if found is not None:
            self.app.copy_to_clipboard(found[1])
            self.notify("Copied the minutes as Markdown (where the terminal lets apps set the "
                        "clipboard; x writes a file instead).", timeout=4)  # fmt: skip

    def action_export(self) -> None:
        """Write the minutes as Markdown to a file in the current folder, and say where."""
        found = self._markdown()
        if found is None:
            return
        record, text = found
        s = record.session
        scope = re.sub(r"[^A-Za-z0-9_-]+", "-", self.data.names.scope_name(s) if self.data else "")
        path = Path.cwd() / f"standup-{s.held_on.isoformat()}-{scope.strip('-') or s.id}.md"
        self._write_worker(path, text)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_worker(self, path: Path, text: str) -> None:
        write_text(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        """Back to the stand-up screen."""
        self.dismiss()
