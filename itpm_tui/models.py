"""Pydantic models (frozen) for everything the app stores and shows."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, NamedTuple, Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
"""A non-negative amount of money with at most two decimals."""

Hours = Annotated[float, Field(ge=0, le=100_000)]
"""A non-negative number of hours."""


class Frozen(BaseModel):
    """Base for all models: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True, defer_build=True)


class Status(StrEnum):
    """Where a task is in its life; the board walks these right to left."""

    TODO = "todo"
    DOING = "doing"
    BLOCKED = "blocked"
    REVIEW = "review"
    DONE = "done"

    @property
    def label(self) -> str:
        """Human name for column headers."""
        return _STATUS_LABELS[self]

    @property
    def symbol(self) -> str:
        """A symbol, so status is never shown by colour alone."""
        return _STATUS_SYMBOLS[self]


_STATUS_LABELS = {
    Status.TODO: "To do",
    Status.DOING: "Doing",
    Status.BLOCKED: "Blocked",
    Status.REVIEW: "Review",
    Status.DONE: "Done",
}
_STATUS_SYMBOLS = {
    Status.TODO: "○",
    Status.DOING: "◐",
    Status.BLOCKED: "⊘",
    Status.REVIEW: "◑",
    Status.DONE: "●",
}

PRIORITY_MIN = 1
"""P1 is the most urgent."""
PRIORITY_MAX = 4
"""P4 is the least urgent."""


class Person(Frozen):
    """Someone who owns tasks and speaks at stand-ups."""

    login: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\w.\-@]+$")]
    name: str = ""
    team: str = ""

    @property
    def display(self) -> str:
        """The name if known, else the login."""
        return self.name or self.login


Ratio = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A non-negative, finite index or fraction (CPI 0.95, an overrun of 0.05 = 5%)."""

Days = Annotated[int, Field(ge=0)]
"""A whole, non-negative number of working days."""


class RagThresholds(Frozen):
    """Where green turns amber and amber turns red; configurable per project."""

    cpi_green: Ratio = 0.95
    """CPI at or above this is green."""
    cpi_amber: Ratio = 0.85
    """CPI at or above this (and below green) is amber; below is red."""
    spi_green: Ratio = 0.95
    """SPI and SPI(t) at or above this are green."""
    spi_amber: Ratio = 0.85
    """SPI and SPI(t) at or above this (and below green) are amber."""
    eac_overrun_amber: Ratio = 0.05
    """EAC over BAC by more than this fraction is amber."""
    eac_overrun_red: Ratio = 0.10
    """EAC over BAC by more than this fraction is red."""
    slip_amber_days: Days = 5
    """Milestone slip of 1..this many working days is amber; more is red."""
    blocked_days: Days = 2
    """A task blocked longer than this many working days is flagged."""
    stale_days: Days = 5
    """An in-progress task with no update for this many working days is stale."""
    due_soon_days: Days = 3
    """Open tasks due within this many working days are due soon."""
    near_critical_days: Days = 2
    """Open tasks with total float of 1..this many working days are near-critical."""

    @model_validator(mode="after")
    def _bands_in_order(self) -> Self:
        # An amber band above green (or a red overrun below amber) would make the middle
        # colour unreachable and the flags contradict their own reason sentences.
        problems = [
            f"{low} ({getattr(self, low)}) must not be above {high} ({getattr(self, high)})"
            for low, high in (
                ("cpi_amber", "cpi_green"),
                ("spi_amber", "spi_green"),
                ("eac_overrun_amber", "eac_overrun_red"),
            )
            if getattr(self, low) > getattr(self, high)
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def differences(self) -> dict[str, float | int]:
        """The thresholds that differ from the defaults, in declaration order."""
        defaults = RagThresholds()
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if getattr(self, name) != getattr(defaults, name)
        }


class RiskScaleKind(StrEnum):
    """The probability x impact scale a project rates its risks on."""

    FIVE = "1-5"
    """Probability and impact each a whole rating 1-5; score 1-25."""
    PMBOK = "pmbok"
    """PMBOK's matrix: probability 0.1-0.9, impact 0.05-0.8; score rounded to two decimals."""


