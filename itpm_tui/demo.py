"""A realistic, deterministic demo dataset: three IT projects, a team of eight, a week of history.

``build_demo(store, today)`` fills an empty database with the same data for the same ``today``
and ``store.user``: the user is the project manager. Everything is dated relative to
``today``; the past (task moves, milestone forecasts, costs, stand-ups, the audit log) is
written with past timestamps, so trends, "what did Bob do yesterday" and earned value have
something real to work on. The shape is summed up in ``DEMO_SHAPE`` and the README.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.errors import InvalidInput
from itpm_tui.models import (
    ChangeRequest,
    ChangeStatus,
    CostEntry,
    ForecastChange,
    Milestone,
    Person,
    Project,
    RiskScaleKind,
    RiskSettings,
    Status,
    Task,
)
from itpm_tui.store import Store
from itpm_tui.store.changes import add_change, apply_change, decide_change
from itpm_tui.store.rows import audit_text, insert_row, validate
from itpm_tui.store.transfer import wipe

SEED = 20261123
"""The random seed: the dataset depends only on ``today`` and the user, never on the run."""

TEAM_INFRA = "Infrastructure"
TEAM_APPS = "Apps"

_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("alice", "Alice Novak", TEAM_INFRA),
    ("bob", "Bob Schmidt", TEAM_INFRA),
    ("chen", "Chen Wei", TEAM_INFRA),
    ("dana", "Dana Okafor", TEAM_INFRA),
    ("erik", "Erik Larsen", TEAM_APPS),
    ("fatima", "Fatima Haddad", TEAM_APPS),
    ("gus", "Gus Romero", TEAM_APPS),
    ("hana", "Hana Sato", TEAM_APPS),
)
"""Demo team members: login, name, team (the user joins as the project manager)."""

_CPI_TARGET = {"NET": Decimal("0.78"), "CLOUD": Decimal("0.90"), "APP": Decimal("1.04")}
"""Actual cost is sized so each project's CPI lands here: red, amber, green."""

_LAG_DAYS = {"NET": 12, "CLOUD": 3, "APP": 0}
"""How many working days each project's real progress trails its plan."""

_ONE_DAY = timedelta(days=1)


# --- the plan of each project ------------------------------------------------------------


@dataclass
class _TaskPlan:
    """A task as planned, before its history is simulated."""

    title: str
    start: date
    finish: date
    hours: float
    assignees: tuple[str, ...]
    milestone: int | None = None
    """Index into the project's milestones."""
    extra_cost: int = 0
    """Hardware, licences or services on top of the labour (weights the planned cost)."""
    priority: int = 3
    notes: str = ""


@dataclass
class _MilestonePlan:
    """A milestone with its forecast moves: (working days before today, slip in working days)."""

    name: str
    baseline: date
    moves: tuple[tuple[int, int], ...] = ()
    actual_slip: int | None = None
    """Set when achieved: working days after the baseline it was reached (0 = on time)."""


@dataclass
class _ProjectPlan:
    """A project's header, milestones and tasks."""

    project: Project
    milestones: list[_MilestonePlan]
    tasks: list[_TaskPlan]
    calendar: WorkCalendar = field(init=False)

    def __post_init__(self) -> None:
        self.calendar = WorkCalendar.for_project(self.project)


def _holidays(today: date, thanksgiving: bool) -> tuple[date, ...]:
    """Christmas, Boxing Day and New Year (plus US Thanksgiving) around ``today``."""
    days: list[date] = []
    for year in (today.year - 1, today.year, today.year + 1):
        days += [date(year, 12, 25), date(year, 12, 26), date(year + 1, 1, 1)]
        if thanksgiving:
            first = date(year, 11, 1)
            days.append(first + timedelta(days=(3 - first.weekday()) % 7 + 21))
    window = (today - timedelta(days=200), today + timedelta(days=200))
    return tuple(sorted(d for d in set(days) if window[0] <= d <= window[1]))


def _wd(cal: WorkCalendar, day: date, count: int) -> date:
    """``count`` working days from ``day`` (``day`` itself moved onto a working day first)."""
    return cal.add_working_days(cal.on_or_after(day), count)


def _net(today: date, people: dict[str, str]) -> _ProjectPlan:
    holidays = _holidays(today, thanksgiving=False)
    cal = WorkCalendar(holidays=frozenset(holidays))
    start = _wd(cal, today, -60)
    finish = _wd(cal, today, 40)
    project = Project(
        key="NET", name="Branch network upgrade", bac=Decimal("180000"), currency="EUR",
        start=start, baseline_finish=finish, holidays=holidays,
    )  # fmt: skip
    pilot = _wd(cal, today, -10)
    milestones = [
        _MilestonePlan("Network design approved", _wd(cal, start, 15),
                       moves=((48, 2),), actual_slip=2),
        _MilestonePlan("Pilot branch cut-over", pilot,
                       moves=((20, 4), (12, 8), (6, 12), (2, 15))),
        _MilestonePlan("All 12 branches migrated", _wd(cal, today, 27),
                       moves=((12, 5), (7, 9), (2, 12))),
        _MilestonePlan("Legacy MPLS decommissioned", finish, moves=((2, 10),)),
    ]  # fmt: skip
    a, b, d = people["alice"], people["bob"], people["dana"]
    tasks = [
        _TaskPlan("Collect requirements from branch managers", start, _wd(cal, start, 4),
                  24, (a,), 0),
        _TaskPlan("High-level network design", _wd(cal, start, 3), _wd(cal, start, 9),
                  40, (a,), 0, priority=2),
        _TaskPlan("Low-level design and IP address plan", _wd(cal, start, 8),
                  _wd(cal, start, 14), 40, (a, d), 0),
        _TaskPlan("Design review with IT security", _wd(cal, start, 13),
                  _wd(cal, start, 15), 8, (a,), 0, priority=2),
        _TaskPlan("Order switches and access points (PO)", _wd(cal, start, 15),
                  _wd(cal, start, 18), 6, (b,), 0, extra_cost=52000, priority=1,
                  notes="48 access switches, 12 core switches, 90 access points."),
        _TaskPlan("Build configuration templates (Ansible)", _wd(cal, start, 16),
                  _wd(cal, start, 26), 48, (d,), 1),
        _TaskPlan("Staging lab: test templates on a spare switch", _wd(cal, start, 25),
                  _wd(cal, start, 30), 16, (d, b), 1),
        _TaskPlan("Monitoring for new devices in Zabbix", _wd(cal, start, 28),
                  _wd(cal, start, 36), 20, (d,), 1),
    ]  # fmt: skip
    sites = ("Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Leipzig",
             "Dresden", "Bremen", "Hanover", "Nuremberg", "Dortmund")  # fmt: skip
    for i, site in enumerate(sites):
        cutover = _wd(cal, pilot, 3 * i)
        ms = 1 if i == 0 else 2
        crew = (a, b) if i % 2 == 0 else (b, d)
        tasks += [
            _TaskPlan(f"Site survey: {site}", _wd(cal, cutover, -16), _wd(cal, cutover, -15),
                      6, crew, ms),
            _TaskPlan(f"Install new switches: {site}", _wd(cal, cutover, -6),
                      _wd(cal, cutover, -3), 16, crew, ms, extra_cost=2500),
            _TaskPlan(f"Cut over WAN link: {site}", cutover, cutover, 8, crew, ms,
                      priority=2, notes="Change window 18:00-22:00; carrier on the bridge."),
            _TaskPlan(f"Post-migration tests: {site}", _wd(cal, cutover, 1),
                      _wd(cal, cutover, 2), 4, crew[::-1], ms),
        ]  # fmt: skip
    tasks += [
        _TaskPlan("Decommission MPLS routers", _wd(cal, finish, -8), _wd(cal, finish, -2),
                  24, (b,), 3),
        _TaskPlan("Cancel MPLS contract with carrier", _wd(cal, finish, -10),
                  _wd(cal, finish, -6), 4, (a,), 3, priority=2),
        _TaskPlan("Update network documentation in NetBox", _wd(cal, finish, -6),
                  _wd(cal, finish, -1), 16, (d,), 3),
        _TaskPlan("Handover to network operations", _wd(cal, finish, -3), finish,
                  8, (a,), 3),
    ]  # fmt: skip
    return _ProjectPlan(project, milestones, tasks)


