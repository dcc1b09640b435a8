"""Dependency and schedule commands: ``link add/rm/list`` and ``schedule`` (critical path)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.base import Session, cli, echo_json, pass_session
from itpm_tui.domain.dates import parse_date
from itpm_tui.domain.link_spec import parse_lag, task_id
from itpm_tui.errors import InvalidInput
from itpm_tui.models import LinkType, TaskLink

if TYPE_CHECKING:
    from itpm_tui.domain.network import MilestoneForecast, ScheduleResult, TaskTiming, WhatIf
    from itpm_tui.models import Task


def link_text(link: TaskLink, tasks: dict[int, Task] | None = None) -> str:
    """``#12 -> #15  fs +2`` with titles and projects when known."""
    lag = f" {link.lag:+d} wd" if link.lag else ""
    line = f"#{link.pred_id} -> #{link.succ_id}  {link.kind.value}{lag}"
    if tasks:
        pred, succ = tasks.get(link.pred_id), tasks.get(link.succ_id)
        if pred and succ:
            across = (
                f"  (across projects: {pred.project_key or 'personal'} -> "
                f"{succ.project_key or 'personal'})"
                if pred.project_id != succ.project_id
                else ""
            )
            line += f"  {pred.title} -> {succ.title}{across}"
    return line


def link_json(link: TaskLink) -> dict[str, Any]:
    """A link for ``--json``."""
    return link.model_dump(mode="json")


@cli.group()
def link() -> None:
    """Dependencies between tasks: PRED must finish (or start) before SUCC."""


@link.command("add")
@click.argument("pred")
@click.argument("succ")
@click.option("--type", "kind", type=click.Choice([k.value for k in LinkType]), default="fs",
              show_default=True, help="fs finish-to-start, ss, ff or sf.")  # fmt: skip
@click.option("--lag", default="0", metavar="N", help="Working days of lag (negative: a lead).")
@pass_session
def link_add(session: Session, /, pred: str, succ: str, kind: str, lag: str) -> None:
    """Make SUCC depend on PRED (refused if it would make a cycle)."""
    pred_id, succ_id, days = task_id(pred), task_id(succ), parse_lag(lag)
    made = session.store.links.add(pred_id, succ_id, LinkType(kind), days)
    click.echo(f"linked {link_text(made)}")


@link.command("rm")
@click.argument("pred")
@click.argument("succ")
@pass_session
def link_rm(session: Session, /, pred: str, succ: str) -> None:
    """Remove the link PRED -> SUCC."""
    gone = session.store.links.remove(task_id(pred), task_id(succ))
    click.echo(f"removed {link_text(gone)}")


