"""Read-side compositions of store and domain that both the CLI and the screens use."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from itpm_tui.domain.health import ProjectHealth, project_health
from itpm_tui.domain.history import tasks_as_of
from itpm_tui.models import Project, Task
from itpm_tui.store import Store, TaskFilter

if TYPE_CHECKING:
    from itpm_tui.domain.network import Network


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


def schedule_network(store: Store, as_of: date, key: str | None = None) -> Network:
    """The schedule network of one project (``key``) or of every project, at ``as_of``.

    Tasks of other projects (or personal ones) linked to the chosen tasks are included, so a
    predecessor elsewhere still holds its successors back. Task states are today's: ``as_of``
    only moves the day remaining work is counted from.
    """
    from itpm_tui.domain.network import build_network

    projects = store.projects.find()
    chosen = [store.projects.by_key(key)] if key else projects
    tasks = {t.id: t for p in chosen for t in store.tasks.find(TaskFilter(project_id=p.id))}
    links = [lk for p in chosen for lk in store.links.find(p.id)] if key else store.links.find()
    outside = sorted({i for lk in links for i in (lk.pred_id, lk.succ_id)} - set(tasks))
    if outside:
        tasks |= {t.id: t for t in store.tasks.find(TaskFilter(ids=tuple(outside)))}
    milestones = [m for p in chosen for m in store.milestones.find(p.id)]
    unique = {(lk.pred_id, lk.succ_id): lk for lk in links}
    return build_network(sorted(tasks.values(), key=lambda t: t.id), unique.values(),
                         milestones, projects, as_of)  # fmt: skip


if TYPE_CHECKING:
    from itpm_tui.domain.timeline import Timeline


def timeline_of(store: Store, as_of: date, key: str | None = None) -> Timeline:
    """The Timeline screen's rows for one project (``key``) or all: the network computed at
    ``as_of`` and laid out by milestone (``domain/timeline.py``)."""
    from itpm_tui.domain.timeline import build_timeline

    network = schedule_network(store, as_of, key)
    return build_timeline(network, network.schedule(), key)
