"""Open high risks and exposure over the contingency are reasons of the project's rating."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from itpm_tui.models import Project, RaidItem, RaidKind, RaidStatus, RiskSettings
from itpm_tui.reports import health_of
from itpm_tui.store import Store
from tests.conftest import TODAY


def _risk(project_id: int, title: str, p: int, i: int, cost: int, **kw: object) -> RaidItem:
    return RaidItem.model_validate({"project_id": project_id, "kind": RaidKind.RISK,
                                    "title": title, "probability": p, "impact": i,
                                    "cost_impact": cost, "raised_on": TODAY, **kw})  # fmt: skip


def test_high_risks_and_exposure_over_contingency_explain_without_changing_the_rating(
    store: Store,
) -> None:
    project = store.projects.add(Project(key="NET", name="Network", bac=Decimal(100000),
        risk_settings=RiskSettings(contingency=Decimal(30000))))  # fmt: skip
    before = health_of(store, project, TODAY).overall
    store.raid.add(_risk(project.id, "Carrier delay", 5, 4, 40000))
    store.raid.add(_risk(project.id, "Data loss", 3, 4, 20000))
    store.raid.add(_risk(project.id, "Typo", 1, 1, 500))
    store.raid.add(_risk(project.id, "Gone", 5, 5, 90000, status=RaidStatus.CLOSED))
    after = health_of(store, project, TODAY).overall
    assert after.rag is before.rag
    assert after.reasons[: len(before.reasons)] == before.reasons
    assert after.reasons[len(before.reasons) :] == (
        "2 high risks open (1 very high, 1 high); worst R1 'Carrier delay', score 20",
        "exposure €46,050 exceeds the contingency of €30,000",
    )  # 0.9 x 40,000 + 0.5 x 20,000 + 0.1 x 500


def test_a_past_day_has_no_risk_reasons(store: Store) -> None:
    project = store.projects.add(Project(key="NET", name="Network"))
    store.raid.add(_risk(project.id, "Carrier delay", 5, 5, 40000))
    past = health_of(store, project, TODAY - timedelta(days=7)).overall
    assert not any("risk" in reason for reason in past.reasons)
    assert any("1 high risk open" in r for r in health_of(store, project, TODAY).overall.reasons)
