"""Today's list: my open tasks grouped by what needs attention first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from itpm_tui.models import Status, Task


class Group(StrEnum):
    """The sections of Today's list, most urgent first."""

    OVERDUE = "overdue"
    DUE_TODAY = "due today"
    IN_PROGRESS = "in progress"
    WAITING = "blocked / waiting"
    NEXT_UP = "next up"


@dataclass(frozen=True)
class TodayList:
    """Tasks in their groups; every open task of mine appears exactly once."""

    groups: tuple[tuple[Group, tuple[Task, ...]], ...]
    snoozed: int
    """How many tasks are hidden because they are snoozed past today."""

    def count(self, group: Group) -> int:
        """How many tasks are in ``group``."""
        return next((len(tasks) for g, tasks in self.groups if g is group), 0)

    @property
    def tasks(self) -> tuple[Task, ...]:
        """All tasks in display order."""
        return tuple(t for _, tasks in self.groups for t in tasks)


def is_mine(task: Task, me: str) -> bool:
    """Assigned to me, or a personal to-do nobody owns."""
    return task.assignee == me or (task.project_id is None and task.assignee is None)


def group_of(task: Task, today: date) -> Group:
    """Which section an open task belongs in."""
    if task.due is not None and task.due < today:
        return Group.OVERDUE
    if task.due == today:
        return Group.DUE_TODAY
    if task.status is Status.BLOCKED or task.waiting_on:
        return Group.WAITING
    if task.status in (Status.DOING, Status.REVIEW):
        return Group.IN_PROGRESS
    return Group.NEXT_UP


def _rank(task: Task) -> tuple[int, date, int]:
    return (task.priority, task.due or date.max, task.id)


def today_list(tasks: Iterable[Task], me: str, today: date) -> TodayList:
    """Group my open, un-snoozed tasks; within a group: priority, then due date, then id."""
    buckets: dict[Group, list[Task]] = {g: [] for g in Group}
    snoozed = 0
    for task in tasks:
        if not task.is_open or not is_mine(task, me):
            continue
        if task.snoozed_until is not None and task.snoozed_until > today:
            snoozed += 1
            continue
        buckets[group_of(task, today)].append(task)
    return TodayList(
        groups=tuple((g, tuple(sorted(buckets[g], key=_rank))) for g in Group),
        snoozed=snoozed,
    )
