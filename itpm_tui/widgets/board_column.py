"""BoardColumn: one status column of the stand-up board, drawn line by line.

Cards are drawn with the Line API (``render_line``) from an immutable tuple of
:class:`TaskCard`, so a column of hundreds of cards costs only the lines on screen, and a
change repaints only the cards that differ (a cursor move repaints two cards).
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from itpm_tui.domain.board import TaskCard
from itpm_tui.models import Status
from itpm_tui.widgets.task_card import CARD_HEIGHT, CardStyles, card_lines

GUTTER = "▌"
"""Marks the highlighted card without relying on colour (16 colours, NO_COLOR)."""


class BoardColumn(ScrollView, can_focus=False):
    """The cards of one status; the screen assigns ``cards`` and says which column is active.

    Columns never take focus: the screen owns every key, so walking the board changes two
    columns' ``active`` flag instead of moving focus (which would rebuild the footer).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board-column--cursor",
        "board-column--title",
        "board-column--meta",
        "board-column--red",
        "board-column--amber",
        "board-column--empty",
    }

    DEFAULT_CSS = """
    BoardColumn {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;  /* always: the track is the gap between columns */
        scrollbar-size-vertical: 1;
        border-top: hkey $panel-lighten-2;
        border-title-align: left;
        border-title-color: $text-muted;
        padding: 0;
    }
    BoardColumn.-active {
        border-top: heavy $accent;
        border-title-color: $text;
        border-title-style: bold;
        background-tint: $foreground 4%;
    }
    BoardColumn > .board-column--cursor { background: $accent-muted; }
    BoardColumn > .board-column--title { text-style: bold; }
    BoardColumn > .board-column--meta { color: $text-muted; }
    BoardColumn > .board-column--red { color: $error; text-style: bold; }
    BoardColumn > .board-column--amber { color: $warning; }
    BoardColumn > .board-column--empty { color: $text-muted; text-style: italic; }
    """

    cards: reactive[tuple[TaskCard, ...]] = reactive((), init=False)
    """The cards shown, top to bottom (already filtered and sorted by the screen)."""
    cursor: reactive[int] = reactive(0, init=False)
    """Index of the highlighted card."""
    active: reactive[bool] = reactive(False, toggle_class="-active")
    """The column the keys act on (a heavy top border); only its highlighted card is drawn
    as highlighted, so the board shows one selection, not one per column."""

    class CardHighlighted(Message):
        """The highlighted card changed."""

        def __init__(self, column: BoardColumn, card: TaskCard | None) -> None:
            super().__init__()
            self.column = column
            self.card = card

        @property
        def control(self) -> BoardColumn:
            """The column the card is in."""
            return self.column

    class Clicked(Message):
        """The user clicked the column (the screen makes it the active one)."""

        def __init__(self, column: BoardColumn) -> None:
            super().__init__()
            self.column = column

        @property
        def control(self) -> BoardColumn:
            """The column clicked."""
            return self.column

    def __init__(self, status: Status, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status = status
        """The status every card in this column has."""
        self._cache: LRUCache[tuple[TaskCard, int, bool, CardStyles], list[Strip]] = LRUCache(
            maxsize=512
        )
        self._update_title()

    # --- data ---------------------------------------------------------------------------

    @property
    def card(self) -> TaskCard | None:
        """The highlighted card, if the column has any."""
        return self.cards[self.cursor] if 0 <= self.cursor < len(self.cards) else None

    @property
    def cursor_screen_y(self) -> int | None:
        """The screen line of the highlighted card's middle (``None``: no card in view)."""
        if self.card is None:
            return None
        region = self.scrollable_content_region
        y = region.y + self.cursor * CARD_HEIGHT - round(self.scroll_offset.y) + CARD_HEIGHT // 2
        return y if region.y <= y < region.bottom else None

    def select_task(self, task_id: int) -> bool:
        """Highlight the card of this task; False if it is not in the column."""
        for index, card in enumerate(self.cards):
            if card.task_id == task_id:
                self.cursor = index
                self._scroll_to_cursor()
                return True
        return False

    def validate_cursor(self, cursor: int) -> int:
        """Keep the cursor on a card."""
        return max(0, min(cursor, len(self.cards) - 1))

    def watch_cards(self, old: tuple[TaskCard, ...], new: tuple[TaskCard, ...]) -> None:
        """Keep the same task highlighted, then repaint only the cards that changed."""
        previous = old[self.cursor] if 0 <= self.cursor < len(old) else None
        index = self.cursor
        if previous is not None:
            index = next((i for i, c in enumerate(new) if c.task_id == previous.task_id),
                         self.cursor)  # fmt: skip
        index = self.validate_cursor(index)
        # Lines of cards no longer shown are never drawn again: drop them, or a board that
        # reloads on every change fills the cache with dead versions (~25 KB a reload).
        shown = set(new)
        for key in [k for k in self._cache.keys() if k[0] not in shown]:  # noqa: SIM118 - no __iter__
            self._cache.discard(key)
        self._update_title()
        self._update_virtual_size()
        if len(old) != len(new):
            self.refresh()
        else:
            for i, (before, after) in enumerate(zip(old, new, strict=True)):
                if before != after or (index != self.cursor and i in (index, self.cursor)):
                    self._refresh_card(i)
        self.set_reactive(BoardColumn.cursor, index)
        self._scroll_to_cursor()
        self._announce()

    def watch_active(self) -> None:
        """Show or hide the highlight of the remembered card (one card repaints)."""
        self._refresh_card(self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two cards whose highlight changed, and keep the new one in view."""
        self._refresh_card(old)
        self._refresh_card(new)
        self._scroll_to_cursor()
        self._announce()

    def _refresh_card(self, index: int) -> None:
        self.refresh_lines(index * CARD_HEIGHT, CARD_HEIGHT)

    def _announce(self) -> None:
        self.post_message(self.CardHighlighted(self, self.card))

    def _update_title(self) -> None:
        self.border_title = Text(
            f"{self.status.symbol} {self.status.label} {len(self.cards)}", no_wrap=True
        )

    # --- moving the highlight (called by the screen's key actions) -----------------------

    def move_cursor(self, step: int) -> None:
        """Highlight the card ``step`` places down (up if negative)."""
        self.cursor += step

    def move_page(self, direction: int) -> None:
        """Move the highlight by a screenful of cards."""
        per_page = max(1, self.scrollable_content_region.height // CARD_HEIGHT)
        self.cursor += direction * per_page

    def on_click(self, event: events.Click) -> None:
        """Highlight the clicked card and ask to become the active column."""
        index = (event.y + self.scroll_offset.y) // CARD_HEIGHT
        if 0 <= index < len(self.cards):
            self.cursor = index
        self.post_message(self.Clicked(self))

    # --- layout and drawing ---------------------------------------------------------------

    def on_resize(self) -> None:
        """Cards change shape with the width: recompute the scroll area."""
        self._cache.clear()
        self._update_virtual_size()
        self._scroll_to_cursor()

    def _update_virtual_size(self) -> None:
        # The leftover lines below the last whole card are added to the scroll area, so the
        # furthest scroll still starts on a card's first line.
        height = self.scrollable_content_region.height
        lines = len(self.cards) * CARD_HEIGHT + height % CARD_HEIGHT
        self.virtual_size = Size(self.scrollable_content_region.width, lines)

    def _scroll_to_cursor(self) -> None:
        """Scroll by whole cards, only as far as needed to show the highlighted one.

        The top line is always a card's first line: a reload, a move or a resize never
        leaves half a card at the top, and columns showing the same cards line up.
        """
        per_page = max(1, self.scrollable_content_region.height // CARD_HEIGHT)
        top = round(self.scroll_offset.y) // CARD_HEIGHT
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + per_page:
            top = self.cursor - per_page + 1
        top = max(0, min(top, len(self.cards) - per_page))
        if top * CARD_HEIGHT != self.scroll_offset.y:
            self.scroll_to(y=top * CARD_HEIGHT, animate=False, force=True, immediate=True)

    def notify_style_update(self) -> None:
        """The theme changed: cached lines have stale colours."""
        self._cache.clear()
        super().notify_style_update()

    def _styles(self) -> CardStyles:
        def style(name: str) -> Style:
            # Foreground and attributes only: the card's background comes from the line.
            full = self.get_component_rich_style(f"board-column--{name}")
            return Style(color=full.color, bold=full.bold, italic=full.italic)

        return CardStyles(
            title=style("title"), meta=style("meta"), red=style("red"), amber=style("amber")
        )

    def _card_strips(self, index: int, width: int) -> list[Strip]:
        card = self.cards[index]
        highlighted = self.active and index == self.cursor
        styles = self._styles()
        key = (card, width, highlighted, styles)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = self.rich_style
        cursor = base + self.get_component_rich_style("board-column--cursor")
        lines = card_lines(card, width - 1, styles)
        strips: list[Strip] = []
        for row, line in enumerate(lines):
            in_card = highlighted and row < len(lines) - 1
            style = cursor if in_card else base
            segments = [Segment(GUTTER if in_card else " "), *line.render(self.app.console)]
            strips.append(Strip(segments).apply_style(style).crop_extend(0, width, style))
        self._cache[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        """One line of the column: a line of some card, or blank."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        line = scroll_y + y
        if not self.cards:
            if line == 0:
                empty = self.get_component_rich_style("board-column--empty")
                text = Text(" nothing here", style=empty, no_wrap=True)
                strip = Strip(list(text.render(self.app.console))).apply_style(self.rich_style)
                return strip.crop_extend(0, width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        index, row = divmod(line, CARD_HEIGHT)
        if index >= len(self.cards):
            return Strip.blank(width, self.rich_style)
        return self._card_strips(index, width)[row].apply_offsets(scroll_x, line)
