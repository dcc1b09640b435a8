"""Earned value formulas against published worked examples, with their published numbers.

Each test names its source. Where the source rounded an intermediate value (or got the
arithmetic wrong) the test says so, checks the published figure the way the source computed it,
and checks the exact value our functions give.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from itpm_tui.domain import evm
from itpm_tui.models import CostEntry, Project, Status, Task


def rounded(value: Decimal | None, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, the way textbooks round."""
    assert value is not None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Rita Mulcahy, "PMP Exam Prep", p. 210: the fence exercise, as reproduced in "Earned Value
# Exercise", https://studylib.net/doc/5898152/earned-value-exercise
# A four-sided fence, one side a day at $1,000 each, built one after the other. End of day 3:
# side 1 done ($1,000 spent), side 2 done ($1,200), side 3 half done ($600), side 4 not started.
# Published: PV 3,000; EV 2,500; AC 2,800; BAC 4,000; CV -300; CPI .893; SV -500; SPI .833;
# EAC 4,479; ETC 1,679; VAC -479.


def test_fence_exercise_variances_and_indices() -> None:
    pv, ev, ac, bac = Decimal(3000), Decimal(2500), Decimal(2800), Decimal(4000)
    assert evm.percent(ev, bac) == Decimal("62.5")
    assert evm.cv(ev, ac) == -300
    assert evm.sv(ev, pv) == -500
    assert rounded(evm.cpi(ev, ac), 3) == Decimal("0.893")
    assert rounded(evm.spi(ev, pv), 3) == Decimal("0.833")


def test_fence_exercise_forecasts_published_with_a_rounded_cpi() -> None:
    bac, ac = Decimal(4000), Decimal(2800)
    # The book divides by the rounded CPI .893: 4,000 / .893 = 4,479.28.
    published_eac = evm.eac_typical(bac, Decimal("0.893"))
    assert rounded(published_eac, 0) == 4479
    assert rounded(evm.etc(published_eac, ac), 0) == 1679
    assert rounded(evm.vac(bac, published_eac), 0) == -479
    # With the exact CPI 2,500 / 2,800 the figures are 4,480, 1,680 and -480.
    exact_eac = evm.eac_typical(bac, evm.cpi(2500, ac))
    assert rounded(exact_eac, 6) == 4480
    assert rounded(evm.etc(exact_eac, ac), 6) == 1680
    assert rounded(evm.vac(bac, exact_eac), 6) == -480


def test_fence_exercise_as_a_project_on_working_days() -> None:
    # The same fence as four one-day tasks Monday to Thursday, seen at the end of Wednesday.
    monday = date(2026, 11, 23)
    days = [date(2026, 11, 23 + i) for i in range(4)]
    project = Project(key="FENCE", name="Fence", bac=Decimal(4000), start=monday)
    states = [(Status.DONE, None), (Status.DONE, None), (Status.DOING, 50), (Status.TODO, None)]
    tasks = [
        Task(id=i + 1, title=f"Side {i + 1}", planned_start=day, planned_finish=day,
             planned_cost=Decimal(1000), status=status, percent_complete=pct)
        for i, (day, (status, pct)) in enumerate(zip(days, states, strict=True))
    ]  # fmt: skip
    costs = [
        CostEntry(project_id=0, spent_on=day, amount=Decimal(amount))
        for day, amount in zip(days, (1000, 1200, 600), strict=False)
    ]
    result = evm.earned_value(project, tasks, costs, days[2])
    assert [result.pv, result.ev, result.ac, result.bac] == [3000, 2500, 2800, 4000]
    assert [result.cv, result.sv] == [-300, -500]
    assert rounded(result.cpi, 3) == Decimal("0.893")
    assert rounded(result.spi, 3) == Decimal("0.833")
    assert [result.eac, result.etc, result.vac] == [4480, 1680, -480]


