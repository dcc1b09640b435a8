"""Stand-up modals: start a meeting, park a topic, change a task, end.

Each is a ``ModalScreen`` that always dismisses with a value (``None`` or ``False`` on
Escape), so cancelling never touches the running meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.standup import Meeting, MeetingScope, OrderMode, clock_text
from itpm_tui.domain.wording import plural
from itpm_tui.domain.workflow import FLOW, step_status, toggle_blocked
from itpm_tui.models import Status, Task
from itpm_tui.screens.line_input import MODAL_CSS, no_blink
from itpm_tui.widgets.option_list import VimOptionList


@dataclass(frozen=True)
class StartChoice:
    """Which stand-up to start, and in which order people speak."""

    scope: MeetingScope
    order: OrderMode


class StandupStartModal(ModalScreen[StartChoice | None]):
    """Pick a team or a project; ``o`` cycles the speaking order; Enter starts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="standup-start.cancel"),
        Binding("o", "cycle_order", "Order", id="standup-start.order"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="StandupStartModal")

    def __init__(
        self,
        scopes: Sequence[tuple[MeetingScope, int]],
        order: OrderMode = OrderMode.FIXED,
        preferred: MeetingScope | None = None,
    ) -> None:
        super().__init__()
        self._scopes = tuple(scopes)
        self._order = order
        self._preferred = preferred

    def compose(self) -> ComposeResult:
        """The list of teams and projects, the order, the keys."""
        with Vertical():
            yield Static("Start a stand-up for ...", classes="modal-title")
            options = [
                Option(
                    Text(
                        f"{scope.label}"
                        + (f"  ({plural(count, 'person', 'people')})" if count else "")
                    )
                )
                for scope, count in self._scopes
            ]
            yield VimOptionList(*options, id="scopes")
            yield Static(self._order_text(), id="order")
            yield Static("Enter starts · o changes the order · Esc cancels",
                         classes="modal-hint")  # fmt: skip

    def on_mount(self) -> None:
        """Highlight the preferred team (the user's own), if any."""
        options = self.query_one(OptionList)
        scopes = [s for s, _ in self._scopes]
        options.highlighted = scopes.index(self._preferred) if self._preferred in scopes else 0
        options.focus()

    def _order_text(self) -> Text:
        modes = "  ".join(f"[{m.value}]" if m is self._order else f" {m.value} " for m in OrderMode)
        return Text.assemble(("Order: ", "bold"), modes)

    def action_cycle_order(self) -> None:
        """Fixed -> random -> rotating -> fixed."""
        modes = list(OrderMode)
        self._order = modes[(modes.index(self._order) + 1) % len(modes)]
        self.query_one("#order", Static).update(self._order_text())

    @on(OptionList.OptionSelected)
    def _start(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(StartChoice(self._scopes[event.option_index][0], self._order))


@dataclass(frozen=True)
class ParkRequest:
    """A topic to park and who wants to discuss it."""

    topic: str
    wanted_by: tuple[str, ...]


class ParkTopicModal(ModalScreen[ParkRequest | None]):
    """A topic and the logins who want to discuss it (checked against the people list)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="standup-park.cancel"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="ParkTopicModal")

    def __init__(self, known: Sequence[str], wanted: Sequence[str]) -> None:
        super().__init__()
        self._known = frozenset(known)
        self._wanted = ", ".join(wanted)

    def compose(self) -> ComposeResult:
        """Topic, who, an error line."""
        with Vertical():
            yield Static("Park a topic for after the stand-up", classes="modal-title")
            topic = Input(placeholder="topic", id="topic")
            wanted = Input(self._wanted, placeholder="who wants to discuss it (logins)",
                           id="wanted")  # fmt: skip
            topic.border_title = "Topic"
            wanted.border_title = "Who wants to discuss it (logins)"
            no_blink(topic, wanted)
            yield topic
            yield wanted
            yield Static("", id="park-error", classes="modal-error", markup=False)
            yield Static("Enter parks it · Tab moves · Esc cancels", classes="modal-hint")

    @on(Input.Submitted)
    def _accept(self) -> None:
        topic = " ".join(self.query_one("#topic", Input).value.split())
        # Commas, spaces or both: "bob, pm", "bob pm" and "bob,pm" all mean two people.
        wanted = tuple(
            dict.fromkeys(self.query_one("#wanted", Input).value.replace(",", " ").split())
        )
        error = self.query_one("#park-error", Static)
        if not topic:
            error.update("The topic is empty.")
            self.query_one("#topic", Input).focus()
            return
        unknown = [w for w in wanted if w not in self._known]
        if unknown:
            error.update(f"Unknown login(s): {', '.join(unknown)}")
            self.query_one("#wanted", Input).focus()
            return
        self.dismiss(ParkRequest(topic, wanted))


@dataclass(frozen=True)
class StatusChange:
    """A task's new status, with the version the facilitator saw."""

    task_id: int
    status: Status
    expected_version: int


class TaskStatusModal(ModalScreen[StatusChange | None]):
    """The speaker's tasks; space or arrows step the highlighted one's status; Enter saves.

    Steps follow To do, Doing, Review, Done (wrapping); ``b`` blocks or unblocks.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="standup-status.cancel"),
        Binding("space,right,l", "cycle(1)", "Next status", id="standup-status.next"),
        Binding("left,h", "cycle(-1)", "Previous status", id="standup-status.previous"),
        Binding("b", "block", "Block / unblock", id="standup-status.block"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="TaskStatusModal")

    def __init__(self, who: str, tasks: Sequence[Task]) -> None:
        super().__init__()
        self._who = who
        self._tasks = tuple(tasks)
        self._chosen = {t.id: t.status for t in self._tasks}

    def compose(self) -> ComposeResult:
        """The tasks with their status, old and new."""
        with Vertical():
            yield Static(Text(f"Change a task of {self._who}"), classes="modal-title")
            yield VimOptionList(*(Option(self._prompt(t)) for t in self._tasks), id="tasks")
            yield Static("Space/→ next status · ← previous · b block · Enter saves · Esc cancels",
                         classes="modal-hint")  # fmt: skip

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(OptionList).focus()

    def _prompt(self, task: Task) -> Text:
        new = self._chosen[task.id]
        text = Text.assemble(
            (f"{task.ref:>5} ", "bold"), f"{task.status.symbol} {task.status.label}"
        )
        if new is not task.status:
            text.append(f" → {new.symbol} {new.label}", "bold reverse")
        text.append(f"  {task.title}")
        return text

    def action_cycle(self, step: int) -> None:
        """Cycle the highlighted task's new status."""
        options = self.query_one(OptionList)
        if options.highlighted is None or not self._tasks:
            return
        task = self._tasks[options.highlighted]
        chosen = self._chosen[task.id]
        wrapped = FLOW[0] if step > 0 else FLOW[-1]
        self._chosen[task.id] = step_status(chosen, step) or wrapped
        options.replace_option_prompt_at_index(options.highlighted, self._prompt(task))

    def action_block(self) -> None:
        """Block the highlighted task (the stand-up then asks why), or unblock it."""
        options = self.query_one(OptionList)
        if options.highlighted is None or not self._tasks:
            return
        task = self._tasks[options.highlighted]
        self._chosen[task.id] = toggle_blocked(self._chosen[task.id])
        options.replace_option_prompt_at_index(options.highlighted, self._prompt(task))

    @on(OptionList.OptionSelected)
    def _save(self, event: OptionList.OptionSelected) -> None:
        task = self._tasks[event.option_index]
        status = self._chosen[task.id]
        self.dismiss(None if status is task.status else StatusChange(task.id, status, task.version))


class AbandonMeetingModal(ModalScreen[bool]):
    """Confirm abandoning a meeting started by mistake: nothing of it is saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Abandon it", id="standup-abandon.confirm"),
        Binding("escape,ctrl+g,n,enter", "dismiss(False)", "Keep going",
                id="standup-abandon.cancel"),
    ]  # fmt: skip
    DEFAULT_CSS = MODAL_CSS.format(name="AbandonMeetingModal")

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self._meeting = meeting

    def compose(self) -> ComposeResult:
        """What would be lost, and the keys (Enter keeps the meeting: losing it takes y)."""
        m = self._meeting
        blockers = sum(len(s.blockers) for s in m.speakers)
        with Vertical():
            yield Static("Abandon this stand-up without saving it?", classes="modal-title")
            yield Static(Text(
                f"{m.scope.label}: the attendance, speaking times, {plural(blockers, 'blocker')} typed "
                f"and {plural(len(m.parking), 'parked topic')} are not saved. Task changes made in it "
                "stay (they are saved as they happen)."
            ))  # fmt: skip
            yield Static("y abandons it · Esc, n or Enter keeps the meeting going",
                         classes="modal-hint")  # fmt: skip


class EndMeetingModal(ModalScreen[bool]):
    """Confirm ending the meeting: shows what will be saved. Escape keeps it running."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "dismiss(True)", "End and save", id="standup-end.confirm"),
        Binding("escape,ctrl+g,n", "dismiss(False)", "Keep going", id="standup-end.cancel"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="EndMeetingModal")

    def __init__(self, meeting: Meeting, now: float) -> None:
        super().__init__()
        self._meeting = meeting
        self._now = now

    def compose(self) -> ComposeResult:
        """A summary and the keys."""
        m = self._meeting
        present = sum(1 for s in m.speakers if not s.absent)
        spoken = sum(m.spoken(i, self._now) for i in range(len(m.speakers)))
        blockers = sum(len(s.blockers) for s in m.speakers)
        with Vertical():
            yield Static("End the stand-up and save it?", classes="modal-title")
            yield Static(Text(
                f"{m.scope.label}: {present} of {len(m.speakers)} present, "
                f"{clock_text(spoken)} spoken in {m.meeting_timer(self._now).display}, "
                f"{plural(blockers, 'blocker')} typed, {plural(len(m.parking), 'topic')} parked."
            ))  # fmt: skip
            yield Static("Enter or y ends and saves · Esc or n keeps the meeting going · "
                         "started by mistake? Esc, then X abandons it unsaved",
                         classes="modal-hint")  # fmt: skip