def _cloud(today: date, people: dict[str, str]) -> _ProjectPlan:
    holidays = _holidays(today, thanksgiving=True)
    cal = WorkCalendar(holidays=frozenset(holidays))
    start = _wd(cal, today, -80)
    finish = _wd(cal, today, 50)
    project = Project(
        key="CLOUD", name="ERP cloud migration", bac=Decimal("420000"), currency="USD",
        start=start, baseline_finish=finish, holidays=holidays,
    )  # fmt: skip
    milestones = [
        _MilestonePlan("Landing zone ready", _wd(cal, start, 22),
                       moves=((64, 2), (60, 4)), actual_slip=4),
        _MilestonePlan("Wave 1 test migration complete", _wd(cal, today, 5),
                       moves=((9, 1), (3, 3))),
        _MilestonePlan("Production cut-over", _wd(cal, today, 36)),
        _MilestonePlan("Hypercare complete", finish),
    ]  # fmt: skip
    b, c, d = people["bob"], people["chen"], people["dana"]
    lz = ("Landing zone design", "Management groups and Azure policies",
          "Hub-and-spoke VNets and peering", "Order ExpressRoute circuit",
          "ExpressRoute connection to the data centre", "Entra ID sync for server admins",
          "Backup vault and policies", "Defender for Cloud baseline",
          "Cost budgets and alerts", "Terraform pipeline for the landing zone",
          "Log Analytics workspace and alerts", "Landing zone security review")  # fmt: skip
    tasks = [
        _TaskPlan(title, _wd(cal, start, 2 * i), _wd(cal, start, 2 * i + 4),
                  [24, 16, 24, 4, 16, 12, 12, 16, 6, 32, 12, 8][i], (c,) if i % 3 else (c, d), 0,
                  extra_cost=18000 if "ExpressRoute circuit" in title else 0,
                  priority=2 if i in (0, 4) else 3)
        for i, title in enumerate(lz)
    ]  # fmt: skip
    apps = ("ERP database", "HR portal", "Payroll batch jobs", "File shares", "Intranet",
            "BI reporting", "Service desk", "CRM connector", "Print services",
            "Licence server")  # fmt: skip
    for i, app in enumerate(apps):
        assess = _wd(cal, start, 22 + 3 * i)
        test = _wd(cal, today, -16 + 3 * i)
        prod = _wd(cal, today, 14 + 2 * i)
        owner = (c, b, d)[i % 3]
        heavy = 2.0 if i == 0 else 1.0
        tasks += [
            _TaskPlan(f"Assess {app}: dependencies and sizing", assess,
                      _wd(cal, assess, 4), 12 * heavy, (owner,), 0),
            _TaskPlan(f"Migrate {app} to test", test, _wd(cal, test, 4), 16 * heavy,
                      (owner,), 1 if i < 5 else 2, extra_cost=3000),
            _TaskPlan(f"Performance test {app}", _wd(cal, test, 5), _wd(cal, test, 8),
                      8 * heavy, (owner,), 1 if i < 5 else 2),
            _TaskPlan(f"Migrate {app} to production", prod, _wd(cal, prod, 1),
                      12 * heavy, (owner,), 2, priority=2 if i == 0 else 3),
        ]  # fmt: skip
    tasks += [
        _TaskPlan("Hypercare rota and escalation paths", _wd(cal, finish, -14),
                  _wd(cal, finish, -10), 8, (d,), 3),
        _TaskPlan("Update disaster recovery runbook", _wd(cal, finish, -10),
                  _wd(cal, finish, -5), 16, (c,), 3),
        _TaskPlan("Decommission on-premises ERP servers", _wd(cal, finish, -5),
                  _wd(cal, finish, -1), 24, (b,), 3),
        _TaskPlan("Cloud cost review after first month", _wd(cal, finish, -2), finish,
                  6, (c,), 3),
    ]  # fmt: skip
    return _ProjectPlan(project, milestones, tasks)


