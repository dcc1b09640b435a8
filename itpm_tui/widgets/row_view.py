"""RowView: a Line-API list with a row cursor; renders only the lines on screen.

DataTable needs seconds to build 10k rows; a ScrollView that renders each visible line
on demand costs the same at 100 rows or 100,000. Subclasses say how many rows there are
and how to draw one; this class does cursor, keys, scrolling and minimal repaints.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from typing import ClassVar, Protocol, runtime_checkable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


@runtime_checkable
class CursorRow(Protocol):
    """A list or board that can say on which screen line its cursor is: notices keep away
    from that line (the row just changed), see ``ItpmApp.notify``."""

    @property
    def cursor_screen_y(self) -> int | None:
        """The screen line of the cursor (``None`` when nothing is highlighted in view)."""
        ...


class RowView(ScrollView, can_focus=True, inherit_bindings=False):
    """A vertical list of one-line rows with a cursor (abstract: see ``row_count``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="list.page-up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="list.page-down"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-view--cursor", "row-view--empty"}
    DEFAULT_CSS = """
    RowView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    RowView > .row-view--cursor { background: $surface-lighten-2; text-style: bold; }
    RowView:focus > .row-view--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    RowView > .row-view--empty { color: $text-muted; }
    """

    header_lines: ClassVar[int] = 0
    """Lines at the top that do not scroll (a column header)."""
    empty_text = "Nothing here."
    """What the list says when it has no rows."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor = 0
        """Index of the row under the cursor (0 when empty)."""
        self._load_error = ""
        self._state_styles: dict[str, Style] = {}

    @property
    def load_error(self) -> str:
        """Why the rows could not be read; shown instead of ``empty_text`` ("" for none)."""
        return self._load_error

    @load_error.setter
    def load_error(self, error: str) -> None:
        if error != self._load_error:
            self._load_error = error
            self.refresh()

    # --- what subclasses provide ---------------------------------------------------------

    def row_count(self) -> int:
        """How many rows there are."""
        raise NotImplementedError

    def is_selectable(self, index: int) -> bool:
        """Whether the cursor may rest on row ``index`` (headings may not)."""
        del index
        return True

    def render_row(self, index: int, width: int, style: Style, cursor: bool) -> list[Segment]:
        """The segments of row ``index``, ``style`` being the base style of the line."""
        raise NotImplementedError

    def row_span(self, index: int) -> range:
        """The rows drawn as one item with row ``index`` (a row and the lines its text wraps
        onto): the cursor covers all of them."""
        return range(index, index + 1)

    def render_header(self, width: int, style: Style) -> list[Segment]:
        """The segments of the header line (only if ``header_lines`` is 1)."""
        del width, style
        return []

    def cursor_moved(self) -> None:
        """Called after the cursor changed row (post a message here)."""

    def rows_shown(self, first: int, last: int) -> None:
        """Called when rows ``first``..``last`` (inclusive) may have come into view."""

    # --- layout and rendering ------------------------------------------------------------

    def state_style(self, component: str) -> Style:
        """What a component class changes, for layering over a row's style.

        A partial style alone loses theme colours with alpha ($text-muted would come out
        white), so colours are taken from the full style and attributes from the partial.
        """
        cached = self._state_styles.get(component)
        if cached is None:
            full = self.get_component_rich_style(component)
            partial = self.get_component_rich_style(component, partial=True)
            cached = partial.without_color + Style(
                color=full.color if partial.color else None,
                bgcolor=full.bgcolor if partial.bgcolor else None,
            )
            self._state_styles[component] = cached
        return cached

    def notify_style_update(self) -> None:
        """Forget cached styles when the theme or CSS changes."""
        super().notify_style_update()
        self._state_styles = {}

    @property
    def content_width(self) -> int:
        """Columns available to a row (without the scrollbar)."""
        return self.scrollable_content_region.width

    @property
    def page_height(self) -> int:
        """How many rows fit on screen."""
        return max(1, self.scrollable_content_region.height - self.header_lines)

    def refresh_rows(self, *indexes: int) -> None:
        """Repaint rows ``indexes`` and the lines they wrap onto (``row_span``), not the view."""
        for line in {line for index in indexes for line in self.row_span(index)}:
            self.refresh_line(line + self.header_lines)

    def rows_changed(self, changed: Collection[int] | None = None) -> None:
        """Tell the view that rows were replaced: resize, clamp the cursor, repaint.

        ``changed``: only these rows differ (the count is the same), so only they and the
        cursor's rows are repainted; repainting the whole list for a reload that changed one
        row cost ~8 KB a time at 80x24.
        """
        count = self.row_count()
        before = self.cursor
        self._size_rows(count)
        self.cursor = self._nearest_selectable(min(self.cursor, max(0, count - 1)), 1)
        self.scroll_to_cursor()
        if changed is None:
            self.refresh()
        else:
            for index in changed:
                self.refresh_line(index + self.header_lines)
            self.refresh_rows(before, self.cursor)
        self._report_shown()

    def _size_rows(self, count: int) -> None:
        """Make room for ``count`` rows, and show or hide the scrollbar now (as TextArea does):
        a list that shrank to fit kept its scrollbar, and a cell less, until the next resize."""
        self.virtual_size = Size(self.content_width, count + self.header_lines)
        self._refresh_scrollbars()

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual size in step with the width."""
        del event
        self._size_rows(self.row_count())
        self.scroll_to_cursor()
        self._report_shown()

    def render_line(self, y: int) -> Strip:
        """One line of the widget: the header, a row, or blank."""
        width = self.content_width
        base = self.rich_style
        if y < self.header_lines:
            return Strip(self.render_header(width, base)).adjust_cell_length(width, base)
        index = round(self.scroll_offset.y) + y - self.header_lines
        count = self.row_count()
        if count == 0:
            # A failed read never looks empty; the text wraps, so 80 columns show all of it.
            text = self._load_error or self.empty_text
            lines = textwrap.wrap(text, max(10, width - 2)) or [""]
            if index < len(lines):
                style = base + self.state_style("row-view--empty")
                return Strip([Segment(f" {lines[index]}", style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if not 0 <= index < count:
            return Strip.blank(width, base)
        cursor = index in self.row_span(self.cursor) and self.is_selectable(self.cursor)
        style = base
        if cursor:
            style = base + self.state_style("row-view--cursor")
        segments = self.render_row(index, width, style, cursor)
        return Strip(segments).adjust_cell_length(width, style)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Repaint on scroll, and ask for rows that came into view."""
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._report_shown()

    def _report_shown(self) -> None:
        first = round(self.scroll_offset.y)
        last = min(self.row_count(), first + self.page_height) - 1
        if last >= first:
            self.rows_shown(first, last)

    # --- cursor --------------------------------------------------------------------------

    def _nearest_selectable(self, index: int, step: int) -> int:
        """``index`` or the nearest selectable row in direction ``step`` (then the other)."""
        count = self.row_count()
        for direction in (step, -step):
            probe = index
            while 0 <= probe < count:
                if self.is_selectable(probe):
                    return probe
                probe += direction
        return 0

    def move_cursor(self, index: int, step: int = 1) -> None:
        """Put the cursor on row ``index`` (or the nearest selectable one), repainting two lines."""
        count = self.row_count()
        if count == 0:
            return
        index = self._nearest_selectable(max(0, min(index, count - 1)), step)
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self.refresh_rows(old, index)
        self.scroll_to_cursor()
        self.cursor_moved()

    @property
    def cursor_screen_y(self) -> int | None:
        """The screen line of the cursor row (``None`` when it is scrolled out of view)."""
        y = self.content_region.y + self.header_lines + self.cursor - round(self.scroll_offset.y)
        inside = self.content_region.y + self.header_lines <= y < self.content_region.bottom
        return y if inside and self.row_count() else None

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor row (and the lines it wraps onto) to be visible."""
        top = round(self.scroll_offset.y)
        bottom = max(self.cursor, self.row_span(self.cursor).stop - 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif bottom >= top + self.page_height:
            y = min(self.cursor, bottom - self.page_height + 1)
            self.scroll_to(y=y, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        """Move up one row."""
        self.move_cursor(self.cursor - 1, -1)

    def action_cursor_down(self) -> None:
        """Move down one row."""
        self.move_cursor(self.cursor + 1, 1)

    def action_page_up(self) -> None:
        """Move up one screenful."""
        self.move_cursor(self.cursor - self.page_height, -1)

    def action_page_down(self) -> None:
        """Move down one screenful."""
        self.move_cursor(self.cursor + self.page_height, 1)

    def action_first(self) -> None:
        """Move to the first row."""
        self.move_cursor(0, 1)

    def action_last(self) -> None:
        """Move to the last row."""
        self.move_cursor(self.row_count() - 1, -1)

    def row_at(self, y: int) -> int | None:
        """The row index under screen line ``y`` of the widget, if any."""
        index = round(self.scroll_offset.y) + y - self.header_lines
        return index if y >= self.header_lines and 0 <= index < self.row_count() else None

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row under the mouse."""
        index = self.row_at(event.y)
        if index is not None:
            self.move_cursor(index)
