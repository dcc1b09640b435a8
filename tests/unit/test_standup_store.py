"""The stand-up store on a real file: saving a meeting whole, reading it back, posted notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.standup import MeetingScope, StandupRecord, preferred_scope
from itpm_tui.errors import NotFound
from itpm_tui.models import ParkingItem, Person, Project, StandupEntry, StandupSession
from itpm_tui.store import Store
from tests.conftest import TODAY, connect


@pytest.fixture
def people(store: Store) -> Store:
    for login in ("alice", "bob"):
        store.people.save(Person(login=login, team="Infra"))
    return store


def record(
    clock: FixedClock, *, team: str = "Infra", project_id: int | None = None, first: str = "alice"
) -> StandupRecord:
    order = [first, "bob" if first == "alice" else "alice"]
    return StandupRecord(
        StandupSession(held_on=TODAY, team=team, project_id=project_id, facilitator="pm",
                       started_at=clock.now(), ended_at=clock.now() + timedelta(minutes=5)),
        tuple(StandupEntry(held_on=TODAY, person=p, position=i, seconds_spoken=60 * (i + 1),
                           yesterday=f"{p} did") for i, p in enumerate(order)),
        (ParkingItem(standup_id=0, topic="Budget", raised_by="bob", wanted_by="bob,pm"),),
    )  # fmt: skip


def count(store: Store, table: str) -> int:
    with connect(store.path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_saved_meeting_reads_back_whole(people: Store, clock: FixedClock) -> None:
    saved = people.standups.save(record(clock))
    assert saved == people.standups.get(saved.session.id)
    assert saved.session.id == 1 and saved.session.started_at == clock.now()
    assert [(e.standup_id, e.person, e.seconds_spoken) for e in saved.entries] == [
        (1, "alice", 60), (1, "bob", 120),
    ]  # fmt: skip
    assert [(p.standup_id, p.topic, p.wanted_by) for p in saved.parking] == [
        (1, "Budget", "bob,pm")
    ]
    assert (saved.present, saved.seconds_spoken) == (2, 180)


def test_the_last_standup_is_per_team_or_project(people: Store, clock: FixedClock) -> None:
    project = people.projects.add(Project(key="NET", name="Net"))
    people.standups.save(record(clock, first="alice"))
    clock.advance(3600)
    people.standups.save(record(clock, team="", project_id=project.id, first="bob"))
    team_last = people.standups.last(team="Infra", project_id=None)
    project_last = people.standups.last(team="", project_id=project.id)
    assert team_last is not None and team_last.entries[0].person == "alice"
    assert project_last is not None and project_last.entries[0].person == "bob"
    assert people.standups.last(team="Apps", project_id=None) is None
    assert [r.session.id for r in people.standups.find()] == [2, 1]
    assert [r.session.id for r in people.standups.find(held_on=TODAY - timedelta(days=1))] == []


def test_an_unknown_standup_or_attendee_is_refused_and_nothing_is_written(
    people: Store, clock: FixedClock
) -> None:
    with pytest.raises(NotFound, match="no stand-up #7"):
        people.standups.get(7)
    bad = record(clock)
    bad = StandupRecord(bad.session, (*bad.entries, StandupEntry(held_on=TODAY, person="zed")))
    with pytest.raises(NotFound, match="unknown people: zed"):
        people.standups.save(bad)
    assert (count(people, "standups"), count(people, "standup_entries")) == (0, 0)


def test_notes_are_kept_apart_from_saved_meetings(people: Store, clock: FixedClock) -> None:
    people.standups.post_note("bob", TODAY, yesterday="remote", today="", blockers="VPN")
    people.standups.save(record(clock))
    assert [(n.person, n.standup_id, n.blockers) for n in people.standups.notes(TODAY)] == [
        ("bob", None, "VPN")
    ]
    assert people.standups.notes(TODAY + timedelta(days=1)) == []
    assert all(e.yesterday != "remote" for e in people.standups.get(1).entries)


def test_the_start_dialog_offers_the_scope_of_my_last_standup_else_my_team(
    people: Store, clock: FixedClock
) -> None:
    project = people.projects.add(Project(key="NET", name="Net"))
    people.people.save(Person(login="pm", team="PMO"))
    scopes = [MeetingScope("team", "Infra"), MeetingScope("team", "PMO"),
              MeetingScope("project", "NET", project.id, "Net")]  # fmt: skip
    me = people.people.get("pm")

    def offered() -> MeetingScope | None:
        mine = people.standups.find(facilitator="pm", limit=1)
        return preferred_scope(scopes, mine[0] if mine else None, me)

    assert offered() == MeetingScope("team", "PMO")  # never ran one: my team
    people.standups.save(record(clock, team="", project_id=project.id))
    assert offered() == scopes[2]
    clock.advance(3600)
    other = record(clock)
    people.standups.save(
        replace(other, session=other.session.model_copy(update={"facilitator": "alice"}))
    )
    assert offered() == scopes[2]  # alice's later Infra stand-up is not mine
    assert preferred_scope(scopes, None, Person(login="x")) is None
