"""Stand-up logic: speaker order, drafted updates, timers, meeting state, minutes and export.

Pure functions and immutable values over models. Every instant is a parameter: wall times
(``datetime``) for what is saved, monotonic seconds (``float``) for the timers. Nothing here
reads a clock, so a meeting can be replayed exactly in tests.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from itpm_tui.domain.board import COLUMNS, CardFilter, TaskCard, board_columns
from itpm_tui.domain.safe_text import visible
from itpm_tui.models import (
    AuditEvent,
    ParkingItem,
    Person,
    RaidKind,
    StandupEntry,
    StandupSession,
    Status,
    Task,
)

# --- speaker order -------------------------------------------------------------------------


class OrderMode(StrEnum):
    """How the speakers of a stand-up are ordered."""

    FIXED = "fixed"
    """Alphabetical by login, the same every day."""
    RANDOM = "random"
    """Shuffled with a seed, so a given day's order can be reproduced."""
    ROTATING = "rotating"
    """Fixed order, starting with the person after the last meeting's first speaker."""


def speaker_order(
    people: Iterable[Person],
    mode: OrderMode,
    *,
    seed: int = 0,
    last_first: str | None = None,
) -> tuple[Person, ...]:
    """The order in which ``people`` speak.

    ``seed`` drives the random order; ``last_first`` is the login of the previous meeting's
    first speaker, for the rotating order (``None``: start at the top). If that person is
    no longer in the list, the rotation starts with the next login after theirs.
    """
    fixed = tuple(sorted(people, key=lambda p: p.login))
    if mode is OrderMode.RANDOM:
        shuffled = list(fixed)
        random.Random(seed).shuffle(shuffled)
        return tuple(shuffled)
    if mode is OrderMode.ROTATING and last_first is not None and fixed:
        logins = [p.login for p in fixed]
        if last_first in logins:
            start = (logins.index(last_first) + 1) % len(fixed)
        else:
            start = next((i for i, login in enumerate(logins) if login > last_first), 0)
        return fixed[start:] + fixed[:start]
    return fixed


def daily_seed(day: date, scope: str) -> int:
    """A seed that is the same all day for one team or project (the same order on restart)."""
    return zlib.crc32(f"{day.isoformat()} {scope}".encode())


# --- drafting what each person says ------------------------------------------------------

_MOVED_VERBS = {
    Status.DONE: "finished",
    Status.REVIEW: "sent to review",
    Status.DOING: "started",
    Status.BLOCKED: "blocked on",
    Status.TODO: "moved back to to-do",
}

NEXT_UP_COUNT = 3
"""How many to-do tasks are drafted as "next" for today."""


@dataclass(frozen=True)
class SpeakerDraft:
    """What the app proposes a person says, from their tasks, the audit log and their note."""

    person: Person
    yesterday: tuple[str, ...] = ()
    """Tasks done or moved since the last stand-up, one sentence each."""
    doing: tuple[Task, ...] = ()
    next_up: tuple[Task, ...] = ()
    blocked: tuple[Task, ...] = ()
    note: StandupEntry | None = None
    """The update the person posted ahead of the meeting (``standup note``)."""
    in_meeting: tuple[str, ...] = ()
    """Moves made during the running meeting: listed apart, so "yesterday" stays as it was
    when the meeting began."""


def owner_of(event: AuditEvent, tasks: Mapping[int, Task]) -> str:
    """Whose work a task event was: the task's assignee, else whoever made the change."""
    task = tasks.get(event.entity_id)
    return task.assignee if task is not None and task.assignee else event.who


def draft_yesterday(
    login: str,
    tasks: Mapping[int, Task],
    events: Iterable[AuditEvent],
    since: datetime,
    *,
    after_event: int | None = None,
    upto_event: int | None = None,
) -> tuple[str, ...]:
    """Tasks of ``login`` done or moved since ``since``: one line per task, its latest move.

    ``after_event`` / ``upto_event`` keep only audit events with a greater / not greater
    id: ids follow commit order on a shared file whatever each writer's clock says.

    A task started and finished in the same day reads "finished #12 ...", not both. Events
    are taken in the log's order (ids follow commit order even when two clocks disagree).
    """
    latest: dict[int, AuditEvent] = {}
    for event in sorted(events, key=lambda e: (e.id, e.at)):
        if event.entity != "task" or event.field != "status" or event.at < since:
            continue
        if after_event is not None and event.id <= after_event:
            continue
        if upto_event is not None and event.id > upto_event:
            continue
        if owner_of(event, tasks) != login:
            continue
        latest.pop(event.entity_id, None)  # re-insert so the order is by the latest move
        latest[event.entity_id] = event
    lines = []
    for task_id, event in latest.items():
        try:
            verb = _MOVED_VERBS[Status(event.new or "")]
        except ValueError:
            verb = "moved"
        task = tasks.get(task_id)
        lines.append(f"{verb} #{task_id} {task.title}" if task else f"{verb} #{task_id}")
    return tuple(lines)


