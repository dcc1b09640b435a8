"""RaidScreen: the RAID register worst risk first, its heat map, edits, and change requests.

The register is read in the load worker (``reports.raid_register``); the list is a Line-API
``RaidList``; the two lines under it say the highlighted item's rating, owner, review and
mitigation. The 5x5 heat map (``widgets.heat_map``) stands beside the list from 120 columns
and comes and goes with ``m`` below that; Enter on a cell shows only its risks. Edits go
through pickers and a line input and save with the version on screen (a conflict is a
notice, then a reload). ``C`` swaps the register for the change requests, which are
approved, rejected and applied from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Static

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.change import ChangeRow
from itpm_tui.domain.dates import parse_optional_date, short_date
from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.raid import RaidRow, cell_of, heat_map, levels
from itpm_tui.models import (
    DECISION_STATUSES,
    ChangeStatus,
    Project,
    RaidItem,
    RaidKind,
    RaidStatus,
    RiskResponse,
)
from itpm_tui.reports import RaidRegister, raid_register
from itpm_tui.screens.base import ItpmScreen
from itpm_tui.screens.line_input import LineInputModal
from itpm_tui.screens.picker import PickerModal
from itpm_tui.store import Store
from itpm_tui.widgets.app_header import AppHeader
from itpm_tui.widgets.change_list import ChangeList
from itpm_tui.widgets.detail_lines import DetailLines
from itpm_tui.widgets.heat_map import HeatMap
from itpm_tui.widgets.key_bar import KeyBar
from itpm_tui.widgets.raid_list import RaidList

MAP_BESIDE = 120
"""From this width the heat map stands beside the register without asking."""

_ITEM_ACTIONS = frozenset({"edit", "set_status", "set_owner", "add_item", "toggle_map",
                           "toggle_closed", "next_kind", "next_owner"})  # fmt: skip
_CHANGE_ACTIONS = frozenset({"approve", "reject", "apply"})


@dataclass(frozen=True)
class RaidRequest:
    """What a load depends on: the day, the project (``None``: all), open items only."""

    today: date
    project_key: str | None
    open_only: bool


def detail_text(row: RaidRow | None, today: date) -> Text:
    """The highlighted item: ref, kind and title, then its rating, owner, review, plan."""
    if row is None:
        return Text("")
    item, rating = row.item, row.rating
    text = Text.assemble((f"{item.ref} {item.kind.value}", "bold"), " ", (item.title, "bold"),
                         no_wrap=True, overflow="ellipsis")  # fmt: skip
    facts = [item.project_key or "", item.status.value, f"owner {item.owner or 'nobody'}"]
    if rating is not None:
        facts.append(f"P {item.probability} x I {item.impact} = {rating.score} "
                     f"{rating.band.value}")  # fmt: skip
        if rating.exposure is not None:
            facts.append(f"exposure {money_text(rating.exposure, row.currency)}")
    if item.review_on is not None:
        due = " (due)" if item.review_on <= today else ""
        facts.append(f"review {short_date(item.review_on, today)}{due}")
    if item.response is not None:
        facts.append(f"{item.response.value}: {item.mitigation}" if item.mitigation
                     else item.response.value)  # fmt: skip
    text.append("\n" + " · ".join(facts), style="dim")
    return text


def change_detail(row: ChangeRow | None, today: date) -> Text:
    """The highlighted change: ref and title, then status, impact, who asked and why."""
    if row is None:
        return Text("")
    c = row.change
    text = Text.assemble((c.ref, "bold"), " ", (c.title, "bold"), no_wrap=True,
                         overflow="ellipsis")  # fmt: skip
    facts = [c.project_key or "", c.status.value, row.impact()]
    if c.decided_on:
        facts.append(f"{c.status.value if c.status is not ChangeStatus.APPLIED else 'approved'}"
                     f" by {c.decided_by} {short_date(c.decided_on, today)}")  # fmt: skip
    if c.applied_on:
        facts.append(f"applied {short_date(c.applied_on, today)}")
    if c.reason:
        facts.append(c.reason)
    text.append("\n" + " · ".join(facts), style="dim")
    return text


class RaidScreen(ItpmScreen[RaidRequest, RaidRegister]):
    """Risks, assumptions, issues and decisions of every project, and change requests."""

    TITLE = "RAID log"
    WRITE_ACTIONS = frozenset({"edit", "add_item", "set_status", "set_owner", "approve",
                               "reject", "apply"})  # fmt: skip
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="raid.edit"),
        Binding("a", "add_item", "Add", id="raid.add"),
        Binding("m", "toggle_map", "Heat map", id="raid.heat-map"),
        Binding("p", "next_project", "Project", id="raid.next-project"),
        Binding("t", "next_kind", "Kind", id="raid.next-kind"),
        Binding("w", "next_owner", "Who", id="raid.next-owner"),
        Binding("C", "toggle_changes", "Changes", id="raid.changes"),
        Binding("c", "toggle_closed", "Closed too", id="raid.toggle-closed"),
        Binding("s", "set_status", "Status", id="raid.status"),
        Binding("o", "set_owner", "Owner", id="raid.owner"),
        Binding("y", "approve", "Approve", id="raid.approve-change"),
        Binding("n", "reject", "Reject", id="raid.reject-change"),
        Binding("A", "apply", "Apply", id="raid.apply-change"),
        Binding("escape,ctrl+g", "clear_cell", "Show all", id="raid.clear-cell"),
    ]
    DEFAULT_CSS = """
    RaidScreen #raid-body { height: 1fr; }
    RaidScreen #raid-lists { width: 1fr; }
    RaidScreen RaidList, RaidScreen ChangeList { height: 1fr; }
    RaidScreen #raid-filter { height: 1; padding: 0 1; text-style: bold; }
    RaidScreen #raid-detail { height: 2; padding: 0 1; background: $panel; }
    """

    project_key: str | None = None
    """The project shown (``None``: all of them)."""
    open_only: bool = True
    """Hide closed items and made decisions."""
    data: RaidRegister | None = None
    showing_changes: bool = False
    """The ``C`` view: change requests instead of the register."""
    cell: tuple[int, int] | None = None
    """The heat-map cell the register is filtered to (probability, impact ranks)."""
    kind: RaidKind | None = None
    """Only items of this kind (``None``: every kind)."""
    owner: str | None = None
    """Only items this login owns (``""``: the unowned; ``None``: anyone's)."""
    map_wanted: bool | None = None
    """``m`` shows or hides the map; ``None``: beside the list from ``MAP_BESIDE`` columns."""

    def compose(self) -> ComposeResult:
        """Header, the register (or the changes) beside the heat map, the detail, the keys."""
        yield AppHeader()
        with Horizontal(id="raid-body"):
            with Vertical(id="raid-lists"):
                yield Static("", id="raid-filter", markup=False)
                yield RaidList(id="raid-list")
                yield ChangeList(id="change-list")
            yield HeatMap(id="heat-map")
        yield DetailLines(id="raid-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the list (the base class starts the first load)."""
        self.query_one("#raid-filter").display = False
        self.query_one(ChangeList).display = False
        self._place_map(self.size.width)
        self.query_one(RaidList).focus()

    def on_resize(self, event: Resize) -> None:
        """Beside the list from 120 columns unless ``m`` said otherwise."""
        self._place_map(event.size.width)

    def _place_map(self, width: int) -> None:
        shown = self.map_wanted if self.map_wanted is not None else width >= MAP_BESIDE
        self.query_one(HeatMap).display = shown and not self.showing_changes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Item keys in the register, change keys in the ``C`` view."""
        if action in _CHANGE_ACTIONS:
            return self.showing_changes
        if action in _ITEM_ACTIONS:
            return not self.showing_changes
        if action == "clear_cell":
            return self._filtered and not self.showing_changes
        return True

    def load_request(self) -> RaidRequest:
        """Today, the project filter and whether closed items show."""
        return RaidRequest(self.services.clock.today(), self.project_key, self.open_only)

    def load(self, store: Store, request: RaidRequest) -> RaidRegister:
        """Read the register (worker thread)."""
        return raid_register(store, request.project_key, open_only=request.open_only)

    def show(self, data: RaidRegister) -> None:
        """Repaint the list, the map and the changes; cursors stay on their items."""
        self.data = data
        self.query_one(ChangeList).set_rows(data.changes)
        self._show_rows()

    @property
    def _filtered(self) -> bool:
        return self.cell is not None or self.kind is not None or self.owner is not None

    def _show_rows(self) -> None:
        """The register through the kind, owner and heat-map cell filters; the map counts the
        items the kind and owner filters leave."""
        data = self.data
        if data is None:
            return
        rows = tuple(r for r in data.rows
                     if (self.kind is None or r.item.kind is self.kind)
                     and (self.owner is None or (r.item.owner or "") == self.owner))  # fmt: skip
        self.query_one(HeatMap).cells = heat_map(rows)
        said = []
        if self.kind is not None:
            said.append(f"{self.kind.value}s" if self.kind is not RaidKind.ASSUMPTION
                        else "assumptions")  # fmt: skip
        if self.owner is not None:
            said.append(f"owned by {self.owner}" if self.owner else "with no owner")
        if self.cell is not None:
            rows = tuple(r for r in rows if cell_of(r) == self.cell)
            said.append("probability {} x impact {}".format(*self.cell))
        banner = self.query_one("#raid-filter", Static)
        banner.update(f"Only {', '.join(said)}: {len(rows)} · Esc shows all")
        banner.display = self._filtered and not self.showing_changes
        self.query_one(HeatMap).chosen = self.cell
        register = self.query_one(RaidList)
        register.empty_text = ("No item matches: Esc shows all." if self._filtered
                               else RaidList.empty_text)  # fmt: skip
        if self.data is not None and not self.data.projects:
            register.empty_text = ("No projects yet, so no RAID log: 4 then a adds a project "
                                   "(or `itpm-tui project add KEY NAME`), then a here raises "
                                   "a risk, an issue, an assumption or a dependency.")  # fmt: skip
        register.set_rows(rows)
        self._refresh_detail()

    def _refresh_detail(self) -> None:
        detail = self.query_one("#raid-detail", DetailLines)
        today = self.services.clock.today()
        if self.showing_changes:
            detail.update(change_detail(self.query_one(ChangeList).current, today))
        else:
            detail.update(detail_text(self.query_one(RaidList).current, today))

    @on(RaidList.Highlighted)
    @on(ChangeList.Highlighted)
    def _show_detail(self) -> None:
        self._refresh_detail()

    @on(HeatMap.CellChosen)
    def _filter_to_cell(self, message: HeatMap.CellChosen) -> None:
        chosen = (message.probability, message.impact)
        self.cell = None if self.cell == chosen else chosen
        self._show_rows()
        self.query_one(RaidList).focus()
        self.refresh_bindings()

    def action_clear_cell(self) -> None:
        """Drop the kind, owner and cell filters: every item again."""
        self.cell = self.kind = self.owner = None
        self._show_rows()
        self.refresh_bindings()

    def action_next_kind(self) -> None:
        """Only risks, then issues, assumptions, decisions, then every kind again."""
        cycle: list[RaidKind | None] = [None, *RaidKind]
        self.kind = cycle[(cycle.index(self.kind) + 1) % len(cycle)]
        self._show_rows()
        self.refresh_bindings()

    def action_next_owner(self) -> None:
        """Only the next owner's items (the unowned last), then everyone's again."""
        owners = sorted({r.item.owner or "" for r in self.data.rows}) if self.data else []
        cycle: list[str | None] = [None, *[o for o in owners if o], *([""] if "" in owners else [])]
        at = cycle.index(self.owner) if self.owner in cycle else 0
        self.owner = cycle[(at + 1) % len(cycle)]
        self._show_rows()
        self.refresh_bindings()

    def action_next_project(self) -> None:
        """Show the next project (after the last: all of them again)."""
        keys = self.data.project_keys if self.data else ()
        cycle: list[str | None] = [None, *keys]
        at = cycle.index(self.project_key) if self.project_key in cycle else 0
        self.project_key = cycle[(at + 1) % len(cycle)]
        self.reload()

    def action_toggle_closed(self) -> None:
        """Show closed items and made decisions too, or hide them again."""
        self.open_only = not self.open_only
        self.reload()

    def action_toggle_map(self) -> None:
        """Show the heat map and move to it; from the map, hide it again."""
        heat = self.query_one(HeatMap)
        if heat.display and not heat.has_focus:
            heat.focus()
            return
        self.map_wanted = not heat.display
        self._place_map(self.size.width)
        if heat.display:
            heat.focus()
        else:
            self.query_one(RaidList).focus()

    def action_toggle_changes(self) -> None:
        """Swap the register for the change requests, or back."""
        self.showing_changes = not self.showing_changes
        self.query_one(RaidList).display = not self.showing_changes
        changes = self.query_one(ChangeList)
        changes.display = self.showing_changes
        self.query_one("#raid-filter").display = self._filtered and not self.showing_changes
        self._place_map(self.size.width)
        (changes if self.showing_changes else self.query_one(RaidList)).focus()
        self._refresh_detail()
        self.refresh_bindings()

    # --- editing an item --------------------------------------------------------------------

    def _selected(self) -> tuple[RaidItem, Project] | None:
        row = self.query_one(RaidList).current
        project = self.data.project(row.item.project_id) if row and self.data else None
        if row is None or project is None:
            self.notify("No RAID item selected.", severity="warning", timeout=2)
            return None
        return row.item, project

    def _update(self, item: RaidItem, changes: dict[str, Any], said: str) -> None:
        item_id, version = item.id, item.version
        self.save(lambda store: store.raid.update(item_id, changes, expected_version=version),
                  f"{item.ref}: {said}")  # fmt: skip

    def action_set_status(self) -> None:
        """Pick the highlighted item's status."""
        if (picked := self._selected()) is not None:
            self._edit_field(picked[0], picked[1], "status")

    def action_set_owner(self) -> None:
        """Pick who owns the highlighted item."""
        if (picked := self._selected()) is not None:
            self._edit_field(picked[0], picked[1], "owner")

    @work(group="dialog", exit_on_error=False)
    async def action_edit(self) -> None:
        """Choose a field of the highlighted item, then its new value."""
        picked = self._selected()
        if picked is None:
            return
        item, project = picked
        fields = [("Status", "status"), ("Owner", "owner")]
        if item.kind is RaidKind.RISK:
            fields += [("Probability", "probability"), ("Impact", "impact"),
                       ("Response", "response")]  # fmt: skip
        fields += [("Review date", "review_on")]
        choice = await self.app.push_screen_wait(PickerModal(f"Change which field of {item.ref}?",
                                                             fields))  # fmt: skip
        if choice is not None:
            self._edit_field(item, project, choice.value)

    @work(group="dialog", exit_on_error=False)
    async def _edit_field(self, item: RaidItem, project: Project, name: str) -> None:
        value = await self._ask(item, project, name)
        if value is _CANCELLED:
            return
        shown = "nobody" if value is None else getattr(value, "value", value)
        self._update(item, {name: value}, f"{name.replace('_on', '')} {shown}")

    async def _ask(self, item: RaidItem, project: Project, name: str) -> object:
        """The new value of one field from a picker or a line, or ``_CANCELLED``."""
        choices: list[tuple[str, object]]
        if name == "status":
            allowed = [s for s in RaidStatus if (s in DECISION_STATUSES) == (
                item.kind is RaidKind.DECISION)]  # fmt: skip
            choices = [(s.value, s) for s in allowed]
            current = getattr(item, name)
        elif name == "owner":
            people = self.data.people if self.data else ()
            choices = [("nobody", None), *((login, login) for login in people)]
            current = item.owner
        elif name in ("probability", "impact"):
            probabilities, impacts = levels(project.risk_settings.kind)
            choices = [(str(v), v) for v in (probabilities if name == "probability" else impacts)]
            current = getattr(item, name)
        elif name == "response":
            choices = [("none", None), *((r.value, r) for r in RiskResponse)]
            current = item.response
        else:
            typed = await self.app.push_screen_wait(LineInputModal(
                f"Review {item.ref} on (fri, +5d, 3 Dec; empty clears)",
                str(item.review_on or "")))  # fmt: skip
            if typed is None:
                return _CANCELLED
            calendar = WorkCalendar.for_project(project)
            return parse_optional_date(typed, self.services.clock.today(), calendar)
        at = next((n for n, (_, v) in enumerate(choices) if v == current), 0)
        title = f"{name.replace('_', ' ').capitalize()} of {item.ref}"
        picked = await self.app.push_screen_wait(PickerModal(title, choices, at))
        return _CANCELLED if picked is None else picked.value

    @work(group="dialog", exit_on_error=False)
    async def action_add_item(self) -> None:
        """Raise an item: its project (unless one is shown), kind, title, and a risk's rating."""
        data = self.data
        if data is None or not data.projects:
            self.notify("Add a project first: 4 then a (or `itpm-tui project add KEY NAME`).",
                        timeout=4)  # fmt: skip
            return
        projects = sorted(data.projects, key=lambda p: p.key)
        project = next((p for p in projects if p.key == self.project_key), None)
        if project is None and len(projects) == 1:
            project = projects[0]
        if project is None:
            chosen = await self.app.push_screen_wait(PickerModal(
                "Raise it on which project?", [(f"{p.key}  {p.name}", p) for p in projects]))  # fmt: skip
            if chosen is None:
                return
            project = chosen.value
        kind = await self.app.push_screen_wait(PickerModal(
            f"What kind of item on {project.key}?", [(k.value, k) for k in RaidKind]))  # fmt: skip
        if kind is None:
            return
        title = await self.app.push_screen_wait(LineInputModal(f"New {kind.value.value} on "
                                                               f"{project.key}", "its title"))  # fmt: skip
        if not title:
            return
        fields: dict[str, Any] = {"project_id": project.id, "kind": kind.value, "title": title,
                                  "raised_on": self.services.clock.today()}  # fmt: skip
        if kind.value is RaidKind.RISK:
            probabilities, impacts = levels(project.risk_settings.kind)
            for name, values in (("probability", probabilities), ("impact", impacts)):
                picked = await self.app.push_screen_wait(PickerModal(
                    f"{name.capitalize()} of '{title}'", [(str(v), v) for v in values], 2))  # fmt: skip
                if picked is None:
                    return
                fields[name] = picked.value
        if kind.value is RaidKind.DECISION:
            fields["status"] = RaidStatus.PROPOSED
        item = RaidItem.model_validate(fields)
        self.save(lambda store: store.raid.add(item), f"Added a {kind.value.value}: {title}")

    # --- change requests --------------------------------------------------------------------

    def _change(self) -> ChangeRow | None:
        row = self.query_one(ChangeList).current
        if row is None:
            self.notify("No change request selected.", severity="warning", timeout=2)
        return row

    def _decide(self, to: ChangeStatus) -> None:
        row = self._change()
        if row is None:
            return
        change_id, version, ref = row.change.id, row.change.version, row.change.ref
        self.save(lambda store: store.changes.decide(change_id, to, expected_version=version),
                  f"{ref} {to.value}")  # fmt: skip

    def action_approve(self) -> None:
        """Approve the highlighted change request (refused unless it is proposed)."""
        self._decide(ChangeStatus.APPROVED)

    def action_reject(self) -> None:
        """Reject the highlighted change request."""
        self._decide(ChangeStatus.REJECTED)

    @work(group="dialog", exit_on_error=False)
    async def action_apply(self) -> None:
        """Apply the highlighted approved change: asks first, then writes the new baseline."""
        row = self._change()
        if row is None:
            return
        change = row.change
        sure = await self.app.push_screen_wait(PickerModal(
            f"Apply {change.ref}? It re-baselines {change.project_key}: "
            f"{row.impact()}",
            [("No, keep the baseline", False), ("Yes, apply it", True)]))  # fmt: skip
        if sure is None or not sure.value:
            return
        change_id, version = change.id, change.version
        self.save(lambda store: store.changes.apply(change_id, expected_version=version),
                  f"{change.ref} applied: {change.project_key} has a new baseline")  # fmt: skip


class _Cancelled:
    """A dialog closed with Escape: nothing to save."""


_CANCELLED = _Cancelled()
