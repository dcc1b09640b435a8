"""Project, milestone, cost and person commands."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.base import (
    Session,
    cli,
    echo_json,
    fail,
    parse_id,
    parse_money,
    pass_session,
)
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import parse_date, parse_optional_date
from itpm_tui.domain.numbers import money_text, parse_number
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import CostEntry, Milestone, Person, Project, RagThresholds

if TYPE_CHECKING:
    from itpm_tui.store import Store

_NONE = ("none", "-", "")


def parse_workdays(text: str) -> tuple[int, ...]:
    """ISO weekdays from ``1-5``, ``1,2,3,4,5`` or ``1-4,6`` (1 = Monday, 7 = Sunday)."""
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"([1-7])(?:-([1-7]))?", part)
        if not match:
            raise InvalidInput(
                f"working days {text!r}: use ISO weekdays like 1-5 or 1,2,3,4,6 (1 = Monday)"
            )
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise InvalidInput(f"working days {text!r}: {first}-{last} runs backwards")
        days.update(range(first, last + 1))
    return tuple(sorted(days))


def _record_id(text: str, what: str) -> int:
    return parse_id(text, what)


def _name(text: str, what: str) -> str:
    """A name with surrounding blanks removed; a blank one is refused."""
    if not text.strip():
        raise InvalidInput(f"a {what} needs a name")
    return text.strip()


def parse_thresholds(items: tuple[str, ...]) -> dict[str, float | int]:
    """``NAME=VALUE`` pairs as RAG thresholds; ``NAME=default`` gives that one's default.

    Each value is checked on its own here, so the error names the option the user typed;
    whether the bands are in order (amber at or below green) is the model's job.
    """
    fields = RagThresholds.model_fields
    values: dict[str, float | int] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip().lower().replace("-", "_"), text.strip()
        if not sep or not name or not text:
            raise InvalidInput(f"threshold {item!r}: use NAME=VALUE, e.g. cpi_green=0.9")
        if name not in fields:
            raise InvalidInput(f"unknown threshold {name!r}; valid names: {', '.join(fields)}")
        if name in values:
            raise InvalidInput(f"threshold {name} is given more than once")
        default = fields[name].default
        if text.lower() == "default":
            values[name] = default
        else:
            values[name] = _threshold_value(name, text, days=isinstance(default, int))
    return values


def _threshold_value(name: str, text: str, *, days: bool) -> float | int:
    """One threshold's value: a non-negative ratio, or a whole number of working days.

    The one rule for typed numbers (``domain.numbers``): ``0.9``, not ``9e-1`` or ``+0.9``.
    """
    whole = "a whole number of working days" if days else None
    value = parse_number(text, f"threshold {name}", whole=whole)
    return int(value) if days else float(value)


def _validated(model: type[Any], data: dict[str, Any]) -> Any:
    from itpm_tui.store.rows import validate

    return validate(model, data)


# --- projects --------------------------------------------------------------------------------


@cli.group()
def project() -> None:
    """Projects: key, name, budget, currency, dates, working-day calendar."""


def _project_fields(
    session: Session, opts: dict[str, Any], current: RagThresholds | None = None
) -> dict[str, Any]:
    """Model fields from the options that were given; thresholds change ``current``'s."""
    fields: dict[str, Any] = {}
    if opts.get("name") is not None:
        fields["name"] = _name(opts["name"], "project")
    if opts.get("bac") is not None:
        fields["bac"] = parse_money(opts["bac"], "budget") or Decimal(0)
    if opts.get("currency") is not None:
        fields["currency"] = opts["currency"].strip().upper()
    if opts.get("workdays") is not None:
        fields["workdays"] = parse_workdays(opts["workdays"])
    calendar = WorkCalendar(frozenset(fields.get("workdays", (1, 2, 3, 4, 5))))
    for option, name in (("start", "start"), ("finish", "baseline_finish")):
        if opts.get(option) is not None:
            fields[name] = parse_optional_date(opts[option], session.today, calendar)
    holidays: tuple[str, ...] = opts.get("holidays") or ()
    if holidays:
        if len(holidays) == 1 and holidays[0].strip().lower() in _NONE:
            fields["holidays"] = ()
        else:
            fields["holidays"] = tuple(sorted({parse_date(h, session.today) for h in holidays}))
    if opts.get("hours_per_day") is not None:
        fields["hours_per_day"] = float(parse_number(opts["hours_per_day"], "hours per day"))
    if opts.get("thresholds"):
        base = current or RagThresholds()
        fields["thresholds"] = base.model_dump() | parse_thresholds(opts["thresholds"])
    return fields


