"""The editable task fields in one table: label, kind, parser, formatters, CLI option, form row.

The app's task form (screens/task_form.py), the CLI's ``add`` and ``set`` (cli/tasks.py), the
detail pane (widgets/task_detail.py) and the task table's cells (widgets/task_row.py) all
read ``TASK_FIELDS``. Adding a field to a task takes the model (models.py), one row here and,
for a stored field, a schema migration (store/schema.py); the history replay
(domain/history.py) already follows the model.

``parse_field`` turns what someone typed into the model's value, with one rule per kind for
the form and the CLI alike (numbers: domain/numbers.py; dates: domain/dates.py), or raises
``InvalidInput`` with one sentence. ``format_field`` gives the text ``parse_field`` reads
back to the same value (what the form shows to edit); ``show_field`` the text for display.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import parse_optional_date, short_date
from itpm_tui.domain.numbers import (
    hours_text,
    money_text,
    number_text,
    parse_amount,
    parse_hour_count,
    parse_id,
    parse_number,
)
from itpm_tui.domain.recurrence import parse_repeat
from itpm_tui.domain.safe_text import refuse_unsafe
from itpm_tui.errors import InvalidInput
from itpm_tui.models import PRIORITY_MAX, PRIORITY_MIN, Status


class Kind(StrEnum):
    """What sort of value a field holds; it decides the parser, the formatters and the widget."""

    TEXT = "text"
    """One line of text (it may hold line breaks when the field is ``multiline``)."""
    NOTES = "notes"
    """Free text over several lines (a text area in the form)."""
    DATE = "date"
    HOURS = "hours"
    MONEY = "money"
    PERCENT = "percent"
    PRIORITY = "priority"
    STATUS = "status"
    PROJECT = "project"
    """Typed as a project key; the caller resolves it (``find_project``)."""
    MILESTONE = "milestone"
    PERSON = "person"
    REPEAT = "repeat"
    """A repeat rule (``domain/recurrence.py``), stored as its canonical text."""

    @property
    def widget(self) -> str:
        """The form's widget for this kind: ``input``, ``select`` or ``textarea``."""
        if self is Kind.NOTES:
            return "textarea"
        if self in _PICKED:
            return "select"
        return "input"


_PICKED = frozenset({Kind.PRIORITY, Kind.STATUS, Kind.PROJECT, Kind.MILESTONE, Kind.PERSON})
_CLEARS = ("", "-", "none")
"""What clears an optional field (dates also take "clear"; progress "auto")."""


@dataclass(frozen=True)
class CliOption:
    """How ``itpm-tui add`` and ``set`` offer a field."""

    flag: str
    """The long option, e.g. ``--estimate``."""
    help: str
    metavar: str | None = None
    short: str | None = None
    on_add: bool = True
    """Offered by ``add`` too; ``set`` offers every field."""


@dataclass(frozen=True)
class TaskField:
    """One editable task field."""

    name: str
    """The model's field name (``Task.<name>``), also the form's input id."""
    label: str
    """The form's label."""
    kind: Kind
    cli: CliOption
    what: str = ""
    """How messages name the field ("estimate"); default: the name with spaces."""
    placeholder: str = ""
    """The form's hint inside an empty input."""
    history: str = ""
    """How the detail pane's history names the field; default: ``what``."""
    detail: str | None = None
    """The label of a plain row in the detail pane (None: the pane composes it, or omits it)."""
    detail_value: str = "{}"
    """How that row shows the value (``show_field``'s text is ``{}``)."""
    multiline: bool = False
    """The text may hold line breaks and tabs."""

    def __post_init__(self) -> None:
        if not self.what:
            object.__setattr__(self, "what", self.name.replace("_", " "))
        if not self.history:
            object.__setattr__(self, "history", self.what)


_DATE_HELP = "Due date: 2026-12-01, fri, +3d, tomorrow."

