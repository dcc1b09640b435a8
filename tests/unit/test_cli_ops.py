"""``serve`` and ``backup setup`` as commands: what they refuse, warn and write."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import pytest
from textual_serve.server import Server

from itpm_tui.clock import FixedClock
from itpm_tui.store import Store
from tests.conftest import TODAY, Cli
from tests.web_session import ROOT, free_port

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
    handed: list[str | None] = []

    def record(server: Server, debug: bool = False) -> None:
        made.append(server)
        handed.append(os.environ.get("ITPM_DB"))

    monkeypatch.setattr(Server, "serve", record)
    result = run("serve", "--read-only", "--port", "8123")
    assert result.stderr == ""
    server = made[0]
    assert server.command.endswith("-m itpm_tui --user pm --read-only")
    assert handed == [str(run.db_path)]  # the sessions' database, in their environment
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


SECRET = "S3cr%3At-pw"  # percent-encoded, as a URL holds a ':' in a password
"""A password in --db / ITPM_DB URLs; libpq reads it as ``S3cr:t-pw``."""


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://pm:{SECRET}@127.0.0.1:9/itpm",  # nobody listens: cannot connect
        f"postgresql://pm@127.0.0.1:9/itpm?password={SECRET}&sslmode=disable",
        f"postgresql://pm:{SECRET}%zz@127.0.0.1:9/itpm",  # libpq quotes the bad token
        f"postgresql://pm:{SECRET}@127.0.0.1:9/itpm?colour=red",  # an option libpq refuses
        f"postgresql://pm:{SECRET}@[::1:9/itpm",  # too broken to parse
    ],
)
@pytest.mark.parametrize("command", [("list",), ("doctor",), ("serve",)])
def test_a_password_in_the_url_is_masked_in_every_error(url: str, command: tuple[str, ...],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    _no_serving(monkeypatch)
    result = Cli(cast(Path, url))(*command, ok=False)  # a URL, as conftest's db_path
    said = result.output + result.stderr
    assert result.exit_code == 1 and "Traceback" not in said, said
    assert "S3cr" not in said and "t-pw" not in said, said
    assert "Error: " in said and "***" in said, said


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` now (children, their children...)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


async def _session_screen(port: int, needle: bytes, timeout: float = 30) -> bytes:
    """Open one browser session (textual-serve's WebSocket), as a page would; return the
    bytes the app sent until ``needle`` was among them, the session still open."""
    import aiohttp

    received = b""
    async with aiohttp.ClientSession() as client, client.ws_connect(
        f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    ) as socket:  # fmt: skip
        deadline = time.monotonic() + timeout
        while needle not in received and time.monotonic() < deadline:
            try:
                message = await socket.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
        return received


@pytest.mark.postgresql_only
def test_a_served_session_gets_the_password_in_no_command_line_and_prints_it_nowhere(
    db_path: Path,
) -> None:
    """``ITPM_DB`` holds a URL with the password (the place the README advises); serve and
    the session it starts for a browser show it in no ``/proc/PID/cmdline`` and no byte
    they write, and the session still opens the database with it."""
    secret = os.environ.get("PGPASSWORD") or "unchecked-by-trust-auth"
    parts = urlsplit(str(db_path))  # postgresql://?options=...: libpq's PG* fill the rest
    user = os.environ.get("PGUSER") or os.environ.get("USER") or "postgres"
    url = urlunsplit(parts._replace(netloc=f"{user}:{secret}@"))
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ITPM_DB": url, "ITPM_USER": "pm"}
    env.pop("PGPASSWORD", None)  # the session can only have it from the URL
    Store(
        url, user="pm", clock=FixedClock(TODAY)
    ).close()  # set up: serve refuses a database without tables
    serve = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "serve", "--port", str(port)], env=env, cwd=ROOT,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert serve.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)

        seen: dict[int, bytes] = {}

        async def session() -> bytes:
            task = asyncio.ensure_future(_session_screen(port, b"Today"))
            while not task.done():  # read every process's command line while it runs
                for pid in _descendants(serve.pid):
                    with contextlib.suppress(OSError):  # gone meanwhile
                        seen[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
                await asyncio.sleep(0.05)
            return await task

        screen = asyncio.run(session())
    finally:
        serve.terminate()
        output = serve.communicate(timeout=20)[0]
    assert b"Today" in screen, screen[-500:]  # the session opened the database: its app ran
    apps = [line for line in seen.values() if b"itpm_tui" in line]
    assert apps, seen  # the session's app was among the processes read
    for line in seen.values():
        assert secret.encode() not in line, line
    for written in (output, screen):
        assert secret.encode() not in written


@pytest.mark.postgresql_only
def test_serve_warns_when_the_password_is_on_its_own_command_line(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _no_serving(monkeypatch)
    secret = os.environ.get("PGPASSWORD") or "unchecked-by-trust-auth"
    user = os.environ.get("PGUSER") or os.environ.get("USER") or "postgres"
    url = urlunsplit(urlsplit(str(run.db_path))._replace(netloc=f"{user}:{secret}@"))
    result = run("--db", url, "serve")
    assert len(made) == 1 and secret not in result.output + result.stderr
    assert result.stderr.startswith("Warning: the password in --db shows in `ps`")
    assert run("serve").stderr == ""  # from ITPM_DB: nothing to warn about