def _work_rank(task: Task) -> tuple[date, int, int]:
    return (task.due or date.max, task.priority, task.id)


def draft_today(login: str, tasks: Iterable[Task], today: date) -> tuple[tuple[Task, ...], ...]:
    """``(doing, next_up)`` for ``login``: tasks in progress, then the first few to-dos.

    To-dos snoozed past ``today`` are left out; the rest are ranked by due date, then priority.
    """
    mine = [t for t in tasks if t.assignee == login]
    doing = tuple(sorted((t for t in mine if t.status is Status.DOING), key=_work_rank))
    todo = sorted(
        (t for t in mine if t.status is Status.TODO
         and (t.snoozed_until is None or t.snoozed_until <= today)),
        key=_work_rank,
    )  # fmt: skip
    return doing, tuple(todo[:NEXT_UP_COUNT])


def draft_blocked(login: str, tasks: Iterable[Task]) -> tuple[Task, ...]:
    """``login``'s blocked tasks, longest blocked first."""
    blocked = [t for t in tasks if t.assignee == login and t.status is Status.BLOCKED]
    return tuple(
        sorted(
            blocked,
            key=lambda t: (
                t.blocked_since is None,
                t.blocked_since.timestamp() if t.blocked_since else 0.0,
                t.id,
            ),
        )
    )


CHANGE_ORDER: tuple[Status, ...] = (
    Status.DOING, Status.BLOCKED, Status.REVIEW, Status.TODO, Status.DONE,
)  # fmt: skip
"""How a speaker's tasks are offered for a status change: work in hand first."""


def change_candidates(login: str, tasks: Iterable[Task]) -> tuple[Task, ...]:
    """``login``'s tasks to pick from for a status change: by ``CHANGE_ORDER``, then rank."""
    mine = (t for t in tasks if t.assignee == login)
    return tuple(sorted(mine, key=lambda t: (CHANGE_ORDER.index(t.status), *_work_rank(t))))


def draft_for(
    person: Person,
    tasks: Sequence[Task],
    events: Iterable[AuditEvent],
    *,
    since: datetime,
    today: date,
    note: StandupEntry | None = None,
    meeting_after: int | None = None,
) -> SpeakerDraft:
    """Everything the app drafts for one speaker.

    During a meeting, ``meeting_after`` is the last audit event id read when it began:
    "yesterday" is what moved up to it; later moves are ``in_meeting``, so a change made
    while someone speaks never rewrites what they did yesterday.
    """
    by_id = {t.id: t for t in tasks}
    doing, next_up = draft_today(person.login, tasks, today)
    events = list(events)
    in_meeting: tuple[str, ...] = ()
    if meeting_after is not None:
        in_meeting = draft_yesterday(person.login, by_id, events, since, after_event=meeting_after)
    return SpeakerDraft(
        person=person,
        yesterday=draft_yesterday(person.login, by_id, events, since, upto_event=meeting_after),
        doing=doing,
        next_up=next_up,
        blocked=draft_blocked(person.login, tasks),
        note=note,
        in_meeting=in_meeting,
    )


def task_line(task: Task) -> str:
    """``#12 Title``: how a task is named in minutes."""
    return f"{task.ref} {task.title}"


def blocked_line(task: Task) -> str:
    """``#12 Title: reason`` for a blocked task."""
    return f"{task_line(task)}: {task.blocked_reason}" if task.blocked_reason else task_line(task)


# --- timers --------------------------------------------------------------------------------


class TimerLevel(StrEnum):
    """How close a timer is to its limit."""

    OK = "ok"
    NEAR = "near"
    OVER = "over"


