"""A lab has ORDER_SLOTS orders in flight at most (each GPU type and integrator ordered
takes one until delivered). A play-tester's fill order bought in small chunks every week
until it held all 8 and both it and his own 20,000 GB200 were refused; no screen said
what the limit was or how many were held. Now the fill order leaves the last slots to the
player, the order book counts them (and `o` brings the orders into sight under a long
book), and the market's preview says when few are left and when a newer generation ships
before (or soon after) the GPUs arrive: his 84,000 H100 arrived the week B200 went on
sale and lost 30% of their value unwarned."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine.state import ORDER_SLOTS
from game.play import decisions as dec
from game.play import market, standing
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import BookScreen
from tests.tui_helpers import SIZES, text, unseen_at_each_size, visible


def holding(s: Session, lab: int, n: int) -> Session:
    """The lab with `n` orders in flight (of H100, arriving in 20 weeks)."""
    w = s.world
    count = w.order_count.copy()
    count[0, lab] = 0
    count[0, lab, :n] = 1_000
    gpu = w.order_gpu.copy()
    gpu[0, lab, :n] = s.params.gpu_ids.index("H100")
    arrive = w.order_arrive.copy()
    arrive[0, lab, :n] = s.week + 20
    s.world = attrs.evolve(w, order_count=count, order_gpu=gpu, order_arrive=arrive)
    return s


def test_a_fill_order_leaves_the_last_order_slots_to_the_player():
    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab = s.lab_index("openai")
    vendor = s.params.integrator_ids[0]
    standing.add(s, standing.fill_order(s, lab, "H100", vendor))
    assert standing.fill_room(s, lab, "H100") >= standing.FILL_MIN_GPUS, "powered room to fill"
    spare = standing.FILL_SPARE_SLOTS
    holding(s, lab, ORDER_SLOTS - spare)
    assert market.free_order_slots(s.turn(lab)) == spare
    said = standing.fire(s)
    assert s.book(lab) == []  # it waits: the last slots are the player's
    assert said and f"the last {spare} of your {ORDER_SLOTS} order slots" in said[0].text
    assert not said[0].urgent
    s.decide(lab, dec.BuyGpus("H100", vendor, 2_000), confirmed=True)  # the player's own order goes through
    assert market.free_order_slots(s.turn(lab)) == spare - 1
    holding(s, lab, ORDER_SLOTS - spare - 1)  # one more slot free: the fill order books again
    s.books.clear()
    standing.fire(s)
    assert [d.kind for d in s.book(lab)] == ["order"]
    assert market.free_order_slots(s.turn(lab)) == spare
    assert "last 2 order slots for your own orders" in standing.describe(s, standing.orders(s, lab)[0])


def test_a_newer_generation_before_delivery_is_named():
    s = Session.new(humans=("xai",), seed=1)
    t = s.turn(0)
    newer = market.newer_generations(t, "H100", 10**6)
    week = newer[0][1]
    assert week > s.week and "B200" in [g for g, _ in newer]
    assert [w for _, w in newer] == sorted(w for _, w in newer)  # the soonest first
    assert market.newer_generations(t, "H100", week - 1) == []  # none ships before the first
    newest = s.params.gpu_ids[int(np.argmax(s.params.gpu_flops))]
    assert market.newer_generations(t, newest, 10**6) == []  # nothing is newer than the newest


async def test_the_market_preview_warns_of_a_new_generation_and_of_the_last_slots():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    (_, week), *_ = market.newer_generations(s.turn(0), "H100", 10**6)
    while s.week < week - 12:  # an H100 order now arrives after the next generation ships
        s.end_week()
    holding(s, 0, ORDER_SLOTS - 1)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("m")
        await pilot.pause()
        said = text(pilot, "preview")
        assert "goes on sale on" in said and "H100 is worth" in said and "less" in said, said
        assert f"1 order slot of {ORDER_SLOTS} left" in said, said
        assert await unseen_at_each_size(pilot, "preview") == []


async def test_the_book_counts_the_slots_and_o_brings_the_orders_into_sight():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    holding(s, 0, 6)
    for i in range(10):  # a book longer than 80x24 shows
        s.decide(0, dec.BuildHalls(s.params.site_ids[0], 10.0 + i), confirmed=True)
    book = list(s.book(0))
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        assert f"6 of the {ORDER_SLOTS} order slots held" in text(pilot, "orders-title")
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.press("o")
            await pilot.pause()
            assert app.focused is app.screen.query_one("#orders")
            assert visible(pilot, "orders-title") and visible(pilot, "orders"), size
            await pilot.press("x")  # out of sight, the highlighted decision is not cancelled
            await pilot.pause()
            assert s.book(0) == book
            assert "pick it, then x again" in text(pilot, "message")
            assert app.focused is app.screen.query_one("#book")


async def test_the_markets_left_column_counts_this_weeks_orders():
    """The table kept showing 80,000 GB200 left after a play-tester booked 80,000."""
    from game.tui.format import count

    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    before = market.supply_for(s.turn(0), "H100")
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#gpus")
        assert table.get_cell("H100", "left") == count(before)
        await pilot.press("alt+c", *"20000", "enter")
        await pilot.pause()
        assert [d.kind for d in s.book(0)] == ["order"], text(pilot, "message")
        assert table.get_cell("H100", "left") == count(before - 20_000)
