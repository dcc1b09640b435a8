"""The stand-up commands as people and scripts use them: note, export, list."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.standup import Meeting, MeetingScope, OrderMode, draft_for, minutes
from itpm_tui.models import Person, Project, Status, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect

GOLDEN = Path(__file__).parent.parent / "golden" / "standup_export.md"


def _count(run: Cli, table: str) -> int:
    with connect(run.db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def team(store: Store) -> Store:
    """Three people in team Infra, one in Apps, a project with a few tasks."""
    for login, name, team_name in (("alice", "Alice Novak", "Infra"), ("bob", "Bob Schmidt",
                                   "Infra"), ("chen", "", "Infra"), ("hana", "Hana Sato", "Apps"),
                                   ("pm", "Pat Morgan", "PMO")):  # fmt: skip
        store.people.save(Person(login=login, name=name, team=team_name))
    project = store.projects.add(Project(key="NET", name="Network refresh"))
    wan = store.tasks.add(Task(title="Cut over WAN link", project_id=project.id,
                               assignee="alice"))  # fmt: skip
    survey = store.tasks.add(Task(title="Site survey", project_id=project.id, assignee="alice"))
    store.tasks.update(wan.id, {"status": Status.DOING})
    store.tasks.update(survey.id, {"status": Status.DONE})
    store.tasks.add(Task(title="Install switches", project_id=project.id, assignee="bob",
                         status=Status.BLOCKED, blocked_reason="CAB approval"))  # fmt: skip
    return store


def _hold_meeting(store: Store, clock: FixedClock) -> None:
    """A meeting: alice runs over, bob is absent, chen adds a blocker and parks a topic."""
    people = store.people.find(team="Infra")
    tasks = store.tasks.find()
    since = clock.now() - timedelta(days=1)
    events = store.audit.find(entity="task", since=since)
    drafts = {p.login: draft_for(p, tasks, events, since=since, today=TODAY) for p in people}
    meeting = Meeting.start(
        MeetingScope("team", "Infra"), people, held_on=TODAY, facilitator="pm",
        order_mode=OrderMode.FIXED, timebox_seconds=120, meeting_seconds=900,
        started_at=clock.now(), now=clock.monotonic(),
    )  # fmt: skip
    clock.advance(165)
    meeting = meeting.next(clock.monotonic()).toggle_absent(clock.monotonic())
    clock.advance(70)
    meeting = meeting.add_blocker("No test licence").park("Licence budget", ["chen", "pm"])
    meeting = meeting.next(clock.monotonic())
    clock.advance(20)
    store.standups.save(minutes(meeting, drafts, now=clock.monotonic(), ended_at=clock.now()))


# --- note ----------------------------------------------------------------------------------


def test_a_posted_note_shows_in_the_export_until_its_author_has_spoken(
    team: Store, run: Cli
) -> None:
    result = run("standup", "note", "--yesterday", "Fixed VPN", "--today", "Switches",
                 user="hana")  # fmt: skip
    assert result.stdout == "Posted hana's update for the stand-up on Mon 23 Nov 2026.\n"
    data = json.loads(run("standup", "export", "--format", "json").stdout)
    assert [(n["person"], n["yesterday"], n["today"], n["blockers"]) for n in data["notes"]] == [
        ("hana", "Fixed VPN", "Switches", "")
    ]
    assert data["standups"] == []


def test_posting_again_replaces_the_note_and_the_change_is_audited(team: Store, run: Cli) -> None:
    run("standup", "note", "-y", "first", user="hana")
    run("standup", "note", "-y", "second", "-b", "no VPN", user="hana")
    assert [(n.yesterday, n.blockers) for n in team.standups.notes(TODAY)] == [("second", "no VPN")]
    log = team.audit.find(entity="standup_note", newest_first=False)
    assert [(e.field, e.old, e.new, e.who) for e in log] == [
        ("yesterday", None, "first", "hana"),
        ("yesterday", "first", "second", "hana"),
        ("blockers", "", "no VPN", "hana"),
    ]


def test_someone_can_post_for_a_colleague_for_a_later_day(team: Store, run: Cli) -> None:
    run("standup", "note", "--person", "bob", "--date", "tomorrow", "-t", "Holiday")
    assert [(n.person, n.today) for n in team.standups.notes(TODAY + timedelta(days=1))] == [
        ("bob", "Holiday")
    ]


@pytest.mark.parametrize(
    ("args", "user", "message"),
    [
        (("-y", "x"), "zed", "Error: no person 'zed'; add them with `itpm-tui person add`"),
        (("-y", "x", "--person", "zed"), "pm", "Error: no person 'zed'"),
        (("-y", "x", "--date", "someday"), "bob", "Error: can't read 'someday' as a date"),
        (("-y", "x", "--date", "2026-11-20"), "bob", "Error: 2026-11-20 is in the past"),
        (("--today", "   "), "bob", "Error: a note needs at least one of --yesterday"),
    ],
)
def test_a_bad_note_is_one_clear_error_line_and_writes_nothing(
    team: Store, run: Cli, args: tuple[str, ...], user: str, message: str
) -> None:
    entries, audit = _count(run, "standup_entries"), _count(run, "audit")
    result = run("standup", "note", *args, user=user, ok=False)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message)
    assert result.stdout == ""
    assert (_count(run, "standup_entries"), _count(run, "audit")) == (entries, audit)


# --- export and list -----------------------------------------------------------------------


def test_markdown_export_matches_the_golden_file(team: Store, clock: FixedClock, run: Cli) -> None:
    _hold_meeting(team, clock)
    run("standup", "note", "-y", "Store screenshots", "-t", "Listing text", user="hana")
    assert run("standup", "export").stdout == GOLDEN.read_text(encoding="utf-8")


def test_json_export_has_every_saved_field(team: Store, clock: FixedClock, run: Cli) -> None:
    _hold_meeting(team, clock)
    data = json.loads(run("standup", "export", "--date", "2026-11-23", "--format", "json").stdout)
    (meeting,) = data["standups"]
    assert (meeting["team"], meeting["facilitator"], meeting["order_mode"]) == ("Infra", "pm",
                                                                                 "fixed")  # fmt: skip
    assert [(e["person"], e["present"], e["seconds_spoken"]) for e in meeting["entries"]] == [
        ("alice", True, 165), ("bob", False, 0), ("chen", True, 70),
    ]  # fmt: skip
    assert meeting["entries"][2]["blockers"] == "No test licence"
    assert [(p["topic"], p["raised_by"], p["wanted_by"]) for p in meeting["parking_lot"]] == [
        ("Licence budget", "chen", "chen,pm")
    ]


def test_export_of_a_day_without_standups_says_so(team: Store, run: Cli) -> None:
    result = run("standup", "export", "--date", "+1d")
    assert result.stdout == (
        "# Stand-up notes: Tuesday 24 November 2026\n\n"
        "No stand-up was held and no updates were posted.\n"
    )


def test_export_with_a_bad_date_or_format_fails_cleanly(team: Store, run: Cli) -> None:
    result = run("standup", "export", "--date", "32/13", ok=False)
    assert result.exit_code == 1 and result.stderr.startswith("Error: can't read '32/13'")
    assert run("standup", "export", "--format", "pdf", ok=False).exit_code == 1


def test_list_shows_each_meeting_newest_first(team: Store, clock: FixedClock, run: Cli) -> None:
    assert run("standup", "list").stdout == "no stand-ups yet\n"
    _hold_meeting(team, clock)
    clock.advance(3600)
    _hold_meeting(team, clock)
    lines = run("standup", "list").stdout.splitlines()
    assert lines == [
        "#2    Mon 2026-11-23  10:04-10:08  Team Infra                2/3 present   3:55 spoken"
        "  1 parked",
        "#1    Mon 2026-11-23  09:00-09:04  Team Infra                2/3 present   3:55 spoken"
        "  1 parked",
    ]
    data = json.loads(run("standup", "list", "--json", "--limit", "1").stdout)
    assert [(d["id"], d["present"], d["attendees"], d["parked"]) for d in data] == [(2, 2, 3, 1)]
