"""PortfolioTable: one line per project, the one on fire first (a Line-API RowView).

Every column reads without colour: the rating has a symbol and a word, the trend a symbol,
the counts their flag symbols. Narrow screens drop the money and milestone columns first,
then the reason is cut; the highlighted project's whole story is in the screen's detail line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.domain.health import NONE_TEXT
from itpm_tui.domain.portfolio import COUNTED_FLAGS, PortfolioRow, Trend
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.widgets.health_badge import flag_label
from itpm_tui.widgets.row_view import RowView

WIDE = 110
"""From this width on the table adds EAC against BAC and the next milestone."""


def _ratio(value: object) -> str:
    return NONE_TEXT if value is None else f"{value:.2f}"


COLUMNS: tuple[tuple[str, int], ...] = (
    ("Overall", 9), ("Proj", 7), ("Δ", 2), ("! ⊘ △", 10), ("CPI", 5), ("SPI", 5),
)  # fmt: skip
"""Heading and width of each column on every screen; the reason ("Why") fills the rest."""
WIDE_COLUMNS: tuple[tuple[str, int], ...] = (("EAC-BAC", 7), ("Next milestone", 24))


def cells(row: PortfolioRow, wide: bool) -> list[tuple[str, str]]:
    """(text, style name) of each column in ``COLUMNS`` (and ``WIDE_COLUMNS`` if wide)."""
    health, ev = row.health, row.health.evm
    rag = health.overall.rag
    counts = " ".join(f"{flag_label(k)[0]}{row.count(k)}" for k in COUNTED_FLAGS)
    out = [
        (f"{rag.symbol} {rag.word}", rag.value if rag is not Rag.NO_DATA else "muted"),
        (health.project_key, "key"),
        (row.trend.symbol, "worse" if row.trend is Trend.WORSE else ""),
        (counts, "red" if row.count(TaskFlagKind.OVERDUE) else ""),
        (_ratio(ev.cpi), ""),
        (_ratio(ev.spi), ""),
    ]
    if wide:
        over = NONE_TEXT
        if ev.eac is not None and ev.bac:
            over = f"{(ev.eac - ev.bac) / ev.bac * 100:+.0f}%"
        milestone = NONE_TEXT
        if row.next_milestone is not None:
            m = row.next_milestone.health
            milestone = f"{m.name[:16]} {m.slip:+d}wd"
        out += [(over, ""), (milestone, "")]
    return out


def _columns(wide: bool) -> tuple[tuple[str, int], ...]:
    return COLUMNS + WIDE_COLUMNS if wide else COLUMNS


class PortfolioTable(RowView):
    """Projects worst first; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open project", key_display="⏎", id="portfolio.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "portfolio--header",
        "portfolio--red",
        "portfolio--amber",
        "portfolio--green",
        "portfolio--muted",
        "portfolio--key",
        "portfolio--worse",
    }
    DEFAULT_CSS = """
    PortfolioTable { height: 1fr; }
    PortfolioTable > .portfolio--header { text-style: bold; background: $boost; }
    PortfolioTable > .portfolio--red { color: $error; text-style: bold; }
    PortfolioTable > .portfolio--amber { color: $warning; text-style: bold; }
    PortfolioTable > .portfolio--green { color: $success; }
    PortfolioTable > .portfolio--muted { color: $text-muted; }
    PortfolioTable > .portfolio--key { text-style: bold; }
    PortfolioTable > .portfolio--worse { color: $error; text-style: bold; }
    """
    header_lines = 1
    empty_text = "No projects yet: add one with `itpm-tui project add KEY NAME`."

    class Highlighted(Message):
        """The cursor moved to another project."""

        def __init__(self, row: PortfolioRow | None) -> None:
            super().__init__()
            self.row = row

    class Chosen(Message):
        """Enter on a project."""

        def __init__(self, row: PortfolioRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[PortfolioRow, ...] = ()

    def set_rows(self, rows: Sequence[PortfolioRow]) -> None:
        """New rows; the cursor stays on its project."""
        keep = self.current.health.project_key if self.current else None
        self.rows = tuple(rows)
        keys = [r.health.project_key for r in self.rows]
        self.cursor = keys.index(keep) if keep in keys else 0
        self.rows_changed()
        self.cursor_moved()

    @property
    def current(self) -> PortfolioRow | None:
        """The highlighted project."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def select_key(self, key: str) -> bool:
        """Put the cursor on a project; False if it is not listed."""
        keys = [r.health.project_key for r in self.rows]
        if key not in keys:
            return False
        self.move_cursor(keys.index(key))
        return True

    def row_count(self) -> int:
        """One line per project."""
        return len(self.rows)

    def cursor_moved(self) -> None:
        """Tell the screen which project is highlighted."""
        self.post_message(self.Highlighted(self.current))

    def action_choose(self) -> None:
        """Open the highlighted project."""
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def _style(self, name: str) -> Style:
        return self.state_style(f"portfolio--{name}")

    def _line(self, parts: list[tuple[str, str]], last: str, width: int,
              style: Style, cursor: bool) -> list[Segment]:  # fmt: skip
        segments = [Segment(" ", style)]
        used = 1
        sizes = [size for _, size in _columns(len(parts) > len(COLUMNS))]
        for (text, state), size in zip(parts, sizes, strict=True):
            cell = f"{text[:size]:<{size}} "
            shown = style if not state or cursor else style + self._style(state)
            segments.append(Segment(cell, shown))
            used += len(cell)
        rest = max(0, width - used)
        segments.append(Segment(last[:rest].ljust(rest), style))
        return segments

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """Column names."""
        header = style + self._style("header")
        names = [(name, "") for name, _ in _columns(width >= WIDE)]
        return self._line(names, "Why", width, header, cursor=False)

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One project."""
        row = self.rows[index]
        return self._line(cells(row, width >= WIDE), row.why, width, style, cursor)