@link.command("list")
@click.option("--project", "-p", metavar="KEY", help="Only links with a task in this project.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def link_list(session: Session, /, project: str | None, as_json: bool) -> None:
    """Every link, by successor."""
    from itpm_tui.store import TaskFilter

    store = session.store
    links = store.links.find(store.projects.by_key(project).id if project else None)
    if as_json:
        echo_json([link_json(lk) for lk in links])
        return
    if not links:
        click.echo("no links")
        return
    ids = tuple(sorted({i for lk in links for i in (lk.pred_id, lk.succ_id)}))
    tasks = {t.id: t for t in store.tasks.find(TaskFilter(ids=ids))}
    for lk in links:
        click.echo(link_text(lk, tasks))


# --- schedule --------------------------------------------------------------------------------


def _slips(items: tuple[str, ...]) -> dict[int, int]:
    slips: dict[int, int] = {}
    for item in items:
        match = re.fullmatch(r"\s*#?(\d+)\s*=\s*\+?(\d{1,4})\s*(?:wd|d)?\s*", item)
        if not match:
            raise InvalidInput(f"what-if {item!r}: use ID=+N (working days), e.g. 42=+3")
        task_id = int(match.group(1))
        if task_id in slips:
            raise InvalidInput(f"what-if: #{task_id} is given more than once")
        slips[task_id] = int(match.group(2))
    return slips


def _flag(timing: TaskTiming) -> str:
    if timing.critical:
        return "CRIT" if (timing.total_float or 0) == 0 else "LATE"
    return "near" if timing.near_critical else ""


def _timing_json(timing: TaskTiming) -> dict[str, Any]:
    return {
        "task_id": timing.task_id, "duration_wd": timing.duration,
        "early_start": timing.early_start.isoformat(),
        "early_finish": timing.early_finish.isoformat(),
        "late_start": timing.late_start.isoformat(),
        "late_finish": timing.late_finish.isoformat(),
        "total_float": timing.total_float, "free_float": timing.free_float,
        "critical": timing.critical, "near_critical": timing.near_critical,
    }  # fmt: skip


def _milestone_json(m: MilestoneForecast) -> dict[str, Any]:
    return {
        "milestone_id": m.milestone_id, "name": m.name, "baseline": m.baseline.isoformat(),
        "typed_forecast": m.typed_forecast.isoformat(),
        "computed_forecast": m.forecast.isoformat() if m.forecast else None,
        "slack_to_baseline": m.slack, "done": m.done, "upstream_task_ids": list(m.upstream),
        "float_to": {str(k): v for k, v in m.float_to.items()},
    }  # fmt: skip


def _milestone_line(m: MilestoneForecast) -> str:
    if m.done:
        return f"  M{m.milestone_id} {m.name}: reached {m.forecast} (baseline {m.baseline})"
    if m.forecast is None:
        return (
            f"  M{m.milestone_id} {m.name}: no linked tasks, nothing to compute "
            f"(typed forecast {m.typed_forecast}, baseline {m.baseline})"
        )
    slack = m.slack or 0
    against = (
        f"{-slack} wd after its baseline {m.baseline}" if slack < 0
        else f"{slack} wd before its baseline {m.baseline}" if slack > 0
        else f"on its baseline {m.baseline}"
    )  # fmt: skip
    typed = "" if m.forecast == m.typed_forecast else f"; typed forecast {m.typed_forecast}"
    return f"  M{m.milestone_id} {m.name}: computed {m.forecast}, {against}{typed}"


@cli.command()
@click.option("--project", "-p", metavar="KEY", help="Only this project (and tasks linked to it).")
@click.option("--as-of", metavar="DATE", help="Count remaining work from this day (default today).")
@click.option("--what-if", "what_ifs", multiple=True, metavar="ID=+N",
              help="Slip a task N working days and show what moves (nothing is saved).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_session
def schedule(
    session: Session, /, project: str | None, as_of: str | None, what_ifs: tuple[str, ...],
    as_json: bool,
) -> None:  # fmt: skip
    """Critical path: early/late dates, float and the critical flag per open task, and each
    milestone's forecast computed from its network beside the typed one."""
    from itpm_tui.reports import schedule_network

    store = session.store
    day = parse_date(as_of, session.today) if as_of else session.today
    slips = _slips(what_ifs)
    network = schedule_network(store, day, project)
    result = network.schedule()
    what_if = network.what_if(slips) if slips else None
    projects = store.projects.find()
    shown = [p for p in projects if not project or p.key == project.strip().upper()]
    if as_json:
        data = _schedule_json(result, network.tasks, shown, day, what_if)
        reasons = network.late_reasons()
        for block, p in zip(data["projects"], shown, strict=True):
            block["reasons"] = [r.text for r in reasons if r.project_id == p.id]
        echo_json(data)
        return
    reasons = network.late_reasons()
    blocks = [
        "\n".join(
            [
                _project_text(result, network.tasks, p.id, p.key, p.name),
                *(["why milestones move:"] if any(r.project_id == p.id for r in reasons) else []),
                *(f"  {r.text}" for r in reasons if r.project_id == p.id),
            ]
        )
        for p in shown
    ]
    if what_if is not None:
        blocks.append("\n".join(what_if.lines()))
    click.echo("\n\n".join(blocks) if blocks else "no projects yet")


def _open_rows(result: ScheduleResult, tasks: dict[int, Task], project_id: int) -> list[int]:
    return [
        i for i in result.order
        if tasks[i].project_id == project_id and not result.tasks[i].done
    ]  # fmt: skip


def _project_text(
    result: ScheduleResult, tasks: dict[int, Task], project_id: int, key: str, name: str
) -> str:
    rows = _open_rows(result, tasks, project_id)
    finish = result.project_finish.get(project_id)
    critical = sum(1 for i in rows if result.tasks[i].critical)
    lines = [f"{key}  {name}: as of {result.as_of}, finish {finish or '-'}, "
             f"{critical} critical of {len(rows)} open tasks"]  # fmt: skip
    if rows:
        lines.append(f"  {'id':>6}  {'ES':<10}  {'EF':<10}  {'LS':<10}  {'LF':<10}  "
                     f"{'TF':>4}  {'FF':>4}  {'flag':<4}  title")  # fmt: skip
    for i in rows:
        t = result.tasks[i]
        lines.append(
            f"  {'#' + str(i):>6}  {t.early_start}  {t.early_finish}  {t.late_start}  "
            f"{t.late_finish}  {t.total_float:>4}  {t.free_float:>4}  {_flag(t):<4}  "
            f"{tasks[i].title}"
        )
    milestones = [m for m in result.milestones.values() if m.project_id == project_id]
    if milestones:
        lines.append("milestones:")
        lines += [_milestone_line(m) for m in milestones]
    return "\n".join(lines)


def _schedule_json(
    result: ScheduleResult, tasks: dict[int, Task], projects: list[Any], day: date,
    what_if: WhatIf | None,
) -> dict[str, Any]:  # fmt: skip
    data: dict[str, Any] = {"as_of": day.isoformat(), "projects": []}
    for p in projects:
        finish = result.project_finish.get(p.id)
        data["projects"].append({
            "key": p.key, "finish": finish.isoformat() if finish else None,
            "tasks": [_timing_json(result.tasks[i]) for i in _open_rows(result, tasks, p.id)],
            "milestones": [_milestone_json(m) for m in result.milestones.values()
                           if m.project_id == p.id],
        })  # fmt: skip
    if what_if is not None:
        data["what_if"] = {
            "slips": {str(k): v for k, v in what_if.slips.items()},
            "moves": [
                {"what": m.what, "id": m.id, "name": m.name,
                 "before": m.before.isoformat() if m.before else None,
                 "after": m.after.isoformat() if m.after else None,
                 "working_days": m.working_days}
                for m in what_if.moves
            ],
        }  # fmt: skip
    return data
