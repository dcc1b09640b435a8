"""The portfolio's fast path (light task rows, inputs shared between today and a week ago)
gives exactly what computing each project's health from full models gives."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bench.bench import make_db
from itpm_tui.clock import FixedClock
from itpm_tui.demo import build_demo
from itpm_tui.domain.health import project_health
from itpm_tui.domain.history import tasks_as_of
from itpm_tui.domain.portfolio import TREND_DAYS, PortfolioRow, portfolio_rows
from itpm_tui.domain.report_render import to_html, to_json_dict, to_markdown
from itpm_tui.domain.status_report import (
    WEEK_DAYS,
    ProjectWeek,
    StatusReport,
    build_status_report,
)
from itpm_tui.models import Project, Status, Task
from itpm_tui.reports import _links_by_project, health_of, portfolio_view, status_report_of
from itpm_tui.store import Store, TaskFilter
from tests.conftest import TODAY


def _reference(store: Store, day: date) -> tuple[PortfolioRow, ...]:
    """The portfolio built the slow way: ``health_of`` (full ``Task`` models, every input
    read again) for today and for a week ago, project by project."""
    projects = store.projects.find()
    before = day - timedelta(days=TREND_DAYS)
    now = [health_of(store, p, day) for p in projects]
    week_ago = {p.key: health_of(store, p, before).overall.rag for p in projects}
    return portfolio_rows(now, week_ago)


def test_the_demo_portfolio_equals_each_projects_full_health(store: Store) -> None:
    build_demo(store, TODAY)
    fast = portfolio_view(store, TODAY)
    assert [r.health.project_key for r in fast]  # the demo has projects
    assert fast == _reference(store, TODAY)
    assert _exact(fast) == _exact(_reference(store, TODAY))


def _exact(rows: tuple[PortfolioRow, ...]) -> list[dict[str, object]]:
    """Every number as JSON writes it: equal Decimals can still print differently."""
    return [row.health.to_json_dict() for row in rows]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Store]:
    """``bench.make_db``'s portfolio (8 projects, 2,000 tasks), then changes made on the
    Wednesday of last week and today: both a week ago and last week are replayed."""
    path = tmp_path / "generated.db"
    make_db(path, 2000, seed=7, n_projects=8)
    for day in (WEDNESDAY, TODAY):
        store = Store(path, user="pm", clock=FixedClock(day))
        try:
            _change(store, offset=0 if day == WEDNESDAY else 1)
        finally:
            store.close()
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    try:
        yield store
    finally:
        store.close()


WEDNESDAY = date(2026, 11, 18)
"""In the week the weekly report of Friday 20 November covers."""


def _change(store: Store, offset: int) -> None:
    """Every other one of 80 open tasks: done, less work left, a new cost, another project;
    and a task added."""
    projects = store.projects.find()
    tasks = store.tasks.find(TaskFilter(in_project=True, open_only=True))[:80]
    for n, task in enumerate(tasks[offset::2]):
        changes: dict[str, object] = {}
        if n % 4 == 0:
            changes["status"] = Status.DONE
        elif n % 4 == 1:
            changes |= {"remaining_hours": 0.5, "status": Status.BLOCKED}
        elif n % 4 == 2:
            changes["planned_cost"] = Decimal("1234.50")
        else:  # moved to another project: before, it still counts in its old one
            other = next(p for p in projects if p.id != task.project_id)
            changes |= {"project_id": other.id, "milestone_id": None}
        store.tasks.update(task.id, changes)
    store.tasks.add(Task(title=f"Added on {store.today()}", project_id=projects[0].id,
                         planned_start=store.today(), planned_finish=store.today(),
                         planned_cost=Decimal(500)))  # fmt: skip


def test_a_generated_portfolio_with_a_week_of_changes_equals_the_full_health(
    generated: Store,
) -> None:
    store = generated
    projects = store.projects.find()
    fast = portfolio_view(store, TODAY)
    assert {r.health.project_key for r in fast} == {p.key for p in projects}
    assert any(r.health.task_flags for r in fast)
    assert fast == _reference(store, TODAY)
    assert _exact(fast) == _exact(_reference(store, TODAY))
    friday = TODAY - timedelta(days=3)  # ``health --portfolio --as-of``: both days replayed
    assert _exact(portfolio_view(store, friday)) == _exact(_reference(store, friday))
    week_ago = TODAY - timedelta(days=TREND_DAYS)
    everything = store.tasks.find()
    rates = store.worklogs.rates()
    for project in projects:  # the whole replayed health, against a replay of every model
        events = store.audit.task_histories_changed_after(project.id, week_ago)
        then = [t for t in tasks_as_of(everything, events, week_ago) if t.project_id == project.id]
        expected = project_health(
            project, then, store.milestones.find(project.id), store.costs.find(project.id),
            week_ago, labour=store.worklogs.labour_cost(project.id, week_ago, rates,
                                                        project.currency),
        )  # fmt: skip
        rows = store.tasks.find_rows(TaskFilter(project_id=project.id))
        assert health_of(store, project, week_ago, tasks=rows) == expected


def test_an_unchanged_database_is_not_computed_again(store: Store, db_path: Path) -> None:
    """Reopening Health gets the kept portfolio; a commit by anyone computes it afresh."""
    build_demo(store, TODAY)
    first = portfolio_view(store, TODAY)
    assert portfolio_view(store, TODAY) is first
    other = Store(db_path, user="bob", clock=FixedClock(TODAY))  # another user's process
    try:
        net = other.projects.by_key("NET")
        task = other.tasks.find(TaskFilter(project_id=net.id, open_only=True))[0]
        other.tasks.update(task.id, {"status": Status.DONE})
    finally:
        other.close()
    if isinstance(store.path, str):  # PostgreSQL's change notice comes a moment later
        time.sleep(0.2)
    again = portfolio_view(store, TODAY)
    assert again is not first and again != first
    assert again == _reference(store, TODAY)
    assert portfolio_view(store, TODAY) is again


def _report_reference(store: Store, week_end: date) -> StatusReport:
    """The weekly report built the slow way: every task a full model, both days replayed
    from the whole audit log (the generated portfolio has no stand-ups, baselines or
    change requests, which the report reads the same way on either path)."""
    from itpm_tui.domain.status_report import REPORT_LOAD_WEEKS
    from itpm_tui.domain.workload import workload
    from itpm_tui.reports import workload_calendars

    before = week_end - timedelta(days=WEEK_DAYS)
    everything = store.tasks.find()
    rates = store.worklogs.rates()
    weeks = []

    def on(day: date, p: Project) -> tuple[Task, ...]:
        events = store.audit.task_histories_changed_after(p.id, day)
        return tuple(t for t in tasks_as_of(everything, events, day) if t.project_id == p.id)

    people = store.people.find()
    at_end = [t for p in store.projects.find() for t in on(week_end, p) if t.is_open]
    load = workload(at_end, workload_calendars(store, people), week_end + timedelta(days=1),
                    weeks=REPORT_LOAD_WEEKS) if people else None  # fmt: skip
    for p in store.projects.find():
        milestones, costs = store.milestones.find(p.id), store.costs.find(p.id)
        healths = [
            project_health(p, on(day, p), milestones, costs, day,
                           labour=store.worklogs.labour_cost(p.id, day, rates, p.currency))
            for day in (week_end, before)
        ]  # fmt: skip
        first = min((*(t.created_at.date() for t in everything
                       if t.project_id == p.id and t.created_at),
                     *(c.spent_on for c in costs)), default=None)  # fmt: skip
        weeks.append(ProjectWeek(now=healths[0], before=healths[1],
                                 tasks_now=on(week_end, p), tasks_before=on(before, p),
                                 risk_settings=p.risk_settings, load=load,
                                 first_record=first))  # fmt: skip
    return build_status_report(weeks, week_end, "portfolio")


def test_the_weekly_report_from_light_rows_equals_the_one_from_full_models(
    generated: Store,
) -> None:
    week_end = date(2026, 11, 20)
    fast = status_report_of(generated, week_end)
    expected = _report_reference(generated, week_end)
    assert any(p.changes.done for p in fast.projects)  # the Wednesday's changes are in it
    assert fast == expected
    assert to_markdown(fast) == to_markdown(expected)
    assert to_html(fast) == to_html(expected)
    assert to_json_dict(fast) == to_json_dict(expected)


def test_every_projects_replayed_histories_read_at_once_equal_each_projects(
    generated: Store,
) -> None:
    """The portfolio reads the audit log once for all projects: the same events, in the
    same order, as one query a project, moves between projects and out of any included."""
    store = generated
    task = store.tasks.find(TaskFilter(in_project=True, open_only=True))[-1]
    store.tasks.update(task.id, {"project_id": None, "milestone_id": None})  # now personal
    projects = store.projects.find()
    for day in (TODAY - timedelta(days=TREND_DAYS), WEDNESDAY - timedelta(days=1), WEDNESDAY,
                TODAY - timedelta(days=1)):  # fmt: skip
        grouped = store.audit.task_histories_by_project_changed_after(day)
        assert set(grouped) <= {p.id for p in projects}
        for project in projects:
            one = store.audit.task_histories_changed_after(project.id, day)
            assert grouped.get(project.id, []) == one, (day, project.key)
        assert any(grouped.values())
    moved_out = store.audit.task_histories_changed_after(task.project_id or 0, WEDNESDAY)
    assert task.id in {e.entity_id for e in moved_out}


def test_the_portfolio_with_links_across_projects_equals_each_projects_full_health(
    store: Store,
) -> None:
    """The portfolio reads every link once and gives each project those with an end in
    it: a link between two projects holds back the successor's milestone in both views."""
    build_demo(store, TODAY)
    projects = store.projects.find()
    first, second = (store.tasks.find(TaskFilter(project_id=p.id, open_only=True))[0]
                     for p in projects[:2])  # fmt: skip
    store.links.add(first.id, second.id, lag=15)
    grouped = _links_by_project(store, store.tasks.find_rows())
    for project in projects:
        assert grouped.get(project.id, []) == store.links.find(project.id), project.key
    both = {pid for pid, links in grouped.items()
            if any((lk.pred_id, lk.succ_id) == (first.id, second.id) for lk in links)}  # fmt: skip
    assert both == {projects[0].id, projects[1].id}
    fast = portfolio_view(store, TODAY)
    assert fast == _reference(store, TODAY)
    assert _exact(fast) == _exact(_reference(store, TODAY))
