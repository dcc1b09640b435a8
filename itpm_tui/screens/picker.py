"""PickerModal: choose one of a few labelled values from a list (j/k or arrows, Enter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.screens.line_input import MODAL_CSS
from itpm_tui.widgets.option_list import VimOptionList

V = TypeVar("V")


@dataclass(frozen=True)
class Picked(Generic[V]):
    """The value chosen (a wrapper, so a chosen ``None`` is not a cancel)."""

    value: V


class PickerModal(ModalScreen[Picked[V] | None], Generic[V]):
    """A titled list of choices; Enter picks, Escape or ctrl+g cancels (``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="picker.cancel"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="PickerModal")

    def __init__(self, title: str, choices: Sequence[tuple[str, V]], current: int = 0) -> None:
        super().__init__()
        self._title = title
        self._choices = tuple(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        """The title, the choices, the keys."""
        with Vertical():
            yield Static(Text(self._title), classes="modal-title")
            yield VimOptionList(*(Option(Text(label)) for label, _ in self._choices))
            yield Static("Enter picks · Esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        """Start on the current choice."""
        options = self.query_one(OptionList)
        options.highlighted = min(self._current, len(self._choices) - 1)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Picked(self._choices[event.option_index][1]))