def test_fence_exercise_per_side_values_are_the_lines_behind_sv() -> None:
    # The same fence: the project's SV of -500 is side 3, half built on the day it was planned.
    monday = date(2026, 11, 23)
    project = Project(key="FENCE", name="Fence", bac=Decimal(4000), start=monday)
    states = [(Status.DONE, None), (Status.DONE, None), (Status.DOING, 50), (Status.TODO, None)]
    tasks = [
        Task(id=i + 1, title=f"Side {i + 1}", planned_start=date(2026, 11, 23 + i),
             planned_finish=date(2026, 11, 23 + i), planned_cost=Decimal(1000), status=status,
             percent_complete=pct)
        for i, (status, pct) in enumerate(states)
    ]  # fmt: skip
    values = evm.task_values(project, tasks, date(2026, 11, 25))
    assert [(v.task_id, int(v.pv), int(v.ev), int(v.sv)) for v in values] == [
        (1, 1000, 1000, 0), (2, 1000, 1000, 0), (3, 1000, 500, -500), (4, 0, 0, 0),
    ]  # fmt: skip
    assert all(v.pv == int(v.pv) and v.ev == int(v.ev) for v in values)  # whole amounts
    assert [v.to_earn for v in values] == [0, 0, 500, 1000]
    total = evm.earned_value(project, tasks, [], date(2026, 11, 25))
    assert sum(v.pv for v in values) == total.pv and sum(v.ev for v in values) == total.ev
    # On Wednesday side 3 is due that day (not yet past its finish); on Thursday it is.
    late, behind = evm.behind_plan(values, date(2026, 11, 25))
    assert ([v.task_id for v in late], [v.task_id for v in behind]) == ([], [3])
    thursday = evm.task_values(project, tasks, date(2026, 11, 26))
    late, behind = evm.behind_plan(thursday, date(2026, 11, 26))
    assert ([v.task_id for v in late], [v.task_id for v in behind]) == ([3], [4])


def test_fence_cost_variances_put_the_largest_overrun_first() -> None:
    # Side 1 cost 1,200 for its 1,000 (CV -200), side 2 cost 900 (CV +100); 3 and 4 have no
    # time logged: side 4 has the most left to earn.
    monday = date(2026, 11, 23)
    project = Project(key="FENCE", name="Fence", bac=Decimal(4000), start=monday)
    states = [(Status.DONE, None), (Status.DONE, None), (Status.DOING, 50), (Status.TODO, None)]
    tasks = [
        Task(id=i + 1, title=f"Side {i + 1}", planned_start=date(2026, 11, 23 + i),
             planned_finish=date(2026, 11, 23 + i), planned_cost=Decimal(1000), status=status,
             percent_complete=pct)
        for i, (status, pct) in enumerate(states)
    ]  # fmt: skip
    actual = {2: Decimal(900), 1: Decimal(1200)}
    values = evm.task_values(project, tasks, date(2026, 11, 25), actual=actual)
    assert [v.cv for v in values] == [-200, 100, None, None]
    booked, rest = evm.cost_variances(values)
    assert ([v.task_id for v in booked], [v.task_id for v in rest]) == ([1, 2], [4, 3])


# "ITPM Task 3: cost management", https://studylib.net/doc/9750505/itpm-task-3-cost-mgmt-3232009
# A 12-month project at month 6: BAC $500,000, PV $300,000, EV $280,000, AC $250,000.
# Published: CV 30,000; SV -20,000; CPI 112%; SPI 93%; EAC $446,429; 12.90 months to complete.


def test_itpm_cost_management_task() -> None:
    bac, pv, ev, ac = Decimal(500_000), Decimal(300_000), Decimal(280_000), Decimal(250_000)
    assert evm.cv(ev, ac) == 30_000
    assert evm.sv(ev, pv) == -20_000
    cpi = evm.cpi(ev, ac)
    spi = evm.spi(ev, pv)
    assert cpi == Decimal("1.12")
    assert rounded(spi, 2) == Decimal("0.93")
    assert rounded(evm.eac_typical(bac, cpi), 0) == 446_429


