"""The morning digest: what needs me today, exceptions first, in about fifteen lines.

``build_digest`` takes facts other modules already computed (Today's groups from
``domain.today``, milestone flags from ``domain.health``, saved stand-ups) and picks what
concerns one person; ``format_digest`` writes it for a login banner or a cron mail and
``Digest.to_json_dict`` gives the same facts, every item, for scripts. Nothing here reads a
clock or the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.health import MilestoneReport
from itpm_tui.domain.rag import Rag, milestone_flag
from itpm_tui.domain.schedule import TrendDirection, milestone_health
from itpm_tui.domain.standup import StandupRecord
from itpm_tui.domain.today import Group, today_list
from itpm_tui.domain.wording import plural
from itpm_tui.models import Milestone, Project, Status, Task

MAX_ITEMS = 3
"""Items shown per section; the rest are counted ("... and 2 more")."""
WIDTH = 80
"""Longest line of the text: a login banner on an 80-column terminal does not wrap."""


@dataclass(frozen=True)
class MilestoneAlert:
    """An open milestone rated amber or red, or whose forecast is slipping."""

    project_key: str
    milestone_id: int
    name: str
    rag: Rag
    baseline: date
    forecast: date
    slip: int
    """Working days after the baseline (counted to today once the forecast has passed)."""
    slipping: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """A saved stand-up's blocker or parking-lot topic that names someone."""

    kind: str
    """``blocker`` or ``parking lot``."""
    by: str
    """Whose blocker it was, or who raised the topic."""
    text: str
    scope: str
    """Which stand-up: ``Team Infra`` or ``Project NET``."""


