"""ChangeList: the change requests of the RAID screen's `C` view, one line each (ColumnRows).

Status is a word, never colour alone; the impact column says BAC, milestone and scope deltas.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from itpm_tui.domain.change import ChangeRow
from itpm_tui.models import ChangeStatus
from itpm_tui.widgets.column_rows import Cells, ColumnRows

_STATUS_STYLE = {ChangeStatus.PROPOSED: "open", ChangeStatus.APPROVED: "open",
                 ChangeStatus.REJECTED: "", ChangeStatus.APPLIED: ""}  # fmt: skip


class ChangeList(ColumnRows[ChangeRow]):
    """Change requests by id; the cursor stays on its change across reloads."""

    COLUMNS = (("Ref", 6), ("Proj", 6), ("Status", 9))
    WIDE_COLUMNS = (("Impact", 40),)
    WIDE = 100
    LAST = "Title"
    STATE_PREFIX = "change-list"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"change-list--header", "change-list--key",
                                             "change-list--open"}  # fmt: skip
    DEFAULT_CSS = """
    ChangeList { height: 1fr; }
    ChangeList > .change-list--header { text-style: bold; background: $boost; }
    ChangeList > .change-list--key { text-style: bold; }
    ChangeList > .change-list--open { text-style: bold; }
    """
    header_lines = 1
    empty_text = "No change requests: propose one with `itpm-tui change add PROJECT TITLE`."

    def key_of(self, row: ChangeRow) -> Hashable:
        """A change is its id."""
        return row.change.id

    def cells(self, row: ChangeRow, wide: bool) -> Cells:
        """Ref, project, status (and the impact when wide)."""
        c = row.change
        out = [(c.ref, "key"), (c.project_key or "", ""),
               (c.status.value, _STATUS_STYLE[c.status])]  # fmt: skip
        if wide:
            out.append((row.impact(), ""))
        return out

    def last(self, row: ChangeRow) -> str:
        """The title."""
        return row.change.title
