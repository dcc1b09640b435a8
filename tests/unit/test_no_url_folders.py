"""A PostgreSQL URL is never taken for a file name: no command leaves a ``postgresql:``
folder (a URL folded by ``Path``) in the working directory, on either backend."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from textual_serve.server import Server

from itpm_tui.clock import FixedClock
from itpm_tui.errors import DatabaseError
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli


def _url_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.lower().startswith("postgres"))


def test_no_command_leaves_a_url_folder_in_the_working_directory(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    made: list[tuple[Server, str | None]] = []  # and the database sessions get (ITPM_DB)

    def record(server: Server, debug: bool = False) -> None:
        made.append((server, os.environ.get("ITPM_DB")))

    monkeypatch.setattr(Server, "serve", record)
    run("init")
    run("demo", "--force")
    run("list", "--today")
    run("doctor", ok=False)
    run("export", "-o", "all.json")
    run("backup", "now", "copy.db", ok=False)  # refused on PostgreSQL: one Error line
    run("backup", "setup", "replica", ok=False)
    run("serve", "--read-only")
    # What each browser session would run opens the same database, and no folder either.
    server, db = made[0]
    assert db == str(run.db_path if isinstance(run.db_path, str) else run.db_path.absolute())
    env = os.environ | {"ITPM_TODAY": TODAY.isoformat(), "ITPM_DB": db}
    listed = subprocess.run([*shlex.split(server.command), "list", "--json"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert listed.returncode == 0 and listed.stdout.startswith("["), listed.stderr
    assert _url_folders(cwd) == []


@pytest.mark.parametrize("folded", ["postgresql:/?options=-csearch_path%3Dt_1",
                                    "postgres:/pm@db.example/itpm"])  # fmt: skip
def test_a_url_that_lost_its_slashes_is_refused_and_creates_nothing(
    folded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError, match="lost its '//'"):
        Store(Path(folded), user="pm", clock=FixedClock(TODAY))
    assert list(tmp_path.iterdir()) == []
