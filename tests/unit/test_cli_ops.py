"""``serve`` and ``backup setup`` as commands: what they refuse, warn and write."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from textual_serve.server import Server

from tests.conftest import Cli

WEB = Path(__file__).resolve().parents[2] / "itpm_tui" / "web" / "app_index.html"


def _no_serving(monkeypatch: pytest.MonkeyPatch) -> list[Server]:
    """Record the textual-serve servers made instead of running them."""
    made: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: made.append(self))
    return made


def test_serving_beyond_this_machine_needs_allow_remote(run: Cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    made = _no_serving(monkeypatch)
    refused = run("serve", "--host", "0.0.0.0", ok=False)
    assert refused.exit_code == 1 and made == []
    assert refused.stderr.startswith("Error: --host 0.0.0.0 lets other machines open the app")
    assert "--allow-remote" in refused.stderr and refused.stderr.count("\n") == 1
    allowed = run("serve", "--host", "0.0.0.0", "--allow-remote", "--read-only")
    assert allowed.stderr.startswith("Warning: serving on 0.0.0.0:8000: anyone who can reach")
    assert "(read-only)" in allowed.stderr and len(made) == 1


def test_each_browser_session_runs_this_app_on_this_file_read_only(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _no_serving(monkeypatch)
    result = run("serve", "--read-only", "--port", "8123")
    assert result.stderr == ""
    server = made[0]
    db = shlex.quote(str(run.db_path))  # a PostgreSQL URL has a ? in it
    assert server.command.endswith(f"-m itpm_tui --db {db} --user pm --read-only")
    assert server.host == "127.0.0.1" and server.port == 8123
    assert server.templates_path == WEB.parent


def test_a_missing_database_is_one_error_line_before_serving(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    made = _no_serving(monkeypatch)
    result = Cli(tmp_path / "nope.db")("serve", ok=False)
    assert result.exit_code == 1 and made == []
    assert result.stderr.startswith("Error: ") and "does not exist" in result.stderr


def test_the_served_page_loads_nothing_from_outside() -> None:
    """textual-serve's own page takes its font from Google; ours from its static files."""
    import textual_serve

    stock = (Path(textual_serve.__file__).parent / "templates" / "app_index.html").read_text()
    assert "fonts.googleapis.com" in stock  # if this fails, textual-serve changed: re-check
    ours = WEB.read_text()
    urls = re.findall(r"https?://[^\s\"')]+", ours)
    assert urls == ["http://www.w3.org/2000/svg"]  # an XML namespace, never fetched
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in ours
