"""Change control commands: ``change add/set/approve/reject/apply/list/show``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.base import Session, cli, echo_json, fail, pass_session
from itpm_tui.domain.change import impact_text
from itpm_tui.domain.numbers import money_text, parse_amount, parse_id, parse_number
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import Baseline, ChangeRequest, ChangeStatus, Project
from itpm_tui.store.rows import validate

if TYPE_CHECKING:
    from itpm_tui.store import Store


class ChangeIdType(click.ParamType[int]):
    """A change request id as typed: ``7``, ``#7``, ``CR-7`` or ``cr7``."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The id as an int, or one clear error."""
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text[:2].upper() == "CR":
            text = text[2:].removeprefix("-")
        return parse_id(text, "a change request id")


CHANGE_ID = ChangeIdType()


def parse_delta_money(text: str) -> Decimal:
    """A signed amount: ``+10000``, ``-2,500.50``, ``10000`` (no sign: an increase)."""
    typed = text.strip()
    sign = -1 if typed.startswith("-") else 1
    return sign * parse_amount(typed.lstrip("+-").strip(), "cost delta")


def parse_milestone_delta(text: str) -> tuple[int, int]:
    """``12=+5`` (milestone 12 moves 5 working days later), ``12=-3``, ``#12=5wd``."""
    milestone, sep, days = text.partition("=")
    if not sep:
        raise InvalidInput(f"--milestone {text!r}: use ID=+N (working days, e.g. 12=+5)")
    typed = days.strip().lower().removesuffix("wd").strip()
    sign = -1 if typed.startswith("-") else 1
    count = int(parse_number(typed.lstrip("+-"), "schedule delta",
                             whole="a whole number of working days", maximum=1000))  # fmt: skip
    return parse_id(milestone.strip(), "milestone"), sign * count


def _impact_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--reason", metavar="TEXT", help="Why the change is needed (may span lines)."),
        click.option("--requested-by", metavar="WHO", help="Who asks for it (default: you)."),
        click.option("--cost", metavar="DELTA", help="Change to BAC: +10000, -2500 (default 0)."),
        click.option("--milestone", "milestones", metavar="ID=+N", multiple=True,
                     help="Move a milestone's baseline N working days (repeatable)."),
        click.option("--add-task", "added", metavar="ID", multiple=True,
                     help="A task the change brings into scope (repeatable)."),
        click.option("--remove-task", "removed", metavar="ID", multiple=True,
                     help="A task the change takes out of scope (repeatable)."),
    ]):  # fmt: skip
        func = option(func)
    return func


def _fields(opts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("title", "reason", "requested_by"):
        if opts.get(name) is not None:
            out[name] = opts[name]
    if opts.get("cost") is not None:
        out["cost_delta"] = parse_delta_money(opts["cost"])
    if opts.get("milestones"):
        out["milestone_deltas"] = dict(parse_milestone_delta(m) for m in opts["milestones"])
    if opts.get("added"):
        out["tasks_added"] = tuple(dict.fromkeys(parse_id(t, "task") for t in opts["added"]))
    if opts.get("removed"):
        out["tasks_removed"] = tuple(dict.fromkeys(parse_id(t, "task") for t in opts["removed"]))
    return out


def change_line(change: ChangeRequest, project: Project, milestones: Mapping[int, str]) -> str:
    """One line for people: ref, project, status, title, impact (milestones by name)."""
    return (f"{change.ref:>6}  {change.project_key or project.key:<6}  {change.status.value:<8}  "
            f"{change.title}  ({impact_text(change, project.currency, milestones)})")  # fmt: skip


def milestone_names(store: Store) -> dict[int, str]:
    """Every milestone's name by id, for impacts."""
    return {m.id: m.name for m in store.milestones.find()}


def change_json(change: ChangeRequest) -> dict[str, Any]:
    """A change for ``--json``: the model (money exact, as text) and its ref."""
    data = change.model_dump(mode="json")
    data["milestone_deltas"] = {str(k): v for k, v in sorted(change.milestone_deltas.items())}
    return data | {"ref": change.ref}


def baseline_json(baseline: Baseline) -> dict[str, Any]:
    """A baseline for ``--json``."""
    data = baseline.model_dump(mode="json")
    data["milestones"] = {str(k): v.isoformat() for k, v in sorted(baseline.milestones.items())}
    return data


@cli.group()
def change() -> None:
    """Change requests: proposed, approved or rejected, applied (which re-baselines)."""


@change.command("add")
@click.argument("project")
@click.argument("title")
@_impact_options
@pass_session
def change_add(session: Session, /, project: str, title: str, **opts: Any) -> None:
    """Propose a change to PROJECT's scope, cost or schedule."""
    store = session.store
    found = store.projects.by_key(project)
    change = validate(ChangeRequest, {"project_id": found.id, **_fields({**opts, "title": title})})
    added = store.changes.add(change)
    click.echo(f"proposed {change_line(added, found, milestone_names(store))}")


@change.command("set")
@click.argument("change_id", metavar="ID", type=CHANGE_ID)
@click.option("--title", metavar="TEXT", help="A new title.")
@_impact_options
@pass_session
def change_set(session: Session, /, change_id: int, **opts: Any) -> None:
    """Edit a proposed change (``--milestone`` and the task options replace the lists)."""
    store = session.store
    current = store.changes.get(change_id)
    changes = _fields(opts)
    if not changes:
        fail("nothing to change: give at least one option (see --help)")
    updated = store.changes.update(change_id, changes, expected_version=current.version)
    line = change_line(updated, store.projects.get(updated.project_id), milestone_names(store))
    click.echo(f"updated {line}")


def _version_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--version", "version", type=click.IntRange(1), metavar="N",
                        help="Refuse if the change is no longer at this version "
                             "(the one you looked at).")(func)  # fmt: skip


