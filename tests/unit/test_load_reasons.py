"""Load reasons: Health, the board and the stand-up say who is over capacity, in hours.

Worked by hand with the spreading rule of domain/workload.py (README, "Time and workload"):
TODAY is Monday 2026-11-23 (ISO week 48). Dana has two tasks due Friday 27 Nov: 40 h from
today and 32 h planned from the week before, so both load Monday to Friday only (5 days at
8 h = 40 h available): 72 h of work against 40 h is 180%. The ratings stay what they were:
a load reason follows the overall rating's own reasons and never decides it.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta

from itpm_tui.domain.health import project_health
from itpm_tui.domain.standup import MeetingScope
from itpm_tui.domain.workload import (
    PersonCalendar,
    WeekLoad,
    load_sentence,
    over_reasons,
    task_load_reason,
    week_summary,
    workload,
)
from itpm_tui.models import Person, Project, Task
from itpm_tui.reports import board_view, health_of, health_of_all, standup_view
from itpm_tui.store import Store
from tests.conftest import TODAY

FRIDAY = TODAY + timedelta(days=4)
NEXT_FRIDAY = FRIDAY + timedelta(days=7)


def _task(task_id: int, hours: float, due: date, start: date | None = None,
          who: str = "dana") -> Task:  # fmt: skip
    return Task(id=task_id, title=f"t{task_id}", assignee=who, remaining_hours=hours, due=due,
                planned_start=start)  # fmt: skip


DANA_180 = [_task(1, 40, FRIDAY), _task(2, 32, FRIDAY, start=TODAY - timedelta(days=9))]


def test_dana_at_180_percent_reads_as_hours_of_work_against_hours_available() -> None:
    week = workload(DANA_180, {}, TODAY, weeks=1).people[0].weeks[0]
    assert load_sentence("dana", week) == (
        "dana is at 180% in 2026-W48 (72 h of work, 40 h available)"
    )
    assert week_summary(week) == "72 h of work, 40 h available = 180% over"


def test_a_week_with_work_and_no_capacity_says_so() -> None:
    # Dana is off all week; a task overdue since Friday loads its 8 h on her first working
    # day from today, which is in the week after: none here.
    off = frozenset(TODAY + timedelta(days=n) for n in range(5))
    cal = PersonCalendar("dana", days_off=off)
    load = workload([_task(1, 8, TODAY - timedelta(days=3))], {"dana": cal}, TODAY, weeks=2)
    assert [(w.load, w.capacity) for w in load.people[0].weeks] == [(0.0, 0.0), (8.0, 40.0)]
    assert load_sentence("dana", WeekLoad(TODAY, 8.0, 0.0)) == (
        "dana has 8 h of work in 2026-W48 and no hours available"
    )


def test_over_reasons_name_the_first_week_over_and_count_the_rest() -> None:
    # 96 h over two weeks (10 working days): 48 h a week = 120% in both; bob is at 25%.
    tasks = [_task(1, 96, NEXT_FRIDAY), _task(2, 10, FRIDAY, who="bob")]
    load = workload(tasks, {}, TODAY, weeks=3)
    assert over_reasons(load) == (
        "dana is at 120% in 2026-W48 (48 h of work, 40 h available); 1 more week over",
    )
    assert over_reasons(load, {"bob"}) == ()


def test_a_task_gets_its_owners_reason_only_for_weeks_it_has_hours_in() -> None:
    later = _task(3, 4, NEXT_FRIDAY, start=NEXT_FRIDAY)
    load = workload([*DANA_180, later], {}, TODAY, weeks=2)
    person, cal = load.people[0], PersonCalendar("dana")
    assert task_load_reason(DANA_180[0], person, cal, TODAY) == (
        "dana is at 180% in 2026-W48 (72 h of work, 40 h available)"
    )
    # Week 49 holds 4 h of 40: dana is not over when that task is done.
    assert task_load_reason(later, person, cal, TODAY) is None


def _project_with_dana(store: Store) -> Project:
    store.people.save(Person(login="dana"))
    store.people.save(Person(login="bob"))
    net = store.projects.add(Project(key="NET", name="Network"))
    for task in DANA_180:
        store.tasks.add(task.model_copy(update={"id": 0, "project_id": net.id}))
    # Bob is over too, but on a personal to-do only: not one of NET's people.
    store.tasks.add(Task(title="move house", assignee="bob", remaining_hours=60, due=FRIDAY))
    return net


def test_health_names_the_projects_people_over_capacity_and_keeps_its_rating(
    store: Store,
) -> None:
    net = _project_with_dana(store)
    health = health_of(store, net, TODAY)
    sentence = "dana is at 180% in 2026-W48 (72 h of work, 40 h available)"
    assert sentence in health.overall.reasons
    assert not any(r.startswith("bob ") for r in health.overall.reasons)
    plain = project_health(net, store.tasks.find(), [], [], TODAY)
    assert health.overall.rag is plain.overall.rag
    assert health.overall.reasons == (*plain.overall.reasons, sentence)
    assert [h.overall.reasons for h in health_of_all(store, TODAY)] == [health.overall.reasons]


def test_a_past_days_health_has_no_load_reasons(store: Store) -> None:
    net = _project_with_dana(store)
    past = health_of(store, net, TODAY - timedelta(days=1))
    assert not any("h available" in r for r in past.overall.reasons)


def test_the_boards_card_says_its_owner_is_over_and_the_standup_says_this_weeks_load(
    store: Store,
) -> None:
    _project_with_dana(store)
    board = board_view(store, TODAY)
    first = board.task(board.cards[0].task_id)
    assert first is not None
    assert board.load_reason(first) == (
        "dana is at 180% in 2026-W48 (72 h of work, 40 h available)"
    )
    # Bob's personal to-do counts in his load: 60 h of 40.
    standup = standup_view(store, TODAY, UTC, MeetingScope("project", "NET", 1, "Network"),
                           speakers=("bob",))  # fmt: skip
    assert {login: week_summary(w) for login, w in standup.loads.items()} == {
        "dana": "72 h of work, 40 h available = 180% over",
        "bob": "60 h of work, 40 h available = 150% over",
    }
