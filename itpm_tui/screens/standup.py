"""StandupScreen: run the daily stand-up speaker by speaker, with timers, blockers and a parking lot.

The meeting itself (who speaks, timers, absences, typed blockers, parked topics) lives in this
screen as one immutable :class:`Meeting`; data reloads (someone moved a task, posted a note)
only replace the drafted work shown, never the meeting. Nothing is written until the
facilitator ends the meeting, except task status changes made on the spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.reactive import var
from textual.widgets import ContentSwitcher, Static
from textual.worker import Worker

from itpm_tui.domain.board import COLUMNS as BOARD_COLUMNS
from itpm_tui.domain.raid import levels
from itpm_tui.domain.standup import (
    Meeting,
    MeetingScope,
    OrderMode,
    RaidCandidate,
    StandupRecord,
    change_candidates,
    daily_seed,
    minutes,
    raid_candidates,
    speaker_order,
    walk_cards,
)
from itpm_tui.domain.wording import plural
from itpm_tui.errors import ItpmError
from itpm_tui.models import RaidItem, RaidKind, RaidStatus, Status
from itpm_tui.reports import StandupData, standup_view
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.line_input import LineInputModal, why_blocked
from itpm_tui.screens.picker import PickerModal
from itpm_tui.screens.services import Services
from itpm_tui.screens.standup_modals import (
    AbandonMeetingModal,
    EndMeetingModal,
    ParkRequest,
    ParkTopicModal,
    StandupStartModal,
    StartChoice,
    StatusChange,
    TaskStatusModal,
)
from itpm_tui.screens.task_actions import blocked_change
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.board_column import BoardColumn
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.standup_card import SpeakerCard, SpeakerTurn
from itpm_tui.widgets.standup_panels import (
    ParkingLot,
    StandupLobby,
    StandupRoster,
    WalkStrip,
    WrapUp,
)
from itpm_tui.widgets.standup_timer import StandupTimer

TICK_SECONDS = 1.0
"""How often the timers repaint."""
LARGE = (120, 40)
"""From this terminal size up, presentation mode spreads out."""
MEETING_ACTIONS = frozenset(
    {"next", "previous", "absent", "blocker", "park", "change_status", "walk", "present", "end",
     "abandon", "scroll_body", "raise_raid"}
)  # fmt: skip


def presentation_line(meeting: Meeting) -> str:
    """What a room needs beside the speaker: whose stand-up, who is next, what is parked, and
    how to leave presentation mode (the key bar is hidden there)."""
    upcoming = [s for s in meeting.speakers[meeting.current + 1 :] if not s.absent]
    facts = [
        meeting.scope.label,
        f"next: {upcoming[0].name or upcoming[0].login}" if upcoming else "next: wrap-up",
        f"⚑ {plural(len(meeting.parking), 'topic')} parked",
        "Esc leaves presentation",
    ]
    return "  ·  ".join(facts)


@dataclass(frozen=True)
class StandupRequest:
    """What one load of the stand-up is for, read on the UI thread."""

    today: date
    tz: tzinfo | None
    """The local zone: "yesterday" starts at its midnight when no stand-up was saved."""
    scope: MeetingScope | None
    """Whose work to read (``None``: the lobby, only the choices for a new meeting)."""
    speakers: tuple[str, ...]
    """The running meeting's speakers, whose drafts are read even outside the scope."""
    meeting_after: int | None = None
    """The running meeting's audit watermark: "yesterday" is frozen there, later moves apart."""


