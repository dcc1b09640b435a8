"""RAID log commands: ``risk add/set``, ``issue add``, ``assumption add``, ``decision add``,
``raid list/show/set/settings``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click

from itpm_tui.cli.base import Session, calendar_for, cli, echo_json, fail, pass_session
from itpm_tui.domain.dates import parse_optional_date
from itpm_tui.domain.numbers import money_text, parse_amount, parse_id, parse_number
from itpm_tui.domain.raid import RiskRating, rate, score_history
from itpm_tui.errors import InvalidInput
from itpm_tui.models import (
    Project,
    RaidItem,
    RaidKind,
    RaidStatus,
    RiskResponse,
    RiskScaleKind,
    RiskSettings,
)
from itpm_tui.store.raid import RaidFilter
from itpm_tui.store.rows import validate

_NONE = ("none", "-", "")


def _rating(text: str, what: str) -> Decimal:
    """A probability or impact as typed: ``3``, ``0.7``, or a percentage ``70%`` (= 0.7)."""
    typed = text.strip()
    if typed.endswith("%"):
        return parse_number(typed, what, suffix="%", places=2, maximum=100, unit="%") / 100
    return parse_number(typed, what, places=4, maximum=100)


class RaidIdType(click.ParamType[int]):
    """A RAID item id as typed: ``12``, ``#12`` or with its kind's letter, ``R12``."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The id as an int, or one clear error."""
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text[:1].upper() in "RIAD" and text[1:2].isdigit():
            text = text[1:]
        return parse_id(text, "a RAID item id")


RAID_ID = RaidIdType()


def _owner(text: str | None) -> str | None:
    return None if text is None or text.strip().lower() in _NONE else text.strip()


def _ids(items: tuple[str, ...], what: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(parse_id(i, what) for i in items))


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every kind of item has."""
    for option in reversed([
        click.option("--description", "-d", metavar="TEXT", help="Details (may span lines)."),
        click.option("--owner", "-o", metavar="LOGIN", help="Who owns it (`none`: nobody)."),
        click.option("--review", metavar="DATE", help="When to review it next."),
        click.option("--task", "tasks", metavar="ID", multiple=True,
                     help="A task it concerns (repeatable)."),
        click.option("--milestone", "milestones", metavar="ID", multiple=True,
                     help="A milestone it concerns (repeatable)."),
    ]):  # fmt: skip
        func = option(func)
    return func


def _risk_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options only risks have."""
    for option in reversed([
        click.option("--cost-impact", metavar="N", help="Money lost if it happens."),
        click.option("--schedule-impact", metavar="WD", help="Working days lost if it happens."),
        click.option("--response", type=click.Choice([r.value for r in RiskResponse]),
                     help="avoid, mitigate, transfer or accept."),
        click.option("--mitigation", metavar="TEXT", help="The mitigation plan."),
        click.option("--mitigation-due", metavar="DATE", help="When the mitigation is due."),
    ]):  # fmt: skip
        func = option(func)
    return func


def _fields(session: Session, project: Project, opts: dict[str, Any]) -> dict[str, Any]:
    """Model fields from the options given (``None``: not given)."""
    today = session.today
    calendar = calendar_for(session.store, project.id)
    out: dict[str, Any] = {}
    for name in ("title", "description", "mitigation"):
        if opts.get(name) is not None:
            out[name] = opts[name]
    if opts.get("owner") is not None:
        out["owner"] = _owner(opts["owner"])
    if opts.get("review") is not None:
        out["review_on"] = parse_optional_date(opts["review"], today, calendar)
    if opts.get("mitigation_due") is not None:
        out["mitigation_due"] = parse_optional_date(opts["mitigation_due"], today, calendar)
    for name in ("probability", "impact"):
        if opts.get(name) is not None:
            out[name] = _rating(opts[name], name)
    if opts.get("cost_impact") is not None:
        text = opts["cost_impact"]
        out["cost_impact"] = None if text.strip().lower() in _NONE else parse_amount(
            text, "cost impact")  # fmt: skip
    if opts.get("schedule_impact") is not None:
        text = opts["schedule_impact"].strip().lower().removesuffix("wd").strip()
        out["schedule_impact"] = None if text in _NONE else int(parse_number(
            text, "schedule impact", whole="a whole number of working days", maximum=10_000))  # fmt: skip
    if opts.get("response") is not None:
        out["response"] = RiskResponse(opts["response"])
    if opts.get("status") is not None:
        out["status"] = RaidStatus(opts["status"])
    if opts.get("kind") is not None:
        out["kind"] = RaidKind(opts["kind"])
    if opts.get("tasks"):
        out["task_ids"] = _ids(opts["tasks"], "task")
    if opts.get("milestones"):
        out["milestone_ids"] = _ids(opts["milestones"], "milestone")
    return out


