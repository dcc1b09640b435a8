"""``itpm-tui health``: earned value, milestones and RAG flags with their reasons."""

from __future__ import annotations

import click

from itpm_tui.cli.base import Session, cli, echo_json, pass_session
from itpm_tui.domain.dates import parse_date


@cli.command()
@click.option("--project", "-p", metavar="KEY", help="Only this project.")
@click.option("--as-of", metavar="DATE", help="Health as of this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Every metric, flag and reason, exact.")
@pass_session
def health(session: Session, /, project: str | None, as_of: str | None, as_json: bool) -> None:
    """Budget and schedule health per project: EV metrics, milestone slip, RAG and reasons."""
    from itpm_tui.domain.health import format_health_text
    from itpm_tui.reports import health_of_all

    day = parse_date(as_of, session.today, recent=True) if as_of else session.today
    reports = health_of_all(session.store, day, project)
    if as_json:
        echo_json({"as_of": day.isoformat(), "projects": [h.to_json_dict() for h in reports]})
    elif not reports:
        click.echo("no projects yet: add one with `itpm-tui project add KEY NAME`")
    else:
        click.echo("\n\n".join(format_health_text(h).rstrip() for h in reports))
