"""A partner's counter far over its list price says what raised it, with the rule's own
figures: how full its pool would be with the GPUs asked for, the knee of its price curve
and the factor that put on its ask (deals.evaluate's utilisation markup)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.widgets import Input

from game.engine import terms
from game.play import market
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import DealsScreen
from tests.tui_helpers import choose, confirm, fill, text, unseen_at_each_size

XAI = 0


@pytest.mark.slow  # a whole flow: the long tier
async def test_a_counter_far_over_the_list_price_says_why_on_the_deals_screen():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    while s.week < 92:  # by then Microsoft's GB200 pool is nearly all rented
        s.end_week()
    p, w = s.params, s.world
    k, g = p.partner_ids.index("microsoft"), p.gpu_ids.index("GB200")
    listed = float(terms.list_price(p, w, np.full((1, p.n_labs), k), np.full((1, p.n_labs), g))[0, 0])
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, DealsScreen)
        choose(pilot, partner="microsoft")
        await pilot.pause()
        choose(pilot, gpu="GB200")
        await pilot.pause()
        fill(pilot, count="20000", start="0", weeks="52", price="6")
        await confirm(pilot)
        await pilot.press("y")  # the review: send the offer
        await pilot.pause()
        await pilot.press("n")  # the counter's review: not now, its terms stay in the form
        await pilot.pause()
        said = text(pilot, "message")
        counter = re.search(r"at \$([\d.]+) per GPU-hour", said)
        assert counter and float(counter[1]) > 2 * listed, said  # the play-test's case: ~4x the list
        why = re.search(
            r"Why ([\d.]+)x its \$([\d.]+) list: with these ([\d,]+), its GB200 pool \(([\d,]+)\) would be "
            r"(\d+)% spoken for \(([\d,]+) held already, yours included\), and past 60% its price rises, up to 4x when "
            r"full: x([\d.]+) on its \$([\d.]+) ask\.",
            said,
        )
        assert why, said
        assert why[2] == f"{listed:.2f}"
        assert float(why[1]) == round(float(counter[1]) / listed, 1)
        used = int(why[5]) / 100
        markup = float(terms.utilisation_markup(p, np.asarray(used)))
        assert abs(float(why[7]) - markup) < 0.02  # the factor the rule puts on that utilisation
        assert abs(float(why[7]) * float(why[8]) - float(counter[1])) < 0.02  # ask x factor = the counter
        assert await unseen_at_each_size(pilot, "message") == []


async def test_at_list_price_fills_the_most_gpus_a_partner_rents_before_its_price_rises():
    """A play-tester probed 60k, 25k, 40k and 30k GB200 at Oracle to find the most it
    rents before its pool is past the knee: alt+k fills it in, and one GPU more costs more."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        choose(pilot, partner="coreweave")
        await pilot.pause()
        await pilot.press("alt+k")
        await pilot.pause()
        n = int(app.screen.query_one("#count", Input).value)
        t = s.turn(XAI)
        assert n == market.most_at_list(t, "coreweave", "H100", s.week, 52) and n > 0
        assert market.crowding(t, "coreweave", "H100", n, s.week, 52).factor == 1.0
        assert market.crowding(t, "coreweave", "H100", n + 1, s.week, 52).factor > 1.0
        assert "before its pool is full enough to ask more than its list" in text(pilot, "message")
        assert "expect about" not in text(pilot, "preview")  # no crowding price: the list
        assert await unseen_at_each_size(pilot, "at-list", "all-free", "count", "message") == []
        choose(pilot, partner="oracle")  # xAI holds all the H100 Oracle rents one customer
        await pilot.pause()
        await pilot.press("alt+k")
        await pilot.pause()
        assert "Oracle has no H100 free for you then" in text(pilot, "message")


async def test_at_list_price_fills_a_price_the_partner_accepts():
    """A tester's alt+k offer at the list's $4.38 drew a counter at $4.39 (the week's draw):
    the preset fills the most the week's draw makes the price, and the partner accepts."""
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        choose(pilot, partner="coreweave")
        await pilot.pause()
        await pilot.press("alt+k")
        await pilot.pause()
        n = int(app.screen.query_one("#count", Input).value)
        c = market.crowding(s.turn(XAI), "coreweave", "H100", n, s.week, 52)
        price = float(app.screen.query_one("#price", Input).value)
        assert price >= c.price * (1 + c.swing) - 1e-9 and "it accepts" in text(pilot, "message")
        await confirm(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert "Deal." in text(pilot, "message"), text(pilot, "message")
