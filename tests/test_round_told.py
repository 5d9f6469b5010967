"""A round's review says when the lab's cash and credit run out before the round's cash
comes in (a play-tester's $25B round took 15 weeks to close; nothing said the money would
be gone before it, and the investors walked away)."""

from __future__ import annotations

import attrs

from game.engine import economy
from game.play import review
from game.play.session import Session
from game.tui.screens import reviews

XAI = 0


def test_a_rounds_review_warns_when_the_money_runs_out_before_its_cash_comes_in():
    s = Session.new(seed=5)
    big = review.round_terms(s.turn(XAI), 30e9)
    said = reviews.round_(big)[1]
    assert big.runway_without >= big.cash_weeks and not any("run out" in line for line in said)

    cash, debt = s.world.cash.copy(), s.world.debt.copy()
    cash[0, XAI] = 1e8  # a few weeks of costs, the credit line drawn
    debt[0, XAI] += float(economy.credit_headroom(s.params, s.world)[0, XAI])
    s.world = attrs.evolve(s.world, cash=cash, debt=debt)
    short = review.round_terms(s.turn(XAI), 30e9)
    assert short.runway_without < short.cash_weeks
    line = [x for x in reviews.round_(short)[1] if "run out" in x]
    assert line == [
        f"Your cash and credit last about {reviews.weeks(short.runway_without)} without it: they run out "
        "before its cash comes in (a smaller round closes sooner)"
    ]
