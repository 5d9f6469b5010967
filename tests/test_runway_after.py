"""The runway alert reads the runway after this week's orders, as the dashboard does: a
play-tester booked a sale that took his runway from 7 to 20 weeks, and `a` still refused
to play over "Runway 7 weeks: raise, borrow or cut costs"."""

from __future__ import annotations

import attrs

from game.engine import economy
from game.play import intel, risk
from game.play.exits import SellGpus
from game.play.session import Session

XAI = 0


def test_a_sale_booked_that_lengthens_the_runway_clears_the_alert():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(10):
        s.end_week()
    cash, debt = s.world.cash.copy(), s.world.debt.copy()
    cash[0, XAI] = 1.5e8
    debt[0, XAI] = float(economy.credit_headroom(s.params, s.world)[0, XAI])  # the credit line nearly drawn
    s.world = attrs.evolve(s.world, cash=cash, debt=debt)
    assert risk.runway_weeks(s.turn(XAI)) < intel.RUNWAY_ALERT_WEEKS
    assert "runway" in [a.key for a in intel.alerts(s.turn(XAI))]
    s.decide(XAI, SellGpus("H100", 40_000), confirmed=True)
    t = s.turn(XAI)
    assert risk.runway_weeks(t, t.preview.world) >= intel.RUNWAY_ALERT_WEEKS
    assert "runway" not in [a.key for a in intel.alerts(t)]
    s.books.clear()  # the sale cancelled: the alert is back
    assert "runway" in [a.key for a in intel.alerts(s.turn(XAI))]
