"""TaskScreen: the task actions Today, Tasks, the board and drill-downs share.

Every change is a :class:`TaskEdit` value saved in a worker with the version the user saw,
so a change made by someone else in the meantime is never overwritten silently: the
ConflictModal says who changed what and lets the user keep theirs or overwrite. Edits of one
task are queued on the UI thread and saved one after another, in key-press order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import parse_optional_date, short_date
from itpm_tui.domain.link_spec import (
    LINK_HINT,
    LinkChanges,
    LinkSpec,
    link_changes,
    parse_lag,
    parse_link_spec,
)
from itpm_tui.domain.recurrence import skipped_due
from itpm_tui.domain.timesheet import minutes_text
from itpm_tui.domain.workflow import next_status, toggle_blocked
from itpm_tui.domain.workload import TakeOptions, candidate_text, needed_text
from itpm_tui.errors import InvalidInput, ItpmError, LinkRefused, NotFound, StaleWrite
from itpm_tui.models import PRIORITY_MAX, PRIORITY_MIN, LinkType, Status, Task, TaskLink, Timer
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.conflict import Choice, ConflictModal
from itpm_tui.screens.line_input import LineInputModal, why_blocked
from itpm_tui.screens.picker import Picked, PickerModal
from itpm_tui.screens.task_form import Changes, FormChoices, FormResult, TaskFormModal, WaitsFor
from itpm_tui.store import Store, TaskFilter
from itpm_tui.store.timers import Stopped
from itpm_tui.widgets.app_header import AppHeader

R = TypeVar("R")
T = TypeVar("T")

Step = Callable[[Task], tuple[Changes, str]]
"""A change worked out from the stored task when the save runs, and what to say about it."""


def load_choices(store: Store) -> FormChoices:
    """Projects, people and milestones for the task form (worker thread)."""
    return FormChoices(
        projects=tuple(store.projects.find()),
        people=tuple(store.people.find()),
        milestones=tuple(store.milestones.find()),
        me=store.user,
    )


def _cycle_change(task: Task) -> tuple[Changes, str]:
    status = next_status(task.status)
    return {"status": status}, f"{task.ref} is now {status.label.lower()}"


_DERIVED = frozenset({"done_at", "blocked_since"})
"""Fields that follow another change: not named when an undo reports what it restored."""


def blocked_change(reason: str) -> Changes:
    """The fields that block a task, with the reason when one was given."""
    changes: Changes = {"status": Status.BLOCKED}
    if reason:
        changes["blocked_reason"] = reason
    return changes


def _skip_change(task: Task, today: date, calendar: WorkCalendar) -> tuple[Changes, str]:
    due = skipped_due(task.repeat, task.due, today, calendar)
    if due is None:
        return {}, f"{task.ref} does not repeat: nothing to skip."
    return {"due": due}, f"Skipped {task.ref} this time: next due {due:%a %d %b}"


def _priority_change(task: Task, step: int) -> tuple[Changes, str]:
    priority = max(PRIORITY_MIN, min(PRIORITY_MAX, task.priority + step))
    if priority == task.priority:
        return {}, f"{task.ref} is already P{priority}."
    return {"priority": priority}, f"{task.ref} is now P{priority}"


_TASK_KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    # keys, action, short label (key bar), long label (help, palette), id suffix
    ("x,space", "toggle_done", "Done", "Done / reopen", "done"),
    ("s", "cycle_status", "Status", "Next status", "status"),
    ("b", "toggle_blocked", "Block", "Block / unblock", "block"),
    ("u", "undo", "Undo", "Undo my last change", "undo"),
    ("Z", "snooze_until", "Hide until", "Hide from Today until…", "snooze-until"),
    ("z", "snooze", "Snooze", "Snooze to next working day", "snooze"),
    ("e", "edit", "Edit", "Edit", "edit"),
    ("plus,equals_sign", "raise_priority", "Priority up", "Priority up", "priority-up"),
    ("minus", "lower_priority", "Priority down", "Priority down", "priority-down"),
    ("T", "toggle_timer", "Timer", "Start / stop my timer on the task", "timer"),
    ("N", "skip_occurrence", "Skip", "Skip one occurrence (recurring task)", "skip"),
    ("D", "links", "Links", "Dependencies: what it waits for, what waits for it", "links"),
    (
        "I",
        "what_if",
        "What if",
        "What if it slips? (what moves; nothing saved)",
        "what-if",
    ),
    (
        "W",
        "who_can_take",
        "Who can take",
        "Who can take this? (free hours before it is due)",
        "who-can-take",
    ),
)


def task_bindings(screen_id: str, shown: frozenset[str]) -> list[Binding]:
    """The task actions' keys for one screen; ``shown`` names the actions in its key bar.

    A key shown in the bar gets the short label, a hidden one the long label that ``?`` and
    the palette show. Ids are ``SCREEN.SUFFIX`` (``today.done``), as keymaps name them.
    """
    return [
        Binding(
            keys,
            action,
            short if action in shown else long,
            show=action in shown,
            id=f"{screen_id}.{suffix}",
        )
        for keys, action, short, long, suffix in _TASK_KEYS
    ]


@dataclass(frozen=True)
class TaskEdit:
    """One change to one task, as a value: what changes, and from which version."""

    task_id: int
    title: str
    """The task's title when the key was pressed, for the conflict dialog."""
    changes: Changes
    confirmation: str
    version: int | None
    """The version shown when the key was pressed; ``None`` overwrites whatever is stored."""
    step: Step | None = None
    """Instead of ``changes``: a change relative to the stored task ("one more urgent")."""
    form: FormResult | None = None
    """The form this edit came from: its "Waits for" is saved with the fields."""