def _add(session: Session, kind: RaidKind, project_key: str, title: str, **opts: Any) -> None:
    store = session.store
    project = store.projects.by_key(project_key)
    status = RaidStatus.MADE if opts.pop("made", False) else (
        RaidStatus.PROPOSED if kind is RaidKind.DECISION else RaidStatus.OPEN)  # fmt: skip
    fields = _fields(session, project, {**opts, "title": title})
    item = validate(RaidItem, {"project_id": project.id, "kind": kind, "status": status,
                               "raised_on": session.today, **fields})  # fmt: skip
    added = store.raid.add(item)
    click.echo(f"added {item_line(added, project)}")


def item_line(item: RaidItem, project: Project) -> str:
    """One line for people: ref, project, kind, status, score and band, exposure, owner, title."""
    rating = rate(item, project.risk_settings)
    return (
        f"{item.ref:>6}  {item.project_key or project.key:<6}  {item.kind.value:<10}  "
        f"{item.status.value:<10}  {_score(rating):<14}  {_exposure(rating, project):>14}  "
        f"{(item.owner or '-'):<10.10}  {item.title}"
    )


def _score(rating: RiskRating | None) -> str:
    if rating is None:
        return "-"
    return f"{rating.score} {rating.band.symbol} {rating.band.value}"


def _exposure(rating: RiskRating | None, project: Project) -> str:
    if rating is None or rating.exposure is None:
        return "-"
    return money_text(rating.exposure, project.currency)


def item_json(item: RaidItem, project: Project) -> dict[str, Any]:
    """An item for ``--json``: the model with its score, band and exposure (exact)."""
    rating = rate(item, project.risk_settings)
    return item.model_dump(mode="json") | {
        "ref": item.ref,
        "score": None if rating is None else str(rating.score),
        "band": None if rating is None else rating.band.value,
        "exposure": None if rating is None or rating.exposure is None else str(rating.exposure),
    }


@cli.group()
def risk() -> None:
    """Risks: probability x impact on the project's scale, exposure = probability x cost."""


@risk.command("add")
@click.argument("project")
@click.argument("title")
@click.option("--probability", "-P", required=True, metavar="P",
              help="On the project's scale: 1-5, or 0.1-0.9 (PMBOK).")  # fmt: skip
@click.option("--impact", "-I", required=True, metavar="I",
              help="On the project's scale: 1-5, or 0.05-0.8 (PMBOK).")  # fmt: skip
@_risk_options
@_common
@pass_session
def risk_add(session: Session, /, project: str, title: str, **opts: Any) -> None:
    """Raise a risk on PROJECT."""
    _add(session, RaidKind.RISK, project, title, **opts)


def _set_command(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.argument("item_id", metavar="ID", type=RAID_ID),
        click.option("--title", metavar="TEXT", help="A new title."),
        click.option("--status", type=click.Choice([s.value for s in RaidStatus]),
                     help="open, monitoring, closed; decisions: proposed, made."),
        click.option("--kind", type=click.Choice([k.value for k in RaidKind]),
                     help="e.g. issue: a risk that happened (keeps its history)."),
        click.option("--probability", "-P", metavar="P", help="On the project's scale."),
        click.option("--impact", "-I", metavar="I", help="On the project's scale."),
    ]):  # fmt: skip
        func = option(func)
    return _risk_options(_common(pass_session(func)))


