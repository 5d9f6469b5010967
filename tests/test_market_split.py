"""One market order split between the integrators for the soonest delivery: a tester
booked every large order twice over (alt+i, a letter, Enter, alt+c, a count, Enter), once
through each integrator, to get it sooner."""

from __future__ import annotations

import numpy as np

from game.play import decisions as dec
from game.play import market
from game.play.book import decide_all
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import MarketScreen
from tests.tui_helpers import choose, confirm, fill, text, unseen_at_each_size

XAI = 0


def test_a_split_delivers_sooner_than_either_integrator_alone_and_the_engine_agrees():
    s = Session.new()
    t = s.turn(XAI)
    parts = market.soonest_split(t, "H100", 50_000)
    assert {v for v, _ in parts} == {"dell", "supermicro"} and sum(n for _, n in parts) == 50_000
    promised = max(market.order_quote(t, "H100", v, n).arrive_week for v, n in parts)
    alone = min(market.order_quote(t, "H100", v, 50_000).arrive_week for v in s.params.integrator_ids)
    assert promised < alone
    assert parts[0][0] == min(
        s.params.integrator_ids, key=lambda v: market.order_quote(t, "H100", v, 1).unit
    )  # the cheaper integrator takes all it can deliver by then
    # A small order one integrator delivers as soon takes one integrator (one order slot).
    assert len(market.soonest_split(t, "H100", 5_000)) == 1
    decide_all(s, XAI, [dec.BuyGpus("H100", v, n) for v, n in parts], confirmed=True)
    s.end_week()
    w = s.world
    held = w.order_count[0, XAI] > 0
    arrive = {
        s.params.integrator_ids[int(v)]: int(a)
        for v, a, g in zip(w.order_vendor[0, XAI][held], w.order_arrive[0, XAI][held], w.order_gpu[0, XAI][held], strict=True)
        if s.params.gpu_ids[int(g)] == "H100"
    }  # fmt: skip
    for v, n in parts:
        assert arrive[v] == market.order_quote(t, "H100", v, n).arrive_week  # the preview's date


def test_decide_all_books_all_or_none():
    s = Session.new()
    before = s.book(XAI)
    too_many = [dec.BuyGpus("H100", "dell", 10_000), dec.BuyGpus("H100", "supermicro", 9_000_000)]
    try:
        decide_all(s, XAI, too_many, confirmed=True)
    except dec.Refused:
        pass
    else:
        raise AssertionError("an order past the limit was booked")
    assert s.book(XAI) == before  # the first was not left behind


async def test_the_market_form_books_a_split_as_one_order_per_integrator():
    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MarketScreen)
        choose(pilot, vendor=market.SOONEST)
        fill(pilot, count="50000")
        await pilot.pause()
        said = text(pilot, "preview")
        parts = market.soonest_split(s.turn(XAI), "H100", 50_000)
        for v, n in parts:
            name = "Dell" if v == "dell" else "Supermicro"
            assert f"{n:,} via {name} (around" in said, said
        assert "one integrator alone" in said
        assert await unseen_at_each_size(pilot, "preview", "vendor") == []
        await confirm(pilot)
        await pilot.pause()
        booked = [d for d in s.book(XAI) if isinstance(d, dec.BuyGpus)]
        assert [(d.vendor, d.count) for d in booked] == list(parts)
        assert "Added to this week's orders" in text(pilot, "message")
        await pilot.press("escape")
        await pilot.press("m")  # the form remembers the choice
        await pilot.pause()
        assert app.screen.query_one("#vendor").value == market.SOONEST  # type: ignore[attr-defined]
        await pilot.press("alt+a")  # max affordable, at the dearer integrator's price
        await pilot.pause()
        n = int(app.screen.query_one("#count").value)  # type: ignore[attr-defined]
        assert n == market.affordable(s.turn(XAI), "H100", market.SOONEST) > 0
    assert np.all(s.world.cash >= 0)


async def test_a_split_past_nvidias_supply_books_what_is_left_and_says_so():
    """A tester's split of 163k GB200 with 23k left read $8.39B in the preview and a
    fraction of it in the book, each part cut to its share: it books what is left."""
    s = Session.new()
    left = int(market.supply_for(s.turn(XAI), "H200"))
    assert 0 < left < 100_000
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        choose(pilot, gpu="H200", vendor=market.SOONEST)
        fill(pilot, count="100000")
        await pilot.pause()
        said = text(pilot, "preview")
        assert f"NVIDIA has only {left:,} left this quarter: the split books that many, not 100k" in said
        orders = app.screen._orders()  # type: ignore[attr-defined]
        assert sum(o.count for o in orders) == left
