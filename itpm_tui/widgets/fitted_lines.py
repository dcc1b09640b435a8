"""FittedLines: whole sentences in a fixed box, and how many more did not fit.

A detail area of a few lines shows reasons that wrap: cutting at the box's edge would stop
a sentence in the middle. This widget wraps to its own width when it renders (so a resize
refits it) and keeps to whole sentences, ending with "+ n more · where to read them".
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget


def fit_lines(lines: Sequence[str], width: int, height: int, more: str) -> Text:
    """Whole sentences, wrapped to ``width``, as many as fit in ``height`` lines; when some
    do not fit, the last line says how many and ``more`` (where to read them)."""
    if width <= 10 or height <= 0:
        return Text("\n".join(lines))
    wrapped = [textwrap.wrap(line, width, subsequent_indent="  ") or [""] for line in lines]
    if sum(len(w) for w in wrapped) <= height:
        return Text("\n".join(part for w in wrapped for part in w))
    shown: list[str] = []
    for count, parts in enumerate(wrapped):
        if len(shown) + len(parts) > height - 1:
            text = Text("\n".join(shown))
            if shown:
                text.append("\n")
            text.append(f"+ {len(lines) - count} more · {more}", style="bold")
            return text
        shown += parts
    return Text("\n".join(shown))  # not reached: the lines did not fit


class FittedLines(Widget):
    """Sentences fitted whole to the widget's size (see ``fit_lines``). With ``height: auto``
    it is as tall as the wrapped sentences, up to ``max-height``."""

    DEFAULT_CSS = """
    FittedLines { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: tuple[str, ...] = ()
        self._more = ""
        self._style = ""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Every wrapped line (``max-height`` then cuts it to whole sentences)."""
        return len(fit_lines(self._lines, width, 10_000, self._more).split("\n"))

    def show(self, lines: Sequence[str], more: str = "", style: str = "") -> None:
        """Show ``lines``; ``more`` says where to read those that do not fit."""
        self._lines, self._more, self._style = tuple(lines), more, style
        height = self.styles.height  # a fixed box needs no new layout, only a repaint
        self.refresh(layout=height is None or height.is_auto)

    def render(self) -> Text:
        """The lines that fit the current size."""
        text = fit_lines(self._lines, self.size.width, self.size.height, self._more)
        if self._style:
            text.stylize(self._style)
        return text


def hang_lines(lines: Sequence[tuple[str, str]], width: int) -> Text:
    """(text, style) lines wrapped to ``width``; a bulleted line (``  · ...``) continues
    under its text, not under the bullet."""
    text = Text()
    for line, style in lines:
        if line.startswith("  · ") and width > 20:
            line = "\n".join(textwrap.wrap(line[4:], width, initial_indent="  · ",
                                           subsequent_indent="    "))  # fmt: skip
        elif width > 20 and len(line) > width:
            line = "\n".join(textwrap.wrap(line, width, subsequent_indent="  "))
        text.append(line + "\n", style=style)
    text.rstrip()
    return text


class HangingText(Widget):
    """Lines wrapped to the widget's own width with hanging bullets (see ``hang_lines``);
    as tall as the wrapped lines, so it scrolls in a container."""

    DEFAULT_CSS = """
    HangingText { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: tuple[tuple[str, str], ...] = ()

    def show(self, lines: Sequence[tuple[str, str]]) -> None:
        """Show (text, style) ``lines``."""
        self._lines = tuple(lines)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the lines take wrapped to ``width``."""
        return len(hang_lines(self._lines, width).split("\n"))

    def render(self) -> Text:
        """The lines wrapped to the current width."""
        return hang_lines(self._lines, self.size.width)
