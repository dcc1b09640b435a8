"""TaskFormModal: add or edit every field of a task, with each error shown beside its field.

Escape or ctrl+g cancels at once (over SSH Escape can lag ~100 ms; ctrl+g does not);
ctrl+s or Enter in a one-line field saves. The modal validates everything and dismisses
with only the changed fields; nothing reaches the store while any field is invalid.

Its rows are the field table's (``domain.task_fields``): label, widget by kind, placeholder,
and every typed value read by ``parse_field``, the same rules as the CLI's ``add``/``set``.
One more row, "Waits for", holds the task's predecessors as ``domain.link_spec`` reads them
(``#12, #15 ss +2``). The screen reads them in a worker after the form opens, so the row is
disabled until its ``PredecessorsRead`` message fills it; the form never waits on the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import date_warnings, parse_optional_date
from itpm_tui.domain.link_spec import WAITS_FOR_HINT, LinkSpec, link_list_text, parse_link_list
from itpm_tui.domain.task_fields import (
    FIELDS,
    TASK_FIELDS,
    Kind,
    TaskField,
    field_choices,
    format_field,
    parse_field,
)
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Milestone, Person, Project, Task, TaskLink

Changes = dict[str, Any]
"""Field name -> new value, as ``TaskRepo.update`` takes them."""

WAITS_FOR = "waits_for"
"""The id of the "Waits for" row's input (not a task field: links are their own table)."""


@dataclass(frozen=True)
class WaitsFor:
    """The form's "Waits for" as typed, and the predecessor links it replaces."""

    text: str
    specs: tuple[LinkSpec, ...]
    seen: tuple[TaskLink, ...] = ()
    """The links the form showed; only the difference to them is written."""


@dataclass(frozen=True)
class FormResult:
    """What a saved form asks for: the task as read, its changed fields, its new links."""

    task: Task | None
    """The task as the form read it (its version guards the save); None for a new task."""
    changes: Changes
    """The changed fields (every field for a new task)."""
    waits_for: WaitsFor | None = None
    """The predecessors typed; None when they were left as they were."""

    def __bool__(self) -> bool:
        return bool(self.changes or self.waits_for)


