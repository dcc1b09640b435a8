"""The command line: ``itpm-tui`` opens the app; subcommands print text or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NoReturn

import click

from itpm_tui.config import Settings, load_settings
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.errors import InvalidInput, ItpmError
from itpm_tui.models import Status, Task

if TYPE_CHECKING:
    from textual.app import App

    from itpm_tui.store import Store


class ItpmGroup(click.Group):
    """A click group that turns user errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; ``ItpmError`` becomes ``Error: <sentence>`` and exit code 1."""
        try:
            return super().invoke(ctx)
        except ItpmError as err:
            raise click.ClickException(str(err)) from err


@dataclass
class Session:
    """What every command needs: settings, and the store opened on first use."""

    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The open store (opened, and the file created, on first use)."""
        if self._store is None:
            from itpm_tui.store import Store

            self._store = Store(
                self.settings.db_path, user=self.settings.user, clock=self.settings.clock()
            )
        return self._store

    @property
    def today(self) -> date:
        """Today, as the settings' clock says."""
        return self.settings.clock().today()

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


pass_session = click.make_pass_decorator(Session)


@click.group(cls=ItpmGroup, invoke_without_command=True)
@click.option("--db", metavar="PATH", help="Database file (default: $ITPM_DB, config, data dir).")
@click.option("--user", metavar="LOGIN", help="Who you are (default: $ITPM_USER, login name).")
@click.version_option(package_name="itpm-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None) -> None:
    """itpm-tui: today's list, stand-up board, tasks and project health in your terminal.

    Run with no command to open the app.
    """
    try:
        session = Session(load_settings(db=db, user=user))
    except ItpmError as err:
        raise click.ClickException(str(err)) from err
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand is None:
        run_app(session)


def make_app(settings: Settings, store: Store) -> App[None]:
    """The one factory that builds the app, for the CLI and for tests."""
    from itpm_tui.app import ItpmApp

    return ItpmApp(settings=settings, store=store, clock=settings.clock())


def run_app(session: Session) -> None:
    """Open the app on the configured database."""
    store = session.store
    make_app(session.settings, store).run()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="itpm-tui")


# --- helpers shared by the commands -------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Stop with one clear line on stderr and exit code 1."""
    raise click.ClickException(message)


def echo_json(data: object) -> None:
    """Print JSON for machines: stable key order, dates and decimals as strings."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def parse_money(text: str | None, what: str = "amount") -> Decimal | None:
    """A non-negative amount with at most 2 decimals; ``None``/"none" clears."""
    if text is None or text.strip().lower() in ("", "none", "-"):
        return None
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation as err:
        raise InvalidInput(f"{what} {text!r} is not a number") from err
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{what} cannot be negative (got {text})")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(f"{what} has more than 2 decimals (got {text})")
    return value


def parse_hours(text: str | None, what: str = "hours") -> float | None:
    """A non-negative number of hours; "none" clears."""
    if text is None or text.strip().lower() in ("", "none", "-"):
        return None
    try:
        value = float(text.strip().removesuffix("h"))
    except ValueError as err:
        raise InvalidInput(f"{what} {text!r} is not a number of hours") from err
    if value < 0 or value != value:
        raise InvalidInput(f"{what} cannot be negative (got {text})")
    return value


def task_row(task: Task) -> str:
    """One line per task for people: id, priority, status, due, owner, project, title."""
    due = task.due.isoformat() if task.due else "-"
    return (
        f"{task.ref:>6}  P{task.priority}  {task.status.symbol} {task.status.value:<7}  "
        f"{due:<10}  {(task.assignee or '-'):<10.10}  {(task.project_key or '-'):<6}  {task.title}"
    )


def task_json(task: Task) -> dict[str, Any]:
    """A task for ``--json`` output, with its derived progress."""
    return task.model_dump(mode="json") | {"progress": round(task.progress, 2)}


def print_tasks(tasks: Iterable[Task], as_json: bool) -> None:
    """Print tasks as a table or a JSON list."""
    tasks = list(tasks)
    if as_json:
        echo_json([task_json(t) for t in tasks])
    elif not tasks:
        click.echo("no tasks")
    else:
        for task in tasks:
            click.echo(task_row(task))


def _calendar(store: Store, project_id: int | None) -> WorkCalendar:
    return WorkCalendar.for_project(store.projects.get(project_id) if project_id else None)


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
    calendar = _calendar(store, project_id)
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
        elif not text.isdigit():
            raise InvalidInput(f"milestone must be an id number (got {text!r})")
        else:
            changes["milestone_id"] = int(text)
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
        elif not text.isdigit() or not 0 <= int(text) <= 100:
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
    """Add a task (a personal to-do if it has no project)."""
    from itpm_tui.store.rows import validate

    changes = task_changes(session, None, title=title, **opts)
    task = session.store.tasks.add(validate(Task, changes))
    if as_json:
        echo_json(task_json(task))
    else:
        click.echo(f"added {task.ref}: {task.title}")


@cli.command("set")
@click.argument("task_id", type=int)
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
@click.argument("task_ids", type=int, nargs=-1, required=True)
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
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
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
    found = store.tasks.find(where, order_by=sort, limit=None if mine else limit)
    if mine:
        found = [t for t in found if is_mine(t, store.user)][:limit]
    print_tasks(found, as_json)


@cli.command()
@click.argument("task_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def show(session: Session, /, task_id: int, as_json: bool) -> None:
    """Show one task with its history."""
    task = session.store.tasks.get(task_id)
    history = session.store.tasks.history(task_id)
    if as_json:
        echo_json(task_json(task) | {"history": [e.model_dump(mode="json") for e in history]})
        return
    click.echo(f"{task.ref}  {task.title}")
    for name, value in task_json(task).items():
        if name not in ("id", "title") and value not in (None, ""):
            click.echo(f"  {name.replace('_', ' '):<16} {value}")
    click.echo("history:")
    for event in history:
        click.echo("  " + audit_line(event))


def audit_line(event: Any) -> str:
    """One audit event for people."""
    change = (
        f"created {event.new!r}" if event.field == "created"
        else f"{event.field}: {event.old if event.old is not None else '-'} -> "
             f"{event.new if event.new is not None else '-'}"
    )  # fmt: skip
    return f"{event.at:%Y-%m-%d %H:%M}  {event.who:<10}  {event.entity} {event.entity_id}  {change}"


@cli.command()
@click.argument("task_id", type=int, required=False)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
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