class StandupScreen(ItpmScreen[StandupRequest, StandupData]):
    """The stand-up: start, go through the speakers, walk the board, end and save."""

    TITLE = "Stand-up"
    CSS_PATH = "standup.tcss"
    WRITE_ACTIONS = frozenset({"change_status", "raise_raid", "end"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="standup.start"),
        Binding("n,right,l", "next", "Next", key_display="n", id="standup.next"),
        Binding("p,left,h", "previous", "Previous", key_display="p", show=False,
                id="standup.previous"),
        Binding("a", "absent", "Absent", id="standup.absent"),
        Binding("b", "blocker", "Blocker", id="standup.blocker"),
        Binding("t", "park", "Park topic", id="standup.park"),
        Binding("c", "change_status", "Change a task's status", show=False,
                id="standup.status"),
        Binding("w", "walk", "Walk the board (right to left)", show=False, id="standup.walk"),
        Binding("R", "raise_raid", "Blocker or topic to the RAID log", show=False,
                id="standup.raise-raid"),
        Binding("f", "present", "Present", id="standup.present"),
        Binding("e", "end", "End", id="standup.end"),
        Binding("X", "abandon", "Abandon without saving", show=False, id="standup.abandon"),
        Binding("H", "history", "History", id="standup.history"),
        Binding("H", "history_in_meeting", "History", show=False, id="standup.history-now"),
        Binding("escape", "leave_presentation", "Leave presentation", show=False,
                id="standup.leave"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, id="standup.page-up"),
        Binding("down,j", "card_cursor(1)", "Next card (board walk)", show=False,
                id="standup.card-down"),
        Binding("up,k", "card_cursor(-1)", "Previous card (board walk)", show=False,
                id="standup.card-up"),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, id="standup.page-down"),
        Binding("q", "quit_guard", "Quit", show=False, id="standup.quit"),
    ]  # fmt: skip

    meeting: var[Meeting | None] = var(None)
    """The running meeting; ``None`` in the lobby."""
    presenting: var[bool] = var(False)
    """Presentation mode: only the speaker, their work and the timers, large."""

    class MeetingSaved(Message):
        """The end-of-meeting worker saved the minutes."""

        def __init__(self, record: StandupRecord) -> None:
            super().__init__()
            self.record = record

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.data: StandupData | None = None
        self._scope: MeetingScope | None = None
        """Whose work the next load reads (set before reloading)."""
        self._pending: StartChoice | None = None
        self._quit_armed = False
        self._saving = False
        self._frozen_after = 0
        """The newest status move read when the running meeting began."""
        self._keys_state: tuple[bool, bool, bool] | None = None

    def compose(self) -> ComposeResult:
        """Header, timers, roster and parking lot beside the speaker's card, footer."""
        yield AppHeader()
        with Horizontal(id="timers"):
            yield StandupTimer("Speaker", id="speaker-timer")
            yield StandupTimer("Meeting", id="meeting-timer")
        with Horizontal(id="meeting"):
            with VerticalScroll(id="side", can_focus=False):
                yield StandupRoster(id="roster")
                yield ParkingLot(id="parking")
            with ContentSwitcher(initial="lobby-view", id="views"):
                with VerticalScroll(id="lobby-view", can_focus=False):
                    yield StandupLobby(id="lobby")
                with VerticalScroll(id="card-view", can_focus=False):
                    yield SpeakerCard(id="card")
                with Vertical(id="walk"):
                    yield WalkStrip(id="walk-strip")
                    with Horizontal(id="walk-columns"):
                        for status in BOARD_COLUMNS:  # the Board screen's columns and cards
                            yield BoardColumn(status, id=f"walk-{status.value}")
                with VerticalScroll(id="wrapup-view", can_focus=False):
                    yield WrapUp(id="wrapup")
        yield Static(id="present-info", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Load, listen for changes, and tick the timers once a second."""
        self.set_class(True, "-idle")
        self.set_interval(TICK_SECONDS, self.tick)

    # --- loading ---------------------------------------------------------------------------

    def load_request(self) -> StandupRequest:
        """The day, the scope chosen (or running) and the meeting's speakers."""
        clock, meeting = self.services.clock, self.meeting
        speakers = tuple(s.login for s in meeting.speakers) if meeting else ()
        frozen = self._frozen_after if meeting else None
        return StandupRequest(clock.today(), clock.now().tzinfo, self._scope, speakers, frozen)

    def load(self, store: Store, request: StandupRequest) -> StandupData:
        """Choices for a new meeting; during one, the attendees' tasks, moves and notes."""
        return standup_view(store, request.today, request.tz, request.scope, request.speakers,
                            request.meeting_after)  # fmt: skip

    def show(self, data: StandupData) -> None:
        """Show fresh data; start the meeting the facilitator asked for once its data is in."""
        self.data = data
        pending = self._pending
        if pending is not None and data.scope == pending.scope and self.meeting is None:
            self._pending = None
            self._begin(pending, data)
        self._sync()

    def _begin(self, choice: StartChoice, data: StandupData) -> None:
        if not data.attendees:
            self._scope = None
            self.notify(f"Nobody to hear from in {choice.scope.label}.", severity="warning",
                        markup=False)  # fmt: skip
            return
        self._frozen_after = data.last_event
        last = data.last_of_scope
        first = last.first_speaker if last else None
        order = speaker_order(data.attendees, choice.order,
                              seed=daily_seed(data.today, choice.scope.name), last_first=first)  # fmt: skip
        services = self.services
        self.meeting = Meeting.start(
            choice.scope, order, held_on=data.today, facilitator=services.user,
            order_mode=choice.order, timebox_seconds=services.settings.timebox_seconds,
            meeting_seconds=services.settings.meeting_seconds, started_at=services.clock.now(),
            now=services.clock.monotonic(), drafts=data.drafts,
        )  # fmt: skip

    # --- showing ---------------------------------------------------------------------------

    def watch_meeting(self) -> None:
        """Show the meeting's new state."""
        self._sync()

    def watch_presenting(self, presenting: bool) -> None:
        """Switch the layout; the timers grow large digits."""
        self.set_class(presenting, "-presenting")
        for timer in self.query(StandupTimer):
            timer.big = presenting

    def on_resize(self, event: Resize) -> None:
        """Spread out on a big screen."""
        self.set_class(event.size.width >= LARGE[0] and event.size.height >= LARGE[1], "-large")

    def _sync(self) -> None:
        """Hand the meeting and data down to the widgets (UI only, no IO)."""
        if not self.is_mounted:
            return
        meeting, data = self.meeting, self.data
        self.set_class(meeting is None, "-idle")
        self.set_class(meeting is not None and meeting.walk is not None, "-walking")
        views = self.query_one("#views", ContentSwitcher)
        if meeting is None:
            lobby = self.query_one(StandupLobby)
            if data is not None:
                lobby.notes, lobby.last, lobby.names = data.notes, data.last_saved, data.names
            views.current = "lobby-view"
            self._refresh_keys()
            return
        self.query_one(StandupRoster).meeting = meeting
        self.query_one(StandupRoster).noted = (
            frozenset(n.person for n in data.notes) if data else frozenset()
        )
        self.query_one(ParkingLot).topics = meeting.parking
        self.query_one("#present-info", Static).update(presentation_line(meeting))
        speaker = meeting.speaker
        if meeting.walk is not None:
            self._show_walk(meeting, data)
            views.current = "walk"
        elif speaker is None:
            self.query_one(WrapUp).meeting = meeting
            views.current = "wrapup-view"
        else:
            self.query_one(SpeakerCard).turn = SpeakerTurn(
                speaker, meeting.as_begun(data.draft(speaker.login)) if data else None,
                meeting.current,
                len(meeting.speakers), data.today if data else meeting.held_on,
                data.loads.get(speaker.login) if data else None,
            )  # fmt: skip
            views.current = "card-view"
        self.tick()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Tell the key bar about keys only when ``check_action``'s answers can change.

        A refresh on every reload (every change anyone makes, all meeting long) rebuilt
        Textual's footer each time, which kept ~250 KB a reload; the key bar is cheap, but
        there is still no reason to re-ask every binding after each reload.
        """
        meeting = self.meeting
        state = (meeting is None, meeting is not None and meeting.walk is not None,
                 self.presenting)  # fmt: skip
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def _show_walk(self, meeting: Meeting, data: StandupData | None) -> None:
        """Fill the board's columns with the attendees' cards; mark the walked column."""
        if data is not None:
            columns = walk_cards(data.walk, [s.login for s in meeting.speakers])
            for status, cards in columns:
                self.query_one(f"#walk-{status.value}", BoardColumn).cards = cards
            self.query_one(WalkStrip).counts = tuple((s, len(c)) for s, c in columns)
        walked = meeting.walk_column
        self.query_one(WalkStrip).current = walked
        for column in self.query(BoardColumn):
            column.active = column.status is walked

    def tick(self) -> None:
        """Update the two timers from the app's clock (only they repaint)."""
        meeting = self.meeting
        if meeting is None or not self.is_mounted:
            return
        now = self.services.clock.monotonic()
        speaker_timer = self.query_one("#speaker-timer", StandupTimer)
        if meeting.walk is not None:
            speaker_timer.label = "Board walk: speaker timer paused"
        elif meeting.wrapping_up:
            speaker_timer.label = "Everyone has spoken"
        else:
            speaker_timer.label = "Speaker"
        speaker_timer.reading = meeting.speaker_timer(now) if meeting.walk is None else None
        self.query_one("#meeting-timer", StandupTimer).reading = meeting.meeting_timer(now)

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Meeting keys only during a meeting; Start only outside one."""
        running = self.meeting is not None
        if action in ("start", "history"):
            return not running
        if action == "history_in_meeting":
            return running
        if action in MEETING_ACTIONS:
            return running
        if action == "card_cursor":
            return running and self.meeting is not None and self.meeting.walk is not None
        if action == "leave_presentation":
            return self.presenting
        if action == "quit_guard":
            return running
        return True

    def _now(self) -> float:
        return self.services.clock.monotonic()

    def action_start(self) -> None:
        """Choose a team or project and the order, then start."""
        if self.data is None:
            self.notify("Still loading; try again in a moment.")
            return
        modal = StandupStartModal(self.data.scopes, OrderMode.FIXED, self.data.preferred)
        self.app.push_screen(modal, self._start_chosen)

    def _start_chosen(self, choice: StartChoice | None) -> None:
        if choice is None or self.meeting is not None:
            return
        self._pending = choice
        self._scope = choice.scope
        self.reload()

    def _update(self, change: str) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        now = self._now()
        self.meeting = {
            "next": meeting.next, "previous": meeting.previous,
            "absent": meeting.toggle_absent, "walk": meeting.toggle_walk,
        }[change](now)  # fmt: skip

    def action_next(self) -> None:
        """Next speaker (or board column)."""
        self._update("next")

    def action_previous(self) -> None:
        """Previous speaker (or board column)."""
        self._update("previous")

    def action_absent(self) -> None:
        """Mark the speaker absent and move on (again: present)."""
        self._update("absent")

    def action_walk(self) -> None:
        """Walk the board right to left instead of person by person (again: back)."""
        self._update("walk")

    def action_present(self) -> None:
        """Toggle presentation mode."""
        self.presenting = not self.presenting

    def action_leave_presentation(self) -> None:
        """Escape leaves presentation mode; it never ends the meeting."""
        self.presenting = False

    def action_scroll_body(self, direction: int) -> None:
        """Page the speaker's card (or the walked column's cards)."""
        meeting = self.meeting
        if meeting is not None and meeting.walk_column is not None:
            self.query_one(f"#walk-{meeting.walk_column.value}", BoardColumn).move_page(direction)
            return
        current = self.query_one("#views", ContentSwitcher).visible_content
        if isinstance(current, VerticalScroll):
            if direction > 0:
                current.scroll_page_down()
            else:
                current.scroll_page_up()

    def action_card_cursor(self, step: int) -> None:
        """Move the highlight in the walked column."""
        meeting = self.meeting
        if meeting is not None and meeting.walk_column is not None:
            self.query_one(f"#walk-{meeting.walk_column.value}", BoardColumn).move_cursor(step)

    def action_blocker(self) -> None:
        """Type a blocker for the current speaker."""
        speaker = self.meeting.speaker if self.meeting else None
        if speaker is None:
            self.notify("Blockers belong to a speaker: go back to one first (p).")
            return
        self.app.push_screen(LineInputModal(f"Blocker for {speaker.name}", "what is in the way"),
                             self._blocker_typed)  # fmt: skip

    def _blocker_typed(self, text: str | None) -> None:
        if text and self.meeting is not None:
            self.meeting = self.meeting.add_blocker(text)

    def action_park(self) -> None:
        """Park a topic (and who wants to discuss it) for after the meeting."""
        meeting = self.meeting
        if meeting is None or self.data is None:
            return
        known = [p.login for p in self.data.people]
        # Offered: the speaker and the facilitator, if they are people the form accepts (a
        # facilitator who is not in the people list would make the form refuse its own offer).
        offered = [meeting.speaker.login] if meeting.speaker else []
        wanted = [w for w in dict.fromkeys([*offered, meeting.facilitator]) if w in known]
        self.app.push_screen(ParkTopicModal(known, wanted), self._topic_parked)

    def _topic_parked(self, request: ParkRequest | None) -> None:
        if request is not None and self.meeting is not None:
            self.meeting = self.meeting.park(request.topic, request.wanted_by)

    @work(group="dialog", exit_on_error=False)
    async def action_raise_raid(self) -> None:
        """Make the speaker's blocker or a parked topic a RAID item: a blocker an issue
        (linked to its task), a topic whatever kind is picked. Saved at once; says what."""
        meeting, data = self.meeting, self.data
        if meeting is None or data is None:
            return
        speaker = meeting.speaker
        draft = data.draft(speaker.login) if speaker else None
        found = raid_candidates(speaker, draft.blocked if draft else (), meeting.parking,
                                meeting.scope, meeting.held_on)  # fmt: skip
        if not found:
            self.notify("Nothing to raise: the speaker has no blocker and no topic is parked.",
                        timeout=4)  # fmt: skip
            return
        picked = await self.app.push_screen_wait(PickerModal(
            "Raise which as a RAID item?", [(c.label, c) for c in found]))  # fmt: skip
        if picked is None:
            return
        candidate: RaidCandidate = picked.value
        kind = candidate.kind
        if kind is None:
            chosen = await self.app.push_screen_wait(PickerModal(
                f"Raise '{candidate.title}' as what?",
                [(k.value, k) for k in (RaidKind.ISSUE, RaidKind.RISK, RaidKind.ASSUMPTION,
                                        RaidKind.DECISION)]))  # fmt: skip
            if chosen is None:
                return
            kind = chosen.value
        project = next((p for p in data.projects if p.id == candidate.project_id), None)
        if project is None:
            chosen_project = await self.app.push_screen_wait(PickerModal(
                "On which project?", [(f"{p.key}  {p.name}", p) for p in data.projects]))  # fmt: skip
            if chosen_project is None:
                return
            project = chosen_project.value
        fields: dict[str, Any] = {
            "project_id": project.id, "kind": kind, "title": candidate.title,
            "description": candidate.description, "raised_on": meeting.held_on,
            "owner": candidate.owner,
            "task_ids": (candidate.task_id,) if candidate.task_id is not None else (),
        }  # fmt: skip
        if kind is RaidKind.DECISION:
            fields["status"] = RaidStatus.PROPOSED
        if kind is RaidKind.RISK:
            probabilities, impacts = levels(project.risk_settings.kind)
            for name, values in (("probability", probabilities), ("impact", impacts)):
                rating = await self.app.push_screen_wait(PickerModal(
                    f"{name.capitalize()} of the risk", [(str(v), v) for v in values], 2))  # fmt: skip
                if rating is None:
                    return
                fields[name] = rating.value
        item = RaidItem.model_validate(fields)
        self.save(lambda store: store.raid.add(item))

    def saved(self, result: object) -> None:
        """Say which RAID item a blocker or topic became (other saves confirm themselves)."""
        if isinstance(result, RaidItem):
            linked = f", linked to #{result.task_ids[0]}" if result.task_ids else ""
            self.notify(f"Raised {result.kind.value} {result.ref} on {result.project_key}"
                        f"{linked}: {result.title}", timeout=5, markup=False)  # fmt: skip

    def action_change_status(self) -> None:
        """Pick one of the speaker's tasks and change its status on the spot."""
        meeting, data = self.meeting, self.data
        speaker = meeting.speaker if meeting else None
        if speaker is None or data is None:
            self.notify("Go to a speaker first; their tasks are listed then.")
            return
        tasks = change_candidates(speaker.login, data.tasks)
        if not tasks:
            self.notify(f"{speaker.name} has no open tasks.", markup=False)
            return
        self.app.push_screen(TaskStatusModal(speaker.name, tasks), self._status_chosen)

    def _status_chosen(self, change: StatusChange | None) -> None:
        if change is None:
            return
        if change.status is Status.BLOCKED:
            self.app.push_screen(
                why_blocked(f"#{change.task_id}"),
                lambda reason: self._save_status(change, reason),
            )
        else:
            self._save_status(change, "")

    def _save_status(self, change: StatusChange, reason: str | None) -> None:
        if reason is None:  # Escape on the reason: the change is dropped, nothing saved
            return
        fields = (
            blocked_change(reason) if change.status is Status.BLOCKED else {"status": change.status}
        )
        self.save(
            lambda store: store.tasks.update(change.task_id, fields,
                                             expected_version=change.expected_version),
            f"#{change.task_id} is now {change.status.label}",
        )  # fmt: skip

    def action_end(self) -> None:
        """Confirm, then save attendance, times, notes, blockers and the parking lot."""
        if self.meeting is None or self._saving:
            return
        self.app.push_screen(EndMeetingModal(self.meeting, self._now()), self._end_confirmed)

    def action_abandon(self) -> None:
        """A stand-up started by mistake: confirm, then drop it; nothing is saved."""
        if self.meeting is None or self._saving:
            return
        self.app.push_screen(AbandonMeetingModal(self.meeting), self._abandon_confirmed)

    def _abandon_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed or self.meeting is None:
            return
        label = self.meeting.scope.label
        self.meeting = None
        self.presenting = False
        self._scope = None
        self.notify(f"Stand-up of {label} abandoned: nothing saved.", timeout=4, markup=False)
        self.reload()

    def _end_confirmed(self, confirmed: bool | None) -> None:
        meeting, data = self.meeting, self.data
        if not confirmed or meeting is None:
            return
        drafts = {d.person.login: d for d in data.drafts} if data else {}
        record = minutes(meeting, drafts, now=self._now(), ended_at=self.services.clock.now())
        self._saving = True
        self._save_meeting(record)

    @work(thread=True, exclusive=True, group="standup-save", exit_on_error=False)
    def _save_meeting(self, record: StandupRecord) -> None:
        self.post_message(self.MeetingSaved(self.services.store.standups.save(record)))

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        """A failed save of the minutes keeps the meeting running, to try ``e`` again."""
        if worker.group != "standup-save":
            super().worker_failed(worker, error)
            return
        self._saving = False
        if not isinstance(error, ItpmError):
            self.log.error("standup save failed", error)
        self.notify(f"The stand-up was not saved: {error}", title="Not done", severity="error",
                    timeout=8, markup=False)  # fmt: skip

    @on(MeetingSaved)
    def _meeting_saved(self, message: MeetingSaved) -> None:
        self._saving = False
        record = message.record
        self.meeting = None
        self.presenting = False
        self._scope = None
        self.notify(f"Stand-up saved: {record.present} of {len(record.entries)} present, "
                    f"{len(record.parking)} parked.", timeout=4)  # fmt: skip
        self.services.check_for_changes()
        self.reload()

    def action_history(self) -> None:
        """Browse past stand-ups."""
        from itpm_tui.screens.standup_history import StandupHistoryScreen

        self.app.push_screen(StandupHistoryScreen(self.services))

    def action_history_in_meeting(self) -> None:
        """Past stand-ups during a meeting too (not in the footer, to keep it short)."""
        self.action_history()

    def action_quit_guard(self) -> None:
        """``q`` during a meeting asks first: quitting would lose the unsaved meeting."""
        if self._quit_armed:
            self.app.exit()
            return
        self._quit_armed = True
        self.notify("A stand-up is running and is not saved yet: e ends and saves it. "
                    "Press q again to quit without saving.", severity="warning", timeout=5)  # fmt: skip
        self.set_timer(5, self._disarm_quit)

    def _disarm_quit(self) -> None:
        self._quit_armed = False
