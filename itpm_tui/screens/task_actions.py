"""TaskScreen: the task actions Today and Tasks share (done, status, priority, snooze, edit).

Every change is saved in a worker with the version the user saw, so a change made by
someone else in the meantime is never overwritten silently: the ConflictModal says who
changed what and lets the user keep theirs or overwrite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on

from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.domain.workflow import next_status, toggle_blocked
from itpm_tui.errors import InvalidInput, StaleWrite
from itpm_tui.models import PRIORITY_MAX, PRIORITY_MIN, Status, Task
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.conflict import Choice, ConflictModal
from itpm_tui.screens.line_input import LineInputModal, why_blocked
from itpm_tui.screens.task_form import Changes, FormChoices, TaskFormModal

if TYPE_CHECKING:
    from itpm_tui.store import Store

T = TypeVar("T")


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


def _priority_change(task: Task, step: int) -> tuple[Changes, str]:
    priority = max(PRIORITY_MIN, min(PRIORITY_MAX, task.priority + step))
    if priority == task.priority:
        return {}, f"{task.ref} is already P{priority}."
    return {"priority": priority}, f"{task.ref} is now P{priority}"


@dataclass(frozen=True)
class PendingEdit:
    """What the last save tried to change, to offer it again after a conflict."""

    task_id: int
    title: str
    changes: Changes


class TaskScreen(ItpmScreen[T]):
    """A main screen listing tasks; subclasses say which task is under the cursor."""

    choices = FormChoices()
    """Projects, people and milestones for the form (set by the subclass's ``show``)."""
    _pending: PendingEdit | None = None
    _write_lock = threading.Lock()
    """Serialises read-then-write steps (two quick ``+`` presses must both count)."""
    created_id: int | None = None
    """The task just added here: the next load puts the cursor on it."""

    def current_task(self) -> Task | None:
        """The task the actions apply to."""
        raise NotImplementedError

    def form_defaults(self) -> dict[str, Any]:
        """Initial values for a new task made with the form: it is mine unless I say not."""
        return {"assignee": self.itpm.store.user}

    # --- saving ---------------------------------------------------------------------------

    def save_task(self, task: Task, changes: Changes, confirmation: str) -> None:
        """Update a task, guarded by the version we showed."""
        if not changes:
            return
        self._pending = PendingEdit(task.id, task.title, dict(changes))
        version = task.version
        task_id = task.id

        def apply(store: Store) -> None:
            saved = store.tasks.update(task_id, changes, expected_version=version)
            self.app.call_from_thread(self.show_saved, saved)

        self.save(apply, confirmation)

    def save_relative(self, task: Task, change: Callable[[Task], tuple[Changes, str]]) -> None:
        """Apply a change relative to the task's current value ("one step more urgent").

        The step is taken from what is in the database when the save runs, under a lock,
        so pressing ``+`` twice quickly raises the priority twice, and a value someone
        else just set is stepped from rather than overwritten.
        """
        lock = self._write_lock

        def apply(store: Store) -> None:
            with lock:
                current = store.tasks.get(task.id)
                changes, message = change(current)
                if changes:
                    saved = store.tasks.update(task.id, changes, expected_version=current.version)
                    self.app.call_from_thread(self.show_saved, saved)
            self.app.call_from_thread(self.notify, message, timeout=3, markup=False)

        self.save(apply)

    def show_saved(self, task: Task) -> None:
        """Show a task just saved here at once; the reload that follows confirms it."""

    def add_task(self, values: Changes, confirmation: str) -> None:
        """Add a task (validated in the worker; an error becomes a notification)."""

        def add(store: Store) -> Task:
            from itpm_tui.store.rows import validate

            task = store.tasks.add(validate(Task, values))
            self.created_id = task.id  # read by the reload this save triggers
            return task

        self.save(add, confirmation)

    @on(ItpmScreen.Failed)
    def _offer_conflict_choice(self, message: ItpmScreen.Failed) -> None:
        conflict, pending = message.conflict, self._pending
        if not isinstance(conflict, StaleWrite) or pending is None:
            return  # the base screen's notification is enough
        if conflict.entity != "task" or conflict.entity_id != pending.task_id:
            return
        message.prevent_default()
        message.stop()
        self._pending = None
        self.reload()

        def resolved(choice: Choice | None) -> None:
            if choice == "mine":
                self.save(
                    lambda store: store.tasks.update(pending.task_id, pending.changes),
                    f"Saved #{pending.task_id} over the other change",
                )
            else:
                self.notify(f"Kept the other change to #{pending.task_id}.", timeout=3)

        self.app.push_screen(ConflictModal(conflict, pending.title), resolved)

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
        today = self.itpm.clock.today()
        until = self.choices.calendar(task.project_id).next_working_day(today)
        self.save_task(task, {"snoozed_until": until}, f"Snoozed {task.ref} until {until:%a %d %b}")

    def action_undo(self) -> None:
        """Take back my last change to a task (from any screen), unless someone changed it since."""

        def undo(store: Store) -> None:
            task, fields = store.tasks.undo_last()
            self.created_id = task.id  # the reload puts the cursor on the task brought back
            self.app.call_from_thread(self.show_saved, task)
            what = ", ".join(f.replace("_", " ") for f in fields if f not in _DERIVED)
            self.app.call_from_thread(
                self.notify, f"Undone: {task.ref} {what} restored", timeout=3, markup=False
            )

        self.save(undo)

    def action_snooze_until(self) -> None:
        """Hide the task from Today until a day I type (empty: show it again now)."""
        task = self._task_or_say()
        if task is None:
            return
        today = self.itpm.clock.today()
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

    def action_edit(self) -> None:
        """Edit every field of the task in the form."""
        task = self._task_or_say()
        if task is None:
            return

        def saved(changes: Changes | None) -> None:
            if changes:
                self.save_task(task, changes, f"Saved {task.ref}")

        self.app.push_screen(TaskFormModal(task, self.choices, self.itpm.clock.today()), saved)

    def action_new_task(self) -> None:
        """Add a task with every field in the form."""

        def saved(values: Changes | None) -> None:
            if values:
                self.add_task(values, f"Added: {values['title']}")

        form = TaskFormModal(
            None, self.choices, self.itpm.clock.today(), defaults=self.form_defaults()
        )
        self.app.push_screen(form, saved)