@dataclass(frozen=True)
class Digest:
    """One person's morning: each section is a tuple, empty when there is nothing to say."""

    login: str
    name: str
    today: date
    open_tasks: int
    """Open tasks assigned to them (snoozed included)."""
    snoozed: int
    """Of those, hidden until a later day (left out of the sections, as on Today)."""
    overdue: tuple[Task, ...]
    due_today: tuple[Task, ...]
    blocked: tuple[Task, ...]
    """Their own blocked tasks not already listed as overdue or due today."""
    waiting_on_them: tuple[Task, ...]
    """Other people's open tasks blocked on or waiting for them."""
    projects: tuple[str, ...]
    """Keys of the projects where they own open tasks (whose milestones are watched)."""
    milestones: tuple[MilestoneAlert, ...]
    standup_day: date
    standup_held: bool
    """Whether any stand-up was saved on ``standup_day``."""
    mentions: tuple[Mention, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Every fact of the digest, every item (the text shows at most ``MAX_ITEMS``)."""
        return {
            "user": self.login,
            "name": self.name,
            "today": self.today.isoformat(),
            "open_tasks": self.open_tasks,
            "snoozed": self.snoozed,
            "overdue": [_task_json(t) for t in self.overdue],
            "due_today": [_task_json(t) for t in self.due_today],
            "blocked": [_task_json(t) for t in self.blocked],
            "waiting_on_you": [_task_json(t) for t in self.waiting_on_them],
            "projects": list(self.projects),
            "milestones_at_risk": [
                {
                    "project": m.project_key,
                    "id": m.milestone_id,
                    "name": m.name,
                    "rag": m.rag.value,
                    "baseline": m.baseline.isoformat(),
                    "forecast": m.forecast.isoformat(),
                    "slip_working_days": m.slip,
                    "slipping": m.slipping,
                    "reasons": list(m.reasons),
                }
                for m in self.milestones
            ],
            "standup": {
                "day": self.standup_day.isoformat(),
                "held": self.standup_held,
                "mentions": [
                    {"kind": m.kind, "by": m.by, "text": m.text, "standup": m.scope}
                    for m in self.mentions
                ],
            },
        }


def _task_json(task: Task) -> dict[str, Any]:
    return {
        "id": task.id, "title": task.title, "project": task.project_key,
        "assignee": task.assignee, "status": task.status.value, "priority": task.priority,
        "due": task.due.isoformat() if task.due else None,
        "blocked_reason": task.blocked_reason, "waiting_on": task.waiting_on,
    }  # fmt: skip


def names(text: str, login: str, name: str = "") -> bool:
    """Whether ``text`` names the person: their login (``pm``, ``@pm``) or full name, as words.

    Case does not matter; a login inside a longer word (``pm`` in ``npm``) does not count.
    """
    for word in (login, name.strip()):
        if word and re.search(rf"(?<![\w.@-])@?{re.escape(word)}(?![\w-])", text, re.IGNORECASE):
            return True
    return False


def milestone_reports(
    project: Project, milestones: Iterable[Milestone], tasks: Sequence[Task], as_of: date
) -> tuple[MilestoneReport, ...]:
    """The project's milestones rated as the Health screen rates them (``project_health``
    without the earned value, which the digest does not show and which costs most).

    ``tasks``: at least the open tasks linked to these milestones.
    """
    cal = WorkCalendar.for_project(project)
    reports = []
    for m in sorted(milestones, key=lambda m: (m.baseline, m.id)):
        health = milestone_health(m, tasks, as_of, project, cal)
        reports.append(MilestoneReport(health, milestone_flag(health, project.thresholds)))
    return tuple(reports)


def build_digest(
    *,
    login: str,
    name: str,
    today: date,
    my_tasks: Iterable[Task],
    waiting_candidates: Iterable[Task],
    milestones: Mapping[str, Sequence[MilestoneReport]],
    standup_day: date,
    standups: Sequence[StandupRecord],
    scope_labels: Mapping[int, str],
) -> Digest:
    """Pick what concerns ``login`` today.

    ``my_tasks``: their open tasks (and personal to-dos nobody owns, as on Today);
    ``waiting_candidates``: open tasks that are blocked or wait on someone; ``milestones``: the
    projects where they own open tasks, by key, with their milestones (``milestone_reports``);
    ``standups``: those saved on ``standup_day``;
    ``scope_labels``: a label per stand-up id. A task is listed once, in its first section:
    overdue, due today, blocked.
    """
    mine = [t for t in my_tasks if t.is_open]
    groups = today_list(mine, login, today)
    overdue = next(ts for g, ts in groups.groups if g is Group.OVERDUE)
    due_today = next(ts for g, ts in groups.groups if g is Group.DUE_TODAY)
    listed = {t.id for t in (*overdue, *due_today)}
    blocked = tuple(
        t for g, ts in groups.groups for t in ts
        if t.status is Status.BLOCKED and t.id not in listed
    )  # fmt: skip
    mine_ids = {t.id for t in mine}
    waiting = tuple(
        sorted(
            (t for t in waiting_candidates
             if t.is_open and t.id not in mine_ids and t.assignee != login
             and (names(t.waiting_on, login, name)
                  or (t.status is Status.BLOCKED and names(t.blocked_reason, login, name)))),
            key=lambda t: (t.priority, t.due or date.max, t.id),
        )
    )  # fmt: skip
    alerts = []
    for key, reports in sorted(milestones.items()):
        for m in reports:
            h = m.health
            slipping = h.trend.direction is TrendDirection.SLIPPING
            if h.is_done or not (slipping or m.flag.rag in (Rag.AMBER, Rag.RED)):
                continue
            alerts.append(
                MilestoneAlert(key, h.milestone_id, h.name, m.flag.rag,
                               h.baseline, h.forecast, h.slip, slipping, m.flag.reasons)
            )  # fmt: skip
    alerts.sort(key=lambda a: (-a.rag.severity, -a.slip, a.project_key, a.milestone_id))
    mentions = []
    for record in standups:
        scope = scope_labels.get(record.session.id, "Stand-up")
        for entry in record.entries:
            if entry.person != login and names(entry.blockers, login, name):
                mentions.append(Mention("blocker", entry.person, entry.blockers, scope))
        for item in record.parking:
            wanted = [w.strip().lower() for w in item.wanted_by.split(",")]
            if not item.resolved and (login.lower() in wanted or names(item.topic, login, name)):
                mentions.append(Mention("parking lot", item.raised_by, item.topic, scope))
    return Digest(
        login=login, name=name, today=today, open_tasks=len(mine), snoozed=groups.snoozed,
        overdue=overdue, due_today=due_today, blocked=blocked, waiting_on_them=waiting,
        projects=tuple(sorted(milestones)), milestones=tuple(alerts),
        standup_day=standup_day, standup_held=bool(standups), mentions=tuple(mentions),
    )  # fmt: skip


def _task_text(task: Task, today: date, *, owner: bool = False) -> str:
    where = f" ({task.project_key})" if task.project_key else ""
    whose = f"{task.assignee or 'nobody'}'s " if owner else ""
    line = f"{task.ref} P{task.priority} {task.status.symbol} {whose}{task.title}{where}"
    if task.due is not None and task.due != today:
        line += f", due {short_date(task.due, today, long=True)}"
    if task.status is Status.BLOCKED and task.blocked_reason:
        line += f": {task.blocked_reason}"
    elif task.waiting_on:
        line += f": waiting on {task.waiting_on}"
    return line


def _milestone_text(alert: MilestoneAlert, today: date) -> str:
    late = f"{alert.slip:+d} wd" if alert.slip else "on baseline"
    trend = ", slipping" if alert.slipping else ""
    return (
        f"{alert.rag.label} {alert.project_key} '{alert.name}': forecast "
        f"{short_date(alert.forecast, today, long=True)} ({late}){trend}"
    )


def _mention_text(mention: Mention) -> str:
    text = " ".join(mention.text.split())
    return f"{mention.scope}, {mention.kind} of {mention.by or '?'}: {text}"


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _section(title: str, items: Sequence[str], more_hint: str) -> list[str]:
    lines = [f"{title} ({len(items)}):"]
    lines += [_fit(f"  {item}") for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(f"  ... and {len(items) - MAX_ITEMS} more: {more_hint}")
    return lines


def format_digest(digest: Digest) -> str:
    """The digest as plain text: sections with something in them first, then one line each
    for the clear ones ("✓ nothing overdue"), so a quiet morning is six short lines."""
    d = digest
    who = f"{d.name} ({d.login})" if d.name and d.name != d.login else d.login
    lines = [f"Digest for {who}, {d.today:%a} {d.today.day} {d.today:%b %Y}"]
    clear: list[str] = []
    standup = f"the stand-up of {short_date(d.standup_day, d.today, long=True)}"
    task_sections = (
        ("Overdue", d.overdue, "nothing overdue"),
        ("Due today", d.due_today, "nothing due today"),
    )
    if d.open_tasks == 0:
        clear.append("no open tasks assigned to you")
    for title, tasks, quiet in task_sections:
        if tasks:
            lines += _section(title, [_task_text(t, d.today) for t in tasks],
                              "itpm-tui list --today")  # fmt: skip
        elif d.open_tasks:
            clear.append(quiet)
    blocked = [_task_text(t, d.today) for t in d.blocked] + [
        _task_text(t, d.today, owner=True) for t in d.waiting_on_them
    ]
    if blocked:
        lines += _section("Blocked or waiting on you", blocked, "itpm-tui list --status blocked")
    else:
        clear.append("nothing blocked on you")
    if d.milestones:
        lines += _section("Milestones at risk", [_milestone_text(m, d.today) for m in d.milestones],
                          "itpm-tui health")  # fmt: skip
    elif d.projects:
        clear.append(f"no milestone at risk in {', '.join(d.projects)}")
    else:
        clear.append("no milestones watched: you own no open project tasks")
    if d.mentions:
        lines += _section(f"Named in {standup}", [_mention_text(m) for m in d.mentions],
                          f"itpm-tui standup export --date {d.standup_day.isoformat()}")  # fmt: skip
    elif d.standup_held:
        clear.append(f"{standup} does not name you")
    else:
        clear.append(f"no stand-up saved on {short_date(d.standup_day, d.today, long=True)}")
    lines += [f"✓ {line}" for line in clear]
    if d.snoozed:
        lines.append(f"({plural(d.snoozed, 'snoozed task')} not shown)")
    return "\n".join(lines) + "\n"
