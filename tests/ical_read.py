"""Read an iCalendar file back with icalendar (PyPI), a parser that is not ours, into plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import icalendar


@dataclass(frozen=True)
class Event:
    """One VEVENT as the parser read it (TEXT unescaped, lines unfolded)."""

    uid: str
    start: date
    """A date for an all-day event (a datetime is a date too, so check the type)."""
    end: date
    summary: str
    description: str
    sequence: int
    stamp: datetime
    transp: str


@dataclass(frozen=True)
class Calendar:
    """The VCALENDAR's own properties and its events by UID, in file order."""

    version: str
    prodid: str
    calscale: str
    name: str
    events: dict[str, Event]


def read_calendar(text: str | bytes) -> Calendar:
    """Parse ``text``; the parser raises on a file it cannot read."""
    calendar: Any = icalendar.Calendar.from_ical(text)
    events = {}
    for event in calendar.walk("VEVENT"):
        e: Any = event
        events[str(e["UID"])] = Event(
            uid=str(e["UID"]),
            start=e["DTSTART"].dt,
            end=e["DTEND"].dt,
            summary=str(e["SUMMARY"]),
            description=str(e.get("DESCRIPTION", "")),
            sequence=int(e["SEQUENCE"]),
            stamp=e["DTSTAMP"].dt,
            transp=str(e["TRANSP"]),
        )
    return Calendar(
        version=str(calendar["VERSION"]),
        prodid=str(calendar["PRODID"]),
        calscale=str(calendar["CALSCALE"]),
        name=str(calendar.get("X-WR-CALNAME", "")),
        events=events,
    )


def read_events(text: str | bytes) -> dict[str, Event]:
    """The events of ``text`` by UID."""
    return read_calendar(text).events
