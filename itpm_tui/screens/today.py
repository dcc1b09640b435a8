"""TodayScreen: what is on my plate today, grouped, with one-key actions and quick add."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.domain.quick_add import parse_quick_add
from itpm_tui.domain.today import TodayList, today_list
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import RaidItem, Task
from itpm_tui.screens.base import AsOf
from itpm_tui.screens.task_actions import TaskScreen, load_choices, task_bindings
from itpm_tui.screens.task_form import FormChoices
from itpm_tui.store import Store, TaskFilter
from itpm_tui.store.raid import RaidFilter
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.quick_add import QuickAdd
from itpm_tui.widgets.task_row import short_date
from itpm_tui.widgets.today_tasks import TodayTasks


@dataclass(frozen=True)
class TodayData:
    """Everything the Today screen shows, read in one worker run."""

    today: date
    agenda: TodayList
    choices: FormChoices
    reviews: tuple[RaidItem, ...] = ()
    """My open RAID items whose review date has come (the register is on key 7)."""


def load_today(store: Store, today: date) -> TodayData:
    """My open tasks and nobody's personal to-dos, grouped; plus the form's choices.

    Only those rows are read: another person's to-dos are theirs (``is_mine``), and on a
    100k-task file reading all personal to-dos took ~4,500 rows and ~0.3 s per reload.
    """
    me = store.user
    mine = store.tasks.find(TaskFilter(assignee=me, open_only=True))
    nobodys = store.tasks.find(TaskFilter(personal=True, unassigned=True, open_only=True))
    tasks = mine + nobodys
    reviews = tuple(
        item for item in store.raid.find(RaidFilter(owner=me, open_only=True))
        if item.review_on is not None and item.review_on <= today
    )  # fmt: skip
    return TodayData(today, today_list(tasks, me, today), load_choices(store), reviews)


def unknown_login(me: str, choices: FormChoices) -> str:
    """What to say when I am not one of the people in a database that has people, else ""."""
    if not choices.people or any(p.login == me for p in choices.people):
        return ""
    count = len(choices.people)
    people = "the one person" if count == 1 else f"one of the {plural(count, 'person', 'people')}"
    return (
        f"Nothing for {me}, who is not {people} "
        f"in this database, so no team task is yours. "
        f"Wrong login? Start with --user LOGIN or ITPM_USER=LOGIN. New here? 8 then a "
        f"adds you (or itpm-tui person add {me} --name 'Your Name')."
    )


def empty_text(choices: FormChoices) -> str:
    """Today with nothing on it; a fresh database says how to fill it."""
    if choices.projects or choices.people:
        return "Nothing on your plate. Press a to add a to-do."
    return (
        "Nothing on your plate. Press a to add a to-do. A new database: 4 then a adds a "
        "project (or itpm-tui project add KEY NAME), 8 then a adds people (or itpm-tui "
        "person add LOGIN), and itpm-tui demo fills an empty database with a sample to try."
    )


def reviews_text(items: tuple[RaidItem, ...], today: date) -> Text:
    """``⚑ RAID reviews due: R1 Carrier delays (today) · R5 Data migration (3 days late) · 7``."""
    text = Text(f" ⚑ {plural(len(items), 'RAID review')} due: ", style="bold")
    parts = []
    for item in sorted(items, key=lambda i: (i.review_on or today, i.id)):
        late = (today - (item.review_on or today)).days
        when = "today" if late == 0 else f"{plural(late, 'day')} late"
        parts.append(f"{item.ref} {item.title[:28]} ({when})")
    text.append(" · ".join(parts) + " · 7 opens the log")
    return text


def detail_text(task: Task | None, today: date) -> Text:
    """The highlighted task in full: its whole title, then where, when and why it waits."""
    if task is None:
        return Text("")
    text = Text.assemble((task.ref, "bold"), " ", (task.title, "bold"))
    facts = [task.project_key or "personal", f"P{task.priority}", task.status.label.lower()]
    if task.due is not None:
        late = (today - task.due).days
        when = f"due {short_date(task.due, today, long=True)}"
        facts.append(f"{when} ({plural(late, 'day')} overdue)" if late > 0 else when)
    if task.blocked_reason:
        facts.append(f"blocked: {task.blocked_reason}")
    if task.waiting_on:
        facts.append(f"waiting on {task.waiting_on}")
    if task.repeat:
        facts.append(f"repeats {task.repeat} (N skips one)")
    if task.notes:
        facts.append(task.notes.splitlines()[0])
    text.append("\n" + " · ".join(facts), style="dim")
    return text


class TodayScreen(TaskScreen[AsOf, TodayData]):
    """My tasks: overdue, due today, in progress, blocked/waiting, next up."""

    TITLE = "Today"
    CSS_PATH = "today.tcss"
    WRITE_ACTIONS = TaskScreen.WRITE_ACTIONS | {"quick_add"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "quick_add", "Add", id="today.add"),
        *task_bindings("today", frozenset({"toggle_done", "cycle_status", "snooze", "edit"})),
        Binding("A", "new_task", "Add with form", show=False, id="today.add-form"),
    ]

    data: TodayData | None = None

    def compose(self) -> ComposeResult:
        """Header, the grouped list, a status line, the quick-add bar, footer."""
        yield AppHeader()
        yield TodayTasks(id="today-list")
        yield Static("", id="today-reviews", markup=False)
        yield DetailLines(id="today-detail", markup=False)
        yield Static("", id="today-status", markup=False)
        yield QuickAdd(id="quick-add")
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the list (the base class starts the first load)."""
        self.query_one(TodayTasks).focus()

    def load_request(self) -> AsOf:
        """Today's date: all a load of my list depends on."""
        return AsOf(self.services.clock.today())

    def load(self, store: Store, request: AsOf) -> TodayData:
        """Read my tasks (worker thread)."""
        return load_today(store, request.today)

    def show(self, data: TodayData) -> None:
        """Show the grouped list; the cursor stays on its task."""
        self.data = data
        self.choices = data.choices
        view = self.query_one(TodayTasks)
        stranger = unknown_login(self.services.user, data.choices)
        view.empty_text = stranger or empty_text(data.choices)
        view.set_list(data.agenda, data.today)
        if self.cursor_target is not None and view.select_id(self.cursor_target):
            self.cursor_target = None
        self.query_one(QuickAdd).today = data.today
        reviews = self.query_one("#today-reviews", Static)
        reviews.update(reviews_text(data.reviews, data.today))
        reviews.display = bool(data.reviews)
        open_count = len(data.agenda.tasks)
        snoozed = f" · {data.agenda.snoozed} snoozed" if data.agenda.snoozed else ""
        status = Text(
            f" {open_count} open{snoozed} · +/- priority · A add with all fields · ? all keys",
            style="dim",
        )
        if stranger and data.agenda.tasks:
            warning = Text(f" ⚠ {self.services.user} is not one of the people here ·", style="bold")
            status = Text.assemble(warning, status)
        self.query_one("#today-status", Static).update(status)

    @on(TodayTasks.Highlighted)
    def _show_detail(self, message: TodayTasks.Highlighted) -> None:
        self.query_one("#today-detail", DetailLines).update(
            detail_text(message.task, self.data.today if self.data else date.min)
        )

    def show_saved(self, task: Task) -> None:
        """Regroup the list with the saved task before the reload arrives (instant feedback)."""
        data = self.data
        if data is None:
            return
        others = [t for t in data.agenda.tasks if t.id != task.id]
        agenda = today_list([*others, task], self.services.user, data.today)
        agenda = replace(agenda, snoozed=data.agenda.snoozed + agenda.snoozed)
        self.show(replace(data, agenda=agenda))

    def current_task(self) -> Task | None:
        """The task under the cursor."""
        return self.query_one(TodayTasks).cursor_task

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task if it is in the list (for the command palette)."""
        return self.query_one(TodayTasks).select_id(task_id)

    # --- quick add ------------------------------------------------------------------------

    def action_quick_add(self) -> None:
        """Open the one-line add bar."""
        self.query_one(QuickAdd).open()

    @on(QuickAdd.Submitted)
    def _add_from_bar(self, message: QuickAdd.Submitted) -> None:
        bar = self.query_one(QuickAdd)
        today = self.services.clock.today()
        has_due = bool(message.due_text.strip())
        try:
            parsed = parse_quick_add(message.text, today, read_date=not has_due)
            due = parse_optional_date(message.due_text, today) if has_due else parsed.due
        except InvalidInput as err:
            bar.show_error("✗ not a date" if "date" in str(err) else f"✗ {err}")
            return
        title = parsed.title
        values: dict[str, object] = {"title": title, "due": due, "assignee": self.services.user}
        if parsed.priority is not None:
            values["priority"] = parsed.priority
        if parsed.repeat is not None:
            values["repeat"] = parsed.repeat
        when = f", due {due:%a %d %b}" if due else ""
        when += f", repeats {parsed.repeat}" if parsed.repeat else ""
        self.add_task(values, f"Added: {title}{when}")
        bar.close()
        self.set_focus(self.query_one(TodayTasks))

    @on(QuickAdd.Cancelled)
    def _back_to_list(self) -> None:
        self.set_focus(self.query_one(TodayTasks))

    @on(TodayTasks.Chosen)
    async def _edit_chosen(self) -> None:
        await self.run_action("edit")  # a double click too: refused on a read-only store
