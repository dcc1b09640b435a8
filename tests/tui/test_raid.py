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
        assert "R1 risk Carrier delays" in detail and "exposure EUR 28,000" in detail


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
