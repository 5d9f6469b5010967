"""Debt over the covenant is told before it strikes and counted in the runway: a
play-tester sold 150,000 H100 unasked, found the lenders taking a quarter of the cash
every week, and read 'runway 17 weeks' while the odds gave bankruptcy within seven."""

from __future__ import annotations

import attrs
import pytest

from game.engine import economy
from game.play import book, exits, runway
from game.play.session import Session

XAI = 0


def _in_debt(share_of_book: float) -> Session:
    s = Session.new(seed=5)
    for _ in range(30):
        s.end_week()
    debt = s.world.debt.copy()
    debt[0, XAI] = share_of_book * float(economy.book_value(s.params, s.world)[0, XAI])
    s.world = attrs.evolve(s.world, debt=debt)
    return s


def test_a_sale_that_takes_the_debt_over_the_covenant_asks_first_with_its_figures():
    s = _in_debt(0.5)
    owned = int(
        (s.world.warehouse[0, XAI] + s.world.installed[0, XAI].sum(0))[s.params.gpu_ids.index("H100")]
    )
    sale = exits.SellGpus("H100", owned // 2)
    with pytest.raises(book.OverCovenant) as asked:
        s.decide(XAI, sale)
    after = float(economy.leverage(s.params, s.preview(XAI, [sale]).world)[0, XAI])
    assert f"takes your debt from 50% to {after:.0%} of your GPUs' value, over the 65% covenant" in str(
        asked.value
    )
    assert "up to 25% of your cash every week" in str(asked.value)
    assert s.book(XAI) == []
    s.decide(XAI, sale, confirmed=True)  # the player's answer
    assert s.book(XAI) == [sale]
    small = exits.SellGpus("H100", 100)  # a sale the covenant absorbs asks nothing
    s2 = _in_debt(0.5)
    s2.decide(XAI, small)
    assert s2.book(XAI) == [small]


def test_the_runway_counts_the_lenders_sweep_while_the_debt_is_over_the_covenant():
    s = _in_debt(0.9)
    p, w = s.params, s.world
    swept = runway.project(p, w, XAI)
    f = p.rules.finance
    rules = attrs.evolve(p.catalog.rules, finance=attrs.evolve(f, covenant_sweep=0.0))
    unswept = runway.project(attrs.evolve(p, catalog=attrs.evolve(p.catalog, rules=rules)), w, XAI)
    assert swept.weeks < unswept.weeks
    # the first week: the sweep is a quarter of the cash left after the week's costs, at most the excess
    cash_then = unswept.money[0]  # no credit while over the covenant: money is cash
    excess = float(w.debt[0, XAI]) - f.covenant_ltv * float(economy.book_value(p, w)[0, XAI])
    assert swept.money[0] == pytest.approx(cash_then - min(excess, f.covenant_sweep * cash_then))
