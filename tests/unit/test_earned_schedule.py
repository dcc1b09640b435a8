"""Earned schedule (Lipke) against published examples, then on a project's working days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from itpm_tui.domain import evm
from itpm_tui.models import Project, Status, Task


def rounded(value: Decimal | None, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, the way the sources round."""
    assert value is not None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Mario Vanhoucke, "Earned Value Management: Forecasting time", PM Knowledge Center, table 2,
# http://www.pmknowledgecenter.com/node/167
# Cumulative PV by week: 5, 10, 25, 55, 85, 120, 130, 140, 150 (then 150 while the project
# runs late). Cumulative EV for weeks 1-6: 3.33, 6.67, 10.00, 22.50, 70.00, 82.50.
# Published ES for those weeks: 0.67, 1.33, 2.00, 2.83, 4.50, 4.92.
PMKC_PV = [Decimal(v) for v in (5, 10, 25, 55, 85, 120, 130, 140, 150)]


def test_pm_knowledge_center_weekly_earned_schedule() -> None:
    ev = ["3.33", "6.67", "10.00", "22.50", "70.00", "82.50"]
    published = ["0.67", "1.33", "2.00", "2.83", "4.50", "4.92"]
    got = [rounded(evm.earned_schedule(PMKC_PV, Decimal(e)), 2) for e in ev]
    assert got == [Decimal(p) for p in published]


def test_pm_knowledge_center_plan_finishes_in_week_9_even_with_flat_weeks_after() -> None:
    padded = [*PMKC_PV, Decimal(150), Decimal(150)]
    assert evm.planned_duration(padded) == 9
    # Completing the work earns the whole planned duration, not the weeks it ran late.
    assert evm.earned_schedule(padded, Decimal(150)) == 9
    assert evm.spi_t(evm.earned_schedule(padded, Decimal(150)), 11) == Decimal(9) / 11


# "Explanation" thread, PM PrepCast PMP exam forum,
# https://www.project-management-prepcast.com/kunena/pmp-exam-discussion/9649-explanation
# A project planned to take 5 months is 3 months in with half of the work done. Published
# answer: ES 2.5 months, SV(t) -0.5 months, SPI(t) 0.83.


def test_prepcast_half_done_after_three_of_five_months() -> None:
    pv = [Decimal(20 * month) for month in range(1, 6)]  # the work spread evenly
    es = evm.earned_schedule(pv, Decimal(50))
    assert es == Decimal("2.5")
    assert evm.sv_t(es, 3) == Decimal("-0.5")
    assert rounded(evm.spi_t(es, 3), 2) == Decimal("0.83")
    # IEAC(t) = PD / SPI(t): at this pace five months of work take six.
    assert evm.ieac_t(5, evm.spi_t(es, 3)) == 6


def test_prepcast_example_as_a_project_over_working_days() -> None:
    # Five one-day tasks Monday to Friday; at the end of Wednesday two and a half are done.
    # ES 2.5 and AT 3 working days; the forecast (6 working days) lands on the next Monday.
    monday = date(2026, 11, 23)
    tasks = [
        Task(id=i + 1, title=f"Step {i + 1}", planned_start=monday + timedelta(days=i),
             planned_finish=monday + timedelta(days=i), planned_cost=Decimal(100),
             status=Status.DONE if i < 2 else Status.DOING if i == 2 else Status.TODO,
             percent_complete=50 if i == 2 else None)
        for i in range(5)
    ]  # fmt: skip
    project = Project(key="FIVE", name="Five days", bac=Decimal(500), start=monday)
    result = evm.earned_value(project, tasks, [], monday + timedelta(days=2))
    assert (result.pd, result.at, result.es) == (5, 3, Decimal("2.5"))
    assert result.sv_t == Decimal("-0.5")
    assert rounded(result.spi_t, 2) == Decimal("0.83")
    assert result.ieac_t == 6
    assert result.planned_finish == date(2026, 11, 27)
    assert result.forecast_finish == date(2026, 11, 30)
    assert result.forecast_slip_days == 1


