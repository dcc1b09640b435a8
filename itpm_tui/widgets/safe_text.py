"""SafeTextFilter: the app's one choke point between stored text and the terminal.

Textual runs every line of every widget (lists, cards, the detail pane, toasts, dialogs,
the command palette) through the app's line filters just before writing it, so a filter
sees exactly the text that would reach the terminal. This one shows control characters
as stand-ins (``domain.safe_text.visible``): an OSC 52 sequence in a task title can no
longer set the clipboard of everyone who looks at the board.

Rich measures a control character as 0 cells and a stand-in takes 1, so a line holding
some would come out wider than its place: it is cut back to its measured width (the end
of that line gives way, never the next line or the screen).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from itpm_tui.domain.safe_text import unsafe_character, visible


class SafeTextFilter(LineFilter):
    """Replace control characters in every segment of a line with visible stand-ins."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The line as it may be written: unchanged unless a segment holds a control."""
        del background
        if not any(unsafe_character(text) for text, _style, control in segments if not control):
            return segments
        width = Segment.get_line_length(segments)
        shown = [
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in segments
        ]
        return list(Segment.adjust_line_length(shown, width))


class JoinRunsFilter(LineFilter):
    """Join neighbouring segments of one style, so each run is written with one style code.

    Widgets build lines cell by cell (a table row is ~20 segments of the cursor's style),
    and Textual writes every segment as its own style code and reset: 600 bytes for one
    80-column row. Joined, the row is the same cells in a fifth of the bytes, which is what
    an SSH link carries on every cursor move. (Textual's SVG export joins runs the same
    way, so snapshots do not change.)
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The same cells, with runs of one style joined (control segments stay apart)."""
        del background
        return list(Segment.simplify(segments))
