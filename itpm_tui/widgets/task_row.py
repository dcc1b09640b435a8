"""How a task looks on one line: columns, the cells' text, and which state each cell shows.

Pure helpers shared by the Today list and the Tasks table; widgets turn a cell's ``state``
into a theme style. Every state that has a colour also has a symbol or word, so nothing is
told by colour alone (16-colour terminals, NO_COLOR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from rich.cells import cell_len, chop_cells, set_cell_size

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import date_warnings
from itpm_tui.domain.dates import short_date as short_date  # re-exported for the screens
from itpm_tui.domain.task_fields import FIELDS, show_field
from itpm_tui.models import Status, Task

Part = tuple[str, str]
"""A piece of a cell: its text and its state name ("" for none)."""


@dataclass(frozen=True)
class Column:
    """One column of a task line."""

    key: str
    """What the cell shows; also the store's sort column when ``sortable``."""
    label: str
    width: int
    """Cells wide; 0 for the one flexible column (the title) that takes the rest."""
    drop: int = 0
    """Narrow screens drop columns with the highest ``drop`` first; 0 is never dropped."""
    sortable: bool = True
    right: bool = False
    long_dates: bool = False
    """Dates with the weekday ("Thu 19 Nov"), for short lists."""


TITLE_MIN_WIDTH = 30
"""Columns are dropped until the title has at least this many cells."""

TABLE_COLUMNS: tuple[Column, ...] = (
    Column("id", "#", 6, right=True),
    Column("priority", "P", 2),
    Column("status", "Status", 9),
    Column("due", "Due", 10),
    Column("assignee", "Owner", 8, drop=1),
    Column("project_key", "Proj", 5, drop=2),
    Column("title", "Title", 0),
    Column("estimate_hours", "Est", 6, drop=5, right=True),
    Column("remaining_hours", "Left", 6, drop=4, right=True),
    Column("progress", "Done", 4, drop=6, sortable=False, right=True),
    Column("updated_at", "Updated", 7, drop=7),
    Column("updated_by", "By", 8, drop=8),
)
"""The Tasks table, widest first; see ``fit_columns`` for how it narrows."""

TODAY_COLUMNS: tuple[Column, ...] = (
    Column("id", "#", 6, right=True),
    Column("priority", "P", 2),
    Column("status", "Status", 9),
    Column("due", "Due", 11, long_dates=True),
    Column("project_key", "Proj", 5, drop=1),
    Column("title", "Title", 0),
)
"""Today's rows: no owner (they are all mine)."""

GAP = 1
"""Cells between columns."""


def fit_columns(columns: tuple[Column, ...], width: int) -> tuple[tuple[Column, int], ...]:
    """The columns that fit ``width`` with their widths; the title takes what is left."""
    kept = list(columns)

    def fixed(cols: list[Column]) -> int:
        return sum(c.width for c in cols) + GAP * len(cols) + GAP

    droppable = sorted((c for c in columns if c.drop), key=lambda c: -c.drop)
    while droppable and width - fixed(kept) < TITLE_MIN_WIDTH:
        kept.remove(droppable.pop(0))
    title_width = max(1, width - fixed(kept))
    return tuple((c, c.width or title_width) for c in kept)


def date_preview(day: date, today: date, calendar: WorkCalendar | None = None) -> str:
    """What a typed date means: ``Fri 27 Nov`` (the year when not this year's) and warnings."""
    text = f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"
    warnings = date_warnings(day, today, calendar)
    return f"{text} ⚠ {', '.join(warnings)}" if warnings else text


def due_state(task: Task, today: date) -> str:
    """``overdue``, ``due-today`` or "" for an open task's due date."""
    if task.due is None or not task.is_open:
        return ""
    if task.due < today:
        return "overdue"
    return "due-today" if task.due == today else ""


