"""Status steps never pass through Blocked; only the block key blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.workflow import FLOW, next_status, step_status, toggle_blocked
from itpm_tui.models import Status


def test_s_moves_along_todo_doing_review_done_and_wraps() -> None:
    assert [next_status(s) for s in FLOW] == [
        Status.DOING, Status.REVIEW, Status.DONE, Status.TODO,
    ]  # fmt: skip
    assert next_status(Status.BLOCKED) is Status.DOING  # unblocking resumes the work


@pytest.mark.parametrize(
    ("status", "step", "expected"),
    [
        (Status.DOING, 1, Status.REVIEW),  # ready for review: never "why is it blocked?"
        (Status.REVIEW, -1, Status.DOING),
        (Status.BLOCKED, 1, Status.REVIEW),
        (Status.BLOCKED, -1, Status.DOING),
        (Status.TODO, -1, None),
        (Status.DONE, 1, None),
    ],
)
def test_a_step_follows_the_flow(status: Status, step: int, expected: Status | None) -> None:
    assert step_status(status, step) is expected


@given(start=st.sampled_from(list(Status)), steps=st.lists(st.sampled_from([1, -1]), max_size=12))
def test_no_sequence_of_steps_or_s_presses_lands_in_blocked(
    start: Status, steps: list[int]
) -> None:
    status = start
    for step in steps:
        status = step_status(status, step) or status
        assert status is not Status.BLOCKED
        assert next_status(status) is not Status.BLOCKED


def test_b_blocks_and_unblocks() -> None:
    assert toggle_blocked(Status.REVIEW) is Status.BLOCKED
    assert toggle_blocked(Status.BLOCKED) is Status.DOING
