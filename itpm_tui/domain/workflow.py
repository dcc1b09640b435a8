"""How a task's status moves: along To do, Doing, Review, Done; blocking is its own step.

"Ready for review" must never pass through Blocked (which asks why and records a block
in the history), so the keys that step a status (``s``, the board's ``<``/``>``, the
stand-up's status change) follow ``FLOW`` and only ``b`` blocks or unblocks.
"""

from __future__ import annotations

from itpm_tui.models import Status

FLOW: tuple[Status, ...] = (Status.TODO, Status.DOING, Status.REVIEW, Status.DONE)
"""The statuses work moves through, in order."""


def next_status(status: Status) -> Status:
    """The status ``s`` moves to: the next one along ``FLOW``; done wraps to to do.

    A blocked task resumes as doing: unblocking is the step forward from Blocked.
    """
    if status is Status.BLOCKED:
        return Status.DOING
    return FLOW[(FLOW.index(status) + 1) % len(FLOW)]


def step_status(status: Status, step: int) -> Status | None:
    """One step along ``FLOW`` (``step`` is +1 or -1), ``None`` past either end.

    From Blocked, which sits between Doing and Review on the board, a step right is Review
    and a step left is Doing, as the columns lie.
    """
    if status is Status.BLOCKED:
        return Status.REVIEW if step > 0 else Status.DOING
    index = FLOW.index(status) + step
    return FLOW[index] if 0 <= index < len(FLOW) else None


def toggle_blocked(status: Status) -> Status:
    """What ``b`` does: block an open task; unblock a blocked one back to doing."""
    return Status.DOING if status is Status.BLOCKED else Status.BLOCKED
