"""Milestone slip, status and trend, and task flags, on small projects at fixed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.schedule import (
    MilestoneStatus,
    TaskFlagKind,
    TrendDirection,
    flag_condition,
    flag_tasks,
    forecast_as_of,
    milestone_health,
    remaining_hours,
)
from itpm_tui.models import ForecastChange, Milestone, Project, RagThresholds, Status, Task

MON = date(2026, 11, 23)
"""The as-of date of these tests: a Monday."""
THANKSGIVING = date(2026, 11, 26)
"""A holiday on this project's calendar (a Thursday)."""
PROJECT = Project(id=1, key="OPS", name="Ops", holidays=(THANKSGIVING,))
CAL = WorkCalendar.for_project(PROJECT)


def milestone(baseline: date, forecast: date | None = None, **extra: object) -> Milestone:
    return Milestone.model_validate(
        {"id": 7, "project_id": 1, "name": "Go-live", "baseline": baseline,
         "forecast": forecast or baseline, **extra}
    )  # fmt: skip


def task(task_id: int, **fields: object) -> Task:
    return Task.model_validate({"id": task_id, "project_id": 1, "title": f"T{task_id}", **fields})


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


# --- milestones ---------------------------------------------------------------------------


def test_milestone_on_baseline_with_work_that_fits_is_on_track() -> None:
    m = milestone(date(2026, 12, 2))
    work = [task(1, milestone_id=7, assignee="bob", remaining_hours=16, status="doing")]
    health = milestone_health(m, work, MON, PROJECT)
    assert health.status is MilestoneStatus.ON_TRACK
    assert health.slip == 0
    # Mon, Tue, Wed, Fri, Mon, Tue, Wed: Thanksgiving is not a working day.
    assert health.days_left == 7
    assert health.reasons == (
        "Forecast 02 Dec is on its baseline and the linked open work fits in the "
        "7 working days left.",
    )


def test_slip_is_counted_in_working_days_across_weekends_and_holidays() -> None:
    # Baseline Wednesday 25th, forecast Monday 30th: Thu is a holiday, Sat/Sun are weekend.
    health = milestone_health(milestone(date(2026, 11, 25), date(2026, 11, 30)), [], MON, PROJECT)
    assert health.slip == 2
    assert health.status is MilestoneStatus.AT_RISK
    assert "Forecast 30 Nov is 2 working days after its baseline 25 Nov." in health.reasons


def test_milestone_past_its_baseline_and_not_done_is_late_even_if_forecast_moved() -> None:
    health = milestone_health(milestone(date(2026, 11, 18), date(2026, 12, 1)), [], MON, PROJECT)
    assert health.status is MilestoneStatus.LATE
    assert health.past_baseline
    assert health.reasons[0] == (
        "Its baseline 18 Nov has passed (3 working days ago) and it is not done."
    )


@pytest.mark.parametrize(
    ("actual", "status", "slip", "reason"),
    [
        (date(2026, 11, 18), MilestoneStatus.DONE, 0, "Reached on 18 Nov, on its baseline."),
        (date(2026, 11, 17), MilestoneStatus.DONE, -1,
         "Reached on 17 Nov, 1 working day before its baseline."),
        (date(2026, 11, 20), MilestoneStatus.DONE_LATE, 2,
         "Reached on 20 Nov, 2 working days after its baseline 18 Nov."),
    ],
)  # fmt: skip
def test_done_milestones_are_judged_by_their_actual_date(
    actual: date, status: MilestoneStatus, slip: int, reason: str
) -> None:
    health = milestone_health(milestone(date(2026, 11, 18), actual=actual), [], MON, PROJECT)
    assert (health.status, health.slip, health.reasons) == (status, slip, (reason,))
    assert health.is_done


def test_an_actual_date_after_the_as_of_date_is_not_done_yet() -> None:
    m = milestone(date(2026, 11, 20), actual=date(2026, 11, 27))
    health = milestone_health(m, [], MON, PROJECT)
    assert health.actual is None
    assert health.status is MilestoneStatus.LATE


