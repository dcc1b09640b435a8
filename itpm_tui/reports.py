"""Read-side compositions of store and domain that both the CLI and the screens use.

Each function reads what one view needs and returns immutable data; screens call them from
their load worker and only draw the result. Nothing here imports Textual or a widget.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from itpm_tui.domain.board import TaskCard, board_cards, last_standup_day
from itpm_tui.domain.change import BaselineNote, ChangeRow, baseline_note
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.health import ProjectHealth, overall_rating, project_health
from itpm_tui.domain.history import fields_as_of, tasks_as_of
from itpm_tui.domain.labour import LabourCost
from itpm_tui.domain.portfolio import TREND_DAYS, PortfolioRow, portfolio_rows
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.raid import Band, RaidRow, rate, summarise
from itpm_tui.domain.standup import (
    ExportContext,
    MeetingScope,
    SpeakerDraft,
    StandupRecord,
    draft_for,
    preferred_scope,
)
from itpm_tui.heap import no_gc_pauses
from itpm_tui.models import (
    AuditEvent,
    ChangeStatus,
    CostFacts,
    Milestone,
    Person,
    PersonRate,
    Project,
    RaidItem,
    StandupEntry,
    Task,
    TaskFacts,
    TaskLink,
    TaskRow,
)
from itpm_tui.store import Store, TaskFilter
from itpm_tui.store.raid import RaidFilter

if TYPE_CHECKING:
    from itpm_tui.domain.network import Network
    from itpm_tui.domain.status_report import StatusReport
    from itpm_tui.domain.timeline import Timeline
    from itpm_tui.domain.timesheet import Timesheet
    from itpm_tui.domain.workload import PersonCalendar, TakeOptions, WeekLoad, Workload


F = TypeVar("F", bound=TaskFacts)
"""Full ``Task``s or the store's light ``TaskRow``s: health computes the same from either."""

LATE_REASONS = 5
"""At most this many late tasks are followed through the network per project (each costs a
pass), the latest first."""


LOAD_WEEKS = 4
"""Weeks from today's in which an over-allocated person is a reason on Health and the board
(as many as ``itpm-tui workload`` shows by default)."""

P = ParamSpec("P")
R = TypeVar("R")