@dataclass(frozen=True)
class FormChoices:
    """What the form's pickers offer; loaded by the screen with its data."""

    projects: tuple[Project, ...] = ()
    people: tuple[Person, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    me: str = ""

    def calendar(self, project_id: int | None) -> WorkCalendar:
        """The working-day calendar of a project (Monday-Friday for none)."""
        project = next((p for p in self.projects if p.id == project_id), None)
        return WorkCalendar.for_project(project)


NO_PROJECT = 0
"""Select value for a personal to-do (Select needs a non-None value)."""
NOBODY = ""
"""Select value for no owner."""
NO_MILESTONE = 0

DATE_FIELDS = tuple(f.name for f in TASK_FIELDS if f.kind is Kind.DATE)
"""The fields whose hint says what the typed date means."""


class TaskFormModal(ModalScreen[FormResult | None]):
    """Edit a task (or add one when ``task`` is None); dismisses with what changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
    ]
    CSS_PATH = "task_form.tcss"

    def __init__(
        self,
        task: Task | None,
        choices: FormChoices,
        today: date,
        *,
        defaults: Mapping[str, Any] | None = None,
        waits_for: WaitsFor | None = None,
        link_error: str = "",
    ) -> None:
        """``defaults`` and ``waits_for``: values typed before (a form reopened after the
        store refused a link, with ``link_error`` beside "Waits for")."""
        super().__init__()
        self.original = task
        """The task as it was read (its ``version`` guards the save); None for a new task."""
        self.choices = choices
        self.today = today
        base = task or Task(title="new task", assignee=choices.me or None)  # title starts empty
        self.start = base.model_copy(update=dict(defaults or {}))
        """The values the form starts with."""
        self._checked: dict[str, str] = {}
        self._links: tuple[TaskLink, ...] | None = None if task else ()
        """The predecessors shown in "Waits for"; None until the screen has read them."""
        self._links_text = ""
        if waits_for is not None:
            self._links, self._links_text = waits_for.seen, waits_for.text
        self._link_error = link_error

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """A title line, one row per field of the field table, and the keys."""
        heading = f"Edit {self.start.ref}" if self.original else "New task"
        with Vertical(id="form-box"):
            yield Static(Text(heading, style="bold"), id="form-heading")
            with VerticalScroll(id="form-fields"):
                for field in TASK_FIELDS:
                    yield from self._row(field.name, field.label, self._widget(field))
                    if field.name == "waiting_on":
                        yield from self._row(WAITS_FOR, "Waits for", self._waits_for_input())
            yield Static(
                Text("ctrl+s or Enter saves · Esc or ctrl+g cancels", style="dim"), id="form-keys"
            )

    def _widget(self, field: TaskField) -> Widget:
        """The field's input as its kind says: a text area, a picker or a one-line input."""
        name, start = field.name, self.start
        if field.kind.widget == "textarea":
            return TextArea(
                format_field(name, getattr(start, name)), id=name, compact=True, soft_wrap=True
            )
        if field.kind.widget == "select":
            options, value = self._select(field)
            return Select(options, value=value, allow_blank=False, compact=True, id=name)
        text = format_field(name, getattr(start, name))
        if name == "title" and self.original is None:
            text = ""  # a new task's title starts empty (the model needs one meanwhile)
        return Input(text, placeholder=field.placeholder, id=name, compact=True)

    def _waits_for_input(self) -> Input:
        loading = self._links is None
        return Input(
            self._links_text,
            placeholder="reading the links…" if loading else WAITS_FOR_HINT,
            id=WAITS_FOR,
            compact=True,
            disabled=loading,
        )

    def _select(self, field: TaskField) -> tuple[Sequence[tuple[str | Text, Any]], Any]:
        """A picker's options and its starting value."""
        start = self.start
        if field.kind is Kind.PROJECT:
            return self._project_options(), start.project_id or NO_PROJECT
        if field.kind is Kind.MILESTONE:
            value = self._milestone_value(start.project_id, start.milestone_id)
            return self._milestone_options(start.project_id), value
        if field.kind is Kind.PERSON:
            return self._people_options(start.assignee), start.assignee or NOBODY
        return field_choices(field.name), getattr(start, field.name)

    def _row(self, name: str, label: str, field: Widget) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{name}"):
            yield Label(label, classes="form-label")
            yield field
            yield Static("", classes="form-hint", id=f"hint-{name}", markup=False)
        yield Static("", classes="form-error", id=f"error-{name}", markup=False)

    def _project_options(self) -> list[tuple[Text, int]]:
        options = [(Text("— personal to-do"), NO_PROJECT)]
        options += [(Text(f"{p.key}  {p.name}"), p.id) for p in self.choices.projects]
        return options

    def _milestone_options(self, project_id: int | None) -> list[tuple[Text, int]]:
        options = [(Text("— none"), NO_MILESTONE)]
        options += [
            (Text(f"{m.name} ({m.forecast:%d %b})"), m.id)
            for m in self.choices.milestones
            if project_id and m.project_id == project_id
        ]
        return options

    def _milestone_value(self, project_id: int | None, milestone_id: int | None) -> int:
        known = {value for _, value in self._milestone_options(project_id)}
        return milestone_id if milestone_id in known and milestone_id else NO_MILESTONE

    def _people_options(self, current: str | None) -> list[tuple[Text, str]]:
        options = [(Text("— nobody"), NOBODY)]
        logins = [p.login for p in self.choices.people]
        for login in (self.choices.me, current):
            if login and login not in logins:
                logins.append(login)
        names = {p.login: p.display for p in self.choices.people}
        for login in sorted(logins):
            name = names.get(login, login)
            options.append((Text(login if name == login else f"{login}  {name}"), login))
        return options

    def on_mount(self) -> None:
        """Start in the title; show what the date fields mean."""
        self.query_one("#title", Input).focus()
        for name in DATE_FIELDS:
            self._date_hint(name, warn=False)
        if self._link_error:
            self.set_error(WAITS_FOR, self._link_error)
            self._checked[WAITS_FOR] = self._links_text
            self.query_one(f"#{WAITS_FOR}", Input).focus()

    class PredecessorsRead(Message):
        """The task's predecessors, read by the screen's worker (posted to the form, so it
        is handled once the form is mounted); ``error`` when they could not be read."""

        def __init__(self, links: Sequence[TaskLink], *, error: str = "") -> None:
            super().__init__()
            self.links = tuple(links)
            self.error = error

    @on(PredecessorsRead)
    def _show_links(self, message: PredecessorsRead) -> None:
        """Fill "Waits for" with the task's predecessors (or say why it stays disabled:
        links not known cannot be changed safely)."""
        if self._links is not None:
            return  # already known (a new task, or a form reopened with what was typed)
        if message.error:
            field = self.query_one(f"#{WAITS_FOR}", Input)
            field.placeholder = f"could not read the links: {message.error}"
            return
        self._links = message.links
        field = self.query_one(f"#{WAITS_FOR}", Input)
        field.value = self._links_text = link_list_text(self._links)
        field.placeholder = WAITS_FOR_HINT
        field.disabled = False

    # --- live hints ----------------------------------------------------------------------

    def _project_id(self) -> int | None:
        value = self.query_one("#project_id", Select).value
        return value if isinstance(value, int) and value != NO_PROJECT else None

    def _date_hint(self, name: str, *, warn: bool = True) -> None:
        """What the typed date means; once edited, a ⚠ for a past or non-working day."""
        text = self.query_one(f"#{name}", Input).value
        calendar = self.choices.calendar(self._project_id())
        try:
            day = parse_optional_date(text, self.today, calendar)
        except InvalidInput:
            self._hint(name, "✗ not a date")
            return
        if day is None:
            self._hint(name, "")
            return
        shown = f"{day:%a %d %b}" if day.year == self.today.year else f"{day:%d %b %Y}"
        warned = warn and bool(date_warnings(day, self.today, calendar))
        self._hint(name, f"{shown} ⚠" if warned else shown)

    def _hint(self, name: str, text: str) -> None:
        self.query_one(f"#hint-{name}", Static).update(text)

    @on(Input.Changed)
    def _show_date_meaning(self, event: Input.Changed) -> None:
        name = event.input.id
        if name in DATE_FIELDS:
            self._date_hint(name)
        if name and self._checked.get(name) != event.value:
            self.set_error(name, None)  # edited since the error was shown

    @on(Select.Changed, "#project_id")
    def _offer_project_milestones(self, event: Select.Changed) -> None:
        del event
        select = self.query_one("#milestone_id", Select)
        current = select.value
        project_id = self._project_id()
        select.set_options(self._milestone_options(project_id))
        value = self._milestone_value(project_id, current if isinstance(current, int) else None)
        select.value = value

    # --- saving ---------------------------------------------------------------------------

    def set_error(self, name: str, message: str | None) -> None:
        """Show (or clear) the error beside a field."""
        error = self.query_one(f"#error-{name}", Static)
        error.update(f"✗ {message}" if message else "")
        error.set_class(bool(message), "-shown")
        self.query_one(f"#row-{name}").set_class(bool(message), "-invalid")

    def read_fields(self) -> tuple[Changes, dict[str, str]]:
        """Every field's value, and an error per field that cannot be read."""
        values: Changes = {}
        errors: dict[str, str] = {}
        calendar = self.choices.calendar(self._project_id())
        for field in TASK_FIELDS:
            name = field.name
            if field.kind.widget == "select":
                values[name] = self._picked(field)
                continue
            if field.kind.widget == "textarea":
                text = self.query_one(f"#{name}", TextArea).text
            else:
                text = self.query_one(f"#{name}", Input).value
            try:
                values[name] = parse_field(name, text, today=self.today, calendar=calendar)
            except InvalidInput as err:
                errors[name] = str(err)
        return values, errors

    def _picked(self, field: TaskField) -> Any:
        """A picker's value as the model takes it (None for "none")."""
        value = self.query_one(f"#{field.name}", Select).value
        if field.kind is Kind.PROJECT:
            return self._project_id()
        if field.kind is Kind.MILESTONE:
            return value if isinstance(value, int) and value else None
        if field.kind is Kind.PERSON:
            return value if isinstance(value, str) and value else None
        return value

    def read_waits_for(self) -> WaitsFor | None:
        """The typed predecessors, or None when "Waits for" is as it was (or still loading).

        Raises InvalidInput for a link that cannot be read."""
        text = self.query_one(f"#{WAITS_FOR}", Input).value.strip()
        if self._links is None or text == link_list_text(self._links):
            return None
        return WaitsFor(text, parse_link_list(text), self._links)

    def validate(self) -> FormResult | None:
        """What changed if every field is valid; else show the errors and return None."""
        values, errors = self.read_fields()
        waits_for = None
        try:
            waits_for = self.read_waits_for()
        except InvalidInput as err:
            errors[WAITS_FOR] = str(err)
        self._checked = {field.id: field.value for field in self.query(Input) if field.id}
        if not errors:
            try:
                Task.model_validate({**self.start.model_dump(), **values})
            except ValidationError as err:
                for problem in err.errors():
                    where = str(problem["loc"][0]) if problem["loc"] else "planned_finish"
                    message = problem["msg"].removeprefix("Value error, ")
                    errors[where if where in FIELDS else "planned_finish"] = message
        rows = [*FIELDS, WAITS_FOR]
        for name in rows:
            self.set_error(name, errors.get(name))
        if errors:
            first = next(name for name in rows if name in errors)
            self.query_one(f"#{first}").focus()
            self.call_after_refresh(self.query_one(f"#error-{first}").scroll_visible, animate=False)
            self.notify(
                f"{plural(len(errors), 'field')} {'needs' if len(errors) == 1 else 'need'} fixing; "
                "nothing was saved.",
                severity="warning",
                timeout=4,
            )
            return None
        if self.original is not None:
            values = {k: v for k, v in values.items() if getattr(self.original, k) != v}
        return FormResult(self.original, values, waits_for)

    def action_save(self) -> None:
        """Save if valid (dismiss with what changed); otherwise stay and show the errors."""
        result = self.validate()
        if result is not None:
            self.dismiss(result)

    @on(Input.Submitted)
    def _save_on_enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
