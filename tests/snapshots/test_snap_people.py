"""Snapshots of the people-and-time views on demo data at 80x24 and 120x40: the "who can
take this?" list from Today (`W` on pm's first task) and a timesheet from Workload (`s`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itpm_tui.store import Store
from tests.tui import conftest as tui
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import press_keys

demo_template = tui.demo_template
demo_store = tui.demo_store
app_factory = tui.app_factory

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_who_can_take_on_demo_data(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("W"))


def _alice_logs_time(store: Store) -> None:
    from datetime import timedelta

    from itpm_tui.models import Worklog
    from itpm_tui.store import TaskFilter
    from tests.conftest import TODAY

    tasks = store.tasks.find(TaskFilter(assignee="alice"))[:3]
    for back, task, minutes in ((7, 0, 240), (7, 1, 240), (6, 0, 480), (5, 2, 90),
                                (3, 1, 300), (0, 0, 120)):  # fmt: skip
        store.worklogs.log(Worklog(person="alice", task_id=tasks[task].id,
                                   day=TODAY - timedelta(days=back), minutes=minutes))  # fmt: skip


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_timesheet_from_the_workload_screen(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    _alice_logs_time(demo_store)
    app = app_factory(demo_store)
    # Alice's row is first: her timesheet for this week, then the week before.
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys("8", "s", "h"))


@pytest.mark.parametrize("size", ["ssh", "wide"])
def test_today_with_my_timer_running(
    snap_compare: SnapCompare, demo_store: Store, app_factory: AppFactory, size: str
) -> None:
    from itpm_tui.store import TaskFilter

    first = demo_store.tasks.find(TaskFilter(assignee="pm", open_only=True))[0]
    demo_store.timers.start(first.id)
    app = app_factory(demo_store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=press_keys())
