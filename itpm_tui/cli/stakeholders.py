"""Keeping people informed: ``ics`` (milestones and due dates for a calendar) and ``digest``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from itpm_tui.cli.base import SafeStream, Session, cli, echo_json, fail, pass_session
from itpm_tui.files import check_writable, write_text

if TYPE_CHECKING:
    from itpm_tui.domain.digest import Digest
    from itpm_tui.store import Store


@cli.command()
@click.option("--project", "-p", metavar="KEY", help="Only this project (default: every one).")
@click.option("--mine", is_flag=True, help="Only my tasks, and milestones of my projects.")
@click.option(
    "--output", "-o", metavar="FILE", help="Write to FILE (exact text) instead of stdout."
)
@pass_session
def ics(session: Session, /, project: str | None, mine: bool, output: str | None) -> None:
    """Milestones (baseline and forecast) and open tasks' due dates as an iCalendar file.

    Every event is all-day with a UID derived from its id, so importing a newer file
    updates the events instead of adding copies. Without --mine: every open task with a
    due date in the chosen projects; with --mine: only mine (my personal to-dos too), and
    the milestones of the projects where I own open tasks.
    """
    from itpm_tui.domain.ics import calendar_events, to_ics
    from itpm_tui.domain.today import is_mine
    from itpm_tui.store import TaskFilter

    store = session.store
    me = session.settings.user
    projects = {p.id: p for p in store.projects.find()}
    chosen = store.projects.by_key(project) if project else None
    if mine:
        tasks = store.tasks.find(TaskFilter(open_only=True, assignee=me))
        tasks += store.tasks.find(TaskFilter(open_only=True, personal=True, unassigned=True))
        tasks = [t for t in tasks if is_mine(t, me)]
        if chosen is not None:
            tasks = [t for t in tasks if t.project_id == chosen.id]
            project_ids = {chosen.id}
        else:
            project_ids = {t.project_id for t in tasks if t.project_id is not None}
    else:
        where = TaskFilter(open_only=True, in_project=True,
                           project_id=chosen.id if chosen else None)  # fmt: skip
        tasks = store.tasks.find(where)
        project_ids = {chosen.id} if chosen else set(projects)
    milestones = [m for m in store.milestones.find(chosen.id if chosen else None)
                  if m.project_id in project_ids]  # fmt: skip
    events = calendar_events(projects, milestones, sorted(tasks, key=lambda t: t.id))
    scope = chosen.key if chosen else "all projects"
    name = f"itpm-tui: {scope}" + (f", {me}'s tasks" if mine else "")
    stamp = session.settings.clock().now()
    if output is None:
        text = to_ics(events, dtstamp=stamp, name=name, terminal=True)
        if isinstance(sys.stdout, SafeStream):
            sys.stdout.write_keeping(text, "\r\n")
        else:  # pragma: no cover - guard_output always wraps stdout for commands
            sys.stdout.write(text)
        sys.stdout.flush()
    else:
        target = _write_exactly(Path(output).expanduser(), to_ics(events, dtstamp=stamp,
                                                                  name=name))  # fmt: skip
        click.echo(f"wrote {len(events)} events to {target}", err=True)
    if not events:
        click.echo("no milestones or due dates in this choice: the calendar has no events",
                   err=True)  # fmt: skip


def _write_exactly(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` whole, exactly as given (CRLF kept)."""
    return write_text(target, text, newline="")


@cli.command()
@click.option("--user", "login", metavar="LOGIN", help="Whose digest (default: you).")
@click.option("--json", "as_json", is_flag=True, help="The same facts as JSON, every item.")
@pass_session
def digest(session: Session, /, login: str | None, as_json: bool) -> None:
    """A short morning digest: overdue, due today, blocked on you, milestones at risk in
    your projects, and what yesterday's stand-up said about you."""
    from itpm_tui.domain.digest import format_digest

    data = digest_of(session.store, login, session.settings.user, session.today)
    if as_json:
        echo_json(data.to_json_dict())
    else:
        click.echo(format_digest(data), nl=False)