def _set(session: Session, item_id: int, **opts: Any) -> None:
    store = session.store
    current = store.raid.get(item_id)
    project = store.projects.get(current.project_id)
    changes = _fields(session, project, opts)
    if not changes:
        fail("nothing to change: give at least one option (see --help)")
    item = store.raid.update(item_id, changes, expected_version=current.version)
    click.echo(f"updated {item_line(item, project)}")


@risk.command("set")
@_set_command
def risk_set(session: Session, /, item_id: int, **opts: Any) -> None:
    """Change a risk (or any RAID item); every change is in the audit log."""
    _set(session, item_id, **opts)


def _simple_add(kind: RaidKind, noun: str) -> None:
    """Register ``NOUN add PROJECT TITLE`` for a kind without a rating."""

    @cli.group(name=noun, help=f"{noun.capitalize()}s of the RAID log.")
    def group() -> None:
        pass

    extra = [click.option("--made", is_flag=True, help="Already made (default: proposed).")] \
        if kind is RaidKind.DECISION else []  # fmt: skip

    def add(session: Session, /, project: str, title: str, **opts: Any) -> None:
        _add(session, kind, project, title, **opts)

    add.__doc__ = f"Record {'an' if noun[0] in 'aeiou' else 'a'} {noun} on PROJECT."
    command: Callable[..., Any] = pass_session(add)
    command = _common(command)
    for option in extra:
        command = option(command)
    command = click.argument("title")(command)
    command = click.argument("project")(command)
    group.command("add")(command)


_simple_add(RaidKind.ISSUE, "issue")
_simple_add(RaidKind.ASSUMPTION, "assumption")
_simple_add(RaidKind.DECISION, "decision")


@cli.group()
def raid() -> None:
    """The RAID log: risks, assumptions, issues and decisions of each project."""


@raid.command("list")
@click.option("--project", "-p", metavar="KEY", help="Only this project's items.")
@click.option("--kind", type=click.Choice([k.value for k in RaidKind]), help="Only this kind.")
@click.option("--status", type=click.Choice([s.value for s in RaidStatus]),
              help="Only this status (default: every one).")  # fmt: skip
