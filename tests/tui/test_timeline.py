"""Timeline (key 6): the Gantt chart of the schedule network, driven with real keys."""

from __future__ import annotations

from textual.pilot import Pilot

from itpm_tui.app import ItpmApp
from itpm_tui.models import Status
from itpm_tui.screens.task_form import TaskFormModal
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.store import Store
from itpm_tui.widgets.gantt import Gantt
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import screen_text, settle, text_of, ui_test, wait_until
from tests.tui.test_live import DEADLINE, run_cli


async def open_timeline(app: ItpmApp, pilot: Pilot[None]) -> Gantt:
    await pilot.press("6")
    await settle(app, pilot)
    assert isinstance(app.screen, TimelineScreen)
    return app.screen.query_one(Gantt)


def detail(app: ItpmApp) -> str:
    return text_of(app.screen.query_one("#timeline-detail"))


def chart_lines(chart: Gantt) -> list[str]:
    return text_of(chart).splitlines()


def row_line(chart: Gantt, ref: str) -> str:
    """The line of the chart that starts with a task's flag and id."""
    return next(line for line in chart_lines(chart) if line[2:].startswith(ref + " "))


@ui_test
async def test_6_opens_the_timeline_grouped_by_milestone(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        lines = chart_lines(chart)
        assert lines[0].split()[0] == "week"  # the axis: zoom, then months
        assert "Nov 2026" in lines[0] and "Dec 2026" in lines[0]
        assert lines[2].startswith("APP · M9")
        assert lines[3].startswith("APP · M10")
        assert lines[4].startswith("  #138")
        assert "Feature freeze" in detail(app) and "reached" in detail(app)
        # A critical task says so with a symbol, not only a colour; near-critical too.
        assert row_line(chart, "#145").startswith("! #145")
        assert row_line(chart, "#144").startswith("~ #144")


@ui_test
async def test_j_and_k_move_and_the_detail_shows_the_task_and_its_links(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        for _ in range(7):  # M9, M10, four tasks, M11, then its first task
            await pilot.press("j")
        await pilot.pause()
        assert chart.row is not None and chart.row.task_id == 143
        text = detail(app)
        assert "#143 Triage beta feedback" in text
        assert "plan 30 Nov-30 Nov (1 wd)" in text
        assert "links: none" in text
        await pilot.press("k")
        await pilot.pause()
        assert chart.row is not None and chart.row.heading and chart.row.milestone_id == 11
        assert "M11 Store release 3.0" in detail(app)
        # NET's roll-out: one crew, so Hamburg's cut-over waits for Berlin's plus a day.
        await pilot.press("p", "p", "p")
        await settle(app, pilot)
        index = next(i for i, r in enumerate(chart.rows) if r.task_id == 15)
        await pilot.press("g", *["j"] * index)
        await pilot.pause()
        assert chart.row is not None and chart.row.task_id == 15
        assert "links: after #11 fs +1, #14 fs · before #16 fs, #19 fs +1" in detail(app)


@ui_test
async def test_zoom_in_and_out_changes_the_axis(demo_store: Store, app_factory: AppFactory) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        week_bar = row_line(chart, "#145")
        await pilot.press("z")
        await pilot.pause()
        lines = chart_lines(chart)
        assert lines[0].split()[0] == "day"
        assert " 23 24 25 26 27 30 1 " in lines[1]  # every working day numbered
        day_bar = row_line(chart, "#145")
        # Fix beta bugs, batch 2: 3 wd of plan, 3 cells a day at day zoom, 1 at week zoom.
        assert day_bar.count("▀") == 9 and week_bar.count("▀") == 3
        await pilot.press("Z", "Z")
        await pilot.pause()
        lines = chart_lines(chart)
        assert lines[0].split()[:2] == ["month", "2026"]
        assert "Dec" in lines[1] and "Jan" in lines[1]
        await pilot.press("minus")  # already the widest: stays
        await pilot.pause()
        assert chart.zoom.label == "month"


@ui_test
async def test_l_and_h_scroll_the_axis_and_t_brings_back_today(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        start = chart.first_column
        assert start is not None
        today_at = row_line(chart, "#143").index("│")
        await pilot.press("h")
        await pilot.pause()
        assert chart.first_column == start - 5  # a working week at week zoom
        assert row_line(chart, "#143").index("│") == today_at + 5
        await pilot.press("h", "left", "l")
        await pilot.pause()
        assert chart.first_column == start - 10
        await pilot.press(*["l"] * 10)  # the axis ends 10 working days after the last bar
        await pilot.pause()
        assert chart.first_column is not None and chart.first_column > start
        last = chart.first_column
        await pilot.press("right")
        await pilot.pause()
        assert chart.first_column == last
        await pilot.press("t")
        await pilot.pause()
        assert chart.first_column == start
        assert row_line(chart, "#143").index("│") == today_at


@ui_test
async def test_m_jumps_to_the_next_milestone(demo_store: Store, app_factory: AppFactory) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        seen = []
        for _ in range(3):
            await pilot.press("m")
            await pilot.pause()
            assert chart.row is not None and chart.row.heading
            seen.append(chart.row.milestone_id)
        assert seen == [10, 11, 5]  # APP's beta and release, then CLOUD's landing zone
        assert "M5 Landing zone ready" in detail(app)
        await pilot.press("M")
        await pilot.pause()
        assert chart.row is not None and chart.row.milestone_id == 11


@ui_test
async def test_enter_opens_the_task_form_and_not_on_a_milestone(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("enter")  # on the M9 heading: no task
        await settle(app, pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("j", "j", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormModal)
        assert "Beta build to TestFlight" in screen_text(app)


@ui_test
async def test_x_marks_done_and_the_bar_leaves_the_chart(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        await pilot.press("j", "j", "x")
        await settle(app, pilot)
        assert demo_store.tasks.get(138).status is Status.DONE
        assert all(r.task_id != 138 for r in chart.rows)
        assert chart.row is not None and chart.row.task_id is not None


@ui_test
async def test_p_cycles_the_projects(demo_store: Store, app_factory: AppFactory) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        assert {r.project_key for r in chart.rows} == {"APP", "CLOUD", "NET"}
        keys = []
        for _ in range(4):
            await pilot.press("p")
            await settle(app, pilot)
            keys.append({r.project_key for r in chart.rows})
        assert keys == [{"APP"}, {"CLOUD"}, {"NET"}, {"APP", "CLOUD", "NET"}]
        assert chart_lines(chart)[1].split()[0] == "all"
        await pilot.press(*["l"] * 30)  # to the end of the longest axis, then APP's
        await pilot.press("p")
        await settle(app, pilot)
        assert chart_lines(chart)[1].split()[0] == "APP"
        assert chart.timeline is not None and chart.first_column is not None
        last = chart.zoom.column(chart.timeline.axis.last)
        # APP's axis ends sooner: not scrolled past its end, nor away from today.
        assert chart.first_column == max(chart.home_column, last - chart.chart_width + 1)


@ui_test
async def test_at_80_columns_labels_collapse_to_ids_and_at_120_show_titles(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        line = row_line(chart, "#138")
        assert line[:9] == "  #138   " and "Beta build" not in line  # the chart starts at 9
        shown = [r for r in chart.rows[: chart.page_height] if not r.heading]
        lines = chart_lines(chart)[2:]
        for row in shown:  # every task row on screen still shows its id
            assert any(text[2:].startswith(f"#{row.task_id} ") for text in lines), row
        assert "Beta build to TestFlight" not in "\n".join(lines)
        assert "#138 Beta build to TestFlight" not in detail(app)  # the cursor is on M9
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        chart = await open_timeline(app, pilot)
        assert "#138   Beta build to TestFlight" in row_line(chart, "#138")


@ui_test
async def test_an_empty_database_says_so_and_no_key_fails(
    store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        assert chart.rows == ()
        assert "No projects yet: 4 then a adds one" in " ".join(chart_lines(chart))
        for key in ("j", "k", "h", "l", "z", "Z", "t", "m", "p", "enter", "x"):
            await pilot.press(key)
            await settle(app, pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "No task selected." in [n.message for n in app._notifications]


@ui_test
async def test_question_mark_lists_every_timeline_key(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        for words in ("Zoom in", "Zoom out", "Today", "Previous milestone", "Page later",
                      "Project", "Edit"):  # fmt: skip
            assert words in text, words


@ui_test
async def test_a_link_added_by_another_process_moves_the_bar_and_keeps_the_cursor(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        index = next(i for i, r in enumerate(chart.rows) if r.task_id == 150)
        await pilot.press(*["j"] * index)
        await pilot.pause()
        assert chart.timeline is not None and chart.row is not None
        before = chart.timeline.timings[150].early_start
        await run_cli(demo_store.path, "link", "add", "145", "150", user="pm")
        await wait_until(pilot, lambda: "after #145 fs" in detail(app), timeout=DEADLINE)
        assert chart.row is not None and chart.row.task_id == 150
        assert chart.timeline.timings[150].early_start > before  # now after batch 2's fixes


@ui_test
async def test_moving_to_a_row_whose_bar_is_out_of_view_scrolls_to_it(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)
        await pilot.press("z")  # day zoom: about 3 weeks on screen
        await pilot.pause()
        home = chart.first_column
        index = next(i for i, r in enumerate(chart.rows) if r.task_id == 116)
        await pilot.press(*["j"] * index)  # CLOUD's cost review, on 2 Feb 2027
        await pilot.pause()
        assert chart.row is not None and chart.row.task_id == 116
        assert chart.first_column != home
        assert "▀" in row_line(chart, "#116")  # its bar is on screen now
        await pilot.press("t")
        await pilot.pause()
        assert chart.first_column == chart.home_column
        assert "▀" not in row_line(chart, "#116")


@ui_test
async def test_zoom_keeps_the_highlighted_milestone_in_place(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        chart = await open_timeline(app, pilot)

        def diamond_at() -> int:
            line = chart_lines(chart)[2 + chart.cursor - round(chart.scroll_offset.y)]
            assert line.startswith("CLOUD · M")
            return line.index("◆")  # reached 8 Sep (the baseline ◇ was 2 Sep)

        await pilot.press("m", "m", "m")  # CLOUD's landing zone, reached in September
        await pilot.pause()
        before = diamond_at()
        await pilot.press("z")
        await pilot.pause()
        assert chart.zoom.label == "day"
        assert diamond_at() == before  # its day kept its place; today is off screen now
