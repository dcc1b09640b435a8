"""HeatMap: the 5x5 probability x impact grid of the RAID register, a count in every cell.

Every cell reads without colour: its count and its band's mark (``3▲▲``); colour repeats the
band (high and very high the warning colour, critical the error colour reversed). The cursor
cell is in brackets (``[3▲▲]``), so it shows under NO_COLOR and in 16 colours too. Arrows or
``h j k l`` move it; Enter posts ``CellChosen`` (the screen filters the register to it).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.raid import HEAT_RANKS, Band, HeatCell

_CELL = 6
WIDTH = 5 + _CELL * len(HEAT_RANKS)
"""Columns the map needs: the probability labels and five cells."""

_STYLE = {Band.LOW: "", Band.MEDIUM: "", Band.HIGH: "high", Band.VERY_HIGH: "high",
          Band.CRITICAL: "critical"}  # fmt: skip


class HeatMap(Widget, can_focus=True):
    """The grid; ``cells`` come from ``domain.raid.heat_map`` (probability 5 first)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(1, 0)", "Up", show=False, id="heat-map.up"),
        Binding("down,j", "move(-1, 0)", "Down", show=False, id="heat-map.down"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="heat-map.left"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="heat-map.right"),
        Binding("enter", "choose", "Filter to cell", id="heat-map.choose"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"heat-map--high", "heat-map--critical",
                                             "heat-map--muted"}  # fmt: skip
    DEFAULT_CSS = f"""
    HeatMap {{ width: {WIDTH + 2}; height: 9; padding: 0 1; }}
    HeatMap > .heat-map--high {{ color: $warning; text-style: bold; }}
    HeatMap > .heat-map--critical {{ color: $error; text-style: bold reverse; }}
    HeatMap > .heat-map--muted {{ color: $text-muted; }}
    """

    class CellChosen(Message):
        """Enter on a cell: show only the risks rated there."""

        def __init__(self, probability: int, impact: int) -> None:
            super().__init__()
            self.probability = probability
            self.impact = impact

    cells: reactive[tuple[HeatCell, ...]] = reactive((), layout=False)
    """The 25 cells, probability 5 down to 1, impact 1 to 5."""
    cursor: reactive[tuple[int, int]] = reactive((3, 3))
    """The highlighted cell's (probability, impact) ranks."""
    chosen: reactive[tuple[int, int] | None] = reactive(None)
    """The cell the register is filtered to (marked ``*``)."""

    def action_move(self, probability: int, impact: int) -> None:
        """Move the cursor one cell, staying on the grid."""
        p, i = self.cursor
        low, high = HEAT_RANKS[0], HEAT_RANKS[-1]
        self.cursor = (min(high, max(low, p + probability)), min(high, max(low, i + impact)))

    def action_choose(self) -> None:
        """Ask the screen to filter the register to the cursor's cell."""
        self.post_message(self.CellChosen(*self.cursor))

    def render(self) -> Text:
        """The title, the impact axis, five rows of cells."""
        muted = self.get_component_rich_style("heat-map--muted")
        text = Text(no_wrap=True)
        total = sum(c.count for c in self.cells)
        text.append(f"Heat map: {total} rated\n", style="bold")
        text.append("P\\I  " + "".join(f"{i:^{_CELL}}" for i in HEAT_RANKS) + "\n", style=muted)
        by_place = {(c.probability, c.impact): c for c in self.cells}
        for p in reversed(HEAT_RANKS):
            text.append(f"  {p}  ", style=muted)
            for i in HEAT_RANKS:
                cell = by_place.get((p, i)) or HeatCell(p, i, 0, Band.LOW)
                body = f"{cell.count:>2}{cell.band.symbol:<2}"
                here = (p, i) == self.cursor and self.has_focus
                marked = (p, i) == self.chosen
                left, right = ("[", "]") if here else ("*", " ") if marked else (" ", " ")
                name = _STYLE[cell.band]
                style = self.get_component_rich_style(f"heat-map--{name}") if name else Style()
                if cell.count == 0:
                    style = muted
                if here:
                    style += Style(reverse=True)
                text.append(left)
                text.append(body, style=style)
                text.append(right)
            text.append("\n")
        text.append("Enter: only that cell", style=muted)
        return text

    def watch_cursor(self) -> None:
        """Repaint the grid (nine short lines)."""
        self.refresh()

    def on_focus(self) -> None:
        """Show the cursor."""
        self.refresh()

    def on_blur(self) -> None:
        """Hide the cursor."""
        self.refresh()
