"""Stand-up domain: speaker order, drafting from the audit log, timers, meeting state, minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from itpm_tui.domain.board import board_cards
from itpm_tui.domain.safe_text import unsafe_character
from itpm_tui.domain.schedule import TaskFlagKind
from itpm_tui.domain.standup import (
    Meeting,
    MeetingScope,
    OrderMode,
    SpeakerDraft,
    StandupRecord,
    TimerLevel,
    change_candidates,
    clock_text,
    daily_seed,
    draft_blocked,
    draft_for,
    draft_today,
    draft_yesterday,
    minutes,
    near_window,
    raid_candidates,
    read_timer,
    speaker_order,
    walk_cards,
)
from itpm_tui.models import (
    AuditEvent,
    Person,
    Project,
    StandupEntry,
    StandupSession,
    Status,
    Task,
)

DAY = date(2026, 11, 23)
SINCE = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PEOPLE = [Person(login=x, name=x.title()) for x in ("dana", "alice", "chen", "bob")]


def logins(people: tuple[Person, ...]) -> list[str]:
    return [p.login for p in people]


# --- order ---------------------------------------------------------------------------------


def test_fixed_order_is_alphabetical_by_login() -> None:
    assert logins(speaker_order(PEOPLE, OrderMode.FIXED)) == ["alice", "bob", "chen", "dana"]


def test_random_order_is_reproducible_with_its_seed_and_differs_between_seeds() -> None:
    first = logins(speaker_order(PEOPLE, OrderMode.RANDOM, seed=7))
    assert first == logins(speaker_order(PEOPLE, OrderMode.RANDOM, seed=7))
    assert sorted(first) == ["alice", "bob", "chen", "dana"]
    orders = {tuple(logins(speaker_order(PEOPLE, OrderMode.RANDOM, seed=s))) for s in range(12)}
    assert len(orders) > 3


def test_daily_seed_is_stable_within_a_day_and_changes_across_days_and_teams() -> None:
    assert daily_seed(DAY, "Infra") == daily_seed(DAY, "Infra")
    assert daily_seed(DAY, "Infra") != daily_seed(DAY + timedelta(days=1), "Infra")
    assert daily_seed(DAY, "Infra") != daily_seed(DAY, "Apps")


@pytest.mark.parametrize(
    ("last_first", "expected"),
    [
        (None, ["alice", "bob", "chen", "dana"]),
        ("alice", ["bob", "chen", "dana", "alice"]),
        ("dana", ["alice", "bob", "chen", "dana"]),
        ("bea", ["bob", "chen", "dana", "alice"]),  # gone: the next login after theirs
        ("zoe", ["alice", "bob", "chen", "dana"]),
    ],
)
def test_rotating_order_starts_after_the_last_meetings_first_speaker(
    last_first: str | None, expected: list[str]
) -> None:
    order = speaker_order(PEOPLE, OrderMode.ROTATING, last_first=last_first)
    assert logins(order) == expected


# --- drafting ------------------------------------------------------------------------------


def task(task_id: int, status: Status, assignee: str = "bob", **extra: object) -> Task:
    return Task.model_validate(
        {"id": task_id, "title": f"Task {task_id}", "status": status, "assignee": assignee} | extra
    )


def moved(task_id: int, new: str, at: datetime, who: str = "bob", event_id: int = 0) -> AuditEvent:
    return AuditEvent(
        id=event_id, at=at, who=who, entity="task", entity_id=task_id, field="status", new=new
    )


def test_yesterday_lists_each_task_once_with_its_latest_move_since_the_last_standup() -> None:
    tasks = {
        1: task(1, Status.DONE),
        2: task(2, Status.REVIEW),
        3: task(3, Status.DOING),
        4: task(4, Status.DONE, assignee="alice"),
    }
    after = SINCE + timedelta(hours=2)
    events = [
        moved(1, "doing", after, event_id=1),
        moved(2, "review", after + timedelta(minutes=5), event_id=2),
        moved(1, "done", after + timedelta(minutes=10), event_id=3),
        moved(3, "doing", SINCE - timedelta(minutes=1), event_id=4),  # before: not drafted
        moved(4, "done", after, who="bob", event_id=5),  # bob closed alice's task: hers
        AuditEvent(at=after, who="bob", entity="task", entity_id=3, field="title", new="x"),
    ]
    assert draft_yesterday("bob", tasks, events, SINCE) == (
        "sent to review #2 Task 2",
        "finished #1 Task 1",
    )
    assert draft_yesterday("alice", tasks, events, SINCE) == ("finished #4 Task 4",)


def test_yesterday_follows_the_logs_order_when_two_clocks_disagree() -> None:
    tasks = {1: task(1, Status.REVIEW)}
    events = [
        moved(1, "doing", SINCE + timedelta(hours=9), event_id=10),  # a clock running ahead
        moved(1, "review", SINCE + timedelta(hours=2), event_id=11),  # committed later
    ]
    assert draft_yesterday("bob", tasks, events, SINCE) == ("sent to review #1 Task 1",)


def test_a_meeting_freezes_yesterday_at_its_watermark_and_lists_later_moves_apart() -> None:
    tasks = [task(1, Status.REVIEW), task(2, Status.DONE)]
    person = Person(login="bob", name="Bob")
    events = [
        moved(1, "doing", SINCE + timedelta(hours=1), event_id=10),
        moved(2, "done", SINCE + timedelta(hours=2), event_id=11),
        # the meeting began after event 11; a clock behind still cannot pull this one back
        moved(1, "review", SINCE + timedelta(minutes=30), event_id=12),
    ]
    before = draft_for(person, tasks, events, since=SINCE, today=SINCE.date())
    assert before.yesterday == ("finished #2 Task 2", "sent to review #1 Task 1")
    assert before.in_meeting == ()
    frozen = draft_for(person, tasks, events, since=SINCE, today=SINCE.date(), meeting_after=11)
    assert frozen.yesterday == ("started #1 Task 1", "finished #2 Task 2")
    assert frozen.in_meeting == ("sent to review #1 Task 1",)


def test_yesterday_names_an_unknown_task_by_id_and_an_odd_status_as_moved() -> None:
    events = [moved(9, "archived", SINCE + timedelta(hours=1))]
    assert draft_yesterday("bob", {}, events, SINCE) == ("moved #9",)


def test_today_is_doing_then_the_next_three_todos_by_due_date_and_priority() -> None:
    tasks = [
        task(1, Status.DOING),
        task(2, Status.TODO, due=DAY + timedelta(days=5)),
        task(3, Status.TODO, due=DAY + timedelta(days=1)),
        task(4, Status.TODO, priority=1),
        task(5, Status.TODO, priority=2),
        task(6, Status.TODO, snoozed_until=DAY + timedelta(days=1), due=DAY),
        task(7, Status.DOING, assignee="alice"),
        task(8, Status.REVIEW),
    ]
    doing, next_up = draft_today("bob", tasks, DAY)
    assert [t.id for t in doing] == [1]
    assert [t.id for t in next_up] == [3, 2, 4]


def test_blocked_tasks_are_drafted_longest_blocked_first() -> None:
    tasks = [
        task(1, Status.BLOCKED, blocked_since=SINCE),
        task(2, Status.BLOCKED, blocked_since=SINCE - timedelta(days=3)),
        task(3, Status.BLOCKED),
        task(4, Status.BLOCKED, assignee="alice"),
    ]
    assert [t.id for t in draft_blocked("bob", tasks)] == [2, 1, 3]


# --- timers --------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "window"), [(120, 30), (900, 180), (40, 20), (300, 60)])
def test_timers_warn_in_the_last_20_percent_or_30_seconds(limit: int, window: int) -> None:
    assert near_window(limit) == window


@pytest.mark.parametrize(
    ("elapsed", "level", "words", "display"),
    [
        (0, TimerLevel.OK, "2:00 left", "0:00 / 2:00"),
        (55, TimerLevel.OK, "1:05 left", "0:55 / 2:00"),
        (72.9, TimerLevel.OK, "48 s left", "1:12 / 2:00"),
        (89, TimerLevel.OK, "31 s left", "1:29 / 2:00"),
        (90, TimerLevel.NEAR, "30 s left", "1:30 / 2:00"),
        (120, TimerLevel.NEAR, "0 s left", "2:00 / 2:00"),
        (121, TimerLevel.OVER, "OVER by 0:01", "2:01 / 2:00"),
        (165, TimerLevel.OVER, "OVER by 0:45", "2:45 / 2:00"),
    ],
)
def test_a_timer_says_its_state_in_words_not_only_colour(
    elapsed: float, level: TimerLevel, words: str, display: str
) -> None:
    reading = read_timer(elapsed, 120)
    assert (reading.level, reading.words, reading.display) == (level, words, display)


def test_long_meetings_show_minutes_and_a_near_meeting_timer_says_minutes_left() -> None:
    assert clock_text(4500) == "75:00"
    assert read_timer(750, 900).words == "2:30 left"
    assert read_timer(750, 900).level is TimerLevel.NEAR


# --- the meeting ---------------------------------------------------------------------------

SCOPE = MeetingScope("team", "Infrastructure")
STARTED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def meeting(now: float = 100.0) -> Meeting:
    return Meeting.start(
        SCOPE, speaker_order(PEOPLE, OrderMode.FIXED), held_on=DAY, facilitator="pm",
        order_mode=OrderMode.FIXED, timebox_seconds=120, meeting_seconds=900,
        started_at=STARTED, now=now,
    )  # fmt: skip


def test_next_and_previous_keep_each_speakers_time_and_the_meeting_clock_runs_on() -> None:
    m = meeting().next(130.0)  # alice spoke 30 s
    assert m.speaker is not None and m.speaker.login == "bob"
    m = m.previous(190.0)  # bob spoke 60 s; back to alice
    timer = m.speaker_timer(200.0)
    assert timer is not None and timer.elapsed == 40
    assert m.spoken(1, 200.0) == 60.0
    assert m.meeting_timer(200.0).elapsed == 100


def test_marking_someone_absent_zeroes_their_time_and_moves_on_and_can_be_undone() -> None:
    m = meeting().toggle_absent(105.0)
    assert m.speakers[0].absent and m.spoken(0, 200.0) == 0.0
    assert m.speaker is not None and m.speaker.login == "bob"
    back = m.previous(110.0)
    assert back.speaker_timer(150.0) == read_timer(0, 120)  # absent: the clock does not run
    present = back.toggle_absent(150.0)
    assert not present.speakers[0].absent
    assert present.spoken(0, 160.0) == 10.0


def test_after_the_last_speaker_the_meeting_is_wrapping_up_with_no_speaker_timer() -> None:
    m = meeting()
    for step in range(4):
        m = m.next(110.0 + step)
    assert m.wrapping_up and m.speaker is None and m.speaker_timer(200.0) is None
    assert m.next(300.0).current == 4
    assert m.previous(300.0).speaker == m.speakers[3]


def test_walking_the_board_pauses_the_speaker_and_steps_through_columns() -> None:
    m = meeting().toggle_walk(130.0)
    assert m.walk_column is Status.DONE
    m = m.next(140.0).next(150.0)
    assert m.walk_column is Status.BLOCKED
    assert m.spoken(0, 500.0) == 30.0
    m = m.previous(150.0).toggle_walk(600.0)
    assert m.walk is None and m.spoken(0, 610.0) == 40.0
    assert m.next(610.0).speaker == m.speakers[1]


def test_blockers_and_parked_topics_belong_to_the_speaker_who_raised_them() -> None:
    m = meeting().add_blocker("  waiting   for CAB ").add_blocker("   ")
    m = m.park("Freeze window", ["alice", "pm", "alice", ""])
    assert m.speakers[0].blockers == ("waiting for CAB",)
    assert m.parking[0].raised_by == "alice" and m.parking[0].wanted_by == ("alice", "pm")
    assert m.park("  ", ["pm"]).parking == m.parking


def test_minutes_save_attendance_times_notes_drafts_and_typed_blockers() -> None:
    note = StandupEntry(held_on=DAY, person="bob", yesterday="Posted ahead", blockers="VPN")
    tasks = [task(1, Status.DOING, assignee="alice"), task(2, Status.BLOCKED, assignee="alice",
                                                             blocked_reason="vendor")]  # fmt: skip
    drafts = {
        "alice": draft_for(PEOPLE[1], tasks, [], since=SINCE, today=DAY),
        "bob": SpeakerDraft(person=PEOPLE[3], note=note, yesterday=("finished #5 Task 5",)),
    }
    m = meeting().add_blocker("laptop broken").next(250.0).toggle_absent(260.0)
    m = m.park("Budget", ["pm"]).next(300.0).next(330.0)
    record = minutes(m, drafts, now=330.0, ended_at=STARTED + timedelta(minutes=4))
    assert record.session.team == "Infrastructure" and record.session.order_mode == "fixed"
    assert record.session.ended_at == STARTED + timedelta(minutes=4)
    alice, bob, chen, dana = record.entries
    assert (alice.present, alice.seconds_spoken, alice.today) == (True, 150, "#1 Task 1")
    assert alice.blockers == "#2 Task 2: vendor; laptop broken"
    assert (bob.present, bob.seconds_spoken) == (False, 0)
    assert (bob.yesterday, bob.today, bob.blockers) == ("Posted ahead", "", "VPN")
    assert (chen.person, chen.seconds_spoken, chen.position) == ("chen", 40, 2)
    assert (dana.seconds_spoken, dana.yesterday) == (30, "")
    assert [(p.topic, p.raised_by, p.wanted_by) for p in record.parking] == [
        ("Budget", "chen", "pm")
    ]


def test_minutes_of_stored_text_with_control_characters_can_be_saved() -> None:
    osc52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
    note = StandupEntry(held_on=DAY, person="bob", yesterday=f"y {osc52}")
    tasks = [task(2, Status.BLOCKED, assignee="alice", title=f"t {osc52}",
                  blocked_reason=f"b {osc52}")]  # fmt: skip
    drafts = {
        "alice": draft_for(PEOPLE[1], tasks, [], since=SINCE, today=DAY),
        "bob": SpeakerDraft(person=PEOPLE[3], note=note, yesterday=(f"finished #5 {osc52}",)),
    }
    m = meeting().next(10.0).park(f"p {osc52}", []).next(20.0)
    record = minutes(m, drafts, now=30.0, ended_at=STARTED + timedelta(minutes=1))
    alice, bob = record.entries[:2]
    assert alice.blockers == "#2 t ␛]52;c;cm0gLXJmIH4K␇: b ␛]52;c;cm0gLXJmIH4K␇"
    assert bob.yesterday == "y ␛]52;c;cm0gLXJmIH4K␇; finished #5 ␛]52;c;cm0gLXJmIH4K␇"
    assert record.parking[0].topic == "p ␛]52;c;cm0gLXJmIH4K␇"
    texts = [e.yesterday + e.today + e.blockers for e in record.entries]
    assert all(unsafe_character(t, multiline=True) is None for t in texts)  # the store takes it
    raised = raid_candidates(m.speakers[0], tasks, (), m.scope, DAY)
    assert raised[0].title == "#2 t ␛]52;c;cm0gLXJmIH4K␇ is blocked: b ␛]52;c;cm0gLXJmIH4K␇"


def test_a_speakers_tasks_for_a_status_change_put_work_in_hand_first() -> None:
    tasks = [
        task(1, Status.TODO, due=DAY),
        task(2, Status.DONE),
        task(3, Status.DOING, due=DAY + timedelta(days=3)),
        task(4, Status.REVIEW),
        task(5, Status.DOING, due=DAY + timedelta(days=3), priority=1),
        task(6, Status.BLOCKED, assignee="alice"),  # someone else's
        task(7, Status.BLOCKED),
        task(8, Status.DOING, due=DAY),
        task(9, Status.TODO, due=DAY),  # ties with #1: lower id first
    ]
    assert [t.id for t in change_candidates("bob", tasks)] == [8, 5, 3, 7, 4, 1, 9, 2]
    assert change_candidates("zoe", tasks) == ()


def test_the_first_speaker_is_who_spoke_at_position_zero() -> None:
    session = StandupSession(held_on=DAY, team="Infra", facilitator="pm")
    entries = tuple(StandupEntry(held_on=DAY, person=p, position=i)
                    for p, i in (("chen", 2), ("bob", 0), ("alice", 1)))  # fmt: skip
    assert StandupRecord(session, entries).first_speaker == "bob"
    assert StandupRecord(session).first_speaker is None


def test_the_walk_shows_the_attendees_board_cards_right_to_left_in_the_boards_order() -> None:
    net = Project(id=1, key="NET", name="Net", holidays=(date(2026, 11, 20),))
    wed = datetime(2026, 11, 18, 10, tzinfo=UTC)
    tasks = [
        task(1, Status.TODO, assignee="alice", priority=3, project_id=1, project_key="NET"),
        task(2, Status.TODO, assignee="bob", priority=1, project_id=1, project_key="NET"),
        task(3, Status.BLOCKED, project_id=1, project_key="NET", blocked_since=wed),
        task(4, Status.DONE, done_at=SINCE + timedelta(hours=1), project_id=1),
        task(6, Status.DOING, assignee="zoe", project_id=1),  # not in the meeting
        task(7, Status.DOING, project_id=1, due=DAY - timedelta(days=3)),
    ]
    cards = board_cards(tasks, {1: net}, DAY)
    columns = walk_cards(cards, ["alice", "bob"])
    assert [(s, [(c.task_id, c.blocked_days) for c in cs]) for s, cs in columns] == [
        (Status.DONE, [(4, None)]), (Status.REVIEW, []), (Status.BLOCKED, [(3, 2)]),
        (Status.DOING, [(7, None)]), (Status.TODO, [(2, None), (1, None)]),
    ]  # fmt: skip
    shown = {c.task_id: c for _, cs in columns for c in cs}
    assert shown[7].flags == (TaskFlagKind.OVERDUE,)  # the Board's flags, not none
    assert all(shown[c.task_id] == c for c in cards if c.task_id in shown)
