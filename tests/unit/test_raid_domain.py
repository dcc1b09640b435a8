"""RAID risk arithmetic against published worked examples, every band edge, and properties.

Sources: expected monetary value ($1,000,000 x 10% = $100,000, and a contingency of four
risks, $6,240) from the issue's worked examples, as taught in PMP exam preparation (PMBOK
5th ed., 11.4.2.2 "Expected monetary value analysis"); the probability and impact matrix
values from PMBOK Guide 5th ed., figure 11-10 (probability 0.1-0.9 x impact 0.05-0.8,
printed rounded half up to two decimals).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.raid import (
    FIVE_LEVELS,
    PMBOK_IMPACTS,
    PMBOK_PROBABILITIES,
    Band,
    band,
    check_rating,
    contingency,
    exposure,
    probability_fraction,
    score,
    score_history,
    summarise,
)
from itpm_tui.errors import InvalidInput
from itpm_tui.models import (
    AuditEvent,
    RaidItem,
    RaidKind,
    RaidStatus,
    RiskScaleKind,
    RiskSettings,
)

D = Decimal
FIVE = RiskScaleKind.FIVE
PMBOK = RiskScaleKind.PMBOK


def test_one_million_at_ten_percent_is_an_exposure_of_one_hundred_thousand() -> None:
    assert exposure(D("0.10"), D("1000000")) == D("100000")


def test_four_risks_need_a_contingency_of_6240() -> None:
    risks = [(D("0.05"), D(32000)), (D("0.05"), D(48000)), (D("0.10"), D(20000)),
             (D("0.02"), D(12000))]  # fmt: skip
    assert contingency(risks) == D("6240")


# PMBOK Guide 5th ed., figure 11-10 (threats): rows probability 0.9 .. 0.1, columns impact
# 0.05, 0.10, 0.20, 0.40, 0.80.
FIGURE_11_10 = {
    "0.9": ("0.05", "0.09", "0.18", "0.36", "0.72"),
    "0.7": ("0.04", "0.07", "0.14", "0.28", "0.56"),
    "0.5": ("0.03", "0.05", "0.10", "0.20", "0.40"),
    "0.3": ("0.02", "0.03", "0.06", "0.12", "0.24"),
    "0.1": ("0.01", "0.01", "0.02", "0.04", "0.08"),
}


@pytest.mark.parametrize("probability", sorted(FIGURE_11_10))
def test_pmbok_matrix_reproduces_figure_11_10(probability: str) -> None:
    row = tuple(str(score(PMBOK, D(probability), i)) for i in PMBOK_IMPACTS)
    assert row == FIGURE_11_10[probability]


def test_pmbok_rounds_half_up_where_python_round_would_not() -> None:
    assert score(PMBOK, D("0.7"), D("0.05")) == D("0.04")
    assert round(0.7 * 0.05, 2) == 0.03  # why the store never uses float round()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, Band.LOW), (5, Band.MEDIUM), (9, Band.MEDIUM), (10, Band.HIGH), (15, Band.HIGH),
     (16, Band.VERY_HIGH), (20, Band.VERY_HIGH), (21, Band.CRITICAL), (25, Band.CRITICAL),
     (1, Band.LOW)],
)  # fmt: skip
def test_default_band_edges(value: int, expected: Band) -> None:
    assert band(RiskSettings(), D(value)) is expected


def test_bands_per_project_move_the_edges() -> None:
    strict = RiskSettings(low=D(2), medium=D(6))
    assert band(strict, D(3)) is Band.MEDIUM
    assert band(strict, D(7)) is Band.HIGH


def test_bands_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match=r"medium \(9\) must be below high \(8\)"):
        RiskSettings(high=D(8))


def test_ratings_off_the_scale_are_refused() -> None:
    check_rating(RiskSettings(), D(5), D(1))
    with pytest.raises(InvalidInput, match="probability 6 is not on the project's 1-5 scale"):
        check_rating(RiskSettings(), D(6), D(1))
    with pytest.raises(InvalidInput, match=r"impact 0\.3 is not on the project's pmbok scale"):
        check_rating(RiskSettings(kind=PMBOK), D("0.5"), D("0.3"))
    with pytest.raises(InvalidInput, match="impact 0"):
        check_rating(RiskSettings(), D(1), D(0))


def test_a_five_point_rating_stands_for_the_pmbok_probability_of_its_rank() -> None:
    assert [probability_fraction(FIVE, p) for p in FIVE_LEVELS] == list(PMBOK_PROBABILITIES)
    assert probability_fraction(PMBOK, D("0.3")) == D("0.3")


def _risk(item_id: int, p: int, i: int, cost: int | None = None, **kw: object) -> RaidItem:
    return RaidItem.model_validate({"id": item_id, "project_id": 1, "kind": RaidKind.RISK,
                                    "title": f"risk {item_id}", "probability": p, "impact": i,
                                    "cost_impact": cost, "raised_on": date(2026, 11, 2),
                                    **kw})  # fmt: skip


def test_summary_counts_open_high_risks_worst_first_and_sums_exposure() -> None:
    items = [_risk(1, 3, 4, 10000), _risk(2, 5, 5, 40000), _risk(3, 1, 2, 5000),
             _risk(4, 5, 5, 99999, status=RaidStatus.CLOSED)]  # fmt: skip
    summary = summarise(items, RiskSettings(contingency=D(30000)))
    assert [r.item.id for r in summary.high] == [2, 1]
    assert summary.exposure == D("0.5") * 10000 + D("0.9") * 40000 + D("0.1") * 5000
    assert summary.reasons("EUR") == (
        "2 high risks open (1 critical, 1 high); worst R2 'risk 2', score 25",
        "exposure €41,500 exceeds the contingency of €30,000",
    )


def test_exposure_within_the_contingency_is_no_reason() -> None:
    summary = summarise([_risk(1, 1, 1, 1000)], RiskSettings(contingency=D(30000)))
    assert summary.reasons("EUR") == ()


def test_score_history_replays_probability_and_impact_changes() -> None:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)

    def event(minutes: int, field: str, new: str, version: int) -> AuditEvent:
        return AuditEvent(at=start + timedelta(minutes=minutes), who="pm", entity="raid",
                          entity_id=1, field=field, new=new, version=version)  # fmt: skip

    events = [event(0, "created", "x", 1), event(0, "probability", "2", 1),
              event(0, "impact", "3", 1), event(5, "impact", "5", 2),
              event(9, "probability", "4", 3), event(9, "impact", "4", 3)]  # fmt: skip
    assert [p.score for p in score_history(events, FIVE)] == [D(6), D(10), D(16)]


ratings = st.sampled_from(FIVE_LEVELS)


@given(ratings, ratings, ratings, ratings)
def test_score_never_falls_when_probability_or_impact_rises(
    p1: Decimal, p2: Decimal, i1: Decimal, i2: Decimal
) -> None:
    low_p, high_p = sorted((p1, p2))
    low_i, high_i = sorted((i1, i2))
    for kind, scale in ((FIVE, lambda x: x), (PMBOK, None)):
        if scale is None:
            lp, hp = PMBOK_PROBABILITIES[int(low_p) - 1], PMBOK_PROBABILITIES[int(high_p) - 1]
            li, hi = PMBOK_IMPACTS[int(low_i) - 1], PMBOK_IMPACTS[int(high_i) - 1]
        else:
            lp, hp, li, hi = low_p, high_p, low_i, high_i
        assert score(kind, lp, li) <= score(kind, hp, li) <= score(kind, hp, hi)
        assert score(kind, lp, li) <= score(kind, lp, hi)


@given(st.decimals(min_value=0, max_value=1, places=4),
       st.decimals(min_value=0, max_value=10**12, places=2))  # fmt: skip
def test_exposure_is_never_negative_nor_above_the_cost(probability: Decimal, cost: Decimal) -> None:
    value = exposure(probability, cost)
    assert D(0) <= value <= cost
