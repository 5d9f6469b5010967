"""Building at several sites took a play-tester about 15 keys a site: the site was picked
in a dropdown, and the megawatts typed after the form's 50 made 5,0100. Up and down now
pick the site from the table wherever the focus is, and the field the form opens on
holds its text selected, so `s`, arrows, the figure and Enter book a build."""

from __future__ import annotations

import pytest

from game.play import decisions as dec
from game.play.session import Session
from game.tui.app import AgiRaceApp
from tests.tui_helpers import SIZES, choose, confirm, fill, text, unseen_at_each_size, visible

XAI = 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_arrows_pick_the_site_and_typing_replaces_the_megawatts(size):
    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "down", "up", "down")
        await pilot.pause()
        assert app.screen.query_one("#site").value == "abilene"
        await pilot.press("1", "2", "0", "enter")
        await pilot.pause()
        assert app.session.book(XAI) == [dec.BuildHalls("abilene", 120)]
        await pilot.press("up", "up", "up")  # past the first row: it stays there
        await pilot.pause()
        assert app.screen.query_one("#site").value == "memphis"


async def test_a_substation_upgrade_asks_no_megawatts():
    """An upgrade adds the site's own step (its preview says how much): the megawatts field
    showed '300' for it, a figure the upgrade ignores."""
    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert visible(pilot, "mw")
        choose(pilot, what="substation")
        await pilot.pause()
        assert not visible(pilot, "mw")
        await pilot.press("alt+m")  # its key finds nothing to type into
        assert app.focused is None or app.focused.id != "mw"
        choose(pilot, what="turbines")
        await pilot.pause()
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert visible(pilot, "mw")


async def test_the_halls_preview_counts_turbines_booked_this_week():
    """'your spare power here 66 MW' left out the turbines the player had just ordered."""
    s = Session.new(seed=5)
    s.decide(XAI, dec.OrderTurbines("memphis", 50), confirmed=True)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("s")
        await pilot.pause()
        choose(pilot, site="memphis", what="halls")
        fill(pilot, mw="40")
        await pilot.pause()
        assert "50 MW of turbines in this week's orders" in " ".join(text(pilot, "preview").split())
        assert await unseen_at_each_size(pilot, "preview") == []


async def test_the_market_form_opens_on_the_gpu_and_integrator_last_ordered():
    """The market's GPU went back to H100 on every visit."""
    s = Session.new(seed=5)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("m")
        await pilot.pause()
        choose(pilot, gpu="H200", vendor="supermicro")
        fill(pilot, count="1000")
        await confirm(pilot)
        assert [(d.gpu, d.vendor) for d in s.book(XAI)] == [("H200", "supermicro")]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert (app.screen.query_one("#gpu").value, app.screen.query_one("#vendor").value) == ("H200", "supermicro")
