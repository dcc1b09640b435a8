"""TaskFormModal: add or edit every field of a task, with each error shown beside its field.

Escape or ctrl+g cancels at once (over SSH Escape can lag ~100 ms; ctrl+g does not);
ctrl+s or Enter in a one-line field saves. The modal validates everything and dismisses
with only the changed fields; nothing reaches the store while any field is invalid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import date_warnings, parse_optional_date
from itpm_tui.domain.numbers import parse_amount, parse_decimal
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Milestone, Person, Project, Status, Task

Changes = dict[str, Any]
"""Field name -> new value, as ``TaskRepo.update`` takes them."""


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

DATE_FIELDS = ("due", "planned_start", "planned_finish", "snoozed_until")
TEXT_FIELDS = ("title", "blocked_reason", "waiting_on")
NUMBER_FIELDS = ("estimate_hours", "remaining_hours", "percent_complete", "planned_cost")
LABELS = {
    "title": "Title",
    "project_id": "Project",
    "milestone_id": "Milestone",
    "status": "Status",
    "assignee": "Owner",
    "priority": "Priority",
    "due": "Due",
    "planned_start": "Start",
    "planned_finish": "Finish",
    "snoozed_until": "Snooze until",
    "estimate_hours": "Estimate h",
    "remaining_hours": "Remaining h",
    "percent_complete": "Progress %",
    "planned_cost": "Planned cost",
    "blocked_reason": "Blocked why",
    "waiting_on": "Waiting on",
    "notes": "Notes",
}
PLACEHOLDERS = {
    "due": "fri, +2d, 2026-12-01",
    "planned_start": "date",
    "planned_finish": "date",
    "snoozed_until": "date",
    "estimate_hours": "hours",
    "remaining_hours": "hours",
    "percent_complete": "0-100, empty = from hours",
    "planned_cost": "0.00",
    "blocked_reason": "",
    "waiting_on": "vendor, colleague",
    "title": "what needs doing",
}


def parse_number(
    text: str, *, what: str, integer: bool = False, maximum: float | None = None
) -> float | None:
    """A non-negative number, or ``None`` for an empty field; ``InvalidInput`` otherwise."""
    text = text.strip().removesuffix("h").removesuffix("%").strip()
    if not text:
        return None
    try:
        value = float(parse_decimal(text, what))  # a comma only groups thousands, as for money
    except InvalidInput as err:
        if "negative" in str(err):
            raise InvalidInput(f"{what} cannot be negative") from None
        raise
    if integer and value != int(value):
        raise InvalidInput(f"{what} must be a whole number")
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{what} is at most {maximum:g}")
    return value


def parse_money(text: str) -> Decimal | None:
    """A non-negative amount with at most two decimals, or ``None`` for an empty field.

    The same rule as the command line (``domain.numbers``): ``1,234.50`` yes, ``1,5`` no.
    """
    if not text.strip():
        return None
    return parse_amount(text, "planned cost")


def _number_text(value: float | Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


class TaskFormModal(ModalScreen[Changes | None]):
    """Edit a task (or add one when ``task`` is None); dismisses with the changed fields."""

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
    ) -> None:
        super().__init__()
        self.original = task
        """The task as it was read (its ``version`` guards the save); None for a new task."""
        self.choices = choices
        self.today = today
        base = task or Task(title="new task", assignee=choices.me or None)  # title starts empty
        self.start = base.model_copy(update=dict(defaults or {}))
        """The values the form starts with."""
        self._checked: dict[str, str] = {}

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """A title line, one row per field, and the keys."""
        start = self.start
        heading = f"Edit {start.ref}" if self.original else "New task"
        with Vertical(id="form-box"):
            yield Static(Text(heading, style="bold"), id="form-heading")
            with VerticalScroll(id="form-fields"):
                yield from self._row(
                    "title",
                    Input(
                        start.title if self.original else "",
                        id="title",
                        compact=True,
                        placeholder=PLACEHOLDERS["title"],
                    ),
                )
                yield from self._row(
                    "project_id",
                    Select(
                        self._project_options(),
                        value=start.project_id or NO_PROJECT,
                        allow_blank=False,
                        compact=True,
                        id="project_id",
                    ),
                )
                yield from self._row(
                    "milestone_id",
                    Select(
                        self._milestone_options(start.project_id),
                        allow_blank=False,
                        value=self._milestone_value(start.project_id, start.milestone_id),
                        compact=True,
                        id="milestone_id",
                    ),
                )
                yield from self._row(
                    "status",
                    Select(
                        [(f"{s.symbol} {s.label}", s) for s in Status],
                        value=start.status,
                        allow_blank=False,
                        compact=True,
                        id="status",
                    ),
                )
                yield from self._row(
                    "assignee",
                    Select(
                        self._people_options(start.assignee),
                        value=start.assignee or NOBODY,
                        allow_blank=False,
                        compact=True,
                        id="assignee",
                    ),
                )
                yield from self._row(
                    "priority",
                    Select(
                        [(f"P{p}", p) for p in range(1, 5)],
                        value=start.priority,
                        allow_blank=False,
                        compact=True,
                        id="priority",
                    ),
                )
                for name in DATE_FIELDS:
                    value = getattr(start, name)
                    yield from self._row(
                        name,
                        Input(
                            value.isoformat() if value else "",
                            placeholder=PLACEHOLDERS[name],
                            id=name,
                            compact=True,
                        ),
                    )
                for name in NUMBER_FIELDS:
                    yield from self._row(
                        name,
                        Input(
                            _number_text(getattr(start, name)),
                            placeholder=PLACEHOLDERS[name],
                            id=name,
                            compact=True,
                        ),
                    )
                for name in ("blocked_reason", "waiting_on"):
                    yield from self._row(
                        name,
                        Input(
                            getattr(start, name),
                            id=name,
                            placeholder=PLACEHOLDERS[name],
                            compact=True,
                        ),
                    )
                yield from self._row(
                    "notes", TextArea(start.notes, id="notes", compact=True, soft_wrap=True)
                )
            yield Static(
                Text("ctrl+s or Enter saves · Esc or ctrl+g cancels", style="dim"), id="form-keys"
            )

    def _row(self, name: str, field: Widget) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{name}"):
            yield Label(LABELS[name], classes="form-label")
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

        def read(name: str, parse: Callable[[str], object]) -> None:
            try:
                values[name] = parse(self.query_one(f"#{name}", Input).value)
            except InvalidInput as err:
                errors[name] = str(err)

        values["title"] = self.query_one("#title", Input).value.strip()
        if not values["title"]:
            errors["title"] = "a task needs a title"
        values["project_id"] = self._project_id()
        milestone = self.query_one("#milestone_id", Select).value
        values["milestone_id"] = milestone if isinstance(milestone, int) and milestone else None
        values["status"] = self.query_one("#status", Select).value
        owner = self.query_one("#assignee", Select).value
        values["assignee"] = owner if isinstance(owner, str) and owner else None
        values["priority"] = self.query_one("#priority", Select).value
        calendar = self.choices.calendar(values["project_id"])
        for name in DATE_FIELDS:
            read(name, lambda text: parse_optional_date(text, self.today, calendar))
        read("estimate_hours", lambda t: parse_number(t, what="estimate"))
        read("remaining_hours", lambda t: parse_number(t, what="remaining hours"))
        read(
            "percent_complete",
            lambda t: _as_int(parse_number(t, what="progress", integer=True, maximum=100)),
        )
        read("planned_cost", parse_money)
        for name in ("blocked_reason", "waiting_on"):
            values[name] = self.query_one(f"#{name}", Input).value.strip()
        values["notes"] = self.query_one("#notes", TextArea).text.rstrip()
        return values, errors

    def validate(self) -> Changes | None:
        """The changed fields if every field is valid; else show the errors and return None."""
        values, errors = self.read_fields()
        self._checked = {field.id: field.value for field in self.query(Input) if field.id}
        if not errors:
            try:
                Task.model_validate({**self.start.model_dump(), **values})
            except ValidationError as err:
                for problem in err.errors():
                    where = str(problem["loc"][0]) if problem["loc"] else "planned_finish"
                    message = problem["msg"].removeprefix("Value error, ")
                    errors[where if where in LABELS else "planned_finish"] = message
        for name in LABELS:
            self.set_error(name, errors.get(name))
        if errors:
            first = next(name for name in LABELS if name in errors)
            self.query_one(f"#{first}").focus()
            self.call_after_refresh(self.query_one(f"#error-{first}").scroll_visible, animate=False)
            self.notify(
                f"{len(errors)} field(s) need fixing; nothing was saved.",
                severity="warning",
                timeout=4,
            )
            return None
        if self.original is None:
            return values
        return {k: v for k, v in values.items() if getattr(self.original, k) != v}

    def action_save(self) -> None:
        """Save if valid (dismiss with the changes); otherwise stay and show the errors."""
        changes = self.validate()
        if changes is not None:
            self.dismiss(changes)

    @on(Input.Submitted)
    def _save_on_enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _as_int(value: float | None) -> int | None:
    return None if value is None else int(value)
