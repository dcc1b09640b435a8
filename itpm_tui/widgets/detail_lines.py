"""DetailLines: the few lines under a list that follow its cursor.

Every main screen has one: the highlighted task, card, cell or item in full. The
stylesheet gives each a fixed height and the full width, so a new text never changes its
size, and updating it needs no layout pass. Textual's ``Static.update`` asks for one by
default; on each cursor move that cost a frame of its own (the detail came a frame after
the row) and repainted every scroll bar on the screen (3.5 KB a key on the Board).
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class DetailLines(Static):
    """A ``Static`` of fixed size: ``update`` repaints it without a layout pass."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """Show ``content``; ``layout=True`` where a style lets the height follow it."""
        super().update(content, layout=layout)
