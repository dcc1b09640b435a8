"""Workload (key 8): people x ISO weeks as % of capacity, cell cursor, team filter, tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.clock import FixedClock
from itpm_tui.models import Person, Project
from itpm_tui.screens.record_form import RecordForm
from itpm_tui.screens.workload import WorkloadScreen
from itpm_tui.store import Store
from itpm_tui.widgets.workload_grid import WorkloadGrid
from tests.conftest import TODAY
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import (
    add,
    fill,
    form,
    form_error,
    settle,
    text_of,
    ui_test,
    wait_until,
)

MONDAY = TODAY  # 2026-11-23 is the Monday of ISO week 48
assert MONDAY.weekday() == 0


async def open_workload(app: ItpmApp, pilot: Pilot[None]) -> WorkloadGrid:
    await pilot.press("8")
    await settle(app, pilot)
    assert isinstance(app.screen, WorkloadScreen)
    return app.screen.query_one(WorkloadGrid)


def detail(app: ItpmApp) -> str:
    text = text_of(app.screen.query_one("#workload-detail"))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.fixture
def one_week(store: Store) -> Store:
    """dana (Ops, 8 h a day, Mon-Fri): 40 h in week 48, 72 h in week 49; erik (Apps): idle."""
    store.people.save(Person(login="dana", name="Dana Diaz", team="Ops"))
    store.people.save(Person(login="erik", team="Apps"))
    net = store.projects.add(Project(key="NET", name="Network upgrade"))
    add(store, "Rack the switches", project_id=net.id, assignee="dana", estimate_hours=40,
        planned_start=MONDAY, due=MONDAY + timedelta(days=4))  # fmt: skip
    add(store, "Cut over", project_id=net.id, assignee="dana", estimate_hours=48,
        planned_start=MONDAY + timedelta(days=7), due=MONDAY + timedelta(days=11))  # fmt: skip
    add(store, "Document it", project_id=net.id, assignee="dana", estimate_hours=24,
        planned_start=MONDAY + timedelta(days=7), due=MONDAY + timedelta(days=11))  # fmt: skip
    add(store, "Review", project_id=net.id, assignee="erik", estimate_hours=8,
        planned_start=MONDAY, due=MONDAY + timedelta(days=4))  # fmt: skip
    return store


@pytest.mark.parametrize("size", ["ssh", "wide"])
@ui_test
async def test_40_hours_over_a_week_of_8_hour_days_is_100_percent(
    one_week: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES[size]) as pilot:
        grid = await open_workload(app, pilot)
        lines = text_of(grid).splitlines()
        assert lines[0].split()[:4] == ["Person", "W48", "W49", "W50"]
        dana = lines[1].split()
        assert dana[:4] == ["dana", "100%", "180%!", "0%·"]  # 72 h of 40 h: over, with a mark
        assert lines[2].split()[:3] == ["erik", "20%·", "0%·"]
        weeks = len(lines[0].split()) - 1
        assert weeks == (9 if size == "ssh" else 12)  # as many weeks as fit, current first
        text = detail(app)
        assert "Dana Diaz · 2026-W48" in text
        assert "40 h of work, 40 h available = 100%" in text
        assert "#1 Rack the switches 40 h" in text


@ui_test
async def test_l_moves_to_the_next_week_and_enter_lists_the_tasks_behind_it(
    one_week: Store, app_factory: AppFactory
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        await pilot.press("l")
        assert grid.week == 1
        text = detail(app)
        assert "2026-W49" in text and "72 h of work, 40 h available = 180% over" in text
        assert "#2 Cut over 48 h · #3 Document it 24 h" in text
        await pilot.press("enter")
        await pilot.pause()
        listed = detail(app).splitlines()
        assert listed[0] == "dana · 2026-W49: 2 tasks (Enter: back)"
        assert listed[1].split()[:3] == ["#2", "NET", "48"]
        assert listed[2].split()[:3] == ["#3", "NET", "24"]
        await pilot.press("j")  # erik's week 49: nothing behind it
        assert detail(app).splitlines() == ["erik · 2026-W49: 0 tasks (Enter: back)"]
        await pilot.press("h", "h")  # never before the current week
        assert grid.week == 0
        await pilot.press("enter")
        await pilot.pause()
        assert "erik · 2026-W48" in detail(app) and "8 h of work, 40 h available" in detail(app)


@ui_test
async def test_t_cycles_the_teams_then_everyone(one_week: Store, app_factory: AppFactory) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        assert [p.login for p in grid.people] == ["dana", "erik"]
        for expected in (["erik"], ["dana"], ["dana", "erik"]):  # Apps, Ops, everyone
            await pilot.press("t")
            await settle(app, pilot)
            assert [p.login for p in grid.people] == expected


@ui_test
async def test_p_keeps_a_projects_people_with_their_load_across_all_projects(
    one_week: Store, app_factory: AppFactory
) -> None:
    app_project = one_week.projects.add(Project(key="APP", name="Mobile app"))
    # erik's 16 h on APP this week; his 8 h NET review still counts in his load under APP.
    add(one_week, "Store listing", project_id=app_project.id, assignee="erik",
        estimate_hours=16, planned_start=MONDAY, due=MONDAY + timedelta(days=4))  # fmt: skip
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        for expected in (["erik"], ["dana", "erik"], ["dana", "erik"]):  # APP, NET, all
            await pilot.press("p")
            await settle(app, pilot)
            assert [p.login for p in grid.people] == expected
            if expected == ["erik"]:
                # 8 h + 16 h = 24 h of 40 h: 60%, the week's whole load, not APP's 16 h.
                assert "24 h of work, 40 h available = 60%" in detail(app)
                assert "project APP" in detail(app)
        assert "project" not in detail(app)


@ui_test
async def test_s_opens_the_highlighted_persons_timesheet_and_h_goes_a_week_back(
    one_week: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.models import Worklog
    from itpm_tui.screens.timesheet import TimesheetModal
    from tests.tui.helpers import screen_text, wait_for_text

    one_week.worklogs.log(Worklog(person="dana", task_id=1, day=MONDAY - timedelta(days=4),
                                  minutes=150))  # fmt: skip
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_workload(app, pilot)
        await pilot.press("s")
        await wait_for_text(app, pilot, "Timesheet: dana · 2026-W48")
        assert isinstance(app.screen, TimesheetModal)
        assert "no time logged this week" in screen_text(app)
        await pilot.press("h")
        await wait_for_text(app, pilot, "Timesheet: dana · 2026-W47")
        line = next(x for x in screen_text(app).splitlines() if "#1 Rack" in x)
        assert line.split()[-9:-1] == ["-", "-", "-", "2:30", "-", "-", "-", "2:30"]  # Thu 19
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkloadScreen)


@ui_test
async def test_hours_typed_into_the_timesheet_are_logged_and_missing_days_are_named(
    one_week: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.models import Worklog
    from itpm_tui.screens.line_input import LineInputModal
    from itpm_tui.screens.timesheet import TimesheetModal
    from itpm_tui.store.worklogs import WorklogFilter
    from tests.tui.helpers import screen_text, wait_for_text

    one_week.worklogs.log(Worklog(person="dana", task_id=1, day=MONDAY, minutes=60))

    def row(task: str) -> list[str]:
        line = next(x for x in screen_text(app).splitlines() if task in x)
        return line.split()[-9:-1]

    def said() -> str:
        return str([n.message for n in app._notifications])

    def logged(task_id: int) -> list[tuple[str, int]]:
        found = one_week.worklogs.find(WorklogFilter(task_id=task_id))
        return [(str(w.day), w.minutes) for w in found]

    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_workload(app, pilot)
        await pilot.press("s")
        await wait_for_text(app, pilot, "#1 Rack")
        await pilot.press("enter")  # the cursor is on today, Monday, of #1
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        assert "dana's time on #1 on Mon 23 Nov (now 1:00)" in screen_text(app)
        await fill(pilot, "2:30")
        await settle(app, pilot)
        assert "dana's time on #1 on Mon 23 Nov is now 2:30" in said()
        assert row("#1 Rack") == ["2:30", "-", "-", "-", "-", "-", "-", "2:30"]
        assert logged(1) == [("2026-11-23", 150)]
        # o: how much of the cell was overtime; the total stays, a row sums it per day.
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        assert "Overtime within dana's 2:30 on #1, Mon 23 Nov (now none)" in (
            screen_text(app))  # fmt: skip
        await fill(pilot, "1h")
        await wait_for_text(app, pilot, "of which overtime")
        assert "dana's overtime on #1 on Mon 23 Nov is now 1:00" in said()
        assert row("#1 Rack") == ["2:30", "-", "-", "-", "-", "-", "-", "2:30"]
        assert row("of which overtime") == ["1:00", "-", "-", "-", "-", "-", "-", "1:00"]
        found = one_week.worklogs.find(WorklogFilter(task_id=1))
        assert [(w.minutes, w.overtime_minutes) for w in found] == [(90, 60)]
        await pilot.press("o")  # more overtime than the cell holds: refused, nothing changed
        await settle(app, pilot)
        await fill(pilot, "3h")
        await settle(app, pilot)
        assert "dana has 2:30 on #1 on Mon 23 Nov; overtime is part of that time" in said()
        assert [(w.minutes, w.overtime_minutes) for w in
                one_week.worklogs.find(WorklogFilter(task_id=1))] == [(90, 60)]  # fmt: skip
        # Tuesday is tomorrow: refused at the key, nothing asked.
        await pilot.press("l", "enter")
        await settle(app, pilot)
        assert "Tue 24 Nov is in the future" in said()
        assert isinstance(app.screen, TimesheetModal)
        # A task not in the sheet: its id and the hours, on the cursor's day (Monday again).
        await pilot.press("h", "a")
        await settle(app, pilot)
        await fill(pilot, "2 1:15")
        await wait_for_text(app, pilot, "#2 Cut")
        assert row("#2 Cut") == ["1:15", "-", "-", "-", "-", "-", "-", "1:15"]
        assert logged(2) == [("2026-11-23", 75)]
        # Something unreadable saves nothing.
        await pilot.press("enter")
        await settle(app, pilot)
        await fill(pilot, "-1h")
        await settle(app, pilot)
        assert "hours cannot be negative" in said()
        assert logged(2) == [("2026-11-23", 75)]
        # Emptying a cell deletes its time; the cursor stays on the task it typed.
        await pilot.press("enter")
        await settle(app, pilot)
        await fill(pilot, "0")
        await wait_for_text(app, pilot, "#2 Cut", present=False)
        assert logged(2) == []
        # Left of Monday is last week's Sunday: a week with nothing logged names its days.
        await pilot.press("h")
        await wait_for_text(app, pilot, "2026-W47")
        assert "missing: Mon 16 Nov, Tue 17 Nov, Wed 18 Nov, Thu 19 Nov, Fri 20 Nov" in (
            screen_text(app))  # fmt: skip
        await pilot.press("right_square_bracket")
        await wait_for_text(app, pilot, "2026-W48")


@ui_test
async def test_the_cursor_scrolls_the_weeks_that_do_not_fit_at_80_columns(
    one_week: Store, app_factory: AppFactory
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        await pilot.press(*["l"] * 11)  # the 12th week
        assert grid.week == 11
        header = text_of(grid).splitlines()[0].split()
        # 2026 has 53 ISO weeks: W48..W53, then 2027-W01..W06; nine fit, W48..W50 scrolled out
        assert header[1:] == ["W51", "W52", "W53", "W1", "W2", "W3", "W4", "W5", "W6"]
        assert "2027-W06" in detail(app)
        await pilot.press("g")  # j/k/g keep the week
        assert grid.week == 11


@ui_test
async def test_a_week_move_repaints_the_cursors_row_and_shows_what_a_full_paint_would(
    demo_store: Store, app_factory: AppFactory
) -> None:
    """Only the cursor's row marks its week: l and h repaint that line (11 KB -> 0.7 KB
    a key at 80x24), unless the weeks shown scroll, when every row changes."""
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        lines: list[int | None] = []
        refresh, refresh_line = grid.refresh, grid.refresh_line

        def whole(*regions: Region, **options: bool) -> WorkloadGrid:
            if not regions:  # refresh_line refreshes its region through here too
                lines.append(None)
            return refresh(*regions, **options)

        def one(y: int) -> None:
            lines.append(y)
            refresh_line(y)

        grid.refresh = whole  # type: ignore[method-assign]
        grid.refresh_line = one  # type: ignore[method-assign]
        await pilot.press("l", "l", "h")
        await settle(app, pilot)
        assert lines and None not in lines
        assert set(lines) == {grid.cursor + grid.header_lines}
        shown = text_of(grid)
        grid.refresh = refresh  # type: ignore[method-assign]
        grid.refresh()
        await settle(app, pilot)
        assert text_of(grid) == shown
        lines.clear()
        grid.refresh = whole  # type: ignore[method-assign]
        await pilot.press(*["l"] * 10)  # past the ninth week: the weeks scroll
        assert None in lines


@ui_test
async def test_the_demo_shows_everyone_with_the_overloaded_marked(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        grid = await open_workload(app, pilot)
        rows = {line.split()[0]: line.split()[1:] for line in text_of(grid).splitlines()[1:]
                if line.strip()}  # fmt: skip
        assert list(rows) == ["alice", "bob", "chen", "dana", "erik", "fatima", "gus", "hana",
                              "pm"]  # fmt: skip
        assert rows["bob"][:2] == ["191%!", "111%!"]
        assert rows["dana"][0] == "109%!"
        assert rows["alice"][0] == "79%^"  # a day over 8 h in a week that is not over
        assert "= 79% peak" in detail(app) and "daily peak Mon 23" in detail(app)
        await pilot.press("j")  # bob
        assert "· 2026-W48" in detail(app) and "= 191% over" in detail(app)


@ui_test
async def test_an_empty_database_says_how_to_add_people(
    store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        lines = text_of(grid).splitlines()
        assert lines[0].split() == ["Person"]
        assert "No people: press a to add one" in lines[1]
        await pilot.press("l", "j", "enter", "t")  # nothing to move to, nothing breaks
        await settle(app, pilot)
        assert grid.week == 0


@ui_test
async def test_a_task_added_elsewhere_changes_the_cell_without_a_key(
    one_week: Store, app_factory: AppFactory
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        add(one_week, "Patch panel", assignee="erik", estimate_hours=32,
            planned_start=MONDAY, due=MONDAY + timedelta(days=4))  # fmt: skip
        for _ in range(20):
            await pilot.pause(0.1)
            await settle(app, pilot)
            if text_of(grid).splitlines()[2].split()[1] == "100%":
                break
        assert text_of(grid).splitlines()[2].split()[:2] == ["erik", "100%"]  # 8 + 32 of 40 h


@ui_test
async def test_a_adds_a_person_to_the_team_shown_and_the_grid_lists_them(
    one_week: Store, app_factory: AppFactory
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        grid = await open_workload(app, pilot)
        await pilot.press("t")  # the first team: Apps
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert form(app).query_one("#field-team", Input).value == "Apps"
        await fill(pilot, "fay", "Fay Ito", None)
        await wait_until(pilot, lambda: "fay" in text_of(grid))
        assert one_week.people.get("fay") == Person(login="fay", name="Fay Ito", team="Apps")
        assert [e.field for e in one_week.audit.find(entity="person")][:1] == ["fay.created"]
        assert text_of(grid).splitlines()[1].split()[:2] == ["erik", "20%·"]
        assert text_of(grid).splitlines()[2].split()[:2] == ["fay", "0%·"]


@ui_test
async def test_a_login_taken_or_unsafe_is_named_and_nothing_is_added(
    one_week: Store, app_factory: AppFactory
) -> None:
    app = app_factory(one_week)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_workload(app, pilot)
        before = one_week.people.find()
        await pilot.press("a")
        await settle(app, pilot)
        await fill(pilot, "no spaces", "", "")
        assert "login" in form_error(app).lower()
        assert form(app).focused is form(app).query_one("#field-login", Input)
        await fill(pilot, "dana", "Dana again", "Ops")
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordForm))
        refused = "person 'dana' already exists; change them with `itpm-tui person set`"
        await wait_until(pilot, lambda: refused in [n.message for n in app._notifications])
        assert one_week.people.find() == before


@ui_test
async def test_a_read_only_timesheet_refuses_typing_at_the_key(
    one_week: Store, app_factory: AppFactory, clock: FixedClock
) -> None:
    from itpm_tui.screens.timesheet import TimesheetModal
    from itpm_tui.store.db import READ_ONLY_BY_REQUEST
    from tests.tui.helpers import wait_for_text

    one_week.close()
    store = Store(one_week.path, user="pm", clock=clock, read_only=True)
    app = app_factory(store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_workload(app, pilot)
        await pilot.press("s")
        await wait_for_text(app, pilot, "Timesheet: dana")
        for key in ("enter", "a"):
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, TimesheetModal), f"{key} opened {app.screen}"
        assert {n.message for n in app._notifications} == {
            f"Not changed: {READ_ONLY_BY_REQUEST}."}  # fmt: skip
    store.close()
