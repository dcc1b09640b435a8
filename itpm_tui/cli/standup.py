"""Stand-up commands: post an update ahead of the meeting, export the minutes, list meetings."""

from __future__ import annotations

from datetime import date

import click

from itpm_tui.cli.base import LIMIT, Session, cli, echo_json, fail, pass_session
from itpm_tui.domain.dates import parse_date
from itpm_tui.domain.standup import (
    ExportContext,
    StandupRecord,
    clock_text,
    export_data,
    export_markdown,
)


@cli.group()
def standup() -> None:
    """Stand-ups: post your update ahead, export the notes, list past meetings."""


def _day(session: Session, text: str | None) -> date:
    return parse_date(text, session.today) if text is not None else session.today


def _context(session: Session) -> ExportContext:
    store = session.store
    return ExportContext(
        names={p.login: p.name for p in store.people.find()},
        projects={p.id: p.key for p in store.projects.find()},
    )


@standup.command()
@click.option("--yesterday", "-y", default="", metavar="TEXT", help="What you did.")
@click.option("--today", "-t", default="", metavar="TEXT", help="What you will do.")
@click.option("--blockers", "-b", default="", metavar="TEXT", help="What is in your way.")
@click.option("--date", "day", metavar="DATE", help="Which stand-up (default: today).")
@click.option("--person", metavar="LOGIN", help="Post for someone else (default: you).")
@pass_session
def note(
    session: Session,
    /,
    yesterday: str,
    today: str,
    blockers: str,
    day: str | None,
    person: str | None,
) -> None:
    """Post your update before the meeting; it shows when your turn comes.

    Posting again for the same day replaces your update.
    """
    held_on = _day(session, day)
    if held_on < session.today:
        fail(f"{held_on.isoformat()} is in the past; post for today's or a later stand-up")
    login = person or session.settings.user
    session.store.standups.post_note(
        login, held_on, yesterday=yesterday, today=today, blockers=blockers
    )
    click.echo(f"Posted {login}'s update for the stand-up on {held_on:%a %d %b %Y}.")


@standup.command()
@click.option("--date", "day", metavar="DATE", help="Which day (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
    help="Markdown for email and chat, or JSON.",
)  # fmt: skip
@pass_session
def export(session: Session, /, day: str | None, fmt: str) -> None:
    """Print the notes of a day's stand-ups (and updates posted but not yet discussed)."""
    held_on = _day(session, day)
    store = session.store
    records = list(reversed(store.standups.find(held_on=held_on)))  # in the order held
    notes = store.standups.notes(held_on)
    if fmt == "json":
        echo_json(export_data(held_on, records, notes))
    else:
        click.echo(export_markdown(held_on, records, notes, _context(session)), nl=False)


def _summary(record: StandupRecord, ctx: ExportContext) -> str:
    s = record.session
    scope = ctx.scope_label(s)
    start = f"{s.started_at:%H:%M}" if s.started_at else "--:--"
    end = f"{s.ended_at:%H:%M}" if s.ended_at else "--:--"
    return (
        f"#{s.id:<4} {s.held_on:%a %Y-%m-%d}  {start}-{end}  {scope:<24.24}  "
        f"{record.present}/{len(record.entries)} present  {clock_text(record.seconds_spoken):>5} "
        f"spoken  {len(record.parking)} parked"
    )


@standup.command("list")
@click.option("--limit", type=LIMIT, default=20, show_default=True,
              help="At most this many, newest first.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def list_(session: Session, /, limit: int, as_json: bool) -> None:
    """Past stand-ups, newest first."""
    records = session.store.standups.find(limit=limit)
    if as_json:
        echo_json([
            r.session.model_dump(mode="json")
            | {"present": r.present, "attendees": len(r.entries),
               "seconds_spoken": r.seconds_spoken, "parked": len(r.parking)}
            for r in records
        ])  # fmt: skip
    elif not records:
        click.echo("no stand-ups yet")
    else:
        ctx = _context(session)
        for record in records:
            click.echo(_summary(record, ctx))
