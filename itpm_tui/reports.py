"""Read-side compositions of store and domain that both the CLI and the screens use."""

from __future__ import annotations

from datetime import date

from itpm_tui.domain.health import ProjectHealth, project_health
from itpm_tui.models import Project
from itpm_tui.store import Store, TaskFilter


def health_of(store: Store, project: Project, as_of: date) -> ProjectHealth:
    """The health of one project at ``as_of``, from everything the store holds for it."""
    return project_health(
        project,
        store.tasks.find(TaskFilter(project_id=project.id)),
        store.milestones.find(project.id),
        store.costs.find(project.id),
        as_of,
    )


def health_of_all(store: Store, as_of: date, key: str | None = None) -> list[ProjectHealth]:
    """The health of every project (or just ``key``), by project key."""
    projects = [store.projects.by_key(key)] if key else store.projects.find()
    return [health_of(store, p, as_of) for p in projects]
