"""Board rules: the last stand-up day, cards and their blocked days, column order, filters.

Source: the app's own rules as the README states them (Keys, "Stand-up board": done since the
last stand-up, blocked cards say for how many working days; Stand-up, ``w``) and the
docstrings of ``itpm_tui/domain/board.py``. Working days are ``WorkCalendar``'s (ISO weekdays
minus holidays). 2026-11-23 is a Monday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.board import (
    COLUMNS,
    CardFilter,
    TaskCard,
    board_columns,
    build_cards,
    column_order,
    last_standup_day,
    place_card,
)
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.models import Project, Status, Task

MON = date(2026, 11, 23)
NET = Project(id=1, key="NET", name="Network")


def task(task_id: int, **fields: object) -> Task:
    return Task.model_validate(
        {"id": task_id, "project_id": 1, "project_key": "NET", "title": f"T{task_id}", **fields}
    )


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def card(task_id: int, **fields: object) -> TaskCard:
    values: dict[str, object] = {
        "task_id": task_id, "status": Status.TODO, "title": f"T{task_id}", "owner": "alice",
        "project": "NET", "priority": 3, "due": None,
    }  # fmt: skip
    return TaskCard(**(values | fields))  # type: ignore[arg-type]


def ids(cards: tuple[TaskCard, ...]) -> list[int]:
    return [c.task_id for c in cards]


# --- the last stand-up day ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 20)),  # Monday: the Friday before the weekend
        (date(2026, 11, 24), date(2026, 11, 23)),  # Tuesday: Monday
        (date(2026, 11, 27), date(2026, 11, 26)),  # Friday: Thursday
        (date(2026, 11, 28), date(2026, 11, 27)),  # Saturday: Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # Sunday: Friday
        (date(2026, 1, 1), date(2025, 12, 31)),  # across the year
    ],
)
def test_the_last_standup_was_on_the_previous_working_day(today: date, expected: date) -> None:
    assert last_standup_day(today) == expected


# --- cards ----------------------------------------------------------------------------------


def test_blocked_cards_count_working_days_since_blocked_on_their_projects_calendar() -> None:
    wed = date(2026, 11, 18)
    friday_off = Project(id=2, key="APP", name="App", holidays=(date(2026, 11, 20),))
    four_day_week = Project(id=3, key="CLOUD", name="Cloud", workdays=(1, 2, 3, 4))
    tasks = [
        task(1, status="blocked", blocked_since=at(wed)),  # Thu, Fri, Mon
        task(2, status="blocked", blocked_since=at(wed), project_id=2, project_key="APP"),
        task(3, status="blocked", blocked_since=at(wed), project_id=3, project_key="CLOUD"),
        task(4, status="blocked", blocked_since=at(wed), project_id=None, project_key=None),
        task(5, status="blocked", updated_at=at(date(2026, 11, 19))),  # no blocked_since
        task(6, status="blocked", blocked_since=at(MON, 8)),  # blocked this morning
        task(7, status="blocked", blocked_since=at(date(2026, 11, 25))),  # clock skew: ahead
        task(8, status="doing", blocked_since=at(wed)),  # unblocked since: no count
        task(9, status="blocked"),  # nothing says since when
    ]
    projects = {p.id: p for p in (NET, friday_off, four_day_week)}
    cards = build_cards(tasks, projects, {}, MON)
    assert [(c.task_id, c.blocked_days) for c in cards] == [
        (1, 3), (2, 2), (3, 2), (4, 3), (5, 2), (6, 0), (7, 0), (8, None), (9, None),
    ]  # fmt: skip


def test_a_card_shows_the_tasks_fields_and_its_flags() -> None:
    source = task(42, status="blocked", title="Order fibre", assignee="bob", priority=1,
                  due=date(2026, 11, 30), blocked_reason="carrier", blocked_since=at(MON))  # fmt: skip
    flags: dict[int, tuple[TaskFlagKind, ...]] = {
        42: (TaskFlagKind.OVERDUE,), 43: (TaskFlagKind.STALE,),
    }  # fmt: skip
    (made,) = build_cards([source], {1: NET}, flags, MON)
    assert made == TaskCard(
        task_id=42, status=Status.BLOCKED, title="Order fibre", owner="bob", project="NET",
        priority=1, due=date(2026, 11, 30), blocked_days=0, blocked_reason="carrier",
        flags=(TaskFlagKind.OVERDUE,),
    )  # fmt: skip
    assert made.ref == "#42"


def test_a_moved_card_keeps_its_reason_only_when_blocked() -> None:
    blocked = card(4, status=Status.BLOCKED, blocked_days=4, blocked_reason="vendor")
    assert blocked.with_status(Status.REVIEW) == card(4, status=Status.REVIEW)
    assert blocked.with_status(Status.BLOCKED) == card(
        4, status=Status.BLOCKED, blocked_days=0, blocked_reason="vendor"
    )


# --- column order ---------------------------------------------------------------------------


def test_open_columns_put_higher_priority_then_earlier_due_then_lower_id_first() -> None:
    cards = [
        card(5, priority=2, due=date(2026, 11, 24)),
        card(1, priority=2),  # no due date: after every dated card of its priority
        card(3, priority=2, due=date(2026, 11, 24)),  # ties with #5: lower id first
        card(9, priority=1, due=date(2026, 12, 30)),
        card(7, priority=2, due=date(2026, 11, 23)),
        card(2, priority=4, due=date(2026, 11, 1)),
    ]
    for status in (Status.TODO, Status.DOING, Status.REVIEW):
        assert ids(column_order(status, cards)) == [9, 7, 3, 5, 1, 2]


def test_blocked_column_puts_the_longest_blocked_first_then_priority_then_id() -> None:
    cards = [
        card(4, blocked_days=3, priority=2),
        card(8, blocked_days=3, priority=1),
        card(2, blocked_days=5, priority=4),
        card(1, blocked_days=None, priority=1),  # unknown: as 0 days
        card(6, blocked_days=3, priority=1),
        card(3, blocked_days=0, priority=2),
    ]
    assert ids(column_order(Status.BLOCKED, cards)) == [2, 6, 8, 4, 1, 3]


def test_done_column_puts_the_newest_task_first() -> None:
    cards = [card(3, priority=1), card(10, priority=4), card(7, priority=2)]
    assert ids(column_order(Status.DONE, cards)) == [10, 7, 3]


def test_board_columns_filter_by_person_and_project_and_keep_every_column() -> None:
    cards = [
        card(1, status=Status.DOING, owner="alice", project="NET"),
        card(2, status=Status.DOING, owner="bob", project="NET", priority=1),
        card(3, status=Status.DONE, owner="alice", project="APP"),
        card(4, status=Status.TODO, owner=None, project="NET"),
        card(5, status=Status.DONE, owner="alice", project="NET"),
    ]
    everything = board_columns(cards, CardFilter())
    assert list(everything) == list(COLUMNS)
    assert {s: ids(c) for s, c in everything.items()} == {
        Status.TODO: [4], Status.DOING: [2, 1], Status.BLOCKED: [], Status.REVIEW: [],
        Status.DONE: [5, 3],
    }  # fmt: skip
    alice = board_columns(cards, CardFilter(person="alice"))
    assert [ids(alice[s]) for s in COLUMNS] == [[], [1], [], [], [5, 3]]
    alice_net = board_columns(cards, CardFilter(person="alice", project="NET"))
    assert [ids(alice_net[s]) for s in COLUMNS] == [[], [1], [], [], [5]]
    nobody = board_columns(cards, CardFilter(person="zoe"))
    assert all(c == () for c in nobody.values())


# --- filter cycling -------------------------------------------------------------------------


_cards = st.lists(
    st.builds(
        card,
        st.integers(1, 60),
        status=st.sampled_from(COLUMNS),
        priority=st.integers(1, 4),
        due=st.none() | st.dates(date(2026, 11, 1), date(2026, 12, 31)),
        blocked_days=st.none() | st.integers(0, 30),
    ),
    max_size=25,
    unique_by=lambda c: c.task_id,
)


@given(_cards, st.integers(0, 24), st.sampled_from(COLUMNS))
def test_a_moved_card_takes_the_place_a_full_sort_would_give_it(
    cards: list[TaskCard], pick: int, target: Status
) -> None:
    """The board moves a card by placing it in its new column alone (``place_card``); the
    reload sorts every column (``board_columns``): both must show the same order."""
    if not cards:
        return
    moved = cards[pick % len(cards)].with_status(target)
    after = [moved if c.task_id == moved.task_id else c for c in cards]
    before = board_columns(cards, CardFilter())
    placed = place_card(before[target], moved)
    assert placed == board_columns(after, CardFilter())[target]
