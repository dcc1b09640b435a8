"""The stand-up screen driven from the keyboard, with a fixed clock: what people see and what is saved."""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, ParamSpec

import pytest
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input, OptionList

from itpm_tui.app import ItpmApp
from itpm_tui.clock import FixedClock
from itpm_tui.domain.standup import StandupRecord
from itpm_tui.errors import DatabaseBusy
from itpm_tui.models import Person, Project, StandupEntry, StandupSession, Status, Task
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.standup import StandupScreen
from itpm_tui.screens.standup_history import StandupHistoryScreen
from itpm_tui.screens.standup_modals import (
    ParkTopicModal,
    StandupStartModal,
    TaskStatusModal,
)
from itpm_tui.store import Store
from itpm_tui.widgets.board_column import BoardColumn
from itpm_tui.widgets.standup_card import SpeakerCard
from itpm_tui.widgets.standup_minutes import StandupMinutes
from itpm_tui.widgets.standup_panels import WalkStrip
from itpm_tui.widgets.standup_timer import StandupTimer
from tests.conftest import TODAY
from tests.tui.conftest import AppFactory
from tests.tui.helpers import region_text, settle, text_of

P = ParamSpec("P")
SSH = (80, 24)


def ui_test(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async Pilot test in its own event loop."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def notices(app: ItpmApp) -> list[str]:
    """The notifications shown so far."""
    return [n.message for n in app._notifications]


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float) -> float:
    """Poll the UI until ``condition`` holds; return how long it took."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not condition():
        assert loop.time() - start < seconds, f"not within {seconds} s"
        await pilot.pause(0.05)
    return loop.time() - start


@pytest.fixture
def team(store: Store) -> Store:
    """Team Infra (alice, bob, chen), the PM, a project, tasks; bob posted a note ahead."""
    for login, name, team_name in (("alice", "Alice Novak", "Infra"), ("bob", "Bob Schmidt",
                                   "Infra"), ("chen", "Chen Wei", "Infra"),
                                   ("pm", "Pat Morgan", "PMO")):  # fmt: skip
        store.people.save(Person(login=login, name=name, team=team_name))
    net = store.projects.add(Project(key="NET", name="Network refresh"))
    wan = store.tasks.add(Task(title="Cut over WAN", project_id=net.id, assignee="alice"))
    survey = store.tasks.add(Task(title="Site survey", project_id=net.id, assignee="alice"))
    store.tasks.add(Task(title="Install switches", project_id=net.id, assignee="bob",
                         status=Status.BLOCKED, blocked_reason="CAB approval"))  # fmt: skip
    store.tasks.add(Task(title="Patch firewall", assignee="chen", due=TODAY))
    store.tasks.update(wan.id, {"status": Status.DOING})
    store.tasks.update(survey.id, {"status": Status.DONE})
    store.standups.post_note("bob", TODAY, yesterday="Remote: wrote the runbook", today="",
                             blockers="")  # fmt: skip
    return store


async def fill(app: ItpmApp, pilot: Pilot[None], text: str) -> None:
    """Put ``text`` in the focused input (typing it key by key is slow), then press Enter."""
    field = app.focused
    assert isinstance(field, Input)
    field.value = text
    await pilot.press("enter")


async def open_standup(app: ItpmApp, pilot: Pilot[None]) -> StandupScreen:
    await pilot.press("5")
    await settle(app, pilot)
    assert isinstance(app.screen, StandupScreen)
    return app.screen


async def start(app: ItpmApp, pilot: Pilot[None], label: str, *keys: str) -> StandupScreen:
    """Open the stand-up screen, pick ``label`` in the start modal, press ``keys``, Enter."""
    screen = await open_standup(app, pilot)
    await pilot.press("s")
    await settle(app, pilot)
    modal = app.screen
    assert isinstance(modal, StandupStartModal)
    options = modal.query_one(OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    target = next(i for i, text in enumerate(labels) if text.startswith(label))
    while options.highlighted != target:
        await pilot.press("k" if (options.highlighted or 0) > target else "j")
    await pilot.press(*keys, "enter")
    await settle(app, pilot)
    assert app.screen is screen and screen.meeting is not None
    return screen


def speaker(screen: StandupScreen) -> str:
    assert screen.meeting is not None and screen.meeting.speaker is not None
    return screen.meeting.speaker.login


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(store.path) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


# --- a whole meeting -----------------------------------------------------------------------


@ui_test
async def test_a_whole_meeting_is_saved_exactly_as_it_ran(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        assert [s.login for s in screen.meeting.speakers] == ["alice", "bob", "chen"]  # type: ignore[union-attr]
        card = screen.query_one(SpeakerCard)
        assert "Alice Novak (alice)  ·  1 of 3" in text_of(card)
        assert "finished #2 Site survey" in text_of(card)

        clock.advance(150)  # alice runs 30 s over her two minutes
        screen.tick()
        timer = screen.query_one("#speaker-timer", StandupTimer)
        assert "2:30 / 2:00 · OVER by 0:30" in text_of(timer)
        assert timer.has_class("-over")

        await pilot.press("b", *"VPN", "space")
        await fill(app, pilot, app.focused.value + "token expired")  # type: ignore[union-attr]
        await pilot.press("n")
        assert speaker(screen) == "bob"
        assert "✉ Remote: wrote the runbook" in text_of(card)
        clock.advance(5)
        await pilot.press("a")  # bob is not there: absent, next
        assert speaker(screen) == "chen"

        clock.advance(80)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, ParkTopicModal)
        assert app.screen.query_one("#wanted", Input).value == "chen, pm"
        await fill(app, pilot, "Freeze window in December")
        await pilot.press("n")
        assert screen.meeting is not None and screen.meeting.wrapping_up
        clock.advance(10)
        await pilot.press("e")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.meeting is None
        assert screen.query_one("#views", ContentSwitcher).current == "lobby-view"

    assert rows(team, "SELECT held_on, project_id, team, facilitator, order_mode, timebox_seconds,"
                      " meeting_seconds, started_at, ended_at FROM standups") == [
        ("2026-11-23", None, "Infra", "pm", "fixed", 120, 900,
         clock.now().replace(hour=9, minute=0, second=0).isoformat(),
         clock.now().replace(hour=9, minute=4, second=5).isoformat()),
    ]  # fmt: skip
    assert rows(team, "SELECT standup_id, person, position, present, seconds_spoken, yesterday,"
                      " today, blockers FROM standup_entries WHERE standup_id IS NOT NULL") == [
        (1, "alice", 0, 1, 150, "started #1 Cut over WAN; finished #2 Site survey",
         "#1 Cut over WAN", "VPN token expired"),
        (1, "bob", 1, 0, 0, "Remote: wrote the runbook", "", ""),
        (1, "chen", 2, 1, 80, "", "#4 Patch firewall", ""),
    ]  # fmt: skip
    assert rows(team, "SELECT standup_id, topic, raised_by, wanted_by, resolved"
                      " FROM parking_lot") == [
        (1, "Freeze window in December", "chen", "chen,pm", 0),
    ]  # fmt: skip
    assert rows(team, "SELECT who, entity, entity_id, field, new FROM audit"
                      " WHERE entity = 'standup'") == [
        ("pm", "standup", 1, "held", "Infra: 2 of 3 present, 1 parked"),
    ]  # fmt: skip
    assert rows(team, "SELECT count(*) FROM standup_entries WHERE standup_id IS NULL") == [(1,)]


@ui_test
async def test_the_speaker_timer_ticks_every_second_from_the_apps_clock(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        timer = screen.query_one("#speaker-timer", StandupTimer)
        meeting_timer = screen.query_one("#meeting-timer", StandupTimer)
        clock.advance(95)
        await wait_until(pilot, lambda: "25 s left" in text_of(timer), 2.5)
        assert timer.has_class("-near") and not timer.has_class("-over")
        assert "Meeting 1:35 / 15:00 · 13:25 left" in text_of(meeting_timer)


# --- facilitator keys ----------------------------------------------------------------------


@ui_test
async def test_escape_and_switching_screens_never_lose_the_meeting(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        clock.advance(20)
        await pilot.press("n")
        before = screen.meeting
        await pilot.press("b", "x", "escape")  # a blocker typed, then cancelled
        await pilot.press("t", "escape")
        await pilot.press("e", "escape")
        await pilot.press("escape")
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert app.screen is screen and screen.meeting == before
        assert speaker(screen) == "bob"


@ui_test
async def test_a_meeting_that_cannot_be_saved_keeps_running_and_says_why(
    team: Store, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(_record: StandupRecord) -> StandupRecord:
        raise DatabaseBusy("itpm.db is locked by another process. Nothing was saved; try again.")

    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("n", "a")
        before = screen.meeting
        monkeypatch.setattr(team.standups, "save", locked)
        await pilot.press("e", "enter")
        await settle(app, pilot)
        assert screen.meeting == before
        assert any("The stand-up was not saved: itpm.db is locked" in n for n in notices(app))
        monkeypatch.undo()
        await pilot.press("e", "enter")  # try again once the lock is gone
        await settle(app, pilot)
        assert screen.meeting is None
    assert rows(team, "SELECT person, present FROM standup_entries WHERE standup_id = 1") == [
        ("alice", 1), ("bob", 0), ("chen", 1),
    ]  # fmt: skip


@ui_test
async def test_quitting_during_a_meeting_asks_first(team: Store, app_factory: AppFactory) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        await start(app, pilot, "Team Infra")
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert any("Press q again to quit without saving" in n for n in notices(app))
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@ui_test
async def test_presentation_mode_shows_only_speaker_work_and_timers(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("f")
        hidden = [screen.query_one(sel) for sel in ("AppHeader", "KeyBar", "#side")]
        assert all(not w.display for w in hidden)
        assert all(t.big for t in screen.query(StandupTimer))
        assert screen.query_one(SpeakerCard).display
        await pilot.press("n")  # facilitator keys still work
        assert speaker(screen) == "bob"
        await pilot.press("escape")
        assert not screen.presenting and all(w.display for w in hidden)
        assert screen.meeting is not None


@ui_test
async def test_presentation_names_the_standup_the_next_speaker_and_how_to_leave(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await start(app, pilot, "Team Infra")
        info = screen.query_one("#present-info")
        assert not info.display
        await pilot.press("f")
        await settle(app, pilot)
        assert info.display and info.region.y < 5  # at the top, the header being hidden
        assert text_of(info).strip() == (
            "Team Infra  ·  next: Bob Schmidt  ·  ⚑ 0 topics parked  ·  Esc leaves presentation"
        )
        await pilot.press("n")  # bob speaks: chen is next
        await settle(app, pilot)
        assert "next: Chen Wei" in text_of(info)


@ui_test
async def test_presentation_spreads_out_on_a_large_terminal(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot, "Team Infra", "f")
        await pilot.press("f")
        name = screen.query_one("#speaker-name")
        assert screen.has_class("-large") and name.size.height == 5


@ui_test
async def test_presentation_on_a_projector_shows_the_running_order_and_the_parking_lot(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("t")
        await settle(app, pilot)
        await fill(app, pilot, "Freeze window in December")
        await pilot.press("f")
        await settle(app, pilot)
        side, card = screen.query_one("#side"), screen.query_one(SpeakerCard)
        assert side.display and side.region.x >= card.region.right  # beside the speaker
        assert side.region.width >= 40 and side.region.height > 30
        shown = region_text(app, side)
        assert "▶ Alice Novak speaking" in shown and "· Bob Schmidt" in shown
        assert "Parking lot (1)" in shown and "Freeze window in December" in shown
    small = app_factory(team)
    async with small.run_test(size=SSH) as pilot:  # 80x24: the speaker only
        screen = await start(small, pilot, "Team Infra")
        await pilot.press("f")
        assert not screen.query_one("#side").display


@ui_test
async def test_walking_the_board_pauses_the_speaker_and_goes_right_to_left(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        clock.advance(30)
        await pilot.press("w")
        strip = screen.query_one(WalkStrip)
        assert screen.query_one("#views", ContentSwitcher).current == "walk"
        assert not screen.query_one("#side").display  # the board gets the whole width
        assert "▶ ● Done since last stand-up 1 · ◑ Review 0 · ⊘ Blocked 1" in text_of(strip)
        done = screen.query_one("#walk-done", BoardColumn)
        assert done.active and [c.task_id for c in done.cards] == [2]
        clock.advance(100)
        await pilot.press("n", "n")
        assert "▶ ⊘ Blocked 1" in text_of(strip)
        blocked = screen.query_one("#walk-blocked", BoardColumn)
        assert blocked.active and not done.active
        assert [(c.task_id, c.blocked_reason) for c in blocked.cards] == [(3, "CAB approval")]
        await pilot.press("w")
        assert screen.meeting is not None and screen.meeting.spoken(0, clock.monotonic()) == 30
        assert speaker(screen) == "alice"


@ui_test
async def test_the_board_walk_shows_the_boards_cards_and_flags(
    team: Store, app_factory: AppFactory
) -> None:
    net = team.projects.find()[0]
    team.tasks.add(Task(title="Order cables", project_id=net.id, assignee="bob",
                        due=TODAY - timedelta(days=3)))  # fmt: skip
    app = app_factory(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        board = app.screen
        on_board = {s: board.query_one(f"#column-{s.value}", BoardColumn).cards for s in Status}
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("w", "n", "n", "n", "n")  # right to left, as far as To do
        walked = {s: screen.query_one(f"#walk-{s.value}", BoardColumn).cards for s in Status}
        assert walked == on_board  # the same cards, flags and all
        todo = text_of(screen.query_one("#walk-todo", BoardColumn))
        assert "Order cables" in todo and "! overdue" in todo
        assert "Patch firewall" not in text_of(screen.query_one("#walk"))  # personal to-do


@ui_test
async def test_a_task_status_changes_on_the_spot_with_its_version(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        await start(app, pilot, "Team Infra")
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskStatusModal)
        await pilot.press("space", "enter")  # doing -> review: never through blocked
        await settle(app, pilot)
        assert any("#1 is now Review" in n for n in notices(app))
    task = team.tasks.get(1)
    assert (task.status, task.version, task.updated_by) == (Status.REVIEW, 3, "pm")


@ui_test
async def test_a_change_made_in_the_meeting_never_rewrites_yesterday(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot, "Team Infra")
        card = screen.query_one(SpeakerCard)
        assert "started #1 Cut over WAN" in text_of(card)
        clock.advance(20)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("space", "enter")  # alice's #1: doing -> review, while she speaks
        await settle(app, pilot)
        text = text_of(card)
        yesterday = text[text.index("Yesterday") : text.index("In this meeting")]
        assert "started #1 Cut over WAN" in yesterday and "review" not in yesterday
        assert "sent to review #1 Cut over WAN" in text[text.index("In this meeting") :]
        await pilot.press("e", "enter")
        await settle(app, pilot)
        assert screen.meeting is None
    assert rows(team, "SELECT yesterday, today FROM standup_entries"
                      " WHERE standup_id IS NOT NULL AND person = 'alice'") == [
        ("started #1 Cut over WAN; finished #2 Site survey",
         "in the meeting: sent to review #1 Cut over WAN"),
    ]  # fmt: skip


@ui_test
async def test_renaming_or_reassigning_a_task_during_the_meeting_never_rewrites_yesterday(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot, "Team Infra")
        card = screen.query_one(SpeakerCard)
        said = "started #1 Cut over WAN; finished #2 Site survey"
        assert "started #1 Cut over WAN" in text_of(card)
        bob = Store(team.path, user="bob", clock=clock)  # another terminal, mid-meeting
        bob.tasks.update(1, {"title": "WAN cut-over (renamed)"})
        bob.tasks.update(2, {"assignee": "bob"})
        bob.close()
        app.check_for_changes()
        await settle(app, pilot)
        assert screen.data is not None and screen.data.draft("alice") is not None
        live = screen.data.draft("alice")
        assert live is not None and "finished #2 Site survey" not in live.yesterday  # moved
        shown = text_of(card)
        assert "started #1 Cut over WAN" in shown and "finished #2 Site survey" in shown
        await pilot.press("n")  # bob: #2 was alice's yesterday, not his
        await settle(app, pilot)
        assert "Site survey" not in text_of(card).split("Today")[0]
        await pilot.press("e", "enter")
        await settle(app, pilot)
        assert screen.meeting is None
    assert rows(team, "SELECT person, yesterday FROM standup_entries"
                      " WHERE standup_id IS NOT NULL AND person IN ('alice', 'bob')"
                      " ORDER BY person") == [
        ("alice", said), ("bob", "Remote: wrote the runbook"),
    ]  # fmt: skip


@ui_test
async def test_a_standup_started_by_mistake_is_abandoned_and_nothing_is_saved(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("e")  # where someone looks first: the end dialog names X
        await settle(app, pilot)
        assert "Esc, then X abandons it unsaved" in text_of(app.screen)
        await pilot.press("escape", "X")
        await settle(app, pilot)
        await pilot.press("enter")  # Enter keeps it: losing a meeting takes a deliberate y
        await settle(app, pilot)
        assert screen.meeting is not None
        await pilot.press("X")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.meeting is None
        assert screen.query_one("#views", ContentSwitcher).current == "lobby-view"
        assert any("abandoned: nothing saved" in n for n in notices(app))
    assert rows(team, "SELECT count(*) FROM standups") == [(0,)]


@ui_test
async def test_blocking_a_task_on_the_spot_asks_why(team: Store, app_factory: AppFactory) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("c", "b", "enter")  # b blocks: why?
        await settle(app, pilot)
        await fill(app, pilot, "Waiting for the carrier")
        await settle(app, pilot)
        assert "#1 Cut over WAN · Waiting for the carrier" in text_of(screen.query_one(SpeakerCard))
        # #2 (done) -> blocked, then Escape on the reason: nothing saved
        await pilot.press("c", "down", "b", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LineInputModal)
        await pilot.press("escape")
        await settle(app, pilot)
    task = team.tasks.get(1)
    assert (task.status, task.blocked_reason) == (Status.BLOCKED, "Waiting for the carrier")
    assert (team.tasks.get(2).status, team.tasks.get(2).version) == (Status.DONE, 2)


@ui_test
async def test_a_status_change_that_collides_saves_nothing_and_says_who(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        await start(app, pilot, "Team Infra")
        await pilot.press("c", "space")  # doing -> review
        alice = Store(team.path, user="alice", clock=clock)
        alice.tasks.update(1, {"status": Status.DONE})
        alice.close()
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("alice changed status to 'done'" in n for n in notices(app))
    assert team.tasks.get(1).status is Status.DONE


@ui_test
async def test_parking_a_topic_for_an_unknown_login_says_so_and_keeps_the_form(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("t")
        await settle(app, pilot)
        app.screen.query_one("#topic", Input).value = "Budget"
        await pilot.press("tab")
        await fill(app, pilot, "alice, pm, zed")
        modal = app.screen
        assert isinstance(modal, ParkTopicModal)
        assert "Unknown login(s): zed" in text_of(modal.query_one("#park-error"))
        await fill(app, pilot, "alice pm,alice")  # spaces or commas; a repeat counts once
        assert app.screen is screen
        assert screen.meeting is not None
        assert [(p.topic, p.wanted_by) for p in screen.meeting.parking] == [
            ("Budget", ("alice", "pm"))
        ]


@ui_test
async def test_a_facilitator_not_in_the_people_list_can_park_a_topic_as_offered(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    outsider = Store(team.path, user="root", clock=clock)  # runs the meeting, not a person
    app = app_factory(outsider)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("t")
        await settle(app, pilot)
        assert app.screen.query_one("#wanted", Input).value == "alice"
        await fill(app, pilot, "Freeze window")  # Enter parks it as offered
        assert app.screen is screen and screen.meeting is not None
        assert [(p.topic, p.wanted_by) for p in screen.meeting.parking] == [
            ("Freeze window", ("alice",))
        ]
    outsider.close()


@ui_test
async def test_rotating_order_starts_after_the_last_meetings_first_speaker(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    yesterday = TODAY - timedelta(days=3)
    team.standups.save(StandupRecord(
        StandupSession(held_on=yesterday, team="Infra", started_at=clock.now() - timedelta(days=3)),
        tuple(StandupEntry(held_on=yesterday, person=p, position=i)
              for i, p in enumerate(("alice", "bob", "chen"))),
    ))  # fmt: skip
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra", "o", "o")
        assert screen.meeting is not None and screen.meeting.order_mode.value == "rotating"
        assert [s.login for s in screen.meeting.speakers] == ["bob", "chen", "alice"]


@ui_test
async def test_a_project_standup_hears_the_projects_assignees(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Project NET")
        assert screen.meeting is not None
        assert [s.login for s in screen.meeting.speakers] == ["alice", "bob"]


# --- live, lobby and history ---------------------------------------------------------------


@ui_test
async def test_a_task_changed_from_another_terminal_shows_within_two_seconds(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        clock.advance(40)
        await pilot.press("b")
        await fill(app, pilot, "VPN")
        before = screen.meeting
        card = screen.query_one(SpeakerCard)
        assert "◐ #1 Cut over WAN" in text_of(card)
        env = {**os.environ, "ITPM_TODAY": TODAY.isoformat()}
        subprocess.run(
            [sys.executable, "-m", "itpm_tui", "--db", str(team.path), "--user", "alice",
             "set", "1", "--status", "review"],
            check=True, env=env, capture_output=True, timeout=30,
        )  # fmt: skip
        await wait_until(pilot, lambda: "sent to review #1 Cut over WAN" in text_of(card), 2.0)
        assert "◐ #1 Cut over WAN" not in text_of(card)
        assert screen.meeting is before  # the meeting's state survived the reload
        timer = screen.query_one("#speaker-timer", StandupTimer)
        assert "0:40 / 2:00" in text_of(timer)


@ui_test
async def test_the_lobby_lists_updates_posted_for_today(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await open_standup(app, pilot)
        lobby = screen.query_one("#lobby")
        assert "Updates posted for today (1)" in text_of(lobby)
        assert "✉ Bob Schmidt (bob)" in text_of(lobby)
        team.standups.post_note("chen", TODAY, yesterday="x", today="", blockers="")
        await wait_until(pilot, lambda: "Updates posted for today (2)" in text_of(lobby), 2.0)


@ui_test
async def test_past_standups_are_browsable_in_a_list_with_their_minutes(
    team: Store, clock: FixedClock, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        clock.advance(130)
        await pilot.press("b")
        await fill(app, pilot, "No VPN")
        await pilot.press("n", "a", "e", "enter")
        await settle(app, pilot)
        await pilot.press("H")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, StandupHistoryScreen)
        listing = text_of(history.query_one(OptionList))
        assert "Mon 23 Nov Infra" in listing and "2/3" in listing
        minutes = text_of(history.query_one(StandupMinutes))
        assert "✓ Alice Novak (alice)  2:10  OVER by 0:10" in minutes
        assert "Blockers: No VPN" in minutes
        assert "✗ Bob Schmidt (bob) absent" in minutes
        await pilot.press("escape")
        assert app.screen is screen


@ui_test
async def test_a_standup_of_another_year_says_its_year_in_the_history_list(
    team: Store, app_factory: AppFactory
) -> None:
    last_year = TODAY - timedelta(days=364)  # Mon 24 Nov 2025
    team.standups.save(StandupRecord(StandupSession(held_on=last_year, team="Infra")))
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        await open_standup(app, pilot)
        await pilot.press("H")
        await settle(app, pilot)
        assert isinstance(app.screen, StandupHistoryScreen)
        assert "Mon 24 Nov 25 Infra" in text_of(app.screen.query_one(OptionList))


@ui_test
async def test_past_minutes_scroll_from_the_keyboard_and_export_to_a_file_or_the_clipboard(
    team: Store, clock: FixedClock, app_factory: AppFactory, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    app = app_factory(team)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)  # the OSC 52 write itself
    async with app.run_test(size=(80, 12)) as pilot:  # short: the minutes need scrolling
        await start(app, pilot, "Team Infra")
        clock.advance(60)
        await pilot.press("e", "enter")
        await settle(app, pilot)
        await pilot.press("H")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, StandupHistoryScreen)
        detail = history.query_one("#history-detail")
        assert detail.scroll_y == 0 and detail.max_scroll_y > 0
        await pilot.press("J")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("K")
        await pilot.pause()
        assert detail.scroll_y == 0
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        said = notices(app)
    written = tmp_path / "standup-2026-11-23-Infra.md"
    assert any(f"Wrote {written}" in n for n in said)
    text = written.read_text(encoding="utf-8")
    assert (
        text.startswith("# Stand-up notes: Monday 23 November 2026")
        and "## Team Infra, 09:00-09:01" in text
    )
    assert copied == [text]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


@ui_test
async def test_r_on_a_blocked_task_raises_an_issue_linked_to_it_and_says_so(
    team: Store, app_factory: AppFactory
) -> None:
    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")
        await pilot.press("n")  # bob, whose #3 is blocked on the CAB
        assert speaker(screen) == "bob"
        await pilot.press("R")  # (its dialog worker waits for the picker: no settle here)
        await pilot.press("enter")  # the blocker is listed first
        await settle(app, pilot)
        item = team.raid.get(1)
        assert (item.kind.value, item.title, item.task_ids, item.owner, item.project_key) == (
            "issue", "#3 Install switches is blocked: CAB approval", (3,), "bob", "NET")  # fmt: skip
        assert "Raised in the stand-up of 2026-11-23 (Team Infra)" in item.description
        notices = [n.message for n in app._notifications]
        assert ("Raised issue I1 on NET, linked to #3: #3 Install switches is blocked: CAB "
                "approval") in notices  # fmt: skip
        assert screen.meeting is not None  # the meeting goes on


@ui_test
async def test_r_on_a_parked_topic_asks_the_kind_and_the_project(
    team: Store, app_factory: AppFactory
) -> None:
    from decimal import Decimal

    app = app_factory(team)
    async with app.run_test(size=SSH) as pilot:
        screen = await start(app, pilot, "Team Infra")  # alice speaks: nothing blocked
        await pilot.press("t")
        await settle(app, pilot)
        await fill(app, pilot, "Freeze window in December")
        assert screen.meeting is not None and len(screen.meeting.parking) == 1
        await pilot.press("R")
        await pilot.press("enter")  # the topic, the only choice
        await pilot.press("j", "enter")  # a risk (issue, risk, assumption, decision)
        await pilot.press("enter")  # NET, the only project (a team stand-up asks)
        await pilot.press("enter", "enter")  # probability 3, impact 3
        await settle(app, pilot)
        item = team.raid.get(1)
        assert (item.kind.value, item.title, item.probability, item.impact) == (
            "risk", "Freeze window in December", Decimal(3), Decimal(3))  # fmt: skip
        assert "parked by alice, wanted by alice, pm" in item.description
        assert "Raised risk R1 on NET: Freeze window in December" in [
            n.message for n in app._notifications]  # fmt: skip