def test_itpm_cost_management_duration_used_a_rounded_spi() -> None:
    # The source divides 12 months by the rounded SPI 0.93 to get 12.90; with the exact SPI
    # 280/300 the same formula (PD / SPI, as IEAC(t) = PD / SPI(t)) gives 12.86 months.
    assert rounded(evm.ieac_t(12, Decimal("0.93")), 2) == Decimal("12.90")
    assert rounded(evm.ieac_t(12, evm.spi(280_000, 300_000)), 2) == Decimal("12.86")


# "Earned value" (the bread project), Questpond project management notes,
# https://www.geocities.ws/projectmanagementquestpond/earnedvalue.htm
# 400 breads at $0.02 each (BAC $8) in 10 hours; at hour 3, 120 breads were planned and 80 made
# for $3. Published: PV 2.4; AC 3; EV 1.6; SV -0.8; CV -1.4; SPI 0.6; CPI 0.53; TCPI 1.28.


def test_bread_project() -> None:
    bac, pv, ev, ac = Decimal(8), Decimal("2.4"), Decimal("1.6"), Decimal(3)
    assert evm.sv(ev, pv) == Decimal("-0.8")
    assert evm.cv(ev, ac) == Decimal("-1.4")
    assert rounded(evm.cpi(ev, ac), 2) == Decimal("0.53")
    assert evm.tcpi(bac, ev, ac) == Decimal("1.28")


def test_bread_project_spi_is_misprinted_in_the_source() -> None:
    # The source prints SPI = 1.6 / 2.4 = 0.6; the quotient is 0.667.
    assert rounded(evm.spi(Decimal("1.6"), Decimal("2.4")), 3) == Decimal("0.667")


# "Earned Value Management - Example", Tutorials Point,
# https://www.tutorialspoint.com/earn_value_management/evm_example.htm
# One task baselined at 8 hours at $100 an hour; 11 hours spent and 1 hour left.
# Published: PV $800; AC $1,100; EV $734 (800 x 91.7%); BAC $800; EAC $1,200 (AC + ETC);
# VAC -$400; % complete actual 91.7% (AC / EAC); SV -$66; SPI 0.91; CV -$366; CPI 0.66.


def test_tutorialspoint_single_task() -> None:
    pv, ac, ev, bac = Decimal(800), Decimal(1100), Decimal(734), Decimal(800)
    eac = Decimal(1100) + Decimal(100)  # bottom-up: AC + ETC of one hour
    assert eac == 1200
    assert evm.vac(bac, eac) == -400
    assert rounded(evm.percent(ac, eac), 1) == Decimal("91.7")
    assert evm.percent(pv, bac) == 100
    assert evm.sv(ev, pv) == -66
    assert evm.cv(ev, ac) == -366


def test_tutorialspoint_indices_are_truncated_in_the_source() -> None:
    # The page truncates instead of rounding: 734 / 800 = 0.9175 and 734 / 1,100 = 0.6673,
    # printed as 0.91 and 0.66; rounded they are 0.92 and 0.67.
    spi = evm.spi(734, 800)
    cpi = evm.cpi(734, 1100)
    assert spi == Decimal("0.9175")
    assert rounded(spi, 2) == Decimal("0.92")
    assert rounded(cpi, 2) == Decimal("0.67")
    assert str(spi)[:4] == "0.91"
    assert str(cpi)[:4] == "0.66"


# PRA: Project Risk Analysis (R package), Paul Govan, reference pages for pv, ev, ac, spi, cpi,
# eac and etc, https://paulgovan.github.io/PRA/reference/ (citing Damnjanovic & Reinschmidt,
# "Data Analytics for Engineering and Construction Project Risk Management", Springer 2020).
# BAC 100,000; cumulative schedule 10/20/40/70/100%; period 3; 35% complete; cumulative actual
# costs 9,000/18,000/36,000/70,000/100,000. Published: SPI 0.875; CPI 0.9722222;
# EAC (typical, CPI 0.83) 120,481.9; EAC (atypical, AC 63,000, EV 35,000) 128,000;
# ETC at planned rate 65,000; ETC at CPI 0.83 78,313.25.