def _app(today: date, people: dict[str, str]) -> _ProjectPlan:
    holidays = _holidays(today, thanksgiving=False)
    cal = WorkCalendar(holidays=frozenset(holidays))
    start = _wd(cal, today, -45)
    finish = _wd(cal, today, 25)
    project = Project(
        key="APP", name="Mobile app release 3.0", bac=Decimal("96000"), currency="EUR",
        start=start, baseline_finish=finish, holidays=holidays,
    )  # fmt: skip
    milestones = [
        _MilestonePlan("Feature freeze", _wd(cal, today, -5), actual_slip=0),
        _MilestonePlan("Public beta", _wd(cal, today, 10)),
        _MilestonePlan("Store release 3.0", finish),
    ]
    e, f, g, h = people["erik"], people["fatima"], people["gus"], people["hana"]
    sprints: Sequence[Sequence[tuple[str, float, tuple[str, ...]]]] = (
        (("Set up CI builds for the 3.0 branch", 12, (g,)),
         ("Design system: new colour tokens", 16, (h,)),
         ("API: v3 endpoints for orders", 24, (e,)),
         ("Crash reporting with Sentry", 8, (g,)),
         ("Spike: login with passkeys", 8, (f,))),
        (("Login with passkeys", 24, (f,)),
         ("Offline mode: local cache", 32, (e,)),
         ("Order history screen", 16, (h,)),
         ("Push notifications (FCM and APNs)", 20, (g,)),
         ("Accessibility audit of checkout", 8, (h,))),
        (("Offline mode: sync conflicts", 24, (e,)),
         ("Dark mode", 16, (h,)),
         ("In-app feedback form", 8, (f,)),
         ("Fix: cart total rounding", 4, (f,)),
         ("Analytics events for the checkout funnel", 12, (g,))),
        (("Localisation: German and French", 16, (f,)),
         ("Performance: cold start under 2 s", 20, (e,)),
         ("Fix: push opt-in on Android 14", 6, (g,)),
         ("Order tracking map", 24, (h,)),
         ("Security review against OWASP MASVS", 12, (g,))),
        (("Regression test plan", 8, (f,)),
         ("Beta build to TestFlight", 4, (g,)),
         ("Beta build to Play Console", 4, (g,)),
         ("Release notes draft", 4, (h,)),
         ("Fix: crash in iPad split view", 8, (e,)),
         ("Store screenshots and listing text", 8, (h,))),
        (("Triage beta feedback", 8, (f,)),
         ("Fix beta bugs, batch 1", 24, (e,)),
         ("Fix beta bugs, batch 2", 24, (e, f)),
         ("Update privacy labels", 4, (h,)),
         ("Final regression run", 16, (f,)),
         ("Submit to App Store review", 2, (g,)),
         ("Submit to Google Play", 2, (g,)),
         ("Go-live mail to customers", 4, (h,)),
         ("Post-release crash monitoring", 8, (g,))),
    )  # fmt: skip
    tasks: list[_TaskPlan] = []
    for number, sprint in enumerate(sprints):
        first = _wd(cal, start, 10 * number)
        for i, (title, hours, who) in enumerate(sprint):
            begin = _wd(cal, first, i % 3)
            end = min(_wd(cal, begin, 4 + i % 3), finish)
            ms = 0 if number < 4 else 1 if number == 4 else 2
            tasks.append(_TaskPlan(title, begin, end, hours, who, ms,
                                   priority=2 if title.startswith("Fix") else 3))  # fmt: skip
    return _ProjectPlan(project, milestones, tasks)


# --- simulating the past -----------------------------------------------------------------


@dataclass
class _Event:
    """One audit row to write."""

    at: datetime
    who: str
    entity: str
    entity_id: int
    field: str
    old: object
    new: object
    version: int | None

    def row(self) -> tuple[object, ...]:
        return (
            self.at.isoformat(timespec="seconds"), self.who, self.entity, self.entity_id,
            self.field, audit_text(self.old), audit_text(self.new), self.version,
        )  # fmt: skip


class _History:
    """Builds audit events for one record, keeping its version and last change in step."""

    def __init__(self, log: list[_Event], entity: str, entity_id: int) -> None:
        self.log = log
        self.entity = entity
        self.entity_id = entity_id
        self.version = 0
        self.last_at: datetime | None = None
        self.last_by = ""

    def change(self, at: datetime, who: str, changes: Iterable[tuple[str, object, object]]) -> None:
        """Record one save: every field in it shares the time, person and new version."""
        if self.last_at is not None and at <= self.last_at:
            at = self.last_at + timedelta(minutes=7)
        self.version += 1
        for name, old, new in changes:
            self.log.append(_Event(at, who, self.entity, self.entity_id, name, old, new,
                                   self.version))  # fmt: skip
        self.last_at, self.last_by = at, who


class _Builder:
    """Carries the shared state of one demo build: randomness, time zone, ids, calendars."""

    def __init__(self, store: Store, today: date) -> None:
        self.today = today
        self.user = store.user
        self.rng = random.Random(SEED)
        self.tz: tzinfo | None = store.clock.now().tzinfo
        self.log: list[_Event] = []
        self.cal = WorkCalendar()
        self.yesterday = self.cal.add_working_days(today, -1)
        """The last working day before today: every event happens on or before it."""
        self.busy_yesterday: set[str] = set()
        """Who already has a change logged yesterday (so everyone has something to report)."""

    def at(self, day: date, cal: WorkCalendar | None = None, earliest: int = 8) -> datetime:
        """A plausible time of day on the working day on or before ``day`` (never today)."""
        cal = cal or self.cal
        day = min(day, self.yesterday)
        while not cal.is_working_day(day):
            day -= _ONE_DAY
        minutes = self.rng.randrange(earliest * 60 + 15, 17 * 60 + 45)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _planned_costs(plans: Sequence[_TaskPlan], bac: Decimal) -> list[Decimal]:
    """Spread the budget over tasks by effort (EUR 95 an hour) plus materials; sums to BAC."""
    weights = [Decimal(str(p.hours)) * 95 + p.extra_cost for p in plans]
    total = sum(weights, Decimal(0))
    costs = [(w * bac / total).quantize(Decimal("10")) for w in weights]
    costs[-1] += bac - sum(costs, Decimal(0))
    return [c.quantize(Decimal("0.01")) for c in costs]


_BLOCK_REASONS = {
    "NET": (
        ("Carrier has not delivered the new WAN circuit", "Carrier (order 7731)"),
        ("Firewall change CHG-4471 waits for CAB approval", "Change advisory board"),
        ("Branch closed for stock-taking; no access until next week", ""),
    ),
    "CLOUD": (
        ("ExpressRoute quota increase pending with Microsoft", "Microsoft support"),
        ("ERP vendor must certify the new database version", "ERP vendor"),
    ),
    "APP": (("Waiting for final German copy from marketing", "Marketing"),),
}