def test_work_that_does_not_fit_puts_a_milestone_at_risk_though_nobody_moved_it() -> None:
    # Forecast Wednesday: Mon, Tue, Wed left = 24 h each. Bob has 30 h, Alice 10 h.
    m = milestone(date(2026, 11, 25))
    work = [
        task(1, milestone_id=7, assignee="bob", remaining_hours=18, status="doing"),
        task(2, milestone_id=7, assignee="bob", estimate_hours=24, percent_complete=50),
        task(3, milestone_id=7, assignee="alice", remaining_hours=10),
        task(4, milestone_id=7, assignee="carol", remaining_hours=99, status="done"),
        task(5, milestone_id=8, assignee="bob", remaining_hours=99),
    ]
    health = milestone_health(m, work, MON, PROJECT)
    assert health.slip == 0
    assert health.status is MilestoneStatus.AT_RISK
    assert health.over_capacity
    assert [(load.assignee, load.remaining_hours, load.fits) for load in health.loads] == [
        ("alice", 10, True),
        ("bob", 30, False),
    ]
    assert health.open_task_ids == (1, 2, 3)
    assert health.reasons == (
        "bob has 30h of open work on it but only 24h (3 working days) before 25 Nov.",
    )


def test_unassigned_work_is_weighed_as_one_persons_time() -> None:
    m = milestone(date(2026, 11, 24))  # Mon and Tue left: 16 h
    work = [task(1, milestone_id=7, remaining_hours=12), task(2, milestone_id=7, remaining_hours=6)]
    health = milestone_health(m, work, MON, PROJECT)
    assert health.status is MilestoneStatus.AT_RISK
    assert (
        "Unassigned work has 18h of open work on it but only 16h (2 working days) "
        "before 24 Nov." in health.reasons
    )


def test_overdue_and_late_linked_tasks_put_a_milestone_at_risk() -> None:
    m = milestone(date(2026, 12, 4))
    work = [
        task(11, milestone_id=7, due=date(2026, 11, 20)),
        task(12, milestone_id=7, due=date(2026, 12, 8)),
        task(13, milestone_id=7, due=date(2026, 12, 1)),
    ]
    health = milestone_health(m, work, MON, PROJECT)
    assert health.status is MilestoneStatus.AT_RISK
    assert health.overdue_task_ids == (11,)
    assert health.late_task_ids == (12,)
    assert health.reasons == (
        "1 linked task is overdue: #11.",
        "1 linked task is due after the forecast 04 Dec: #12.",
        "3 linked open tasks have no estimate, so the workload check leaves them out: "
        "#11, #12, #13.",
    )


def test_a_forecast_date_that_passed_without_the_milestone_is_at_risk() -> None:
    # Pulled in ahead of a later baseline, then missed.
    m = milestone(date(2026, 11, 27), date(2026, 11, 20))
    health = milestone_health(m, [], MON, PROJECT)
    assert health.status is MilestoneStatus.AT_RISK
    # The forecast is stale: it cannot be reached before today (Mon 23), 3 working days
    # before the baseline (Mon, Tue, Wed: Thursday is the holiday), not the typed 4.
    assert health.slip == -3
    assert health.reasons == (
        "Its forecast 20 Nov has passed and it is not done: the forecast is stale. "
        "Counted from today it is 3 working days before its baseline 27 Nov until a new "
        "forecast is recorded.",
    )


def test_a_stale_forecast_past_the_baseline_counts_slip_up_to_today() -> None:
    # Baseline Mon 16 Nov, forecast Wed 18 Nov typed once, never updated; today Mon 30 Nov.
    m = milestone(date(2026, 11, 16), date(2026, 11, 18))
    today = date(2026, 11, 30)
    health = milestone_health(m, [], today, PROJECT)
    assert health.status is MilestoneStatus.LATE
    assert health.slip == 9  # 17..30 Nov in working days, less the Thursday 26 holiday
    assert health.trend.direction is TrendDirection.SLIPPING
    assert health.trend.reason.startswith("Stale: the forecast 18 Nov has passed")
    tomorrow = milestone_health(m, [], date(2026, 12, 1), PROJECT)
    assert tomorrow.slip == 10  # it grows each working day until a new forecast


def test_a_flag_count_says_when_the_flag_fires() -> None:
    thresholds = RagThresholds(blocked_days=2, stale_days=5, due_soon_days=3)
    assert flag_condition(TaskFlagKind.BLOCKED, thresholds) == "blocked over 2 working days"
    assert flag_condition(TaskFlagKind.STALE, thresholds) == "no update for 5 working days"
    assert flag_condition(TaskFlagKind.DUE_SOON, thresholds) == "due within 3 working days"


