"""Change requests: the status rules, the baseline applying one writes, health before and
after, the version guard across two processes, and export/import of the new tables.

The numbers are hand-calculated (no published worked example of re-baselining with exact
figures was found): a project with BAC EUR 100,000 and a milestone whose forecast lies
5 working days after its baseline (Fri 4 Dec -> Fri 11 Dec 2026, Mon-Fri calendar) takes a
change of +EUR 10,000 and +5 wd on that milestone. After it BAC is 110,000, the baseline is
11 Dec, slip 0 against it and +5 wd against the original; a day before the change the
baseline of that day (4 Dec, slip +5) and BAC 100,000 still apply.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.change import check_move, impact_text, rebaseline
from itpm_tui.domain.evm import earned_value
from itpm_tui.errors import InvalidInput, NotFound
from itpm_tui.models import (
    ChangeRequest,
    ChangeStatus,
    Milestone,
    Project,
    Status,
    Task,
)
from itpm_tui.reports import health_of
from itpm_tui.store import Store
from tests.conftest import TODAY, export_of

BASELINE = date(2026, 12, 4)
FORECAST = date(2026, 12, 11)


def _project() -> Project:
    return Project(id=1, key="CR", name="Change", bac=Decimal(100_000),
                   start=date(2026, 11, 2), baseline_finish=FORECAST)  # fmt: skip


def _milestone() -> Milestone:
    return Milestone(id=1, project_id=1, name="Go-live", baseline=BASELINE, forecast=FORECAST)


def _tasks() -> list[Task]:
    return [
        Task(id=1, project_id=1, milestone_id=1, title="Open work", planned_cost=Decimal(20_000),
             planned_start=date(2026, 11, 30), planned_finish=date(2026, 12, 4)),
        Task(id=2, project_id=1, milestone_id=1, title="Done work", status=Status.DONE,
             planned_cost=Decimal(10_000), planned_start=date(2026, 11, 2),
             planned_finish=date(2026, 11, 6)),
        Task(id=3, project_id=1, title="Dropped", planned_cost=Decimal(5_000),
             planned_start=date(2026, 11, 9), planned_finish=date(2026, 11, 13)),
    ]  # fmt: skip


def _change(**extra: object) -> ChangeRequest:
    return ChangeRequest.model_validate({
        "id": 7, "project_id": 1, "title": "Add a second site", "reason": "Customer asked",
        "cost_delta": Decimal(10_000), "milestone_deltas": {1: 5}, "tasks_removed": (3,),
        "status": ChangeStatus.APPROVED, **extra,
    })  # fmt: skip


# --- domain ----------------------------------------------------------------------------------


def test_rebaseline_moves_bac_the_milestone_its_open_tasks_and_drops_removed_cost() -> None:
    plan = rebaseline(_project(), [_milestone()], _tasks(), _change())
    assert plan.bac == Decimal(110_000)
    assert plan.milestones == {1: date(2026, 12, 11)}  # Fri + 5 wd = next Fri
    assert plan.task_changes == {
        1: {"planned_start": date(2026, 12, 7), "planned_finish": date(2026, 12, 11)},
        3: {"planned_cost": None},
    }  # the done task #2 keeps its plan
    assert [(t.task_id, t.planned_cost) for t in plan.snapshot] == [
        (1, Decimal(20_000)), (2, Decimal(10_000)), (3, None)]  # fmt: skip


def test_pv_follows_the_new_plan_instead_of_reading_the_change_as_a_slip() -> None:
    project, tasks = _project(), _tasks()
    plan = rebaseline(project, [_milestone()], tasks, _change())
    moved = [t.model_copy(update=plan.task_changes.get(t.id, {})) for t in tasks]
    on = date(2026, 12, 4)
    before = earned_value(project, tasks, [], on)
    after = earned_value(project.model_copy(update={"bac": plan.bac}), moved, [], on)
    assert before.pv == Decimal(35_000)  # 20,000 + 10,000 + 5,000 all planned by 4 Dec
    assert after.pv == Decimal(10_000)  # #1 now starts 7 Dec, #3 is out of scope
    assert after.bac == Decimal(110_000)


def test_a_negative_delta_pulls_in_and_bac_cannot_go_below_zero() -> None:
    plan = rebaseline(_project(), [_milestone()], _tasks(),
                      _change(milestone_deltas={1: -3}, cost_delta=Decimal(-100)))  # fmt: skip
    assert plan.milestones == {1: date(2026, 12, 1)} and plan.bac == Decimal(99_900)
    with pytest.raises(InvalidInput, match="below zero"):
        rebaseline(_project(), [_milestone()], _tasks(), _change(cost_delta=Decimal(-100_001)))


@pytest.mark.parametrize(
    ("status", "to", "message"),
    [
        (ChangeStatus.APPLIED, ChangeStatus.APPROVED, "CR-7 is already applied"),
        (ChangeStatus.REJECTED, ChangeStatus.APPLIED, "CR-7 was rejected by bob"),
        (ChangeStatus.PROPOSED, ChangeStatus.APPLIED, "approve it before applying"),
        (ChangeStatus.APPROVED, ChangeStatus.APPROVED, "CR-7 is already approved by bob"),
        (ChangeStatus.APPROVED, ChangeStatus.REJECTED, "already approved"),
    ],
)
def test_status_moves_outside_the_workflow_are_refused(
    status: ChangeStatus, to: ChangeStatus, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_move(_change(status=status, decided_by="bob"), to, TODAY)


def test_a_refusal_says_its_dates_the_human_way_with_the_year_only_when_not_this_year() -> None:
    rejected = _change(status=ChangeStatus.REJECTED, decided_by="bob",
                       decided_on=date(2026, 11, 13))  # fmt: skip
    with pytest.raises(InvalidInput) as this_year:
        check_move(rejected, ChangeStatus.APPROVED, date(2026, 12, 4))
    assert str(this_year.value) == "CR-7 was rejected by bob on 13 Nov: it cannot be approved"
    applied = _change(status=ChangeStatus.APPLIED, applied_on=date(2026, 11, 13))
    with pytest.raises(InvalidInput) as next_year:
        check_move(applied, ChangeStatus.APPROVED, date(2027, 1, 4))
    assert str(next_year.value) == "CR-7 is already applied on 13 Nov 26: it cannot be approved"


def test_a_task_cannot_be_both_added_and_removed() -> None:
    with pytest.raises(ValueError, match="both added and removed"):
        _change(tasks_added=(3,))


# --- store -----------------------------------------------------------------------------------


def _setup(store: Store) -> None:
    store.projects.add(_project().model_copy(update={"id": 0}))
    store.milestones.add(_milestone().model_copy(update={"id": 0}))
    for task in _tasks():
        store.tasks.add(task.model_copy(update={"id": 0}))


def _propose(store: Store) -> ChangeRequest:
    return store.changes.add(_change(id=0, status=ChangeStatus.PROPOSED))


def test_applying_writes_the_baseline_and_health_measures_against_it(
    store: Store, clock: FixedClock
) -> None:
    _setup(store)
    project = store.projects.by_key("CR")
    before = health_of(store, project, TODAY)
    assert before.milestones[0].health.slip == 5 and before.baseline is None
    change = _propose(store)
    store.changes.decide(change.id, ChangeStatus.APPROVED)
    clock.advance(2 * 86400)  # Wed 25 Nov
    applied, baseline = store.changes.apply(change.id)
    assert (applied.status, applied.applied_on, baseline.number) == (
        ChangeStatus.APPLIED, date(2026, 11, 25), 1)  # fmt: skip
    assert [b.number for b in store.changes.baselines(project.id)] == [0, 1]
    original = store.changes.baselines(project.id)[0]
    assert (original.bac, original.milestones) == (Decimal(100_000), {1: BASELINE})

    project = store.projects.by_key("CR")
    assert project.bac == Decimal(110_000)
    assert store.milestones.get(1).baseline == date(2026, 12, 11)
    assert store.tasks.get(1).planned_finish == date(2026, 12, 11)
    assert store.tasks.get(3).planned_cost is None

    now = health_of(store, project, date(2026, 11, 25))
    m = now.milestones[0]
    assert (m.health.baseline, m.health.slip, m.original_baseline, m.original_slip) == (
        date(2026, 12, 11), 0, BASELINE, 5)  # fmt: skip
    assert now.evm.bac == Decimal(110_000)
    assert "Baseline changed by CR-1 on 25 Nov: BAC €110,000 (original €100,000)." in (
        now.overall.reasons
    )
    assert ("Baseline changed by CR-1 on 25 Nov: 04 Dec -> 11 Dec; against the "
            "original baseline the slip is +5 wd.") in m.flag.reasons  # fmt: skip
    assert "Baseline changed by CR-1" in m.health.trend.reason

    day_before = health_of(store, project, date(2026, 11, 24))
    m = day_before.milestones[0]
    assert (m.health.baseline, m.health.slip, day_before.evm.bac) == (BASELINE, 5, Decimal(100_000))
    assert day_before.baseline is None and m.original_baseline is None
    assert not any("Baseline changed" in r for r in day_before.overall.reasons)


def test_applying_is_one_transaction_with_its_audit_rows(store: Store, db_path: Path) -> None:
    _setup(store)
    change = _propose(store)
    store.changes.decide(change.id, ChangeStatus.APPROVED)
    snapshot = export_of(db_path)
    # The baseline row is written after BAC, milestones and tasks: its refusal undoes them.
    with pytest.raises(InvalidInput, match=r"control character|ESC|␛"):
        store.changes.apply(change.id, name="evil\x1b]52;c;aGk=\x07")
    assert export_of(db_path) == snapshot
    store.changes.apply(change.id)
    fields = {(e.entity, e.entity_id, e.field) for e in store.audit.find()}
    assert {("project", 1, "bac"), ("milestone", 1, "baseline"), ("task", 1, "planned_start"),
            ("task", 3, "planned_cost"), ("change", 1, "status"),
            ("change", 1, "baseline")} <= fields  # fmt: skip


def test_bad_moves_and_unknown_ids_change_nothing(store: Store, db_path: Path) -> None:
    _setup(store)
    change = _propose(store)
    snapshot = export_of(db_path)
    with pytest.raises(InvalidInput, match="approve it before applying"):
        store.changes.apply(change.id)
    with pytest.raises(NotFound, match="no change request CR-9"):
        store.changes.decide(9, ChangeStatus.APPROVED)
    with pytest.raises(NotFound, match="no milestone with id 5"):
        store.changes.update(change.id, {"milestone_deltas": {5: 1}})
    assert export_of(db_path) == snapshot
    store.changes.decide(change.id, ChangeStatus.REJECTED)
    snapshot = export_of(db_path)
    with pytest.raises(InvalidInput, match="CR-1 was rejected by pm"):
        store.changes.apply(change.id)
    with pytest.raises(InvalidInput, match="only a proposed change can be edited"):
        store.changes.update(change.id, {"title": "Other"})
    assert export_of(db_path) == snapshot


def test_a_second_applied_change_keeps_every_earlier_baseline(store: Store) -> None:
    _setup(store)
    for delta in (5, 2):
        change = store.changes.add(_change(id=0, status=ChangeStatus.PROPOSED,
                                           milestone_deltas={1: delta}, tasks_removed=()))  # fmt: skip
        store.changes.decide(change.id, ChangeStatus.APPROVED)
        store.changes.apply(change.id)
    baselines = store.changes.baselines(1)
    assert [(b.number, b.bac, b.milestones[1]) for b in baselines] == [
        (0, Decimal(100_000), BASELINE),
        (1, Decimal(110_000), date(2026, 12, 11)),
        (2, Decimal(120_000), date(2026, 12, 15)),
    ]


def test_two_processes_approving_at_once_one_wins_the_other_is_told(
    store: Store, db_path: Path
) -> None:
    from tests.unit.store_worker import run_together

    _setup(store)
    _propose(store)
    results = run_together([["approve", str(db_path), "--worker", "1"],
                            ["approve", str(db_path), "--worker", "2"]])  # fmt: skip
    assert sorted(r["saved"] for r in results) == [False, True]
    winner = next(r for r in results if r["saved"])
    loser = next(r for r in results if not r["saved"])
    assert f"CR-1 is already approved by w{winner['worker']}" in loser["error"]
    change = store.changes.get(1)
    assert (change.status, change.decided_by, change.version) == (
        ChangeStatus.APPROVED, f"w{winner['worker']}", 2)  # fmt: skip


def test_a_stale_version_is_refused_naming_who_changed_it(store: Store) -> None:
    from itpm_tui.errors import StaleWrite

    _setup(store)
    change = _propose(store)
    store.changes.update(change.id, {"title": "Add two sites"})
    with pytest.raises(StaleWrite, match="pm changed title to 'Add two sites'"):
        store.changes.decide(change.id, ChangeStatus.APPROVED, expected_version=change.version)
    assert store.changes.get(change.id).status is ChangeStatus.PROPOSED


def test_export_import_round_trip_carries_changes_and_baselines(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    from itpm_tui.store.transfer import import_json, parse_export

    _setup(store)
    change = _propose(store)
    store.changes.decide(change.id, ChangeStatus.APPROVED)
    store.changes.apply(change.id)
    _propose(store)
    text = export_of(db_path)
    for table in ("change_requests", "baselines", "baseline_milestones", "baseline_tasks"):
        assert f'"{table}"' in text
    copy = Store(tmp_path / "copy.db", user="pm", clock=FixedClock(TODAY))
    try:
        import_json(copy.db, parse_export(text))
        assert [c.status for c in copy.changes.find()] == [ChangeStatus.APPLIED,
                                                           ChangeStatus.PROPOSED]  # fmt: skip
    finally:
        copy.close()
    assert export_of(tmp_path / "copy.db") == text


def test_the_weekly_report_lists_the_change_applied_in_the_week(
    store: Store, clock: FixedClock
) -> None:
    from itpm_tui.reports import status_report_of

    _setup(store)
    change = _propose(store)
    store.changes.decide(change.id, ChangeStatus.APPROVED)
    clock.advance(2 * 86400)
    store.changes.apply(change.id)
    report = status_report_of(store, date(2026, 11, 25), "CR").projects[0]
    assert report.changes.applied == (
        "CR-1 applied on 25 Nov: Add a second site (the baseline changed)",
    )
    assert [(m.baseline, m.slip) for m in report.milestones] == [(date(2026, 12, 11), 0)]
    clock.advance(8 * 86400)
    later = status_report_of(store, date(2026, 12, 3), "CR").projects[0]
    assert later.changes.applied == ()


def test_the_impact_names_milestones_and_says_when_the_budget_is_unchanged() -> None:
    change = ChangeRequest(project_id=1, title="Keep MPLS", milestone_deltas={4: 5, 9: -2},
                           tasks_removed=(12,))  # fmt: skip
    assert impact_text(change, "EUR", {4: "Legacy MPLS off"}) == (
        "BAC unchanged; Legacy MPLS off +5 wd; milestone 9 -2 wd; tasks -#12"
    )
    cheaper = change.model_copy(update={"cost_delta": Decimal("-1500.5"), "milestone_deltas": {}})
    assert impact_text(cheaper, "EUR") == "BAC -€1,500.50; tasks -#12"