TASK_FIELDS: tuple[TaskField, ...] = (
    TaskField("title", "Title", Kind.TEXT, CliOption("--title", "New title.", on_add=False),
              placeholder="what needs doing"),
    TaskField("project_id", "Project", Kind.PROJECT,
              CliOption("--project", "Project key, e.g. NET ('none' clears).", "KEY", "-p"),
              what="project"),
    TaskField("milestone_id", "Milestone", Kind.MILESTONE,
              CliOption("--milestone", "Milestone id ('none' clears).", "ID", "-m"),
              what="milestone"),
    TaskField("status", "Status", Kind.STATUS,
              CliOption("--status", "Status (a new task starts as todo).", short="-s")),
    TaskField("assignee", "Owner", Kind.PERSON,
              CliOption("--assignee", "Who does it ('none' clears).", "LOGIN", "-a"),
              history="owner"),
    TaskField("priority", "Priority", Kind.PRIORITY,
              CliOption("--priority", "1 (most urgent) to 4.")),
    TaskField("due", "Due", Kind.DATE, CliOption("--due", _DATE_HELP, "DATE", "-d"),
              placeholder="fri, +2d, 2026-12-01"),
    TaskField("planned_start", "Start", Kind.DATE, CliOption("--start", "Planned start.", "DATE"),
              placeholder="date"),
    TaskField("planned_finish", "Finish", Kind.DATE,
              CliOption("--finish", "Planned finish.", "DATE"), placeholder="date"),
    TaskField("repeat", "Repeat", Kind.REPEAT,
              CliOption("--repeat", "Repeat when done: daily, weekly on mon,thu, monthly on "
                        "day 15, monthly on the last fri, every 3 working days ('none' "
                        "stops).", "RULE"),
              what="repeat rule", placeholder="weekly on mon, every 3 wd", detail="repeats"),
    TaskField("snoozed_until", "Snooze until", Kind.DATE,
              CliOption("--snooze", "Hide from Today until this date ('none' clears).", "DATE",
                        on_add=False),
              placeholder="date", detail="snoozed", detail_value="until {}"),
    TaskField("estimate_hours", "Estimate h", Kind.HOURS,
              CliOption("--estimate", "Estimated effort in hours.", "HOURS"),
              what="estimate", placeholder="hours"),
    TaskField("remaining_hours", "Remaining h", Kind.HOURS,
              CliOption("--remaining", "Remaining effort in hours.", "HOURS", on_add=False),
              what="remaining hours", placeholder="hours", history="remaining"),
    TaskField("percent_complete", "Progress %", Kind.PERCENT,
              CliOption("--progress", "Percent complete 0-100 ('auto' derives it).", "PERCENT",
                        on_add=False),
              what="progress", placeholder="0-100, empty = from hours"),
    TaskField("planned_cost", "Planned cost", Kind.MONEY,
              CliOption("--planned-cost", "Planned cost (for earned value).", "MONEY"),
              placeholder="0.00"),
    TaskField("blocked_reason", "Blocked why", Kind.TEXT,
              CliOption("--blocked-reason", "Why it is blocked.", "TEXT", on_add=False),
              history="blocked because", multiline=True),
    TaskField("waiting_on", "Waiting on", Kind.TEXT,
              CliOption("--waiting-on", "Who or what it waits for ('' clears).", "WHO",
                        on_add=False),
              placeholder="vendor, colleague", detail="waiting"),
    TaskField("notes", "Notes", Kind.NOTES, CliOption("--notes", "Free text notes."),
              multiline=True),
)  # fmt: skip
"""Every field a person edits, in the form's order."""

FIELDS: dict[str, TaskField] = {field.name: field for field in TASK_FIELDS}
"""The same fields by name."""

PERCENT_RULE = "a whole percent from 0 to 100"


def parse_field(
    name: str,
    text: str,
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    find_project: Callable[[str], int] | None = None,
) -> Any:
    """The model's value for what someone typed into field ``name``; ``InvalidInput`` if none.

    Text is trimmed (notes only at the end) and must hold no control character a terminal
    acts on. Optional fields are cleared by "", "-" or "none". ``find_project`` turns a
    project key into its id (it raises ``NotFound`` for an unknown key).
    """
    field = FIELDS[name]
    kind = field.kind
    typed = text.rstrip() if kind is Kind.NOTES else text.strip()
    refuse_unsafe(typed, f"the task {field.what}", multiline=field.multiline)
    clears = typed.lower() in _CLEARS
    if kind in (Kind.TEXT, Kind.NOTES):
        if name == "title" and not typed:
            raise InvalidInput("a task needs a title")
        return typed
    if kind is Kind.DATE:
        return parse_optional_date(typed, today, calendar)
    if kind is Kind.HOURS:
        return None if clears else parse_hour_count(typed, field.what)
    if kind is Kind.REPEAT:
        rule = parse_repeat(typed)
        return None if rule is None else rule.text
    if kind is Kind.MONEY:
        return None if clears else parse_amount(typed, field.what)
    if kind is Kind.PERCENT:
        if clears or typed.lower() == "auto":
            return None
        return int(parse_number(typed, field.what, suffix="%", whole=PERCENT_RULE, maximum=100))
    if kind is Kind.PRIORITY:
        digits = typed.upper().removeprefix("P")
        if not re.fullmatch(r"[0-9]", digits) or not PRIORITY_MIN <= int(digits) <= PRIORITY_MAX:
            raise InvalidInput(
                f"priority is {PRIORITY_MIN} (most urgent) to {PRIORITY_MAX} (got {typed})"
            )
        return int(digits)
    if kind is Kind.STATUS:
        try:
            return Status(typed.lower())
        except ValueError:
            names = ", ".join(s.value for s in Status)
            raise InvalidInput(f"status is one of {names} (got {typed})") from None
    if clears:
        return None
    if kind is Kind.MILESTONE:
        return parse_id(typed, field.what)
    if kind is Kind.PROJECT:
        if find_project is None:
            raise ValueError("a project key needs find_project to become an id")
        return find_project(typed)
    return typed  # Kind.PERSON: a login; the store checks the person exists