_PROJECT_OPTIONS = (
    click.option("--bac", metavar="MONEY", help="Budget at completion."),
    click.option("--currency", metavar="CODE", help="ISO currency code, e.g. EUR, USD."),
    click.option("--start", metavar="DATE", help="Start date."),
    click.option("--finish", metavar="DATE", help="Baseline finish date."),
    click.option("--workdays", metavar="DAYS", help="Working weekdays, e.g. 1-5 (Mon-Fri)."),
    click.option("--holiday", "holidays", metavar="DATE", multiple=True,
                 help="A holiday (repeat for more; on set it replaces the list, 'none' clears)."),
    click.option("--hours-per-day", metavar="H", help="Working hours per person per day."),
    click.option("--threshold", "thresholds", metavar="NAME=VALUE", multiple=True,
                 help="A RAG threshold, e.g. cpi_green=0.9 or slip_amber_days=3 (repeat for "
                      "more; NAME=default resets one). Names: " + ", ".join(
                          RagThresholds.model_fields) + "."),
    click.option("--json", "as_json", is_flag=True, help="Print the project as JSON."),
)  # fmt: skip


def _project_options(func: Any) -> Any:
    for option in reversed(_PROJECT_OPTIONS):
        func = option(func)
    return func


@project.command("add")
@click.argument("key")
@click.argument("name")
@_project_options
@pass_session
def project_add(session: Session, /, key: str, name: str, as_json: bool, **opts: Any) -> None:
    """Add a project: KEY is 2-10 letters or digits (NET, CLOUD2), NAME is free text."""
    fields = _project_fields(session, {**opts, "name": name})
    created = session.store.projects.add(_validated(Project, {"key": key, **fields}))
    if as_json:
        echo_json(created.model_dump(mode="json"))
    else:
        click.echo(f"added project {created.key}: {created.name}")


@project.command("set")
@click.argument("key")
@click.option("--name", help="New name.")
@_project_options
@pass_session
def project_set(session: Session, /, key: str, as_json: bool, **opts: Any) -> None:
    """Change a project's name, budget, currency, dates, calendar or RAG thresholds (logged)."""
    store = session.store
    current = store.projects.by_key(key)
    fields = _project_fields(session, opts, current.thresholds)
    if not fields:
        fail("nothing to change: give at least one option (see --help)")
    # Thresholds are merged into the ones read above, so if someone else changed them in
    # between, refuse (StaleWrite) rather than silently put their old values back.
    expected = current.version if "thresholds" in fields else None
    changed = store.projects.update(key, fields, expected_version=expected)
    if as_json:
        echo_json(changed.model_dump(mode="json"))
    else:
        click.echo(f"updated project {changed.key}: {changed.name}")


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def project_list(session: Session, /, as_json: bool) -> None:
    """List projects with budget, dates, calendar and any thresholds not at their default."""
    projects = session.store.projects.find()
    if as_json:
        echo_json([p.model_dump(mode="json") for p in projects])
        return
    if not projects:
        click.echo("no projects")
    for p in projects:
        dates = f"{p.start or '-'} -> {p.baseline_finish or '-'}"
        calendar = _workdays_text(p.workdays) + (
            f", {plural(len(p.holidays), 'holiday')}" if p.holidays else ""
        )
        click.echo(f"{p.key:<10}  {p.bac:>12,} {p.currency}  {dates:<24}  {calendar:<20}  {p.name}")
        if differences := p.thresholds.differences():
            custom = ", ".join(f"{name}={value}" for name, value in differences.items())
            click.echo(f"{'':<10}  thresholds: {custom}")


