"""Change control: which status moves a change request may make, and the baseline it writes.

Pure: the store calls ``check_move`` and ``rebaseline`` inside the write transaction that
applies a change, and the read side calls ``baseline_notes`` to say what changed the
baseline a health figure is measured against. Nothing here reads the clock or the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.dates import short_date
from itpm_tui.domain.numbers import money_text
from itpm_tui.errors import InvalidInput
from itpm_tui.models import (
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeStatus,
    Milestone,
    Project,
    Task,
)

_ALLOWED: dict[ChangeStatus, frozenset[ChangeStatus]] = {
    ChangeStatus.APPROVED: frozenset({ChangeStatus.PROPOSED}),
    ChangeStatus.REJECTED: frozenset({ChangeStatus.PROPOSED}),
    ChangeStatus.APPLIED: frozenset({ChangeStatus.APPROVED}),
}
"""For each target status, the statuses a change may come from."""

_VERB = {ChangeStatus.APPROVED: "approved", ChangeStatus.REJECTED: "rejected",
         ChangeStatus.APPLIED: "applied"}  # fmt: skip


def check_move(change: ChangeRequest, to: ChangeStatus, today: date, decided_by: str = "") -> None:
    """``InvalidInput`` with one sentence if ``change`` may not move to ``to`` (its dates said
    as ``13 Nov``, with the year when it is not ``today``'s).

    proposed -> approved or rejected; approved -> applied. Nothing else: an applied or
    rejected change is final, and only an approved one is applied.
    """
    if to not in _ALLOWED:
        raise InvalidInput(f"a change request cannot be set back to {to.value}")
    if change.status in _ALLOWED[to]:
        return
    by = f" by {change.decided_by}" if change.decided_by else ""
    when = f" on {short_date(change.decided_on, today)}" if change.decided_on else ""
    if change.status is ChangeStatus.APPLIED:
        applied = f" on {short_date(change.applied_on, today)}" if change.applied_on else when
        raise InvalidInput(f"{change.ref} is already applied{applied}: it cannot be {_VERB[to]}")
    if change.status is ChangeStatus.REJECTED:
        raise InvalidInput(
            f"{change.ref} was rejected{by}{when}: it cannot be {_VERB[to]}"
            + ("; only an approved change is applied" if to is ChangeStatus.APPLIED else "")
        )
    if change.status is ChangeStatus.APPROVED:
        raise InvalidInput(f"{change.ref} is already approved{by}{when}: "
                           + ("apply it, or leave it" if to is not ChangeStatus.APPLIED
                              else "it cannot be approved again"))  # fmt: skip
    raise InvalidInput(f"{change.ref} is proposed: approve it before applying it")


def check_editable(change: ChangeRequest) -> None:
    """Only a proposed change may have its title, reason or impact edited."""
    if change.status is not ChangeStatus.PROPOSED:
        raise InvalidInput(
            f"{change.ref} is {change.status.value}: only a proposed change can be edited"
        )


@dataclass(frozen=True)
class Rebaseline:
    """What applying a change writes: the new BAC, milestone baselines, task plan changes."""

    bac: Decimal
    milestones: dict[int, date]
    """The new baseline of each milestone the change moves, by id."""
    task_changes: dict[int, dict[str, object]]
    """Field changes per task id (planned dates of moved milestones' open tasks; a removed
    task's planned cost cleared)."""
    snapshot: tuple[BaselineTask, ...]
    """Every task's plan in the new baseline, by id (tasks with no plan left out)."""


def plan_of(tasks: Iterable[Task]) -> tuple[BaselineTask, ...]:
    """The baseline record of each task that has planned dates or a planned cost, by id."""
    return tuple(
        BaselineTask(task_id=t.id, planned_start=t.planned_start,
                     planned_finish=t.planned_finish, planned_cost=t.planned_cost)
        for t in sorted(tasks, key=lambda t: t.id)
        if t.planned_start or t.planned_finish or t.planned_cost is not None
    )  # fmt: skip


def rebaseline(
    project: Project,
    milestones: Sequence[Milestone],
    tasks: Sequence[Task],
    change: ChangeRequest,
    calendar: WorkCalendar | None = None,
) -> Rebaseline:
    """The baseline that applying ``change`` gives ``project``.

    - BAC grows by the cost delta (it may not go below zero).
    - Each milestone with a schedule delta moves its baseline that many working days of the
      project's calendar (a negative delta pulls it in); the open tasks linked to it move
      their planned start and finish by the same working days, so PV follows the new plan
      instead of reading the change as a slip.
    - A removed task's planned cost is cleared (it leaves PV, EV and the baseline); an added
      task joins the baseline with the plan it has.
    """
    cal = calendar or WorkCalendar.for_project(project)
    bac = project.bac + change.cost_delta
    if bac < 0:
        raise InvalidInput(
            f"{change.ref} would take BAC below zero ({money_text(project.bac, project.currency)}"
            f" {money_text(change.cost_delta, project.currency)})"
        )
    by_id = {m.id: m for m in milestones}
    moved: dict[int, date] = {}
    for milestone_id, days in sorted(change.milestone_deltas.items()):
        milestone = by_id.get(milestone_id)
        if milestone is None or milestone.project_id != project.id:
            raise InvalidInput(f"{change.ref}: milestone {milestone_id} is not in {project.key}")
        if days:
            moved[milestone_id] = cal.add_working_days(milestone.baseline, days)
    known = {t.id for t in tasks}
    for task_id in (*change.tasks_added, *change.tasks_removed):
        if task_id not in known:
            raise InvalidInput(f"{change.ref}: task #{task_id} is not in {project.key}")
    removed = set(change.tasks_removed)
    task_changes: dict[int, dict[str, object]] = {}
    planned: list[Task] = []
    for task in sorted(tasks, key=lambda t: t.id):
        fields: dict[str, object] = {}
        days = change.milestone_deltas.get(task.milestone_id or 0, 0)
        if days and task.is_open:
            for name in ("planned_start", "planned_finish"):
                value = getattr(task, name)
                if value is not None:
                    fields[name] = cal.add_working_days(value, days)
        if task.id in removed and task.planned_cost is not None:
            fields["planned_cost"] = None
        if fields:
            task_changes[task.id] = fields
        planned.append(task.model_copy(update=fields) if fields else task)
    return Rebaseline(bac, moved, task_changes, plan_of(planned))


@dataclass(frozen=True)
class BaselineNote:
    """The baseline in force on a day and the one the project started with."""

    current: Baseline
    original: Baseline
    change_ref: str
    """``CR-7``: the change that made the current baseline."""

    @property
    def changed(self) -> bool:
        """A change request has re-baselined the project by then."""
        return self.current.number > 0

    def sentence(self, currency: str, today: date) -> str:
        """ "Baseline changed by CR-7 on 12 Dec: BAC €110,000 (original €100,000)"."""
        made_on = short_date(self.current.made_on, today)
        text = f"Baseline changed by {self.change_ref} on {made_on}"
        if self.current.bac != self.original.bac:
            text += (f": BAC {money_text(self.current.bac, currency)} (original "
                     f"{money_text(self.original.bac, currency)})")  # fmt: skip
        return text + "."

    def milestone_sentence(
        self,
        milestone_id: int,
        baseline: date,
        forecast: date,
        calendar: WorkCalendar,
        today: date,
    ) -> str | None:
        """Said under a milestone the re-baselining moved: its original baseline and the
        slip against that, so the change stays visible."""
        original = self.original.milestones.get(milestone_id)
        if original is None or original == baseline:
            return None
        slip = calendar.between(original, forecast)

        def day(value: date) -> str:
            return short_date(value, today)

        return (
            f"Baseline changed by {self.change_ref} on {day(self.current.made_on)}: "
            f"{day(original)} -> {day(baseline)}; against the original baseline the slip is "
            f"{slip:+d} wd."
        )


def baseline_in_force(baselines: Sequence[Baseline], day: date) -> Baseline | None:
    """The newest baseline made on or before ``day`` (``None``: before any was recorded)."""
    made = [b for b in baselines if b.made_on <= day]
    return max(made, key=lambda b: b.number) if made else None


def baseline_note(
    baselines: Sequence[Baseline], changes: Iterable[ChangeRequest], day: date
) -> BaselineNote | None:
    """What re-baselined the project by ``day``, or ``None`` if nothing had."""
    current = baseline_in_force(baselines, day)
    if current is None or current.number == 0:
        return None
    original = min(baselines, key=lambda b: b.number)
    refs = {c.id: c.ref for c in changes}
    ref = refs.get(current.change_id or 0, f"baseline {current.number}")
    return BaselineNote(current, original, ref)


def impact_text(
    change: ChangeRequest, currency: str, milestones: Mapping[int, str] | None = None
) -> str:
    """``BAC +€10,000.00; Cut-over +5 wd; tasks +#41 -#12``: milestones by name where
    ``milestones`` (id -> name) knows them, else by id."""
    names = milestones or {}
    delta = money_text(change.cost_delta, currency, cents=True, signed=True)
    parts = [f"BAC {delta}" if change.cost_delta else "BAC unchanged"]
    parts += [f"{names.get(m, f'milestone {m}')} {d:+d} wd"
              for m, d in sorted(change.milestone_deltas.items())]  # fmt: skip
    scope = [f"+#{t}" for t in change.tasks_added] + [f"-#{t}" for t in change.tasks_removed]
    if scope:
        parts.append("tasks " + " ".join(scope))
    return "; ".join(parts)


@dataclass(frozen=True)
class ChangeRow:
    """One change request for display, with its project's currency."""

    change: ChangeRequest
    currency: str
    milestones: Mapping[int, str] = field(default_factory=dict)
    """The project's milestone names by id, for the impact."""

    def impact(self) -> str:
        """The change's impact in words (``impact_text``)."""
        return impact_text(self.change, self.currency, self.milestones)
