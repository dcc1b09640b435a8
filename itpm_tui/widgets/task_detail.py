"""TaskDetail: one task's fields, notes and history from the audit log, as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import zip_longest

from rich.text import Text
from textual.geometry import Region, Size
from textual.widget import Widget

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.numbers import hours_text as hours
from itpm_tui.domain.task_fields import TASK_FIELDS, field_name, show_field, show_stored
from itpm_tui.domain.wording import plural
from itpm_tui.models import AuditEvent, Project, Status, Task
from itpm_tui.widgets.task_row import due_state

HISTORY_LIMIT = 30
"""Newest history lines shown; the CLI's ``show`` has the rest."""

HISTORY_VALUE_WIDTH = 40
"""Longer values (notes) are cut in the history; the field itself shows them whole."""


def _short(text: str) -> str:
    text = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip()) or "—"
    return text if len(text) <= HISTORY_VALUE_WIDTH else text[: HISTORY_VALUE_WIDTH - 1] + "…"


def history_line(event: AuditEvent, today: date, currency: str = "") -> Text:
    """``23 Nov 09:14 alice  status: ○ To do → ◐ Doing``: values shown as the fields show
    them (``show_stored``), as plain text."""
    stamp = f"{event.at:%d %b %H:%M}"
    name = field_name(event.field)
    if event.field == "created":
        change = Text("created")
    else:
        old, new = (_short(show_stored(event.field, value, today, currency))
                    for value in (event.old, event.new))  # fmt: skip
        change = Text.assemble(f"{name}: ", (old, "dim"), " → ", new)
    line = Text.assemble((stamp, "dim"), " ", (event.who, "bold"), "  ", change)
    if event.by != event.who:  # the OS account last: a narrow pane still shows the change
        line.append(f"  (OS: {event.os_user})", "dim")
    return line


def detail_text(
    task: Task | None,
    history: Sequence[AuditEvent] | None,
    today: date,
    project: Project | None = None,
    links: Sequence[str] = (),
) -> Text:
    """Everything about one task, for the detail pane (money in its ``project``\x27s currency);
    ``history`` ``None``: not read yet."""
    if task is None:
        return Text("No task selected.", style="dim")
    lines: list[Text] = [Text.assemble((task.ref, "dim"), " ", (task.title, "bold"))]

    def row(label: str, value: str | Text) -> None:
        lines.append(Text.assemble((f"{label:<10}", "dim"), value))

    row("status", f"{task.status.symbol} {task.status.label}  ·  P{task.priority}")
    currency = project.currency if project else ""
    name = project.name if project else ""
    row("project", f"{task.project_key or 'personal to-do'} {name}".rstrip())
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
        row("cost", f"{show_field('planned_cost', task.planned_cost, today, currency)} planned")
    if task.status is Status.BLOCKED:
        since = f" since {task.blocked_since:%d %b}" if task.blocked_since else ""
        row("blocked", f"{task.blocked_reason or 'no reason given'}{since}")
    for field in TASK_FIELDS:  # the plain rows: a new field with a detail label shows here
        value = getattr(task, field.name)
        if field.detail and value not in (None, ""):
            row(
                field.detail,
                field.detail_value.format(show_field(field.name, value, today, currency)),
            )
    lines.append(Text(""))
    lines.append(Text("Notes", style="bold underline"))
    lines.append(Text(task.notes) if task.notes else Text("none", style="dim"))
    if links:
        lines.append(Text(""))
        lines.append(Text.assemble(("Links", "bold underline"), ("  D edits", "dim")))
        lines.extend(Text(line) for line in links)
    lines.append(Text(""))
    lines.append(Text("History (newest first)", style="bold underline"))
    for event in list(reversed(history or ()))[:HISTORY_LIMIT]:
        lines.append(history_line(event, today, currency))
    if not history:
        lines.append(Text("loading…" if history is None else "none", style="dim"))
    return Text("\n").join(lines)


class TaskDetail(Widget, can_focus=False):
    """The detail pane; the screen calls ``show_task`` whenever the cursor or data changes.

    Its size comes from CSS and never from its content, so showing another task repaints
    only this pane (a container that grew with its text re-laid out the whole screen: ~50 KB
    per cursor move over SSH). Long details scroll with ``scroll_by``.
    """

    DEFAULT_CSS = """
    TaskDetail { background: $surface; padding: 0 1; }
    """

    shown_id: int | None = None
    """The id of the task on show."""
    _history: tuple[AuditEvent, ...] | None = None
    """The history on show, oldest first; ``None`` until it has been read."""
    _links: tuple[str, ...] = ()
    """The lines of the links on show."""
    _text = Text("")
    _offset = 0
    _wrapped: tuple[int, list[Text]] = (-1, [])
    _painted: tuple[Size, list[Text]] = (Size(0, 0), [])
    """The size and lines of the last paint: a change repaints the lines that differ."""

    def show_task(
        self,
        task: Task | None,
        history: Sequence[AuditEvent] | None,
        today: date,
        project: Project | None = None,
        links: Sequence[str] | None = None,
    ) -> None:
        """Show a task; ``history`` is oldest first, or ``None`` to keep the one on show
        (``links`` likewise: the lines of its dependencies).

        Keeping it lets fresh fields show at once while the history is re-read. Text equal
        to what is on show is not painted again.
        """
        same = task is not None and task.id == self.shown_id
        if history is not None:
            self._history = tuple(history)
        elif not same:
            self._history = None
        if links is not None:
            self._links = tuple(links)
        elif not same:
            self._links = ()
        if not same:
            self._offset = 0
        self.shown_id = task.id if task else None
        text = detail_text(task, self._history, today, project, self._links)
        if text == self._text:
            return
        self._text = text
        self._wrapped = (-1, [])
        self._refresh_changed()

    def _refresh_changed(self) -> None:
        """Repaint only the lines that differ from the last paint: the labels, headings and
        blank lines below the history stay as they are (4 KB less per move at 120x40)."""
        size, painted = self._painted
        if size != self.size or not self.is_mounted:
            self.refresh()
            return
        for y, (old, new) in enumerate(zip_longest(painted, self._visible())):
            if old != new:
                self.refresh(Region(0, y, size.width, 1))  # content coordinates

    def _lines(self) -> list[Text]:
        width = max(1, self.content_region.width)
        if self._wrapped[0] != width:
            lines = list(self._text.wrap(self.app.console, width, overflow="fold"))
            self._wrapped = (width, lines)
        return self._wrapped[1]

    def scroll_by_lines(self, lines: int) -> None:
        """Scroll the text (positive: down); stops at either end."""
        height = max(1, self.content_region.height)
        limit = max(0, len(self._lines()) - height)
        self._offset = max(0, min(limit, self._offset + lines))
        self.refresh()

    def render(self) -> Text:
        """The visible part of the text, with a hint when more is below or above."""
        shown = self._visible()
        self._painted = (self.size, shown)
        return Text("\n").join(shown)

    def _visible(self) -> list[Text]:
        """The lines on show, from the pane's first row (blank rows below them)."""
        lines = self._lines()
        height = max(1, self.content_region.height)
        self._offset = max(0, min(self._offset, max(0, len(lines) - height)))
        shown = lines[self._offset : self._offset + height]
        if self._offset + height < len(lines) and shown:
            shown[-1] = Text(
                f"↓ {plural(len(lines) - self._offset - height, 'more line', 'more lines')} (J/K scroll)",
                style="dim italic",
            )
        if self._offset and shown:
            shown[0] = Text(f"↑ {plural(self._offset, 'line')} above", style="dim italic")
        return shown
