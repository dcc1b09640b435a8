"""VimOptionList: Textual's OptionList that also moves with j and k, as every list here does."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class VimOptionList(OptionList):
    """An option list for keyboard users: ``j``/``k`` beside the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="option-list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="option-list.up"),
    ]
