"""Read-side compositions of store and domain that both the CLI and the screens use."""

from __future__ import annotations

from datetime import date

from itpm_tui.domain.health import ProjectHealth, project_health
from itpm_tui.domain.history import tasks_as_of
from itpm_tui.models import Project, Task
from itpm_tui.store import Store, TaskFilter


def health_of(store: Store, project: Project, as_of: date) -> ProjectHealth:
    """The health of one project at ``as_of``, from everything the store holds for it.

    For a day before today the tasks are rebuilt as they stood at the end of that day from
    the audit log; today (the Health screen) reads them as they are, with no extra query.
    """
    tasks = store.tasks.find(TaskFilter(project_id=project.id))
    if as_of < store.today():
        tasks = _project_tasks_on(store, project, tasks, as_of)
    return project_health(
        project,
        tasks,
        store.milestones.find(project.id),
        store.costs.find(project.id),
        as_of,
    )


def _project_tasks_on(store: Store, project: Project, tasks: list[Task], day: date) -> list[Task]:
    """The project's tasks at the end of ``day``, from its tasks now (read before the log)."""
    events = store.audit.task_histories_changed_after(project.id, day)
    if not events:
        return tasks
    moved_out = {e.entity_id for e in events} - {t.id for t in tasks}
    if moved_out:
        tasks = [*tasks, *store.tasks.find(TaskFilter(ids=tuple(sorted(moved_out))))]
    return sorted(
        (
            t if t.project_key == project.key else t.model_copy(update={"project_key": project.key})
            for t in tasks_as_of(tasks, events, day)
            if t.project_id == project.id
        ),
        key=lambda t: t.id,
    )


def health_of_all(store: Store, as_of: date, key: str | None = None) -> list[ProjectHealth]:
    """The health of every project (or just ``key``), by project key."""
    projects = [store.projects.by_key(key)] if key else store.projects.find()
    return [health_of(store, p, as_of) for p in projects]
