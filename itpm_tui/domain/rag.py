"""Red/amber/green flags with reason sentences for budget, schedule, milestones and the project.

Thresholds come from ``project.thresholds`` (``RagThresholds``); the defaults and the rules:

- **Budget**: CPI >= ``cpi_green`` (0.95) green, >= ``cpi_amber`` (0.85) amber, else red; and
  EAC (BAC / CPI) over BAC by more than ``eac_overrun_red`` (10%) red, by more than
  ``eac_overrun_amber`` (5%) amber. The budget flag is the worse of the two. Where the
  bands come from: 0.95 / 0.85 is a common traffic-light split for CPI and SPI in EVM
  training material (e.g. "Understanding EVA", green 1.0-0.95, yellow 0.94-0.85, red below);
  some organisations are stricter (FEMA's mapping dashboard turns yellow below 0.95 and red
  below 0.90); programme stoplight criteria commonly turn an EAC above 105% of the baseline
  cost red, which we soften to amber, keeping red for more than 10%. Because EAC = BAC / CPI,
  the EAC bands bite first: any CPI below 1 / 1.10 = 0.909 is red by EAC even though the CPI
  band alone would call 0.85-0.909 amber.
- **Schedule**: SPI and SPI(t) each against ``spi_green`` / ``spi_amber`` (0.95 / 0.85); the
  worse of the two. SPI(t) matters more late in a project, where SPI drifts back to 1.
- **Milestone**: slip 0 (or ahead) green, 1..``slip_amber_days`` (5) working days amber, more
  red; an open milestone past its baseline is red; one at risk for other reasons (forecast
  passed, linked tasks overdue or due after it, work that does not fit) is at least amber.
  A milestone reached late keeps the colour of its final slip.
- **Overall**: the worst of budget, schedule and the *open* milestones. Milestones already
  reached are history (their lateness shows in SPI(t)) and cannot be acted on, so they do not
  hold the project red forever.

A metric that is not known (``None``) gives the neutral NO_DATA with a reason saying why, and
NO_DATA never makes a combined flag worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.evm import EarnedValue
from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.schedule import MilestoneHealth, MilestoneStatus
from itpm_tui.models import RagThresholds


class Rag(StrEnum):
    """A traffic-light rating; each has a symbol and a word so colour is never alone."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no data"

    @property
    def symbol(self) -> str:
        """A one-character mark that reads without colour."""
        return _SYMBOLS[self]

    @property
    def word(self) -> str:
        """The rating as a capitalised word: ``GREEN``."""
        return self.value.upper()

    @property
    def label(self) -> str:
        """Symbol and word together: ``✖ RED``."""
        return f"{self.symbol} {self.word}"

    @property
    def severity(self) -> int:
        """Higher is worse; NO_DATA is lowest so it never hides a real rating."""
        return _SEVERITY[self]