def _simulate_project(
    b: _Builder, plan: _ProjectPlan, project_id: int, first_task_id: int, first_milestone_id: int
) -> list[Task]:
    """The project's tasks as they stand today, with their audit history."""
    cal, today, rng, key = plan.calendar, b.today, b.rng, plan.project.key
    lag_today = cal.add_working_days(today, -_LAG_DAYS[key])
    created = datetime.combine(cal.add_working_days(plan.project.start or today, -3),
                               time(10, 30), tzinfo=b.tz)  # fmt: skip
    costs = _planned_costs(plan.tasks, plan.project.bac)

    # Which open tasks are blocked or stale: drawn from those that have started.
    started = [i for i, p in enumerate(plan.tasks) if p.start <= today and p.finish > lag_today]
    blocked = dict(zip(rng.sample(started, len(_BLOCK_REASONS[key])), _BLOCK_REASONS[key],
                       strict=True))  # fmt: skip
    long_running = [i for i in started
                    if i not in blocked and plan.tasks[i].start <= cal.add_working_days(today, -8)]  # fmt: skip
    stale = set(rng.sample(long_running, min(2, len(long_running))))

    tasks: list[Task] = []
    for offset, (p, cost) in enumerate(zip(plan.tasks, costs, strict=True)):
        task_id = first_task_id + offset
        h = _History(b.log, "task", task_id)
        assignee = p.assignees[offset % len(p.assignees)]
        late_by = rng.choice((0, 0, 0, 1, 2))
        if p.finish <= cal.add_working_days(lag_today, -late_by) and offset not in blocked:
            status = Status.DONE
        elif offset in blocked:
            status = Status.BLOCKED
        elif offset in stale or p.start <= lag_today or (p.start <= today and rng.random() < 0.6):
            status = rng.choice((Status.DOING, Status.DOING, Status.REVIEW))
        else:
            status = Status.TODO
        if offset in stale:
            status = Status.DOING
        when = created + timedelta(minutes=offset)
        h.change(when, b.user, [("created", None, p.title)])
        fields: dict[str, Any] = {
            "id": task_id, "project_id": project_id, "title": p.title, "notes": p.notes,
            "assignee": assignee, "priority": p.priority, "due": p.finish,
            "planned_start": p.start, "planned_finish": p.finish,
            "estimate_hours": p.hours, "remaining_hours": p.hours, "planned_cost": cost,
            "status": Status.TODO, "created_at": when, "version": 1,
            "milestone_id": None if p.milestone is None else first_milestone_id + p.milestone,
        }  # fmt: skip
        if status is not Status.TODO:
            begin = (
                p.start if offset not in stale else min(p.start, cal.add_working_days(today, -9))
            )
            h.change(b.at(begin, cal), assignee, [("status", "todo", "doing")])
            fields["status"] = Status.DOING
        if status is Status.DONE:
            finished = max(cal.add_working_days(p.finish, _LAG_DAYS[key] + late_by), p.start)
            if rng.random() < 0.4:
                h.change(b.at(finished, cal), assignee, [("status", "doing", "review")])
                h.change(b.at(finished, cal, earliest=13), b.user if rng.random() < 0.3
                         else assignee, [("status", "review", "done")])  # fmt: skip
            else:
                h.change(b.at(finished, cal), assignee, [("status", "doing", "done")])
            assert h.last_at
            h.log.append(_Event(h.last_at, h.last_by, "task", task_id, "remaining_hours",
                                p.hours, 0.0, h.version))  # fmt: skip
            h.log.append(_Event(h.last_at, h.last_by, "task", task_id, "done_at", None,
                                h.last_at, h.version))  # fmt: skip
            fields |= {"status": Status.DONE, "remaining_hours": 0.0, "done_at": h.last_at}
        elif status is not Status.TODO:
            elapsed = cal.count(p.start, today) / max(1, cal.count(p.start, p.finish) + 1)
            done_share = min(0.9, max(0.1, elapsed * rng.uniform(0.5, 0.9)))
            remaining = round(p.hours * (1 - done_share) * 2) / 2
            if offset not in stale:
                day = cal.add_working_days(today, -rng.randint(1, 3))
                if assignee not in b.busy_yesterday:
                    day = b.yesterday
                    b.busy_yesterday.add(assignee)
                h.change(b.at(day, cal), assignee, [("remaining_hours", p.hours, remaining)])
            else:
                begin_day = h.last_at.date() if h.last_at else p.start
                h.change(b.at(cal.add_working_days(begin_day, 1), cal), assignee,
                         [("remaining_hours", p.hours, remaining)])  # fmt: skip
            fields["remaining_hours"] = remaining
            if status is Status.REVIEW:
                h.change(b.at(b.yesterday if rng.random() < 0.5 else p.finish, cal), assignee,
                         [("status", "doing", "review")])  # fmt: skip
                fields["status"] = Status.REVIEW
            if status is Status.BLOCKED:
                reason, waiting = blocked[offset]
                since = b.at(cal.add_working_days(today, -rng.randint(1, 6)), cal)
                since = max(since, (h.last_at or since) + timedelta(minutes=20))
                changes: list[tuple[str, object, object]] = [
                    ("status", "doing", "blocked"),
                    ("blocked_reason", "", reason),
                    ("blocked_since", None, since),
                ]
                if waiting:
                    changes.append(("waiting_on", "", waiting))
                h.change(since, assignee, changes)
                fields |= {"status": Status.BLOCKED, "blocked_reason": reason,
                           "blocked_since": h.last_at, "waiting_on": waiting}  # fmt: skip
        fields |= {"updated_at": h.last_at, "updated_by": h.last_by, "version": h.version}
        tasks.append(validate(Task, fields))
    return tasks


def _simulate_milestones(
    b: _Builder, plan: _ProjectPlan, project_id: int, first_id: int
) -> list[Milestone]:
    """Milestones with their forecast history and audit rows (moves on past dates)."""
    cal, today = plan.calendar, b.today
    start = plan.project.start or today
    created = datetime.combine(cal.add_working_days(start, -3), time(11, 0), tzinfo=b.tz)
    result = []
    for offset, m in enumerate(plan.milestones):
        milestone_id = first_id + offset
        h = _History(b.log, "milestone", milestone_id)
        h.change(created + timedelta(minutes=offset), b.user, [("created", None, m.name)])
        history = [ForecastChange(recorded_on=created.date(), forecast=m.baseline)]
        forecast = m.baseline
        for ago, slip in m.moves:
            day = cal.add_working_days(today, -ago)
            new = cal.add_working_days(m.baseline, slip)
            h.change(b.at(day, cal), b.user, [("forecast", forecast, new)])
            assert h.last_at
            history.append(ForecastChange(recorded_on=h.last_at.date(), forecast=new))
            forecast = new
        actual = None
        if m.actual_slip is not None:
            actual = cal.add_working_days(m.baseline, m.actual_slip)
            h.change(b.at(actual, cal, earliest=14), b.user, [("actual", None, actual)])
        result.append(validate(Milestone, {
            "id": milestone_id, "project_id": project_id, "name": m.name,
            "baseline": m.baseline, "forecast": forecast, "actual": actual,
            "history": history, "version": h.version,
        }))  # fmt: skip
    return result


