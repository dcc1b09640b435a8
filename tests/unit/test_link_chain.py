"""A task's whole chain of links laid out as a tree (domain), and walked by the store."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.link_chain import ChainRow, chain_rows
from itpm_tui.models import Task, TaskLink
from itpm_tui.store import Store


def _link(pred: int, succ: int) -> TaskLink:
    return TaskLink(pred_id=pred, succ_id=succ)


def test_a_diamond_lists_each_task_once_and_marks_the_second_path() -> None:
    # 1 -> 2 -> 4, 1 -> 3 -> 4, 4 -> 5: downstream of 1.
    links = [_link(1, 2), _link(1, 3), _link(2, 4), _link(3, 4), _link(4, 5)]
    rows = chain_rows(1, links, upstream=False)
    assert [(r.depth, r.other, r.repeat) for r in rows] == [
        (1, 2, False), (2, 4, False), (3, 5, False), (1, 3, False), (2, 4, True),
    ]  # fmt: skip
    up = chain_rows(5, links, upstream=True)
    assert [(r.depth, r.other, r.repeat) for r in up] == [
        (1, 4, False), (2, 2, False), (3, 1, False), (2, 3, False), (3, 1, True),
    ]  # fmt: skip


def test_a_chain_longer_than_the_recursion_limit_is_laid_out() -> None:
    links = [_link(i, i + 1) for i in range(1, 5001)]
    rows = chain_rows(5001, links, upstream=True)
    assert len(rows) == 5000 and rows[-1] == ChainRow(5000, links[0], 1)


def test_deep_rows_say_their_depth_instead_of_indenting_further() -> None:
    row = ChainRow(2, _link(1, 2), 1)
    assert row.indent(4) == "    "
    assert ChainRow(7, _link(1, 2), 1).indent(4) == "        [7] "


@st.composite
def dags(draw: st.DrawFn) -> list[TaskLink]:
    """Links between tasks 1..n, always from a lower id to a higher (so never a cycle)."""
    n = draw(st.integers(2, 12))
    pairs = draw(st.sets(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=30))
    return [_link(a, b) for a, b in sorted(pairs) if a < b]


@given(dags(), st.integers(1, 12))
def test_every_link_reachable_is_listed_exactly_once(links: list[TaskLink], start: int) -> None:
    for upstream in (True, False):
        reach, frontier = {start}, [start]
        while frontier:  # the tasks the walk can reach
            node = frontier.pop()
            for lk in links:
                near, far = (lk.succ_id, lk.pred_id) if upstream else (lk.pred_id, lk.succ_id)
                if near == node and far not in reach:
                    reach.add(far)
                    frontier.append(far)
        expected = [lk for lk in links if (lk.succ_id if upstream else lk.pred_id) in reach]
        rows = chain_rows(start, links, upstream=upstream)
        assert sorted((r.link.pred_id, r.link.succ_id) for r in rows) == sorted(
            (lk.pred_id, lk.succ_id) for lk in expected
        )
        firsts = [r.other for r in rows if not r.repeat]
        assert len(firsts) == len(set(firsts)) == len(reach) - 1  # each task once


def test_the_store_walks_the_whole_chain_or_stops_at_its_limit(store: Store) -> None:
    ids = [store.tasks.add(Task(title=f"T{i}")).id for i in range(6)]
    a, b, c, d, e, f = ids
    for pred, succ in ((a, b), (b, c), (c, d), (e, c), (d, f)):
        store.links.add(pred, succ)
    chain = store.links.chain(c)
    assert {(lk.pred_id, lk.succ_id) for lk in chain.up} == {(a, b), (b, c), (e, c)}
    assert {(lk.pred_id, lk.succ_id) for lk in chain.down} == {(c, d), (d, f)}
    assert chain.up_complete and chain.down_complete
    exact = store.links.chain(c, limit=3)  # exactly three upstream: complete
    assert exact.up_complete and len(exact.up) == 3
    cut = store.links.chain(c, limit=1)
    assert len(cut.up) == 1 and not cut.up_complete
    assert [(lk.pred_id, lk.succ_id) for lk in cut.down] == [(c, d)] and not cut.down_complete
    assert store.links.chain(a).up == () and store.links.chain(a).up_complete


def test_a_level_wider_than_one_query_batch_is_read_whole(store: Store) -> None:
    # 1,200 tasks feed one: the next level has 1,200 tasks, more than one IN (...) batch.
    feeders = [store.tasks.add(Task(title=f"F{i}")).id for i in range(1200)]
    hub, top = (store.tasks.add(Task(title=t)).id for t in ("Hub", "Top"))
    for pred in feeders:
        store.links.add(pred, hub)
    for pred in feeders[:3]:
        store.links.add(top, pred)
    chain = store.links.chain(hub)
    assert len(chain.up) == 1203 and chain.up_complete