_SYMBOLS = {Rag.GREEN: "✓", Rag.AMBER: "▲", Rag.RED: "✖", Rag.NO_DATA: "?"}
_SEVERITY = {Rag.NO_DATA: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


@dataclass(frozen=True)
class Flag:
    """A rating of one part of the project, with the sentences that explain it."""

    subject: str
    """What is rated: ``budget``, ``schedule``, ``milestone 'Go-live'``, ``overall``."""
    rag: Rag
    reasons: tuple[str, ...]


def worst(ratings: Iterable[Rag]) -> Rag:
    """The most severe rating; NO_DATA only when nothing else is known."""
    return max(ratings, key=lambda r: r.severity, default=Rag.NO_DATA)


def rate_index(value: Decimal | None, green: float, amber: float) -> Rag:
    """Rate a performance index: at or above ``green`` green, at or above ``amber`` amber."""
    if value is None:
        return Rag.NO_DATA
    if value >= Decimal(str(green)):
        return Rag.GREEN
    if value >= Decimal(str(amber)):
        return Rag.AMBER
    return Rag.RED


def rate_overrun(eac: Decimal | None, bac: Decimal, amber: float, red: float) -> Rag:
    """Rate EAC against BAC: over by more than ``red`` red, by more than ``amber`` amber."""
    if eac is None or bac <= 0:
        return Rag.NO_DATA
    overrun = (eac - bac) / bac
    if overrun > Decimal(str(red)):
        return Rag.RED
    if overrun > Decimal(str(amber)):
        return Rag.AMBER
    return Rag.GREEN


def rate_slip(slip: int, amber_days: int) -> Rag:
    """Rate a milestone slip in working days: 0 or less green, up to ``amber_days`` amber."""
    if slip <= 0:
        return Rag.GREEN
    if slip <= amber_days:
        return Rag.AMBER
    return Rag.RED


# --- number wording -----------------------------------------------------------------------

_CURRENCY_WORDS = {
    "EUR": ("euro", "euros", "cents"),
    "USD": ("dollar", "dollars", "cents"),
    "GBP": ("pound", "pounds", "pence"),
    "CHF": ("franc", "francs", "centimes"),
}


def ratio_text(value: Decimal, threshold: float | None = None) -> str:
    """``value`` to two decimals, with more when two would blur which side of ``threshold``."""
    places = 2
    while places < 6 and threshold is not None:
        shown = round(value, places)
        limit = Decimal(str(threshold))
        if (shown < limit) == (value < limit):
            break
        places += 1
    return f"{value:.{places}f}"


def _percent_text(value: Decimal) -> str:
    return f"{value:.0f}%"


def _days_text(value: Decimal | int) -> str:
    shown = f"{value:.1f}" if isinstance(value, Decimal) else str(value)
    return f"{shown} working day" + ("" if shown in ("1", "1.0") else "s")


def _earns(cpi: Decimal, currency: str) -> str:
    one, many, cents = _CURRENCY_WORDS.get(currency, (currency, currency, ""))
    if cpi < 1 and cents:
        # Never round 0.996 up to "100 cents": below 1 it is less than the money spent.
        hundredths = min(int((cpi * 100).to_integral_value(ROUND_HALF_UP)), 99)
        return f"each {one} spent earns {hundredths} {cents} of planned work"
    return f"each {one} spent earns {cpi:.2f} {many} of planned work"


def _index_sentence(
    name: str, value: Decimal, rag: Rag, green: float, amber: float, meaning: str
) -> str:
    if rag is Rag.GREEN:
        return f"{name} {ratio_text(value, green)} is at or above {green:g}: {meaning}."
    if rag is Rag.AMBER:
        return (
            f"{name} {ratio_text(value, green)} is below {green:g} (red below {amber:g}): "
            f"{meaning}."
        )
    return f"{name} {ratio_text(value, amber)} is below {amber:g}: {meaning}."


# --- the flags ----------------------------------------------------------------------------


def percent_near(value: Decimal, threshold_pct: float | None = None) -> str:
    """``12%``, with a decimal when a whole number would blur the side of ``threshold_pct``.

    10.4% over a 10% limit must not read "10% over (red above 10%)".
    """
    places = 0
    while places < 3 and threshold_pct is not None:
        shown = round(value, places)
        limit = Decimal(str(threshold_pct))
        if (shown > limit) == (value > limit) and (shown == limit) == (value == limit):
            break
        places += 1
    return f"{value:.{places}f}%"


def deciding_first(parts: Iterable[tuple[Rag, str]]) -> list[str]:
    """Reasons with the one that decides the rating (the worst) first; ties keep order."""
    ordered = sorted(enumerate(parts), key=lambda item: (-item[1][0].severity, item[0]))
    return [sentence for _, (_, sentence) in ordered]


def budget_flag(ev: EarnedValue, thresholds: RagThresholds, currency: str = "EUR") -> Flag:
    """Budget health from CPI and from EAC against BAC; the deciding reason comes first."""
    rated: list[tuple[Rag, str]] = []
    cpi_rag = rate_index(ev.cpi, thresholds.cpi_green, thresholds.cpi_amber)
    if ev.cpi is None:
        as_of = short_date(ev.as_of, ev.as_of)
        rated.append((cpi_rag, f"No cost is recorded up to {as_of}, so CPI is not known yet."))
    else:
        earns = _earns(ev.cpi, currency)
        green, amber = thresholds.cpi_green, thresholds.cpi_amber
        rated.append((cpi_rag, _index_sentence("CPI", ev.cpi, cpi_rag, green, amber, earns)))
    eac_rag = rate_overrun(ev.eac, ev.bac, thresholds.eac_overrun_amber, thresholds.eac_overrun_red)
    if ev.bac <= 0:
        rated.append(
            (eac_rag, "The budget (BAC) is zero, so the forecast cannot be compared with it.")
        )
    elif ev.eac is None:
        if ev.cpi is not None:
            rated.append((eac_rag, "Nothing has been earned yet, so EAC (BAC / CPI) is not known."))
    else:
        rated.append((eac_rag, _eac_sentence(ev.eac, ev.bac, eac_rag, thresholds, currency)))
    reasons = deciding_first(rated)
    if ev.eac is not None and ev.eac < ev.ac:
        reasons.append(
            f"EAC {money_text(ev.eac, currency)} is below the {money_text(ev.ac, currency)} "
            f"already spent, which cannot be: the earned value "
            f"({money_text(ev.ev, currency)}) is more than the BAC, so the tasks' planned "
            f"costs add up to more than the budget. Check them or the BAC."
        )
    if ev.bac > 0 and ev.ac >= ev.bac:
        reasons.append(
            f"The budget is used up: {money_text(ev.ac, currency)} spent of "
            f"{money_text(ev.bac, currency)}."
        )
    elif ev.tcpi_bac is not None and ev.tcpi_bac > 1:
        reasons.append(
            f"To finish within the BAC the remaining work must run at CPI "
            f"{ratio_text(ev.tcpi_bac)} (TCPI)."
        )
    finish = ev.forecast_finish or ev.planned_finish
    if (
        ev.runway_end is not None
        and ev.burn_rate is not None
        and finish is not None
        and ev.runway_end < finish
        and ev.ac < ev.bac
    ):
        reasons.append(
            f"At the burn rate of {money_text(ev.burn_rate, currency)} per working day the "
            f"budget runs out on {short_date(ev.runway_end, ev.as_of)}, before "
            f"the {'forecast' if ev.forecast_finish else 'planned'} finish on "
            f"{short_date(finish, ev.as_of)}."
        )
    return Flag("budget", worst((cpi_rag, eac_rag)), tuple(reasons))


def _eac_sentence(
    eac: Decimal, bac: Decimal, rag: Rag, thresholds: RagThresholds, currency: str
) -> str:
    eac_text, bac_text = money_text(eac, currency), money_text(bac, currency)
    overrun = (eac - bac) / bac * 100
    amber_pct = thresholds.eac_overrun_amber * 100
    red_pct = thresholds.eac_overrun_red * 100
    if rag is Rag.RED:
        return (
            f"EAC {eac_text} is {percent_near(overrun, red_pct)} over the BAC of {bac_text} "
            f"(red above {red_pct:g}%)."
        )
    if rag is Rag.AMBER:
        return (
            f"EAC {eac_text} is {percent_near(overrun, amber_pct)} over the BAC of {bac_text} "
            f"(amber above {amber_pct:g}%)."
        )
    if overrun > 0:
        return (
            f"EAC {eac_text} is {percent_near(overrun, amber_pct)} over the BAC of {bac_text}, "
            f"within the {amber_pct:g}% tolerance."
        )
    return f"EAC {eac_text} is within the BAC of {bac_text}."


def _finish_sentence(forecast: date, planned: date, slip: int, today: date) -> str:
    finish = f"At this pace it finishes on {short_date(forecast, today)}"
    if slip > 0:
        return f"{finish}, {_days_text(slip)} after the planned {short_date(planned, today)}."
    if slip < 0:
        return f"{finish}, {_days_text(-slip)} before the planned {short_date(planned, today)}."
    return f"{finish}, as planned."


def schedule_flag(ev: EarnedValue, thresholds: RagThresholds) -> Flag:
    """Schedule health from SPI and from earned schedule's SPI(t)."""
    green, amber = thresholds.spi_green, thresholds.spi_amber
    reasons: list[str] = []
    spi_rag = rate_index(ev.spi, green, amber)
    spi_t_rag = rate_index(ev.spi_t, green, amber)
    if ev.baseline_task_count == 0:
        reasons.append(
            "No task has a planned cost and planned dates, so there is no plan to measure "
            "the schedule against."
        )
        return Flag("schedule", Rag.NO_DATA, tuple(reasons))
    rated: list[tuple[Rag, str]] = []
    as_of = short_date(ev.as_of, ev.as_of)
    if ev.spi is None:
        rated.append((spi_rag, f"Nothing was planned by {as_of}, so SPI is not known yet."))
    else:
        done = f"{ev.spi * 100:.0f}% of the work planned by {as_of} is done"
        rated.append((spi_rag, _index_sentence("SPI", ev.spi, spi_rag, green, amber, done)))
    if ev.spi_t is None or ev.es is None:
        rated.append(
            (
                spi_t_rag,
                f"No working day of the plan has passed by {as_of}, so SPI(t) is not known yet.",
            )
        )
    else:
        earned = (
            f"{_days_text(ev.es)} of the plan earned in {_days_text(ev.at)} elapsed "
            f"(SV(t) {ev.sv_t:+.1f})"
        )
        rated.append(
            (spi_t_rag, _index_sentence("SPI(t)", ev.spi_t, spi_t_rag, green, amber, earned))
        )
    reasons += deciding_first(rated)
    if (
        ev.forecast_finish is not None
        and ev.planned_finish is not None
        and ev.forecast_slip_days is not None
    ):
        reasons.append(
            _finish_sentence(ev.forecast_finish, ev.planned_finish, ev.forecast_slip_days, ev.as_of)
        )
    elif ev.ieac_t is not None and ev.forecast_finish is None:
        reasons.append(
            f"At this pace the plan would take {ev.ieac_t:,.0f} working days, so no finish "
            f"date is forecast."
        )
    return Flag("schedule", worst((spi_rag, spi_t_rag)), tuple(reasons))


def milestone_subject(name: str) -> str:
    """How a milestone is named in flags and overall reasons."""
    return f"milestone '{name}'"


def milestone_flag(milestone: MilestoneHealth, thresholds: RagThresholds) -> Flag:
    """A milestone's colour from its slip, its status and its at-risk evidence."""
    amber_days = thresholds.slip_amber_days
    rag = rate_slip(milestone.slip, amber_days)
    lead: list[str] = []
    if milestone.status is MilestoneStatus.DONE:
        rag = Rag.GREEN
    elif milestone.status is MilestoneStatus.LATE:
        rag = Rag.RED
    elif milestone.status is MilestoneStatus.AT_RISK:
        rag = worst((rag, Rag.AMBER))
    if milestone.slip > amber_days and milestone.status is not MilestoneStatus.DONE:
        lead.append(
            f"A slip of {_days_text(milestone.slip)} is more than the {amber_days} "
            f"allowed before red."
        )
    return Flag(milestone_subject(milestone.name), rag, (*lead, *milestone.reasons))


def overall_flag(parts: Iterable[Flag]) -> Flag:
    """The worst of ``parts``, naming the parts that make it so."""
    part_list = list(parts)
    rag = worst(p.rag for p in part_list)
    if rag is Rag.NO_DATA:
        return Flag("overall", rag, ("Nothing can be rated yet: no plan, progress or cost.",))
    culprits = [p.subject for p in part_list if p.rag is rag]
    if rag is Rag.GREEN:
        reasons = ["Every rated part is green: " + ", ".join(culprits) + "."]
    else:
        reasons = [f"{rag.word.capitalize()} because of: " + ", ".join(culprits) + "."]
    unknown = [p.subject for p in part_list if p.rag is Rag.NO_DATA]
    if unknown:
        reasons.append("No data yet for: " + ", ".join(unknown) + ".")
    return Flag("overall", rag, tuple(reasons))
