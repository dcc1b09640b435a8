"""LineInputModal: a one-line prompt ("Why is #42 blocked?"), and the look small modals share.

Today, Tasks, the board and the stand-up all ask through this one modal, so a prompt
looks and answers the same on every screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 76; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .modal-title {{ text-style: bold; padding: 0 0 1 0; }}
{name} .modal-hint {{ color: $text-muted; padding: 1 0 0 0; }}
{name} .modal-error {{ color: $error; text-style: bold; }}
{name} OptionList {{ height: auto; max-height: 14; }}
"""
"""Styles of a small centred modal; ``{name}`` is the modal's class name."""


def no_blink(*inputs: Input) -> None:
    """A steady cursor: stable snapshots, and no repaint twice a second over SSH."""
    for field in inputs:
        field.cursor_blink = False


class LineInputModal(ModalScreen[str | None]):
    """One line of text; Enter accepts (maybe ``""``), Escape cancels (``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="line-input.cancel"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="LineInputModal")

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        """A title and an input."""
        with Vertical():
            yield Static(Text(self._title), classes="modal-title")
            field = Input(placeholder=self._placeholder, id="line")
            no_blink(field)
            yield field
            yield Static("Enter saves · Esc cancels", classes="modal-hint")

    @on(Input.Submitted)
    def _accept(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))


def why_blocked(ref: str) -> LineInputModal:
    """The prompt every screen shows before it blocks a task (``ref`` is ``#42``)."""
    return LineInputModal(f"Why is {ref} blocked?", "the reason (optional)")
