"""RAG flags: which colour fires on small projects at fixed dates, and the sentence saying why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from itpm_tui.domain import evm
from itpm_tui.domain.health import project_health
from itpm_tui.domain.rag import (
    Flag,
    Rag,
    budget_flag,
    deciding_first,
    milestone_flag,
    overall_flag,
    percent_near,
    rate_index,
    rate_overrun,
    rate_slip,
    ratio_text,
    schedule_flag,
    worst,
)
from itpm_tui.domain.schedule import milestone_health
from itpm_tui.models import CostEntry, Milestone, Project, RagThresholds, Status, Task

MON = date(2026, 11, 23)
THRESHOLDS = RagThresholds()


def project(currency: str = "EUR", bac: int = 10_000) -> Project:
    return Project(id=1, key="RAG", name="Rag", bac=Decimal(bac), currency=currency, start=MON)


def one_task_project(
    percent_done: int, spent: str | None, currency: str = "EUR"
) -> evm.EarnedValue:
    """BAC 10,000 in one task over two weeks, ``percent_done`` earned, ``spent`` spent."""
    task = Task(id=1, title="All the work", planned_start=MON,
                planned_finish=MON + timedelta(days=11), planned_cost=Decimal(10_000),
                status=Status.DOING, percent_complete=percent_done)  # fmt: skip
    costs = [] if spent is None else [CostEntry(project_id=1, spent_on=MON, amount=Decimal(spent))]
    return evm.earned_value(project(currency), [task], costs, MON + timedelta(days=4))


def test_each_rating_has_a_symbol_and_a_word_so_colour_is_never_alone() -> None:
    assert [r.label for r in Rag] == ["✓ GREEN", "▲ AMBER", "✖ RED", "? NO DATA"]


@pytest.mark.parametrize(
    ("value", "rating"),
    [("1.2", Rag.GREEN), ("0.95", Rag.GREEN), ("0.9499", Rag.AMBER), ("0.85", Rag.AMBER),
     ("0.8499", Rag.RED), ("0", Rag.RED), (None, Rag.NO_DATA)],
)  # fmt: skip
def test_index_bands_default_to_095_and_085(value: str | None, rating: Rag) -> None:
    assert rate_index(None if value is None else Decimal(value), 0.95, 0.85) is rating


def test_eac_overrun_bands_are_more_than_5_and_more_than_10_percent() -> None:
    bac = Decimal(1000)
    assert rate_overrun(Decimal(1050), bac, 0.05, 0.10) is Rag.GREEN
    assert rate_overrun(Decimal("1050.01"), bac, 0.05, 0.10) is Rag.AMBER
    assert rate_overrun(Decimal(1100), bac, 0.05, 0.10) is Rag.AMBER
    assert rate_overrun(Decimal("1100.01"), bac, 0.05, 0.10) is Rag.RED
    assert rate_overrun(None, bac, 0.05, 0.10) is Rag.NO_DATA
    assert rate_overrun(Decimal(5), Decimal(0), 0.05, 0.10) is Rag.NO_DATA


def test_slip_bands_are_zero_then_up_to_five_working_days() -> None:
    assert [rate_slip(s, 5) for s in (-2, 0, 1, 5, 6)] == [
        Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED,
    ]  # fmt: skip


def test_no_data_never_hides_a_real_rating() -> None:
    assert worst([Rag.NO_DATA, Rag.GREEN]) is Rag.GREEN
    assert worst([Rag.AMBER, Rag.NO_DATA, Rag.RED]) is Rag.RED
    assert worst([Rag.NO_DATA]) is Rag.NO_DATA
    assert worst([]) is Rag.NO_DATA


def test_ratio_shown_with_enough_decimals_to_be_on_the_right_side_of_its_threshold() -> None:
    assert ratio_text(Decimal("0.8249"), 0.85) == "0.82"
    assert ratio_text(Decimal("0.8497"), 0.85) == "0.8497"
    assert ratio_text(Decimal("0.95"), 0.95) == "0.95"


# --- budget -------------------------------------------------------------------------------


def test_budget_red_from_cpi_082_with_the_reason_in_plain_words() -> None:
    flag = budget_flag(one_task_project(41, "5000"), THRESHOLDS, "EUR")
    assert flag.rag is Rag.RED
    assert flag.reasons == (
        "CPI 0.82 is below 0.85: each euro spent earns 82 cents of planned work.",
        "EAC €12,195 is 22% over the BAC of €10,000 (red above 10%).",
        "To finish within the BAC the remaining work must run at CPI 1.18 (TCPI).",
        "At the burn rate of €1,000 per working day the budget runs out on 04 Dec, "
        "before the forecast finish on 09 Dec.",
    )


def test_budget_reasons_give_the_year_only_of_dates_outside_the_as_of_year() -> None:
    ev = one_task_project(41, "5000")
    late = replace(ev, runway_end=date(2027, 1, 4), forecast_finish=date(2027, 1, 8))
    assert budget_flag(late, THRESHOLDS, "EUR").reasons[-1] == (
        "At the burn rate of €1,000 per working day the budget runs out on 04 Jan 27, "
        "before the forecast finish on 08 Jan 27."
    )


def test_budget_amber_from_cpi_093() -> None:
    flag = budget_flag(one_task_project(93, "10000"), THRESHOLDS, "EUR")
    assert flag.rag is Rag.AMBER
    assert flag.reasons[:2] == (
        "CPI 0.93 is below 0.95 (red below 0.85): each euro spent earns 93 cents of planned work.",
        "EAC €10,753 is 8% over the BAC of €10,000 (amber above 5%).",
    )


def test_budget_green_when_work_costs_less_than_planned() -> None:
    flag = budget_flag(one_task_project(50, "4000", "USD"), THRESHOLDS, "USD")
    assert flag.rag is Rag.GREEN
    assert flag.reasons == (
        "CPI 1.25 is at or above 0.95: each dollar spent earns 1.25 dollars of planned work.",
        "EAC $8,000 is within the BAC of $10,000.",
    )


def test_cpi_just_below_the_threshold_is_never_printed_as_the_threshold() -> None:
    ev = one_task_project(50, "5000")
    flag = budget_flag(replace(ev, cpi=Decimal("0.8497")), THRESHOLDS)
    assert flag.reasons[0].startswith("CPI 0.8497 is below 0.85:")


def test_a_cpi_just_under_one_never_earns_a_hundred_cents() -> None:
    ev = one_task_project(50, "5000")
    flag = budget_flag(replace(ev, cpi=Decimal("0.996")), THRESHOLDS)
    assert flag.reasons[0] == (
        "CPI 1.00 is at or above 0.95: each euro spent earns 99 cents of planned work."
    )


def test_budget_has_no_data_before_any_cost_is_recorded() -> None:
    flag = budget_flag(one_task_project(20, None), THRESHOLDS, "EUR")
    assert flag.rag is Rag.NO_DATA
    assert flag.reasons == ("No cost is recorded up to 27 Nov, so CPI is not known yet.",)


def test_money_spent_with_nothing_earned_is_red_and_eac_unknown() -> None:
    flag = budget_flag(one_task_project(0, "500"), THRESHOLDS, "EUR")
    assert flag.rag is Rag.RED
    assert flag.reasons[:2] == (
        "CPI 0.00 is below 0.85: each euro spent earns 0 cents of planned work.",
        "Nothing has been earned yet, so EAC (BAC / CPI) is not known.",
    )


def test_a_spent_budget_says_so() -> None:
    flag = budget_flag(one_task_project(60, "10000"), THRESHOLDS, "EUR")
    assert flag.reasons[-1] == "The budget is used up: €10,000 spent of €10,000."


def test_unknown_currencies_are_named_by_their_code() -> None:
    flag = budget_flag(one_task_project(41, "5000", "SEK"), THRESHOLDS, "SEK")
    assert flag.reasons[:2] == (
        "CPI 0.82 is below 0.85: each SEK spent earns 0.82 SEK of planned work.",
        "EAC 12,195 SEK is 22% over the BAC of 10,000 SEK (red above 10%).",
    )


# --- schedule -----------------------------------------------------------------------------


def five_day_project(as_of: date, done: int, half: bool) -> evm.EarnedValue:
    tasks = [
        Task(id=i + 1, title=f"Day {i + 1}", planned_start=MON + timedelta(days=i),
             planned_finish=MON + timedelta(days=i), planned_cost=Decimal(100),
             status=Status.DONE if i < done else Status.DOING if half and i == done
             else Status.TODO, percent_complete=50 if half and i == done else None)
        for i in range(5)
    ]  # fmt: skip
    return evm.earned_value(project(bac=500), tasks, [], as_of)


def test_schedule_red_when_half_the_plan_is_done_after_three_of_five_days() -> None:
    flag = schedule_flag(five_day_project(MON + timedelta(days=2), 2, True), THRESHOLDS)
    assert flag.rag is Rag.RED
    assert flag.reasons == (
        "SPI 0.83 is below 0.85: 83% of the work planned by 25 Nov is done.",
        "SPI(t) 0.83 is below 0.85: 2.5 working days of the plan earned in 3 working days "
        "elapsed (SV(t) -0.5).",
        "At this pace it finishes on 30 Nov, 1 working day after the planned 27 Nov.",
    )


def test_schedule_green_on_plan() -> None:
    flag = schedule_flag(five_day_project(MON + timedelta(days=2), 3, False), THRESHOLDS)
    assert flag.rag is Rag.GREEN
    assert flag.reasons[-1] == "At this pace it finishes on 27 Nov, as planned."


def test_schedule_has_no_data_without_a_plan() -> None:
    ev = evm.earned_value(project(), [Task(id=1, title="Unplanned")], [], MON)
    flag = schedule_flag(ev, THRESHOLDS)
    assert flag.rag is Rag.NO_DATA
    assert flag.reasons == (
        "No task has a planned cost and planned dates, so there is no plan to measure the "
        "schedule against.",
    )


def test_schedule_has_no_data_before_the_start() -> None:
    flag = schedule_flag(five_day_project(MON - timedelta(days=3), 0, False), THRESHOLDS)
    assert flag.rag is Rag.NO_DATA
    assert flag.reasons == (
        "Nothing was planned by 20 Nov, so SPI is not known yet.",
        "No working day of the plan has passed by 20 Nov, so SPI(t) is not known yet.",
    )


# --- milestones and overall ---------------------------------------------------------------


def milestone_rag(baseline: date, forecast: date, **extra: object) -> Flag:
    m = Milestone.model_validate(
        {"id": 3, "project_id": 1, "name": "Go-live", "baseline": baseline,
         "forecast": forecast, **extra}
    )  # fmt: skip
    return milestone_flag(milestone_health(m, [], MON, project()), THRESHOLDS)


def test_milestone_on_its_baseline_is_green() -> None:
    flag = milestone_rag(date(2026, 12, 4), date(2026, 12, 4))
    assert (flag.subject, flag.rag) == ("milestone 'Go-live'", Rag.GREEN)


def test_milestone_slipping_up_to_five_working_days_is_amber() -> None:
    flag = milestone_rag(date(2026, 12, 4), date(2026, 12, 11))
    assert flag.rag is Rag.AMBER
    assert flag.reasons == ("Forecast 11 Dec is 5 working days after its baseline 04 Dec.",)


def test_milestone_slipping_more_than_five_working_days_is_red() -> None:
    flag = milestone_rag(date(2026, 12, 4), date(2026, 12, 14))
    assert flag.rag is Rag.RED
    assert flag.reasons == (
        "A slip of 6 working days is more than the 5 allowed before red.",
        "Forecast 14 Dec is 6 working days after its baseline 04 Dec.",
    )


def test_open_milestone_past_its_baseline_is_red_even_with_a_small_slip() -> None:
    flag = milestone_rag(date(2026, 11, 20), date(2026, 11, 24))
    assert flag.rag is Rag.RED
    assert flag.reasons[0] == (
        "Its baseline 20 Nov has passed (1 working day ago) and it is not done."
    )


def test_milestone_reached_late_keeps_the_colour_of_its_slip() -> None:
    assert milestone_rag(date(2026, 11, 2), date(2026, 11, 2), actual=date(2026, 11, 4)).rag is (
        Rag.AMBER
    )
    assert milestone_rag(date(2026, 11, 2), date(2026, 11, 2), actual=date(2026, 11, 12)).rag is (
        Rag.RED
    )
    assert milestone_rag(date(2026, 11, 2), date(2026, 11, 2), actual=date(2026, 11, 2)).rag is (
        Rag.GREEN
    )


def test_overall_is_the_worst_part_and_names_it() -> None:
    parts = [
        Flag("budget", Rag.AMBER, ()),
        Flag("schedule", Rag.GREEN, ()),
        Flag("milestone 'Go-live'", Rag.AMBER, ()),
        Flag("milestone 'Beta'", Rag.NO_DATA, ()),
    ]
    flag = overall_flag(parts)
    assert flag.rag is Rag.AMBER
    assert flag.reasons == (
        "Amber because of: budget, milestone 'Go-live'.",
        "No data yet for: milestone 'Beta'.",
    )


def test_overall_without_any_data_says_so() -> None:
    flag = overall_flag([Flag("budget", Rag.NO_DATA, ()), Flag("schedule", Rag.NO_DATA, ())])
    assert flag.rag is Rag.NO_DATA
    assert flag.reasons == ("Nothing can be rated yet: no plan, progress or cost.",)


def test_a_milestone_reached_late_does_not_hold_the_project_red() -> None:
    p = project(bac=500)
    tasks = [
        Task(id=i + 1, project_id=1, title=f"Day {i + 1}", planned_start=MON + timedelta(days=i),
             planned_finish=MON + timedelta(days=i), planned_cost=Decimal(100),
             status=Status.DONE if i < 3 else Status.TODO)
        for i in range(5)
    ]  # fmt: skip
    costs = [CostEntry(project_id=1, spent_on=MON, amount=Decimal(300))]
    reached_late = Milestone(id=1, project_id=1, name="Kick-off", baseline=date(2026, 11, 2),
                             forecast=date(2026, 11, 2), actual=date(2026, 11, 16))  # fmt: skip
    upcoming = Milestone(id=2, project_id=1, name="Done", baseline=date(2026, 11, 27),
                         forecast=date(2026, 11, 27))  # fmt: skip
    health = project_health(p, tasks, [reached_late, upcoming], costs, MON + timedelta(days=2))
    assert health.milestones[0].flag.rag is Rag.RED
    assert health.overall.rag is Rag.GREEN
    assert health.overall.reasons == (
        "Every rated part is green: budget, schedule, milestone 'Done'.",
    )


@pytest.mark.parametrize(
    ("value", "threshold", "shown"),
    [
        ("10.4", 10, "10.4%"),  # "10% over (red above 10%)" read as a contradiction
        ("9.6", 10, "9.6%"),
        ("22.3", 10, "22%"),
        ("10.04", 10, "10.04%"),
        ("10", 10, "10%"),
        ("12", None, "12%"),
    ],
)
def test_a_percentage_near_its_threshold_shows_which_side_it_is_on(
    value: str, threshold: float | None, shown: str
) -> None:
    assert percent_near(Decimal(value), threshold) == shown


def test_the_deciding_reason_comes_first() -> None:
    amber_then_red = [(Rag.AMBER, "amber reason"), (Rag.RED, "red reason"), (Rag.RED, "2nd red")]
    assert deciding_first(amber_then_red) == ["red reason", "2nd red", "amber reason"]


def test_an_eac_below_the_money_already_spent_is_called_inconsistent() -> None:
    # The one task's planned cost (10,000) is double this project's BAC (5,000): 80% done
    # earns 8,000 > BAC, so EAC = BAC / CPI = 5,000 / (8,000 / 6,000) = 3,750 < AC 6,000.
    task = Task(id=1, title="All the work", planned_start=MON,
                planned_finish=MON + timedelta(days=11), planned_cost=Decimal(10_000),
                status=Status.DOING, percent_complete=80)  # fmt: skip
    small = project("EUR").model_copy(update={"bac": Decimal(5000)})
    cost = CostEntry(project_id=1, spent_on=MON, amount=Decimal(6000))
    ev = evm.earned_value(small, [task], [cost], MON + timedelta(days=4))
    assert ev.eac == Decimal(3750)
    reasons = budget_flag(ev, THRESHOLDS, "EUR").reasons
    assert (
        "EAC €3,750 is below the €6,000 already spent, which cannot be: the earned value "
        "(€8,000) is more than the BAC, so the tasks' planned costs add up to more than the "
        "budget. Check them or the BAC."
    ) in reasons
