"""``itpm-tui ics`` and ``itpm-tui digest`` as a PM uses them, on a small handmade store.

TODAY is Monday 23 Nov 2026, so the previous stand-up day is Friday 20 Nov. The calendar
is read back with icalendar (PyPI), a parser that is not ours.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.digest import names
from itpm_tui.domain.standup import StandupRecord
from itpm_tui.models import (
    Milestone,
    ParkingItem,
    Person,
    Project,
    StandupEntry,
    StandupSession,
    Status,
    Task,
)
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect
from tests.ical_read import Event, read_events
from tests.pty_capture import itpm, run_in_pty

FRIDAY = date(2026, 11, 20)


@pytest.fixture
def team(store: Store, clock: FixedClock) -> Store:
    """Pat (pm) owns NET work; Alice and Bob wait on Pat; a stand-up on Friday names Pat."""
    for login, name, team_name in (("pm", "Pat Morgan", "PMO"), ("alice", "Alice Novak", "Infra"),
                                   ("bob", "Bob Schmidt", "Infra"), ("hana", "Hana Sato", "Apps")):  # fmt: skip
        store.people.save(Person(login=login, name=name, team=team_name))
    net = store.projects.add(Project(key="NET", name="Network refresh", bac=1000))
    app = store.projects.add(Project(key="APP", name="Mobile app", bac=500))
    cut = store.milestones.add(Milestone(project_id=net.id, name="Cut-over",
                                         baseline=date(2026, 11, 27),
                                         forecast=date(2026, 11, 27)))  # fmt: skip
    store.milestones.update(cut.id, {"forecast": date(2026, 12, 2)})  # +3 wd: amber
    store.milestones.add(
        Milestone(
            project_id=net.id,
            name="Handover",
            baseline=date(2027, 1, 15),
            forecast=date(2027, 1, 15),
        )
    )
    store.milestones.add(Milestone(project_id=app.id, name="Beta", baseline=date(2026, 12, 10),
                                   forecast=date(2026, 12, 10)))  # fmt: skip
    add = store.tasks.add
    add(Task(title="Order fibre", project_id=net.id, assignee="pm", priority=1,
             due=FRIDAY, status=Status.DOING))  # #1 overdue  # fmt: skip
    add(Task(title="Sign CAB form", project_id=net.id, assignee="pm", priority=2, due=TODAY))
    add(Task(title="Vendor call", project_id=net.id, assignee="pm", status=Status.BLOCKED,
             blocked_reason="carrier has not answered"))  # #3  # fmt: skip
    add(Task(title="Renew certificate", assignee="pm", due=date(2026, 11, 30)))  # #4 personal
    add(Task(title="Rack switches", project_id=net.id, assignee="bob", due=date(2026, 11, 25),
             waiting_on="pm"))  # #5 waiting on me  # fmt: skip
    add(
        Task(
            title="Firewall rules",
            project_id=net.id,
            assignee="alice",
            status=Status.BLOCKED,
            blocked_reason="needs Pat Morgan to approve",
        )
    )  # #6
    add(Task(title="Update packages", project_id=app.id, assignee="alice",
             waiting_on="npm registry", due=date(2026, 12, 1)))  # #7 not me  # fmt: skip
    add(Task(title="Old report", project_id=net.id, assignee="pm", due=date(2026, 11, 2),
             snoozed_until=date(2026, 11, 26)))  # #8 snoozed  # fmt: skip
    done = add(Task(title="Survey", project_id=net.id, assignee="pm", due=FRIDAY))  # #9
    store.tasks.update(done.id, {"status": Status.DONE})
    add(Task(title="Icons", project_id=app.id, assignee="hana", due=date(2026, 12, 3)))  # #10
    started = datetime(2026, 11, 20, 9, 30, tzinfo=clock.now().tzinfo)
    session = StandupSession(
        held_on=FRIDAY,
        team="Infra",
        facilitator="pm",
        started_at=started,
        ended_at=started + timedelta(minutes=12),
    )
    entries = (
        StandupEntry(held_on=FRIDAY, person="alice", blockers="waiting for @pm on the budget"),
        StandupEntry(held_on=FRIDAY, person="bob", blockers="none", position=1),
        StandupEntry(held_on=FRIDAY, person="pm", blockers="pm is on leave", position=2),
    )  # fmt: skip
    parking = (
        ParkingItem(standup_id=0, topic="Licence budget", raised_by="bob", wanted_by="alice,pm"),
        ParkingItem(standup_id=0, topic="Done already", raised_by="bob", wanted_by="pm",
                    resolved=True),
        ParkingItem(standup_id=0, topic="Lunch order", raised_by="alice", wanted_by="bob"),
    )  # fmt: skip
    store.standups.save(StandupRecord(session, entries, parking))
    return store


def _events(text: str | bytes) -> dict[str, Event]:
    return read_events(text)


def _without_stamp(data: bytes) -> bytes:
    return b"".join(line for line in data.splitlines(keepends=True)
                    if not line.startswith(b"DTSTAMP:"))  # fmt: skip


# --- ics -----------------------------------------------------------------------------------


def test_ics_holds_every_milestone_and_the_open_project_tasks_with_a_due_date(
    team: Store, run: Cli
) -> None:
    events = _events(run("ics").stdout_bytes)
    assert sorted(events) == sorted(
        [
            "milestone-1-baseline@itpm-tui",
            "milestone-1-forecast@itpm-tui",
            "milestone-2-baseline@itpm-tui",
            "milestone-2-forecast@itpm-tui",
            "milestone-3-baseline@itpm-tui",
            "milestone-3-forecast@itpm-tui",
            "task-1-due@itpm-tui",
            "task-2-due@itpm-tui",
            "task-5-due@itpm-tui",
            "task-7-due@itpm-tui",
            "task-8-due@itpm-tui",
            "task-10-due@itpm-tui",
        ]
    )  # fmt: skip  (no #3, #6: no due date; #4: personal; #9: done)
    assert events["milestone-1-baseline@itpm-tui"].start == date(2026, 11, 27)
    assert events["milestone-1-forecast@itpm-tui"].start == date(2026, 12, 2)
    assert events["task-5-due@itpm-tui"].start == date(2026, 11, 25)
    assert events["task-5-due@itpm-tui"].end == date(2026, 11, 26)
    assert events["task-5-due@itpm-tui"].summary == "Due: #5 Rack switches (NET)"


def test_ics_mine_is_my_open_tasks_and_the_milestones_of_my_projects(team: Store, run: Cli) -> None:
    events = _events(run("ics", "--mine").stdout_bytes)
    assert sorted(events) == sorted(
        [
            "milestone-1-baseline@itpm-tui",
            "milestone-1-forecast@itpm-tui",
            "milestone-2-baseline@itpm-tui",
            "milestone-2-forecast@itpm-tui",
            "task-1-due@itpm-tui",
            "task-2-due@itpm-tui",
            "task-4-due@itpm-tui",
            "task-8-due@itpm-tui",
        ]
    )  # fmt: skip  (APP's Beta is not mine; #4 is my personal to-do)
    project = _events(run("ics", "--project", "app").stdout_bytes)
    assert sorted(project) == ["milestone-3-baseline@itpm-tui", "milestone-3-forecast@itpm-tui",
                               "task-10-due@itpm-tui", "task-7-due@itpm-tui"]  # fmt: skip


def test_a_second_export_after_a_change_keeps_every_uid_and_moves_the_event(
    team: Store, run: Cli
) -> None:
    before = _events(run("ics").stdout_bytes)
    run("milestone", "set", "1", "--forecast", "2026-12-04")
    run("set", "5", "--due", "2026-11-27")
    after = _events(run("ics").stdout_bytes)
    assert sorted(after) == sorted(before)
    assert after["milestone-1-forecast@itpm-tui"].start == date(2026, 12, 4)
    assert after["task-5-due@itpm-tui"].start == date(2026, 11, 27)
    for uid in ("milestone-1-forecast@itpm-tui", "task-5-due@itpm-tui"):
        assert after[uid].sequence > before[uid].sequence, uid
    unchanged = "milestone-3-baseline@itpm-tui"
    assert after[unchanged].sequence == before[unchanged].sequence


def _poison_title(db: Path, task_id: int, title: str) -> None:
    with connect(db) as conn:  # as an old version or another program could
        conn.execute("UPDATE tasks SET title = ? WHERE id = ?", (title, task_id))


def test_ics_output_file_keeps_the_exact_text_and_stdout_shows_controls_safely(
    team: Store, run: Cli, tmp_path: Path
) -> None:
    title = "Budget, scope; C:\\temp\nline two Zürich 東京 \x9b2J \u202eolleh " + "x" * 150
    _poison_title(run.db_path, 5, title)
    target = tmp_path / "out" / "team.ics"
    target.parent.mkdir()
    result = run("ics", "--output", str(target))
    assert result.stdout == ""
    assert result.stderr == f"wrote 12 events to {target}\n"
    data = target.read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert _events(data)["task-5-due@itpm-tui"].summary == f"Due: #5 {title} (NET)"
    assert [p.name for p in target.parent.iterdir()] == ["team.ics"]  # no temp file left
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    shown = run("ics").stdout_bytes
    assert b"\x9b" not in shown.decode().encode("latin-1", "replace")
    summary = _events(shown)["task-5-due@itpm-tui"].summary
    assert summary == f"Due: #5 {title} (NET)".replace("\x9b", "\ufffd").replace("\u202e", "\ufffd")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_stdout_and_file_are_the_same_calendar_for_plain_text(
    team: Store, run: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "a.ics"
    run("ics", "-o", str(target))
    assert _without_stamp(run("ics").stdout_bytes) == _without_stamp(target.read_bytes())
    assert run("ics").stdout_bytes.count(b"\r\n") == target.read_bytes().count(b"\r\n")


def test_replacing_an_ics_file_keeps_its_permissions(team: Store, run: Cli, tmp_path: Path) -> None:
    target = tmp_path / "shared.ics"
    target.write_text("old")
    target.chmod(0o640)
    run("ics", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_an_ics_file_behind_a_symlink_is_replaced_and_the_link_kept(
    team: Store, run: Cli, tmp_path: Path
) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "team.ics"
    real.write_text("old")
    link = tmp_path / "team.ics"
    link.symlink_to(real)
    run("ics", "-o", str(link))
    assert link.is_symlink()
    assert real.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/team.ics", "the folder {dir}/missing does not exist"),
        ("file.txt/team.ics", "{dir}/file.txt is a file, not a folder"),
        (".", "{dir} is a directory; give a file name"),
    ],
)
def test_ics_to_a_path_that_cannot_be_written_is_one_error_line(
    team: Store, run: Cli, tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "file.txt").write_text("keep")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("ics", "--output", str(tmp_path / where) if where != "." else str(tmp_path),
                 ok=False)  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    text = message.format(dir=tmp_path)
    assert result.stderr in (f"Error: cannot write {tmp_path / where}: {text}\n",
                             f"Error: {text}\n")  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_ics_to_a_folder_nobody_may_write_is_one_error_line(team: Store, run: Cli) -> None:
    # /sys refuses new files even to root, so this runs in any container.
    result = run("ics", "--output", "/sys/team.ics", ok=False)
    assert result.exit_code == 1
    assert result.stderr == "Error: cannot write /sys/team.ics: Permission denied\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_ics_to_a_read_only_folder_is_one_error_line(team: Store, run: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    result = run("ics", "--output", str(folder / "team.ics"), ok=False)
    assert result.stderr == f"Error: cannot write {folder / 'team.ics'}: Permission denied\n"
    assert list(folder.iterdir()) == []


def test_ics_of_an_unknown_project_is_one_error_line(team: Store, run: Cli) -> None:
    result = run("ics", "--project", "NOPE", ok=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no project 'NOPE' (known: APP, NET)\n"


def test_ics_of_an_empty_database_is_a_valid_calendar_that_says_it_is_empty(run: Cli) -> None:
    result = run("ics")
    assert _events(result.stdout_bytes) == {}
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert (
        result.stderr == "no milestones or due dates in this choice: the calendar has no events\n"
    )


# --- digest --------------------------------------------------------------------------------

PM_DIGEST = """\
Digest for Pat Morgan (pm), Mon 23 Nov 2026
Overdue (1):
  #1 P1 ◐ Order fibre (NET), due Fri 20 Nov
