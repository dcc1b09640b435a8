"""The schedule network on tasks and milestones: working days, remaining work, milestones, what-if.

The week of Monday 23 Nov 2026 has a holiday on Thursday 26th (Thanksgiving) in this project.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from itpm_tui.domain.network import Network, NetworkCycle, build_network, find_cycle
from itpm_tui.errors import InvalidInput
from itpm_tui.models import LinkType, Milestone, Project, RagThresholds, Task, TaskLink

MON = date(2026, 11, 23)
THANKSGIVING = date(2026, 11, 26)
PROJECT = Project(id=1, key="OPS", name="Ops", holidays=(THANKSGIVING,))


def task(task_id: int, **fields: object) -> Task:
    return Task.model_validate({"id": task_id, "project_id": 1, "title": f"T{task_id}", **fields})


def milestone(baseline: date, **extra: object) -> Milestone:
    return Milestone.model_validate({"id": 7, "project_id": 1, "name": "Cut-over",
                                     "baseline": baseline, "forecast": baseline, **extra})  # fmt: skip


def fs(pred: int, succ: int, **extra: object) -> TaskLink:
    return TaskLink.model_validate({"pred_id": pred, "succ_id": succ, **extra})


TASKS = [
    task(1, status="doing", remaining_hours=16, milestone_id=7),  # 2 wd: Mon, Tue
    task(2, estimate_hours=12, milestone_id=7),  # 1.5 h-days -> 2 wd: Wed, Fri
    task(3, remaining_hours=8, milestone_id=7),  # 1 wd, in parallel
]


def network(baseline: date = date(2026, 11, 27), *, constrain: bool = True) -> Network:
    return build_network(
        TASKS, [fs(1, 2)], [milestone(baseline)], [PROJECT], MON, constrain=constrain
    )


def test_remaining_hours_round_up_to_working_days_and_skip_the_holiday() -> None:
    result = network().schedule()
    one, two, three = result.tasks[1], result.tasks[2], result.tasks[3]
    assert (one.early_start, one.early_finish, one.duration) == (MON, date(2026, 11, 24), 2)
    assert (two.early_start, two.early_finish, two.duration) == (date(2026, 11, 25),
                                                                 date(2026, 11, 27), 2)  # fmt: skip
    assert (three.early_start, three.early_finish) == (MON, MON)
    assert one.critical and two.critical and not three.critical
    assert three.total_float == 3 and three.late_start == date(2026, 11, 27)
    assert result.critical_ids == (1, 2)
    assert result.project_finish[1] == date(2026, 11, 27)


def test_milestone_forecast_comes_from_its_upstream_network() -> None:
    forecast = network().schedule().milestones[7]
    assert forecast.forecast == date(2026, 11, 27)
    assert forecast.slack == 0
    assert forecast.upstream == (1, 2, 3)
    assert dict(forecast.float_to) == {1: 0, 2: 0, 3: 3}


def test_a_baseline_that_cannot_be_met_gives_negative_float() -> None:
    # Baseline Wed 25th, forecast Fri 27th: one working day late (Thursday is a holiday).
    result = network(baseline=date(2026, 11, 25)).schedule()
    assert result.milestones[7].slack == -1
    assert result.tasks[1].total_float == -1
    assert result.tasks[2].total_float == -1
    assert result.tasks[3].total_float == 2  # Mon..Wed: 3 wd of room, minus the 1 it needs
    unconstrained = network(baseline=date(2026, 11, 25), constrain=False).schedule()
    assert unconstrained.tasks[1].total_float == 0


def test_a_slip_within_float_moves_nothing_and_beyond_it_moves_by_slip_minus_float() -> None:
    net = network()
    assert net.what_if({3: 3}).moves == ()
    moved = net.what_if({3: 5}).moves
    assert [(m.what, m.name, m.working_days, m.after) for m in moved] == [
        ("milestone", "Cut-over", 2, date(2026, 12, 1)),  # Fri + 2 wd = Tue 1 Dec
        ("project", "OPS", 2, date(2026, 12, 1)),
    ]
    critical = net.what_if({1: 1}).moves
    assert [m.working_days for m in critical] == [1, 1]


def test_what_if_refuses_done_and_unknown_tasks() -> None:
    net = build_network([*TASKS, task(4, status="done", done_at=datetime(2026, 11, 20, tzinfo=UTC))],
                        [], [], [PROJECT], MON)  # fmt: skip
    with pytest.raises(InvalidInput, match="#4 is done"):
        net.what_if({4: 1})
    with pytest.raises(InvalidInput, match="no task #99"):
        net.what_if({99: 1})


def test_a_done_predecessor_is_fixed_at_its_actual_dates() -> None:
    done = task(5, status="done", planned_start=date(2026, 11, 16),
                done_at=datetime(2026, 11, 19, 15, tzinfo=UTC))  # fmt: skip
    later = task(6, remaining_hours=8)
    links = [fs(5, 6, lag=3)]  # Thu + 3 wd after its finish: starts Tue 24 ... not before today
    result = build_network([done, later], links, [], [PROJECT], MON).schedule()
    assert result.tasks[5].done and result.tasks[5].total_float is None
    assert (result.tasks[5].early_start, result.tasks[5].early_finish) == (
        date(2026, 11, 16), date(2026, 11, 19))  # fmt: skip
    # Finished Thu 19th: the boundary is Fri 20th; + 3 wd = Wed 25th.
    assert result.tasks[6].early_start == date(2026, 11, 25)


def test_planned_dates_give_the_duration_when_there_are_no_hours() -> None:
    planned = task(8, planned_start=date(2026, 11, 30), planned_finish=date(2026, 12, 2))
    result = build_network([planned], [], [], [PROJECT], MON).schedule()
    assert (result.tasks[8].early_start, result.tasks[8].early_finish) == (
        date(2026, 11, 30), date(2026, 12, 2))  # fmt: skip


def test_near_critical_uses_the_project_threshold() -> None:
    strict = PROJECT.model_copy(update={"thresholds": RagThresholds(near_critical_days=3)})
    default = network().schedule().tasks[3]
    wider = build_network(TASKS, [fs(1, 2)], [milestone(date(2026, 11, 27))], [strict],
                          MON).schedule().tasks[3]  # fmt: skip
    assert default.total_float == 3
    assert not default.near_critical and wider.near_critical


def test_start_to_start_link_with_a_lead_across_the_holiday() -> None:
    a = task(1, remaining_hours=24)  # Mon, Tue, Wed
    b = task(2, remaining_hours=8)
    links = [TaskLink(pred_id=1, succ_id=2, kind=LinkType.SS, lag=3)]
    result = build_network([a, b], links, [], [PROJECT], MON).schedule()
    assert result.tasks[2].early_start == date(2026, 11, 27)  # Mon + 3 wd skips Thursday


def test_find_cycle_names_the_loop() -> None:
    assert find_cycle([(12, 15), (15, 12)]) == (12, 15, 12)
    assert find_cycle([(1, 2), (2, 3)]) is None
    with pytest.raises(NetworkCycle):
        build_network(TASKS, [fs(1, 2), fs(2, 1)], [], [PROJECT], MON).schedule()


def test_late_tasks_explain_which_milestone_they_move_and_by_how_much() -> None:
    # #1 was planned to finish Mon 23rd but has 2 wd left (Tue): 1 wd late, and on the
    # milestone's critical chain, so the milestone moves +1 wd. #3 is 3 wd late (planned
    # for Wed 18th, finishes Mon 23rd) but has 3 wd of float to it: no reason.
    tasks = [
        TASKS[0].model_copy(update={"planned_finish": MON}),
        TASKS[1],
        TASKS[2].model_copy(update={"planned_finish": date(2026, 11, 18)}),
    ]
    net = build_network(tasks, [fs(1, 2)], [milestone(date(2026, 11, 27))], [PROJECT], MON)
    assert [r.text for r in net.late_reasons()] == [
        "#1 is 1 wd late with 0 wd float: milestone Cut-over moves +1 wd (forecast 27 Nov)",
    ]


def test_lateness_inherited_from_predecessors_is_not_called_float() -> None:
    # #2 (2 wd) waits for #1 (2 wd, Mon-Tue): it finishes Fri 27th (Thu is a holiday),
    # planned for Mon 23rd: 3 wd late (Tue, Wed, Fri), 1 of them waiting for #1, which is
    # itself 1 wd late. Without #2's own 2 wd the milestone would be 2 wd earlier.
    tasks = [
        TASKS[0].model_copy(update={"planned_finish": MON}),
        TASKS[1].model_copy(update={"planned_finish": MON}),
    ]
    net = build_network(tasks, [fs(1, 2)], [milestone(date(2026, 11, 27))], [PROJECT], MON)
    assert [r.text for r in net.late_reasons()] == [
        "#2 is 3 wd late (1 wd of it waiting for its predecessors) with 0 wd float: "
        "milestone Cut-over moves +2 wd (forecast 27 Nov)",
        "#1 is 1 wd late with 0 wd float: milestone Cut-over moves +1 wd (forecast 27 Nov)",
    ]


def test_a_link_across_projects_uses_each_projects_own_holidays() -> None:
    us = PROJECT  # Thanksgiving (Thu 26th) off
    eu = Project(id=2, key="EU", name="Europe")  # works that Thursday
    a = task(1, remaining_hours=24)  # US: Mon, Tue, Wed
    b = task(2, project_id=2, remaining_hours=8)
    c = task(3, remaining_hours=8)  # US again, after b
    links = [fs(1, 2), fs(2, 3)]
    result = build_network([a, b, c], links, [], [us, eu], MON).schedule()
    assert result.tasks[2].early_start == date(2026, 11, 26)  # EU works on Thanksgiving
    assert result.tasks[3].early_start == date(2026, 11, 27)  # US resumes on Friday
    assert all(t.total_float == 0 for t in result.tasks.values())  # no float lost or invented