def _decide(session: Session, change_id: int, to: ChangeStatus, version: int | None) -> None:
    store = session.store
    decided = store.changes.decide(change_id, to, expected_version=version)
    line = change_line(decided, store.projects.get(decided.project_id), milestone_names(store))
    click.echo(f"{to.value} {line}")


@change.command("approve")
@click.argument("change_id", metavar="ID", type=CHANGE_ID)
@_version_option
@pass_session
def change_approve(session: Session, /, change_id: int, version: int | None) -> None:
    """Approve a proposed change (it is applied separately, by `change apply`)."""
    _decide(session, change_id, ChangeStatus.APPROVED, version)


@change.command("reject")
@click.argument("change_id", metavar="ID", type=CHANGE_ID)
@_version_option
@pass_session
def change_reject(session: Session, /, change_id: int, version: int | None) -> None:
    """Reject a proposed change (final)."""
    _decide(session, change_id, ChangeStatus.REJECTED, version)


@change.command("apply")
@click.argument("change_id", metavar="ID", type=CHANGE_ID)
@click.option("--name", metavar="TEXT", help="The new baseline's name (default: ref and title).")
@_version_option
@pass_session
def change_apply(
    session: Session, /, change_id: int, name: str | None, version: int | None
) -> None:
    """Apply an approved change: write the project's new baseline (earlier ones are kept)."""
    store = session.store
    applied, baseline = store.changes.apply(change_id, name=name, expected_version=version)
    project = store.projects.get(applied.project_id)
    click.echo(f"applied {change_line(applied, project, milestone_names(store))}")
    click.echo(f"baseline {baseline.number} '{baseline.name}' of {project.key}: BAC "
               f"{money_text(baseline.bac, project.currency, cents=True)}, "
               f"{plural(len(baseline.milestones), 'milestone')}, "
               f"{plural(len(baseline.tasks), 'task plan')}")  # fmt: skip


@change.command("list")
@click.option("--project", "-p", metavar="KEY", help="Only this project's changes.")
@click.option("--status", type=click.Choice([s.value for s in ChangeStatus]),
              help="Only this status.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def change_list(session: Session, /, project: str | None, status: str | None,
                as_json: bool) -> None:  # fmt: skip
    """Change requests by id."""
    store = session.store
    projects = {p.id: p for p in store.projects.find()}
    project_id = store.projects.by_key(project).id if project else None
    changes = store.changes.find(project_id, ChangeStatus(status) if status else None)
    if as_json:
        echo_json([change_json(c) for c in changes])
        return
    if not changes:
        click.echo("no change requests")
    names = milestone_names(store)
    for c in changes:
        click.echo(change_line(c, projects[c.project_id], names))


@change.command("show")
@click.argument("change_id", metavar="ID", type=CHANGE_ID)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def change_show(session: Session, /, change_id: int, as_json: bool) -> None:
    """One change with its impact, the baseline it wrote and its log."""
    store = session.store
    found = store.changes.get(change_id)
    project = store.projects.get(found.project_id)
    baseline = next((b for b in store.changes.baselines(project.id) if b.change_id == found.id),
                    None)  # fmt: skip
    events = store.audit.find(entity="change", entity_id=found.id, newest_first=False)
    if as_json:
        echo_json(change_json(found) | {
            "baseline": None if baseline is None else baseline_json(baseline),
            "history": [e.model_dump(mode="json") for e in events],
        })  # fmt: skip
        return
    click.echo(f"{found.ref} change of {project.key}: {found.title}")
    rows = [("status", found.status.value), ("requested", found.requested_by or "-"),
            ("impact", impact_text(found, project.currency, milestone_names(store)))]  # fmt: skip
    if found.decided_on:
        rows.append(("decided", f"{found.decided_on} by {found.decided_by}"))
    if found.applied_on:
        rows.append(("applied", str(found.applied_on)))
    if baseline is not None:
        bac = money_text(baseline.bac, project.currency, cents=True)
        rows.append(("baseline", f"{baseline.number} '{baseline.name}', BAC {bac}"))
    for label, value in rows:
        click.echo(f"  {label:<10} {value}")
    if found.reason:
        click.echo("  " + found.reason.replace("\n", "\n  "))
    click.echo("history:")
    for event in events:
        old = "" if event.old is None else f"{event.old} -> "
        click.echo(f"  {event.at:%Y-%m-%d %H:%M}  {event.by:<10}  {event.field}: {old}"
                   f"{event.new or ''}")  # fmt: skip