def digest_of(store: Store, login: str | None, me: str, today: date) -> Digest:
    """Read what ``build_digest`` needs for ``login`` (default ``me``) from the store.

    An unknown ``login`` is an error; ``me`` need not be in people yet (a new user).
    """
    from itpm_tui.domain.board import last_standup_day
    from itpm_tui.domain.digest import build_digest, milestone_reports
    from itpm_tui.domain.standup import ExportContext
    from itpm_tui.store import TaskFilter

    people = {p.login: p for p in store.people.find()}
    who = login or me
    if login is not None and login not in people:
        fail(f"no person {login!r}; `itpm-tui person list` shows who is known")
    person = people.get(who)
    mention = tuple(w for w in (who, person.name.strip() if person else "") if w)
    mine = store.tasks.find(TaskFilter(open_only=True, assignee=who))
    mine += store.tasks.find(TaskFilter(open_only=True, personal=True, unassigned=True))
    projects = {p.id: p for p in store.projects.find()}
    owned = {t.project_id for t in mine if t.project_id is not None and t.assignee == who}
    watched = {}
    for pid in sorted(owned & set(projects)):
        open_ms = [m for m in store.milestones.find(pid) if m.actual is None]
        linked = [t for m in open_ms
                  for t in store.tasks.find(TaskFilter(milestone_id=m.id, open_only=True))]  # fmt: skip
        watched[projects[pid].key] = milestone_reports(projects[pid], open_ms, linked, today)
    day = last_standup_day(today)
    records = store.standups.find(held_on=day)
    ctx = ExportContext({}, {p.id: p.key for p in projects.values()})
    return build_digest(
        login=who, name=person.name if person else "", today=today, my_tasks=mine,
        waiting_candidates=store.tasks.find(TaskFilter(open_only=True, waiting_mentions=mention)),
        milestones=watched,
        standup_day=day, standups=records,
        scope_labels={r.session.id: ctx.scope_label(r.session) for r in records},
    )  # fmt: skip


@cli.command()
@click.option("--project", "-p", metavar="KEY", help="Only this project.")
@click.option("--portfolio", is_flag=True, help="Every project, worst first (the default).")
@click.option("--week", metavar="DATE", help="The week ending on this day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="Markdown, self-contained HTML, or exact JSON.")  # fmt: skip
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
@pass_session
def report(
    session: Session, /, project: str | None, portfolio: bool, week: str | None, fmt: str,
    output: str | None,
) -> None:  # fmt: skip
    """The weekly status report: per project RAG and reasons, what changed since last week,
    milestones, earned value, blockers that need help, and next week's work.

    --week takes a past day like health --as-of: the report is rebuilt from the audit log
    as it stood at the end of that day.
    """
    import json

    from itpm_tui.cli.base import _ascii_json
    from itpm_tui.domain.dates import parse_date
    from itpm_tui.domain.report_render import to_html, to_json_dict, to_markdown
    from itpm_tui.reports import status_report_of

    if project and portfolio:
        raise click.UsageError("--portfolio shows every project; leave out --project.")
    day = parse_date(week, session.today, recent=True) if week else session.today
    if output is not None:  # refuse a bad target before the work
        check_writable(Path(output).expanduser())
    data = status_report_of(session.store, day, project)
    if fmt == "md":
        text = to_markdown(data)
    elif fmt == "html":
        text = to_html(data)
    else:
        text = json.dumps(to_json_dict(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output is None:
        if fmt == "json":
            text = _ascii_json(to_json_dict(data), indent=2) + "\n"
        sys.stdout.write(text)  # through the SafeStream: controls shown, never sent
        sys.stdout.flush()
    else:
        target = _write_exactly(Path(output).expanduser(), text)
        click.echo(f"wrote the {fmt} report for the week ending {day} to {target}", err=True)
