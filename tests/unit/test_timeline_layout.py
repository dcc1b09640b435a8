"""The Timeline's pure layout: rows, bars per zoom, today's column, baseline and flags.

A hand-checked network (the CPM rules are tested against published examples in
``test_network_examples.py``; here only the drawing is). NET works Monday to Friday with a
holiday on Wednesday 25 Nov 2026; today is Monday 23 Nov. #1 Design (doing, planned 23-24
Nov: 2 wd) -> #2 Build (to do, planned 24-26 Nov: 2 wd without the holiday), both for
milestone M1; #3 Docs (no dates: 1 wd) has no link and no milestone. By the link rules #2
starts the day after #1 finishes, 26 Nov (the 25th is a holiday), and finishes 27 Nov.
Axis days: 0 = 23 Nov, 1 = 24 Nov, 2 = 26 Nov, 3 = 27 Nov, 4 = 30 Nov.
"""

from __future__ import annotations

from datetime import date

from itpm_tui.domain.network import build_network
from itpm_tui.domain.timeline import (
    Span,
    Timeline,
    Zoom,
    axis_calendar,
    build_timeline,
    describe,
    header_lines,
    label_width,
    line_cells,
    task_label,
)
from itpm_tui.models import Milestone, Project, Status, Task, TaskLink

TODAY = date(2026, 11, 23)
HOLIDAY = date(2026, 11, 25)
NET = Project(id=1, key="NET", name="Network", holidays=(HOLIDAY,))


def timeline(baseline: date) -> Timeline:
    tasks = [
        Task(id=1, project_id=1, project_key="NET", milestone_id=1, title="Design",
             status=Status.DOING, planned_start=date(2026, 11, 23),
             planned_finish=date(2026, 11, 24)),
        Task(id=2, project_id=1, project_key="NET", milestone_id=1, title="Build",
             planned_start=date(2026, 11, 24), planned_finish=date(2026, 11, 26)),
        Task(id=3, project_id=1, project_key="NET", title="Docs"),
    ]  # fmt: skip
    milestone = Milestone(id=1, project_id=1, name="Cut-over", baseline=baseline, forecast=baseline)
    network = build_network(tasks, [TaskLink(pred_id=1, succ_id=2)], [milestone], [NET], TODAY)
    return build_timeline(network, network.schedule(), None)


def chart(tl: Timeline, index: int, zoom: Zoom, offset: int, width: int) -> str:
    """The chart part of row ``index`` (no label column)."""
    return "".join(text for text, _ in line_cells(tl.rows[index], zoom, offset, width, 0))


def test_rows_are_grouped_by_milestone_then_the_tasks_without_one() -> None:
    tl = timeline(date(2026, 11, 27))
    assert [(r.heading, r.ref, r.label) for r in tl.rows] == [
        (True, "M1", "NET · M1 Cut-over"),
        (False, "#1", "Design"),
        (False, "#2", "Build"),
        (True, "", "NET · no milestone"),
        (False, "#3", "Docs"),
    ]


def test_the_axis_skips_weekends_and_holidays_and_today_is_day_0() -> None:
    tl = timeline(date(2026, 11, 27))
    axis = tl.axis
    assert [axis.date_of(d) for d in range(5)] == [
        date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 27),
        date(2026, 11, 30),
    ]  # fmt: skip
    assert axis.on_or_after(HOLIDAY) == 2
    assert axis.on_or_before(HOLIDAY) == 1
    assert axis.on_or_after(date(2026, 11, 28)) == 4  # Saturday -> Monday
    # A day is on the axis when any shown calendar works on it.
    both = axis_calendar([NET, Project(id=2, key="APP", name="App", workdays=(1, 2, 3, 4, 5, 6))])
    assert both.is_working_day(date(2026, 11, 28))
    assert both.is_working_day(HOLIDAY)


def test_current_plan_and_baseline_spans() -> None:
    tl = timeline(date(2026, 11, 27))
    design, build, docs = tl.rows[1], tl.rows[2], tl.rows[4]
    assert (design.plan, design.baseline) == (Span(0, 1), Span(0, 1))
    assert (build.plan, build.baseline) == (Span(2, 3), Span(1, 2))
    assert (docs.plan, docs.baseline) == (Span(0, 0), None)


def test_bars_at_week_zoom_one_cell_a_working_day() -> None:
    tl = timeline(date(2026, 11, 27))
    # Today's line in column 0; Build: baseline only on 24 Nov, both on 26 Nov, plan only
    # on 27 Nov, then its critical flag.
    assert chart(tl, 2, Zoom.WEEK, 0, 8) == "│▄█▀!   "
    assert chart(tl, 1, Zoom.WEEK, 0, 8) == "██!     "  # on today: the bar covers the line
    assert chart(tl, 4, Zoom.WEEK, 0, 8) == "▀       "  # no baseline: plan only, not critical
    assert chart(tl, 2, Zoom.WEEK, -3, 8) == "   │▄█▀!"  # scrolled: 3 earlier columns


