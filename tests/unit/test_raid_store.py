"""The RAID repository: versioned writes with audit rows, checks inside the transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.errors import InvalidInput, NotFound, StaleWrite
from itpm_tui.models import (
    Milestone,
    Person,
    Project,
    RaidItem,
    RaidKind,
    RaidStatus,
    RiskScaleKind,
    RiskSettings,
    Task,
)
from itpm_tui.store import Store
from itpm_tui.store.raid import RaidFilter
from itpm_tui.store.transfer import export_text
from tests.conftest import TODAY


def _risk(**kw: object) -> RaidItem:
    return RaidItem.model_validate({"project_id": 1, "kind": "risk",
                                    "title": "Carrier delay", "probability": 3, "impact": 4,
                                    "raised_on": TODAY, **kw})  # fmt: skip


@pytest.fixture
def net(store: Store) -> Project:
    store.people.save(Person(login="bob"))
    return store.projects.add(Project(key="NET", name="Network"))


def test_add_records_the_rating_in_the_audit_log(store: Store, net: Project) -> None:
    item = store.raid.add(_risk(owner="bob", cost_impact=Decimal("12000.50")))
    assert (item.ref, item.project_key, item.raised_by, item.version) == ("R1", "NET", "pm", 1)
    assert item.cost_impact == Decimal("12000.50")
    fields = [(e.field, e.new) for e in store.raid.history(item.id)]
    assert fields == [("created", "Carrier delay"), ("probability", "3"), ("impact", "4"),
                      ("cost_impact", "12000.50")]  # fmt: skip


def test_update_is_versioned_and_audited(store: Store, net: Project) -> None:
    item = store.raid.add(_risk())
    changed = store.raid.update(item.id, {"impact": Decimal(5)}, expected_version=1)
    assert (changed.impact, changed.version) == (Decimal(5), 2)
    assert store.raid.history(item.id)[-1].field == "impact"
    store.raid.update(item.id, {"probability": Decimal(4)}, expected_version=2)
    with pytest.raises(StaleWrite, match="pm changed probability"):
        store.raid.update(item.id, {"probability": Decimal(2)}, expected_version=2)
    assert store.raid.get(item.id).probability == Decimal(4)


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [({"probability": 6}, InvalidInput, "probability 6 is not on the project's 1-5 scale"),
     ({"owner": "nobody"}, NotFound, "no person 'nobody'"),
     ({"task_ids": (99,)}, NotFound, "no task #99"),
     ({"project_id": 7}, NotFound, "no project with id 7")],
)  # fmt: skip
def test_bad_references_and_ratings_are_refused_and_nothing_is_written(
    store: Store, net: Project, kw: dict[str, object], error: type[Exception], message: str
) -> None:
    before = export_text(store.db)
    with pytest.raises(error, match=message):
        store.raid.add(_risk(**kw))
    assert export_text(store.db) == before


def test_a_review_date_before_raising_is_refused() -> None:
    with pytest.raises(ValueError, match="review date 2026-11-20 is before the day it was raised"):
        _risk(review_on=date(2026, 11, 20))


def test_a_decision_has_decision_statuses_only() -> None:
    with pytest.raises(ValueError, match="a decision's status is proposed or made"):
        RaidItem(project_id=1, kind=RaidKind.DECISION, title="Go", raised_on=TODAY)
    RaidItem(project_id=1, kind=RaidKind.DECISION, title="Go", raised_on=TODAY,
             status=RaidStatus.PROPOSED)  # fmt: skip


def test_a_pmbok_project_rates_on_its_matrix(store: Store) -> None:
    store.projects.add(Project(key="APP", name="App",
                               risk_settings=RiskSettings(kind=RiskScaleKind.PMBOK)))  # fmt: skip
    store.raid.add(_risk(probability=Decimal("0.7"), impact=Decimal("0.05")))
    with pytest.raises(InvalidInput, match="probability 3 is not on the project's pmbok scale"):
        store.raid.add(_risk())
    assert store.projects.by_key("APP").risk_settings.kind is RiskScaleKind.PMBOK


def test_links_to_tasks_and_milestones_are_kept_and_changed_in_the_log(
    store: Store, net: Project
) -> None:
    task = store.tasks.add(Task(title="Order fibre", project_id=net.id))
    gate = store.milestones.add(Milestone(project_id=net.id, name="Cut-over",
                                          baseline=TODAY, forecast=TODAY))  # fmt: skip
    item = store.raid.add(_risk(task_ids=(task.id,)))
    assert item.task_ids == (task.id,)
    moved = store.raid.update(item.id, {"milestone_ids": (gate.id,)}, expected_version=1)
    assert (moved.task_ids, moved.milestone_ids, moved.version) == ((task.id,), (gate.id,), 2)
    last = store.raid.history(item.id)[-1]
    assert (last.field, last.old, last.new, last.version) == ("milestone_ids", "", "#1", 2)


def test_a_risk_becoming_an_issue_keeps_its_history(store: Store, net: Project) -> None:
    item = store.raid.add(_risk())
    issue = store.raid.update(item.id, {"kind": RaidKind.ISSUE})
    assert (issue.id, issue.ref) == (item.id, f"I{item.id}")
    assert [e.field for e in store.raid.history(item.id)][:3] == ["created", "probability",
                                                                   "impact"]  # fmt: skip


def test_find_filters_by_kind_status_and_project(store: Store, net: Project) -> None:
    store.raid.add(_risk())
    store.raid.add(RaidItem(project_id=net.id, kind=RaidKind.ISSUE, title="Late", raised_on=TODAY))
    closed = store.raid.add(_risk(status=RaidStatus.CLOSED))
    assert [i.kind for i in store.raid.find(RaidFilter(kind=RaidKind.ISSUE))] == [RaidKind.ISSUE]
    assert closed.id not in [i.id for i in store.raid.find(RaidFilter(open_only=True))]
    assert len(store.raid.find(RaidFilter(project_id=net.id))) == 3
    assert store.raid.find(RaidFilter(project_id=net.id + 1)) == []


def test_control_characters_are_refused(store: Store, net: Project) -> None:
    with pytest.raises(InvalidInput, match="RAID item title"):
        store.raid.add(_risk(title="evil\x1b]52;c;aGk=\x07"))


def test_two_processes_re_rating_at_once_one_wins_the_other_is_told(
    store: Store, net: Project, db_path: Path
) -> None:
    from tests.unit.store_worker import run_together

    store.raid.add(_risk())
    results = run_together([["rerate", str(db_path), "--worker", "1", "--count", "5"],
                            ["rerate", str(db_path), "--worker", "2", "--count", "2"]])  # fmt: skip
    assert sorted(r["saved"] for r in results) == [False, True]
    winner = next(r for r in results if r["saved"])
    loser = next(r for r in results if not r["saved"])
    assert f"w{winner['worker']} changed impact" in loser["error"]
    item = store.raid.get(1)
    assert (item.impact, item.version) == (Decimal(5 if winner["worker"] == 1 else 2), 2)
    assert [e.field for e in store.raid.history(1)].count("impact") == 2  # created + one
