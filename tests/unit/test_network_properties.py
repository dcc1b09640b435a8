"""Invariants of the critical path method on random networks, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.network import DayIndex, Link, Times, critical_path
from itpm_tui.models import LinkType

KINDS = list(LinkType)


@st.composite
def networks(draw: st.DrawFn) -> tuple[dict[int, int], list[Link]]:
    """A random DAG: links only from lower to higher numbers, any type, lags -2..3."""
    n = draw(st.integers(1, 12))
    durations = {i: draw(st.integers(0, 6)) for i in range(n)}
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=25))
    links = [
        Link(a, b, draw(st.sampled_from(KINDS)), draw(st.integers(-2, 3)))
        for a, b in sorted(pairs)
        if a < b
    ]
    return durations, links


def _bound(times: Times, number: int) -> int:
    """The earliest start link ``number`` allows its successor."""
    p, s = times.link_from[number], times.link_to[number]
    kind = times.link_kind[number]
    base = times.ef[p] if kind in (0, 2) else times.es[p]
    bound = base + times.link_lag[number]
    return bound - times.duration[s] if kind in (2, 3) else bound


@settings(max_examples=200, deadline=None)
@given(networks(), st.data())
def test_adding_a_link_never_shortens_the_project(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject
) -> None:
    durations, links = net
    if len(durations) < 2:
        return
    a = data.draw(st.integers(0, len(durations) - 2))
    b = data.draw(st.integers(a + 1, len(durations) - 1))
    extra = Link(a, b, data.draw(st.sampled_from(KINDS)), data.draw(st.integers(-2, 3)))
    before = critical_path(durations, links).finish
    assert critical_path(durations, [*links, extra]).finish >= before


@settings(max_examples=200, deadline=None)
@given(networks())
def test_without_constraints_float_is_never_negative_and_early_is_before_late(
    net: tuple[dict[int, int], list[Link]],
) -> None:
    times = critical_path(*net)
    for i in range(len(times.keys)):
        assert times.total_float[i] >= 0
        assert 0 <= times.free_float[i] <= times.total_float[i]
        assert times.es[i] <= times.ls[i]
        assert times.ef[i] <= times.lf[i] <= times.finish
        for number in times.preds[i]:
            assert times.es[i] >= _bound(times, number)  # every link is respected


@settings(max_examples=200, deadline=None)
@given(networks())
def test_the_critical_path_is_connected_from_start_to_finish(
    net: tuple[dict[int, int], list[Link]],
) -> None:
    times = critical_path(*net)
    critical = {times.index[k] for k in times.critical()}
    ends = [i for i in critical if times.ef[i] == times.finish]
    assert ends, "some critical activity finishes the project"
    node = ends[0]
    while times.es[node] > 0:  # walk back over driving links: each lands on a critical one
        driving = [
            times.link_from[n] for n in times.preds[node] if _bound(times, n) == times.es[node]
        ]
        assert driving, "a critical activity that starts late is driven by a link"
        assert any(p in critical for p in driving)
        node = next(p for p in driving if p in critical)
    assert times.es[node] == 0


@settings(max_examples=200, deadline=None)
@given(networks(), st.data())
def test_a_slip_moves_the_finish_by_exactly_the_slip_minus_the_float(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject
) -> None:
    durations, links = net
    times = critical_path(durations, links)
    key = data.draw(st.sampled_from(sorted(durations)))
    slip = data.draw(st.integers(0, 10))
    es, *_, total, _ = times.of(key)
    after = critical_path(durations, links, earliest={key: es + slip})
    assert after.finish - times.finish == max(0, slip - total)
    if slip <= total:  # within its float: nothing downstream moves at all
        assert after.finish == times.finish


@settings(max_examples=100, deadline=None)
@given(
    st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    st.sets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=30),
    st.sets(st.integers(1, 7), min_size=1),
    st.integers(-40, 40),
)
def test_working_day_numbers_skip_weekends_and_holidays(
    origin: date, holidays: set[date], workdays: set[int], steps: int
) -> None:
    cal = WorkCalendar(frozenset(workdays), frozenset(holidays))
    index = DayIndex(cal, origin)
    assert index.day(0) == cal.on_or_after(origin)
    day = index.day(steps)
    assert cal.is_working_day(day)
    assert index.day(steps + 1) == cal.next_working_day(day)
    assert cal.between(index.day(0), day) == steps
    assert index.on_or_after(day) == steps == index.on_or_before(day)
    if not cal.is_working_day(day + timedelta(days=1)):
        assert index.on_or_before(day + timedelta(days=1)) == steps


@settings(max_examples=150, deadline=None)
@given(networks(), st.data())
def test_a_task_slip_moves_its_milestone_by_the_slip_minus_its_float_to_it(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject
) -> None:
    """On tasks in working days (a holiday in the way): the what-if and float-to-milestone
    agree exactly, for every link type, and a slip within that float moves nothing."""
    from itpm_tui.domain.network import build_network
    from itpm_tui.models import Milestone, Project, Task, TaskLink

    durations, links = net
    monday = date(2026, 11, 23)
    project = Project(id=1, key="OPS", name="Ops", holidays=(date(2026, 11, 26),))
    feeding = data.draw(st.sets(st.sampled_from(sorted(durations)), min_size=1))
    tasks = [
        Task(id=i + 1, project_id=1, title=f"T{i}", remaining_hours=8.0 * d,
             milestone_id=7 if i in feeding else None)
        for i, d in durations.items()
    ]  # fmt: skip
    task_links = [TaskLink(pred_id=lk.pred + 1, succ_id=lk.succ + 1, kind=lk.kind, lag=lk.lag)
                  for lk in links]  # fmt: skip
    gate = Milestone(id=7, project_id=1, name="Gate", baseline=monday, forecast=monday)
    network = build_network(tasks, task_links, [gate], [project], monday, constrain=False)
    result = network.schedule()
    float_to = result.milestones[7].float_to
    task_id = data.draw(st.sampled_from(sorted(float_to)))
    slip = data.draw(st.integers(0, 8))
    moved = {m.id: m.working_days for m in network.what_if({task_id: slip}).moves
             if m.what == "milestone"}  # fmt: skip
    assert moved.get(7, 0) == max(0, slip - float_to[task_id])
    assert all(t.total_float is not None and t.total_float >= 0 for t in result.tasks.values())


@settings(max_examples=150, deadline=None)
@given(
    networks(),
    st.data(),
    st.sets(st.dates(date(2026, 11, 23), date(2027, 1, 31)), max_size=10),
    st.sets(st.dates(date(2026, 11, 23), date(2027, 1, 31)), max_size=10),
)
def test_across_two_calendars_float_is_never_negative_and_links_hold(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject, off_a: set[date],
    off_b: set[date],
) -> None:  # fmt: skip
    from itpm_tui.domain.network import build_network
    from itpm_tui.models import Project, Task, TaskLink

    durations, links = net
    projects = [Project(id=1, key="AA", name="A", holidays=tuple(sorted(off_a))),
                Project(id=2, key="BB", name="B", holidays=tuple(sorted(off_b)),
                        workdays=(1, 2, 3, 4, 6))]  # fmt: skip
    owner = {i: data.draw(st.sampled_from((1, 2))) for i in durations}
    tasks = [Task(id=i + 1, project_id=owner[i], title=f"T{i}", remaining_hours=8.0 * d)
             for i, d in durations.items()]  # fmt: skip
    task_links = [TaskLink(pred_id=lk.pred + 1, succ_id=lk.succ + 1, kind=lk.kind, lag=lk.lag)
                  for lk in links]  # fmt: skip
    result = build_network(tasks, task_links, [], projects, date(2026, 11, 23),
                           constrain=False).schedule()  # fmt: skip
    for timing in result.tasks.values():
        assert timing.total_float is not None and timing.total_float >= 0
        assert timing.early_start <= timing.late_start
    for lk in task_links:  # an FS link: the successor never starts before the pred finishes
        pred, succ = result.tasks[lk.pred_id], result.tasks[lk.succ_id]
        if lk.kind is LinkType.FS and lk.lag >= 0 and pred.duration and succ.duration:
            assert succ.early_start > pred.early_finish


@settings(max_examples=150, deadline=None)
@given(
    networks(),
    st.data(),
    st.sets(st.dates(date(2026, 11, 23), date(2027, 1, 31)), max_size=6),
)
def test_passing_only_the_successors_again_equals_a_whole_forward_pass(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject, off_b: set[date]
) -> None:
    """``Times.early_finish_with`` (what ``late_reasons`` uses per late task) gives exactly
    the early finishes of a full pass with that one duration changed: across two calendars,
    with done tasks, start-no-earlier-than bounds and milestones in the network."""
    from itpm_tui.domain.network import build_network
    from itpm_tui.models import Milestone, Project, Status, Task, TaskLink

    today = date(2026, 11, 23)
    durations, links = net
    projects = [Project(id=1, key="AA", name="A"),
                Project(id=2, key="BB", name="B", holidays=tuple(sorted(off_b)),
                        workdays=(1, 2, 3, 4, 6))]  # fmt: skip
    milestones = [Milestone(id=1, project_id=1, name="M1", baseline=today + timedelta(days=9),
                            forecast=today + timedelta(days=9))]  # fmt: skip
    tasks = []
    for i, d in durations.items():
        done = data.draw(st.booleans()) and i % 3 == 0
        later = data.draw(st.integers(0, 5))
        tasks.append(Task(
            id=i + 1, project_id=data.draw(st.sampled_from((1, 2))), title=f"T{i}",
            remaining_hours=8.0 * d, status=Status.DONE if done else Status.TODO,
            planned_start=today + timedelta(days=later) if later else None,
            planned_finish=today + timedelta(days=later + d) if later else None,
            milestone_id=1 if i % 2 else None,
        ))  # fmt: skip
    task_links = [TaskLink(pred_id=lk.pred + 1, succ_id=lk.succ + 1, kind=lk.kind, lag=lk.lag)
                  for lk in links]  # fmt: skip
    network = build_network(tasks, task_links, milestones, projects, today)
    times = network._pass()
    open_ids = [t.id for t in tasks if t.status is not Status.DONE]
    if not open_ids:
        return
    task_id = data.draw(st.sampled_from(open_ids))
    duration = data.draw(st.integers(0, 8))
    whole = network._pass(durations={task_id: duration})
    assert times.early_finish_with(times.index[task_id], duration) == whole.ef


def _float_to_by_definition(times: Times, target: int) -> dict[int, int]:
    """Float to a milestone as the module defines it, written plainly (recursion, no sweep):
    the late finish of each open task from a backward pass that starts at the milestone's
    early finish and follows only links through open work, minus its early finish."""
    from functools import cache

    if times.fixed[target]:
        return {}

    @cache
    def reaches(i: int) -> bool:
        if i == target:
            return True
        return not times.fixed[i] and any(reaches(times.link_to[n]) for n in times.succs[i])

    @cache
    def late_finish(i: int) -> int:
        if i == target:
            return times.ef[target]
        bounds = []
        for n in times.succs[i]:
            s = times.link_to[n]
            if not reaches(s):
                continue
            kind, lag = LinkType(list(LinkType)[times.link_kind[n]]), times.link_lag[n]
            succ_lf = late_finish(s)
            succ_ls = succ_lf - times.duration[s]
            bounds.append({
                LinkType.FS: succ_ls - lag,
                LinkType.SS: succ_ls - lag + times.duration[i],
                LinkType.FF: succ_lf - lag,
                LinkType.SF: succ_lf - lag + times.duration[i],
            }[kind])  # fmt: skip
        return min(bounds)

    return {
        times.keys[i]: late_finish(i) - times.ef[i]
        for i in range(len(times.keys))
        if i != target and isinstance(times.keys[i], int) and reaches(i)
    }


@settings(max_examples=200, deadline=None)
@given(
    networks(),
    st.data(),
    st.sets(st.dates(date(2026, 11, 23), date(2027, 1, 31)), max_size=8),
    st.booleans(),
)
def test_float_to_each_milestone_in_one_sweep_equals_the_plain_definition(
    net: tuple[dict[int, int], list[Link]], data: st.DataObject, off_b: set[date],
    constrain: bool,
) -> None:  # fmt: skip
    """The sweep behind ``MilestoneForecast.float_to`` and ``.upstream`` gives exactly the
    plain definition: random DAGs with all four link types and lags, two calendars (one
    with holidays and a Saturday), done tasks and a done milestone, baselines on or off."""
    from itpm_tui.domain.network import build_network
    from itpm_tui.models import Milestone, Project, Status, Task, TaskLink

    today = date(2026, 11, 23)
    durations, links = net
    projects = [Project(id=1, key="AA", name="A"),
                Project(id=2, key="BB", name="B", holidays=tuple(sorted(off_b)),
                        workdays=(1, 2, 3, 4, 6))]  # fmt: skip
    milestones = [
        Milestone(id=m, project_id=1 + m % 2, name=f"M{m}",
                  baseline=today + timedelta(days=data.draw(st.integers(0, 20))),
                  forecast=today + timedelta(days=9),
                  actual=today - timedelta(days=1) if m == 3 and data.draw(st.booleans())
                  else None)
        for m in (1, 2, 3)
    ]  # fmt: skip
    tasks = []
    for i, d in durations.items():
        project = data.draw(st.sampled_from((1, 2)))
        milestone = data.draw(st.sampled_from((None, 1, 2, 3)))
        tasks.append(Task(
            id=i + 1, project_id=project, title=f"T{i}", remaining_hours=8.0 * d,
            status=Status.DONE if data.draw(st.booleans()) and i % 3 == 0 else Status.TODO,
            milestone_id=milestone if milestone and 1 + milestone % 2 == project else None,
        ))  # fmt: skip
    task_links = [TaskLink(pred_id=lk.pred + 1, succ_id=lk.succ + 1, kind=lk.kind, lag=lk.lag)
                  for lk in links]  # fmt: skip
    network = build_network(tasks, task_links, milestones, projects, today, constrain=constrain)
    times = network._pass()
    result = network.schedule()
    for m in milestones:
        target = times.index[f"M{m.id}"]
        forecast = result.milestones[m.id]
        everything_upstream = [
            times.keys[i] for i in times.order
            if i != target and isinstance(times.keys[i], int)
            and (i in _upstream_by_search(times, target))
        ]  # fmt: skip
        assert list(forecast.upstream) == everything_upstream
        expected = _float_to_by_definition(times, target) if everything_upstream else {}
        assert dict(forecast.float_to) == expected
        assert list(forecast.float_to) == [k for k in everything_upstream if k in expected]


def _upstream_by_search(times: Times, target: int) -> set[int]:
    """Every activity with a path of links to ``target``, by a plain depth-first search."""
    seen: set[int] = set()
    stack = [target]
    while stack:
        for n in times.preds[stack.pop()]:
            if (p := times.link_from[n]) not in seen:
                seen.add(p)
                stack.append(p)
    return seen
