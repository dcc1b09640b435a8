"""``itpm-tui health``: earned value, milestones and RAG flags with their reasons."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from itpm_tui.cli.base import Session, cli, echo_json, pass_session
from itpm_tui.domain.dates import parse_date

if TYPE_CHECKING:
    from itpm_tui.domain.portfolio import PortfolioRow


@cli.command()
@click.option("--project", "-p", metavar="KEY", help="Only this project.")
@click.option("--as-of", metavar="DATE", help="Health as of this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Every metric, flag and reason, exact.")
@click.option(
    "--portfolio", is_flag=True, help="One line per project, worst first, with its trend."
)
@pass_session
def health(
    session: Session, /, project: str | None, as_of: str | None, as_json: bool, portfolio: bool
) -> None:
    """Budget and schedule health per project: EV metrics, milestone slip, RAG and reasons."""
    from itpm_tui.domain.health import format_health_text
    from itpm_tui.reports import health_of_all

    day = parse_date(as_of, session.today, recent=True) if as_of else session.today
    if portfolio:
        if project:
            raise click.UsageError("--portfolio shows every project; leave out --project.")
        _portfolio(session, day, as_json)
        return
    reports = health_of_all(session.store, day, project)
    if as_json:
        echo_json({"as_of": day.isoformat(), "projects": [h.to_json_dict() for h in reports]})
    elif not reports:
        click.echo("no projects yet: add one with `itpm-tui project add KEY NAME`")
    else:
        click.echo("\n\n".join(format_health_text(h).rstrip() for h in reports))


def _portfolio(session: Session, day: date, as_json: bool) -> None:
    from itpm_tui.domain.portfolio import COUNTED_FLAGS
    from itpm_tui.reports import portfolio_view

    rows = portfolio_view(session.store, day)
    if as_json:
        echo_json({"as_of": day.isoformat(), "projects": [_row_json(r) for r in rows]})
        return
    if not rows:
        click.echo("no projects yet: add one with `itpm-tui project add KEY NAME`")
        return
    for row in rows:
        h, rag = row.health, row.health.overall.rag
        counts = "  ".join(f"{row.count(k)} {k.value}" for k in COUNTED_FLAGS)
        click.echo(f"{rag.symbol} {rag.word:<7} {h.project_key:<10} {row.trend.symbol} "
                   f"{row.trend.value:<6}  {counts}")  # fmt: skip
        click.echo(f"    {row.why}")
        ev = h.evm
        if ev.forecast_finish is not None and ev.planned_finish is not None:
            spi_t = "—" if ev.spi_t is None else f"{ev.spi_t:.2f}"
            click.echo(f"    SPI(t) {spi_t}: forecast finish {ev.forecast_finish}, planned "
                       f"{ev.planned_finish}")  # fmt: skip
        if row.next_milestone is not None:
            m = row.next_milestone.health
            click.echo(f"    next milestone {m.name}: forecast {m.forecast}, slip {m.slip:+d} wd")


def _row_json(row: PortfolioRow) -> dict[str, object]:
    from itpm_tui.domain.portfolio import COUNTED_FLAGS

    h, ev = row.health, row.health.evm
    m = row.next_milestone.health if row.next_milestone else None
    return {
        "key": h.project_key,
        "name": h.project_name,
        "overall": h.overall.rag.value,
        "why": row.why,
        "trend": row.trend.value,
        "cpi": None if ev.cpi is None else str(ev.cpi),
        "spi": None if ev.spi is None else str(ev.spi),
        "spi_t": None if ev.spi_t is None else str(ev.spi_t),
        "planned_finish": None if ev.planned_finish is None else ev.planned_finish.isoformat(),
        "forecast_finish": None if ev.forecast_finish is None else ev.forecast_finish.isoformat(),
        "eac": None if ev.eac is None else str(ev.eac),
        "bac": str(ev.bac),
        "tasks": {k.value: row.count(k) for k in COUNTED_FLAGS},
        "next_milestone": None if m is None else {
            "name": m.name, "baseline": m.baseline.isoformat(),
            "forecast": m.forecast.isoformat(), "slip": m.slip,
        },
    }  # fmt: skip
