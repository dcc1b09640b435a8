"""RAID log (key 7): the register worst first, filtered by project and open/all, live."""

from __future__ import annotations

from textual.pilot import Pilot

from itpm_tui.app import ItpmApp
from itpm_tui.screens.raid import RaidScreen
from itpm_tui.store import Store
from itpm_tui.widgets.raid_list import RaidList
from tests.tui.conftest import SIZES, AppFactory
from tests.tui.helpers import settle, text_of, ui_test


async def open_raid(app: ItpmApp, pilot: Pilot[None]) -> RaidList:
    await pilot.press("7")
    await settle(app, pilot)
    assert isinstance(app.screen, RaidScreen)
    return app.screen.query_one(RaidList)


def refs(register: RaidList) -> list[str]:
    return [line.split()[0] for line in text_of(register).splitlines()[1:] if line.strip()]


@ui_test
async def test_7_opens_the_register_worst_band_first_with_marks_not_only_colour(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        register = await open_raid(app, pilot)
        lines = text_of(register).splitlines()
        assert lines[0].split()[:4] == ["Ref", "Proj", "Status", "Score"]
        # very high (NET 16) before high (CLOUD 15, APP 0.12 on PMBOK), then medium, then
        # items without a rating by id; closed items and made decisions are hidden.
        assert refs(register) == ["R1", "R5", "R8", "R2", "A3", "D7"]
        assert "16 ▲▲ very high" in lines[1]
        detail = text_of(app.screen.query_one("#raid-detail"))
        assert "R1 risk Carrier delays" in detail and "exposure €28,000" in detail


@ui_test
async def test_p_cycles_projects_and_c_shows_closed_items(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        register = await open_raid(app, pilot)
        await pilot.press("p")  # APP, the first key
        await settle(app, pilot)
        assert refs(register) == ["R8"]
        await pilot.press("c")
        await settle(app, pilot)
        assert refs(register) == ["R8", "D9"]
        await pilot.press("j")
        assert "D9 decision Drop the tablet layouts" in text_of(app.screen.query_one(
            "#raid-detail"))  # fmt: skip


@ui_test
async def test_a_risk_raised_elsewhere_shows_up_without_a_key(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from decimal import Decimal

    from itpm_tui.models import RaidItem, RaidKind
    from tests.conftest import TODAY

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        register = await open_raid(app, pilot)
        demo_store.raid.add(RaidItem(project_id=1, kind=RaidKind.RISK, title="Core switch fails",
                                     probability=Decimal(5), impact=Decimal(5),
                                     raised_on=TODAY))  # fmt: skip
        for _ in range(20):
            await pilot.pause(0.1)
            await settle(app, pilot)
            if refs(register)[:1] == ["R10"]:
                break
        assert refs(register)[0] == "R10"


def _notices(app: ItpmApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


@ui_test
async def test_the_heat_map_counts_each_cell_and_enter_filters_the_register(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.widgets.heat_map import HeatMap

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        register = await open_raid(app, pilot)
        heat = app.screen.query_one(HeatMap)
        assert heat.display  # beside the register at 120 columns
        lines = text_of(heat).splitlines()
        assert lines[0].strip() == "Heat map: 4 rated"
        # probability 4 row: R1 (4 x 4, very high) in impact column 4, with its mark
        assert lines[3].split() == ["4", "0·", "0▪", "0▲", "1▲▲", "0▲▲"]
        await pilot.press("m")  # to the map; the cursor starts on 3 x 3
        await pilot.press("k", "l", "enter")
        await settle(app, pilot)
        assert refs(register) == ["R1"]
        assert "Only probability 4 x impact 4: 1" in text_of(app.screen.query_one("#raid-filter"))
        assert "* 1▲▲" in text_of(heat)
        await pilot.press("escape")
        await settle(app, pilot)
        assert refs(register) == ["R1", "R5", "R8", "R2", "A3", "D7"]


@ui_test
async def test_t_filters_by_kind_w_by_owner_and_the_map_counts_what_is_left(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.widgets.heat_map import HeatMap

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        register = await open_raid(app, pilot)
        banner = app.screen.query_one("#raid-filter")
        heat = app.screen.query_one(HeatMap)
        await pilot.press("t")  # risks
        await settle(app, pilot)
        assert refs(register) == ["R1", "R5", "R8", "R2"]
        assert text_of(banner).strip().startswith("Only risks: 4 · Esc shows all")
        await pilot.press("t")  # issues: the one issue (I6) is closed
        await settle(app, pilot)
        assert refs(register) == ["No"]
        assert "No item matches: Esc shows all." in text_of(register)
        assert text_of(heat).splitlines()[0].strip() == "Heat map: 0 rated"
        await pilot.press("t", "t", "t")  # assumptions, decisions, then every kind
        await settle(app, pilot)
        assert not banner.display and len(refs(register)) == 6
        await pilot.press("w")  # the first owner by login
        await settle(app, pilot)
        assert refs(register) == ["R2"]
        assert text_of(banner).strip().startswith("Only owned by alice: 1")
        assert text_of(heat).splitlines()[0].strip() == "Heat map: 1 rated"
        await pilot.press("t")  # and risks: both filters hold
        await settle(app, pilot)
        assert text_of(banner).strip().startswith("Only risks, owned by alice: 1")
        await pilot.press("escape")  # every filter off
        await settle(app, pilot)
        assert refs(register) == ["R1", "R5", "R8", "R2", "A3", "D7"]
        assert not banner.display


@ui_test
async def test_m_shows_the_heat_map_at_80_columns_and_hides_it_again(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.widgets.heat_map import HeatMap

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_raid(app, pilot)
        heat = app.screen.query_one(HeatMap)
        assert not heat.display
        await pilot.press("m")
        assert heat.display and heat.has_focus
        await pilot.press("m")
        assert not heat.display


@ui_test
async def test_s_changes_the_status_with_a_picker_and_says_so(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_raid(app, pilot)
        await pilot.press("s")  # R1 is open: the picker starts there
        await pilot.press("j", "enter")
        await settle(app, pilot)
        item = demo_store.raid.get(1)
        assert item.status.value == "monitoring"
        assert ("", "R1: status monitoring") in _notices(app)
        assert demo_store.raid.history(1)[-1].field == "status"


@ui_test
async def test_e_sets_the_review_date_from_a_typed_day(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from datetime import date

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_raid(app, pilot)
        await pilot.press("e")
        await pilot.press("j", "j", "j", "j", "j", "enter")  # Review date, the sixth field
        await pilot.press(*"fri", "enter")
        await settle(app, pilot)
        assert demo_store.raid.get(1).review_on == date(2026, 11, 27)
        await pilot.press("e", "j", "j", "j", "j", "j", "enter", *"dec 32", "enter")
        await settle(app, pilot)
        assert any(title == "Not done" for title, _ in _notices(app))
        assert demo_store.raid.get(1).review_on == date(2026, 11, 27)


@ui_test
async def test_a_status_changed_meanwhile_is_a_notice_and_nothing_is_overwritten(
    demo_store: Store, app_factory: AppFactory
) -> None:
    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        await open_raid(app, pilot)
        await pilot.press("s")
        alice = Store(demo_store.path, user="alice", clock=demo_store.clock)
        alice.raid.update(1, {"status": "closed"})
        alice.close()
        await pilot.press("j", "enter")  # monitoring, on the version seen before alice's
        await settle(app, pilot)
        assert demo_store.raid.get(1).status.value == "closed"
        titles = [t for t, _ in _notices(app)]
        assert "Changed by someone else" in titles


@ui_test
async def test_a_adds_a_risk_by_project_kind_title_and_rating(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from decimal import Decimal

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["ssh"]) as pilot:
        register = await open_raid(app, pilot)
        await pilot.press("a")
        await pilot.press("j", "j", "enter")  # NET (projects by key: APP, CLOUD, NET)
        await pilot.press("enter")  # risk, the first kind
        await pilot.press(*"Core switch fails", "enter")
        await pilot.press("j", "j", "enter")  # probability 5 (the picker starts on 3)
        await pilot.press("enter")  # impact 3
        await settle(app, pilot)
        added = demo_store.raid.get(10)
        assert (added.title, added.probability, added.impact, added.project_key) == (
            "Core switch fails", Decimal(5), Decimal(3), "NET")  # fmt: skip
        assert "R10" in refs(register)


@ui_test
async def test_c_lists_change_requests_approves_and_applies_one(
    demo_store: Store, app_factory: AppFactory
) -> None:
    from itpm_tui.models import ChangeStatus
    from itpm_tui.widgets.change_list import ChangeList

    app = app_factory(demo_store)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await open_raid(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        changes = app.screen.query_one(ChangeList)
        lines = text_of(changes).splitlines()
        assert lines[1].split()[:3] == ["CR-1", "NET", "applied"]
        assert lines[2].split()[:3] == ["CR-2", "CLOUD", "proposed"]
        await pilot.press("y")  # CR-1 is applied: refused, one notice
        await settle(app, pilot)
        assert ("Not done", "CR-1 is already applied on 13 Nov: it cannot be approved") in (
            _notices(app)
        )
        await pilot.press("j", "y")
        await settle(app, pilot)
        assert demo_store.changes.get(2).status is ChangeStatus.APPROVED
        await pilot.press("A", "j", "enter")  # asks first: "Yes, apply it"
        await settle(app, pilot)
        assert demo_store.changes.get(2).status is ChangeStatus.APPLIED
        assert [b.number for b in demo_store.changes.baselines(2)] == [0, 1]
        assert "CR-2 applied: CLOUD has a new baseline" in str(_notices(app))