HISTORY = (
    ForecastChange(recorded_on=date(2026, 10, 1), forecast=date(2026, 12, 2)),
    ForecastChange(recorded_on=date(2026, 11, 2), forecast=date(2026, 12, 4)),
    ForecastChange(recorded_on=date(2026, 11, 16), forecast=date(2026, 12, 9)),
    ForecastChange(recorded_on=date(2026, 11, 30), forecast=date(2026, 12, 7)),
)


def test_trend_lists_every_recorded_forecast_with_its_slip() -> None:
    m = milestone(date(2026, 12, 2), date(2026, 12, 7), history=HISTORY)
    trend = milestone_health(m, [], date(2026, 12, 1), PROJECT).trend
    assert [(p.recorded_on, p.slip) for p in trend.points] == [
        (date(2026, 10, 1), 0),
        (date(2026, 11, 2), 2),
        (date(2026, 11, 16), 5),
        (date(2026, 11, 30), 3),
    ]
    assert trend.direction is TrendDirection.RECOVERING
    assert trend.reason == (
        "Recovering: on 30 Nov the forecast moved from 09 Dec to 07 Dec "
        "(-2 working days). Forecast moved 3 times; now 3 working days after its baseline."
    )


def test_trend_and_forecast_only_use_what_was_recorded_by_the_as_of_date() -> None:
    m = milestone(date(2026, 12, 2), date(2026, 12, 7), history=HISTORY)
    assert forecast_as_of(m, MON) == date(2026, 12, 9)
    health = milestone_health(m, [], MON, PROJECT)
    assert health.forecast == date(2026, 12, 9)
    assert health.slip == 5
    assert health.trend.direction is TrendDirection.SLIPPING
    assert health.trend.reason.startswith(
        "Slipping: on 16 Nov the forecast moved from 04 Dec to 09 Dec (+3 working days)."
    )
    # Before anything was recorded the baseline stands.
    assert forecast_as_of(m, date(2026, 9, 1)) == date(2026, 12, 2)


def test_of_two_forecasts_recorded_the_same_day_the_later_one_counts() -> None:
    history = (
        ForecastChange(recorded_on=date(2026, 11, 2), forecast=date(2026, 12, 2)),
        ForecastChange(recorded_on=date(2026, 11, 16), forecast=date(2026, 12, 9)),
        ForecastChange(recorded_on=date(2026, 11, 16), forecast=date(2026, 12, 4)),
    )
    m = milestone(date(2026, 12, 2), date(2026, 12, 4), history=history)
    assert forecast_as_of(m, MON) == date(2026, 12, 4)


def test_a_milestone_without_history_is_stable_at_its_current_forecast() -> None:
    m = milestone(date(2026, 12, 2), date(2026, 12, 3))
    health = milestone_health(m, [], MON, PROJECT)
    assert health.forecast == date(2026, 12, 3)
    assert health.trend.direction is TrendDirection.STABLE
    assert health.trend.points == ()


def test_re_recording_the_same_forecast_is_stable() -> None:
    history = (
        ForecastChange(recorded_on=date(2026, 11, 2), forecast=date(2026, 12, 2)),
        ForecastChange(recorded_on=date(2026, 11, 9), forecast=date(2026, 12, 4)),
        ForecastChange(recorded_on=date(2026, 11, 16), forecast=date(2026, 12, 4)),
    )
    m = milestone(date(2026, 12, 2), date(2026, 12, 4), history=history)
    assert milestone_health(m, [], MON, PROJECT).trend.direction is TrendDirection.STABLE


# --- tasks --------------------------------------------------------------------------------


def kinds(tasks: list[Task], as_of: date = MON) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for f in flag_tasks(tasks, as_of, PROJECT):
        result.setdefault(f.task_id, []).append(f"{f.kind.value}: {f.reason}")
    return result


def test_overdue_task_says_how_many_working_days_ago() -> None:
    assert kinds([task(1, due=date(2026, 11, 19))]) == {
        1: ["overdue: Due 19 Nov, 2 working days ago, and not done."]
    }


