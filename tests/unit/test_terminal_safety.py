"""No stored text can drive a terminal: the bytes the CLI and the app write, captured raw.

On a shared file every member's text reaches every other member's terminal. Each payload
below was shown to work against the terminal before (issue 9): OSC 52 set the clipboard
(``rm -rf ~`` and a newline, pasted into the next shell), OSC 0 renamed the window, CSI 2J
blanked the screen, OSC 8 made a lying link, C1 CSI (U+009B) acted as CSI, and RLO
(U+202E) reversed the text. They are written straight into the file with SQL, as an old
version or another program could, because the store now refuses them at input.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.domain.safe_text import refuse_unsafe, visible
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Milestone, Person, Project, Task
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli, connect
from tests.pty_capture import itpm, run_in_pty

PAYLOADS = {
    "osc52-st": ("\x1b]52;c;cm0gLXJmIH4K\x1b\\", b"\x1b]52;c;"),
    "osc52-bel": ("\x1b]52;c;Y3VybCBldmls\x07", b"\x1b]52;c;Y3Vy"),
    "osc0-title": ("\x1b]0;pwned\x07", b"\x1b]0;pwned"),
    "csi-2j": ("\x1b[2Jwiped", b"\x1b[2Jwiped"),
    "osc8-link": ("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", b"\x1b]8;;http"),
    "c1-csi": ("\x9b2Jc1", "\x9b".encode()),
    "rlo": ("\u202eolleh", "\u202e".encode()),
}
"""Kind -> (the text stored, the bytes that must never reach the terminal)."""
ALL = " ".join(text for text, _ in PAYLOADS.values())
COMMANDS = [
    ("list",), ("list", "--today"), ("list", "--all"), ("show", "1"), ("log",), ("health",),
    ("person", "list"), ("project", "list"), ("cost", "list"), ("milestone", "list"),
    ("standup", "export", "--format", "md"), ("standup", "list"), ("digest",), ("ics",),
    ("raid", "list"), ("raid", "show", "R1"), ("health", "--portfolio"), ("report",),
]  # fmt: skip


def poisoned_database(path: Path) -> Path:
    """A database whose every user-typed field holds every payload."""
    store = Store(path, user="pm", clock=FixedClock(TODAY))
    store.people.save(Person(login="pm", name="Pat"))
    store.people.save(Person(login="bob", name="Bob", team="Infra"))
    net = store.projects.add(Project(key="NET", name="Network", bac=1000))
    store.milestones.add(Milestone(project_id=net.id, name="Cut-over", baseline=TODAY,
                                   forecast=TODAY))  # fmt: skip
    store.tasks.add(Task(title="placeholder", project_id=net.id, assignee="pm", due=TODAY))
    store.tasks.add(Task(title="second", project_id=net.id, assignee="bob", due=TODAY))
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE tasks SET title = ?, notes = ?, blocked_reason = ?, waiting_on = ?,"
            " status = 'blocked' WHERE id = 1",
            (f"t {ALL}", f"n {ALL}", f"b {ALL}", f"w {ALL}"),
        )
        conn.execute("UPDATE people SET name = ?, team = ?", (f"p {ALL}", "Infra"))
        conn.execute("UPDATE projects SET name = ?", (f"P {ALL}",))
        conn.execute("UPDATE milestones SET name = ?", (f"m {ALL}",))
        conn.execute(
            "INSERT INTO cost_entries (project_id, spent_on, amount, category, note)"
            " VALUES (1, ?, '10', ?, ?)",
            (TODAY.isoformat(), f"c {ALL}", f"note {ALL}"),
        )
        conn.execute(
            "INSERT INTO standup_entries (held_on, person, yesterday, today, blockers)"
            " VALUES (?, 'bob', ?, ?, ?)",
            (TODAY.isoformat(), f"y {ALL}", f"d {ALL}", f"k {ALL}"),
        )
        conn.execute(
            "INSERT INTO raid_items (project_id, kind, title, description, owner, raised_on,"
            " probability, impact, mitigation, created_at, updated_at)"
            " VALUES (1, 'risk', ?, ?, 'pm', ?, '3', '4', ?, ?, ?)",
            (f"r {ALL}", f"rd {ALL}", TODAY.isoformat(), f"rm {ALL}",
             "2026-11-23T09:00:00+00:00", "2026-11-23T09:00:00+00:00"),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO audit (at, who, entity, entity_id, field, old, new)"
            " VALUES ('2026-11-23T09:00:00+00:00', ?, 'task', 1, 'title', ?, ?)",
            (f"who {ALL}", f"old {ALL}", f"new {ALL}"),
        )
    return path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITPM_")}
    return env | {"ITPM_TODAY": TODAY.isoformat(), "ITPM_USER": "pm", "TERM": "xterm-256color"}


@pytest.fixture(scope="module")
def cli_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The bytes of every command, written to a real pty and to a pipe."""
    db = poisoned_database(tmp_path_factory.mktemp("poison") / "team.db")
    captured: dict[str, bytes] = {}
    for command in COMMANDS:
        args = itpm("--db", str(db), *command)
        name = " ".join(command)
        captured[f"pty: {name}"] = run_in_pty(args, _env(), size=(200, 50))
        piped = subprocess.run(args, env=_env(), capture_output=True, timeout=30, check=False)
        captured[f"pipe: {name}"] = piped.stdout + piped.stderr
    return captured


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_no_command_writes_a_payload_to_the_terminal(
    cli_output: dict[str, bytes], kind: str
) -> None:
    raw = PAYLOADS[kind][1]
    for name, output in cli_output.items():
        assert b"Traceback" not in output, name
        assert raw not in output, f"{kind} reached the terminal through `{name}`"
    # The text is still there to read, its controls shown as stand-ins.
    assert "␛]52;c;".encode() in cli_output["pty: list"]
    assert "�olleh".encode() in cli_output["pty: show 1"]


