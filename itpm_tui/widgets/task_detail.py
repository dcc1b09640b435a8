"""TaskDetail: one task's fields, notes and history from the audit log, as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from itpm_tui.models import AuditEvent, Status, Task
from itpm_tui.widgets.task_row import due_state, hours, short_date

HISTORY_LIMIT = 30
"""Newest history lines shown; the CLI's ``show`` has the rest."""

_FIELD_NAMES = {
    "status": "status",
    "assignee": "owner",
    "due": "due",
    "priority": "priority",
    "title": "title",
    "notes": "notes",
    "remaining_hours": "remaining",
    "estimate_hours": "estimate",
    "percent_complete": "progress",
    "snoozed_until": "snoozed until",
    "project_id": "project",
    "milestone_id": "milestone",
    "blocked_reason": "blocked because",
    "waiting_on": "waiting on",
    "planned_start": "planned start",
    "planned_finish": "planned finish",
    "planned_cost": "planned cost",
    "blocked_since": "blocked since",
    "done_at": "done at",
}


def history_line(event: AuditEvent) -> Text:
    """``23 Nov 09:14 alice  status: todo → doing`` (values shown as plain text)."""
    stamp = f"{event.at:%d %b %H:%M}"
    name = _FIELD_NAMES.get(event.field, event.field.replace("_", " "))
    if event.field == "created":
        change = Text("created")
    else:
        old = "—" if event.old in (None, "") else str(event.old)
        new = "—" if event.new in (None, "") else str(event.new)
        change = Text.assemble(f"{name}: ", (old, "dim"), " → ", new)
    return Text.assemble((stamp, "dim"), " ", (event.who, "bold"), "  ", change)


def detail_text(
    task: Task | None, history: Sequence[AuditEvent], today: date, project_name: str = ""
) -> Text:
    """Everything about one task, for the detail pane."""
    if task is None:
        return Text("No task selected.", style="dim")
    lines: list[Text] = [Text.assemble((task.ref, "dim"), " ", (task.title, "bold"))]

    def row(label: str, value: str | Text) -> None:
        lines.append(Text.assemble((f"{label:<10}", "dim"), value))

    row("status", f"{task.status.symbol} {task.status.label}  ·  P{task.priority}")
    project = task.project_key or "personal to-do"
    row("project", f"{project} {project_name}".rstrip())
    row("owner", task.assignee or "—")
    due = short_date(task.due, today, long=True)
    state = due_state(task, today)
    row("due", f"{due}  (overdue)" if state == "overdue" else due)
    if task.planned_start or task.planned_finish:
        row(
            "planned",
            f"{short_date(task.planned_start, today)} → {short_date(task.planned_finish, today)}",
        )
    row(
        "effort",
        f"{hours(task.estimate_hours)} est · {hours(task.remaining_hours)} left · "
        f"{task.progress:.0f}% done",
    )
    if task.planned_cost is not None:
        row("cost", f"{task.planned_cost:,.2f} planned")
    if task.status is Status.BLOCKED:
        since = f" since {task.blocked_since:%d %b}" if task.blocked_since else ""
        row("blocked", f"{task.blocked_reason or 'no reason given'}{since}")
    if task.waiting_on:
        row("waiting", task.waiting_on)
    if task.snoozed_until:
        row("snoozed", f"until {short_date(task.snoozed_until, today, long=True)}")
    lines.append(Text(""))
    lines.append(Text("Notes", style="bold underline"))
    lines.append(Text(task.notes) if task.notes else Text("none", style="dim"))
    lines.append(Text(""))
    lines.append(Text("History (newest first)", style="bold underline"))
    for event in list(reversed(history))[:HISTORY_LIMIT]:
        lines.append(history_line(event))
    if not history:
        lines.append(Text("loading…", style="dim"))
    return Text("\n").join(lines)


class TaskDetail(VerticalScroll, can_focus=False):
    """The detail pane; the screen sets ``show_task`` whenever the cursor or data changes."""

    DEFAULT_CSS = """
    TaskDetail { background: $surface; padding: 0 1; scrollbar-size-vertical: 1; }
    TaskDetail > Static { width: 1fr; }
    """

    shown_id: int | None = None
    """The id of the task on show."""
    _history: tuple[AuditEvent, ...] = ()

    def compose(self) -> ComposeResult:
        """One text block."""
        yield Static(Text(""), markup=False)

    def show_task(
        self,
        task: Task | None,
        history: Sequence[AuditEvent] | None,
        today: date,
        project_name: str = "",
    ) -> None:
        """Show a task; ``history`` is oldest first, or ``None`` to keep the one on show.

        Keeping it lets fresh fields show at once while the history is re-read.
        """
        same = task is not None and task.id == self.shown_id
        if history is not None:
            self._history = tuple(history)
        elif not same:
            self._history = ()
        self.shown_id = task.id if task else None
        self.query_one(Static).update(detail_text(task, self._history, today, project_name))