def test_pra_package_indices() -> None:
    bac = Decimal(100_000)
    pv = bac * Decimal("0.4")
    ev = bac * Decimal("0.35")
    ac = Decimal(36_000)
    assert evm.spi(ev, pv) == Decimal("0.875")
    assert rounded(evm.cpi(ev, ac), 7) == Decimal("0.9722222")


def test_pra_package_forecasts() -> None:
    bac, ev = Decimal(100_000), Decimal(35_000)
    assert rounded(evm.eac_typical(bac, Decimal("0.83")), 1) == Decimal("120481.9")
    assert evm.eac_atypical(bac, ev, Decimal(63_000)) == 128_000
    # PRA's ETC formulas are (BAC - EV) and (BAC - EV) / CPI; they are EAC - AC for the
    # matching EAC variant when AC is the one implied by the CPI.
    assert evm.etc(evm.eac_atypical(bac, ev, Decimal(63_000)), Decimal(63_000)) == 65_000
    implied_ac = ev / Decimal("0.83")
    etc = evm.etc(evm.eac_typical(bac, Decimal("0.83")), implied_ac)
    assert rounded(etc, 2) == Decimal("78313.25")


# Course exercises, "Exercise" (EVM worksheet, exercises 3 and 6),
# https://www.scribd.com/document/817319588/Exercise
# EX6: budget $36,000 over six months; after four months PV $29,000, EV $30,500, AC $28,000.
# Published: SPI 1.05; CPI 1.09; estimated time 5.70 months; estimated cost 33,049.
# EX3: six tasks, totals PV 100, EV 65, AC 91. Published: SV -35; CV -26; SPI 0.65; CPI 0.71.


def test_course_exercise_six_month_project() -> None:
    bac, pv, ev, ac = Decimal(36_000), Decimal(29_000), Decimal(30_500), Decimal(28_000)
    spi = evm.spi(ev, pv)
    cpi = evm.cpi(ev, ac)
    assert rounded(spi, 2) == Decimal("1.05")
    assert rounded(cpi, 2) == Decimal("1.09")
    assert rounded(evm.ieac_t(6, spi), 2) == Decimal("5.70")
    assert rounded(evm.eac_typical(bac, cpi), 0) == 33_049


def test_course_exercise_six_tasks() -> None:
    pv = [10, 15, 10, 25, 20, 20]
    ev = [10, 15, 10, 10, 20, 0]
    ac = [9, 22, 8, 30, 22, 0]
    assert [evm.sv(e, p) for e, p in zip(ev, pv, strict=True)] == [0, 0, 0, -15, 0, -20]
    assert [evm.cv(e, a) for e, a in zip(ev, ac, strict=True)] == [1, -7, 2, -20, -2, 0]
    total_pv, total_ev, total_ac = sum(pv), sum(ev), sum(ac)
    assert (total_pv, total_ev, total_ac) == (100, 65, 91)
    assert evm.sv(total_ev, total_pv) == -35
    assert evm.cv(total_ev, total_ac) == -26
    assert evm.spi(total_ev, total_pv) == Decimal("0.65")
    assert rounded(evm.cpi(total_ev, total_ac), 2) == Decimal("0.71")


# Satya Narayan Dash, "Earned Schedule Management (ESM)", MPUG,
# https://www.mpug.com/earned-schedule-management-esm/
# Ten modules at $100,000 each planned over 10 months; the project took 12 months and $1.3M.
# Published: BAC $1M; at completion PV = EV = $1M, so SV = $0 and SPI = 1.0 although the
# project is two months late, with a $0.3M overrun. (Its earned schedule side is in
# test_earned_schedule.py.)


def test_mpug_late_project_looks_on_schedule_by_cost_based_indices() -> None:
    bac = pv = ev = Decimal(1_000_000)
    ac = Decimal(1_300_000)
    assert evm.sv(ev, pv) == 0
    assert evm.spi(ev, pv) == 1
    assert evm.cv(ev, ac) == -300_000
    assert evm.vac(bac, evm.eac_typical(bac, evm.cpi(ev, ac))) == -300_000
