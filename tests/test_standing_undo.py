"""`x` in the standing orders' table cancels an order with no question (a play-tester
noticed), so `u` sets the order just cancelled again, as `u` does in the order book."""

from __future__ import annotations

from game.play import standing
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens.orders import OrdersScreen
from tests.tui_helpers import SIZES, text, unseen_at_each_size

XAI = 0


async def test_u_sets_the_standing_order_x_just_cancelled_again():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    standing.add(s, standing.run_order(s, XAI, 2e26))
    standing.add(s, standing.fill_order(s, XAI, "H100", "dell"))
    before = standing.orders(s, XAI)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        app.screen.query_one("#standing").focus()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert len(standing.orders(s, XAI)) == 1 and "(u sets it again)" in text(pilot, "message")
        await pilot.press("u")
        await pilot.pause()
        assert sorted(map(repr, standing.orders(s, XAI))) == sorted(map(repr, before))
        assert text(pilot, "message").startswith("Standing order: ")
        await pilot.press("u")  # once
        await pilot.pause()
        assert "No cancelled standing order" in text(pilot, "message")
        assert len(standing.orders(s, XAI)) == 2
        assert await unseen_at_each_size(pilot, "message") == []