def _without_gc_pauses(compute: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``compute(...)`` with the cyclic garbage collector paused (``no_gc_pauses``).

    A portfolio's computation holds 100,000 task rows and their dates while it allocates
    millions of short-lived objects: each full collection rescans all of them, which was
    about a third of ``portfolio_view`` and of the weekly report at 100k tasks
    (``bench/bench_portfolio.py``). Reference counting still frees what is not kept.
    """
    with no_gc_pauses():
        return compute(*args, **kwargs)


def health_of(
    store: Store,
    project: Project,
    as_of: date,
    *,
    tasks: Sequence[TaskFacts] | None = None,
    rates: Sequence[PersonRate] | None = None,
    load: Workload | None = None,
    milestones: Sequence[Milestone] | None = None,
    costs: Sequence[CostFacts] | None = None,
    projects: Sequence[Project] | None = None,
    links: Sequence[TaskLink] | None = None,
) -> ProjectHealth:
    """The health of one project at ``as_of``, from everything the store holds for it.

    For a day before today the tasks are rebuilt as they stood at the end of that day from
    the audit log; today (the Health screen) reads them as they are, with no extra query.
    AC counts the time logged on the project's tasks up to ``as_of`` at its rates (summed
    per person per day in SQL) plus the cost entries. ``tasks`` (the project's tasks now,
    full or light rows), ``rates`` (everyone's), ``milestones`` and ``costs`` (the
    project's) and ``projects`` (every project, for the network) spare the reads when the
    caller already has them; so do ``links`` (the project's: either end in it).
    Today, the overall rating's reasons also name the project's people (owners of its open
    tasks) who are over capacity in the next ``LOAD_WEEKS`` weeks across all projects, from
    ``load`` (``workload_of``; read here when not given); the rating is unchanged by them.
    """
    from itpm_tui.domain.workload import over_reasons

    facts: Sequence[TaskFacts]
    facts = store.tasks.find(TaskFilter(project_id=project.id)) if tasks is None else tasks
    labour = _labour(store, project, as_of, store.worklogs.rates() if rates is None else rates)
    late: dict[int, list[str]] = {}
    risks: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()
    if milestones is None:
        milestones = store.milestones.find(project.id)
    project, milestones, note = _baseline_on(store, project, milestones, as_of)
    if as_of < store.today():
        facts = _project_tasks_on(store, project, facts, as_of)
    else:  # the network counts remaining work from today's task states: not for a past day
        network = _network(store, as_of, project.key, facts, store.tasks.find_rows,
                           projects=projects, milestones=milestones, late_only=True,
                           links=links)  # fmt: skip
        for reason in network.late_reasons(LATE_REASONS):
            late.setdefault(reason.milestone_id, []).append(reason.text)
        register = store.raid.find(RaidFilter(project_id=project.id, open_only=True))
        risks = summarise(register, project.risk_settings).reasons(project.currency)
        owners = {t.assignee for t in facts if t.assignee and t.is_open}
        if owners:
            load = load or workload_of(store, as_of, LOAD_WEEKS)
            loads = over_reasons(load, owners)
    return project_health(
        project,
        facts,
        milestones,
        store.costs.find(project.id) if costs is None else costs,
        as_of,
        network_reasons=late,
        risk_reasons=risks,
        load_reasons=loads,
        labour=labour,
        baseline=note,
    )


def _baseline_on(
    store: Store, project: Project, milestones: Sequence[Milestone], day: date
) -> tuple[Project, Sequence[Milestone], BaselineNote | None]:
    """The project and milestones measured against the baseline in force at the end of
    ``day``, and what re-baselined them by then.

    Today's BAC and milestone baselines are the current baseline. For a past day, their
    changes logged later are undone from the audit log (as tasks are), so a day before a
    change request was applied uses the baseline of that day, whoever changed it.
    """
    baselines = store.changes.baselines(project.id)
    note = baseline_note(baselines, store.changes.find(project.id), day) if baselines else None
    if day >= store.today():
        return project, milestones, note
    events = store.audit.find(entity="project", entity_id=project.id, newest_first=False)
    project = fields_as_of(project, events, "project", ("bac",), day)
    if milestones:
        moves = [e for e in store.audit.find(entity="milestone", newest_first=False)
                 if e.field == "baseline"]  # fmt: skip
        if moves:
            milestones = [fields_as_of(m, moves, "milestone", ("baseline",), day)
                          for m in milestones]  # fmt: skip
    return project, milestones, note


def _labour(store: Store, project: Project, day: date, rates: Iterable[PersonRate]) -> LabourCost:
    """The priced time logged on ``project`` up to ``day`` (priced and summed in SQL)."""
    return store.worklogs.labour_cost(project.id, day, rates, project.currency)


def _project_tasks_on(
    store: Store, project: Project, tasks: Sequence[F], day: date,
    histories: Histories | None = None,
) -> Sequence[F | Task]:  # fmt: skip
    """The project's tasks at the end of ``day``, from its tasks now (read before the log).

    Only the tasks changed after the day (and those moved out of the project since) are
    read in full and replayed; the others are kept as given unless created after the day.
    ``histories``: every project's task histories changed after ``day``
    (``_histories_after``), read once for a portfolio; else this project's are read.
    """
    events = _events_of(store, project, day, histories)
    if not events:
        return tasks
    return _replayed(store, project, tasks, day, events)


Histories = Mapping[int, Sequence[AuditEvent]]
"""Per project id, the whole histories of its tasks changed after a day
(``AuditRepo.task_histories_by_project_changed_after``)."""


def _histories_after(store: Store, day: date) -> Histories | None:
    """Every project's task histories changed after ``day``, in one read; ``None`` when
    ``day`` is today or later (nothing to replay)."""
    if day >= store.today():
        return None
    return store.audit.task_histories_by_project_changed_after(day)


def _events_of(
    store: Store, project: Project, day: date, histories: Histories | None
) -> Sequence[AuditEvent]:
    """The project's task histories changed after ``day``: from ``histories`` when read."""
    if histories is None:
        return store.audit.task_histories_changed_after(project.id, day)
    return histories.get(project.id, ())


def _replayed(
    store: Store, project: Project, tasks: Sequence[F], day: date, events: Sequence[AuditEvent],
    full: Sequence[Task] | None = None,
) -> list[F | Task]:  # fmt: skip
    """``tasks`` at the end of ``day`` given ``events``, the whole histories of the tasks
    changed after it (or after an earlier day); ``full`` are those tasks read in full."""
    changed = {e.entity_id for e in events}
    if full is None:
        full = store.tasks.find(TaskFilter(ids=tuple(sorted(changed))))
    replayed = [
        t if t.project_key == project.key else t.model_copy(update={"project_key": project.key})
        for t in tasks_as_of(full, events, day)
        if t.project_id == project.id
    ]
    # Not created after the day (``created_after``, inline: this runs for every task).
    kept = [t for t in tasks if t.id not in changed
            and (t.created_at is None or t.created_at.date() <= day)]  # fmt: skip
    return sorted([*kept, *replayed], key=lambda t: t.id)


def health_of_all(store: Store, as_of: date, key: str | None = None) -> list[ProjectHealth]:
    """The health of every project (or just ``key``), by project key."""
    projects = [store.projects.by_key(key)] if key else store.projects.find()
    load = workload_of(store, as_of, LOAD_WEEKS) if projects and as_of >= store.today() else None
    return [health_of(store, p, as_of, load=load) for p in projects]


def schedule_network(store: Store, as_of: date, key: str | None = None) -> Network[Task]:
    """The schedule network of one project (``key``) or of every project, at ``as_of``.

    Tasks of other projects (or personal ones) linked to the chosen tasks are included, so a
    predecessor elsewhere still holds its successors back. Task states are today's: ``as_of``
    only moves the day remaining work is counted from.
    """
    chosen = [store.projects.by_key(key)] if key else store.projects.find()
    tasks = [t for p in chosen for t in store.tasks.find(TaskFilter(project_id=p.id))]
    return _network(store, as_of, key, tasks, store.tasks.find)


def _network(
    store: Store, as_of: date, key: str | None, tasks: Sequence[F],
    read: Callable[[TaskFilter], Sequence[F]], *, projects: Sequence[Project] | None = None,
    milestones: Sequence[Milestone] | None = None, late_only: bool = False,
    links: Sequence[TaskLink] | None = None,
) -> Network[F]:  # fmt: skip
    """``schedule_network`` over ``tasks`` (project ``key``'s, or every project's), reading
    the linked tasks outside them with ``read`` (full or light rows, as ``tasks``).
    ``projects`` (every project) and, with a ``key``, ``milestones`` (that project's) spare
    their reads; so, with a ``key``, do ``links`` (that project's).

    ``late_only``: a network only for ``Network.late_reasons``, which reads early finishes
    of open tasks and milestones alone. A done task with no link and no milestone holds
    nothing back, so it is left out (a quarter of the benchmark portfolio's tasks).
    """
    from itpm_tui.domain.network import build_network

    if projects is None:
        projects = store.projects.find()
    chosen = [p for p in projects if p.key == key] if key else projects
    if links is None or not key:
        links = [lk for p in chosen for lk in store.links.find(p.id)] if key else store.links.find()
    linked = {i for lk in links for i in (lk.pred_id, lk.succ_id)}
    if late_only:
        tasks = [t for t in tasks if t.is_open or t.milestone_id is not None or t.id in linked]
    by_id = {t.id: t for t in tasks}
    outside = sorted(linked - set(by_id))
    if outside:
        by_id |= {t.id: t for t in read(TaskFilter(ids=tuple(outside)))}
    if milestones is None or not key:
        milestones = [m for p in chosen for m in store.milestones.find(p.id)]
    unique = {(lk.pred_id, lk.succ_id): lk for lk in links}
    return build_network(sorted(by_id.values(), key=lambda t: t.id), unique.values(),
                         milestones, projects, as_of)  # fmt: skip


# --- stand-up board ------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardData:
    """What one load of the board returns: every card, the tasks behind them, the filters."""

    cards: tuple[TaskCard, ...]
    tasks: tuple[Task, ...]
    """The tasks behind the cards, for the edit form and for saving with their version."""
    projects: tuple[Project, ...]
    """Every project, for the edit form."""
    people: tuple[Person, ...]
    """Everyone, for the edit form."""
    milestones: tuple[Milestone, ...]
    """Every milestone, for the edit form."""
    me: str
    """Who is using the board (the edit form's default owner)."""
    owners: tuple[str, ...]
    """Logins that own at least one card, for the person filter."""
    project_keys: tuple[str, ...]
    """Project keys, for the project filter."""
    done_since: date
    """Done cards are those finished on or after this day (the last stand-up's)."""
    load: Workload | None = None
    """Everyone's load in the next ``LOAD_WEEKS`` weeks, for the cards' load reasons."""
    calendars: Mapping[str, PersonCalendar] = field(default_factory=dict)

    def task(self, task_id: int) -> Task | None:
        """The loaded task behind a card."""
        return self._tasks_by_id.get(task_id)

    @cached_property
    def _tasks_by_id(self) -> dict[int, Task]:
        # The detail line asks on every cursor move: a scan of 42,000 tasks at 100k.
        return {t.id: t for t in self.tasks}

    def load_reason(self, task: Task) -> str | None:
        """ "dana is at 180% in 2026-W49 (...)" when the task's owner is over capacity in a
        week the task has hours in (``domain.workload.task_load_reason``)."""
        from itpm_tui.domain.workload import task_load_reason

        if self.load is None or task.assignee is None:
            return None
        person = next((p for p in self.load.people if p.login == task.assignee), None)
        cal = self.calendars.get(task.assignee)
        if person is None or cal is None:
            return None
        return task_load_reason(task, person, cal, self.load.today)


def on_board(today: date, assignee: str | None = None, project_id: int | None = None) -> TaskFilter:
    """The tasks the Board shows and the stand-up walks (narrowed to a person or project):
    open project tasks and those done since the last stand-up day; no personal to-dos.

    In SQL: at 100k tasks, building every done task's model to drop it cost seconds.
    """
    return TaskFilter(in_project=True, open_or_done_since=last_standup_day(today),
                      assignee=assignee, project_id=project_id)  # fmt: skip


def board_view(store: Store, today: date) -> BoardData:
    """Open project tasks and those done since the last stand-up, as cards.

    Personal to-dos stay off the team board: they are one person's list, not the team's,
    but they count in each owner's load (``load``), which gives a card its load reason.
    """
    from itpm_tui.domain.workload import workload

    since = last_standup_day(today)
    projects = tuple(store.projects.find())
    by_id = {p.id: p for p in projects}
    tasks = tuple(store.tasks.find(on_board(today), order_by="id"))
    cards = board_cards(tasks, by_id, today)
    people = tuple(store.people.find())
    # Load counts personal to-dos too: they take the same person's hours.
    personal = store.tasks.find_rows(TaskFilter(personal=True, open_only=True))
    calendars = workload_calendars(store, people)
    load = workload([*tasks, *personal], calendars, today, LOAD_WEEKS)
    return BoardData(
        cards=cards,
        tasks=tasks,
        projects=projects,
        people=people,
        milestones=tuple(store.milestones.find()),
        me=store.user,
        owners=tuple(sorted({c.owner for c in cards if c.owner})),
        project_keys=tuple(sorted(p.key for p in projects)),
        done_since=since,
        load=load,
        calendars=calendars,
    )


# --- stand-up meeting ----------------------------------------------------------------------


@dataclass(frozen=True)
class StandupData:
    """What the stand-up shows: choices for a new meeting and, during one, everyone's work."""

    today: date
    scopes: tuple[tuple[MeetingScope, int], ...]
    """Teams (with head counts) and projects a stand-up can be held for."""
    people: tuple[Person, ...]
    projects: tuple[Project, ...]
    notes: tuple[StandupEntry, ...]
    """Updates posted ahead for today."""
    last_saved: StandupRecord | None
    names: ExportContext
    preferred: MeetingScope | None
    """What the start dialog offers first (``preferred_scope``)."""
    scope: MeetingScope | None = None
    attendees: tuple[Person, ...] = ()
    """The scope's people (a team's members, or a project's assignees)."""
    last_of_scope: StandupRecord | None = None
    since: datetime | None = None
    """When the scope's last stand-up began: "yesterday" is what moved since."""
    tasks: tuple[Task, ...] = ()
    drafts: tuple[SpeakerDraft, ...] = ()
    last_event: int = 0
    """The newest status move read: a meeting begun on this data freezes "yesterday" there."""
    walk: tuple[TaskCard, ...] = ()
    """The drafted speakers' cards as the Board shows them, for the board walk."""
    loads: Mapping[str, WeekLoad] = field(default_factory=dict)
    """Each drafted speaker's load this week across all projects (``domain.workload``)."""

    def draft(self, login: str) -> SpeakerDraft | None:
        """The drafted update of one person."""
        return next((d for d in self.drafts if d.person.login == login), None)


def standup_view(
    store: Store,
    today: date,
    tz: tzinfo | None,
    scope: MeetingScope | None = None,
    speakers: Iterable[str] = (),
    meeting_after: int | None = None,
) -> StandupData:
    """Choices for a new meeting; for a ``scope``, its attendees' tasks, moves and drafts.

    ``speakers`` are the running meeting's logins: they keep a draft even when they no
    longer belong to the scope. Without a saved stand-up of the scope, "yesterday" starts at
    midnight (in ``tz``) of the last stand-up day.
    """
    people = tuple(store.people.find())
    projects = tuple(store.projects.find())
    teams = Counter(p.team for p in people if p.team)
    scopes = tuple(
        [(MeetingScope("team", team), count) for team, count in sorted(teams.items())]
        + [(MeetingScope("project", p.key, p.id, p.name), 0) for p in projects]
    )
    notes = tuple(store.standups.notes(today))
    recent = store.standups.find(limit=1)
    mine = store.standups.find(facilitator=store.user, limit=1)
    me = next((p for p in people if p.login == store.user), None)
    preferred = preferred_scope([s for s, _ in scopes], mine[0] if mine else None, me)
    names = ExportContext({p.login: p.name for p in people}, {p.id: p.key for p in projects})
    data = StandupData(
        today, scopes, people, projects, notes, recent[0] if recent else None, names,
        preferred,
    )  # fmt: skip
    if scope is None:
        return data
    last = store.standups.last(team=scope.team, project_id=scope.project_id)
    if last is not None and last.session.started_at is not None:
        since = last.session.started_at
    else:
        since = datetime.combine(last_standup_day(today), time(0), tzinfo=tz)
    events = [e for e in store.audit.find(entity="task", since=since, newest_first=False)
              if e.field == "status"]  # fmt: skip
    moved_ids = tuple(sorted({e.entity_id for e in events}))
    moved = store.tasks.find(TaskFilter(ids=moved_ids)) if moved_ids else []
    # The board walk shows the Board's own cards of the people in the meeting (``walked``);
    # personal to-dos stay off it but are part of what each person drafts.
    if scope.kind == "team":
        attendees = tuple(p for p in people if p.team == scope.name)
        walked = [t for p in attendees for t in store.tasks.find(on_board(today, p.login))]
        personal = [t for p in attendees for t in store.tasks.find(
                    TaskFilter(assignee=p.login, personal=True, open_only=True))]  # fmt: skip
        open_tasks = [*walked, *personal]
    else:
        walked = open_tasks = store.tasks.find(on_board(today, project_id=scope.project_id))
        moved = [t for t in moved if t.project_id == scope.project_id]
        owners = {t.assignee for t in [*open_tasks, *moved] if t.assignee}
        attendees = tuple(p for p in people if p.login in owners)
    tasks = tuple({t.id: t for t in [*open_tasks, *moved]}.values())
    drafting = {p.login for p in attendees} | set(speakers)
    by_login = {n.person: n for n in notes}
    drafts = tuple(
        draft_for(p, tasks, events, since=since, today=today, note=by_login.get(p.login),
                  meeting_after=meeting_after)
        for p in people if p.login in drafting
    )  # fmt: skip
    return replace(
        data, scope=scope, attendees=attendees, last_of_scope=last, since=since,
        tasks=tasks, drafts=drafts, last_event=max((e.id for e in events), default=0),
        walk=board_cards(walked, {p.id: p for p in projects}, today),
        loads=_week_loads(store, [p for p in people if p.login in drafting], today),
    )  # fmt: skip


def _week_loads(store: Store, people: list[Person], today: date) -> dict[str, WeekLoad]:
    """This ISO week's load of each person, from all their open tasks in every project."""
    from itpm_tui.domain.workload import workload

    if not people:
        return {}
    tasks = [t for p in people
             for t in store.tasks.find(TaskFilter(assignee=p.login, open_only=True))]  # fmt: skip
    load = workload(tasks, workload_calendars(store, people), today, weeks=1)
    return {p.login: p.weeks[0] for p in load.people}


def portfolio_view(store: Store, as_of: date) -> tuple[PortfolioRow, ...]:
    """Every project's health now and its overall rating a week ago, worst first.

    A week ago is replayed from the audit log (``health_of`` at a past day), so the trend is
    what last Friday's report would have said, not a guess. While nothing is committed the
    result is kept (``Store.remembered``): reopening Health on an unchanged database costs
    nothing.
    """
    return store.remembered(("portfolio", as_of, store.today()),
                            lambda: _without_gc_pauses(_portfolio_view, store, as_of))  # fmt: skip


def _portfolio_view(store: Store, as_of: date) -> tuple[PortfolioRow, ...]:
    """``portfolio_view`` computed: every task read once, as a light row
    (``TaskRepo.find_rows``), for both days and for everyone's load; each project's
    milestones and costs once, for both days; the audit log once for every project."""
    from itpm_tui.domain.workload import workload

    before = as_of - timedelta(days=TREND_DAYS)
    rates = store.worklogs.rates()
    now: list[ProjectHealth] = []
    week_ago: dict[str, Rag] = {}
    projects = store.projects.find()
    rows = store.tasks.find_rows()  # by id, personal to-dos too (they count in the load)
    by_project: dict[int | None, list[TaskFacts]] = {p.id: [] for p in projects}
    for row in rows:
        if row.project_id is not None:
            by_project.setdefault(row.project_id, []).append(row)
    costs: dict[int, list[CostFacts]] = {p.id: [] for p in projects}
    for entry in store.costs.find_rows():
        costs.setdefault(entry.project_id, []).append(entry)
    histories = _histories_after(store, before)
    links = _links_by_project(store, rows)
    load = None
    if projects and as_of >= store.today():
        # The same load as ``workload_of``: every open task, by id.
        load = workload(rows, workload_calendars(store, store.people.find()), as_of, LOAD_WEEKS)
    for project in projects:
        tasks, milestones = by_project[project.id], store.milestones.find(project.id)
        now.append(health_of(store, project, as_of, tasks=tasks, rates=rates, load=load,
                             milestones=milestones, costs=costs[project.id],
                             projects=projects, links=links.get(project.id, ())))  # fmt: skip
        then, then_milestones, _ = _baseline_on(store, project, milestones, before)
        week_ago[project.key] = overall_rating(
            then, _tasks_on(store, project, tasks, before, histories), then_milestones,
            costs[project.id],
            before, labour=_labour(store, project, before, rates),
        )  # fmt: skip
    return portfolio_rows(now, week_ago)


def _links_by_project(store: Store, rows: Sequence[TaskFacts]) -> dict[int, list[TaskLink]]:
    """Every project's links (``LinkRepo.find(project_id)``: either end in it) from one read
    of them all, by project id; ``rows`` are every task, to know each end's project."""
    project_of = {t.id: t.project_id for t in rows}
    found: dict[int, list[TaskLink]] = {}
    for link in store.links.find():  # by successor then predecessor, as per project
        ends = {project_of.get(link.pred_id), project_of.get(link.succ_id)}
        for project_id in ends:
            if project_id is not None:
                found.setdefault(project_id, []).append(link)
    return found


def workload_of(store: Store, today: date, weeks: int = 4, team: str | None = None) -> Workload:
    """Everyone's (or one team's) load per ISO week across all projects (``domain.workload``).

    Calendars come from each person's own capacity (else 8 h, Monday to Friday) and leave.
    """
    from itpm_tui.domain.workload import workload

    calendars = workload_calendars(store, store.people.find(team))
    tasks = store.tasks.find(TaskFilter(open_only=True))
    if team is not None:
        tasks = [t for t in tasks if t.assignee in calendars]
    return workload(tasks, calendars, today, weeks)


def timeline_of(store: Store, as_of: date, key: str | None = None) -> Timeline:
    """The Timeline screen's rows for one project (``key``) or all: the network computed at
    ``as_of`` and laid out by milestone (``domain/timeline.py``)."""
    from itpm_tui.domain.timeline import build_timeline

    network = schedule_network(store, as_of, key)
    return build_timeline(network, network.schedule(), key)


# --- weekly status report ------------------------------------------------------------------


def _tasks_on(
    store: Store, project: Project, tasks: Sequence[F], day: date,
    histories: Histories | None = None,
) -> tuple[F | Task, ...]:  # fmt: skip
    """The project's tasks at the end of ``day`` from its ``tasks`` now (read once);
    ``histories`` as ``_project_tasks_on``."""
    if day < store.today():
        return tuple(_project_tasks_on(store, project, tasks, day, histories))
    return tuple(tasks)


def _tasks_on_both(
    store: Store, project: Project, tasks: Sequence[F], later: date, earlier: date,
    histories: Histories | None = None,
) -> tuple[tuple[F | Task, ...], tuple[F | Task, ...]]:  # fmt: skip
    """``_tasks_on`` at ``later`` and at ``earlier``, reading the audit log and the changed
    tasks once: the histories of the tasks changed after ``earlier`` hold all those changed
    after ``later``. ``histories``: every project's changed after ``earlier``."""
    if later >= store.today():
        return tuple(tasks), _tasks_on(store, project, tasks, earlier, histories)
    events = _events_of(store, project, earlier, histories)
    if not events:
        return tuple(tasks), tuple(tasks)
    full = store.tasks.find(TaskFilter(ids=tuple(sorted({e.entity_id for e in events}))))
    return tuple(_replayed(store, project, tasks, later, events, full)), tuple(
        _replayed(store, project, tasks, earlier, events, full)
    )


def status_report_of(store: Store, week_end: date, key: str | None = None) -> StatusReport:
    """The weekly status report for the week ending ``week_end``: one project or every one.

    Tasks at the week's end and a week earlier are both replayed from the audit log, and
    health is computed from them without the schedule network's late-task sentences (which
    exist only for today), so a past week's report is the one that was sent then. Kept while
    nothing is committed, as ``portfolio_view`` (previewing, then writing, reads once).
    """
    return store.remembered(("report", week_end, key, store.today()),
                            lambda: _without_gc_pauses(_status_report_of, store, week_end, key))  # fmt: skip


def _status_report_of(store: Store, week_end: date, key: str | None) -> StatusReport:
    """``status_report_of`` computed: the tasks read once, as light rows (all the report
    and health read of them); only those changed since a day are read in full, to replay."""
    from itpm_tui.domain.status_report import WEEK_DAYS, ProjectWeek, build_status_report

    projects = [store.projects.by_key(key)] if key else store.projects.find()
    before = week_end - timedelta(days=WEEK_DAYS)
    entries: dict[int, list[StandupEntry]] = {}
    team: list[StandupEntry] = []
    for offset in range(WEEK_DAYS):
        for record in store.standups.find(held_on=week_end - timedelta(days=offset)):
            if record.session.project_id is not None:
                entries.setdefault(record.session.project_id, []).extend(record.entries)
            else:
                team.extend(record.entries)
    rates = store.worklogs.rates()
    by_project: dict[int, list[TaskFacts]] = {p.id: [] for p in projects}
    for row in store.tasks.find_rows(TaskFilter(project_id=projects[0].id) if key
                                     else TaskFilter(in_project=True)):  # fmt: skip
        if row.project_id in by_project:
            by_project[row.project_id].append(row)
    spent: dict[int, list[CostFacts]] = {p.id: [] for p in projects}
    for entry in store.costs.find_rows():
        if entry.project_id in spent:
            spent[entry.project_id].append(entry)
    histories = _histories_after(store, before) if len(projects) > 1 else None
    both = {p.id: _tasks_on_both(store, p, by_project[p.id], week_end, before, histories)
            for p in projects}  # fmt: skip
    load = _load_after(store, week_end, [t for now, _ in both.values() for t in now], key)
    raid = _raid_on(store, [p.id for p in projects], week_end, before)
    weeks = []
    for p in projects:
        milestones, costs = store.milestones.find(p.id), spent[p.id]
        current = by_project[p.id]
        now, then = both[p.id]
        first = min((d for d in (*(t.created_at.date() for t in current if t.created_at),
                                 *(c.spent_on for c in costs))), default=None)  # fmt: skip
        labour_now, labour_then = (
            _labour(store, p, week_end, rates),
            _labour(store, p, before, rates),
        )
        p_now, m_now, note_now = _baseline_on(store, p, milestones, week_end)
        p_then, m_then, note_then = _baseline_on(store, p, milestones, before)
        applied = tuple(
            f"{c.ref} applied on {short_date(c.applied_on, week_end)}: {c.title} "
            f"(the baseline changed)"
            for c in store.changes.find(p.id, ChangeStatus.APPLIED)
            if c.applied_on is not None and before < c.applied_on <= week_end
        )  # fmt: skip
        weeks.append(ProjectWeek(
            now=project_health(p_now, now, m_now, costs, week_end, labour=labour_now,
                               baseline=note_now),
            before=project_health(p_then, then, m_then, costs, before, labour=labour_then,
                                  baseline=note_then),
            tasks_now=now, tasks_before=then,
            standup_entries=tuple(entries.get(p.id, ())), team_entries=tuple(team),
            applied_changes=applied, raid_now=raid.get((p.id, week_end), ()),
            raid_before=raid.get((p.id, before), ()), risk_settings=p.risk_settings,
            load=load, first_record=first,
        ))  # fmt: skip
    return build_status_report(weeks, week_end, key or "portfolio")


def _raid_on(
    store: Store, project_ids: Sequence[int], *days: date
) -> dict[tuple[int, date], tuple[RaidItem, ...]]:
    """The projects' RAID items as they stood at the end of each day, by (project, day):
    those raised by then, their fields replayed from the audit log."""
    from itpm_tui.store.raid import ENTITY

    items = [i for pid in project_ids for i in store.raid.find(RaidFilter(project_id=pid))]
    if not items:
        return {}
    first = min(days)
    changed: dict[int, list[AuditEvent]] = {}  # each item's rows after the first day
    if first < store.today():
        for event in store.audit.find(entity=ENTITY):
            if event.at.date() > first:
                changed.setdefault(event.entity_id, []).append(event)
    fields = tuple(set(RaidItem.model_fields) - _RAID_FIXED)
    found: dict[tuple[int, date], tuple[RaidItem, ...]] = {}
    for day in days:
        for item in items:
            if item.created_at is not None and item.created_at.date() > day:
                continue  # typed in later: not in the report that was sent then
            then = fields_as_of(item, changed.get(item.id, ()), ENTITY, fields, day)
            if then.raised_on <= day:
                key = (item.project_id, day)
                found[key] = (*found.get(key, ()), then)
    return found


_RAID_FIXED = frozenset({"id", "project_id", "project_key", "created_at", "updated_at",
                         "version"})  # fmt: skip
"""RAID item fields never replayed: fixed at creation, display only, or bookkeeping."""


def _load_after(
    store: Store, week_end: date, tasks: Sequence[TaskFacts], key: str | None
) -> Workload | None:
    """Everyone's load from the day after ``week_end`` over the tasks as they stood then:
    those of the report's projects, and for one project's report every other project's too
    (a person's week counts all their work)."""
    from itpm_tui.domain.status_report import REPORT_LOAD_WEEKS
    from itpm_tui.domain.workload import workload

    people = store.people.find()
    if not people:
        return None
    work = list(tasks)
    if key is not None:
        for other in store.projects.find():
            if other.key != key:
                rows = store.tasks.find_rows(TaskFilter(project_id=other.id))
                work.extend(_tasks_on(store, other, rows, week_end))
    return workload([t for t in work if t.is_open], workload_calendars(store, people),
                    week_end + timedelta(days=1), weeks=REPORT_LOAD_WEEKS)  # fmt: skip


# --- RAID log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaidRegister:
    """The register as the RAID screen shows it: worst score first, then by id."""

    rows: tuple[RaidRow, ...]
    project_keys: tuple[str, ...]
    projects: tuple[Project, ...] = ()
    """Every project (their scales and calendars, for editing)."""
    people: tuple[str, ...] = ()
    """Every login, for the owner picker."""
    changes: tuple[ChangeRow, ...] = ()
    """The change requests of the project shown (or of all), by id."""

    def project(self, project_id: int) -> Project | None:
        """The loaded project with this id."""
        return next((p for p in self.projects if p.id == project_id), None)


def raid_register(store: Store, key: str | None = None, *, open_only: bool = True) -> RaidRegister:
    """Every project's (or ``key``'s) items: risks by band, then score (worst first), then
    the other items by id."""
    projects = {p.id: p for p in store.projects.find()}
    chosen = next((p for p in projects.values() if p.key == key), None)
    items = store.raid.find(RaidFilter(project_id=chosen.id if chosen else None,
                                       open_only=open_only))  # fmt: skip
    rows = [RaidRow(i, rate(i, projects[i.project_id].risk_settings),
                    projects[i.project_id].currency) for i in items]  # fmt: skip
    bands = list(Band)  # scales differ between projects: the band orders first, then the score

    def order(row: RaidRow) -> tuple[bool, int, Decimal, int]:
        rating = row.rating
        if rating is None:
            return (True, 0, Decimal(0), row.item.id)
        return (False, -bands.index(rating.band), -rating.score, row.item.id)

    rows.sort(key=order)
    names = {m.id: m.name for m in store.milestones.find(chosen.id if chosen else None)}
    changes = tuple(ChangeRow(c, projects[c.project_id].currency, names)
                    for c in store.changes.find(chosen.id if chosen else None))  # fmt: skip
    return RaidRegister(
        tuple(rows), tuple(sorted(p.key for p in projects.values())),
        projects=tuple(projects.values()), people=tuple(p.login for p in store.people.find()),
        changes=changes,
    )  # fmt: skip


# --- Workload screen -------------------------------------------------------------------------


def workload_calendars(store: Store, people: Iterable[Person]) -> dict[str, PersonCalendar]:
    """Each person's calendar by login: their own capacity (else 8 h, Monday to Friday) and
    their leave as days off."""
    from itpm_tui.domain.workload import DEFAULT_HOURS_PER_DAY, DEFAULT_WORKDAYS, PersonCalendar

    own = {c.person: c for c in store.worklogs.capacities()}
    off: dict[str, set[date]] = {}
    for leave in store.worklogs.leave():
        days = off.setdefault(leave.person, set())
        days.update(leave.first_day + timedelta(days=n)
                    for n in range((leave.last_day - leave.first_day).days + 1))  # fmt: skip
    calendars = {}
    for person in people:
        capacity = own.get(person.login)
        calendars[person.login] = PersonCalendar(
            person.login,
            hours_per_day=(capacity.hours_per_day if capacity and capacity.hours_per_day
                           else DEFAULT_HOURS_PER_DAY),
            workdays=(frozenset(capacity.workdays) if capacity and capacity.workdays
                      else DEFAULT_WORKDAYS),
            days_off=frozenset(off.get(person.login, ())),
        )  # fmt: skip
    return calendars


@dataclass(frozen=True)
class TaskShare:
    """One task behind a person's week: the hours it puts on that week."""

    task: TaskRow
    hours: float


@dataclass(frozen=True)
class WorkloadView:
    """The Workload screen's grid, the teams to filter by, and what the cells are made of."""

    load: Workload
    team: str | None
    teams: tuple[str, ...]
    names: dict[str, str]
    """Display names by login."""
    calendars: dict[str, PersonCalendar]
    tasks: dict[str, tuple[TaskRow, ...]]
    """Each person's scheduled open tasks (the load's ``task_ids``), by login."""
    project: str | None = None
    """The project filter (a key): only the people with open tasks in it."""
    project_keys: tuple[str, ...] = ()
    """Every project's key, for the project filter."""
    key_of: Mapping[int, str] = field(default_factory=dict)
    """Project keys by id, for the task lines."""

    def tasks_behind(self, login: str, monday: date) -> tuple[TaskShare, ...]:
        """The tasks with hours in one cell, most hours first (``task_week_hours``: the same
        rule as the load, so they add up to it). Computed when asked: a few hundred tasks
        of one person, where every cell of 100,000 tasks took 0.7 s."""
        from itpm_tui.domain.workload import PersonCalendar, task_week_hours

        cal = self.calendars.get(login) or PersonCalendar(login)
        today = self.load.today
        shares = [TaskShare(t, hours) for t in self.tasks.get(login, ())
                  if (hours := task_week_hours(t, cal, today, monday)) > 0]  # fmt: skip
        return tuple(sorted(shares, key=lambda s: (-s.hours, s.task.id)))


def workload_view(store: Store, today: date, team: str | None = None, weeks: int = 12,
                  project: str | None = None) -> WorkloadView:  # fmt: skip
    """Everyone's (or ``team``'s) load for ``weeks`` ISO weeks (``domain.workload``), with
    what each cell's tasks are computed from.

    ``project`` (a key) keeps the people who own open tasks in it; their load still counts
    all their work in every project: whether they have time is the question, not how much
    of it this project takes.
    """
    from itpm_tui.domain.workload import workload

    everyone = store.people.find()
    people = [p for p in everyone if team is None or p.team == team]
    # Light rows: validating ~45,000 open tasks as models took 0.65 s of a 1.0 s load at
    # 100,000 tasks, the rows 0.23 s.
    open_tasks = store.tasks.find_rows(TaskFilter(open_only=True))
    projects = store.projects.find()
    if project is not None:
        chosen = next((p.id for p in projects if p.key == project), None)
        owners = {t.assignee for t in open_tasks if t.project_id == chosen and t.assignee}
        people = [p for p in people if p.login in owners]
    calendars = workload_calendars(store, people)
    filtered = team is not None or project is not None
    tasks = [t for t in open_tasks if t.assignee is not None
             and (not filtered or t.assignee in calendars)]  # fmt: skip
    load = workload(tasks, calendars, today, weeks)
    by_id = {t.id: t for t in tasks}
    scheduled = {p.login: tuple(by_id[i] for i in p.task_ids) for p in load.people}
    teams = tuple(sorted({p.team for p in everyone if p.team}))
    names = {p.login: p.display for p in everyone}
    return WorkloadView(load, team, teams, names, calendars, scheduled, project,
                        tuple(sorted(p.key for p in projects)),
                        {p.id: p.key for p in projects if p.id is not None})  # fmt: skip


def who_can_take_of(store: Store, task_id: int, today: date) -> TakeOptions:
    """Everyone but the owner of task ``task_id``, most free hours before its end first
    (``domain.workload.who_can_take``: their own calendars and all their open work)."""
    from itpm_tui.domain.workload import who_can_take

    task = store.tasks.get(task_id)
    calendars = workload_calendars(store, store.people.find())
    tasks = store.tasks.find_rows(TaskFilter(open_only=True))  # light rows: see workload_view
    return who_can_take(task, tasks, calendars, today)


def timesheet_of(store: Store, person: str, monday: date, today: date) -> Timesheet:
    """``person``'s ISO week from ``monday``: logged time by task and day, the days missing
    (their working days, leave excluded, up to today, with nothing logged)."""
    from itpm_tui.domain.timesheet import timesheet
    from itpm_tui.store.worklogs import WorklogFilter

    found = store.people.get(person)
    sunday = monday + timedelta(days=6)
    logs = store.worklogs.find(WorklogFilter(person=found.login, first_day=monday,
                                             last_day=sunday))  # fmt: skip
    ids = tuple(sorted({w.task_id for w in logs}))
    titles = {t.id: t.title for t in store.tasks.find(TaskFilter(ids=ids))} if ids else {}
    cal = workload_calendars(store, [found])[found.login]
    works = [monday + timedelta(days=n) for n in range(7)
             if cal.works_on(monday + timedelta(days=n))]  # fmt: skip
    return timesheet(found.login, monday, logs, titles, works, today)