def format_field(name: str, value: Any) -> str:
    """The text that ``parse_field`` reads back as ``value`` (what the form starts with).

    A project is shown as its id: the caller's ``find_project`` maps keys, so it maps back.
    """
    if value is None:
        return ""
    kind = FIELDS[name].kind
    if kind is Kind.DATE:
        return str(value.isoformat())
    if kind in (Kind.HOURS, Kind.MONEY):
        return number_text(value)
    if kind is Kind.STATUS:
        return str(value.value)
    return str(value)


def show_field(name: str, value: Any, today: date, currency: str = "") -> str:
    """A field's value for people to read (``40h``, ``€1,200.50``, ``Fri 04 Dec``, ``—``);
    money in ``currency`` when given."""
    if value is None or value == "":
        return "—"
    kind = FIELDS[name].kind
    if kind is Kind.DATE:
        return short_date(value, today, long=True)
    if kind is Kind.HOURS:
        return hours_text(value)
    if kind is Kind.MONEY:
        amount = Decimal(value)
        return money_text(amount, currency, cents=True) if currency else f"{amount:,.2f}"
    if kind is Kind.PERCENT:
        return f"{value}%"
    if kind is Kind.PRIORITY:
        return f"P{value}"
    if kind is Kind.STATUS:
        return f"{value.symbol} {value.label}"
    return str(value)


_STORE_SET_NAMES = {"blocked_since": "blocked since", "done_at": "done at"}


def field_name(name: str) -> str:
    """How the history and conflicts name a task field: its table name (``blocked because``),
    else the column's words (``done at``)."""
    field = FIELDS.get(name)
    if field is not None:
        return field.history
    return _STORE_SET_NAMES.get(name, name.replace("_", " "))


_INSTANTS = frozenset({"blocked_since", "done_at", "created_at", "updated_at"})
"""Task columns the store sets to an instant (ISO with offset)."""


def show_stored(name: str, stored: str | None, today: date, currency: str = "") -> str:
    """A task field's value as the audit log (or a conflict) holds it, shown as ``show_field``
    shows the field: ``Wed 18 Nov`` for ``2026-11-18``, ``4.5h`` for ``4.5``, ``23 Nov 21:25``
    for an instant. Text that does not parse as the field's kind is shown as it is."""
    if stored is None or stored == "":
        return "—"
    if name in _INSTANTS:
        try:
            return f"{datetime.fromisoformat(stored.replace('Z', '+00:00')):%d %b %H:%M}"
        except ValueError:
            return stored
    field = FIELDS.get(name)
    if field is None or field.kind in (Kind.TEXT, Kind.NOTES, Kind.PERSON, Kind.REPEAT):
        return stored
    try:
        value: Any
        if field.kind is Kind.DATE:
            value = date.fromisoformat(stored)
        elif field.kind in (Kind.HOURS, Kind.MONEY):
            value = Decimal(stored)
        elif field.kind is Kind.STATUS:
            value = Status(stored)
        elif field.kind in (Kind.PERCENT, Kind.PRIORITY):
            value = int(stored)
        else:  # project and milestone ids
            return stored
    except (ValueError, ArithmeticError):
        return stored
    return show_field(name, value, today, currency)


def field_choices(name: str) -> tuple[tuple[str, Any], ...]:
    """The fixed (label, value) choices of a status or priority field, for pickers."""
    kind = FIELDS[name].kind
    if kind is Kind.STATUS:
        return tuple((f"{s.symbol} {s.label}", s) for s in Status)
    if kind is Kind.PRIORITY:
        return tuple((f"P{p}", p) for p in range(PRIORITY_MIN, PRIORITY_MAX + 1))
    raise ValueError(f"{name} has no fixed choices")
