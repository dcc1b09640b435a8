"""RaidList: the RAID register, one line per item, worst risk first (a Line-API RowView).

Every column reads without colour: the band has a mark and a word (``▲▲ very high``), the
kind its letter in the ref (``R12``, ``I3``). Below 100 columns the owner and exposure
columns go first; the highlighted item's whole story is in the screen's detail lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from itpm_tui.domain.raid import Band, RaidRow
from itpm_tui.widgets.row_view import RowView

WIDE = 100
"""From this width on the list adds exposure and owner."""
COLUMNS: tuple[tuple[str, int], ...] = (("Ref", 5), ("Proj", 6), ("Status", 10),
                                        ("Score", 16))  # fmt: skip
WIDE_COLUMNS: tuple[tuple[str, int], ...] = (("Exposure", 13), ("Owner", 10))


def cells(row: RaidRow, wide: bool) -> list[tuple[str, str]]:
    """(text, style name) of each column in ``COLUMNS`` (and ``WIDE_COLUMNS`` if wide)."""
    item, rating = row.item, row.rating
    score = "-" if rating is None else f"{rating.score} {rating.band.symbol} {rating.band.value}"
    state = "" if rating is None else _BAND_STYLE[rating.band]
    out = [(item.ref, "key"), (item.project_key or "", ""), (item.status.value, ""),
           (score, state)]  # fmt: skip
    if wide:
        money = "-"
        if rating is not None and rating.exposure is not None:
            money = f"{row.currency} {rating.exposure:,.0f}"
        out += [(money, ""), (item.owner or "-", "")]
    return out


_BAND_STYLE = {Band.LOW: "", Band.MEDIUM: "", Band.HIGH: "high", Band.VERY_HIGH: "high",
               Band.CRITICAL: "critical"}  # fmt: skip


def _columns(wide: bool) -> tuple[tuple[str, int], ...]:
    return COLUMNS + WIDE_COLUMNS if wide else COLUMNS


class RaidList(RowView):
    """Items of the register; the cursor stays on its item across reloads."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "raid-list--header",
        "raid-list--key",
        "raid-list--high",
        "raid-list--critical",
    }
    DEFAULT_CSS = """
    RaidList { height: 1fr; }
    RaidList > .raid-list--header { text-style: bold; background: $boost; }
    RaidList > .raid-list--key { text-style: bold; }
    RaidList > .raid-list--high { color: $warning; text-style: bold; }
    RaidList > .raid-list--critical { color: $error; text-style: bold reverse; }
    """
    header_lines = 1
    empty_text = "No open RAID items: raise one with `itpm-tui risk add PROJECT TITLE -P 3 -I 4`."

    class Highlighted(Message):
        """The cursor moved to another item."""

        def __init__(self, row: RaidRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[RaidRow, ...] = ()

    def set_rows(self, rows: Sequence[RaidRow]) -> None:
        """New rows; the cursor stays on its item."""
        keep = self.current.item.id if self.current else None
        self.rows = tuple(rows)
        ids = [r.item.id for r in self.rows]
        self.cursor = ids.index(keep) if keep in ids else 0
        self.rows_changed()
        self.cursor_moved()

    @property
    def current(self) -> RaidRow | None:
        """The highlighted item."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_count(self) -> int:
        """One line per item."""
        return len(self.rows)

    def cursor_moved(self) -> None:
        """Tell the screen which item is highlighted."""
        self.post_message(self.Highlighted(self.current))

    def _line(self, parts: list[tuple[str, str]], last: str, width: int,
              style: Style, cursor: bool) -> list[Segment]:  # fmt: skip
        segments = [Segment(" ", style)]
        used = 1
        sizes = [size for _, size in _columns(len(parts) > len(COLUMNS))]
        for (text, state), size in zip(parts, sizes, strict=True):
            cell = f"{text[:size]:<{size}} "
            shown = style if not state or cursor else style + self.state_style(
                f"raid-list--{state}")  # fmt: skip
            segments.append(Segment(cell, shown))
            used += len(cell)
        rest = max(0, width - used)
        segments.append(Segment(last[:rest].ljust(rest), style))
        return segments

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """Column names."""
        header = style + self.state_style("raid-list--header")
        names = [(name, "") for name, _ in _columns(width >= WIDE)]
        return self._line(names, "Title", width, header, cursor=False)

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One item."""
        row = self.rows[index]
        return self._line(cells(row, width >= WIDE), row.item.title, width, style, cursor)
