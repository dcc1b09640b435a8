"""The store's grouped AC query equals the per-row definition of labour cost, exactly.

``WorklogRepo.labour_cost`` sums time per person-day in SQL, joins each to the rate period
in force and sums per day; ``domain.labour.labour_cost`` over every worklog on its own is
the definition (rate in force on the day, overtime at its rate, no rate or another currency
counted apart). Hypothesis draws worklogs, rates and as-of days; both must agree exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm_tui.domain.labour import LoggedTime, labour_cost
from itpm_tui.models import Person, PersonRate, Project, Task
from itpm_tui.store import Store, worklogs

START = date(2026, 10, 1)
PEOPLE = ("dana", "eve", "finn")
"""finn never gets a rate: all their time is unpriced."""

_worklog = st.tuples(
    st.sampled_from(PEOPLE), st.integers(0, 4), st.integers(0, 20),
    st.integers(0, 600), st.sampled_from((0, 0, 30, 120)),
)  # fmt: skip
_rate = st.tuples(
    st.sampled_from(PEOPLE[:2]), st.integers(-3, 22), st.integers(0, 12_000),
    st.none() | st.integers(0, 15_000), st.sampled_from(("EUR", "EUR", "USD")),
)  # fmt: skip


def _setup(store: Store) -> None:
    """People, project A with tasks 0-2 and project B with tasks 3-4."""
    for login in PEOPLE:
        store.people.save(Person(login=login))
    first = store.projects.add(Project(key="AAA", name="A"))
    second = store.projects.add(Project(key="BBB", name="B"))
    for n in range(5):
        store.tasks.add(Task(title=f"t{n}", project_id=(first if n < 3 else second).id))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    worklogs=st.lists(_worklog, max_size=40),
    rates=st.lists(_rate, max_size=6, unique_by=lambda r: (r[0], r[1])),
    until=st.none() | st.integers(-2, 22),
    currency=st.sampled_from(("EUR", "USD")),
)
def test_grouped_sql_cost_equals_the_per_row_definition(
    store: Store,
    worklogs: list[tuple[str, int, int, int, int]],
    rates: list[tuple[str, int, int, int | None, str]],
    until: int | None,
    currency: str,
) -> None:
    # One store for every example (a function-scoped fixture): set up once, then cleared.
    if not store.projects.find():
        _setup(store)
    project_id = next(p.id for p in store.projects.find() if p.key == "AAA")
    ids = sorted(t.id for t in store.tasks.find())  # A's three were added first
    with store.db.write() as conn:
        conn.execute("DELETE FROM worklogs")
        conn.execute("DELETE FROM person_rates")
        conn.executemany(
            "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes, created_at)"
            " VALUES (?, ?, ?, ?, ?, '2026-01-01')",
            [(p, ids[t], (START + timedelta(days=d)).isoformat(), m, o)
             for p, t, d, m, o in worklogs],
        )  # fmt: skip
    for person, offset, cents, overtime, money in rates:
        store.worklogs.set_rate(PersonRate(
            person=person, effective_from=START + timedelta(days=offset),
            rate=Decimal(cents) / 100, currency=money,
            overtime_rate=None if overtime is None else Decimal(overtime) / 100,
        ))  # fmt: skip
    as_of = None if until is None else START + timedelta(days=until)
    stored = store.worklogs.rates()
    per_row = [
        LoggedTime(p, START + timedelta(days=d), m, o)
        for p, t, d, m, o in worklogs
        if t < 3 and (as_of is None or START + timedelta(days=d) <= as_of)
    ]
    expected = labour_cost(per_row, stored, currency)
    assert store.worklogs.labour_cost(project_id, as_of, stored, currency) == expected
    assert store.worklogs.labour_cost(project_id, as_of, stored, currency).total == (expected.total)


def test_more_rate_periods_than_one_statement_takes_price_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(store)
    project_id = next(p.id for p in store.projects.find() if p.key == "AAA")
    task_id = min(t.id for t in store.tasks.find())
    with store.db.write() as conn:
        conn.execute(
            "INSERT INTO worklogs (person, task_id, day, minutes, overtime_minutes, created_at)"
            " VALUES ('dana', ?, ?, 600, 120, '2026-01-01')",
            (task_id, START.isoformat()),
        )
    store.worklogs.set_rate(PersonRate(person="dana", effective_from=START,
                                       rate=Decimal("50"), overtime_rate=Decimal("55")))  # fmt: skip
    rates = store.worklogs.rates()
    grouped = store.worklogs.labour_cost(project_id, None, rates)
    monkeypatch.setattr(worklogs, "_MAX_PERIODS", 0)
    assert store.worklogs.labour_cost(project_id, None, rates) == grouped
    assert grouped.total == Decimal("610.00")
