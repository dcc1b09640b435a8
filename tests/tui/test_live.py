"""Live data: another OS process changes tasks through the CLI; the running app shows it.

The app polls the database about twice a second, so a change must show within 2 s of the
other process finishing, with the cursor still on the task it was on.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from itpm_tui.clock import FixedClock
from itpm_tui.models import Status, Task
from itpm_tui.screens.tasks import TasksScreen
from itpm_tui.screens.today import TodayScreen
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.task_table import TaskTable
from itpm_tui.widgets.today_tasks import TodayTasks
from tests.conftest import PG_URL, TODAY, connect
from tests.tui.conftest import AppFactory
from tests.tui.helpers import (
    screen_text,
    settle,
    small_team,
    text_of,
    ui_test,
    wait_for_text,
    wait_until,
)

pytestmark = pytest.mark.both_backends

DEADLINE = 2.0
"""Seconds within which a change made elsewhere must be on screen."""


async def run_cli(db: Path, *args: str, user: str = "alice") -> None:
    """Run ``python -m itpm_tui --db DB ARGS`` as a separate process and check it worked."""
    env = os.environ | {"ITPM_USER": user, "ITPM_TODAY": TODAY.isoformat()}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "itpm_tui",
        "--db",
        str(db),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, (out + err).decode()


@ui_test
async def test_today_shows_a_cli_change_from_another_process_within_2_seconds(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        view = app.screen.query_one(TodayTasks)
        view.select_id(tasks["next"].id)
        assert "In progress (1)" in screen_text(app)

        doing = tasks["doing"].id
        await run_cli(store.path, "set", str(doing), "--status", "done")
        took = await wait_for_text(app, pilot, "In progress (0)", timeout=DEADLINE)
        assert "Update risk register" not in screen_text(app)
        assert store.tasks.get(doing).status is Status.DONE
        assert view.cursor_task is not None and view.cursor_task.id == tasks["next"].id

        await run_cli(store.path, "add", "Call the carrier", "--due", "today", "--assignee", "pm")
        took = max(took, await wait_for_text(app, pilot, "Call the carrier", timeout=DEADLINE))
        assert "Due today (2)" in screen_text(app)
        assert view.cursor_task is not None and view.cursor_task.id == tasks["next"].id
        assert took < DEADLINE


@ui_test
async def test_tasks_table_shows_a_cli_edit_and_keeps_the_cursor(
    store: Store, app_factory: AppFactory
) -> None:
    tasks = small_team(store)
    app = app_factory(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        table = app.screen.query_one(TaskTable)
        table.select_id(tasks["blocked"].id)

        await run_cli(
            store.path,
            "set",
            str(tasks["blocked"].id),
            "--title",
            "Sign off DR plan (vendor replied)",
            "--status",
            "doing",
        )
        await wait_until(
            pilot,
            lambda: table.cursor_task is not None and table.cursor_task.status is Status.DOING,
            timeout=DEADLINE,
        )
        assert table.cursor_id == tasks["blocked"].id
        await pilot.pause()
        text = screen_text(app)
        assert "Sign off DR plan (vendor" in text and "◐ Doing" in text and "Blocked" not in text


@pytest.mark.postgresql_only
@ui_test
async def test_on_postgresql_a_dropped_connection_says_offline_then_reloads_in_full(
    clock: FixedClock, app_factory: AppFactory
) -> None:
    """The server drops the app's sessions and refuses new ones; meanwhile another client
    adds a task (its notification reaches nobody). The header says offline; once the server
    lets it back in, live again, and the task shows."""
    name = f"itpm_dropped_{uuid.uuid4().hex[:8]}"  # not "offline": the header shows it
    base = urlsplit(PG_URL)  # the same server, a database of its own (it is locked out)
    url = f"postgresql://{base.netloc}/{name}" + (f"?{base.query}" if base.query else "")
    with connect(cast(Path, PG_URL)) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    store, other = Store(url, user="pm", clock=clock), Store(url, user="bob", clock=clock)
    try:
        small_team(store)
        app = app_factory(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            header = app.screen.query_one(AppHeader)
            with connect(cast(Path, PG_URL)) as admin:
                admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
                for pid in (store.db._main_pid, store.db._listener_pid):  # type: ignore[attr-defined]
                    admin.execute("SELECT pg_terminate_backend(?)", (pid,))
                await wait_until(pilot, lambda: "offline" in text_of(header), timeout=DEADLINE)
                other.tasks.add(Task(title="Call the carrier", due=TODAY, assignee="pm"))
                admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
            await wait_until(pilot, lambda: "offline" not in text_of(header), timeout=5.0)
            await wait_for_text(app, pilot, "Call the carrier", timeout=DEADLINE)
    finally:
        store.close()
        other.close()
        with connect(cast(Path, PG_URL)) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
