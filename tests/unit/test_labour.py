"""Labour cost from worklogs: worked examples, rates in force, AC in earned value and health.

Source for AC as the cost actually incurred for the work, labour (hours x rate) included:
PMI, *Practice Standard for Earned Value Management*, 2nd ed. (2011), on actual cost; the
worked examples (10 h at 50 + 2 h overtime at 55 = 610) are issue 12's, checked exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.evm import earned_value
from itpm_tui.domain.labour import LoggedTime, labour_cost
from itpm_tui.errors import InvalidInput, NotFound, StaleWrite, TaskNotFound
from itpm_tui.models import CostEntry, Person, PersonRate, Project, Status, Task, Worklog
from itpm_tui.reports import health_of
from itpm_tui.store import Store
from itpm_tui.store.transfer import export_text, import_json, parse_export, row_counts
from tests.conftest import TODAY

MONDAY = date(2026, 11, 16)


def _rate(rate: str, since: date = date(2026, 1, 1), overtime: str | None = None,
          person: str = "dana", currency: str = "EUR") -> PersonRate:  # fmt: skip
    return PersonRate(person=person, effective_from=since, rate=Decimal(rate),
                      overtime_rate=None if overtime is None else Decimal(overtime),
                      currency=currency)  # fmt: skip


def test_ten_hours_at_50_plus_two_overtime_at_55_is_610() -> None:
    cost = labour_cost([LoggedTime("dana", MONDAY, 600, 120)], [_rate("50", overtime="55")])
    assert cost.total == Decimal("610.00")


def test_overtime_without_its_own_rate_costs_the_standard_rate() -> None:
    cost = labour_cost([LoggedTime("dana", MONDAY, 600, 120)], [_rate("50")])
    assert cost.total == Decimal("600.00")


def test_a_rate_change_mid_week_splits_the_cost_at_its_date() -> None:
    week = [LoggedTime("dana", MONDAY + timedelta(days=d), 480) for d in range(5)]
    rates = [_rate("50"), _rate("60", since=MONDAY + timedelta(days=2))]
    cost = labour_cost(week, rates)
    # Mon, Tue 16 h x 50 = 800; Wed, Thu, Fri 24 h x 60 = 1440.
    assert cost.total == Decimal("2240.00")
    assert cost.money_up_to(MONDAY + timedelta(days=1)) == Decimal("800.00")


def test_minutes_at_odd_rates_are_exact_and_rounded_once() -> None:
    # 20 minutes at 10.01 costs 3.3366...; three of them cost exactly 10.01, not 3 x 3.34.
    logged = [LoggedTime("dana", MONDAY + timedelta(days=d), 20) for d in range(3)]
    assert labour_cost(logged, [_rate("10.01")]).total == Decimal("10.01")


def test_time_without_a_rate_or_in_another_currency_is_counted_apart() -> None:
    logged = [LoggedTime("dana", date(2025, 12, 31), 60), LoggedTime("eve", MONDAY, 90),
              LoggedTime("dana", MONDAY, 30)]  # fmt: skip
    cost = labour_cost(logged, [_rate("40"), _rate("70", person="eve", currency="USD")])
    assert cost.total == Decimal("20.00")
    assert (cost.unpriced_up_to(MONDAY), cost.foreign_up_to(MONDAY)) == (60, 90)


def _project() -> Project:
    return Project(id=1, key="NET", name="Net", bac=Decimal(10000), start=date(2026, 11, 2))


def test_ac_is_labour_up_to_the_as_of_day_plus_cost_entries() -> None:
    project = _project()
    labour = labour_cost([LoggedTime("dana", MONDAY, 600, 120),
                          LoggedTime("dana", MONDAY + timedelta(days=1), 60)],
                         [_rate("50", overtime="55")])  # fmt: skip
    costs = [CostEntry(project_id=1, spent_on=MONDAY, amount=Decimal("100.50"))]
    ev = earned_value(project, [], costs, MONDAY, labour=labour)
    assert (ev.ac, ev.labour_cost, ev.other_cost) == (
        Decimal("710.50"), Decimal("610.00"), Decimal("100.50"))  # fmt: skip
    later = earned_value(project, [], costs, MONDAY + timedelta(days=1), labour=labour)
    assert later.ac == Decimal("760.50")
    assert earned_value(project, [], costs, MONDAY).ac == Decimal("100.50")


# --- the store --------------------------------------------------------------------------


@pytest.fixture
def team(store: Store) -> Store:
    """A project NET with task #1 (10 h remaining), people dana and eve, dana's rates."""
    store.people.save(Person(login="dana", team="ops"))
    store.people.save(Person(login="eve", team="ops"))
    project = store.projects.add(_project().model_copy(update={"id": 0}))
    store.tasks.add(Task(title="cut over", project_id=project.id, estimate_hours=10,
                         remaining_hours=10, assignee="dana"))  # fmt: skip
    store.worklogs.set_rate(_rate("50", overtime="55"))
    return store


def _log(minutes: int, day: date = MONDAY, overtime: int = 0, person: str = "dana",
         task_id: int = 1) -> Worklog:  # fmt: skip
    return Worklog(person=person, task_id=task_id, day=day, minutes=minutes,
                   overtime_minutes=overtime)  # fmt: skip


