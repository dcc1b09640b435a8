"""The task form and the detail pane are built from the field table (the form reads with ``parse_field``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from textual.app import App
from textual.widgets import Input, Label, Select, Static, TextArea

from itpm_tui.domain.link_spec import LinkSpec
from itpm_tui.domain.task_fields import TASK_FIELDS
from itpm_tui.models import AuditEvent, LinkType, Task, TaskLink
from itpm_tui.screens.task_form import WAITS_FOR, FormChoices, FormResult, TaskFormModal
from itpm_tui.widgets.task_detail import detail_text, history_line
from tests.conftest import TODAY
from tests.tui.helpers import ui_test

SIZE = (80, 24)
WIDGETS = {"input": Input, "select": Select, "textarea": TextArea}


class FormApp(App[None]):
    """Just the form, over an empty screen; keeps what it was dismissed with."""

    def __init__(self, task: Task | None) -> None:
        super().__init__()
        self.form = TaskFormModal(task, FormChoices(me="pm"), TODAY)
        self.result: list[FormResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.result.append)


def _error(form: TaskFormModal, name: str) -> str:
    return str(form.query_one(f"#error-{name}", Static).render())


@ui_test
async def test_the_form_has_one_row_per_field_of_the_table_in_its_order() -> None:
    app = FormApp(Task(id=4, title="Order switches", estimate_hours=8.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = [row for row in app.form.query(".form-row") if row.id != f"row-{WAITS_FOR}"]
        assert [row.id for row in rows] == [f"row-{field.name}" for field in TASK_FIELDS]
        for row, field in zip(rows, TASK_FIELDS, strict=True):
            label, widget, _hint = row.children
            assert isinstance(label, Label) and str(label.render()) == field.label
            assert widget.id == field.name
            assert isinstance(widget, WIDGETS[field.kind.widget]), field.name
        assert app.form.query_one("#estimate_hours", Input).value == "8"
        placeholders = {f.name: f.placeholder for f in TASK_FIELDS if f.kind.widget == "input"}
        inputs = {i.id: i.placeholder for i in app.form.query(Input) if i.id != WAITS_FOR}
        assert inputs == placeholders


@ui_test
async def test_a_control_character_is_refused_beside_its_field() -> None:
    # The form used to accept it and dismiss; the store then refused the whole save.
    app = FormApp(Task(id=4, title="Order switches"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.form.query_one("#waiting_on", Input).value = "IT\x1b]52;c;eA==\x07"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.form and app.result == []
        assert _error(app.form, "waiting_on") == (
            "✗ the task waiting on cannot contain a control character (U+001B at position 3); "
            "type plain text"
        )
        assert app.form.query_one("#row-waiting_on").has_class("-invalid")


@ui_test
async def test_a_tiny_estimate_saves_unchanged() -> None:
    # str(1e-05) is "1e-05": the form showed that and then refused its own text.
    app = FormApp(Task(id=4, title="Order switches", estimate_hours=0.00001))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.form.query_one("#estimate_hours", Input).value == "0.00001"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result == [FormResult(app.form.original, {})]  # saved, nothing changed


@ui_test
async def test_a_new_task_starts_with_an_empty_title_and_needs_one() -> None:
    app = FormApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.form.query_one("#title", Input).value == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result == [] and _error(app.form, "title") == "✗ a task needs a title"
        await pilot.press(*"Renew certificates", "ctrl+s")
        await pilot.pause()
        (result,) = app.result
        assert result is not None and result.waits_for is None
        saved = result.changes
        expected: dict[str, Any] = {"title": "Renew certificates", "assignee": "pm"}
        assert {k: saved[k] for k in expected} == expected
        assert set(saved) == {field.name for field in TASK_FIELDS}


def test_the_detail_pane_names_and_shows_fields_as_the_table_says() -> None:
    task = Task(id=4, title="Order switches", waiting_on="Procurement",
                snoozed_until=TODAY + timedelta(days=11), repeat="weekly on mon")  # fmt: skip
    lines = detail_text(task, [], TODAY).plain.splitlines()
    assert "waiting   Procurement" in lines
    assert "snoozed   until Fri 04 Dec" in lines
    assert "repeats   weekly on mon" in lines
    rows = [f for f in TASK_FIELDS if f.detail]
    assert {f.name for f in rows} == {"waiting_on", "snoozed_until", "repeat"}
    for field in TASK_FIELDS:
        event = AuditEvent(at=datetime(2026, 11, 23, 9, 14), who="alice", entity="task",
                           entity_id=4, field=field.name, old=None, new="x")  # fmt: skip
        assert f"alice  {field.history}: — →" in history_line(event, TODAY).plain, field.name


def test_the_detail_pane_tells_a_history_not_read_yet_from_an_empty_one() -> None:
    task = Task(id=4, title="Order switches")
    assert detail_text(task, None, TODAY).plain.splitlines()[-1] == "loading…"
    assert detail_text(task, [], TODAY).plain.splitlines()[-1] == "none"  # not loading forever


@ui_test
async def test_waits_for_follows_waiting_on_and_is_disabled_until_the_links_are_read() -> None:
    app = FormApp(Task(id=4, title="Order switches"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = [row.id for row in app.form.query(".form-row")]
        assert rows[rows.index("row-waiting_on") + 1] == f"row-{WAITS_FOR}"
        field = app.form.query_one(f"#{WAITS_FOR}", Input)
        assert field.disabled and field.placeholder == "reading the links…"
        await pilot.press("ctrl+s")  # saving meanwhile leaves the links alone
        await pilot.pause()
        assert app.result == [FormResult(app.form.original, {})]

    app = FormApp(Task(id=4, title="Order switches"))
    async with app.run_test(size=SIZE) as pilot:
        links = [TaskLink(pred_id=2, succ_id=4), TaskLink(pred_id=3, succ_id=4, kind=LinkType.SS,
                                                          lag=2)]  # fmt: skip
        app.form.post_message(TaskFormModal.PredecessorsRead(links))
        await pilot.pause()
        field = app.form.query_one(f"#{WAITS_FOR}", Input)
        assert not field.disabled and field.value == "#2, #3 ss +2"
        await pilot.press("ctrl+s")  # unchanged: nothing to write
        await pilot.pause()
        assert app.result == [FormResult(app.form.original, {})]


@ui_test
async def test_a_new_tasks_waits_for_starts_empty_and_typed() -> None:
    app = FormApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.form.query_one(f"#{WAITS_FOR}", Input)
        assert not field.disabled and field.value == ""
        await pilot.press(*"Renew certificates")
        field.value = "#7, certificate inventory ff -1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (result,) = app.result
        assert result is not None and result.waits_for is not None
        assert result.waits_for.specs == (
            LinkSpec(7),
            LinkSpec("certificate inventory", LinkType.FF, -1),
        )
        assert result.waits_for.seen == ()


@ui_test
async def test_links_that_cannot_be_read_keep_the_row_disabled_and_say_why() -> None:
    app = FormApp(Task(id=4, title="Order switches"))
    async with app.run_test(size=SIZE) as pilot:
        app.form.post_message(TaskFormModal.PredecessorsRead((), error="the database is busy"))
        await pilot.pause()
        field = app.form.query_one(f"#{WAITS_FOR}", Input)
        assert field.disabled  # links not known cannot be changed safely
        assert field.placeholder == "could not read the links: the database is busy"
        await pilot.press("ctrl+s")  # the other fields still save; the links are left alone
        await pilot.pause()
        assert app.result == [FormResult(app.form.original, {})]
