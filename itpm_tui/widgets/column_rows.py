"""ColumnRows: a Line-API list of records in fixed-width columns, the last one taking the rest.

The portfolio and the RAID register are both drawn this way: a header line, one line per
record, the cursor kept on its record (by key) across reloads, each cell styled by a state
name that a subclass maps to a component class. Only the lines on screen are drawn.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from itpm_tui.widgets.row_view import RowView

RowT = TypeVar("RowT")

Columns = tuple[tuple[str, int], ...]
"""(heading, width) of each fixed column."""
Cells = list[tuple[str, str]]
"""(text, state name) of each fixed column of one record ("" state: the row's own style)."""


class ColumnRows(RowView, Generic[RowT]):
    """Records in columns; subclasses say how a record is keyed and laid out."""

    COLUMNS: ClassVar[Columns] = ()
    WIDE_COLUMNS: ClassVar[Columns] = ()
    """Columns added from ``WIDE`` cells on."""
    WIDE: ClassVar[int] = 110
    LAST: ClassVar[str] = ""
    """Heading of the last column, which takes the width left."""
    STATE_PREFIX: ClassVar[str] = ""
    """Component classes are ``PREFIX--STATE`` (``PREFIX--header`` for the header line)."""
    header_lines = 1

    class Highlighted(Message):
        """The cursor moved to another record (``None``: there are none)."""

        def __init__(self, row: object | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[RowT, ...] = ()

    def key_of(self, row: RowT) -> Hashable:
        """What identifies a record across reloads."""
        raise NotImplementedError

    def cells(self, row: RowT, wide: bool) -> Cells:
        """The fixed columns of one record."""
        raise NotImplementedError

    def last(self, row: RowT) -> str:
        """The last column's text."""
        raise NotImplementedError

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """New records; the cursor stays on its record."""
        keep = self.key_of(self.current) if self.current is not None else None
        self.rows = tuple(rows)
        keys = [self.key_of(r) for r in self.rows]
        self.cursor = keys.index(keep) if keep in keys else 0
        self.rows_changed()
        self.cursor_moved()

    @property
    def current(self) -> RowT | None:
        """The highlighted record."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def select_key(self, key: Hashable) -> bool:
        """Put the cursor on a record; False if it is not listed."""
        keys = [self.key_of(r) for r in self.rows]
        if key not in keys:
            return False
        self.move_cursor(keys.index(key))
        return True

    def row_count(self) -> int:
        """One line per record."""
        return len(self.rows)

    def cursor_moved(self) -> None:
        """Tell the screen which record is highlighted."""
        self.post_message(self.Highlighted(self.current))

    def columns(self, width: int) -> Columns:
        """The fixed columns that fit ``width``."""
        return self.COLUMNS + self.WIDE_COLUMNS if width >= self.WIDE else self.COLUMNS

    def state(self, name: str) -> Style:
        """The style of a cell state, to layer over the row's style."""
        return self.state_style(f"{self.STATE_PREFIX}--{name}")

    def line(
        self, cells: Cells, last: str, width: int, style: Style, cursor: bool
    ) -> list[Segment]:
        """One line: each cell cut or padded to its column, then ``last`` in what is left."""
        segments = [Segment(" ", style)]
        used = 1
        for (text, state), (_, size) in zip(cells, self.columns(width), strict=True):
            cell = f"{_cut(text, size):<{size}} "
            segments.append(
                Segment(cell, style if not state or cursor else style + self.state(state))
            )
            used += len(cell)
        rest = max(0, width - used)
        segments.append(Segment(_cut(last, rest).ljust(rest), style))
        return segments

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """Column names."""
        names = [(name, "") for name, _ in self.columns(width)]
        return self.line(names, self.LAST, width, style + self.state("header"), cursor=False)

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """One record."""
        row = self.rows[index]
        return self.line(self.cells(row, width >= self.WIDE), self.last(row), width, style, cursor)


def _cut(text: str, size: int) -> str:
    """``text`` in ``size`` cells, ending in an ellipsis when it was cut."""
    return text if len(text) <= size else text[: size - 1] + "…" if size > 0 else ""
