"""Task commands: add, set, done, list, show, log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.base import (
    ID,
    LIMIT,
    Session,
    calendar_for,
    cli,
    echo_json,
    fail,
    pass_session,
    print_tasks,
    task_json,
    task_row,
)
from itpm_tui.domain.task_fields import TASK_FIELDS, Kind, TaskField, parse_field
from itpm_tui.models import PRIORITY_MAX, PRIORITY_MIN, Status, Task

if TYPE_CHECKING:
    from itpm_tui.domain.link_chain import LinkChain

# --- tasks ---------------------------------------------------------------------------------


def _option(field: TaskField) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The click option of a field, named after the model's field (``--estimate`` ->
    ``estimate_hours``); status and priority keep click's own choices in ``--help``."""
    spec = field.cli
    kind: click.ParamType[Any] = click.STRING
    if field.kind is Kind.STATUS:
        kind = click.Choice([s.value for s in Status])
    elif field.kind is Kind.PRIORITY:
        kind = click.IntRange(PRIORITY_MIN, PRIORITY_MAX)
    flags = [spec.flag, *([spec.short] if spec.short else []), field.name]
    return click.option(*flags, type=kind, metavar=spec.metavar, help=spec.help)


def task_options(*, adding: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The field options of ``add`` (``adding``) or ``set``, from the field table."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for field in reversed(TASK_FIELDS):
            if field.cli.on_add or not adding:
                func = _option(field)(func)
        return func

    return decorate


def task_changes(session: Session, current_project: int | None, **opts: Any) -> dict[str, Any]:
    """Turn option values into validated model fields (only those given), by the field table.

    A new project clears the milestone unless one is given, and its calendar reads the
    dates ("+3wd").
    """
    store = session.store
    given = {name: str(value) for name, value in opts.items() if value is not None}
    today = session.today

    def find_project(key: str) -> int:
        return store.projects.by_key(key).id

    changes: dict[str, Any] = {}
    project_id = current_project
    if "project_id" in given:
        project_id = parse_field(
            "project_id", given.pop("project_id"), today=today, find_project=find_project
        )
        changes["project_id"] = project_id
        if project_id != current_project and "milestone_id" not in given:
            changes["milestone_id"] = None
    calendar = calendar_for(store, project_id)
    for field in TASK_FIELDS:
        if field.name in given:
            changes[field.name] = parse_field(
                field.name, given[field.name], today=today, calendar=calendar
            )
    return changes


@cli.command()
@click.argument("title")
@task_options(adding=True)
@click.option("--json", "as_json", is_flag=True, help="Print the new task as JSON.")
@pass_session
def add(session: Session, /, title: str, as_json: bool, **opts: Any) -> None:
    """Add a task: yours unless --assignee says otherwise (none: nobody's); no project: a
    personal to-do."""
    from itpm_tui.store.rows import validate

    if opts.get("assignee") is None:  # a new task is mine unless I say otherwise
        opts["assignee"] = session.settings.user
    changes = task_changes(session, None, title=title, **opts)
    task = session.store.tasks.add(validate(Task, changes))
    if as_json:
        echo_json(task_json(task))
    else:
        click.echo(f"added {task.ref}: {task.title}{_dates_said(session, task, changes)}")


@cli.command("set")
@click.argument("task_id", type=ID)
@task_options(adding=False)
@click.option("--json", "as_json", is_flag=True, help="Print the updated task as JSON.")
@pass_session
def set_(session: Session, /, task_id: int, as_json: bool, **opts: Any) -> None:
    """Change any fields of a task; each change is recorded in the audit log."""
    current = session.store.tasks.get(task_id)
    changes = task_changes(session, current.project_id, **opts)
    if not changes:
        fail("nothing to change: give at least one option (see --help)")
    task = session.store.tasks.update(task_id, changes)
    if as_json:
        echo_json(task_json(task))
    else:
        said = _dates_said(session, task, changes)
        click.echo(f"updated {task.ref}: {task.title} ({task.status.value}){said}")


def _dates_said(session: Session, task: Task, changes: dict[str, Any]) -> str:
    """`` · due Thu 03 Dec 27 ⚠ non-working day``: each date typed, as it was read, so
    ``--due "3 dec"`` typed on the 4th says it means next year's, and a past or
    non-working day is pointed out (the same warnings as the app's previews)."""
    from itpm_tui.cli.base import calendar_for
    from itpm_tui.domain.dates import date_warnings, short_date

    today, calendar = session.today, calendar_for(session.store, task.project_id)
    said = []
    for field in TASK_FIELDS:
        day = changes.get(field.name) if field.kind is Kind.DATE else None
        if day is not None:
            warnings = date_warnings(day, today, calendar)
            warned = f" ⚠ {', '.join(warnings)}" if warnings else ""
            said.append(f"{field.label.lower()} {short_date(day, today, long=True)}{warned}")
    return "".join(f" · {part}" for part in said)


@cli.command()
@click.argument("task_ids", type=ID, nargs=-1, required=True)
@pass_session
def done(session: Session, /, task_ids: tuple[int, ...]) -> None:
    """Mark tasks done."""
    tasks = [session.store.tasks.get(i) for i in task_ids]  # all must exist before any change
    for task in tasks:
        session.store.tasks.update(task.id, {"status": Status.DONE})
        click.echo(f"done {task.ref}: {task.title}")


@cli.command()
@click.argument("task_id", metavar="ID", type=ID)
@pass_session
def skip(session: Session, /, task_id: int) -> None:
    """Skip one occurrence of a recurring task: it moves to its rule's next date."""
    from itpm_tui.domain.calendar import WorkCalendar
    from itpm_tui.domain.recurrence import skipped_due

    store = session.store
    task = store.tasks.get(task_id)
    project = store.projects.get(task.project_id) if task.project_id is not None else None
    due = skipped_due(task.repeat, task.due, session.today, WorkCalendar.for_project(project))
    if due is None:
        fail(f"{task.ref} does not repeat: nothing to skip")
    store.tasks.update(task.id, {"due": due}, expected_version=task.version)
    click.echo(f"skipped {task.ref}: {task.title}, next due {due}")


@cli.command("list")
@click.option("--mine", is_flag=True, help="Only tasks assigned to me (and my personal to-dos).")
@click.option("--today", "today_only", is_flag=True, help="My Today list, grouped.")
@click.option("--project", "-p", metavar="KEY", help="Only this project ('none': personal).")
@click.option("--assignee", "-a", metavar="LOGIN", help="Only this person's tasks.")
@click.option("--status", "-s", "statuses", multiple=True,
              type=click.Choice([s.value for s in Status]), help="Only these statuses.")  # fmt: skip
@click.option("--all", "include_done", is_flag=True, help="Include done tasks.")
@click.option("--search", metavar="TEXT", help="Title or notes contain TEXT.")
@click.option("--sort", default="id", show_default=True, help="Column to sort by.")
@click.option("--limit", type=LIMIT, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def list_(
    session: Session, /, mine: bool, today_only: bool, project: str | None, assignee: str | None,
    statuses: tuple[str, ...], include_done: bool, search: str | None, sort: str,
    limit: int | None, as_json: bool,
) -> None:  # fmt: skip
    """List tasks (open ones unless --all or --status done)."""
    from itpm_tui.domain.today import is_mine, today_list
    from itpm_tui.store import TaskFilter

    store = session.store
    where = TaskFilter(
        project_id=store.projects.by_key(project).id
        if project and project.lower() != "none" else None,
        personal=bool(project and project.lower() == "none"),
        assignee=assignee,
        statuses=tuple(Status(s) for s in statuses) or None,
        open_only=not include_done and not statuses,
        text=search,
    )  # fmt: skip
    if today_only:
        grouped = today_list(store.tasks.find(where), store.user, session.today)
        if as_json:
            echo_json({g.value: [task_json(t) for t in ts] for g, ts in grouped.groups}
                      | {"snoozed": grouped.snoozed})  # fmt: skip
            return
        for group, members in grouped.groups:
            click.echo(f"{group.value.upper()} ({len(members)})")
            for task in members:
                click.echo("  " + task_row(task))
        if grouped.snoozed:
            click.echo(f"({grouped.snoozed} snoozed)")
        return
    found = store.tasks.iter_find(where, order_by=sort, limit=None if mine else limit)
    if mine:
        found = islice((t for t in found if is_mine(t, store.user)), limit)
    print_tasks(found, as_json)


@cli.command()
@click.argument("task_id", type=ID)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def show(session: Session, /, task_id: int, as_json: bool) -> None:
    """Show one task with its history."""
    task = session.store.tasks.get(task_id)
    history = session.store.tasks.history(task_id)
    chain = session.store.links.chain(task_id)
    direct = {"predecessors": [lk for lk in chain.up if lk.succ_id == task_id],
              "successors": [lk for lk in chain.down if lk.pred_id == task_id],
              "upstream": chain.up, "downstream": chain.down}  # fmt: skip
    if as_json:
        links = {name: [lk.model_dump(mode="json") for lk in found]
                 for name, found in direct.items()}  # fmt: skip
        echo_json(
            task_json(task) | {"history": [e.model_dump(mode="json") for e in history]} | links
        )
        return
    click.echo(f"{task.ref}  {task.title}")
    for name, value in task_json(task).items():
        if name not in ("id", "title") and value not in (None, ""):
            click.echo(f"  {name.replace('_', ' '):<16} {value}")
    _echo_chain(session, chain)
    click.echo("history:")
    for event in history:
        click.echo("  " + audit_line(event, session.today))


def _echo_chain(session: Session, chain: LinkChain) -> None:
    """What the task waits for and what waits for it, the whole chain each way: its own
    links first, each one's links indented below it."""
    from itpm_tui.cli.network import link_text
    from itpm_tui.domain.link_chain import chain_rows
    from itpm_tui.store import TaskFilter

    links = (*chain.up, *chain.down)
    ids = tuple(sorted({i for lk in links for i in (lk.pred_id, lk.succ_id)}))
    tasks = {t.id: t for t in session.store.tasks.find(TaskFilter(ids=ids))} if ids else {}
    for label, found, upstream in (("predecessors:", chain.up, True),
                                   ("successors:", chain.down, False)):  # fmt: skip
        if found:
            click.echo(label)
            for row in chain_rows(chain.task_id, found, upstream=upstream):
                again = "  (listed above)" if row.repeat else ""
                click.echo(row.indent(8) + link_text(row.link, tasks) + again)


def audit_line(event: Any, today: date) -> str:
    """One audit event for people: a task's values as the app's history shows them
    (``remaining: 8h -> 1h``, ``due: Wed 18 Nov -> Fri 20 Nov``), other records' as stored."""
    from itpm_tui.domain.task_fields import field_name, show_stored

    if event.field == "created":
        change = f"created {event.new!r}"
    elif event.entity == "task":
        old, new = (show_stored(event.field, value, today) for value in (event.old, event.new))
        change = f"{field_name(event.field)}: {old} -> {new}"
    else:
        change = (f"{event.field}: {event.old if event.old is not None else '-'} -> "
                  f"{event.new if event.new is not None else '-'}")  # fmt: skip
    return f"{event.at:%Y-%m-%d %H:%M}  {event.by:<10}  {event.entity} {event.entity_id}  {change}"


@cli.command()
@click.argument("task_id", type=ID, required=False)
@click.option("--limit", type=LIMIT, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def log(session: Session, /, task_id: int | None, limit: int, as_json: bool) -> None:
    """The audit log: every change, newest first (of one task if an id is given)."""
    store = session.store
    if task_id is not None:
        store.tasks.get(task_id)
    events = store.audit.find(
        entity="task" if task_id is not None else None, entity_id=task_id, limit=limit
    )
    if as_json:
        echo_json([e.model_dump(mode="json") for e in events])
    else:
        for event in events:
            click.echo(audit_line(event, session.today))
