"""Tasks as they stood at the end of a past day, rebuilt from today's tasks and the audit log.

The audit log holds one row per changed field with its ``old`` and ``new`` value as text
(``None`` for an empty field), plus a ``created`` row when a task is added. Undoing every
change recorded after a day, newest first, gives each task as it was at the end of that day,
so a past as-of date can use the progress, remaining work, status, plan and cost of that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from itpm_tui.errors import InvalidInput
from itpm_tui.models import AuditEvent, Task, TaskFacts

M = TypeVar("M", bound=BaseModel)

CREATED = "created"
"""The audit field of the row written when a task is added."""

_NOT_REPLAYED = frozenset(
    {"id", "project_key", "created_at", "version", "updated_at", "updated_by"}
)
"""Task fields never taken from an audit row's ``old``: fixed at creation, display only, or
bookkeeping of the save itself (set from the last save kept instead)."""

_REPLAYED = frozenset(Task.model_fields) - _NOT_REPLAYED


def _order(event: AuditEvent) -> tuple[datetime, int]:
    """When the change happened; the audit id breaks ties within one second."""
    return (event.at, event.id)


def created_after(task: TaskFacts, day: date) -> bool:
    """True if ``task`` was created after ``day`` (by its ``created_at``): it did not exist yet."""
    return task.created_at is not None and task.created_at.date() > day


def tasks_as_of(tasks: Iterable[Task], events: Iterable[AuditEvent], as_of: date) -> list[Task]:
    """Each task as it stood at the end of ``as_of``, in the given order.

    ``events`` are audit rows; only ``entity == "task"`` rows of the given tasks count. A row
    is *after* the day when its own local date (``event.at.date()``) is later than ``as_of``.

    - A task created after the day (by its ``created`` row or its ``created_at``) did not
      exist yet and is left out.
    - A task with no row after the day is returned unchanged, the same object.
    - Otherwise its rows after the day are undone newest first, each putting back the field's
      ``old`` value (``None``: the field was empty), so when a field changed several times the
      oldest change's ``old`` wins. Values are parsed back to the model's types by validating
      the whole task. Rows for fields the model does not have, or does not take from the log
      (``id``, ``project_key``, ``created_at``, ``version``, ``updated_at``, ``updated_by``),
      are ignored; ``project_key`` stays as it is, so a task moved between projects keeps the
      key of its project today.
    - ``version`` becomes the one before the oldest undone change; ``updated_at`` and
      ``updated_by`` those of the last row on or before the day among ``events`` (pass the
      tasks' whole history for them), else ``created_at`` and "" (not known).

    Raises ``InvalidInput`` if the rebuilt task is not valid (an audit log not written by
    this app), naming the task and the day.
    """
    later: dict[int, list[AuditEvent]] = defaultdict(list)
    last_kept: dict[int, AuditEvent] = {}
    for event in events:
        if event.entity != "task":
            continue
        if event.at.date() > as_of:
            later[event.entity_id].append(event)
        else:
            kept = last_kept.get(event.entity_id)
            if kept is None or _order(event) > _order(kept):
                last_kept[event.entity_id] = event
    result: list[Task] = []
    for task in tasks:
        undo = sorted(later.get(task.id, ()), key=_order, reverse=True)
        if created_after(task, as_of) or any(e.field == CREATED for e in undo):
            continue
        result.append(_undo(task, undo, last_kept.get(task.id), as_of) if undo else task)
    return result


def _undo(task: Task, newest_first: list[AuditEvent], kept: AuditEvent | None, day: date) -> Task:
    """``task`` with the changes in ``newest_first`` undone; ``kept`` is its last earlier save."""
    values: dict[str, Any] = task.model_dump()
    for event in newest_first:
        if event.field in _REPLAYED:
            values[event.field] = event.old
    oldest = newest_first[-1]
    if oldest.version is not None:
        values["version"] = oldest.version - 1
    if kept is not None:
        values["updated_at"], values["updated_by"] = kept.at, kept.who
    else:
        values["updated_at"], values["updated_by"] = task.created_at, ""
    try:
        return Task.model_validate(values)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'task'}: {e['msg']}" for e in err.errors()
        )
        raise InvalidInput(
            f"the audit log of task #{task.id} cannot be replayed back to {day}: {problems}"
        ) from err


def fields_as_of(
    record: M, events: Iterable[AuditEvent], entity: str, fields: Iterable[str], as_of: date
) -> M:
    """``record`` (a project, a milestone) with ``fields`` as they stood at the end of ``as_of``.

    The same replay as ``tasks_as_of`` for one record: its ``entity`` rows after the day are
    undone newest first, so the oldest change's ``old`` wins. Used for the baseline figures a
    change request moves (BAC, a milestone's baseline), so a past day is measured against the
    baseline in force then. Raises ``InvalidInput`` if the value does not read back.
    """
    wanted = frozenset(fields)
    record_id = getattr(record, "id")  # noqa: B009 - every replayed record has an id
    undo = sorted(
        (e for e in events if e.entity == entity and e.entity_id == record_id
         and e.field in wanted and e.at.date() > as_of),
        key=_order, reverse=True,
    )  # fmt: skip
    if not undo:
        return record
    values: dict[str, Any] = record.model_dump()
    for event in undo:
        values[event.field] = event.old
    try:
        return type(record).model_validate(values)
    except ValidationError as err:
        raise InvalidInput(
            f"the audit log of {entity} {record_id} cannot be replayed back to {as_of}"
        ) from err