def test_bars_at_day_zoom_three_cells_a_working_day() -> None:
    tl = timeline(date(2026, 11, 27))
    assert chart(tl, 2, Zoom.DAY, 0, 14) == "│  ▄▄▄███▀▀▀! "
    top, bottom = header_lines(tl.axis, Zoom.DAY, 0, 15)
    assert bottom == "23 24 26 27 30 "  # the holiday and the weekend have no column
    assert top.startswith("Nov 2026 ")


def test_bars_at_month_zoom_five_working_days_a_cell() -> None:
    tl = timeline(date(2026, 11, 27))
    assert chart(tl, 2, Zoom.MONTH, 0, 4) == "█!  "
    assert [Zoom.MONTH.column(d) for d in (-1, 0, 4, 5)] == [-1, 0, 0, 1]


def test_critical_tasks_carry_a_symbol_and_negative_float_another() -> None:
    on_time = timeline(date(2026, 11, 27))  # the forecast is the baseline: float 0
    assert [r.flag for r in on_time.rows if not r.heading] == ["!", "!", ""]
    late = timeline(date(2026, 11, 26))  # a day too late: float -1
    assert [r.flag for r in late.rows if not r.heading] == ["!!", "!!", ""]
    assert late.rows[0].flag == "!!"  # the milestone heading says so too
    assert chart(late, 2, Zoom.WEEK, 0, 8) == "│▄█▀!!  "
    assert "LATE" in describe(late.rows[2], late)[0]


def test_milestone_diamonds_baseline_and_forecast() -> None:
    def line(tl: Timeline) -> str:
        return "".join(t for t, _ in line_cells(tl.rows[0], Zoom.WEEK, 0, 20, 9))

    # The heading's text runs into the chart and stops before the first diamond.
    assert line(timeline(date(2026, 11, 27))) == "NET · M1 C… ◈       "  # forecast = baseline
    assert line(timeline(date(2026, 11, 26))) == "!! NET · … ◇◆       "  # baseline 26, forecast 27


def test_the_label_column_collapses_to_the_flag_and_id_at_80_columns() -> None:
    tl = timeline(date(2026, 11, 27))
    assert label_width(80) == 9
    assert task_label(tl.rows[2], label_width(80)) == "! #2     "
    assert task_label(tl.rows[2], label_width(120)).rstrip() == "! #2     Build"
    line = "".join(t for t, _ in line_cells(tl.rows[2], Zoom.WEEK, 0, 17, 9))
    assert line == "! #2     │▄█▀!   "


def test_the_detail_lists_the_selected_tasks_links() -> None:
    tl = timeline(date(2026, 11, 27))
    first, second, third = describe(tl.rows[2], tl)
    assert first == "#2 Build · ! critical"
    assert second == "plan 26 Nov-27 Nov (2 wd) · baseline 24 Nov-26 Nov · float 0 wd, free 0"
    assert third == "links: after #1 fs"
    assert describe(tl.rows[1], tl)[2] == "links: before #2 fs"


def test_links_to_done_tasks_and_other_projects_say_so() -> None:
    app = Project(id=2, key="APP", name="App")
    tasks = [
        Task(id=1, project_id=1, project_key="NET", title="Design", status=Status.DOING),
        Task(id=4, project_id=1, project_key="NET", title="Survey", status=Status.DONE,
             planned_finish=date(2026, 11, 20)),
        Task(id=5, project_id=2, project_key="APP", title="Release"),
    ]  # fmt: skip
    links = [TaskLink(pred_id=4, succ_id=1), TaskLink(pred_id=1, succ_id=5, lag=2)]
    network = build_network(tasks, links, [], [NET, app], TODAY)
    tl = build_timeline(network, network.schedule(), "NET")
    assert [r.ref for r in tl.rows] == ["", "#1"]  # only NET's open task
    assert describe(tl.rows[1], tl)[2] == "links: after #4 fs (done) · before #5 fs +2 (APP)"


def test_on_a_weekend_todays_line_is_on_the_next_working_day() -> None:
    saturday = date(2026, 11, 21)
    tasks = [Task(id=1, project_id=1, project_key="NET", title="Design")]
    network = build_network(tasks, [], [], [NET], saturday)
    tl = build_timeline(network, network.schedule(), None)
    assert tl.axis.date_of(0) == TODAY  # Monday
    assert tl.axis.date_of(-1) == date(2026, 11, 20)  # Friday
    assert chart(tl, 1, Zoom.WEEK, -1, 3) == " ▀!"  # on Monday, day 0; alone: critical