Due today (1):
  #2 P2 ○ Sign CAB form (NET)
Blocked or waiting on you (3):
  #3 P3 ⊘ Vendor call (NET): carrier has not answered
  #5 P3 ○ bob's Rack switches (NET), due Wed 25 Nov: waiting on pm
  #6 P3 ⊘ alice's Firewall rules (NET): needs Pat Morgan to approve
Milestones at risk (1):
  ▲ AMBER NET 'Cut-over': forecast Wed 02 Dec (+3 wd), slipping
Named in the stand-up of Fri 20 Nov (2):
  Team Infra, blocker of alice: waiting for @pm on the budget
  Team Infra, parking lot of bob: Licence budget
(1 snoozed task not shown)
"""


def test_the_digest_lists_what_needs_me_exceptions_first(team: Store, run: Cli) -> None:
    assert run("digest").stdout == PM_DIGEST


def test_a_quiet_morning_is_one_line_per_section(team: Store, run: Cli) -> None:
    assert run("digest", "--user", "hana").stdout == (
        "Digest for Hana Sato (hana), Mon 23 Nov 2026\n"
        "✓ nothing overdue\n"
        "✓ nothing due today\n"
        "✓ nothing blocked on you\n"
        "✓ no milestone at risk in APP\n"
        "✓ the stand-up of Fri 20 Nov does not name you\n"
    )


def test_digest_json_has_the_same_facts(team: Store, run: Cli) -> None:
    data = json.loads(run("digest", "--json").stdout)
    assert data["user"] == "pm" and data["today"] == "2026-11-23"
    assert [t["id"] for t in data["overdue"]] == [1]
    assert [t["id"] for t in data["due_today"]] == [2]
    assert [t["id"] for t in data["blocked"]] == [3]
    assert [t["id"] for t in data["waiting_on_you"]] == [5, 6]
    assert data["projects"] == ["NET"]
    (milestone,) = data["milestones_at_risk"]
    assert (milestone["name"], milestone["rag"], milestone["forecast"],
            milestone["slip_working_days"], milestone["slipping"]) == (
        "Cut-over", "amber", "2026-12-02", 3, True)  # fmt: skip
    assert data["standup"] == {
        "day": "2026-11-20", "held": True,
        "mentions": [
            {"kind": "blocker", "by": "alice", "text": "waiting for @pm on the budget",
             "standup": "Team Infra"},
            {"kind": "parking lot", "by": "bob", "text": "Licence budget",
             "standup": "Team Infra"},
        ],
    }  # fmt: skip
    assert data["snoozed"] == 1 and data["open_tasks"] == 5


def test_more_than_three_items_are_counted_and_lines_fit_80_columns(team: Store, run: Cli) -> None:
    for n in range(4):
        run("add", f"Overdue item {n} with a long title " + "y" * 80, "--project", "NET",
            "--due", "2026-11-19")  # fmt: skip
    lines = run("digest").stdout.splitlines()
    assert lines[1] == "Overdue (5):"
    assert lines[5] == "  ... and 2 more: itpm-tui list --today"
    assert max(len(line) for line in lines) <= 80
    assert lines[3].endswith("…")


def test_digest_of_an_unknown_user_is_one_error_line(team: Store, run: Cli) -> None:
    result = run("digest", "--user", "zed", ok=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no person 'zed'; `itpm-tui person list` shows who is known\n"


def test_digest_of_an_empty_database_says_there_is_no_data(run: Cli) -> None:
    assert run("digest").stdout == (
        "Digest for pm, Mon 23 Nov 2026\n"
        "✓ no open tasks assigned to you\n"
        "✓ nothing blocked on you\n"
        "✓ no milestones watched: you own no open project tasks\n"
        "✓ no stand-up saved on Fri 20 Nov\n"
    )
    data = json.loads(run("digest", "--json").stdout)
    assert data["open_tasks"] == 0 and data["standup"]["held"] is False


def test_a_login_counts_as_a_word_and_a_full_name_too() -> None:
    assert names("ask @pm first", "pm")
    assert names("PM to sign", "pm")
    assert not names("npm registry", "pm")
    assert not names("pm-tools upgrade", "pm")
    assert names("mail pm@corp.example", "pm")  # their address names them too
    assert names("needs pat morgan", "pm", "Pat Morgan")
    assert not names("Patrick", "pm", "Pat")


def test_the_digest_cannot_drive_the_terminal(team: Store, run: Cli) -> None:
    payload = "\x1b]52;c;cm0gLXJmIH4K\x1b\\ \x1b[2J \x9b2J \u202eolleh"
    _poison_title(run.db_path, 1, f"Order fibre {payload}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITPM_")}
    env |= {"ITPM_TODAY": TODAY.isoformat(), "ITPM_USER": "pm", "TERM": "xterm-256color"}
    raw = run_in_pty(itpm("--db", str(run.db_path), "digest"), env, size=(120, 40))
    assert b"Traceback" not in raw
    for bad in (b"\x1b]52", b"\x1b[2J", "\x9b".encode(), "\u202e".encode()):
        assert bad not in raw, bad
    assert "#1 P1 ◐ Order fibre ␛]52;c;cm0gLXJmIH4K␛\\ ␛[2J �2J �olleh".encode() in raw


def test_a_write_that_fails_half_way_leaves_the_old_calendar_whole(
    team: Store, run: Cli, tmp_path: Path
) -> None:
    import resource
    import subprocess

    target = tmp_path / "team.ics"
    target.write_bytes(b"old calendar")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITPM_")}
    env |= {"ITPM_TODAY": TODAY.isoformat(), "ITPM_USER": "pm"}

    def small_files() -> None:  # Python ignores SIGXFSZ, so a write past this fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    result = subprocess.run(
        itpm("--db", str(run.db_path), "ics", "--output", str(target)), env=env,
        capture_output=True, text=True, timeout=60, preexec_fn=small_files, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write {target}: File too large\n"
    assert target.read_bytes() == b"old calendar"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".team.ics")] == []