def _manager_tasks(b: _Builder, project_ids: dict[str, int], first_id: int) -> list[Task]:
    """The project manager's own list: overdue, due today, in progress, waiting, next up."""
    today, cal, me = b.today, b.cal, b.user
    wd = cal.add_working_days
    plans: list[tuple[str | None, str, dict[str, Any], str]] = [
        ("NET", "Send steering committee status report",  # weekly, so the demo shows ↻
         {"due": wd(today, -2), "priority": 1,
          "repeat": f"weekly on {wd(today, -2):%a}".lower()}, "todo"),
        ("NET", "Approve vendor invoice for access switches",
         {"due": wd(today, -1), "priority": 2}, "todo"),
        ("CLOUD", "Prepare change advisory board pack for wave 1",
         {"due": today, "priority": 1, "estimate_hours": 3.0, "remaining_hours": 3.0}, "doing"),
        (None, "Book a room for the sprint retrospective", {"due": today, "priority": 4}, "todo"),
        ("NET", "Re-baseline the branch roll-out schedule",
         {"due": wd(today, 3), "priority": 1, "estimate_hours": 6.0, "remaining_hours": 4.0},
         "doing"),
        ("CLOUD", "Update the risk register", {"due": wd(today, 2), "priority": 2}, "doing"),
        ("CLOUD", "Sign off disaster recovery test plan",
         {"due": wd(today, 4), "priority": 2,
          "blocked_reason": "IT security has not reviewed the plan yet",
          "waiting_on": "IT security"}, "blocked"),
        ("APP", "Purchase order for TestFlight device licences",
         {"due": wd(today, 6), "waiting_on": "Procurement"}, "doing"),
        ("APP", "Plan sprint 6 with the app team", {"due": wd(today, 3)}, "todo"),
        ("CLOUD", "Review the monthly cloud cost report", {"due": wd(today, 5)}, "todo"),
        (None, "1:1 with Chen about the on-call rota", {"due": wd(today, 2)}, "todo"),
        (None, "Expense claim for the Munich site visit", {"priority": 4}, "todo"),
        (None, "Read the new procurement policy", {"priority": 4,
                                                   "snoozed_until": wd(today, 5)}, "todo"),
    ]  # fmt: skip
    tasks = []
    for offset, (key, title, extra, status) in enumerate(plans):
        task_id = first_id + offset
        h = _History(b.log, "task", task_id)
        made = b.at(wd(today, -6 + offset % 5))
        h.change(made, me, [("created", None, title)])
        fields: dict[str, Any] = {
            "id": task_id,
            "project_id": project_ids.get(key) if key else None,
            "title": title,
            "assignee": me,
            "created_at": made,
            "version": 1,
        } | extra
        fields.pop("blocked_reason", None)
        fields.pop("waiting_on", None)
        if status != "todo":
            h.change(b.at(wd(today, -3 + offset % 3)), me, [("status", "todo", "doing")])
            fields["status"] = Status.DOING
        if status == "blocked":
            reason = extra["blocked_reason"]
            h.change(b.at(b.yesterday), me, [
                ("status", "doing", "blocked"), ("blocked_reason", "", reason),
                ("blocked_since", None, b.at(b.yesterday)), ("waiting_on", "", extra["waiting_on"]),
            ])  # fmt: skip
            fields |= {"status": Status.BLOCKED, "blocked_reason": reason,
                       "blocked_since": h.last_at, "waiting_on": extra["waiting_on"]}  # fmt: skip
        elif "waiting_on" in extra:
            h.change(b.at(b.yesterday), me, [("waiting_on", "", extra["waiting_on"])])
            fields["waiting_on"] = extra["waiting_on"]
        if "snoozed_until" in extra:
            h.change(b.at(b.yesterday), me, [("snoozed_until", None, extra["snoozed_until"])])
        fields |= {"updated_at": h.last_at, "updated_by": me, "version": h.version}
        tasks.append(validate(Task, fields))
    return tasks


def _earned_value(tasks: Iterable[Task]) -> Decimal:
    return sum(
        (t.planned_cost * Decimal(str(t.progress)) / 100 for t in tasks if t.planned_cost),
        Decimal(0),
    )


def _cost_entries(
    b: _Builder, plan: _ProjectPlan, project_id: int, tasks: Sequence[Task], first_id: int
) -> list[CostEntry]:
    """Weekly labour and services plus one-off purchases, sized to the project's target CPI."""
    cal, key, rng = plan.calendar, plan.project.key, b.rng
    target = _money(_earned_value(tasks) / _CPI_TARGET[key])
    start = plan.project.start or b.today
    weeks = []
    day = cal.on_or_after(start + timedelta(days=4 - start.weekday()))
    while day < b.today:
        weeks.append(day)
        day = cal.on_or_after(day + timedelta(days=7 - day.weekday() + 4))
    one_offs: list[tuple[date, Decimal, str, str]] = []
    if key == "NET":
        one_offs.append((cal.add_working_days(start, 20), Decimal("61850.00"), "hardware",
                         "Switches and access points, PO 4500123"))  # fmt: skip
    if key == "CLOUD":
        one_offs.append((cal.add_working_days(start, 9), Decimal("21400.00"), "services",
                         "ExpressRoute circuit set-up"))  # fmt: skip
    if key == "APP":
        one_offs.append((cal.add_working_days(start, 2), Decimal("1290.00"), "licences",
                         "Sentry and TestFlight device plan, 12 months"))  # fmt: skip
    rest = target - sum((o[1] for o in one_offs), Decimal(0))
    ramp = [Decimal(1 + min(i, 4)) / 5 * Decimal(str(rng.uniform(0.85, 1.15)))
            for i in range(len(weeks))]  # fmt: skip
    total_ramp = sum(ramp, Decimal(0))
    weekly = [_money(rest * r / total_ramp) for r in ramp]
    weekly[-1] += rest - sum(weekly, Decimal(0))
    rows = [(d, amount, cat, note) for d, amount, cat, note in one_offs]
    categories = {"NET": ("labour", "contractors"), "CLOUD": ("labour", "cloud consumption"),
                  "APP": ("labour", "contractors")}[key]  # fmt: skip
    for week, amount in zip(weeks, weekly, strict=True):
        main = _money(amount * Decimal("0.7"))
        rows.append((week, main, categories[0], f"Team time, week {week.isocalendar().week}"))
        rows.append((week, amount - main, categories[1],
                     f"{categories[1].capitalize()}, week {week.isocalendar().week}"))  # fmt: skip
    rows.sort(key=lambda r: r[0])
    entries = []
    for offset, (spent_on, amount, category, note) in enumerate(rows):
        entry_id = first_id + offset
        h = _History(b.log, "cost", entry_id)
        h.change(b.at(spent_on, cal, earliest=15), b.user, [("amount", None, amount)])
        for event in b.log[-1:]:
            event.version = None
        entries.append(CostEntry(id=entry_id, project_id=project_id, spent_on=spent_on,
                                 amount=amount, category=category, note=note,
                                 created_by=b.user))  # fmt: skip
    return entries


# --- stand-ups ---------------------------------------------------------------------------


_PARKING: tuple[tuple[int, str, str, str, bool], ...] = (
    (0, "Freeze window for branch cut-overs in December?", "alice", "alice,bob,{me}", False),
    (2, "Escalate the ExpressRoute quota to our Microsoft account team", "chen", "chen,{me}",
     False),
    (3, "Beta tester list from marketing", "fatima", "fatima,hana", True),
    (6, "On-call rota during hypercare", "dana", "dana,chen,{me}", False),
)  # fmt: skip
"""Topics parked last week: stand-up index, topic, raised by, wanted by ({me}: the PM), done."""


