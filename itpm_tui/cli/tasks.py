"""Task commands: add, set, done, list, show, log."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

import click

from itpm_tui.cli.base import (
    ID,
    LIMIT,
    Session,
    calendar_for,
    cli,
    echo_json,
    fail,
    parse_hours,
    parse_id,
    parse_money,
    pass_session,
    print_tasks,
    task_json,
    task_row,
)
from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Status, Task

# --- tasks ---------------------------------------------------------------------------------

TASK_OPTIONS: tuple[Callable[[Callable[..., Any]], Callable[..., Any]], ...] = (
    click.option("--project", "-p", metavar="KEY", help="Project key, e.g. NET ('none' clears)."),
    click.option("--due", "-d", metavar="DATE", help="Due date: 2026-12-01, fri, +3d, tomorrow."),
    click.option("--assignee", "-a", metavar="LOGIN", help="Who does it ('none' clears)."),
    click.option("--priority", type=click.IntRange(1, 4), help="1 (most urgent) to 4."),
    click.option("--estimate", metavar="HOURS", help="Estimated effort in hours."),
    click.option("--planned-cost", metavar="MONEY", help="Planned cost (for earned value)."),
    click.option("--start", metavar="DATE", help="Planned start."),
    click.option("--finish", metavar="DATE", help="Planned finish."),
    click.option("--milestone", "-m", metavar="ID", help="Milestone id ('none' clears)."),
    click.option("--notes", help="Free text notes."),
)


def task_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the task field options shared by ``add`` and ``set``."""
    for option in reversed(TASK_OPTIONS):
        func = option(func)
    return func


def task_changes(session: Session, current_project: int | None, **opts: Any) -> dict[str, Any]:
    """Turn option values into validated model fields (only those given)."""
    store = session.store
    changes: dict[str, Any] = {}
    project_id = current_project
    if opts.get("project") is not None:
        key = opts["project"]
        project_id = None if key.lower() in ("none", "-") else store.projects.by_key(key).id
        changes["project_id"] = project_id
        if project_id != current_project and opts.get("milestone") is None:
            changes["milestone_id"] = None
    calendar = calendar_for(store, project_id)
    for option, name in (("due", "due"), ("start", "planned_start"), ("finish", "planned_finish"),
                         ("snooze", "snoozed_until")):  # fmt: skip
        if opts.get(option) is not None:
            changes[name] = parse_optional_date(opts[option], session.today, calendar)
    if opts.get("assignee") is not None:
        login = opts["assignee"]
        changes["assignee"] = None if login.lower() in ("none", "-") else login
    if opts.get("milestone") is not None:
        text = opts["milestone"]
        if text.lower() in ("none", "-"):
            changes["milestone_id"] = None
        else:
            changes["milestone_id"] = parse_id(text, "milestone")
    for option, name in (("estimate", "estimate_hours"), ("remaining", "remaining_hours")):
        if opts.get(option) is not None:
            changes[name] = parse_hours(opts[option], option)
    if opts.get("planned_cost") is not None:
        changes["planned_cost"] = parse_money(opts["planned_cost"], "planned cost")
    for name in ("priority", "title", "notes", "blocked_reason", "waiting_on"):
        if opts.get(name) is not None:
            changes[name] = opts[name]
    if opts.get("status") is not None:
        changes["status"] = Status(opts["status"])
    if opts.get("progress") is not None:
        text = opts["progress"].strip().removesuffix("%")
        if text.lower() in ("none", "auto", "-"):
            changes["percent_complete"] = None
        elif not re.fullmatch(r"[0-9]{1,3}", text) or not 0 <= int(text) <= 100:
            raise InvalidInput(
                f"progress is a whole percent from 0 to 100 (got {opts['progress']})"
            )
        else:
            changes["percent_complete"] = int(text)
    return changes


@cli.command()
@click.argument("title")
@task_options
@click.option("--status", type=click.Choice([s.value for s in Status]), help="Initial status.")
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
        click.echo(f"added {task.ref}: {task.title}")


@cli.command("set")
@click.argument("task_id", type=ID)
@task_options
@click.option("--title", help="New title.")
@click.option("--status", "-s", type=click.Choice([s.value for s in Status]))
@click.option("--remaining", metavar="HOURS", help="Remaining effort in hours.")
@click.option("--progress", metavar="PERCENT", help="Percent complete 0-100 ('auto' derives it).")
@click.option("--blocked-reason", metavar="TEXT", help="Why it is blocked.")
@click.option("--waiting-on", metavar="WHO", help="Who or what it waits for ('' clears).")
@click.option("--snooze", metavar="DATE", help="Hide from Today until this date ('none' clears).")
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
        click.echo(f"updated {task.ref}: {task.title} ({task.status.value})")


@cli.command()
@click.argument("task_ids", type=ID, nargs=-1, required=True)
@pass_session
def done(session: Session, /, task_ids: tuple[int, ...]) -> None:
    """Mark tasks done."""
    tasks = [session.store.tasks.get(i) for i in task_ids]  # all must exist before any change
    for task in tasks:
        session.store.tasks.update(task.id, {"status": Status.DONE})
        click.echo(f"done {task.ref}: {task.title}")


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
    preds, succs = session.store.links.of_task(task_id)
    links = {"predecessors": [lk.model_dump(mode="json") for lk in preds],
             "successors": [lk.model_dump(mode="json") for lk in succs]}  # fmt: skip
    if as_json:
        echo_json(
            task_json(task) | {"history": [e.model_dump(mode="json") for e in history]} | links
        )
        return
    click.echo(f"{task.ref}  {task.title}")
    for name, value in task_json(task).items():
        if name not in ("id", "title") and value not in (None, ""):
            click.echo(f"  {name.replace('_', ' '):<16} {value}")
    _echo_links(session, preds, succs)
    click.echo("history:")
    for event in history:
        click.echo("  " + audit_line(event))


def _echo_links(session: Session, preds: list[Any], succs: list[Any]) -> None:
    """The task's predecessors and successors, one per line with their titles."""
    from itpm_tui.cli.network import link_text
    from itpm_tui.store import TaskFilter

    ids = tuple(sorted({i for lk in (*preds, *succs) for i in (lk.pred_id, lk.succ_id)}))
    tasks = {t.id: t for t in session.store.tasks.find(TaskFilter(ids=ids))} if ids else {}
    for label, links in (("predecessors:", preds), ("successors:", succs)):
        if links:
            click.echo(label)
            for lk in links:
                click.echo("  " + link_text(lk, tasks))


def audit_line(event: Any) -> str:
    """One audit event for people."""
    change = (
        f"created {event.new!r}" if event.field == "created"
        else f"{event.field}: {event.old if event.old is not None else '-'} -> "
             f"{event.new if event.new is not None else '-'}"
    )  # fmt: skip
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
            click.echo(audit_line(event))
