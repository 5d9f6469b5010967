"""The race is on the dashboard's first screen at every size: under 110 columns the
bars and the labs' table sit below the fold, so a line under the status gives every lab's
best model and the AGI range (a play-test at 80x24 scrolled to see the rival)."""

from __future__ import annotations

from game.play import intel, views
from game.play.session import Session
from game.tui.app import AgiRaceApp
from tests.tui_helpers import SIZES, text, visible


async def test_every_labs_best_model_is_on_the_dashboards_first_screen_at_80x24_and_120x40():
    session = Session.new()
    app = AgiRaceApp(session=session)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        t = session.turn(0)
        me, rivals = views.lab_view(t), intel.rival_views(t)
        line = text(pilot, "race-line")
        assert f"you {me.best_model:.2f}" in line and f"past {me.agi_low:.1f}-{me.agi_high:.1f} wins" in line
        assert all(f"{r.best_model:.2f}" in line for r in rivals) and len(rivals) == 2
        assert visible(pilot, "race-line") and visible(pilot, "alerts")
        await pilot.resize_terminal(*SIZES[1])
        await pilot.pause()
        assert not app.screen.query_one("#race-line").display  # the bars and the table show it
        assert visible(pilot, "agi") and visible(pilot, "race")
