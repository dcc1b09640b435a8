"""KeyBar: the footer as one line that fits the width: the screen's keys, then the app's.

Textual's Footer lays out one widget per key and cuts at the edge: at 80 columns it showed
``3 Boar`` and never 4, 5, ``?`` or ``q``. Here the screen's own keys come first, the six
screen keys collapse to ``1-8 Screens``, and the app's keys (screens, help, palette, quit)
always fit: when the screen's keys do not, the last ones give way to ``…``. On a read-only
store the keys that would change data are left out (pressing one says read-only). It renders one
line of text, so a screen switch repaints one line instead of rebuilding a widget per key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyHint:
    """One key (or keys of one action) and what it does."""

    keys: str
    description: str
    enabled: bool = True


SCREEN_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8")
"""The app's screen switches, shown together as ``1-8 Screens``."""


def fit_hints(screen_hints: list[KeyHint], app_hints: list[KeyHint], width: int) -> Text:
    """Screen hints then app hints in ``width`` cells; screen hints give way first."""
    tail = Text()
    for hint in app_hints:
        tail.append_text(_hint_text(hint))
    room = width - cell_len(tail.plain)
    head = Text()
    for index, hint in enumerate(screen_hints):
        piece = _hint_text(hint)
        more = index < len(screen_hints) - 1
        if cell_len(head.plain) + cell_len(piece.plain) + (2 if more else 0) > room:
            head.append(" …", style="dim")
            break
        head.append_text(piece)
    line = head + Text(" " * max(0, room - cell_len(head.plain))) + tail
    line.truncate(width)
    return line


def _hint_text(hint: KeyHint) -> Text:
    text = Text(" ")
    text.append(hint.keys, style="bold reverse" if hint.enabled else "dim")
    text.append(f" {hint.description}", style="" if hint.enabled else "dim")
    return text


class KeyBar(Widget):
    """The keys of the current screen and of the app, on one line that fits."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; }
    """

    def on_mount(self) -> None:
        """Repaint when the screen's bindings change (focus moves, a mode switch)."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def hints(self) -> tuple[list[KeyHint], list[KeyHint]]:
        """The shown bindings: the screen's own, and the app's (screens compressed)."""
        screen_hints: dict[str, KeyHint] = {}
        app_hints: dict[str, KeyHint] = {}
        screen_keys: list[Binding] = []
        refuses = getattr(self.app, "refuses_write", None)  # a read-only store offers no write
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not binding.description:
                continue
            if refuses is not None and refuses(binding.action, node):
                continue
            if node is self.app and binding.key in SCREEN_KEYS:
                screen_keys.append(binding)
                continue
            target = app_hints if node is self.app else screen_hints
            display = self.app.get_key_display(binding)
            if binding.group is not None:  # "< > Move": the keys of a group share one hint
                name = f"group:{binding.group.description}"
                known = target.get(name)
                keys = display if known is None else f"{known.keys} {display}"
                if known is None or display not in known.keys.split(" "):
                    target[name] = KeyHint(keys, binding.group.description, enabled)
            elif binding.action not in target:  # an action's first key; ? lists them all
                target[binding.action] = KeyHint(display, binding.description, enabled)
        tail = list(app_hints.values())
        if screen_keys:
            tail.insert(0, KeyHint(f"1-{SCREEN_KEYS[-1]}", "Screens"))
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            tail.append(KeyHint(self.app.get_key_display(palette.binding), "Palette"))
        return list(screen_hints.values()), tail

    def render(self) -> RenderResult:
        """One line: the screen's keys, then the app's."""
        screen_hints, app_hints = self.hints()
        return fit_hints(screen_hints, app_hints, self.size.width)