NEAR_FRACTION = 0.2
"""A timer is near its limit in the last 20% ..."""
NEAR_SECONDS = 30
"""... or the last 30 seconds, whichever is longer (but never the first half)."""


def near_window(limit: int) -> int:
    """Seconds before the limit at which a timer starts warning."""
    return min(max(round(limit * NEAR_FRACTION), NEAR_SECONDS), limit // 2)


def clock_text(seconds: float) -> str:
    """``m:ss`` (whole seconds, rounded down); hours run on as minutes (``75:00``)."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class TimerReading:
    """A timer at one instant: its level and the words that say it."""

    elapsed: int
    """Whole seconds so far."""
    limit: int

    @property
    def remaining(self) -> int:
        """Seconds left (negative when over)."""
        return self.limit - self.elapsed

    @property
    def level(self) -> TimerLevel:
        """OK, near the limit, or past it."""
        if self.remaining < 0:
            return TimerLevel.OVER
        if self.remaining <= near_window(self.limit):
            return TimerLevel.NEAR
        return TimerLevel.OK

    @property
    def words(self) -> str:
        """``1:48 left``, ``30 s left`` or ``OVER by 0:45``: never colour alone."""
        if self.remaining < 0:
            return f"OVER by {clock_text(-self.remaining)}"
        if self.remaining < 60:
            return f"{self.remaining} s left"
        return f"{clock_text(self.remaining)} left"

    @property
    def display(self) -> str:
        """``1:12 / 2:00``."""
        return f"{clock_text(self.elapsed)} / {clock_text(self.limit)}"


def read_timer(elapsed: float, limit: int) -> TimerReading:
    """The reading of a timer that has run ``elapsed`` seconds against ``limit``."""
    return TimerReading(max(0, int(elapsed)), limit)


# --- the meeting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingScope:
    """Who a stand-up is for: a team (from people.team) or a project (its assignees)."""

    kind: Literal["team", "project"]
    name: str
    """The team's name or the project's key."""
    project_id: int | None = None
    title: str = ""
    """The project's name, for display."""

    @property
    def label(self) -> str:
        """``Team Infrastructure`` or ``Project NET: Network refresh``."""
        if self.kind == "team":
            return f"Team {self.name}"
        return f"Project {self.name}: {self.title}" if self.title else f"Project {self.name}"

    @property
    def team(self) -> str:
        """What the ``standups.team`` column holds ("" for a project stand-up)."""
        return self.name if self.kind == "team" else ""


@dataclass(frozen=True)
class SpeakerState:
    """One attendee during the meeting."""

    login: str
    name: str
    absent: bool = False
    banked: float = 0.0
    """Seconds spoken in earlier turns (going back to someone adds to it)."""
    blockers: tuple[str, ...] = ()
    """Blockers typed in the meeting."""


@dataclass(frozen=True)
class ParkedTopic:
    """A topic taken out of the stand-up, and who wants to discuss it."""

    topic: str
    raised_by: str
    wanted_by: tuple[str, ...] = ()


WALK_COLUMNS: tuple[Status, ...] = tuple(reversed(COLUMNS))
"""Board columns as walked in a stand-up: right to left, nearest to done first."""


@dataclass(frozen=True)
class Meeting:
    """A running stand-up. Each facilitator action returns a new ``Meeting``.

    ``current`` may equal ``len(speakers)``: everyone has spoken (the wrap-up).
    While the board is walked (``walk`` is a column index) no speaker's time runs.
    """

    scope: MeetingScope
    held_on: date
    facilitator: str
    order_mode: OrderMode
    timebox_seconds: int
    meeting_seconds: int
    started_at: datetime
    started_mono: float
    speakers: tuple[SpeakerState, ...]
    current: int = 0
    turn_started: float = 0.0
    """Monotonic instant the current turn (or the walk) began."""
    parking: tuple[ParkedTopic, ...] = ()
    walk: int | None = None
    yesterday: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each speaker's drafted "yesterday" as it read when the meeting began: renaming or
    reassigning a task during the meeting does not rewrite it (see ``as_begun``)."""

    @classmethod
    def start(
        cls,
        scope: MeetingScope,
        speakers: Sequence[Person],
        *,
        held_on: date,
        facilitator: str,
        order_mode: OrderMode,
        timebox_seconds: int,
        meeting_seconds: int,
        started_at: datetime,
        now: float,
        drafts: Iterable[SpeakerDraft] = (),
    ) -> Meeting:
        """A meeting whose first speaker starts talking at ``now``; ``drafts`` are what the
        app drafted then, whose "yesterday" the meeting keeps."""
        return cls(
            scope=scope, held_on=held_on, facilitator=facilitator, order_mode=order_mode,
            timebox_seconds=timebox_seconds, meeting_seconds=meeting_seconds,
            started_at=started_at, started_mono=now,
            speakers=tuple(SpeakerState(p.login, p.display) for p in speakers),
            current=0, turn_started=now,
            yesterday=tuple((d.person.login, d.yesterday) for d in drafts),
        )  # fmt: skip

    def as_begun(self, draft: SpeakerDraft | None) -> SpeakerDraft | None:
        """``draft`` with "yesterday" as it read when the meeting began (if it was drafted
        then); today, blockers and the in-meeting moves stay live."""
        if draft is None:
            return None
        frozen = dict(self.yesterday).get(draft.person.login)
        return draft if frozen is None else replace(draft, yesterday=frozen)

    @property
    def speaker(self) -> SpeakerState | None:
        """Who has the floor (``None`` in the wrap-up)."""
        return self.speakers[self.current] if self.current < len(self.speakers) else None

    @property
    def wrapping_up(self) -> bool:
        """Everyone has had their turn."""
        return self.current >= len(self.speakers)

    def _running(self) -> bool:
        speaker = self.speaker
        return self.walk is None and speaker is not None and not speaker.absent

    def spoken(self, index: int, now: float) -> float:
        """Seconds speaker ``index`` has spoken so far, including a running turn."""
        seconds = self.speakers[index].banked
        if index == self.current and self._running():
            seconds += max(0.0, now - self.turn_started)
        return seconds

    def speaker_timer(self, now: float) -> TimerReading | None:
        """The current speaker's timer (``None`` in the wrap-up)."""
        if self.speaker is None:
            return None
        return read_timer(self.spoken(self.current, now), self.timebox_seconds)

    def meeting_timer(self, now: float) -> TimerReading:
        """The whole meeting's timer."""
        return read_timer(now - self.started_mono, self.meeting_seconds)

    def _bank(self, now: float) -> tuple[SpeakerState, ...]:
        if not self._running():
            return self.speakers
        speakers = list(self.speakers)
        speakers[self.current] = replace(
            self.speakers[self.current], banked=self.spoken(self.current, now)
        )
        return tuple(speakers)

    def go_to(self, index: int, now: float) -> Meeting:
        """Give the floor to speaker ``index`` (``len(speakers)``: the wrap-up)."""
        index = max(0, min(index, len(self.speakers)))
        return replace(self, speakers=self._bank(now), current=index, turn_started=now)

    def next(self, now: float) -> Meeting:
        """Next speaker (or the next board column while walking)."""
        if self.walk is not None:
            return replace(self, walk=min(self.walk + 1, len(WALK_COLUMNS) - 1))
        return self.go_to(self.current + 1, now)

    def previous(self, now: float) -> Meeting:
        """Previous speaker (or board column); their timer carries on from where it was."""
        if self.walk is not None:
            return replace(self, walk=max(self.walk - 1, 0))
        return self.go_to(self.current - 1, now)

    def toggle_absent(self, now: float) -> Meeting:
        """Mark the current speaker absent (and move on), or present again."""
        speaker = self.speaker
        if speaker is None:
            return self
        speakers = list(self.speakers)
        if speaker.absent:
            speakers[self.current] = replace(speaker, absent=False)
            return replace(self, speakers=tuple(speakers), turn_started=now)
        speakers[self.current] = replace(speaker, absent=True, banked=0.0)
        return replace(self, speakers=tuple(speakers)).go_to(self.current + 1, now)

    def add_blocker(self, text: str) -> Meeting:
        """Record a blocker the current speaker mentions."""
        speaker = self.speaker
        text = " ".join(text.split())
        if speaker is None or not text:
            return self
        speakers = list(self.speakers)
        speakers[self.current] = replace(speaker, blockers=(*speaker.blockers, text))
        return replace(self, speakers=tuple(speakers))

    def park(self, topic: str, wanted_by: Sequence[str]) -> Meeting:
        """Park a topic raised by the current speaker (or the facilitator in the wrap-up)."""
        topic = " ".join(topic.split())
        if not topic:
            return self
        raised_by = self.speaker.login if self.speaker else self.facilitator
        wanted = tuple(dict.fromkeys(w for w in wanted_by if w))
        return replace(self, parking=(*self.parking, ParkedTopic(topic, raised_by, wanted)))

    def toggle_walk(self, now: float) -> Meeting:
        """Walk the board right to left, or go back to person by person.

        The current speaker's time stops while the board is walked, and resumes after.
        """
        if self.walk is None:
            return replace(self, speakers=self._bank(now), walk=0)
        return replace(self, walk=None, turn_started=now)

    @property
    def walk_column(self) -> Status | None:
        """The board column being walked."""
        return WALK_COLUMNS[self.walk] if self.walk is not None else None


# --- minutes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandupRecord:
    """A saved stand-up: the session, one entry per attendee, the parking lot."""

    session: StandupSession
    entries: tuple[StandupEntry, ...] = ()
    parking: tuple[ParkingItem, ...] = ()

    @property
    def present(self) -> int:
        """How many attendees were there."""
        return sum(1 for e in self.entries if e.present)

    @property
    def seconds_spoken(self) -> int:
        """Total speaking time."""
        return sum(e.seconds_spoken for e in self.entries)

    @property
    def first_speaker(self) -> str | None:
        """Who spoke first (a rotating order starts after them next time)."""
        first = min(self.entries, key=lambda e: e.position, default=None)
        return first.person if first else None


def _joined(parts: Iterable[str]) -> str:
    """The parts in one line of minutes; control characters in stored text (a title or note
    someone else wrote) become visible stand-ins, so the minutes can always be saved."""
    return visible("; ".join(p for p in (p.strip() for p in parts) if p), multiline=True)


def minutes(
    meeting: Meeting,
    drafts: Mapping[str, SpeakerDraft],
    *,
    now: float,
    ended_at: datetime,
) -> StandupRecord:
    """What is saved when the meeting ends: attendance, speaking times, notes, parking lot.

    A present speaker's notes are their posted note followed by the drafted lines; an
    absent one keeps only what they posted. Blockers are the note's, the blocked tasks and
    those typed in the meeting.
    """
    session = StandupSession(
        held_on=meeting.held_on, project_id=meeting.scope.project_id, team=meeting.scope.team,
        facilitator=meeting.facilitator, order_mode=meeting.order_mode.value,
        timebox_seconds=meeting.timebox_seconds, meeting_seconds=meeting.meeting_seconds,
        started_at=meeting.started_at, ended_at=ended_at,
    )  # fmt: skip
    entries = []
    for position, speaker in enumerate(meeting.speakers):
        draft = meeting.as_begun(drafts.get(speaker.login))
        note = draft.note if draft else None
        said = draft is not None and not speaker.absent
        entries.append(
            StandupEntry(
                held_on=meeting.held_on, person=speaker.login, position=position,
                present=not speaker.absent, seconds_spoken=round(meeting.spoken(position, now)),
                yesterday=_joined([note.yesterday if note else "",
                                   *(draft.yesterday if draft and said else ())]),
                today=_joined([note.today if note else "",
                               *(task_line(t) for t in (draft.doing + draft.next_up
                                                        if draft and said else ())),
                               *(f"in the meeting: {line}" for line in (draft.in_meeting
                                                                        if draft and said
                                                                        else ()))]),
                blockers=_joined([note.blockers if note else "",
                                  *(blocked_line(t) for t in (draft.blocked
                                                              if draft and said else ())),
                                  *speaker.blockers]),
            )
        )  # fmt: skip
    parking = tuple(
        ParkingItem(standup_id=0, topic=visible(p.topic, multiline=True), raised_by=p.raised_by,
                    wanted_by=",".join(p.wanted_by))
        for p in meeting.parking
    )  # fmt: skip
    return StandupRecord(session, tuple(entries), parking)


# --- board walk ----------------------------------------------------------------------------


def walk_cards(
    cards: Iterable[TaskCard], logins: Iterable[str]
) -> tuple[tuple[Status, tuple[TaskCard, ...]], ...]:
    """The attendees' board cards per column, right to left, each column in the board's order.

    ``cards`` are the Board's own (``domain.board.board_cards``: same tasks, same flags,
    done since the last stand-up day), so the walk shows what the Board shows.
    """
    people = set(logins)
    columns = board_columns((c for c in cards if c.owner in people), CardFilter())
    return tuple((status, columns[status]) for status in WALK_COLUMNS)


# --- export --------------------------------------------------------------------------------


def _time(moment: datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else "?"


@dataclass(frozen=True)
class ExportContext:
    """Names for logins and project ids, so the export reads like people wrote it."""

    names: Mapping[str, str] = field(default_factory=dict)
    projects: Mapping[int, str] = field(default_factory=dict)

    def who(self, login: str) -> str:
        """``Alice Novak (alice)``, or the login alone if no name is known."""
        name = self.names.get(login, "")
        return f"{name} ({login})" if name and name != login else login

    def scope_name(self, session: StandupSession) -> str:
        """Whose stand-up it was: the project's key (``#7`` if unknown) or the team's name."""
        if session.project_id is not None:
            return self.projects.get(session.project_id, f"#{session.project_id}")
        return session.team

    def scope_label(self, session: StandupSession) -> str:
        """``Project NET``, ``Team Infrastructure``, or ``Stand-up`` for neither."""
        if session.project_id is not None:
            return f"Project {self.scope_name(session)}"
        return f"Team {session.team}" if session.team else "Stand-up"


def _entry_markdown(entry: StandupEntry, timebox: int, ctx: ExportContext) -> list[str]:
    if not entry.present:
        heading = f"### {ctx.who(entry.person)}: absent"
    else:
        reading = read_timer(entry.seconds_spoken, timebox)
        over = f", over by {clock_text(-reading.remaining)}" if reading.remaining < 0 else ""
        heading = f"### {ctx.who(entry.person)}: {clock_text(entry.seconds_spoken)}{over}"
    lines = [heading, ""]
    if entry.present or entry.yesterday or entry.today or entry.blockers:
        lines += [
            f"- **Yesterday:** {entry.yesterday or 'nothing noted'}",
            f"- **Today:** {entry.today or 'nothing noted'}",
            f"- **Blockers:** {entry.blockers or 'none'}",
            "",
        ]
    return lines


def export_markdown(
    day: date,
    records: Sequence[StandupRecord],
    notes: Sequence[StandupEntry],
    ctx: ExportContext,
) -> str:
    """The meeting notes of ``day`` as Markdown, for email or chat.

    ``notes`` are updates posted ahead (``standup note``); those of people who were not in
    any of the day's meetings are listed at the end.
    """
    lines = [f"# Stand-up notes: {day:%A} {day.day} {day:%B %Y}", ""]
    if not records and not notes:
        lines += ["No stand-up was held and no updates were posted.", ""]
    for record in records:
        s = record.session
        absent = [ctx.who(e.person) for e in record.entries if not e.present]
        lines += [
            f"## {ctx.scope_label(s)}, {_time(s.started_at)}-{_time(s.ended_at)}",
            "",
            f"Facilitator: {ctx.who(s.facilitator)}. Order: {s.order_mode}. "
            f"Present: {record.present} of {len(record.entries)}"
            + (f" (absent: {', '.join(absent)})" if absent else "")
            + f". Speaking time: {clock_text(record.seconds_spoken)}"
            f" (meeting timebox {clock_text(s.meeting_seconds)}).",
            "",
        ]
        for entry in record.entries:
            lines += _entry_markdown(entry, s.timebox_seconds, ctx)
        if record.parking:
            lines += ["### Parking lot", ""]
            for item in record.parking:
                wanted = ", ".join(w for w in item.wanted_by.split(",") if w)
                done = "x" if item.resolved else " "
                lines.append(
                    f"- [{done}] {item.topic} (raised by {item.raised_by or '?'}"
                    + (f"; to discuss: {wanted}" if wanted else "")
                    + ")"
                )
            lines.append("")
    discussed = {e.person for r in records for e in r.entries}
    pending = [n for n in notes if n.person not in discussed]
    if pending:
        lines += ["## Updates posted ahead, not yet discussed", ""]
        for note in pending:
            lines += [
                f"### {ctx.who(note.person)}",
                "",
                f"- **Yesterday:** {note.yesterday or 'nothing noted'}",
                f"- **Today:** {note.today or 'nothing noted'}",
                f"- **Blockers:** {note.blockers or 'none'}",
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def export_data(
    day: date, records: Sequence[StandupRecord], notes: Sequence[StandupEntry]
) -> dict[str, Any]:
    """The meeting notes of ``day`` as plain data for ``--format json``."""
    return {
        "date": day.isoformat(),
        "standups": [
            record.session.model_dump(mode="json")
            | {
                "entries": [e.model_dump(mode="json") for e in record.entries],
                "parking_lot": [p.model_dump(mode="json") for p in record.parking],
            }
            for record in records
        ],
        "notes": [n.model_dump(mode="json") for n in notes],
    }


def preferred_scope(
    scopes: Sequence[MeetingScope], my_last: StandupRecord | None, me: Person | None
) -> MeetingScope | None:
    """What the start dialog offers first: the team or project of the last stand-up I ran,
    else my own team, else nothing (the first choice)."""
    if my_last is not None:
        held = my_last.session
        for scope in scopes:
            if held.project_id is not None and scope.project_id == held.project_id:
                return scope
            if held.project_id is None and scope.kind == "team" and scope.name == held.team:
                return scope
    if me is not None and me.team:
        return next((s for s in scopes if s.kind == "team" and s.name == me.team), None)
    return None


# --- raising a RAID item from the meeting ------------------------------------------------------


@dataclass(frozen=True)
class RaidCandidate:
    """Something said in the stand-up that can become a RAID item in one key."""

    label: str
    """How the picker lists it."""
    title: str
    """The item's title."""
    description: str
    kind: RaidKind | None
    """``ISSUE`` for a blocker (it is happening); ``None``: ask (a parked topic)."""
    task_id: int | None = None
    """The blocked task the issue is linked to."""
    project_id: int | None = None
    """``None``: the facilitator picks the project."""
    owner: str | None = None


def raid_candidates(
    speaker: SpeakerState | None,
    blocked: Sequence[Task],
    parking: Sequence[ParkedTopic],
    scope: MeetingScope,
    held_on: date,
) -> tuple[RaidCandidate, ...]:
    """The speaker's blocked tasks and typed blockers (issues), then the parked topics.

    A blocked task's issue is on its project, linked to it and owned by its assignee; a typed
    blocker or a topic is on the stand-up's project (a team stand-up asks which). Titles stay
    within the 500 characters an item may have.
    """
    said = f"Raised in the stand-up of {held_on.isoformat()} ({scope.label})"
    out: list[RaidCandidate] = []
    # Stored titles and reasons may hold control characters; the new item gets stand-ins.
    blocked = [t.model_copy(update={"title": visible(t.title),
                                    "blocked_reason": visible(t.blocked_reason),
                                    "waiting_on": visible(t.waiting_on)})
               for t in blocked]  # fmt: skip
    for task in blocked:
        reason = task.blocked_reason or task.waiting_on
        title = f"#{task.id} {task.title} is blocked" + (f": {reason}" if reason else "")
        out.append(RaidCandidate(
            label=f"⊘ blocker #{task.id} {task.title}" + (f": {reason}" if reason else ""),
            title=title[:500], description=f"{said}.", kind=RaidKind.ISSUE, task_id=task.id,
            project_id=task.project_id, owner=task.assignee,
        ))  # fmt: skip
    for text in speaker.blockers if speaker else ():
        out.append(RaidCandidate(
            label=f"⊘ blocker: {text}", title=text[:500],
            description=f"{said}, by {speaker.name if speaker else ''}.", kind=RaidKind.ISSUE,
            project_id=scope.project_id, owner=speaker.login if speaker else None,
        ))  # fmt: skip
    for topic in parking:
        out.append(RaidCandidate(
            label=f"⚑ parked: {topic.topic}", title=topic.topic[:500],
            description=f"{said}; parked by {topic.raised_by}"
                        + (f", wanted by {', '.join(topic.wanted_by)}" if topic.wanted_by else "")
                        + ".",
            kind=None, project_id=scope.project_id,
        ))  # fmt: skip
    return tuple(out)