def _standups(
    b: _Builder, people: Sequence[Person], tasks: Sequence[Task]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Last week's stand-ups per team, drafted from the audit log, plus a parking lot."""
    titles = {t.id: t.title for t in tasks}
    # What each person did each day, per task: the last status move, else "worked on".
    did: dict[tuple[str, date], dict[int, str]] = {}
    for event in b.log:
        if event.entity != "task" or event.who == b.user:
            continue
        if event.field == "status" or event.field == "remaining_hours":
            day_log = did.setdefault((event.who, event.at.date()), {})
            if event.field == "status":
                day_log[event.entity_id] = str(event.new)
            else:
                day_log.setdefault(event.entity_id, "worked")
    past = {"doing": "started", "review": "sent to review", "done": "finished",
            "blocked": "got blocked on", "worked": "worked on"}  # fmt: skip
    plan = {"doing": "start", "review": "finish and send to review", "done": "finish",
            "blocked": "push on with", "worked": "continue"}  # fmt: skip
    days = [b.cal.add_working_days(b.today, -n) for n in range(5, 0, -1)]
    absent = {(days[2], "bob"), (days[4], "hana")}
    sessions: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for day in days:
        for team in (TEAM_INFRA, TEAM_APPS):
            members = [p for p in people if p.team == team]
            standup_id = len(sessions) + 1
            started = datetime.combine(
                day, time(9, 30) if team == TEAM_INFRA else time(9, 45), tzinfo=b.tz
            )
            clock = started
            for position, person in enumerate(members):
                here = (day, person.login.split(".")[0]) not in absent
                before = did.get((person.login, b.cal.add_working_days(day, -1)), {})
                ahead = did.get((person.login, day), {})
                blockers = [t for t in tasks if t.assignee == person.login
                            and t.status is Status.BLOCKED and t.blocked_since
                            and t.blocked_since.date() <= day]  # fmt: skip
                spoken = b.rng.randint(55, 150) if here else 0
                entries.append({
                    "standup_id": standup_id, "held_on": day, "person": person.login,
                    "yesterday": "; ".join(f"{past[v]} #{i} {titles[i]}" for i, v in before.items())
                    or "Support tickets and meetings" if here else "",
                    "today": "; ".join(f"{plan[v]} #{i} {titles[i]}" for i, v in ahead.items())
                    or "Support tickets; pick up the next task" if here else "",
                    "blockers": "; ".join(f"#{t.id} {t.blocked_reason}" for t in blockers)
                    if here else "",
                    "present": here, "seconds_spoken": spoken, "position": position,
                })  # fmt: skip
                clock += timedelta(seconds=spoken + 10)
            sessions.append({
                "id": standup_id, "held_on": day, "project_id": None, "team": team,
                "facilitator": b.user, "order_mode": "fixed", "timebox_seconds": 120,
                "meeting_seconds": 900, "started_at": started, "ended_at": clock,
            })  # fmt: skip
            present = sum(1 for e in entries[-len(members) :] if e["present"])
            parked = sum(1 for index, *_ in _PARKING if index == standup_id - 1)
            summary = f"{team}: {present} of {len(members)} present, {parked} parked"
            b.log.append(_Event(clock, b.user, "standup", standup_id, "held", None, summary, None))
    login = {p.login.split(".")[0]: p.login for p in people}
    # One remote colleague posted today's update the evening before.
    note_id = len(entries) + 1
    note: dict[str, Any] = {
        "id": note_id, "standup_id": None, "held_on": b.today, "person": login["hana"],
        "yesterday": "Store screenshots for iPad; release notes draft shared",
        "today": "Dentist in the morning; then the Store listing text",
        "blockers": "", "present": True, "seconds_spoken": 0, "position": 0,
    }  # fmt: skip
    entries.append(note)
    posted = b.at(b.yesterday, earliest=17)
    for name in ("yesterday", "today"):
        b.log.append(_Event(posted, login["hana"], "standup_note", note_id, name, None,
                            note[name], None))  # fmt: skip
    lots = [
        {"standup_id": index + 1, "topic": topic, "raised_by": login[raised],
         "wanted_by": ",".join(b.user if w == "{me}" else login[w] for w in wanted.split(",")),
         "resolved": resolved}
        for index, topic, raised, wanted, resolved in _PARKING
    ]  # fmt: skip
    return sessions, entries, lots


# --- putting it together -----------------------------------------------------------------


def demo_people(user: str) -> list[Person]:
    """The demo team plus the user as project manager (a clashing login gets an initial)."""
    people = [Person(login=user, name="Pat Morgan" if user == "pm" else user, team="PMO")]
    for login, name, team in _MEMBERS:
        if login == user:
            login = f"{login}.{name.split()[1][0].lower()}"
        people.append(Person(login=login, name=name, team=team))
    return people


def build_demo(store: Store, today: date, *, replace: bool = False) -> None:
    """Fill an empty database with the demo dataset in one transaction (a few hundredths of a
    second); ``replace`` first deletes all data, audit log included, in that same transaction.
    """
    b = _Builder(store, today)
    people = demo_people(store.user)
    logins = {p.login.split(".")[0]: p.login for p in people[1:]}
    plans = [_net(today, logins), _cloud(today, logins), _app(today, logins)]
    project_ids = {p.project.key: n for n, p in enumerate(plans, start=1)}

    start_of_time = min(p.project.start or today for p in plans)
    for index, person in enumerate(people):
        h = _History(b.log, "person", 0)
        h.change(datetime.combine(b.cal.add_working_days(start_of_time, -5), time(9, index),
                                  tzinfo=b.tz), store.user,
                 [(f"{person.login}.created", None, person.login)])  # fmt: skip
        for event in b.log[-1:]:
            event.version = None
    projects: list[Project] = []
    milestones: list[Milestone] = []
    tasks: list[Task] = []
    costs: list[CostEntry] = []
    for plan in plans:
        project_id = project_ids[plan.project.key]
        h = _History(b.log, "project", project_id)
        h.change(datetime.combine(plan.calendar.add_working_days(plan.project.start or today, -5),
                                  time(14, 0), tzinfo=b.tz), store.user,
                 [("created", None, plan.project.key)])  # fmt: skip
        projects.append(plan.project.model_copy(update={"id": project_id}))
        project_milestones = _simulate_milestones(b, plan, project_id, len(milestones) + 1)
        milestones += project_milestones
        project_tasks = _simulate_project(
            b, plan, project_id, len(tasks) + 1, project_milestones[0].id
        )
        tasks += project_tasks
        costs += _cost_entries(b, plan, project_id, project_tasks, len(costs) + 1)
    tasks += _manager_tasks(b, project_ids, len(tasks) + 1)
    raid_items, raid_links = _raid_register(b, logins, projects, milestones, tasks)
    projects = [p.model_copy(update={"risk_settings": _RISK_SETTINGS[p.key]}) for p in projects]
    sessions, entries, lots = _standups(b, people, tasks)
    b.log.sort(key=lambda e: (e.at, e.entity, e.entity_id, e.version or 0))

    with store.db.write() as conn:
        if replace:
            wipe(conn)
        else:
            _refuse_if_not_empty(conn)
        _insert(conn, "people", [p.model_dump() for p in people])
        _insert(conn, "projects", [p.model_dump() for p in projects])
        _insert(conn, "milestones", [m.model_dump(exclude={"history"}) for m in milestones])
        _insert(conn, "milestone_forecasts", [
            {"milestone_id": m.id, "recorded_on": h.recorded_on, "forecast": h.forecast}
            for m in milestones for h in m.history
        ])  # fmt: skip
        _insert(conn, "tasks", [t.model_dump(exclude={"project_key"}) for t in tasks])
        _insert(conn, "task_links", _links(tasks))
        _insert(conn, "cost_entries", [c.model_dump() for c in costs])
        _insert(conn, "raid_items", raid_items)
        _insert(conn, "raid_links", raid_links)
        _insert(conn, "standups", sessions)
        _insert(conn, "standup_entries", entries)
        _insert(conn, "parking_lot", lots)
        # The change requests are written by the store's own functions at their past
        # moments, between the audit rows before and after them, so the log stays in order.
        rest = [e.row() for e in b.log]
        for at, step in _change_requests(b, milestones):
            stamp = at.isoformat(timespec="seconds")
            before = [r for r in rest if str(r[0]) <= stamp]
            rest = rest[len(before) :]
            _insert_audit(conn, before)
            step(conn, stamp)
        _insert_audit(conn, rest)


def _insert_audit(conn: sqlite3.Connection, rows: Sequence[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO audit (at, who, entity, entity_id, field, old, new, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


_Step = tuple[datetime, Callable[[sqlite3.Connection, str], object]]


def _change_requests(b: _Builder, milestones: Sequence[Milestone]) -> list[_Step]:
    """NET's applied change (the carrier delay moves decommissioning 5 wd, re-baselined six
    working days ago) and CLOUD's proposed one; at fixed times, so the random stream and
    everything built from it stay the same."""
    by_name = {m.name: m for m in milestones}
    wd, me = b.cal.add_working_days, b.user
    net = by_name["Legacy MPLS decommissioned"]
    cloud = by_name["Production cut-over"]
    carrier = ChangeRequest(
        project_id=net.project_id, title="Keep MPLS 5 days longer for the carrier delay",
        reason="The carrier moved the last WAN circuits; the steering committee agreed to run "
               "MPLS in parallel a week longer instead of cutting over without a backup.",
        requested_by=me, milestone_deltas={net.id: 5},
    )  # fmt: skip
    reporting = ChangeRequest(
        project_id=cloud.project_id, title="Add the reporting database to the cut-over",
        reason="Finance wants month-end reports from the cloud from day one.",
        requested_by=me, cost_delta=Decimal("8000"), milestone_deltas={cloud.id: 2},
    )  # fmt: skip

    def at(days: int, hour: int) -> datetime:
        return datetime.combine(wd(b.today, days), time(hour, 40), tzinfo=b.tz)

    def day(stamp: str) -> date:
        return date.fromisoformat(stamp[:10])

    return [
        (at(-9, 17), lambda conn, t: add_change(conn, carrier, who=me, at=t)),
        (
            at(-7, 17),
            lambda conn, t: decide_change(
                conn, 1, ChangeStatus.APPROVED, who=me, at=t, today=day(t)
            ),
        ),
        (at(-6, 17), lambda conn, t: apply_change(conn, 1, who=me, at=t, today=day(t))),
        (at(-2, 17), lambda conn, t: add_change(conn, reporting, who=me, at=t)),
    ]


_RISK_SETTINGS = {
    "NET": RiskSettings(contingency=Decimal("20000")),
    "CLOUD": RiskSettings(contingency=Decimal("50000")),
    "APP": RiskSettings(kind=RiskScaleKind.PMBOK, contingency=Decimal("10000")),
}
"""NET's reserve is short of its exposure (a reason of its rating); APP rates on PMBOK's matrix."""


def _raid_register(
    b: _Builder, logins: dict[str, str], projects: Sequence[Project],
    milestones: Sequence[Milestone], tasks: Sequence[Task],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """A realistic RAID log per project, with its audit rows (one risk re-rated on the way)."""
    keys = {p.id: p.key for p in projects}
    ids = {keys[p]: p for p in keys}
    open_milestones = {key: [m for m in milestones if keys[m.project_id] == key
                             and m.actual is None] for key in ids}  # fmt: skip

    def first_task(key: str, prefix: str) -> tuple[int, ...]:
        found = [t.id for t in tasks if t.project_id == ids[key] and t.is_open
                 and t.title.startswith(prefix)]  # fmt: skip
        return tuple(found[:1])

    def gate(key: str, index: int) -> tuple[int, ...]:
        gates = open_milestones[key]
        return (gates[min(index, len(gates) - 1)].id,) if gates else ()

    today = b.today
    pm = b.user
    D = Decimal
    register: list[dict[str, Any]] = [
        {
            "key": "NET",
            "kind": "risk",
            "title": "Carrier delays WAN circuits for the last branches",
            "owner": logins["bob"],
            "raised": -15,
            "review": 3,
            "probability": D(3),
            "impact": D(4),
            "rerate": (-4, D(4)),
            "cost_impact": D("40000"),
            "schedule_impact": 10,
            "response": "mitigate",
            "mitigation": "Order 4G backup routers for the last three "
            "sites; weekly escalation call with the carrier",
            "mitigation_due": 5,
            "tasks": first_task("NET", "Cut over WAN link: "),
            "milestones": gate("NET", 1),
        },
        {
            "key": "NET",
            "kind": "risk",
            "title": "Switch firmware bug found only in production",
            "owner": logins["alice"],
            "raised": -20,
            "review": 8,
            "probability": D(2),
            "impact": D(3),
            "cost_impact": D("5000"),
            "schedule_impact": 2,
            "response": "accept",
            "tasks": first_task("NET", "Staging lab"),
            "milestones": (),
        },
        {
            "key": "NET",
            "kind": "assumption",
            "title": "Branch managers give the crew access on Saturdays",
            "owner": pm,
            "raised": -30,
            "review": 4,
        },
        {
            "key": "NET",
            "kind": "decision",
            "status": "made",
            "title": "Keep the MPLS contract until the last branch is cut over",
            "owner": pm,
            "raised": -12,
        },
        {
            "key": "CLOUD",
            "kind": "risk",
            "title": "Data migration: ERP history fails the finance reconciliation",
            "owner": logins["erik"],
            "raised": -25,
            "review": 2,
            "probability": D(3),
            "impact": D(5),
            "cost_impact": D("60000"),
            "schedule_impact": 8,
            "response": "mitigate",
            "mitigation": "Trial migration of a full year with the "
            "reconciliation report signed off by finance",
            "mitigation_due": 6,
            "tasks": first_task("CLOUD", "Migrate "),
            "milestones": gate("CLOUD", 0),
        },
        {
            "key": "CLOUD",
            "kind": "issue",
            "title": "ExpressRoute circuit arrived 4 days late",
            "owner": logins["fatima"],
            "raised": -18,
            "status": "closed",
        },
        {
            "key": "CLOUD",
            "kind": "decision",
            "status": "proposed",
            "title": "Cut over production during the quarter-end freeze window",
            "owner": pm,
            "raised": -3,
            "review": 5,
        },
        {
            "key": "APP",
            "kind": "risk",
            "title": "App store review rejects the 3.0 build",
            "owner": logins["gus"],
            "raised": -10,
            "review": 4,
            "probability": D("0.3"),
            "impact": D("0.4"),
            "cost_impact": D("8000"),
            "schedule_impact": 5,
            "response": "mitigate",
            "mitigation": "Submit the beta build for review two weeks "
            "early; check the new privacy labels",
            "mitigation_due": 7,
            "milestones": gate("APP", 0),
        },
        {
            "key": "APP",
            "kind": "decision",
            "status": "made",
            "title": "Drop the tablet layouts from 3.0",
            "owner": pm,
            "raised": -8,
        },
    ]
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for item_id, spec in enumerate(register, start=1):
        raised_on = b.cal.add_working_days(today, spec["raised"])
        # Fixed times, not ``b.at``: drawing from the shared random stream would reshuffle
        # everything built after the register (stand-ups), not just add to it.
        created = datetime.combine(raised_on, time(10, item_id), tzinfo=b.tz)
        h = _History(b.log, "raid", item_id)
        first = [("created", None, spec["title"])] + [
            (name, None, spec[name]) for name in ("probability", "impact", "cost_impact")
            if name in spec
        ]  # fmt: skip
        h.change(created, pm, first)
        probability = spec.get("probability")
        if "rerate" in spec:
            days, probability = spec["rerate"]
            rerated = b.cal.add_working_days(today, days)
            h.change(datetime.combine(rerated, time(11, 30), tzinfo=b.tz), spec["owner"],
                     [("probability", spec["probability"], probability)])  # fmt: skip
        assert h.last_at is not None
        review = spec.get("review")
        due = spec.get("mitigation_due")
        rows.append({
            "id": item_id, "project_id": ids[spec["key"]], "kind": spec["kind"],
            "title": spec["title"], "owner": spec["owner"],
            "status": spec.get("status", "open"), "raised_by": pm, "raised_on": raised_on,
            "review_on": None if review is None else b.cal.add_working_days(today, review),
            "probability": probability, "impact": spec.get("impact"),
            "cost_impact": spec.get("cost_impact"),
            "schedule_impact": spec.get("schedule_impact"), "response": spec.get("response"),
            "mitigation": spec.get("mitigation", ""),
            "mitigation_due": None if due is None else b.cal.add_working_days(today, due),
            "created_at": created.isoformat(timespec="seconds"),
            "updated_at": h.last_at.isoformat(timespec="seconds"), "version": h.version,
        })  # fmt: skip
        links += [{"item_id": item_id, "task_id": t} for t in spec.get("tasks", ())]
        links += [{"item_id": item_id, "milestone_id": m} for m in spec.get("milestones", ())]
    return rows, links


def _links(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """The schedule network, by title: NET's design chain and site-by-site roll-out, CLOUD's
    landing zone and migration waves. Only links: no task field or audit row changes."""
    ids = {(t.project_id, t.title): t.id for t in tasks}
    links: list[tuple[int, str, str, str, int]] = []

    def chain(project: int, titles: Sequence[str], kind: str = "fs", lag: int = 0) -> None:
        links.extend((project, a, b, kind, lag) for a, b in pairwise(titles))

    net, cloud = 1, 2
    chain(net, ("Collect requirements from branch managers", "High-level network design",
                "Low-level design and IP address plan", "Design review with IT security",
                "Order switches and access points (PO)"))  # fmt: skip
    links.append((net, "Low-level design and IP address plan",
                  "Build configuration templates (Ansible)", "ss", 3))  # fmt: skip
    chain(net, ("Build configuration templates (Ansible)",
                "Staging lab: test templates on a spare switch"))  # fmt: skip
    sites = [t.title.removeprefix("Cut over WAN link: ") for t in tasks
             if t.project_id == net and t.title.startswith("Cut over WAN link: ")]  # fmt: skip
    for i, site in enumerate(sites):
        steps = (f"Site survey: {site}", f"Install new switches: {site}",
                 f"Cut over WAN link: {site}", f"Post-migration tests: {site}")  # fmt: skip
        chain(net, steps)
        if i == 0:
            links.append((net, "Staging lab: test templates on a spare switch", steps[1], "fs", 0))
        else:  # one crew: the next branch cuts over after the previous one, a day to pack up
            links.append((net, f"Cut over WAN link: {sites[i - 1]}", steps[2], "fs", 1))
    if sites:
        last = f"Post-migration tests: {sites[-1]}"
        for title in ("Decommission MPLS routers", "Cancel MPLS contract with carrier"):
            links.append((net, last, title, "fs", 0))
        chain(net, ("Decommission MPLS routers", "Handover to network operations"))
        links.append((net, "Update network documentation in NetBox",
                      "Handover to network operations", "ff", 0))  # fmt: skip
    chain(cloud, ("Landing zone design", "Hub-and-spoke VNets and peering",
                  "ExpressRoute connection to the data centre",
                  "Landing zone security review"))  # fmt: skip
    chain(cloud, ("Order ExpressRoute circuit", "ExpressRoute connection to the data centre"))
    apps = [t.title.removeprefix("Migrate ").removesuffix(" to production") for t in tasks
            if t.project_id == cloud and t.title.endswith(" to production")]  # fmt: skip
    for i, app in enumerate(apps):
        chain(cloud, (f"Assess {app}: dependencies and sizing", f"Migrate {app} to test",
                      f"Performance test {app}", f"Migrate {app} to production"))  # fmt: skip
        if i == 0:
            links.append((cloud, "Landing zone security review", f"Migrate {app} to test",
                          "fs", 0))  # fmt: skip
        else:  # waves: each app's test migration starts 2 wd after the previous one started
            links.append((cloud, f"Migrate {apps[i - 1]} to test", f"Migrate {app} to test",
                          "ss", 2))  # fmt: skip
    if apps:
        links.append((cloud, f"Migrate {apps[-1]} to production",
                      "Hypercare rota and escalation paths", "fs", 0))  # fmt: skip
        chain(cloud, ("Hypercare rota and escalation paths",
                      "Decommission on-premises ERP servers",
                      "Cloud cost review after first month"))  # fmt: skip
    return [
        {"pred_id": ids[(project, a)], "succ_id": ids[(project, b)], "kind": kind, "lag": lag}
        for project, a, b, kind, lag in links
        if (project, a) in ids and (project, b) in ids
    ]


def _refuse_if_not_empty(conn: sqlite3.Connection) -> None:
    for table in ("people", "projects", "tasks", "audit"):
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            raise InvalidInput("the demo needs an empty database; this one has data")


def _insert(conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    for row in rows:
        insert_row(conn, table, row)
