"""How a link is typed in the app (and a task id and a lag in the CLI)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.link_spec import (
    LinkChanges,
    LinkSpec,
    link_changes,
    link_list_text,
    parse_lag,
    parse_link_list,
    parse_link_spec,
    task_id,
)
from itpm_tui.errors import InvalidInput
from itpm_tui.models import LinkType, TaskLink


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("12", LinkSpec(12, LinkType.FS, 0)),
        ("#12", LinkSpec(12, LinkType.FS, 0)),
        ("12 ss", LinkSpec(12, LinkType.SS, 0)),
        ("12 ss +2", LinkSpec(12, LinkType.SS, 2)),
        ("12 SS 2", LinkSpec(12, LinkType.SS, 2)),  # a bare lag after a type
        ("12 -1", LinkSpec(12, LinkType.FS, -1)),  # a lead
        ("12 ff 3wd", LinkSpec(12, LinkType.FF, 3)),
        ("survey: stuttgart ss +2", LinkSpec("survey: stuttgart", LinkType.SS, 2)),
        ("Plan sprint 6", LinkSpec("Plan sprint 6", LinkType.FS, 0)),  # a title's number
        ("Plan sprint 6 +1", LinkSpec("Plan sprint 6", LinkType.FS, 1)),
        ("fs", LinkSpec("fs", LinkType.FS, 0)),  # one word is the task
    ],
)
def test_a_link_is_the_task_then_an_optional_type_and_lag(text: str, spec: LinkSpec) -> None:
    assert parse_link_spec(text) == spec


@pytest.mark.parametrize(("text", "message"), [
    ("", "type the other task"),
    ("   ", "type the other task"),
    ("12 ss soon", "lag 'soon' is not a whole number of working days"),
])  # fmt: skip
def test_a_link_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_link_spec(text)


def test_ids_and_lags_as_the_cli_takes_them() -> None:
    assert (task_id("#7"), task_id(" 7 "), parse_lag("+2"), parse_lag("-1"), parse_lag("2wd")) == (
        7, 7, 2, -1, 2)  # fmt: skip
    for bad in ("x", "7a", ""):
        with pytest.raises(InvalidInput, match="id number"):
            task_id(bad)
    with pytest.raises(InvalidInput, match="working days"):
        parse_lag("1.5")


@given(
    st.integers(1, 99999),
    st.sampled_from(list(LinkType)),
    st.integers(-999, 999),
)
def test_any_id_type_and_signed_lag_reads_back(ident: int, kind: LinkType, lag: int) -> None:
    assert parse_link_spec(f"#{ident} {kind.value} {lag:+d}") == LinkSpec(ident, kind, lag)


def test_the_forms_waits_for_is_links_with_a_comma_between() -> None:
    assert parse_link_list(" #12, 15 ss +2 ,, site survey: berlin ff -1 ") == (
        LinkSpec(12),
        LinkSpec(15, LinkType.SS, 2),
        LinkSpec("site survey: berlin", LinkType.FF, -1),
    )
    assert parse_link_list("") == parse_link_list(" , ") == ()
    with pytest.raises(InvalidInput, match=r"^link 2 \('12 ss soon'\): lag 'soon' is not"):
        parse_link_list("4, 12 ss soon")


def _links(*spec: tuple[int, LinkType, int]) -> list[TaskLink]:
    return [TaskLink(pred_id=p, succ_id=99, kind=k, lag=lag) for p, k, lag in spec]


def test_the_form_shows_the_links_as_it_reads_them() -> None:
    links = _links((12, LinkType.FS, 0), (15, LinkType.SS, 2), (3, LinkType.FS, -1))
    assert link_list_text(links) == "#12, #15 ss +2, #3 fs -1"
    assert link_list_text([]) == ""


@given(st.lists(st.tuples(st.integers(1, 9999), st.sampled_from(list(LinkType)),
                          st.integers(-999, 999)), unique_by=lambda t: t[0], max_size=6))  # fmt: skip
def test_shown_links_read_back_as_themselves_and_change_nothing(
    spec: list[tuple[int, LinkType, int]],
) -> None:
    links = _links(*(t for t in spec if t[0] != 99))  # 99 is the successor: no self-link
    read = parse_link_list(link_list_text(links))
    assert [(s.task, s.kind, s.lag) for s in read] == [
        (lk.pred_id, lk.kind, lk.lag) for lk in links
    ]
    assert not link_changes(links, [(s.task, s.kind, s.lag) for s in read])  # type: ignore[misc]


def test_only_the_difference_is_added_and_removed() -> None:
    seen = _links((12, LinkType.FS, 0), (15, LinkType.SS, 2), (3, LinkType.FS, 0))
    wanted = [(12, LinkType.FS, 0), (15, LinkType.SS, 3), (7, LinkType.FF, 0)]
    assert link_changes(seen, wanted) == LinkChanges(
        added=((15, LinkType.SS, 3), (7, LinkType.FF, 0)), removed=(seen[1], seen[2])
    )
    with pytest.raises(InvalidInput, match="#12 is named twice"):
        link_changes(seen, [(12, LinkType.FS, 0), (12, LinkType.SS, 0)])