def cell(task: Task, column: Column, today: date) -> tuple[Part, ...]:
    """The parts of one cell: user text is returned as is, to be shown as plain text."""
    key = column.key
    if key == "id":
        return ((task.ref, "muted"),)
    if key == "priority":
        return ((f"P{task.priority}", "urgent" if task.priority == 1 else ""),)
    if key == "status":
        return ((f"{task.status.symbol} {task.status.label}", task.status.value),)
    if key == "due":
        state = due_state(task, today)
        mark = "!" if state == "overdue" else ""
        return ((short_date(task.due, today, long=column.long_dates) + mark, state),)
    if key == "assignee":
        return ((task.assignee, "") if task.assignee else ("—", "muted"),)
    if key == "project_key":
        return ((task.project_key, "") if task.project_key else ("—", "muted"),)
    if key == "title":
        return _title_parts(task)
    if key == "progress":
        return ((f"{task.progress:.0f}%", ""),)
    if key == "updated_at":
        stamp: datetime | None = task.updated_at
        return ((short_date(stamp.date() if stamp else None, today), "muted"),)
    if key == "updated_by":
        return ((task.updated_by or "—", "muted"),)
    if key in FIELDS:  # any other field: as the field table shows it, muted when empty
        value = getattr(task, key)
        return ((show_field(key, value, today), "" if value not in (None, "") else "muted"),)
    raise ValueError(f"unknown column {key!r}")


RECURRING_MARK = "↻"
"""Before the title of a task with a repeat rule (Today, Tasks) and on its board card."""


def _title_parts(task: Task) -> tuple[Part, ...]:
    parts: list[Part] = [(f"{RECURRING_MARK} ", "muted")] if task.repeat else []
    parts.append((task.title, "done" if task.status is Status.DONE else ""))
    if task.status is Status.BLOCKED and task.blocked_reason:
        parts.append((f" — blocked: {task.blocked_reason}", "muted"))
    elif task.waiting_on:
        parts.append((f" — waiting on {task.waiting_on}", "muted"))
    return tuple(parts)


def fit_parts(parts: tuple[Part, ...], width: int, *, right: bool = False) -> list[Part]:
    """Cut or pad the parts to exactly ``width`` cells; a cut ends in ``…``."""
    total = sum(cell_len(text) for text, _ in parts)
    if total <= width:
        pad = (" " * (width - total), "")
        return [pad, *parts] if right else [*parts, pad]
    fitted: list[Part] = []
    room = width - 1
    for text, state in parts:
        if room <= 0:
            break
        size = cell_len(text)
        if size > room:
            text = set_cell_size(text, room)
            size = room
        fitted.append((text, state))
        room -= size
    fitted.append(("…" + " " * room, fitted[-1][1] if fitted else ""))
    return fitted


def wrap_parts(parts: tuple[Part, ...], width: int, most: int) -> list[tuple[Part, ...]]:
    """The parts on at most ``most`` lines of ``width`` cells, broken between words (a word
    wider than a line is split); what is left for the last line is cut with ``…``."""
    if width < 2:  # no room for a wide character: one cut line
        return [_merged(fit_parts(parts, width))]
    lines: list[list[Part]] = [[]]
    used = 0
    for text, state in parts:
        for word in re.findall(r"\s+|\S+", text):
            if word.isspace():
                if used:
                    lines[-1].append((word, state))
                    used += cell_len(word)
                continue
            if used and cell_len(word) > width - used:
                lines.append([])
                used = 0
            while cell_len(word) > width:
                head, *rest = chop_cells(word, width)
                lines[-1].append((head, state))
                lines.append([])
                word = "".join(rest)
            lines[-1].append((word, state))
            used += cell_len(word)
    shown = [merged for merged in map(_merged, lines) if merged]
    if len(shown) > most:
        left = [part for line in shown[most - 1 :] for part in (*line, (" ", line[-1][1]))]
        shown[most - 1] = _merged(fit_parts(tuple(left), width))
    return shown[:most] or [()]


def _merged(line: list[Part]) -> tuple[Part, ...]:
    """A line's parts without trailing spaces, neighbours of one state joined."""
    merged: list[Part] = []
    for text, state in line:
        if merged and merged[-1][1] == state:
            merged[-1] = (merged[-1][0] + text, state)
        else:
            merged.append((text, state))
    while merged and not merged[-1][0].rstrip():
        merged.pop()
    if merged:
        merged[-1] = (merged[-1][0].rstrip(), merged[-1][1])
    return tuple(merged)


def header_label(column: Column, sort_key: str, descending: bool) -> str:
    """A column label, with ▲ or ▼ on the sorted column."""
    if column.key != sort_key:
        return column.label
    return f"{column.label}{'▼' if descending else '▲'}"