def test_a_reason_gives_the_year_of_a_date_only_when_it_is_not_the_as_of_year() -> None:
    new_year = date(2026, 12, 30)
    flagged = kinds([task(1, due=date(2027, 1, 4)), task(2, due=date(2025, 12, 31))], new_year)
    assert flagged == {
        1: ["due soon: Due in 3 working days (04 Jan 27)."],
        2: ["overdue: Due 31 Dec 25, 259 working days ago, and not done."],
    }
    health = milestone_health(milestone(date(2026, 12, 31), date(2027, 1, 8)), [], new_year,
                              PROJECT)  # fmt: skip
    assert "Forecast 08 Jan 27 is 6 working days after its baseline 31 Dec." in health.reasons


def test_due_soon_counts_working_days_and_skips_the_holiday() -> None:
    flagged = kinds([
        task(1, due=MON),
        task(2, due=date(2026, 11, 25)),
        task(3, due=date(2026, 11, 27)),  # Fri: Tue, Wed, (Thu holiday), Fri = 3
        task(4, due=date(2026, 11, 30)),  # 4 working days: not soon
    ])  # fmt: skip
    assert flagged == {
        1: ["due soon: Due today."],
        2: ["due soon: Due in 2 working days (25 Nov)."],
        3: ["due soon: Due in 3 working days (27 Nov)."],
    }


def test_remaining_work_that_does_not_fit_before_the_due_date_is_at_risk() -> None:
    flagged = kinds([
        task(1, due=date(2026, 12, 1), remaining_hours=50, status="doing", updated_at=at(MON)),
        task(2, due=date(2026, 12, 1), remaining_hours=40, updated_at=at(MON)),
    ])  # fmt: skip
    # Mon, Tue, Wed, Fri, Mon, Tue = 6 working days = 48 h.
    assert flagged == {
        1: ["at risk: 50h of work left but only 48h (6 working days) before it is due on "
            "01 Dec."]
    }  # fmt: skip


def test_a_task_due_today_with_more_than_a_days_work_is_due_soon_and_at_risk() -> None:
    assert [f.kind for f in flag_tasks([task(1, due=MON, remaining_hours=9)], MON, PROJECT)] == [
        TaskFlagKind.DUE_SOON,
        TaskFlagKind.AT_RISK,
    ]


def test_blocked_longer_than_the_threshold_is_flagged_with_its_reason() -> None:
    blocked = {"status": "blocked", "blocked_reason": "Vendor has not shipped the licence"}
    flagged = kinds([
        task(1, blocked_since=at(date(2026, 11, 18)), **blocked),  # Wed: 3 working days
        task(2, blocked_since=at(date(2026, 11, 19)), **blocked),  # Thu: 2, not more than 2
    ])  # fmt: skip
    assert flagged == {
        1: ["blocked: Blocked for 3 working days since 18 Nov: Vendor has not shipped the "
            "licence."]
    }  # fmt: skip


def test_in_progress_task_without_an_update_for_five_working_days_is_stale() -> None:
    flagged = kinds([
        task(1, status="doing", updated_at=at(date(2026, 11, 16))),
        task(2, status="review", updated_at=at(date(2026, 11, 16))),
        task(3, status="doing", updated_at=at(date(2026, 11, 17))),
        task(4, status="todo", updated_at=at(date(2026, 11, 2))),
    ])  # fmt: skip
    assert flagged == {
        1: ["stale: In progress with no update for 5 working days (last on 16 Nov)."],
        2: ["stale: In progress with no update for 5 working days (last on 16 Nov)."],
    }


def test_done_tasks_are_never_flagged() -> None:
    done = task(1, status="done", due=date(2026, 11, 2), updated_at=at(date(2026, 11, 2)))
    assert flag_tasks([done], MON, PROJECT) == ()


def test_thresholds_come_from_the_project() -> None:
    strict = PROJECT.model_copy(
        update={"thresholds": PROJECT.thresholds.model_copy(update={"stale_days": 1})}
    )
    flags = flag_tasks([task(1, status="doing", updated_at=at(date(2026, 11, 20)))], MON, strict)
    assert [f.kind for f in flags] == [TaskFlagKind.STALE]


def test_remaining_hours_prefers_the_remaining_estimate() -> None:
    assert remaining_hours(task(1, remaining_hours=3, estimate_hours=10)) == 3
    assert remaining_hours(task(1, estimate_hours=10, percent_complete=40)) == 6
    assert remaining_hours(task(1, estimate_hours=10, status=Status.DONE)) == 0
    assert remaining_hours(task(1)) is None