def _workdays_text(days: tuple[int, ...]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    if days == tuple(range(days[0], days[-1] + 1)) and len(days) > 1:
        return f"{names[days[0] - 1]}-{names[days[-1] - 1]}"
    return ",".join(names[d - 1] for d in days)


# --- milestones ------------------------------------------------------------------------------


@cli.group()
def milestone() -> None:
    """Milestones: baseline, forecast (every change kept) and actual dates."""


def _calendar(store: Store, project_id: int) -> WorkCalendar:
    return WorkCalendar.for_project(store.projects.get(project_id))


def milestone_slip(m: Milestone, calendar: WorkCalendar) -> int:
    """Working days late (positive) or early (negative): actual if reached, else forecast."""
    return calendar.between(m.baseline, m.actual or m.forecast)


def _milestone_json(store: Store, m: Milestone) -> dict[str, Any]:
    project = store.projects.get(m.project_id)
    return m.model_dump(mode="json") | {
        "project_key": project.key,
        "slip_working_days": milestone_slip(m, WorkCalendar.for_project(project)),
    }


@milestone.command("add")
@click.argument("project_key", metavar="PROJECT")
@click.argument("name")
@click.option("--baseline", required=True, metavar="DATE", help="The committed date.")
@click.option("--forecast", metavar="DATE", help="Current forecast (default: the baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print the milestone as JSON.")
@pass_session
def milestone_add(
    session: Session, /, project_key: str, name: str, baseline: str, forecast: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Add a milestone to a project."""
    store = session.store
    owner = store.projects.by_key(project_key)
    calendar = WorkCalendar.for_project(owner)
    base = parse_date(baseline, session.today, calendar)
    fore = parse_date(forecast, session.today, calendar) if forecast else base
    fields = {"project_id": owner.id, "name": _name(name, "milestone"), "baseline": base,
              "forecast": fore}  # fmt: skip
    created = store.milestones.add(_validated(Milestone, fields))
    if as_json:
        echo_json(_milestone_json(store, created))
    else:
        click.echo(f"added milestone {created.id} to {owner.key}: {created.name}")


@milestone.command("set")
@click.argument("milestone_id", metavar="ID")
@click.option("--forecast", metavar="DATE", help="New forecast (kept in the history).")
@click.option("--actual", metavar="DATE", help="Date it was reached ('none' clears).")
@click.option("--baseline", metavar="DATE", help="Re-baseline (recorded in the log).")
@click.option("--name", help="New name.")
@click.option("--json", "as_json", is_flag=True, help="Print the milestone as JSON.")
@pass_session
def milestone_set(
    session: Session, /, milestone_id: str, forecast: str | None, actual: str | None,
    baseline: str | None, name: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Move a milestone's forecast, record its actual date, rename or re-baseline it."""
    store = session.store
    current = store.milestones.get(_record_id(milestone_id, "milestone"))
    calendar = _calendar(store, current.project_id)
    changes: dict[str, Any] = {}
    if forecast is not None:
        changes["forecast"] = parse_date(forecast, session.today, calendar)
    if actual is not None:
        changes["actual"] = parse_optional_date(actual, session.today, calendar, recent=True)
    if baseline is not None:
        changes["baseline"] = parse_date(baseline, session.today, calendar)
    if name is not None:
        changes["name"] = _name(name, "milestone")
    if not changes:
        fail("nothing to change: give at least one option (see --help)")
    changed = store.milestones.update(current.id, changes)
    if as_json:
        echo_json(_milestone_json(store, changed))
    else:
        slip = milestone_slip(changed, calendar)
        click.echo(f"updated milestone {changed.id}: {changed.name} ({_slip_text(slip)})")


def _slip_text(slip: int) -> str:
    if slip == 0:
        return "on baseline"
    return f"{plural(abs(slip), 'working day')} {'late' if slip > 0 else 'early'}"


@milestone.command("list")
@click.option("--project", "-p", "project_key", metavar="KEY", help="Only this project.")
@click.option("--json", "as_json", is_flag=True, help="JSON output, with forecast history.")
@pass_session
def milestone_list(session: Session, /, project_key: str | None, as_json: bool) -> None:
    """List milestones with their slip in working days."""
    store = session.store
    project_id = store.projects.by_key(project_key).id if project_key else None
    milestones = store.milestones.find(project_id)
    if as_json:
        echo_json([_milestone_json(store, m) for m in milestones])
        return
    if not milestones:
        click.echo("no milestones")
    projects = {p.id: p for p in store.projects.find()}
    for m in milestones:
        owner = projects[m.project_id]
        slip = milestone_slip(m, WorkCalendar.for_project(owner))
        state = f"reached {m.actual}" if m.actual else f"forecast {m.forecast}"
        moves = len({h.forecast for h in m.history}) - 1
        moved = f", moved {moves}x" if moves > 0 else ""
        click.echo(
            f"{m.id:>4}  {owner.key:<6}  baseline {m.baseline}  {state:<19}  "
            f"{_slip_text(slip) + moved:<32}  {m.name}"
        )


# --- costs -----------------------------------------------------------------------------------


@cli.group()
def cost() -> None:
    """Cost entries: money actually spent (the AC of earned value)."""


@cost.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("project_key", metavar="PROJECT")
@click.argument("amount")
@click.option("--date", "spent", metavar="DATE", help="When it was spent (default: today).")
@click.option("--category", default="", help="e.g. labour, hardware, licences.")
@click.option("--note", default="", help="Free text (invoice number, vendor).")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@pass_session
def cost_add(
    session: Session, /, project_key: str, amount: str, spent: str | None, category: str,
    note: str, as_json: bool,
) -> None:  # fmt: skip
    """Record money spent on a project."""
    store = session.store
    owner = store.projects.by_key(project_key)
    value = parse_money(amount)
    if not value:
        raise InvalidInput(f"amount must be more than 0 (got {amount!r})")
    calendar = WorkCalendar.for_project(owner)
    day = parse_date(spent, session.today, calendar, recent=True) if spent else session.today
    fields = {"project_id": owner.id, "spent_on": day, "amount": value, "category": category,
              "note": note}  # fmt: skip
    entry = store.costs.add(_validated(CostEntry, fields))
    if as_json:
        echo_json(entry.model_dump(mode="json") | {"project_key": owner.key})
    else:
        amount = money_text(entry.amount, owner.currency, cents=True)
        click.echo(f"added cost {entry.id}: {amount} to {owner.key}")


@cost.command("list")
@click.option("--project", "-p", "project_key", metavar="KEY", help="Only this project.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def cost_list(session: Session, /, project_key: str | None, as_json: bool) -> None:
    """List cost entries, oldest first, with a total per project."""
    store = session.store
    projects = {p.id: p for p in store.projects.find()}
    project_id = store.projects.by_key(project_key).id if project_key else None
    entries = store.costs.find(project_id)
    if as_json:
        echo_json([e.model_dump(mode="json") | {"project_key": projects[e.project_id].key}
                   for e in entries])  # fmt: skip
        return
    if not entries:
        click.echo("no cost entries")
        return
    totals: dict[int, Decimal] = {}
    for e in entries:
        owner = projects[e.project_id]
        totals[e.project_id] = totals.get(e.project_id, Decimal(0)) + e.amount
        click.echo(
            f"{e.id:>5}  {e.spent_on}  {owner.key:<6}  {e.amount:>12,} {owner.currency}  "
            f"{e.category:<14}  {e.note}"
        )
    for project_id_, total in sorted(totals.items(), key=lambda kv: projects[kv[0]].key):
        owner = projects[project_id_]
        spent = money_text(total, owner.currency, cents=True)
        bac = money_text(owner.bac, owner.currency)
        click.echo(f"total {owner.key}: {spent} of {bac} budget")


# --- people ----------------------------------------------------------------------------------


@cli.group()
def person() -> None:
    """People: who owns tasks and speaks at stand-ups."""


@person.command("add")
@click.argument("login")
@click.option("--name", default="", help="Display name.")
@click.option("--team", default="", help="Team (stand-ups are per team).")
@pass_session
def person_add(session: Session, /, login: str, name: str, team: str) -> None:
    """Add a person by login."""
    store = session.store
    new = _validated(Person, {"login": login, "name": name, "team": team})
    store.people.add(new)
    click.echo(f"added {new.login}" + (f" ({new.name})" if new.name else ""))


@person.command("set")
@click.argument("login")
@click.option("--name", help="Display name.")
@click.option("--team", help="Team.")
@click.option("--rate", metavar="R", help="Hourly rate (standard), from --rate-from on.")
@click.option("--rate-from", metavar="DATE", help="The day --rate takes effect (default: today).")
@click.option("--overtime-rate", metavar="R", help="Hourly overtime rate (default: --rate).")
@click.option("--currency", metavar="CODE", help="The rate's currency (default: as before, EUR).")
@click.option("--hours-per-day", metavar="H", help="Their working hours per day.")
@click.option("--workdays", metavar="DAYS", help="Their working weekdays, e.g. 1-5.")
@pass_session
def person_set(
    session: Session, /, login: str, name: str | None, team: str | None, rate: str | None,
    rate_from: str | None, overtime_rate: str | None, currency: str | None,
    hours_per_day: str | None, workdays: str | None,
) -> None:  # fmt: skip
    """Change a person's name, team, hourly rate or capacity."""
    from itpm_tui.cli.people import set_time_settings

    store = session.store
    current = store.people.get(login)
    time_options = (rate, rate_from, overtime_rate, currency, hours_per_day, workdays)
    if name is None and team is None and all(v is None for v in time_options):
        fail("nothing to change: give --name, --team, --rate or --hours-per-day/--workdays")
    changed = current.model_copy(update={k: v for k, v in (("name", name), ("team", team))
                                         if v is not None})  # fmt: skip
    person_model = _validated(Person, changed.model_dump())
    done = set_time_settings(
        session, login, rate=rate, rate_from=rate_from, overtime_rate=overtime_rate,
        currency=currency, hours_per_day=hours_per_day, workdays=workdays,
    )  # fmt: skip
    if name is not None or team is not None:
        store.people.save(person_model)
    click.echo(f"updated {login}" + (": " + "; ".join(done) if done else ""))


@person.command("list")
@click.option("--team", help="Only this team.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def person_list(session: Session, /, team: str | None, as_json: bool) -> None:
    """List people by login."""
    people = session.store.people.find(team)
    if as_json:
        echo_json([p.model_dump(mode="json") for p in people])
        return
    if not people:
        click.echo("no people")
    for p in people:
        click.echo(f"{p.login:<16}  {p.team or '-':<16}  {p.name}")
