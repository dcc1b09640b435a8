"""RaidList: the RAID register, one line per item, worst risk first (a ColumnRows list).

Every column reads without colour: the band has a mark and a word (``▲▲ very high``), the
kind its letter in the ref (``R12``, ``I3``). Below 100 columns the owner and exposure
columns go first; the highlighted item's whole story is in the screen's detail lines.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.raid import Band, RaidRow
from itpm_tui.widgets.column_rows import Cells, ColumnRows

WIDE = 100
"""From this width on the list adds exposure and owner."""
COLUMNS = (("Ref", 5), ("Proj", 6), ("Status", 10),
           ("Score", 16))  # fmt: skip
WIDE_COLUMNS = (("Exposure", 13), ("Owner", 10))


def cells(row: RaidRow, wide: bool) -> Cells:
    """(text, style name) of each column in ``COLUMNS`` (and ``WIDE_COLUMNS`` if wide)."""
    item, rating = row.item, row.rating
    score = "-" if rating is None else f"{rating.score} {rating.band.symbol} {rating.band.value}"
    state = "" if rating is None else _BAND_STYLE[rating.band]
    out = [(item.ref, "key"), (item.project_key or "", ""), (item.status.value, ""),
           (score, state)]  # fmt: skip
    if wide:
        money = "-"
        if rating is not None and rating.exposure is not None:
            money = money_text(rating.exposure, row.currency)
        out += [(money, ""), (item.owner or "-", "")]
    return out


_BAND_STYLE = {Band.LOW: "", Band.MEDIUM: "", Band.HIGH: "high", Band.VERY_HIGH: "high",
               Band.CRITICAL: "critical"}  # fmt: skip


class RaidList(ColumnRows[RaidRow]):
    """Items of the register; the cursor stays on its item across reloads."""

    COLUMNS = COLUMNS
    WIDE_COLUMNS = WIDE_COLUMNS
    WIDE = WIDE
    LAST = "Title"
    STATE_PREFIX = "raid-list"
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
    empty_text = (
        "No open RAID items: press a to raise one (or `itpm-tui risk add PROJECT TITLE -P 3 -I 4`)."
    )

    def key_of(self, row: RaidRow) -> Hashable:
        """An item is its id."""
        return row.item.id

    def cells(self, row: RaidRow, wide: bool) -> Cells:
        """Ref, project, status, score (and exposure and owner when wide)."""
        return cells(row, wide)

    def last(self, row: RaidRow) -> str:
        """The title."""
        return row.item.title
