"""How a task fits on one line: columns that collapse, cut cells, dates and states."""

from __future__ import annotations

from datetime import UTC, date

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from itpm_tui.models import Status, Task
from itpm_tui.widgets.task_row import (
    TABLE_COLUMNS,
    TITLE_MIN_WIDTH,
    cell,
    fit_columns,
    fit_parts,
    short_date,
    wrap_parts,
)
from tests.conftest import TODAY

ESSENTIAL = ("id", "priority", "status", "due", "assignee", "project_key", "title")


def keys(width: int) -> list[str]:
    return [column.key for column, _ in fit_columns(TABLE_COLUMNS, width)]


def test_80_columns_keep_the_essentials_and_drop_the_extras() -> None:
    assert keys(79) == list(ESSENTIAL)
    placed = fit_columns(TABLE_COLUMNS, 79)
    title_width = dict((c.key, w) for c, w in placed)["title"]
    assert title_width >= TITLE_MIN_WIDTH
    assert sum(w for _, w in placed) + len(placed) + 1 == 79


def test_wide_screens_show_every_column_and_narrow_ones_drop_owner_last() -> None:
    assert keys(200) == [c.key for c in TABLE_COLUMNS]
    assert "project_key" not in keys(75) and "assignee" in keys(75)
    assert keys(40) == ["id", "priority", "status", "due", "title"]


def test_cells_are_cut_with_an_ellipsis_to_the_exact_width() -> None:
    parts = (("Migrate the 数据 warehouse", ""), (" — waiting on vendor", "muted"))
    for width in (1, 5, 12, 30, 60):
        fitted = fit_parts(parts, width)
        assert sum(cell_len(text) for text, _ in fitted) == width
    assert "".join(t for t, _ in fit_parts(parts, 12)).endswith("…")
    assert fit_parts((("abc", ""),), 6, right=True) == [("   ", ""), ("abc", "")]


def test_overdue_is_marked_by_a_sign_not_only_a_colour() -> None:
    column = next(c for c in TABLE_COLUMNS if c.key == "due")
    late = Task(title="x", due=date(2026, 11, 20))
    assert cell(late, column, TODAY) == (("20 Nov!", "overdue"),)
    assert cell(late.model_copy(update={"status": Status.DONE}), column, TODAY) == (("20 Nov", ""),)
    assert short_date(date(2027, 1, 5), TODAY) == "05 Jan 27"
    assert short_date(TODAY, TODAY, long=True) == "Mon 23 Nov"


def test_status_cell_has_symbol_and_word() -> None:
    column = next(c for c in TABLE_COLUMNS if c.key == "status")
    blocked = Task(title="x", status=Status.BLOCKED, blocked_reason="vendor")
    assert cell(blocked, column, TODAY) == (("⊘ Blocked", "blocked"),)
    title = next(c for c in TABLE_COLUMNS if c.key == "title")
    assert cell(blocked, title, TODAY) == (("x", ""), (" — blocked: vendor", "muted"))


def test_history_lines_stay_on_one_line_and_show_markup_as_text() -> None:
    from datetime import datetime

    from itpm_tui.models import AuditEvent
    from itpm_tui.widgets.task_detail import history_line

    event = AuditEvent(
        at=datetime(2026, 11, 23, 9, 5, tzinfo=UTC),
        who="alice",
        entity="task",
        entity_id=1,
        field="notes",
        old=None,
        new="[b]first[/b]\nsecond\n" + "x" * 80,
    )
    line = history_line(event, TODAY).plain
    assert "\n" not in line
    assert line.startswith("23 Nov 09:05 alice  notes: — → [b]first[/b] ⏎ second ⏎ x")
    assert line.endswith("…")


def test_history_and_detail_show_values_as_the_fields_show_them() -> None:
    """The audit log keeps stored text (ISO dates, instants, decimal hours and money); the
    detail pane shows them the way the fields show: one formatter, no raw values."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from itpm_tui.models import AuditEvent, Project
    from itpm_tui.widgets.task_detail import detail_text, history_line

    def shown(field: str, old: str | None, new: str | None) -> str:
        event = AuditEvent(at=datetime(2026, 11, 23, 21, 25, tzinfo=UTC), who="pm",
                           entity="task", entity_id=29, field=field, old=old, new=new)  # fmt: skip
        return history_line(event, TODAY, "EUR").plain.split("pm  ", 1)[1]

    assert shown("due", "2026-11-18", "2026-11-27") == "due: Wed 18 Nov → Fri 27 Nov"
    assert shown("remaining_hours", "6.0", "4.5") == "remaining: 6h → 4.5h"
    assert shown("planned_cost", "708.00", "800") == "planned cost: €708.00 → €800.00"
    assert shown("status", "todo", "blocked") == "status: ○ To do → ⊘ Blocked"
    assert shown("blocked_since", None, "2026-11-23T21:25:42+00:00") == (
        "blocked since: — → 23 Nov 21:25"
    )
    assert shown("due", "2026-11-18", "not a date") == "due: Wed 18 Nov → not a date"
    project = Project(id=1, key="NET", name="Branch network", currency="EUR")
    task = Task(id=29, project_id=1, project_key="NET", title="Survey",
                planned_cost=Decimal("708"))  # fmt: skip
    assert "cost      €708.00 planned" in detail_text(task, [], TODAY, project).plain.splitlines()


def test_a_long_title_and_its_reason_wrap_between_words_keeping_their_states() -> None:
    parts = (
        ("Sign off the DR test plan", ""),
        (" — blocked: security has not reviewed it", "muted"),
    )
    assert wrap_parts(parts, 40, 3) == [
        (("Sign off the DR test plan", ""), (" — blocked:", "muted")),
        (("security has not reviewed it", "muted"),),
    ]
    assert wrap_parts(parts, 40, 1) == [
        (("Sign off the DR test plan", ""), (" — blocked: se…", "muted"))
    ]
    assert wrap_parts((("a" * 25, ""),), 10, 3) == [(("a" * 10, ""),), (("a" * 10, ""),),
                                                    (("a" * 5, ""),)]  # fmt: skip


_words = st.text(st.sampled_from("ab 数—"), min_size=1, max_size=30)


@given(st.lists(st.tuples(_words, st.sampled_from(["", "muted"])), min_size=1, max_size=4),
       st.integers(1, 30), st.integers(1, 4))  # fmt: skip
def test_wrapped_lines_fit_and_keep_every_word_unless_cut(
    parts: list[tuple[str, str]], width: int, most: int
) -> None:
    lines = wrap_parts(tuple(parts), width, most)
    assert 1 <= len(lines) <= most
    assert all(sum(cell_len(text) for text, _ in line) <= width for line in lines)
    shown = "".join(text for line in lines for text, _ in line)
    typed = "".join(text for text, _ in parts)
    if not shown.endswith("…"):  # every character but spaces, in order (a long word is split)
        assert "".join(shown.split()) == "".join(typed.split())