@click.option("--owner", metavar="LOGIN", help="Only items this person owns.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def raid_list(
    session: Session, /, project: str | None, kind: str | None, status: str | None,
    owner: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Items by project, worst score first, then by id."""
    store = session.store
    projects = {p.id: p for p in store.projects.find()}
    where = RaidFilter(
        project_id=store.projects.by_key(project).id if project else None,
        kind=RaidKind(kind) if kind else None, status=RaidStatus(status) if status else None,
        owner=owner,
    )  # fmt: skip
    items = store.raid.find(where)

    def order(item: RaidItem) -> tuple[str, Decimal, int]:
        rating = rate(item, projects[item.project_id].risk_settings)
        return (item.project_key or "", -(rating.score if rating else Decimal(-1)), item.id)

    items.sort(key=order)
    if as_json:
        echo_json([item_json(i, projects[i.project_id]) for i in items])
        return
    if not items:
        click.echo("no RAID items")
        return
    for item in items:
        click.echo(item_line(item, projects[item.project_id]))


@raid.command("set")
@_set_command
def raid_set(session: Session, /, item_id: int, **opts: Any) -> None:
    """Change any RAID item (same options as ``risk set``)."""
    _set(session, item_id, **opts)


@raid.command("show")
@click.argument("item_id", metavar="ID", type=RAID_ID)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def raid_show(session: Session, /, item_id: int, as_json: bool) -> None:
    """One item with its links, score history and audit log."""
    store = session.store
    item = store.raid.get(item_id)
    project = store.projects.get(item.project_id)
    events = store.raid.history(item_id)
    trend = score_history(events, project.risk_settings.kind)
    if as_json:
        echo_json(item_json(item, project) | {
            "score_history": [{"at": p.at.isoformat(), "who": p.who, "probability": str(
                p.probability), "impact": str(p.impact), "score": str(p.score)} for p in trend],
            "history": [e.model_dump(mode="json") for e in events],
        })  # fmt: skip
        return
    rating = rate(item, project.risk_settings)
    click.echo(f"{item.ref} {item.kind.value} of {project.key}: {item.title}")
    rows = [
        ("status", item.status.value),
        ("owner", item.owner or "-"),
        ("raised", f"{item.raised_on} by {item.raised_by}"),
        ("review", str(item.review_on or "-")),
    ]
    if rating is not None:
        rows += [
            ("rating", f"P {item.probability} x I {item.impact} = {_score(rating)} "
                       f"({project.risk_settings.kind.value} scale)"),
            ("exposure", _exposure(rating, project)),
            ("schedule", f"{item.schedule_impact} wd" if item.schedule_impact is not None
             else "-"),
            ("response", item.response.value if item.response else "-"),
            ("mitigation", item.mitigation or "-"),
            ("due", str(item.mitigation_due or "-")),
        ]  # fmt: skip
    if item.task_ids:
        rows.append(("tasks", ", ".join(f"#{i}" for i in item.task_ids)))
    if item.milestone_ids:
        rows.append(("milestones", ", ".join(str(i) for i in item.milestone_ids)))
    for label, value in rows:
        click.echo(f"  {label:<11} {value}")
    if item.description:
        click.echo("  " + item.description.replace("\n", "\n  "))
    if trend:
        click.echo("score history:")
        for point in trend:
            click.echo(f"  {point.at:%Y-%m-%d %H:%M}  {point.who:<10}  P {point.probability} x "
                       f"I {point.impact} = {point.score}")  # fmt: skip
    click.echo("history:")
    for event in events:
        old = "" if event.old is None else f"{event.old} -> "
        click.echo(f"  {event.at:%Y-%m-%d %H:%M}  {event.by:<10}  {event.field}: {old}"
                   f"{event.new or ''}")  # fmt: skip


@raid.command("settings")
@click.argument("project")
@click.option("--scale", type=click.Choice([k.value for k in RiskScaleKind]),
              help="1-5 x 1-5, or PMBOK's 0.1-0.9 x 0.05-0.8 matrix.")  # fmt: skip
@click.option("--band", "bands", metavar="NAME=SCORE", multiple=True,
              help="Highest score of low, medium, high or very_high (repeatable; "
                   "NAME=default resets it).")  # fmt: skip
@click.option("--contingency", metavar="N", help="The contingency reserve left (`none`).")
@pass_session
def raid_settings(
    session: Session, /, project: str, scale: str | None, bands: tuple[str, ...],
    contingency: str | None,
) -> None:  # fmt: skip
    """Show or change a project's risk scale, bands and contingency reserve (logged)."""
    store = session.store
    current = store.projects.by_key(project)
    settings = current.risk_settings
    changes: dict[str, Any] = {}
    if scale is not None and RiskScaleKind(scale) is not settings.kind:
        if any(i.probability is not None for i in store.raid.find(RaidFilter(
                project_id=current.id))):  # fmt: skip
            raise InvalidInput(
                f"{current.key} has rated risks on the {settings.kind.value} scale; a new scale "
                "would leave them off it"
            )
        changes = {"kind": RiskScaleKind(scale), "low": None, "medium": None, "high": None,
                   "very_high": None}  # fmt: skip
    names = ("low", "medium", "high", "very_high")
    for item in bands:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise InvalidInput(f"band {item!r}: use NAME=SCORE with NAME one of {', '.join(names)}")
        changes[name] = None if text.strip() == "default" else parse_number(
            text, f"band {name}", places=4, maximum=100)  # fmt: skip
    if contingency is not None:
        changes["contingency"] = None if contingency.strip().lower() in _NONE else parse_amount(
            contingency, "contingency")  # fmt: skip
    if changes:
        new = validate(RiskSettings, settings.model_dump() | changes)
        current = store.projects.update(current.key, {"risk_settings": new},
                                        expected_version=current.version)  # fmt: skip
        settings = current.risk_settings
    low, medium, high, very_high = settings.edges()
    reserve = ("none set" if settings.contingency is None
               else money_text(settings.contingency, current.currency, cents=True))  # fmt: skip
    click.echo(f"{current.key} risk scale {settings.kind.value}: low <= {low}, medium <= "
               f"{medium}, high <= {high}, very high <= {very_high}, critical above; "
               f"contingency {reserve}")  # fmt: skip
