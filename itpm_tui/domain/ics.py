"""Milestones and due dates as an RFC 5545 iCalendar file: pure text generation, no IO.

What the file holds (``calendar_events``): per milestone two all-day events, its baseline
and its forecast (the actual day once reached), and one all-day event per task due date.
Stand-ups are not in it: the store keeps when past stand-ups were held, not a schedule of
future ones, and a calendar entry guessed from past meetings would be invented.

How it is written (``to_ics``), after RFC 5545:

- lines end in CRLF and are folded so no line is longer than 75 octets (section 3.1), never
  inside a UTF-8 character; a continuation line starts with one space;
- TEXT values escape backslash, semicolon, comma and newline as ``\\\\ \\; \\, \\n``
  (section 3.3.11); C0 controls and DEL, which TEXT cannot carry, become their control
  pictures (``␛``); every other character, non-ASCII, C1 and bidi controls included, is
  written exactly;
- all-day events are ``DTSTART;VALUE=DATE`` with ``DTEND`` the next day (3.6.1: DTEND is
  exclusive), marked ``TRANSP:TRANSPARENT`` so a milestone does not make anyone busy;
- every event has a stable ``UID`` derived from ids (``milestone-12-baseline@itpm-tui``,
  ``task-42-due@itpm-tui``), so importing a newer file updates the events instead of
  duplicating them, and a ``SEQUENCE`` from the record's version, which grows with every
  change, so calendar clients take the newer copy; ``DTSTAMP`` is when the file was made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.safe_text import visible
from itpm_tui.models import Milestone, Project, Task

PRODID = "-//itpm-tui//itpm-tui//EN"
"""Who made the file (RFC 5545 3.7.3); no version number, so equal data gives equal files."""
UID_DOMAIN = "itpm-tui"
MAX_OCTETS = 75
"""Longest line, CRLF not counted (RFC 5545 3.1)."""

_ONE_DAY = timedelta(days=1)
_TEXT_ESCAPES = {ord("\\"): "\\\\", ord(";"): "\\;", ord(","): "\\,", ord("\n"): "\\n"}
_NO_CONTROLS = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_NO_CONTROLS[0x7F] = "\u2421"
_LINE_BREAKS = re.compile("\r\n?")


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: what it is (stable ``uid``), its day and what it says."""

    uid: str
    day: date
    summary: str
    description: str = ""
    sequence: int = 0
    """Revision of the event (RFC 5545 3.8.7.4): the record's version, counted from 0."""
    categories: tuple[str, ...] = ()
    last_modified: datetime | None = None


def milestone_uid(milestone_id: int, which: str) -> str:
    """``milestone-12-baseline@itpm-tui`` (``which``: ``baseline`` or ``forecast``)."""
    return f"milestone-{milestone_id}-{which}@{UID_DOMAIN}"


def task_uid(task_id: int) -> str:
    """``task-42-due@itpm-tui``."""
    return f"task-{task_id}-due@{UID_DOMAIN}"


def _day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _slip_words(slip: int) -> str:
    if slip == 0:
        return "on the baseline"
    unit = "working day" if abs(slip) == 1 else "working days"
    return f"{abs(slip)} {unit} {'late' if slip > 0 else 'early'}"


def milestone_events(milestone: Milestone, project: Project) -> tuple[CalendarEvent, ...]:
    """The baseline event and the forecast event (the actual day once reached).

    Both keep their UID for the milestone's life: a moved forecast, a re-baseline or
    reaching it updates the imported events in place.
    """
    cal = WorkCalendar.for_project(project)
    name = f"{project.key} milestone '{milestone.name}'"
    where = f"Project {project.key}: {project.name}"
    sequence = max(0, milestone.version - 1)
    if milestone.actual is not None:
        slip = cal.between(milestone.baseline, milestone.actual)
        second = CalendarEvent(
            uid=milestone_uid(milestone.id, "forecast"),
            day=milestone.actual,
            summary=f"{name} reached ({_slip_words(slip)})",
            description=(
                f"{where}\nReached {_day_text(milestone.actual)}, baseline "
                f"{_day_text(milestone.baseline)}: {_slip_words(slip)}."
            ),
            sequence=sequence,
            categories=(project.key, "milestone"),
        )
        state = f"reached {_day_text(milestone.actual)}"
    else:
        slip = cal.between(milestone.baseline, milestone.forecast)
        second = CalendarEvent(
            uid=milestone_uid(milestone.id, "forecast"),
            day=milestone.forecast,
            summary=f"{name} forecast ({_slip_words(slip)})",
            description=(
                f"{where}\nForecast {_day_text(milestone.forecast)}, baseline "
                f"{_day_text(milestone.baseline)}: {_slip_words(slip)}."
            ),
            sequence=sequence,
            categories=(project.key, "milestone"),
        )
        state = f"forecast {_day_text(milestone.forecast)} ({_slip_words(slip)})"
    baseline = CalendarEvent(
        uid=milestone_uid(milestone.id, "baseline"),
        day=milestone.baseline,
        summary=f"{name} baseline",
        description=f"{where}\nBaseline {_day_text(milestone.baseline)}; {state}.",
        sequence=sequence,
        categories=(project.key, "milestone"),
    )
    return (baseline, second)