class TaskSaved(Message):
    """A task was written (edited, added or restored by undo); posted from the worker."""

    def __init__(self, edit: TaskEdit | None, task: Task | None, confirmation: str,
                 *, follow: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.edit = edit
        """The edit that was saved (``None`` for an add or an undo)."""
        self.task = task
        """The task as saved (``None`` when a step found nothing to change)."""
        self.confirmation = confirmation
        self.follow = follow
        """Put the cursor on the task (one just added or brought back)."""


class TakeOptionsLoaded(Message):
    """Who could take a task, read in a worker for the "who can take this?" picker."""

    def __init__(self, task: Task, options: TakeOptions) -> None:
        super().__init__()
        self.task = task
        """The task as shown when the key was pressed (its version guards the reassign)."""
        self.options = options


class LinksRead(Message):
    """A task's links and the tasks at their other ends, read for the links picker."""

    def __init__(self, task: Task, preds: list[TaskLink], succs: list[TaskLink],
                 others: dict[int, Task]) -> None:  # fmt: skip
        super().__init__()
        self.task = task
        self.preds = preds
        self.succs = succs
        self.others = others

    def other(self, task_id: int) -> str:
        """``#13 Site survey: Hamburg``: the task at a link's other end."""
        found = self.others.get(task_id)
        return f"#{task_id} {found.title}" if found else f"#{task_id}"

    def lines(self) -> list[tuple[str, TaskLink]]:
        """One line per link of the task itself, what it waits for first (the D picker's)."""
        return [
            *((f"waits for {self.other(lk.pred_id)} · {link_label(lk)}", lk) for lk in self.preds),
            *((f"{self.other(lk.succ_id)} waits for it · {link_label(lk)}", lk)
              for lk in self.succs),
        ]  # fmt: skip


class FormRefused(Message):
    """The store refused a form's save (a link it cannot make): reopen it as typed."""

    def __init__(self, result: FormResult, error: str, edit: TaskEdit | None) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.edit = edit
        """The edit that was refused (None for a new task)."""


class WhatIfRead(Message):
    """What a slip of one task would move, computed in a worker (nothing saved)."""

    def __init__(self, task: Task, days: int, rows: list[str]) -> None:
        super().__init__()
        self.task = task
        self.days = days
        self.rows = rows
        """One line per milestone or finish that moves, or the one line saying why none."""


def _find_task(store: Store, ref: int | str) -> Task:
    """The task an id or words of a title name; refuses none or several matches."""
    if isinstance(ref, int):
        return store.tasks.get(ref)
    found = store.tasks.find(TaskFilter(text=ref))  # title or notes: the titles are sorted out
    titled = [t for t in found if ref.casefold() in t.title.casefold()]
    exact = [t for t in titled if t.title.casefold() == ref.casefold()]
    if len(exact) == 1 or len(titled) == 1:
        return (exact or titled)[0]
    if not titled:
        raise InvalidInput(f"no task's title holds {ref!r}: type its id")
    shown = ", ".join(f"{t.ref} {t.title}" for t in titled[:3])
    raise InvalidInput(f"several titles hold {ref!r} ({shown}…): type its id")


def _form_links(store: Store, waits_for: WaitsFor | None) -> LinkChanges | None:
    """The link changes a form's "Waits for" asks for, each typed task found (worker).

    A typed task that cannot be found, or named twice, is a ``LinkRefused`` like the
    store's own refusals: the form reopens with it beside "Waits for"."""
    if waits_for is None:
        return None
    try:
        wanted = [(_find_task(store, spec.task).id, spec.kind, spec.lag)
                  for spec in waits_for.specs]  # fmt: skip
        return link_changes(waits_for.seen, wanted)
    except (InvalidInput, NotFound) as err:
        raise LinkRefused(str(err)) from err


def _link_write(task: Task, spec: LinkSpec, *, waits: bool) -> Callable[[Store], Message]:
    """Add a link: ``task`` waits for the typed task (``waits``), or the typed one for it."""

    def write(store: Store) -> Message:
        other = _find_task(store, spec.task)
        pred, succ = (other, task) if waits else (task, other)
        link = store.links.add(pred.id, succ.id, spec.kind, spec.lag)
        said = f"{succ.ref} now waits for {pred.ref} ({link_label(link)})"
        return TaskSaved(None, store.tasks.get(task.id), said)

    return write


def _unlink_write(task: Task, link: TaskLink) -> Callable[[Store], Message]:
    def write(store: Store) -> Message:
        store.links.remove(link.pred_id, link.succ_id)
        said = f"#{link.succ_id} no longer waits for #{link.pred_id}"
        return TaskSaved(None, store.tasks.get(task.id), said)

    return write


def read_links(store: Store, task: Task) -> LinksRead:
    """A task's links and the tasks at their other ends (worker thread)."""
    preds, succs = store.links.of_task(task.id)
    ids = tuple({lk.pred_id for lk in preds} | {lk.succ_id for lk in succs})
    others = {t.id: t for t in store.tasks.find(TaskFilter(ids=ids))} if ids else {}
    return LinksRead(task, preds, succs, others)


PANE_CHAIN_WALK = 200
"""Links of the chain the details pane counts each way before it says "200+"."""


def chain_lines(store: Store, task: Task) -> list[str]:
    """The details pane's links (worker thread): what the task waits for and what waits
    for it, a heading each, then how many more links the chain has beyond them that way
    (``itpm-tui show ID`` lists it whole). One line per neighbour keeps a
    cursor move's repaint small; a link's type and lag show when not plain finish-to-start."""
    chain = store.links.chain(task.id, limit=PANE_CHAIN_WALK)
    ways = (
        ("waits for", chain.up, chain.up_complete, True),
        ("waiting for it", chain.down, chain.down_complete, False),
    )
    own = {up: [lk for lk in links if (lk.succ_id if up else lk.pred_id) == task.id]
           for _, links, _, up in ways}  # fmt: skip
    ids = tuple({lk.pred_id if up else lk.succ_id for up, links in own.items() for lk in links})
    titles = {t.id: t.title for t in store.tasks.find(TaskFilter(ids=ids))} if ids else {}
    lines: list[str] = []
    for heading, links, complete, upstream in ways:
        if not own[upstream]:
            continue
        lines.append(heading)
        for link in own[upstream]:
            other = link.pred_id if upstream else link.succ_id
            lines.append(f"  #{other} {titles.get(other, '')}{_short_label(link)}")
        further = len(links) - len(own[upstream])
        if not complete and not further:  # the walk stopped among the task's own links
            lines.append(f"  … more links {'upstream' if upstream else 'downstream'}")
        elif further:
            count = (f"{further} more link" if further == 1 and complete
                     else f"{further}{'' if complete else '+'} more links")  # fmt: skip
            lines.append(f"  … {count} {'upstream' if upstream else 'downstream'}")
    return lines


def _short_label(link: TaskLink) -> str:
    """`` · ss +2 wd`` for the pane's narrow column; nothing for the usual finish-to-start."""
    if link.kind is LinkType.FS and not link.lag:
        return ""
    lag = f" {link.lag:+d} wd" if link.lag else ""
    return f" · {link.kind.value}{lag}"


def link_label(link: TaskLink) -> str:
    """``finish-to-start`` or ``start-to-start +2 wd``, as the links picker says it."""
    names = {"f": "finish", "s": "start"}
    kind = link.kind.value
    lag = f" {link.lag:+d} wd" if link.lag else ""
    return f"{names[kind[0]]}-to-{names[kind[1]]}{lag}"


class TimerRead(Message):
    """My running timer as the store has it (``None``: none), read after each load."""

    def __init__(self, timer: Timer | None) -> None:
        super().__init__()
        self.timer = timer


def timer_label(timer: Timer | None) -> str:
    """``◷ #152 since 09:00`` for the header ('' when no timer runs)."""
    return "" if timer is None else f"◷ #{timer.task_id} since {timer.started_at:%H:%M}"


class TaskConflict(Message):
    """An edit met a newer version of its task (someone else changed it)."""

    def __init__(self, edit: TaskEdit, error: StaleWrite) -> None:
        super().__init__()
        self.edit = edit
        self.error = error


def _edit_write(edit: TaskEdit, expected: int | None) -> Callable[[Store], Message]:
    """The store write of one edit (runs in the worker)."""

    def write(store: Store) -> Message:
        changes, said, version = edit.changes, edit.confirmation, expected
        if edit.step is not None:
            current = store.tasks.get(edit.task_id)
            (changes, said), version = edit.step(current), current.version
        form = edit.form
        try:
            links = _form_links(store, form.waits_for) if form else None
            if not changes and not links:
                return TaskSaved(edit, None, said)
            saved = store.tasks.update(edit.task_id, changes, expected_version=version, links=links)
        except StaleWrite as err:
            return TaskConflict(edit, err)
        except LinkRefused as err:  # any other refusal: the worker's error path says it
            if form is None:
                raise
            return FormRefused(form, str(err), edit)
        return TaskSaved(edit, saved, said)

    return write


def _stopped_text(stopped: Stopped) -> str:
    if stopped.logged is None:
        return f"Timer on #{stopped.timer.task_id} stopped: under a minute, nothing logged"
    return (f"Timer on #{stopped.timer.task_id} stopped: logged "
            f"{minutes_text(stopped.minutes)} today")  # fmt: skip


def _stop_timer(store: Store) -> Message:
    return TaskSaved(None, None, _stopped_text(store.timers.stop()))


def _start_timer(task: Task, *, switch: bool) -> Callable[[Store], Message]:
    def start(store: Store) -> Message:
        timer, stopped = store.timers.start(task.id, switch=switch)
        said = f"Timer started on {task.ref} at {timer.started_at:%H:%M}"
        if stopped is not None:
            said = _stopped_text(stopped) + ". " + said
        return TaskSaved(None, None, said)

    return start


class TaskScreen(ItpmScreen[R, T]):
    """A main screen listing tasks; subclasses say which task is under the cursor."""

    READ_GROUPS: ClassVar[frozenset[str]] = frozenset(
        {"load", "rows", "detail", "who", "timer", "links", "form_links", "what_if"}
    )
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"toggle_done", "cycle_status", "toggle_blocked", "raise_priority", "lower_priority",
         "snooze", "snooze_until", "undo", "edit", "new_task", "toggle_timer", "who_can_take",
         "skip_occurrence", "links"}
    )  # fmt: skip
    choices = FormChoices()
    """Projects, people and milestones for the form (set by the subclass's ``show``)."""
    running_timer: Timer | None = None
    """My running timer, as last read (``T`` starts, stops or switches it)."""
    cursor_target: int | None = None
    """The task the next load puts the cursor on (just added, restored, or jumped to)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._edits: dict[int, deque[TaskEdit]] = {}
        """Per task: the edit being saved first, then those waiting for it."""
        self._versions: dict[int, int] = {}
        """The version each task had after this screen last saved it."""
        self._in_flight: dict[Worker[None], TaskEdit] = {}

    def current_task(self) -> Task | None:
        """The task the actions apply to."""
        raise NotImplementedError

    def reload(self) -> None:
        """Load the screen, and my running timer for the header."""
        super().reload()
        self._read_timer()

    @work(thread=True, exclusive=True, group="timer", exit_on_error=False)
    def _read_timer(self) -> None:
        self.post_message(TimerRead(self.services.store.timers.running()))

    @on(TimerRead)
    def _show_timer(self, message: TimerRead) -> None:
        message.stop()
        self.running_timer = message.timer
        for header in self.query(AppHeader):
            header.timer = timer_label(message.timer)

    def form_defaults(self) -> dict[str, Any]:
        """Initial values for a new task made with the form: it is mine unless I say not."""
        return {"assignee": self.services.user}

    def show_saved(self, task: Task) -> None:
        """Show a task just saved here at once; the reload that follows confirms it."""

    # --- saving ---------------------------------------------------------------------------

    def save_task(self, task: Task, changes: Changes, confirmation: str) -> None:
        """Save new values for fields of the task shown, guarded by its version."""
        if changes:
            self.submit(TaskEdit(task.id, task.title, dict(changes), confirmation, task.version))

    def save_relative(self, task: Task, step: Step) -> None:
        """Save a change worked out from the stored task: two quick ``+`` both count, and a
        value someone else just set is stepped from rather than overwritten."""
        self.submit(TaskEdit(task.id, task.title, {}, "", task.version, step))

    def submit(self, edit: TaskEdit) -> None:
        """Queue an edit; it is saved once earlier edits of the same task are."""
        queue = self._edits.setdefault(edit.task_id, deque())
        queue.append(edit)
        if len(queue) == 1:
            self._start(edit)

    def _start(self, edit: TaskEdit) -> None:
        # An edit queued behind our own save of the task expects the version that save left.
        expected = edit.version
        if expected is not None:
            expected = max(expected, self._versions.get(edit.task_id, 0))
        self._in_flight[self._write_worker(_edit_write(edit, expected))] = edit

    def _finish(self, edit: TaskEdit, *, drop_queue: bool = False) -> None:
        """The edit is done: start the next one of its task (or drop them all)."""
        self._in_flight = {w: e for w, e in self._in_flight.items() if e is not edit}
        queue = self._edits.get(edit.task_id)
        if not queue or queue[0] is not edit:
            return
        queue.popleft()
        if drop_queue or not queue:
            del self._edits[edit.task_id]
        else:
            self._start(queue[0])

    @work(thread=True, group="save", exit_on_error=False)
    def _write_worker(self, write: Callable[[Store], Message]) -> None:
        self.post_message(write(self.services.store))

    def add_task(self, values: Changes, confirmation: str, form: FormResult | None = None) -> None:
        """Add a task (validated in the worker; an error becomes a notice), and the
        predecessors the ``form`` asks for (a refused link reopens the form)."""

        def add(store: Store) -> Message:
            from itpm_tui.store.rows import validate

            task = validate(Task, values)
            try:
                links = _form_links(store, form.waits_for) if form else None
                added = store.tasks.add(task, links=links)
            except LinkRefused as err:
                if form is None:
                    raise
                return FormRefused(form, str(err), None)
            return TaskSaved(None, added, confirmation, follow=True)

        self._write_worker(add)

    @on(TaskSaved)
    def _task_saved(self, message: TaskSaved) -> None:
        message.stop()
        task = message.task
        if task is not None:
            self._versions[task.id] = task.version
            if message.follow:
                self.cursor_target = task.id
            self.show_saved(task)
        if message.edit is not None:
            self._finish(message.edit)
        if message.confirmation:
            self.notify(message.confirmation, timeout=3, markup=False)
        self.services.check_for_changes()

    @on(TaskConflict)
    def _offer_conflict_choice(self, message: TaskConflict) -> None:
        message.stop()
        edit = message.edit
        self._finish(edit, drop_queue=True)  # later edits were made on the version that lost
        self.reload()

        def resolved(choice: Choice | None) -> None:
            if choice == "mine":
                said = f"Saved #{edit.task_id} over the other change"
                self.submit(replace(edit, version=None, confirmation=said))
            else:
                self.notify(f"Kept the other change to #{edit.task_id}.", timeout=3)

        self.app.push_screen(
            ConflictModal(message.error, edit.title, self.services.clock.today()), resolved
        )

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        """A failed edit drops the edits queued behind it and reloads what is stored."""
        super().worker_failed(worker, error)
        edit = self._in_flight.pop(worker, None)
        if edit is not None:
            self._finish(edit, drop_queue=True)
            self.reload()

    # --- actions --------------------------------------------------------------------------

    def _task_or_say(self) -> Task | None:
        task = self.current_task()
        if task is None:
            self.notify("No task selected.", severity="warning", timeout=2)
        return task

    def action_toggle_done(self) -> None:
        """Mark the task done (or back to to do if it is done)."""
        task = self._task_or_say()
        if task is None:
            return
        status = Status.TODO if task.status is Status.DONE else Status.DONE
        verb = "Done" if status is Status.DONE else "Reopened"
        self.save_task(task, {"status": status}, f"{verb}: {task.ref} {task.title}")

    def action_cycle_status(self) -> None:
        """Move the task along To do, Doing, Review, Done (never into Blocked: that is ``b``)."""
        task = self._task_or_say()
        if task is not None:
            self.save_relative(task, _cycle_change)

    def action_toggle_blocked(self) -> None:
        """Block the task, asking why first; a blocked task is unblocked back to doing."""
        task = self._task_or_say()
        if task is None:
            return
        if toggle_blocked(task.status) is not Status.BLOCKED:
            self.save_task(task, {"status": Status.DOING}, f"{task.ref} is unblocked: doing")
            return

        def answered(reason: str | None) -> None:
            if reason is not None:  # Escape: nothing changes
                self.save_task(task, blocked_change(reason), f"{task.ref} is now blocked")

        self.app.push_screen(why_blocked(task.ref), answered)

    def action_raise_priority(self) -> None:
        """Make the task more urgent (P3 -> P2)."""
        task = self._task_or_say()
        if task is not None:
            self.save_relative(task, lambda current: _priority_change(current, -1))

    def action_lower_priority(self) -> None:
        """Make the task less urgent (P2 -> P3)."""
        task = self._task_or_say()
        if task is not None:
            self.save_relative(task, lambda current: _priority_change(current, 1))

    def action_snooze(self) -> None:
        """Hide the task from Today until the next working day."""
        task = self._task_or_say()
        if task is None:
            return
        today = self.services.clock.today()
        until = self.choices.calendar(task.project_id).next_working_day(today)
        self.save_task(task, {"snoozed_until": until}, f"Snoozed {task.ref} until {until:%a %d %b}")

    def action_skip_occurrence(self) -> None:
        """A recurring task: skip this occurrence, moving it to its rule's next date."""
        task = self._task_or_say()
        if task is None:
            return
        if not task.repeat:
            self.notify(f"{task.ref} does not repeat: nothing to skip.", severity="warning",
                        timeout=3)  # fmt: skip
            return
        today = self.services.clock.today()
        calendar = self.choices.calendar(task.project_id)
        self.save_relative(task, lambda current: _skip_change(current, today, calendar))

    def action_undo(self) -> None:
        """Take back my last change to a task (from any screen), unless someone changed it since."""

        def undo(store: Store) -> Message:
            task, fields = store.tasks.undo_last()
            what = ", ".join(f.replace("_", " ") for f in fields if f not in _DERIVED)
            return TaskSaved(None, task, f"Undone: {task.ref} {what} restored", follow=True)

        self._write_worker(undo)

    def action_snooze_until(self) -> None:
        """Hide the task from Today until a day I type (empty: show it again now)."""
        task = self._task_or_say()
        if task is None:
            return
        today = self.services.clock.today()
        calendar = self.choices.calendar(task.project_id)

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                until = parse_optional_date(text, today, calendar)
            except InvalidInput as err:
                self.notify(str(err), title="Not snoozed", severity="error", markup=False)
                return
            if until is not None and until <= today:
                self.notify(f"Pick a day after today: {until:%a %d %b} is not.",
                            title="Not snoozed", severity="error", markup=False)  # fmt: skip
                return
            said = f"Snoozed {task.ref} until {until:%a %d %b %Y}" if until else (
                f"{task.ref} is back on Today")  # fmt: skip
            self.save_task(task, {"snoozed_until": until}, said)

        prompt = LineInputModal(f"Snooze {task.ref} until?", "fri, +3wd, 7 dec · empty: now")
        self.app.push_screen(prompt, answered)

    def action_toggle_timer(self) -> None:
        """Start my timer on the task; on the task it runs on, stop it (logging the time).
        On another task it asks first whether to stop that one (logged) and switch."""
        task = self._task_or_say()
        if task is None:
            return
        running = self.running_timer
        if running is not None and running.task_id == task.id:
            self._write_worker(_stop_timer)
            return
        if running is None:
            self._write_worker(_start_timer(task, switch=False))
            return

        def picked(choice: Picked[bool] | None) -> None:
            if choice is not None and choice.value:
                self._write_worker(_start_timer(task, switch=True))

        choices = [(f"Stop #{running.task_id} (its time is logged) and start {task.ref}", True),
                   (f"Keep #{running.task_id} running", False)]  # fmt: skip
        self.app.push_screen(PickerModal(f"A timer is running on #{running.task_id}", choices),
                             picked)  # fmt: skip

    def action_who_can_take(self) -> None:
        """List who has free hours before the task is due; picking one reassigns it."""
        task = self._task_or_say()
        if task is not None:
            self._read_take_options(task, self.services.clock.today())

    @work(thread=True, exclusive=True, group="who", exit_on_error=False)
    def _read_take_options(self, task: Task, today: date) -> None:
        from itpm_tui.reports import who_can_take_of

        self.post_message(TakeOptionsLoaded(task, who_can_take_of(self.services.store,
                                                                  task.id, today)))  # fmt: skip

    @on(TakeOptionsLoaded)
    def _offer_take_options(self, message: TakeOptionsLoaded) -> None:
        message.stop()
        task, options = message.task, message.options
        if not options.candidates:
            self.notify(f"Nobody else to take {task.ref}.", severity="warning", timeout=3)
            return
        first, last = options.first, options.last
        window = (f"on {first:%a %d %b}" if first == last
                  else f"{first:%a %d %b} to {last:%a %d %b}")  # fmt: skip
        title = f"Who can take {task.ref}? {needed_text(options)} · free hours {window}"
        choices = [(candidate_text(c), c.login) for c in options.candidates]

        def picked(choice: Picked[str] | None) -> None:
            if choice is not None:
                self.save_task(task, {"assignee": choice.value},
                               f"{task.ref} is now {choice.value}'s")  # fmt: skip

        self.app.push_screen(PickerModal(title, choices), picked)

    def action_links(self) -> None:
        """The task's links: Enter on one removes it; or add what it waits for, or what waits
        for it (by id or words of the title, with a type and a lag)."""
        task = self._task_or_say()
        if task is not None:
            self._read_links(task)

    @work(thread=True, exclusive=True, group="links", exit_on_error=False)
    def _read_links(self, task: Task) -> None:
        self.post_message(read_links(self.services.store, task))

    @on(LinksRead)
    def _offer_links(self, message: LinksRead) -> None:
        message.stop()
        task, other = message.task, message.other
        choices: list[tuple[str, TaskLink | bool]] = [
            *message.lines(),
            (f"+ Add a task {task.ref} waits for…", True),
            (f"+ Add a task that waits for {task.ref}…", False),
        ]
        count = len(message.preds) + len(message.succs)
        title = f"Links of {task.ref} {task.title}" + (
            " · Enter on a link removes it" if count else " · none yet")  # fmt: skip

        def picked(choice: Picked[TaskLink | bool] | None) -> None:
            if choice is None:
                return
            if isinstance(choice.value, bool):
                self._ask_link(task, waits=choice.value)
            else:
                self._confirm_unlink(task, choice.value, other)

        self.app.push_screen(PickerModal(title, choices), picked)

    def _ask_link(self, task: Task, *, waits: bool) -> None:
        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                spec = parse_link_spec(text)
            except InvalidInput as err:
                self.notify(str(err), title="No link added", severity="error", markup=False)
                return
            self._write_worker(_link_write(task, spec, waits=waits))

        question = f"{task.ref} waits for which task?" if waits else (
            f"Which task waits for {task.ref}?")  # fmt: skip
        self.app.push_screen(LineInputModal(question, LINK_HINT), answered)

    def _confirm_unlink(self, task: Task, link: TaskLink, other: Callable[[int], str]) -> None:
        def picked(choice: Picked[bool] | None) -> None:
            if choice is not None and choice.value:
                self._write_worker(_unlink_write(task, link))

        question = f"{other(link.succ_id)} waits for {other(link.pred_id)}: remove that link?"
        choices = [("Remove the link", True), ("Keep it", False)]
        self.app.push_screen(PickerModal(question, choices), picked)

    def action_what_if(self) -> None:
        """Ask how many working days the task slips; list what would move (nothing saved)."""
        task = self._task_or_say()
        if task is None:
            return

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                days = parse_lag(text)
            except InvalidInput as err:
                self.notify(str(err), title="What if", severity="error", markup=False)
                return
            if days <= 0:
                self.notify("Type a slip of 1 working day or more.", title="What if",
                            severity="error")  # fmt: skip
                return
            self._read_what_if(task, days, self.services.clock.today())

        prompt = LineInputModal(f"What if {task.ref} slips? Working days:", "3 · +5 · 2wd")
        self.app.push_screen(prompt, answered)

    @work(thread=True, exclusive=True, group="what_if", exit_on_error=False)
    def _read_what_if(self, task: Task, days: int, today: date) -> None:
        from itpm_tui.domain.network import NOTHING_MOVES
        from itpm_tui.reports import schedule_network

        network = schedule_network(self.services.store, today, task.project_key)
        if task.id not in network.tasks:
            rows = [f"{task.ref} is not in the schedule network (done, or no dates)"]
        else:
            moves = network.what_if({task.id: days}).moves
            rows = [move.text(lambda d: short_date(d, today)) for move in moves] or [NOTHING_MOVES]
        self.post_message(WhatIfRead(task, days, rows))

    @on(WhatIfRead)
    def _show_what_if(self, message: WhatIfRead) -> None:
        message.stop()
        title = f"What if {message.task.ref} slips {message.days} wd? Nothing is saved."
        self.app.push_screen(PickerModal(title, [(row, None) for row in message.rows]))

    def action_edit(self) -> None:
        """Edit every field of the task in the form."""
        task = self._task_or_say()
        if task is not None:
            self.open_form(task)

    def action_new_task(self) -> None:
        """Add a task with every field in the form."""
        self.open_form(None, defaults=self.form_defaults())

    def open_form(self, task: Task | None, *, defaults: Changes | None = None,
                  waits_for: WaitsFor | None = None, link_error: str = "") -> None:  # fmt: skip
        """The task form for ``task`` (a new task for None); saving it saves the task.

        A task's predecessors are read in a worker after the form opens; ``waits_for`` and
        ``link_error`` reopen a form as typed, after the store refused one of its links."""
        today = self.services.clock.today()
        form = TaskFormModal(task, self.choices, today, defaults=defaults,
                             waits_for=waits_for, link_error=link_error)  # fmt: skip

        def saved(result: FormResult | None) -> None:
            if not result:
                return
            if task is None:
                self.add_task(result.changes, f"Added: {result.changes['title']}", result)
            else:
                self.submit(TaskEdit(task.id, task.title, dict(result.changes),
                                     f"Saved {task.ref}", task.version, form=result))  # fmt: skip

        self.app.push_screen(form, saved)
        if task is not None and waits_for is None:
            self._read_form_links(task, form)

    @work(thread=True, exclusive=True, group="form_links", exit_on_error=False)
    def _read_form_links(self, task: Task, form: TaskFormModal) -> None:
        try:
            preds, _succs = self.services.store.links.of_task(task.id)
        except ItpmError as err:  # the row says so; the other fields still save
            form.post_message(TaskFormModal.PredecessorsRead((), error=str(err)))
            return
        form.post_message(TaskFormModal.PredecessorsRead(preds))  # dropped if it has closed

    @on(FormRefused)
    def _reopen_refused_form(self, message: FormRefused) -> None:
        message.stop()
        if message.edit is not None:
            self._finish(message.edit, drop_queue=True)  # later edits assumed this one saved
            self.reload()
        result = message.result
        self.open_form(result.task, defaults=result.changes, waits_for=result.waits_for,
                       link_error=message.error)  # fmt: skip
