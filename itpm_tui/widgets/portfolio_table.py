"""PortfolioTable: one line per project, the one on fire first (a ColumnRows list).

Every column reads without colour: the rating has a symbol and a word, the trend a symbol,
the counts their flag symbols. Narrow screens drop the money and milestone columns first,
then the reason is cut; the highlighted project's whole story is in the screen's detail line.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.evm import EarnedValue
from itpm_tui.domain.health import NONE_TEXT
from itpm_tui.domain.portfolio import COUNTED_FLAGS, PortfolioRow, Trend
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.widgets.column_rows import Cells, ColumnRows
from itpm_tui.widgets.health_badge import flag_label

WIDE = 110
"""From this width on the table adds SPI(t), EAC against BAC, the forecast finish against
the planned one, and the next milestone."""


def _ratio(value: object) -> str:
    return NONE_TEXT if value is None else f"{value:.2f}"


COLUMNS = (
    ("Overall", 9), ("Proj", 7), ("Δ", 2), ("! ⊘ △", 10), ("CPI", 5), ("SPI", 5),
)  # fmt: skip
"""Heading and width of each column on every screen; the reason ("Why") fills the rest."""
WIDE_COLUMNS = (("SPI(t)", 6), ("EAC-BAC", 7), ("Finish", 15), ("Next milestone", 20))


def finish_text(ev: EarnedValue, as_of: date) -> str:
    """``19 Feb 27 +17wd``: the forecast finish (earned schedule) and its working days past
    the planned finish, as the project's schedule line says them; ``—`` when not known."""
    if ev.forecast_finish is None or ev.forecast_slip_days is None:
        return NONE_TEXT
    return f"{short_date(ev.forecast_finish, as_of)} {ev.forecast_slip_days:+d}wd"


def cells(row: PortfolioRow, wide: bool) -> Cells:
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
            milestone = f"{m.name[:13]} {m.slip:+d}wd"
        late = (ev.forecast_slip_days or 0) > 0
        out += [(_ratio(ev.spi_t), ""), (over, ""), (finish_text(ev, health.as_of), "red" if late else ""),
                (milestone, "")]  # fmt: skip
    return out


class PortfolioTable(ColumnRows[PortfolioRow]):
    """Projects worst first; Enter opens one."""

    COLUMNS = COLUMNS
    WIDE_COLUMNS = WIDE_COLUMNS
    WIDE = WIDE
    LAST = "Why"
    STATE_PREFIX = "portfolio"
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
    empty_text = "No projects yet: press a to add one (or `itpm-tui project add KEY NAME`)."

    class Chosen(Message):
        """Enter on a project."""

        def __init__(self, row: PortfolioRow) -> None:
            super().__init__()
            self.row = row

    def key_of(self, row: PortfolioRow) -> Hashable:
        """A project is its key."""
        return row.health.project_key

    def cells(self, row: PortfolioRow, wide: bool) -> Cells:
        """Rating, key, trend, counts, indices (and money and milestone when wide)."""
        return cells(row, wide)

    def last(self, row: PortfolioRow) -> str:
        """The deciding reason."""
        return row.why

    def action_choose(self) -> None:
        """Open the highlighted project."""
        if self.current is not None:
            self.post_message(self.Chosen(self.current))