def task_event(task: Task, project: Project | None) -> CalendarEvent:
    """A task's due date as an all-day event; ``task.due`` must be set."""
    if task.due is None:
        raise ValueError(f"task #{task.id} has no due date")
    owner = task.assignee or "nobody"
    lines = [f"{task.status.label}, P{task.priority}, assigned to {owner}"]
    if project is not None:
        lines.append(f"Project {project.key}: {project.name}")
    if task.blocked_reason:
        lines.append(f"Blocked: {task.blocked_reason}")
    if task.waiting_on:
        lines.append(f"Waiting on: {task.waiting_on}")
    where = f" ({project.key})" if project is not None else ""
    return CalendarEvent(
        uid=task_uid(task.id),
        day=task.due,
        summary=f"Due: {task.ref} {task.title}{where}",
        description="\n".join(lines),
        sequence=max(0, task.version - 1),
        categories=(project.key, "task") if project is not None else ("task",),
        last_modified=task.updated_at,
    )


def calendar_events(
    projects: Mapping[int, Project],
    milestones: Iterable[Milestone],
    tasks: Iterable[Task],
) -> list[CalendarEvent]:
    """Every milestone's two events and every task with a due date's event, by day then UID.

    Which milestones and tasks (a project, mine, open ones) is the caller's choice.
    """
    events: list[CalendarEvent] = []
    for milestone in milestones:
        events.extend(milestone_events(milestone, projects[milestone.project_id]))
    for task in tasks:
        if task.due is not None:
            project = projects.get(task.project_id) if task.project_id is not None else None
            events.append(task_event(task, project))
    return sorted(events, key=lambda e: (e.day, e.uid))


def escape_text(text: str, *, terminal: bool = False) -> str:
    """An RFC 5545 TEXT value (3.3.11): ``\\ ; , newline`` escaped, C0 controls as pictures.

    ``terminal``: the text is also passed through ``safe_text.visible`` (C1 and bidi
    controls shown as U+FFFD), for a calendar printed to a terminal rather than a file.
    """
    text = _LINE_BREAKS.sub("\n", text)
    if terminal:
        text = visible(text, multiline=True)
    return text.translate(_NO_CONTROLS).translate(_TEXT_ESCAPES)


def fold(line: str) -> str:
    """``line`` folded into CRLF-separated lines of at most 75 octets (RFC 5545 3.1).

    A continuation line starts with a space, which counts towards its 75; a UTF-8 character
    is never split.
    """
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: str, terminal: bool) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + _ONE_DAY:%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary, terminal=terminal)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description, terminal=terminal)}")
    if event.categories:
        joined = ",".join(escape_text(c, terminal=terminal) for c in event.categories)
        lines.append(f"CATEGORIES:{joined}")
    if event.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc_stamp(event.last_modified)}")
    lines += [f"SEQUENCE:{event.sequence}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def to_ics(
    events: Sequence[CalendarEvent],
    *,
    dtstamp: datetime,
    name: str = "itpm-tui",
    terminal: bool = False,
) -> str:
    """The iCalendar file for ``events``: CRLF line ends, folded lines, escaped TEXT.

    ``dtstamp`` (timezone-aware) is when the file is made, written in UTC. ``name`` becomes
    ``X-WR-CALNAME``, the calendar's name in most clients. ``terminal`` makes stored text
    safe to print (see ``escape_text``); a file keeps it exact.
    """
    stamp = _utc_stamp(dtstamp)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name, terminal=terminal)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp, terminal))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
