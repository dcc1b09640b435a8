"""Read-side views the screens draw (``itpm_tui/reports.py``), on a real database file.

The rules are the README's (Keys, "Stand-up board": the team's work, done since the last
stand-up; personal to-dos stay off the team board; Stand-up: a team's members or a project's
assignees speak) and ``domain/board.py``'s (the last stand-up day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.domain.standup import MeetingScope
from itpm_tui.models import Person, Project, Status, Task
from itpm_tui.reports import board_view, standup_view
from itpm_tui.store import Store
from tests.conftest import TODAY

FRIDAY = date(2026, 11, 20)
"""The last stand-up day before TODAY (a Monday)."""


def test_the_board_holds_project_work_open_or_done_since_the_last_standup(store: Store) -> None:
    for login in ("bob", "alice"):
        store.people.save(Person(login=login))
    net = store.projects.add(Project(key="NET", name="Network"))
    app = store.projects.add(Project(key="APP", name="App"))

    def add(title: str, **fields: object) -> Task:
        return store.tasks.add(Task.model_validate({"title": title, **fields}))

    todo = add("Order fibre", project_id=net.id, assignee="bob")
    done_friday = add("Label racks", project_id=net.id, status="done",
                      done_at=datetime(2026, 11, 20, 17, tzinfo=UTC))  # fmt: skip
    add("Old audit", project_id=net.id, status="done",
        done_at=datetime(2026, 11, 19, 17, tzinfo=UTC))  # fmt: skip
    add("Renew passport", assignee="alice")  # personal: not the team's
    doing = add("Release notes", project_id=app.id, assignee="alice", status="doing")

    view = board_view(store, TODAY)

    shown = [todo.id, done_friday.id, doing.id]
    assert [c.task_id for c in view.cards] == shown
    assert [t.id for t in view.tasks] == shown
    assert [(c.status, c.project, c.owner) for c in view.cards] == [
        (Status.TODO, "NET", "bob"), (Status.DONE, "NET", None), (Status.DOING, "APP", "alice"),
    ]  # fmt: skip
    assert view.done_since == FRIDAY
    assert view.owners == ("alice", "bob")
    assert view.project_keys == ("APP", "NET")
    assert [p.key for p in view.projects] == ["APP", "NET"]
    assert sorted(p.login for p in view.people) == ["alice", "bob"]
    assert view.me == "pm"
    assert view.task(doing.id) == store.tasks.get(doing.id)
    assert view.task(9999) is None


# --- stand-up -------------------------------------------------------------------------------


def test_a_standup_without_a_saved_one_counts_yesterday_from_the_last_standup_day(
    db_path: Path, store: Store, clock: FixedClock
) -> None:
    for login, team in (("alice", "Infra"), ("bob", "Infra"), ("chen", "Apps")):
        store.people.save(Person(login=login, team=team))
    net = store.projects.add(Project(key="NET", name="Network"))
    thursday = Store(db_path, user="pm", clock=FixedClock(date(2026, 11, 19), hour=16))
    old = thursday.tasks.add(Task(title="Old move", project_id=net.id, assignee="alice"))
    thursday.tasks.update(old.id, {"status": Status.DONE}, expected_version=1)
    thursday.close()
    mine = store.tasks.add(Task(title="Cut over", project_id=net.id, assignee="alice"))
    finished = store.tasks.add(Task(title="Label racks", project_id=net.id, assignee="bob"))
    store.tasks.update(finished.id, {"status": Status.DONE}, expected_version=1)
    store.tasks.add(Task(title="App store", assignee="chen"))
    tz = clock.now().tzinfo

    lobby = standup_view(store, TODAY, tz)
    assert [(s.kind, s.name, n) for s, n in lobby.scopes] == [
        ("team", "Apps", 1), ("team", "Infra", 2), ("project", "NET", 0),
    ]  # fmt: skip
    assert (lobby.scope, lobby.since, lobby.tasks, lobby.drafts) == (None, None, (), ())

    infra = standup_view(store, TODAY, tz, MeetingScope("team", "Infra"), ["chen"])
    assert infra.since == datetime(2026, 11, 20, 0, 0, tzinfo=tz)  # Friday midnight
    assert [p.login for p in infra.attendees] == ["alice", "bob"]
    assert sorted(t.id for t in infra.tasks) == [mine.id, finished.id]  # not Thursday's
    assert [d.person.login for d in infra.drafts] == ["alice", "bob", "chen"]  # chen speaks
    bob = infra.draft("bob")
    assert bob is not None and bob.yesterday == (f"finished #{finished.id} Label racks",)

    project = standup_view(store, TODAY, tz, MeetingScope("project", "NET", net.id, "Network"))
    assert [p.login for p in project.attendees] == ["alice", "bob"]
    assert infra.last_of_scope is None and project.last_of_scope is None


def test_health_names_the_late_task_that_moves_a_milestone_and_by_how_much(store: Store) -> None:
    from datetime import timedelta

    from itpm_tui.domain.health import project_health
    from itpm_tui.models import Milestone
    from itpm_tui.reports import health_of

    project = store.projects.add(Project(key="OPS", name="Ops", start=date(2026, 11, 2)))
    go_live = store.milestones.add(Milestone(project_id=project.id, name="Go-live",
                                             baseline=date(2026, 11, 20),
                                             forecast=date(2026, 11, 20)))  # fmt: skip
    # Planned 9-13 Nov, 24 h still to do on Mon 23 Nov: it finishes three days from today.
    build = store.tasks.add(Task(title="Build", project_id=project.id, status=Status.DOING,
                                 planned_start=date(2026, 11, 9), planned_finish=date(2026, 11, 13),
                                 estimate_hours=40, remaining_hours=24))  # fmt: skip
    test = store.tasks.add(Task(title="Test", project_id=project.id, milestone_id=go_live.id,
                                planned_start=date(2026, 11, 16), planned_finish=date(2026, 11, 20),
                                estimate_hours=16))  # fmt: skip
    store.links.add(build.id, test.id)
    health = health_of(store, store.projects.get(project.id), TODAY)
    reasons = health.milestones[0].flag.reasons
    moved = [r for r in reasons if r.startswith(f"#{build.id} is ")]
    assert len(moved) == 1 and "milestone Go-live moves +" in moved[0], reasons
    # The sentences explain; they do not change the rating.
    plain = project_health(store.projects.get(project.id), store.tasks.find(),
                           store.milestones.find(project.id), [], TODAY)  # fmt: skip
    assert plain.milestones[0].flag.rag is health.milestones[0].flag.rag
    assert not any(r.startswith("#") for r in plain.milestones[0].flag.reasons)
    # A past day is replayed from the audit log, where the network (today's work) has no say.
    past = health_of(store, store.projects.get(project.id), TODAY - timedelta(days=1))
    assert not any(r.startswith(f"#{build.id} is ") for r in past.milestones[0].flag.reasons)