def test_health_counts_worklogs_only_up_to_the_as_of_day(team: Store) -> None:
    team.worklogs.log(_log(600, overtime=120))
    team.worklogs.log(_log(60, day=MONDAY + timedelta(days=2)))
    project = team.projects.by_key("NET")
    assert health_of(team, project, MONDAY).evm.ac == Decimal("610.00")
    assert health_of(team, project, MONDAY + timedelta(days=1)).evm.ac == Decimal("610.00")
    now = health_of(team, project, TODAY).evm
    assert (now.ac, now.labour_cost) == (Decimal("660.00"), Decimal("660.00"))


def test_a_log_is_audited_and_leaves_remaining_hours_alone(team: Store) -> None:
    logged = team.worklogs.log(_log(90))
    assert logged.remaining_hours is None
    assert team.tasks.get(1).remaining_hours == 10
    events = team.audit.find(entity="worklog", entity_id=logged.worklog.id)
    assert [(e.field, e.new, e.who) for e in events] == [("minutes", "90", "pm")]


def test_reduce_remaining_takes_the_time_off_the_task(team: Store) -> None:
    assert team.worklogs.log(_log(90), reduce_remaining=True).remaining_hours == 8.5
    assert team.tasks.get(1).remaining_hours == 8.5
    assert team.worklogs.log(_log(600), reduce_remaining=True).remaining_hours == 0


@pytest.mark.parametrize(
    ("worklog", "error", "message"),
    [
        (_log(60, day=TODAY + timedelta(days=1)), InvalidInput, "in the future"),
        (_log(60, person="zoe"), NotFound, "no person 'zoe'"),
        (_log(60, task_id=99), TaskNotFound, "no task #99"),
        (_log(0), InvalidInput, "no time given"),
    ],
)
def test_bad_worklogs_are_refused_and_nothing_is_written(
    team: Store, worklog: Worklog, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        team.worklogs.log(worklog)
    assert team.worklogs.find() == []


def test_more_than_24_hours_in_a_day_counts_what_is_already_logged(team: Store) -> None:
    team.worklogs.log(_log(20 * 60))
    with pytest.raises(InvalidInput, match=r"dana would have 25 h on 2026-11-16 \(20 h already"):
        team.worklogs.log(_log(4 * 60, overtime=60))
    assert len(team.worklogs.find()) == 1
    team.worklogs.log(_log(4 * 60))  # exactly 24 h is allowed
    team.worklogs.log(_log(60, person="eve"))  # someone else's day is their own


def test_time_on_a_done_task_is_logged_with_a_warning(team: Store) -> None:
    team.tasks.update(1, {"status": Status.DONE})
    logged = team.worklogs.log(_log(30))
    assert logged.warnings == ("#1 is done; the time was logged anyway",)
    assert len(team.worklogs.find()) == 1


def test_editing_a_worklog_someone_changed_is_refused(team: Store) -> None:
    first = team.worklogs.log(_log(60)).worklog
    team.worklogs.update(first.id, {"minutes": 90}, expected_version=1)
    with pytest.raises(StaleWrite, match="minutes"):
        team.worklogs.update(first.id, {"minutes": 120}, expected_version=1)
    assert team.worklogs.find()[0].minutes == 90


def test_export_import_carries_worklogs_rates_capacity_and_leave_exactly(
    team: Store, tmp_path: Path
) -> None:
    from itpm_tui.models import Leave, PersonCapacity

    team.worklogs.log(_log(90, overtime=15))
    team.worklogs.set_capacity(PersonCapacity(person="dana", hours_per_day=6, workdays=(1, 2, 3)))
    team.worklogs.add_leave(Leave(person="dana", first_day=MONDAY, last_day=MONDAY))
    text = export_text(team.db)
    copy = Store(tmp_path / "copy.db", user="pm", clock=FixedClock(TODAY))
    import_json(copy.db, parse_export(text))
    with copy.db.read() as conn:
        counts = row_counts(conn)
    assert {t: counts[t] for t in ("worklogs", "person_rates", "person_capacity",
                                   "person_leave")} == dict.fromkeys(
        ("worklogs", "person_rates", "person_capacity", "person_leave"), 1)  # fmt: skip
    assert export_text(copy.db) == text
    assert copy.worklogs.capacities() == team.worklogs.capacities()
    copy.close()


def test_labour_by_task_prices_each_tasks_time_up_to_the_as_of_day(team: Store) -> None:
    other = team.tasks.add(Task(title="document", project_id=1, assignee="eve"))
    team.worklogs.set_rate(_rate("80", person="eve"))
    team.worklogs.log(_log(600, overtime=120))  # 610 on #1
    team.worklogs.log(_log(30, person="eve", task_id=other.id))  # 40 on the other
    team.worklogs.log(_log(60, day=MONDAY + timedelta(days=2)))  # after the as-of day
    by_task = team.worklogs.labour_by_task(1, MONDAY, team.worklogs.rates())
    assert by_task == {1: Decimal("610.00"), other.id: Decimal("40.00")}
    assert sum(by_task.values()) == health_of(team, team.projects.get(1), MONDAY).evm.ac
