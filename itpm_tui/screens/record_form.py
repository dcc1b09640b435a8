"""RecordForm: a few labelled lines that make one record (a project, a milestone, a cost).

Each field's text is read by the same parser the command line uses (``domain.dates``,
``domain.numbers``); the record is then built by the caller's ``build`` (a model, checked by
its rules). A bad value is named under the form as soon as Enter leaves its field, and the
cursor stays there: nothing is saved until every field reads. Enter moves to the next field and saves on the
last; ctrl+s saves from anywhere; Escape or ctrl+g cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from itpm_tui.errors import ItpmError
from itpm_tui.screens.line_input import MODAL_CSS, no_blink

T = TypeVar("T")


def text_value(text: str) -> str:
    """A free-text field: spaces collapsed, kept as typed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class FormField:
    """One line of the form: its name in the values, its label, how to read its text."""

    name: str
    label: str
    parse: Callable[[str], object] = text_value
    """Text to value; raises ``ItpmError`` (or ``ValueError``) with the reason."""
    value: str = ""
    """The text the field starts with."""
    placeholder: str = ""


class RecordForm(ModalScreen[T | None], Generic[T]):
    """Labelled inputs; dismisses with ``build(values)`` once every field reads."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="record-form.cancel"),
        Binding("ctrl+s", "save", "Save", id="record-form.save"),
    ]
    DEFAULT_CSS = (
        MODAL_CSS.format(name="RecordForm")
        + """
    RecordForm .form-row { height: 1; margin: 0 0 1 0; }
    RecordForm .form-label { width: 16; padding: 0 1 0 0; }
    RecordForm Input, RecordForm Input:focus { width: 1fr; height: 1; border: none; padding: 0 1; }
    RecordForm Input:focus { background: $boost; text-style: bold; }
    """
    )

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        build: Callable[[Mapping[str, Any]], T],
        hint: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = tuple(fields)
        self._build = build
        self._hint = hint

    def compose(self) -> ComposeResult:
        """The title, one labelled input per field, the error line and the keys."""
        with Vertical():
            yield Static(Text(self._title), classes="modal-title")
            for field in self._fields:
                with Horizontal(classes="form-row"):
                    yield Static(Text(field.label), classes="form-label")
                    line = Input(field.value, placeholder=field.placeholder,
                                 id=f"field-{field.name}")  # fmt: skip
                    no_blink(line)
                    yield line
            yield Static(id="form-error", classes="modal-error", markup=False)
            hint = f"{self._hint}\n" if self._hint else ""
            yield Static(f"{hint}Enter next field, saves on the last · ^s saves · Esc cancels",
                         classes="modal-hint", markup=False)  # fmt: skip

    def _input(self, name: str) -> Input:
        return self.query_one(f"#field-{name}", Input)

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        names = [f.name for f in self._fields]
        index = names.index(str(event.input.id).removeprefix("field-"))
        field = self._fields[index]
        try:  # say at once when a field does not read, before moving on
            field.parse(event.value)
        except (ItpmError, ValueError) as err:
            self._refuse(f"{field.label}: {err}", field.name)
            return
        self.query_one("#form-error", Static).update("")
        if index + 1 < len(names):
            self._input(names[index + 1]).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        """Read every field; on the first that does not read, say why and go back to it."""
        values: dict[str, object] = {}
        for field in self._fields:
            try:
                values[field.name] = field.parse(self._input(field.name).value)
            except (ItpmError, ValueError) as err:
                self._refuse(f"{field.label}: {err}", field.name)
                return
        try:
            record = self._build(values)
        except (ItpmError, ValueError) as err:
            reason = str(err)  # a model's rule names its field first: "key: a project key..."
            named = next((f.name for f in self._fields
                          if reason.startswith(f"{f.name.replace('_', ' ')}: ")), None)  # fmt: skip
            self._refuse(reason, named)
            return
        self.dismiss(record)

    def _refuse(self, reason: str, field: str | None) -> None:
        self.query_one("#form-error", Static).update(Text(reason))
        if field is not None:
            self._input(field).focus()
