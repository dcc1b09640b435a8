"""What Today and the empty screens say beyond their lists: why a list is empty and what fills
it, a login that is not one of the people, RAID reviews due; whole, at 80x24."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from itpm_tui.clock import FixedClock
from itpm_tui.models import Person
from itpm_tui.store import Store
from tests.tui.conftest import AppFactory
from tests.tui.helpers import add, screen_text, settle, ui_test

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
    assert "itpm-tui person add uxbob --name 'Your Name'" in text  # not cut at 80 columns


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
    assert "itpm-tui project add KEY NAME starts a project" in today
    assert "itpm-tui demo fills an empty database with a sample" in today
    assert "No open tasks. Press a to add one with every field" in tasks
    assert "No tasks match. Press c to clear the filters." in filtered


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