def test_json_output_stays_exact_and_escaped(run: Cli, tmp_path: Path) -> None:
    db = poisoned_database(tmp_path / "json.db")
    result = run("--db", str(db), "list", "--json", "--all")
    raw = result.stdout_bytes
    assert b"\x1b" not in raw and "\x9b".encode() not in raw and b"\x7f" not in raw
    assert b"\\u001b]52;c;" in raw and b"\\u202e" in raw
    titles = [task["title"] for task in json.loads(raw)]
    assert titles[0] == f"t {ALL}"  # exact once parsed


def test_export_printed_is_inert_and_reads_back_exactly(run: Cli, tmp_path: Path) -> None:
    db = poisoned_database(tmp_path / "export.db")
    raw = run("--db", str(db), "export").stdout_bytes
    assert b"\x1b" not in raw and "\x9b".encode() not in raw and "\u202e".encode() not in raw
    tasks = json.loads(raw)["tables"]["tasks"]
    title = tasks["rows"][0][tasks["columns"].index("title")]
    assert title == f"t {ALL}"


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_visible_replaces_each_payload_with_one_cell_stand_ins(kind: str) -> None:
    text, raw = PAYLOADS[kind]
    shown = visible(text)
    assert raw.decode() not in shown
    assert not any(0x80 <= ord(c) <= 0x9F or ord(c) < 0x20 for c in shown)
    assert len(shown) == len(text)  # one stand-in per character: nothing is hidden


def test_tab_and_newline_stay_only_where_the_output_allows_them() -> None:
    assert visible("a\tb\nc", multiline=True) == "a\tb\nc"
    assert visible("a\tb\nc") == "a␉b␊c"
    assert visible("del\x7f") == "del␡"


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (("add", "x\x1b]0;t\x07"), "the task title"),
        (("project", "add", "OPS", "Ops\x9b2J"), "the project name"),
        (("person", "add", "carol", "--name", "Carol\u202e"), "the person name"),
        (("add", "ok", "--notes", "fine\nbut \x1b[2J"), "the task notes"),
    ],
)
def test_names_and_text_with_control_characters_are_refused_at_input(
    run: Cli, command: tuple[str, ...], what: str
) -> None:
    result = run(*command, ok=False)
    assert result.exit_code == 1
    assert f"Error: {what} cannot contain a control character" in result.stderr
    assert "Traceback" not in result.output
    with connect(run.db_path) as conn:  # either backend: nothing was saved
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == 0


def test_a_login_with_control_characters_is_refused(run: Cli) -> None:
    result = run("person", "add", "eve\x1b]0;x\x07", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_refuse_unsafe_names_the_character_and_its_place() -> None:
    with pytest.raises(InvalidInput, match=r"U\+001B at position 3"):
        refuse_unsafe("ab\x1bc", "the title")
    assert refuse_unsafe("two\nlines", "notes", multiline=True) == "two\nlines"
    with pytest.raises(InvalidInput, match="line break"):
        refuse_unsafe("two\nlines", "the title")
