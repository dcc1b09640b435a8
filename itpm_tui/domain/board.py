"""Board rules shared by the Board and Stand-up screens: columns, cards, order, filters.

Pure: tasks and projects in, immutable cards out; ``today`` is a parameter. The widgets only
draw a :class:`TaskCard` (``widgets/task_card.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.schedule import TaskFlagKind, flag_tasks, task_flags
from itpm_tui.models import Project, RagThresholds, Status, Task

COLUMNS: tuple[Status, ...] = (
    Status.TODO,
    Status.DOING,
    Status.BLOCKED,
    Status.REVIEW,
    Status.DONE,
)
"""Board columns, left to right; the stand-up walks them right to left."""

CARD_FLAGS: tuple[TaskFlagKind, ...] = (
    TaskFlagKind.OVERDUE,
    TaskFlagKind.AT_RISK,
    TaskFlagKind.STALE,
)
"""The health domain's task flags a card shows at its top right (blocked has its own count)."""

SHOWN_FLAGS: tuple[TaskFlagKind, ...] = (*CARD_FLAGS, TaskFlagKind.BLOCKED)
"""The task flags the board shows: at a card's top right, and blocked too long."""


def last_standup_day(today: date) -> date:
    """The day of the previous stand-up: the working day before ``today`` (Monday-Friday).

    The board shows what was done since then, and a stand-up with none saved before counts
    "yesterday" from then. Monday's is the Friday before. Weekends are skipped, holidays are
    not: both views span several projects, each with its own holidays.
    """
    return WorkCalendar().add_working_days(today, -1)


@dataclass(frozen=True)
class TaskCard:
    """Everything one card on the board shows; equal cards draw identically.

    Only what is drawn is here (no version, no notes), so a change nobody can see on the
    board leaves the card equal and its column unpainted.
    """

    task_id: int
    status: Status
    title: str
    owner: str | None
    project: str | None
    priority: int
    due: date | None
    blocked_days: int | None = None
    """Working days since the task was blocked (blocked cards only)."""
    blocked_reason: str = ""
    flags: tuple[TaskFlagKind, ...] = ()
    """Flags from the health domain, in ``CARD_FLAGS`` order (``BLOCKED``: blocked too long)."""
    recurring: bool = False
    """The task has a repeat rule (finishing it makes the next occurrence)."""

    @property
    def ref(self) -> str:
        """``#42``."""
        return f"#{self.task_id}"

    def with_status(self, status: Status) -> TaskCard:
        """The same card moved to another column (shown at once, before the save lands)."""
        blocked = status is Status.BLOCKED
        return replace(self, status=status, blocked_days=0 if blocked else None,
                       blocked_reason=self.blocked_reason if blocked else "")  # fmt: skip


@dataclass(frozen=True)
class CardFilter:
    """Whose and which project's cards the board shows (``None``: no restriction)."""

    person: str | None = None
    """Only this person's cards."""
    project: str | None = None
    """Only this project's cards (by key)."""
    team: str | None = None
    """Only cards owned by this team's members (``members``)."""
    members: frozenset[str] = frozenset()

    def shows(self, card: TaskCard) -> bool:
        """True if ``card`` passes every restriction."""
        if self.person is not None and card.owner != self.person:
            return False
        if self.team is not None and card.owner not in self.members:
            return False
        return self.project is None or card.project == self.project


def board_flags(
    tasks: Iterable[Task], projects: dict[int, Project], today: date
) -> dict[int, tuple[TaskFlagKind, ...]]:
    """Each task's flags from the health domain (personal to-dos with the default thresholds)."""
    by_project: dict[int | None, list[Task]] = {}
    for task in tasks:
        key = task.project_id if task.project_id in projects else None
        by_project.setdefault(key, []).append(task)
    found: dict[int, set[TaskFlagKind]] = {}
    for project_id, group in by_project.items():
        if project_id is None:
            hours = Project.model_fields["hours_per_day"].default
            flags = [f for t in group
                     for f in task_flags(t, today, WorkCalendar(), RagThresholds(), hours)]  # fmt: skip
        else:
            flags = list(flag_tasks(group, today, projects[project_id]))
        for flag in flags:
            found.setdefault(flag.task_id, set()).add(flag.kind)
    return {task_id: tuple(k for k in SHOWN_FLAGS if k in kinds)
            for task_id, kinds in found.items()}  # fmt: skip


def build_cards(
    tasks: Iterable[Task],
    projects: dict[int, Project],
    flags: dict[int, tuple[TaskFlagKind, ...]],
    today: date,
) -> tuple[TaskCard, ...]:
    """Cards for tasks, with blocked working days counted on each project's calendar."""
    cards: list[TaskCard] = []
    calendars: dict[int | None, WorkCalendar] = {}
    for task in tasks:
        blocked_days = None
        since = task.blocked_since or task.updated_at  # as the health domain counts it
        if task.status is Status.BLOCKED and since is not None:
            calendar = calendars.get(task.project_id)
            if calendar is None:
                calendar = WorkCalendar.for_project(projects.get(task.project_id or 0))
                calendars[task.project_id] = calendar
            blocked_days = max(0, calendar.between(since.date(), today))
        cards.append(
            TaskCard(
                task_id=task.id,
                status=task.status,
                title=task.title,
                owner=task.assignee,
                project=task.project_key,
                priority=task.priority,
                due=task.due,
                blocked_days=blocked_days,
                blocked_reason=task.blocked_reason,
                flags=flags.get(task.id, ()),
                recurring=task.repeat is not None,
            )
        )
    return tuple(cards)


def board_cards(
    tasks: Iterable[Task], projects: dict[int, Project], today: date
) -> tuple[TaskCard, ...]:
    """The board's cards for ``tasks``: blocked days and the health domain's flags.

    The one rule for what a card shows, on the Board and in the stand-up's board walk.
    """
    tasks = tuple(tasks)
    return build_cards(tasks, projects, board_flags(tasks, projects, today), today)


def column_key(status: Status) -> Callable[[TaskCard], tuple[object, ...]]:
    """What a column sorts its cards by: longest blocked first, newest done first, else
    most urgent (priority, then due date)."""
    if status is Status.BLOCKED:
        return lambda c: (-(c.blocked_days or 0), c.priority, c.task_id)
    if status is Status.DONE:
        return lambda c: (-c.task_id,)
    return lambda c: (c.priority, c.due or date.max, c.task_id)


def column_order(status: Status, cards: Iterable[TaskCard]) -> tuple[TaskCard, ...]:
    """Cards in the order a column shows them (``column_key``)."""
    return tuple(sorted(cards, key=column_key(status)))


def place_card(column: Sequence[TaskCard], card: TaskCard) -> tuple[TaskCard, ...]:
    """``column`` (in column order, for ``card.status``) with ``card`` put in its place and
    any older version of it taken out: one card moved, without sorting the whole board."""
    key = column_key(card.status)
    rest = [c for c in column if c.task_id != card.task_id]
    at = bisect.bisect_left(rest, key(card), key=key)
    return (*rest[:at], card, *rest[at:])


def board_columns(
    cards: Iterable[TaskCard], shown: CardFilter
) -> dict[Status, tuple[TaskCard, ...]]:
    """The cards ``shown`` lets through, per column (every column present), in column order."""
    by_status: dict[Status, list[TaskCard]] = {status: [] for status in COLUMNS}
    for card in cards:
        if shown.shows(card):
            by_status[card.status].append(card)
    return {status: column_order(status, by_status[status]) for status in COLUMNS}
