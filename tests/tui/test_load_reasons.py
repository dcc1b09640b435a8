"""Over-allocation said where a PM looks: Health's overall reasons and the board's detail line.

dana (8 h a day, Monday to Friday) has 72 h of work this week (Mon 23 - Fri 27 Nov): 40 h
available, so 180%; erik has 8 h and is not named.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from itpm_tui.models import Person, Project, Status, Task
from itpm_tui.screens.board import BoardScreen
from itpm_tui.screens.health import HealthScreen
from itpm_tui.store import Store
from tests.conftest import TODAY
from tests.tui.conftest import AppFactory
from tests.tui.helpers import screen_text, settle, text_of, ui_test, wait_until
from tests.tui.test_board import detail, focus_task, open_board

SIZE = (120, 40)
SAID = "dana is at 180% in 2026-W48 (72 h of work, 40 h available)"


@pytest.fixture
def busy(store: Store) -> dict[str, Task]:
    store.people.save(Person(login="dana", name="Dana Diaz"))
    store.people.save(Person(login="erik"))
    ops = store.projects.add(Project(key="OPS", name="Operations"))
    friday = TODAY + timedelta(days=4)

    def task(title: str, who: str, hours: float) -> Task:
        return store.tasks.add(Task(title=title, project_id=ops.id, assignee=who,
                                    status=Status.DOING, estimate_hours=hours,
                                    planned_start=TODAY, due=friday))  # fmt: skip

    return {"racks": task("Rack the servers", "dana", 40), "docs": task("Write runbook", "dana", 32),
            "review": task("Review runbook", "erik", 8)}  # fmt: skip


@ui_test
async def test_health_says_who_is_over_capacity_among_the_overall_reasons(
    busy: dict[str, Task], store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("enter")  # the portfolio's one project
        await wait_until(pilot, lambda: isinstance(app.screen, HealthScreen)
                         and not app.screen.in_portfolio, timeout=5)  # fmt: skip
        await settle(app, pilot)
        text = " ".join(screen_text(app).replace("│", " ").split())
        assert SAID in text
        assert "erik is at" not in text  # 8 h of 40: not over


@ui_test
async def test_the_board_detail_line_names_the_owners_overload_and_not_anyone_elses(
    busy: dict[str, Task], store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        await focus_task(app, pilot, busy["racks"])
        await settle(app, pilot)
        assert SAID in detail(app)
        await focus_task(app, pilot, busy["review"])
        await settle(app, pilot)
        assert "is at" not in detail(app) and "erik" in detail(app)
        assert "180%" not in text_of(app.screen.query_one("#board-detail"))
