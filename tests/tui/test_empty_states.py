"""What Today and the empty screens say beyond their lists: why a list is empty and what fills
it, a login that is not one of the people, RAID reviews due; whole, at 80x24."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.models import Person
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import add, fill, screen_text, settle, ui_test

SSH = (80, 24)


def words(app: object) -> str:
    """The screen's words with line breaks and padding undone (the hint wraps at 80)."""
    return " ".join(screen_text(app).split())  # type: ignore[arg-type]


@ui_test
async def test_a_login_that_is_not_one_of_the_people_is_told_so_and_how_to_fix_it(
    db_path: Path, clock: FixedClock, app_factory: AppFactory
) -> None:
    with closing(Store(db_path, user="pm", clock=clock)) as setup:
        setup.people.save(Person(login="alice", name="Alice Novak"))
        setup.people.save(Person(login="bob", name="Bob Stone"))
        add(setup, "Alice's switch install", assignee="alice")
    with closing(Store(db_path, user="uxbob", clock=clock)) as store:
        app = app_factory(store)
        async with app.run_test(size=SSH) as pilot:
            await settle(app, pilot)
            text = words(app)
    assert "Nothing for uxbob, who is not one of the 2 people in this database" in text
    assert "Start with --user LOGIN or ITPM_USER=LOGIN" in text
    assert "8 then a adds you (or itpm-tui person add uxbob --name 'Your Name')." in text


@ui_test
async def test_a_stranger_adds_themselves_from_workload_and_today_knows_them(
    db_path: Path, clock: FixedClock, app_factory: AppFactory
) -> None:
    with closing(Store(db_path, user="pm", clock=clock)) as setup:
        setup.people.save(Person(login="alice", name="Alice Novak"))
    with closing(Store(db_path, user="uxbob", clock=clock)) as store:
        app = app_factory(store)
        async with app.run_test(size=SSH) as pilot:
            await settle(app, pilot)
            assert "uxbob, who is not the one person in this database" in words(app)
            await pilot.press("8", "a")
            await fill(pilot, "uxbob", "Bob Ux", "")  # Enter on the last saves
            await settle(app, pilot)
            await pilot.press("1")
            await settle(app, pilot)
            text = words(app)
        assert [p.login for p in store.people.find()] == ["alice", "uxbob"]
    assert "who is not" not in text and "Nothing on your plate" in text


@ui_test
async def test_a_stranger_with_personal_to_dos_still_sees_the_warning(
    db_path: Path, clock: FixedClock, app_factory: AppFactory
) -> None:
    with closing(Store(db_path, user="pm", clock=clock)) as setup:
        setup.people.save(Person(login="alice", name="Alice Novak"))
        add(setup, "Renew my badge", assignee=None)  # a personal to-do nobody owns: on every Today
    with closing(Store(db_path, user="uxbob", clock=clock)) as store:
        app = app_factory(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            text = words(app)
    assert "Renew my badge" in text
    assert "⚠ uxbob is not one of the people here" in text


@ui_test
async def test_a_fresh_database_names_the_commands_that_fill_it(
    store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SSH) as pilot:
        await settle(app, pilot)
        today = words(app)
        await pilot.press("2")
        await settle(app, pilot)
        tasks = words(app)
        await pilot.press("t")  # a filter now hides nothing but says so differently
        await settle(app, pilot)
        filtered = words(app)
    assert "4 then a adds a project (or itpm-tui project add KEY NAME)" in today
    assert "8 then a adds people (or itpm-tui person add LOGIN)" in today
    assert "itpm-tui demo fills an empty database with a sample" in today
    assert "No open tasks. Press a to add one with every field" in tasks
    assert "No tasks match. Press c to clear the filters." in filtered


@ui_test
async def test_every_empty_screen_of_a_fresh_database_names_the_keys_that_fill_it(
    store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    shown: dict[str, str] = {}
    async with app.run_test(size=SSH) as pilot:
        for key, name in (("3", "board"), ("4", "health"), ("6", "timeline"), ("7", "raid"),
                          ("8", "workload")):  # fmt: skip
            await pilot.press(key)
            await settle(app, pilot)
            shown[name] = words(app)
    # whole at 80 columns (wrapped, never cut), each with the key and the command
    assert ("No projects yet, so no team board: 4 then a adds a project "
            "(or `itpm-tui project add KEY NAME`), then 2 then a adds its tasks.") in shown["board"]  # fmt: skip
    assert ("No projects yet: press a to add one (or `itpm-tui project add KEY NAME`)."
            in shown["health"])  # fmt: skip
    assert ("No projects yet: 4 then a adds one (or `itpm-tui project add KEY NAME`); tasks "
            "with a planned start and finish or a due date (2 then a, or `itpm-tui add TITLE "
            "-p KEY --start DATE --finish DATE`) make the bars.") in shown["timeline"]  # fmt: skip
    assert ("No projects yet, so no RAID log: 4 then a adds a project (or `itpm-tui project add "
            "KEY NAME`), then a here raises a risk") in shown["raid"]  # fmt: skip
    assert (
        "No people: press a to add one (or `itpm-tui person add LOGIN --team TEAM`)."
        in (shown["workload"])
    )


@ui_test
async def test_a_project_added_in_the_app_is_named_by_the_screens_it_leaves_empty(
    store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SSH) as pilot:
        await pilot.press("4", "a")
        await fill(pilot, "OPS", "Ops tooling", "", None, "", "")  # Enter on the last saves
        await settle(app, pilot)
        assert [p.key for p in store.projects.find()] == ["OPS"]
        await pilot.press("enter")  # open it
        await settle(app, pilot)
        health = words(app)
        await pilot.press("3")
        await settle(app, pilot)
        board = words(app)
        await pilot.press("7")
        await settle(app, pilot)
        raid = words(app)
        await pilot.press("6")
        await settle(app, pilot)
        timeline = words(app)
    assert "Milestones: none yet · m adds one (or `itpm-tui milestone add`)" in health
    assert ("No project tasks yet: 2 then a adds one (or `itpm-tui add TITLE -p KEY`); "
            "personal to-dos stay on Today.") in board  # fmt: skip
    assert "No open RAID items: press a to raise one" in raid
    assert "No open tasks: 2 then a adds one with a planned start and finish" in timeline


@ui_test
async def test_today_names_my_raid_items_due_for_review(
    store: Store, app_factory: AppFactory
) -> None:
    from datetime import timedelta

    from itpm_tui.models import Project, RaidItem, RaidKind
    from tests.conftest import TODAY

    store.people.save(Person(login="pm", name="Pat Manager"))
    store.people.save(Person(login="bob", name="Bob Stone"))
    net = store.projects.add(Project(key="NET", name="Network"))
    week_ago = TODAY - timedelta(days=7)
    for title, owner, review in (("Carrier delays WAN circuits", "pm", TODAY - timedelta(days=3)),
                                 ("Vendor lock-in", "pm", TODAY),
                                 ("Not mine", "bob", TODAY),
                                 ("Later", "pm", TODAY + timedelta(days=2))):  # fmt: skip
        store.raid.add(RaidItem(project_id=net.id, kind=RaidKind.ISSUE, title=title, owner=owner,
                                raised_on=week_ago, review_on=review))  # fmt: skip
    app = app_factory(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        line = words(app)
    assert ("⚑ 2 RAID reviews due: I1 Carrier delays WAN circuits (3 days late) · "
            "I2 Vendor lock-in (today) · 7 opens the log") in line  # fmt: skip
    assert "Not mine" not in line and "Later" not in line
