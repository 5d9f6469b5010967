"""The first-game guide sends a player to the market only with cash for an order: GPUs
are paid in cash when ordered, and a play-tester read 'Next: order GPUs (m)' for weeks
with none."""

from __future__ import annotations

import attrs

from game.play import decisions as dec
from game.play import guide
from game.play.session import Session

XAI = 0


def _ready_to_order(cash: float) -> Session:
    """xAI with a run under way, its halls powered, nothing on order, and `cash` in hand."""
    s = Session.new(seed=5)
    s.decide(XAI, dec.StartRun(1e26), confirmed=True)
    while s.world.order_count[0, XAI].any() or s.world.warehouse[0, XAI].any():
        s.end_week()
    money = s.world.cash.copy()
    money[0, XAI] = cash
    s.world = attrs.evolve(s.world, cash=money)
    return s


def _with_halls_coming(s: Session) -> Session:
    """Halls under way: room for GPUs ordered now by the time they come."""
    building = s.world.hall_building.copy()
    building[0, XAI, s.params.site_ids.index("memphis")] = 50.0
    s.world = attrs.evolve(s.world, hall_building=building)
    return s


def test_the_guide_sends_a_player_with_cash_to_the_market_and_one_without_to_the_money():
    step = guide.next_step(_with_halls_coming(_ready_to_order(5e9)).turn(XAI))
    assert step is not None and step.screen == "market" and step.what == "order GPUs"
    step = guide.next_step(_with_halls_coming(_ready_to_order(1e6)).turn(XAI))
    assert step is not None and step.screen == "finance", step
    assert "would not buy an order of GPUs" in step.because


def test_the_guide_sends_a_player_whose_halls_are_full_to_build_halls_first():
    """A tester read 'Next: order GPUs (m)' while the market said his powered halls were
    spoken for: GPUs ordered then would wait in the warehouse."""
    from game.play.market import empty_powered_mw

    s = _ready_to_order(5e9)
    assert empty_powered_mw(s.turn(XAI)) < 5
    step = guide.next_step(s.turn(XAI))
    assert step is not None and step.screen == "sites" and "build halls" in step.what