RiskBand = Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=4)]
"""The highest score of a risk band (on the project's scale)."""


class RiskSettings(Frozen):
    """A project's risk scale, where its score bands end (like ``RagThresholds``) and its
    contingency reserve."""

    kind: RiskScaleKind = RiskScaleKind.FIVE
    low: RiskBand | None = None
    """Scores up to this are low (``None``: the scale's default)."""
    medium: RiskBand | None = None
    """Scores up to this (above low) are medium."""
    high: RiskBand | None = None
    """Scores up to this (above medium) are high."""
    very_high: RiskBand | None = None
    """Scores up to this (above high) are very high; above it, critical."""
    contingency: Money | None = None
    """The contingency reserve still available for risks (``None``: none set)."""

    @model_validator(mode="after")
    def _bands_in_order(self) -> Self:
        # Equal or reversed edges would make a band unreachable.
        names = ("low", "medium", "high", "very_high")
        edges = self.edges()
        problems = [
            f"risk band {names[n]} ({edges[n]}) must be below {names[n + 1]} ({edges[n + 1]})"
            for n in range(3)
            if edges[n] >= edges[n + 1]
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def edges(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """The highest score of low, medium, high and very high, defaults filled in."""
        default = RISK_BAND_DEFAULTS[self.kind]
        given = (self.low, self.medium, self.high, self.very_high)
        low, medium, high, very_high = (g if g is not None else d
                                        for g, d in zip(given, default, strict=True))  # fmt: skip
        return low, medium, high, very_high


RISK_BAND_DEFAULTS: dict[RiskScaleKind, tuple[Decimal, Decimal, Decimal, Decimal]] = {
    RiskScaleKind.FIVE: (Decimal(4), Decimal(9), Decimal(15), Decimal(20)),
    RiskScaleKind.PMBOK: (Decimal("0.04"), Decimal("0.09"), Decimal("0.18"), Decimal("0.36")),
}
"""Default band edges per scale: 1-5 is the issue's (<= 4 low ... 25 critical); PMBOK leaves
thresholds to the organisation, so ours double from one matrix cell row to the next."""


PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


class Project(Frozen):
    """A project with a budget, a baseline and a working-day calendar."""

    id: int = 0
    key: str
    name: str
    bac: Money = Decimal(0)
    """Budget at completion."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    start: date | None = None
    baseline_finish: date | None = None
    workdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    """ISO weekdays that are working days (1 = Monday)."""
    holidays: tuple[date, ...] = ()
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 8.0
    """Working hours per person per working day, for fitting remaining work."""
    thresholds: RagThresholds = RagThresholds()
    version: int = 1
    risk_settings: RiskSettings = RiskSettings()
    """How this project rates risks (RAID log)."""

    @field_validator("key", mode="before")
    @classmethod
    def _upper_key(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            if not PROJECT_KEY.match(value):
                raise ValueError("a project key is 2-10 letters or digits, starting with a letter")
        return value

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a project needs a name")
        return value.strip()

    @field_validator("workdays")
    @classmethod
    def _valid_workdays(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(d < 1 or d > 7 for d in value):
            raise ValueError("working days are ISO weekdays 1 (Monday) to 7 (Sunday)")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _finish_after_start(self) -> Self:
        if self.start and self.baseline_finish and self.baseline_finish < self.start:
            raise ValueError("the baseline finish is before the start")
        return self


class ForecastChange(Frozen):
    """One recorded milestone forecast, for trend analysis."""

    recorded_on: date
    forecast: date


class Milestone(Frozen):
    """A dated checkpoint of a project, with baseline, forecast and actual dates."""

    id: int = 0
    project_id: int
    name: Annotated[str, Field(min_length=1, max_length=200)]
    baseline: date
    forecast: date
    actual: date | None = None
    history: tuple[ForecastChange, ...] = ()
    """Every forecast ever recorded, oldest first (the baseline is the first)."""
    version: int = 1

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a milestone needs a name")
        return value.strip()


class Task(Frozen):
    """A unit of work; a personal to-do is a task with no project."""

    id: int = 0
    project_id: int | None = None
    project_key: str | None = None
    """The project's key, filled in by the store for display."""
    milestone_id: int | None = None
    title: Annotated[str, Field(min_length=1, max_length=500)]
    notes: str = ""
    status: Status = Status.TODO
    assignee: str | None = None
    priority: Annotated[int, Field(ge=PRIORITY_MIN, le=PRIORITY_MAX)] = 3
    due: date | None = None
    planned_start: date | None = None
    planned_finish: date | None = None
    estimate_hours: Hours | None = None
    remaining_hours: Hours | None = None
    percent_complete: Annotated[int, Field(ge=0, le=100)] | None = None
    """Set explicitly; otherwise progress is derived from estimate and remaining."""
    planned_cost: Money | None = None
    blocked_reason: str = ""
    blocked_since: datetime | None = None
    waiting_on: str = ""
    """Who or what this task waits for (a vendor, a colleague)."""
    snoozed_until: date | None = None
    """Hidden from Today's list before this date."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    done_at: datetime | None = None
    version: int = 1
    repeat: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    """A repeat rule's canonical text (``domain/recurrence.py``): finishing the task adds
    the next occurrence."""
    repeat_of: int | None = None
    """The occurrence this one was created after (at most one task per finished one)."""

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a task needs a title")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            raise ValueError("the planned finish is before the planned start")
        return self

    @property
    def is_open(self) -> bool:
        """Not done."""
        return self.status is not Status.DONE

    @property
    def progress(self) -> float:
        """Percent complete: done is 100, else explicit, else from estimate and remaining."""
        return progress_of(self.status, self.percent_complete, self.estimate_hours,
                           self.remaining_hours)  # fmt: skip

    @property
    def ref(self) -> str:
        """How people refer to the task: ``#42``."""
        return f"#{self.id}"


class TaskFacts(Protocol):
    """What health, earned value, the schedule network, the workload and the weekly report
    read of a task.

    Both a full ``Task`` and a light ``TaskRow`` (the store's narrow read for computing a
    whole portfolio) have these, so the domain computes the same from either.
    """

    @property
    def id(self) -> int: ...
    @property
    def project_id(self) -> int | None: ...
    @property
    def milestone_id(self) -> int | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def assignee(self) -> str | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def planned_start(self) -> date | None: ...
    @property
    def planned_finish(self) -> date | None: ...
    @property
    def estimate_hours(self) -> float | None: ...
    @property
    def remaining_hours(self) -> float | None: ...
    @property
    def percent_complete(self) -> int | None: ...
    @property
    def planned_cost(self) -> Decimal | None: ...
    @property
    def blocked_reason(self) -> str: ...
    @property
    def blocked_since(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def done_at(self) -> datetime | None: ...
    @property
    def title(self) -> str: ...
    @property
    def waiting_on(self) -> str: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def progress(self) -> float: ...


def progress_of(
    status: Status, percent_complete: int | None, estimate: float | None, remaining: float | None
) -> float:
    """A task's percent complete (``Task.progress``, ``TaskRow.progress``): done is 100, else
    explicit, else from estimate and remaining."""
    if status is Status.DONE:
        return 100.0
    if percent_complete is not None:
        return float(percent_complete)
    if estimate and remaining is not None:
        done = (estimate - remaining) / estimate
        return max(0.0, min(100.0, done * 100.0))
    return 0.0


class TaskRow(NamedTuple):
    """A task's ``TaskFacts`` and nothing else: no notes, repeat rule or bookkeeping.

    The store builds these from a narrow read of trusted columns (``TaskRepo.find_rows``) for
    computations over every task of a portfolio, where validating 100,000 full models cost
    more than all the health arithmetic. Values have the same types as on ``Task``; a named
    tuple, as building 100,000 frozen dataclasses cost twice as much. ``is_open`` and
    ``progress`` are fields set once by the store (``progress_of``), not properties: the
    domain reads them hundreds of thousands of times.
    """

    id: int
    project_id: int | None
    milestone_id: int | None
    status: Status
    assignee: str | None
    due: date | None
    planned_start: date | None
    planned_finish: date | None
    estimate_hours: float | None
    remaining_hours: float | None
    percent_complete: int | None
    planned_cost: Decimal | None
    blocked_reason: str
    blocked_since: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    done_at: datetime | None
    title: str
    waiting_on: str
    is_open: bool
    """Not done."""
    progress: float
    """Percent complete, as ``Task.progress``."""


class LinkType(StrEnum):
    """How a successor depends on its predecessor: which end waits for which end."""

    FS = "fs"
    """Finish-to-start: the successor starts after the predecessor finishes (the default)."""
    SS = "ss"
    """Start-to-start: the successor starts once the predecessor has started."""
    FF = "ff"
    """Finish-to-finish: the successor finishes once the predecessor has finished."""
    SF = "sf"
    """Start-to-finish: the successor finishes once the predecessor has started."""


class TaskLink(Frozen):
    """A dependency between two tasks, with a lag in working days (negative: a lead)."""

    pred_id: int
    succ_id: int
    kind: LinkType = LinkType.FS
    lag: Annotated[int, Field(ge=-1000, le=1000)] = 0

    @model_validator(mode="after")
    def _not_self(self) -> Self:
        if self.pred_id == self.succ_id:
            raise ValueError(f"a task cannot depend on itself (#{self.pred_id})")
        return self


class RaidKind(StrEnum):
    """The four kinds of item in a RAID log."""

    RISK = "risk"
    ISSUE = "issue"
    ASSUMPTION = "assumption"
    DECISION = "decision"


class RaidStatus(StrEnum):
    """Where a RAID item is; decisions are proposed or made, the others open to closed."""

    OPEN = "open"
    MONITORING = "monitoring"
    CLOSED = "closed"
    PROPOSED = "proposed"
    MADE = "made"


DECISION_STATUSES = frozenset({RaidStatus.PROPOSED, RaidStatus.MADE})
"""The statuses a decision may have (and only a decision)."""


class RiskResponse(StrEnum):
    """The strategy chosen for a threat (PMBOK)."""

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class RaidItem(Frozen):
    """A risk, issue, assumption or decision of a project, with links to its work."""

    id: int = 0
    project_id: int
    project_key: str | None = None
    """The project's key, filled in by the store for display."""
    kind: RaidKind
    title: Annotated[str, Field(min_length=1, max_length=500)]
    description: str = ""
    owner: str | None = None
    status: RaidStatus = RaidStatus.OPEN
    raised_by: str = ""
    raised_on: date
    review_on: date | None = None
    probability: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=4)] | None = None
    """On the project's risk scale (1-5, or 0.1-0.9 on PMBOK's)."""
    impact: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=4)] | None = None
    cost_impact: Money | None = None
    """Money lost if the risk happens."""
    schedule_impact: Annotated[int, Field(ge=0, le=10_000)] | None = None
    """Working days lost if the risk happens."""
    response: RiskResponse | None = None
    mitigation: str = ""
    mitigation_due: date | None = None
    task_ids: tuple[int, ...] = ()
    milestone_ids: tuple[int, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a RAID item needs a title")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        is_decision = self.kind is RaidKind.DECISION
        if is_decision != (self.status in DECISION_STATUSES):
            allowed = "proposed or made" if is_decision else "open, monitoring or closed"
            raise ValueError(f"a {self.kind.value}'s status is {allowed} (got {self.status.value})")
        if self.kind is RaidKind.RISK and (self.probability is None or self.impact is None):
            raise ValueError("a risk needs a probability and an impact")
        if self.review_on is not None and self.review_on < self.raised_on:
            raise ValueError(
                f"the review date {self.review_on} is before the day it was raised "
                f"({self.raised_on})"
            )
        return self

    @property
    def ref(self) -> str:
        """How people refer to the item: ``R12`` for a risk, ``I3``, ``A4``, ``D5``."""
        return f"{self.kind.value[0].upper()}{self.id}"

    @property
    def is_open(self) -> bool:
        """Not closed (a proposed decision is open; a made one is not)."""
        return self.status not in (RaidStatus.CLOSED, RaidStatus.MADE)


class CostEntry(Frozen):
    """Money actually spent on a project (feeds AC)."""

    id: int = 0
    project_id: int
    spent_on: date
    amount: Money
    category: str = ""
    note: str = ""
    created_by: str = ""


class CostFacts(Protocol):
    """What earned value reads of a cost entry: a ``CostEntry`` or a light ``CostRow``."""

    @property
    def spent_on(self) -> date: ...
    @property
    def amount(self) -> Decimal: ...


class CostRow(NamedTuple):
    """A cost entry's ``CostFacts`` and its project (``CostRepo.find_rows``): the portfolio
    reads every entry of every project, and validating them all cost a tenth of its time."""

    project_id: int
    spent_on: date
    amount: Decimal


class AuditEvent(Frozen):
    """One field change, appended to the audit log in the same transaction as the change."""

    id: int = 0
    at: datetime
    who: str
    entity: str
    entity_id: int
    field: str
    old: str | None = None
    new: str | None = None
    version: int | None = None
    """The entity's version after the change."""
    os_user: str = ""
    """The OS account that wrote the row (``who`` is only claimed); ``""``: not recorded."""

    @property
    def by(self) -> str:
        """Who, as shown: ``alice``, or ``alice (OS: root)`` when the OS account differs."""
        if self.os_user and self.os_user != self.who:
            return f"{self.who} (OS: {self.os_user})"
        return self.who


class StandupSession(Frozen):
    """One daily stand-up meeting."""

    id: int = 0
    held_on: date
    project_id: int | None = None
    team: str = ""
    facilitator: str = ""
    order_mode: str = "fixed"
    timebox_seconds: int = 120
    meeting_seconds: int = 900
    started_at: datetime | None = None
    ended_at: datetime | None = None


class StandupEntry(Frozen):
    """What one person said (or posted ahead) at a stand-up."""

    id: int = 0
    standup_id: int | None = None
    held_on: date
    person: str
    yesterday: str = ""
    today: str = ""
    blockers: str = ""
    present: bool = True
    seconds_spoken: int = 0
    position: int = 0


class ParkingItem(Frozen):
    """A topic parked during the stand-up, to discuss afterwards."""

    id: int = 0
    standup_id: int
    topic: str
    raised_by: str = ""
    wanted_by: str = ""
    """Logins of who wants to discuss it, comma-separated."""
    resolved: bool = False


MINUTES_PER_DAY = 24 * 60
"""Nobody logs more than a whole day's minutes on one day (standard plus overtime)."""


class Worklog(Frozen):
    """Time one person spent on one task on one day; feeds actual cost at their rate.

    Time is whole minutes so sums are exact; ``overtime_minutes`` come on top of ``minutes``
    and cost the overtime rate.
    """

    id: int = 0
    person: Annotated[str, Field(min_length=1, max_length=64)]
    task_id: int
    day: date
    minutes: Annotated[int, Field(ge=0, le=MINUTES_PER_DAY)]
    overtime_minutes: Annotated[int, Field(ge=0, le=MINUTES_PER_DAY)] = 0
    note: str = ""
    author: str = ""
    created_at: datetime | None = None
    version: int = 1

    @property
    def hours(self) -> Decimal:
        """Standard hours (exact when the minutes make whole hundredths of an hour)."""
        return Decimal(self.minutes) / 60

    @property
    def total_minutes(self) -> int:
        """Standard plus overtime minutes."""
        return self.minutes + self.overtime_minutes


class Timer(Frozen):
    """A person's running timer on a task, since ``started_at``; stopping it logs the time."""

    person: Annotated[str, Field(min_length=1, max_length=64)]
    task_id: int
    started_at: datetime

    def minutes_at(self, now: datetime) -> int:
        """Whole minutes run by ``now`` (never negative: a clock set back counts 0)."""
        return max(int((now - self.started_at).total_seconds() // 60), 0)


class PersonRate(Frozen):
    """What an hour of one person costs from ``effective_from`` until their next rate."""

    id: int = 0
    person: Annotated[str, Field(min_length=1, max_length=64)]
    effective_from: date
    rate: Money
    overtime_rate: Money | None = None
    """``None``: overtime costs the standard rate."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"


class PersonCapacity(Frozen):
    """A person's own working hours per day and weekdays (``None``: the default calendar)."""

    person: Annotated[str, Field(min_length=1, max_length=64)]
    hours_per_day: Annotated[float, Field(gt=0, le=24)] | None = None
    workdays: tuple[int, ...] | None = None

    @field_validator("workdays")
    @classmethod
    def _valid_workdays(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is None:
            return None
        if not value or any(d < 1 or d > 7 for d in value):
            raise ValueError("working days are ISO weekdays 1 (Monday) to 7 (Sunday)")
        return tuple(sorted(set(value)))


class Leave(Frozen):
    """Days a person is away (leave, a public holiday of theirs), both days included."""

    id: int = 0
    person: Annotated[str, Field(min_length=1, max_length=64)]
    first_day: date
    last_day: date
    note: str = ""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.last_day < self.first_day:
            raise ValueError("the leave ends before it starts")
        return self


class ChangeStatus(StrEnum):
    """Where a change request is: proposed, then approved or rejected; approved, then applied."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPLIED = "applied"


SignedMoney = Annotated[Decimal, Field(max_digits=18, decimal_places=2)]
"""An amount of money that may be negative (a change that saves money), two decimals."""


class ChangeRequest(Frozen):
    """A request to change a project's scope, cost or schedule; applying it re-baselines."""

    id: int = 0
    project_id: int
    project_key: str | None = None
    """The project's key, filled in by the store for display."""
    title: Annotated[str, Field(min_length=1, max_length=500)]
    reason: str = ""
    requested_by: str = ""
    status: ChangeStatus = ChangeStatus.PROPOSED
    cost_delta: SignedMoney = Decimal(0)
    """Added to BAC when applied (negative: the budget shrinks)."""
    milestone_deltas: dict[int, Annotated[int, Field(ge=-1000, le=1000)]] = Field(
        default_factory=dict
    )
    """Working days each milestone's baseline moves, by milestone id."""
    tasks_added: tuple[int, ...] = ()
    """Tasks the change brings into scope (their planned dates and costs join the baseline)."""
    tasks_removed: tuple[int, ...] = ()
    """Tasks the change takes out of scope (their planned cost leaves the baseline)."""
    decided_by: str = ""
    decided_on: date | None = None
    applied_on: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a change request needs a title")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        both = set(self.tasks_added) & set(self.tasks_removed)
        if both:
            refs = ", ".join(f"#{i}" for i in sorted(both))
            raise ValueError(f"a task cannot be both added and removed: {refs}")
        return self

    @property
    def ref(self) -> str:
        """How people refer to it: ``CR-7``."""
        return f"CR-{self.id}"


class BaselineTask(Frozen):
    """One task's planned dates and cost as a baseline recorded them."""

    task_id: int
    planned_start: date | None = None
    planned_finish: date | None = None
    planned_cost: Money | None = None


class Baseline(Frozen):
    """A named, kept baseline of a project: BAC, milestone baselines, task plans.

    Number 0 is the original (recorded when the first change is applied); each applied change
    request adds the next number. The newest is the one in force.
    """

    id: int = 0
    project_id: int
    number: Annotated[int, Field(ge=0)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    change_id: int | None = None
    made_on: date
    made_by: str = ""
    bac: Money
    milestones: dict[int, date] = Field(default_factory=dict)
    """Each milestone's baseline date, by milestone id."""
    tasks: tuple[BaselineTask, ...] = ()
