"""The iCalendar generator (domain/ics.py), read back with a real parser (icalendar, PyPI).

Rules from RFC 5545 (https://www.rfc-editor.org/rfc/rfc5545): 3.1 content lines (CRLF,
folding at 75 octets, continuation lines start with a space), 3.3.11 TEXT escaping
(backslash, semicolon, comma, newline), 3.6.1 VEVENT (DTEND exclusive, so an all-day
event ends the next day), 3.8.4.7 UID, 3.8.7.2 DTSTAMP in UTC, 3.8.7.4 SEQUENCE.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from itpm_tui.domain.ics import (
    CalendarEvent,
    calendar_events,
    escape_text,
    fold,
    task_uid,
    to_ics,
)
from itpm_tui.models import Milestone, Project, Status, Task
from tests.ical_read import Event, read_calendar, read_events

STAMP = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NET = Project(id=1, key="NET", name="Network refresh")


def _parse(text: str) -> list[Event]:
    return list(read_events(text).values())


def _one(summary: str) -> tuple[str, Event]:
    text = to_ics([CalendarEvent("x@itpm-tui", date(2026, 12, 1), summary)], dtstamp=STAMP)
    (event,) = _parse(text)
    return text, event


def test_every_line_ends_in_crlf_and_the_calendar_has_its_required_properties() -> None:
    text = to_ics([CalendarEvent("a@itpm-tui", date(2026, 12, 1), "A")], dtstamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    calendar = read_calendar(text)
    assert calendar.version == "2.0"
    assert calendar.prodid == "-//itpm-tui//itpm-tui//EN"
    assert calendar.calscale == "GREGORIAN"
    (event,) = calendar.events.values()
    assert event.stamp == STAMP
    assert "DTSTAMP:20261123T093000Z\r\n" in text


def test_all_day_events_are_dates_ending_the_next_day() -> None:
    text, event = _one("Go-live")
    assert event.start == date(2026, 12, 1)
    assert not isinstance(event.start, datetime)
    assert event.end == date(2026, 12, 2)
    assert "DTSTART;VALUE=DATE:20261201\r\n" in text
    assert event.transp == "TRANSPARENT"


@pytest.mark.parametrize(
    "title",
    [
        "Budget, scope; and C:\\path\\to\\file",
        "two\nlines",
        "ends with a backslash \\",
        "\\n is not a newline",
        ",;,;\\\\",
    ],
)
def test_text_escaping_round_trips_exactly(title: str) -> None:
    text, event = _one(title)
    assert event.summary == title
    line = next(line for line in text.split("\r\n") if line.startswith("SUMMARY:"))
    assert "\n" not in line


def test_escaping_follows_the_rfc_spelling() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("cr\r\nlf\rcr") == "cr\\nlf\\ncr"


def test_a_200_character_title_is_folded_at_75_octets_and_reads_back_whole() -> None:
    title = "".join(chr(ord("a") + i % 26) for i in range(200))
    text, event = _one(title)
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    summary = next(i for i, line in enumerate(lines) if line.startswith("SUMMARY:"))
    assert lines[summary + 1].startswith(" ") and lines[summary + 2].startswith(" ")
    assert event.summary == title


def test_folding_never_splits_a_utf8_character_and_non_ascii_round_trips() -> None:
    title = "Zürich \u2013 東京 cut-over ✓ 🎉 " * 8
    text, event = _one(title)
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a split character would not decode
    assert event.summary == title


def test_fold_leaves_a_short_line_alone_and_counts_octets_not_characters() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "é" * 40)  # 82 octets in 42 characters
    first, second = folded.split("\r\n")
    assert len(first.encode()) <= 75 and second.startswith(" ")


def test_controls_a_calendar_cannot_carry_become_pictures_the_rest_stays_exact() -> None:
    _, event = _one("a\x1b]52;c;x\x07 b\x9b c\u202ed\x7f\te")
    assert event.summary == "a\u241b]52;c;x\u2407 b\x9b c\u202ed\u2421\te"


def test_for_a_terminal_c1_and_bidi_controls_are_shown_as_replacement_characters() -> None:
    text = to_ics(
        [CalendarEvent("x@itpm-tui", date(2026, 12, 1), "b\x9b c\u202ed \x1b[2J")],
        dtstamp=STAMP,
        terminal=True,
    )
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert _parse(text)[0].summary == "b\ufffd c\ufffdd \u241b[2J"


def _milestone(**changes: object) -> Milestone:
    base = Milestone(id=12, project_id=1, name="Cut-over", baseline=date(2026, 12, 4),
                     forecast=date(2026, 12, 9), version=3)  # fmt: skip
    return base.model_copy(update=changes)


def test_a_milestone_gives_a_baseline_and_a_forecast_event_with_uids_from_its_id() -> None:
    events = calendar_events({1: NET}, [_milestone()], [])
    parsed = read_events(to_ics(events, dtstamp=STAMP))
    assert set(parsed) == {"milestone-12-baseline@itpm-tui", "milestone-12-forecast@itpm-tui"}
    baseline, forecast = parsed.values()
    assert baseline.start == date(2026, 12, 4)
    assert baseline.summary == "NET milestone 'Cut-over' baseline"
    assert forecast.start == date(2026, 12, 9)
    # 4 Dec 2026 is a Friday: Mon 7, Tue 8, Wed 9 are three working days later.
    assert forecast.summary == "NET milestone 'Cut-over' forecast (3 working days late)"
    assert forecast.sequence == 2


def test_a_reached_milestone_moves_its_forecast_event_to_the_actual_day_same_uid() -> None:
    events = calendar_events({1: NET}, [_milestone(actual=date(2026, 12, 3), version=4)], [])
    (forecast,) = [e for e in _parse(to_ics(events, dtstamp=STAMP))
                   if e.uid == "milestone-12-forecast@itpm-tui"]  # fmt: skip
    assert forecast.start == date(2026, 12, 3)
    assert forecast.summary == "NET milestone 'Cut-over' reached (1 working day early)"
    assert forecast.sequence == 3


def test_tasks_without_a_due_date_have_no_event_and_events_come_by_day() -> None:
    tasks = [
        Task(id=7, title="Late one", project_id=1, project_key="NET", due=date(2026, 12, 20)),
        Task(id=8, title="No date", project_id=1, project_key="NET"),
        Task(id=9, title="To-do", due=date(2026, 11, 30), status=Status.BLOCKED,
             blocked_reason="vendor", version=5),
    ]  # fmt: skip
    events = calendar_events({1: NET}, [_milestone()], tasks)
    assert [e.uid for e in events] == [
        task_uid(9), "milestone-12-baseline@itpm-tui", "milestone-12-forecast@itpm-tui",
        task_uid(7),
    ]  # fmt: skip
    parsed = _parse(to_ics(events, dtstamp=STAMP))
    assert parsed[0].summary == "Due: #9 To-do"
    assert parsed[0].description == "Blocked, P3, assigned to nobody\nBlocked: vendor"
    assert parsed[0].sequence == 4
    assert parsed[-1].summary == "Due: #7 Late one (NET)"
    assert parsed[-1].end - parsed[-1].start == timedelta(days=1)


def test_equal_input_gives_byte_identical_files() -> None:
    events = calendar_events({1: NET}, [_milestone()], [])
    assert to_ics(events, dtstamp=STAMP) == to_ics(list(events), dtstamp=STAMP)


CONTENT_LINE = re.compile(
    r"^[A-Z][A-Z0-9-]*(;[A-Z][A-Z0-9-]*=[^\x00-\x1f\";:,]+)*:[^\x00-\x08\x0a-\x1f\x7f]*$"
)
"""RFC 5545 3.1: name *(";" param) ":" value; no CONTROL but HTAB in a value."""


def test_every_unfolded_line_is_a_well_formed_content_line_even_for_hostile_text() -> None:
    hostile = 'a\x00b\x1b]52;c;x\x07\r\nc\rd\x7f;,\\:"é\u202e' * 5
    task = Task(id=1, title="t", project_id=1, due=date(2026, 12, 1))
    events = calendar_events({1: NET.model_copy(update={"name": hostile})},
                             [_milestone()], [task])  # fmt: skip
    text = to_ics(events, dtstamp=STAMP, name=hostile)
    unfolded = text.replace("\r\n ", "")
    assert unfolded.endswith("\r\n")
    for line in unfolded[:-2].split("\r\n"):
        assert CONTENT_LINE.match(line), line
