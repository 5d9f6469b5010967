"""A partner's list price meant little once its pool filled: CoreWeave listed $2.38 and
countered $4.00 for the GPUs a play-tester asked for, after patience was spent. The
deals form now says, before an offer, what the partner can rent and the price a pool
that full asks, and the partner's answer keeps to it (within the week's draw)."""

from __future__ import annotations

import pytest

from game.play import market
from game.play.session import Session
from game.saves import Offer

XAI = 0


@pytest.mark.parametrize("count", [5_000, 20_000, 60_000])
def test_the_forms_expected_price_is_the_partners_answer_within_the_weeks_swing(count):
    s = Session.new(seed=5)
    c = market.crowding(s.turn(XAI), "coreweave", "H100", count, s.week, 52)
    price, discount = market.list_price(s.turn(XAI), "coreweave", "H100", 52)
    offer = Offer(
        partner="coreweave",
        gpu="H100",
        count=count,
        start=s.week,
        weeks=52,
        price=round(price * (1 - discount), 2),
    )
    reply = s.offer(XAI, offer)
    assert reply.count == c.count  # what it can rent you
    assert abs(reply.price - c.price) <= c.price * c.swing + 0.01, (reply.price, c.price)
    assert (c.factor > 1.0) == (c.full > s.params.rules.deals.utilisation_knee)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_deals_form_names_the_price_of_a_crowded_pool_before_the_offer(size):
    from textual.widgets import Input, Select

    from game.tui.app import AgiRaceApp

    app = AgiRaceApp(session=Session.new(seed=5))
    async with app.run_test(size=size) as pilot:
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#partner", Select).value = "coreweave"
        await pilot.pause()
        app.screen.query_one("#count", Input).value = "20000"
        await pilot.pause()
        said = str(app.screen.query_one("#preview").render())
        c = market.crowding(app.session.turn(XAI), "coreweave", "H100", 20_000, app.session.week, 52)
        assert f"expect about ${c.price:.2f}/GPU-hour" in said.replace("\n", " "), said