# Satya Narayan Dash, "Earned Schedule Management (ESM)", MPUG,
# https://www.mpug.com/earned-schedule-management-esm/
# Ten $100,000 modules planned one a month for 10 months; finished after 12 months. Cost-based
# SV and SPI say $0 and 1.0 at the end; the article's point is that the project is two months
# behind. ES = 10 months, AT = 12: SV(t) = -2 months, SPI(t) = 10/12, and IEAC(t) = 12 months.


def test_mpug_late_finish_shows_in_time_based_indicators() -> None:
    pv = [Decimal(100_000 * month) for month in range(1, 11)]
    es = evm.earned_schedule(pv, Decimal(1_000_000))
    assert es == 10
    assert evm.sv_t(es, 12) == -2
    spi_t = evm.spi_t(es, 12)
    assert rounded(spi_t, 2) == Decimal("0.83")
    assert rounded(evm.ieac_t(10, spi_t), 6) == 12


# "Earned Schedule (ES)", HKSM project management definitions,
# https://hksmnow.com/definitions/project-management/earned_schedule_es.php
# Example: at week 20 the EV equals the PV planned for week 18, so ES = 18 weeks,
# SV(t) = -2 weeks and SPI(t) = 0.90. Exam question: AT 24, ES 21 gives SV(t) = -3 weeks.


def test_hksm_earned_value_equal_to_week_18_plan() -> None:
    # Any rising plan will do; an S-curve makes the interpolation do real work.
    weekly = [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 18, 16, 14, 12, 10, 8, 6, 4, 2, 1, 1, 1]
    pv = [Decimal(sum(weekly[: w + 1]) * 1000) for w in range(len(weekly))]
    es = evm.earned_schedule(pv, pv[17])
    assert es == 18
    assert evm.sv_t(es, 20) == -2
    assert evm.spi_t(es, 20) == Decimal("0.9")
    assert evm.sv_t(21, 24) == -3


# Walt Lipke, "Schedule is Different", The Measurable News, March 2003, and the figure in
# "Earned Schedule Concept" (https://www.scribd.com/doc/47929652/Earned-Schedule-Concept):
# "all of the PV through May has been earned ... only a portion of June", so
# ES = 5 + (EV - PV(May)) / (PV(June) - PV(May)) with AT = 7. The definition, checked
# with numbers of our own: EV exactly at May's PV earns 5 months, and each further dollar
# earns its share of June.


def test_lipke_definition_interpolates_within_the_incomplete_month() -> None:
    pv = [Decimal(v) for v in (10, 25, 45, 70, 100, 140, 170, 190, 200, 205, 210)]
    assert evm.earned_schedule(pv, Decimal(100)) == 5
    assert evm.earned_schedule(pv, Decimal(110)) == Decimal("5.25")
    assert evm.sv_t(Decimal("5.25"), 7) == Decimal("-1.75")


def test_nothing_planned_means_no_earned_schedule() -> None:
    assert evm.earned_schedule([], Decimal(10)) is None
    assert evm.earned_schedule([Decimal(0), Decimal(0)], Decimal(0)) is None
    assert evm.planned_duration([]) == 0
    assert evm.spi_t(None, 3) is None
    assert evm.spi_t(Decimal(2), 0) is None
    assert evm.ieac_t(5, Decimal(0)) is None
    assert evm.ieac_t(5, None) is None


def test_a_stretch_with_nothing_planned_counts_as_earned_once_its_work_is_done() -> None:
    # Day 2 plans nothing: finishing day 1's work by the end of day 2 is on schedule.
    pv = [Decimal(100), Decimal(100), Decimal(200)]
    assert evm.earned_schedule(pv, Decimal(100)) == 2
    assert evm.spi_t(evm.earned_schedule(pv, Decimal(100)), 2) == 1


def test_over_complete_never_earns_more_than_the_plan() -> None:
    pv = [Decimal(50), Decimal(100)]
    assert evm.earned_schedule(pv, Decimal(180)) == 2
