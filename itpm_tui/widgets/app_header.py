"""AppHeader: one line saying where you are, which database, who you are, today, and live."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class AppHeader(Widget):
    """The top line of every screen; all values are set by the app."""

    DEFAULT_CSS = """
    AppHeader {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    screen_title: reactive[str] = reactive("")
    """Name of the visible screen."""
    database: reactive[str] = reactive("")
    """``local``, ``local: NAME`` or ``shared: NAME`` (``Settings.db_label``)."""
    user: reactive[str] = reactive("")
    today: reactive[date | None] = reactive(None)
    timer: reactive[str] = reactive("")
    """My running timer (``◷ #152 since 09:00``), shown after the title; empty: none."""
    live: reactive[str] = reactive("live")
    """``live``, ``read-only`` or ``offline``: whether other people's changes show up."""

    def render(self) -> Text:
        """`itpm-tui · Today    shared: team.db · pm · Mon 23 Nov 2026 · ● live`."""
        day = f"{self.today:%a %d %b %Y}" if self.today else ""
        symbol = {"live": "●", "read-only": "◌", "offline": "○"}.get(self.live, "?")
        left = Text.assemble(("itpm-tui", "bold"), " · ", (self.screen_title, "bold"))
        if self.timer:
            left.append(" · ")
            left.append(self.timer, "bold reverse")
        right = Text(f"{self.database} · {self.user} · {day} · {symbol} {self.live} ")
        width = self.size.width
        if left.cell_len + right.cell_len + 2 > width:
            right = Text(f"{self.user} · {day} · {symbol} ")
        padding = max(1, width - left.cell_len - right.cell_len - 1)
        return Text.assemble(" ", left, " " * padding, right, no_wrap=True, overflow="ellipsis")
